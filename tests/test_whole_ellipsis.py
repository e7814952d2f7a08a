"""A cut Chinese title ends with "…" right after its last whole character, in every pane.

Rich and Textual cut a line at a width by padding a wide character that would straddle the
edge with a space, then add "…": "金融市场震 …", a gap a reader takes for a word break
(seen in the date list and the section tree on the corpus at 120 and 200 columns).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from digest_tui.tui import whole_ellipsis
from textual.content import Content
from tui_helpers import make_app, settle, source_digest, write_post

#: The Textual code the override replaces, as it was written against (Textual 8.2.8): if it
#: changes, read the new code and tui/whole_ellipsis.py again, then update.
REPLACED_SOURCE_SHA256 = "dd77c775e0f204ca7b8e9c310032512de66e5cc88c4286996b74691f16a63a5a"

#: A wide character, spaces, then the ellipsis: the gap.
GAP = re.compile(r"[\u3000-\u9fff\uff00-\uffef] +…")

TITLE = "美联储观望叠加地缘风险升温黄金突破五千五百美元创历史新高市场震荡加剧"


def test_the_replaced_textual_code_is_the_code_it_was_written_against() -> None:
    found = source_digest(whole_ellipsis.ORIGINAL_TRUNCATE)
    assert found == REPLACED_SOURCE_SHA256, "Textual changed: check tui/whole_ellipsis.py"


@pytest.mark.parametrize("width", range(4, 12))
def test_a_cut_keeps_the_ellipsis_against_the_last_character(width: int) -> None:
    whole_ellipsis.install()
    cut = Content("大宗商品与金融市场震荡").truncate(width, ellipsis=True)
    assert cut.cell_length == width
    assert cut.plain.rstrip().endswith("…") and not GAP.search(cut.plain), cut.plain


@pytest.mark.parametrize("width", [119, 120, 121, 200])
async def test_no_pane_shows_a_gap_before_an_ellipsis(tmp_path: Path, width: int) -> None:
    root = tmp_path / "archive"
    write_post(root, "2026-03-01-a.md", title=TITLE, date="2026-03-01")
    write_post(root, "2026-03-02-b.md", title="二" + TITLE, date="2026-03-02")
    app = make_app(root)
    async with app.run_test(size=(width, 30)) as pilot:
        await settle(app, pilot)
        screen = app.screen
        lines = [
            pane.render_line(y).text
            for pane in (screen.date_list, screen.section_tree)
            for y in range(pane.size.height)
        ]
        assert any("…" in line for line in lines), "the titles are longer than the panes"
        assert not [line for line in lines if GAP.search(line)], lines
