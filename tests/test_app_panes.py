"""Pane proportions from 100 to 320 columns: a capped text measure, glyphs before titles,
an ellipsis on every cut, and `<`/`>` remembered across launches."""

from __future__ import annotations

from pathlib import Path

import pytest
from digest_tui.tui.pane_widths import TEXT_MEASURE, pane_widths
from rich.cells import cell_len
from tui_helpers import make_app, sample_copy, settle


def tree_lines(app) -> list[str]:
    tree = app.screen.section_tree
    return [
        "".join(segment.text for segment in tree.render_line(y))
        for y in range(min(tree.size.height, tree.last_line + 1))
    ]


@pytest.mark.parametrize("width", [120, 200, 320])
async def test_titles_are_cut_with_an_ellipsis_after_their_glyphs(
    tmp_path: Path, width: int
) -> None:
    app = make_app(sample_copy(tmp_path))
    async with app.run_test(size=(width, 40)) as pilot:
        await settle(app, pilot)
        screen = app.screen
        dates, sections, detail = (p.outer_size.width for p in screen.panes)
        assert (dates, sections, detail) == pane_widths(width)
        assert dates >= 30 and sections >= 28
        lines = [line.rstrip() for line in tree_lines(app)]
        labels = [line.lstrip(" │├└─") for line in lines]
        items = [  # item rows: no expand icon (sections and the post have one)
            label
            for label in labels
            if not label.startswith(("▼ ", "▶ ")) and any(g in label for g in "▲▼△▽●◆?")
        ]
        assert items, lines
        inner = screen.section_tree.scrollable_content_region.width
        for line in items:
            assert cell_len(line) <= inner
            title_start = line.lstrip(" │├└─").lstrip("•★▲▼△▽●◆?… ")
            assert title_start, line  # the glyphs come first, then the title
        titles = [item.title for item in screen.current_post.items]
        for line in items:
            shown = line.lstrip(" │├└─").lstrip("•★▲▼△▽●◆?… ").rstrip()
            whole = shown in titles
            cut = shown.endswith("…") and any(t.startswith(shown[:-1].rstrip()) for t in titles)
            assert whole or cut, line  # a title is whole, or cut with an ellipsis
        widest = max(line.cell_length for line in screen.detail._layout.lines)
        assert widest <= TEXT_MEASURE


async def test_less_and_greater_resize_the_panes_and_are_remembered(tmp_path: Path) -> None:
    root = sample_copy(tmp_path)
    app = make_app(root)
    async with app.run_test(size=(200, 40)) as pilot:
        await settle(app, pilot)
        before = app.screen.detail.outer_size.width
        await pilot.press("greater_than_sign", "greater_than_sign")
        await settle(app, pilot)
        wider = app.screen.detail.outer_size.width
        assert wider > before
        await pilot.press("less_than_sign")
        await settle(app, pilot)
        remembered = app.screen.detail.outer_size.width
        assert before < remembered < wider
    again = make_app(root)
    async with again.run_test(size=(200, 40)) as pilot:
        await settle(again, pilot)
        assert again.screen.detail.outer_size.width == remembered
