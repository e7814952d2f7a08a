"""Hostile archives, round two: emoji sequences never misalign a pane (issue 12, point 4).
What the reader and `show` draw is in a form of certain width: measured per code point (as a
terminal without emoji sequences does) and per grapheme cluster (as one with them does), every
line is equally wide, so no border doubles or shifts, whatever the terminal."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import wcwidth
from digest_tui.index.model import SearchHit
from digest_tui.index.parse.post import parse_text
from digest_tui.index.sanitize import certain_width, display
from digest_tui.tui.detail.document import wrap_offsets
from digest_tui.tui.screens.search import SearchScreen, hit_content
from rich.cells import cell_len
from tui_helpers import make_app, open_screen, settle

EMOJI = [
    "❤️",
    "🏳️\u200d🌈",
    "👍🏽",
    "👨\u200d👩\u200d👧\u200d👦",
    "1️⃣",
    "🇨🇳",
    "🏴\U000e0067\U000e0062\U000e0073\U000e0063\U000e0074\U000e007f",
    "🧑🏿\u200d🚀",
    "☀︎",
]
LINE = "".join(EMOJI)

POST = f"""---
title: "表情{LINE}标题"
date: 2026-03-01
tags: ["{EMOJI[0]}"]
---
## 要闻{EMOJI[2]}

### 金价{LINE}走强

- **核心要点：**
  - 要点{LINE}{LINE}{LINE}

**深度解读 & 洞察：**

{(LINE + "分析") * 20}

**影响：**

- **黄金{EMOJI[3]}：** 利多，{LINE}
"""


def _per_code_point(text: str) -> int:
    return sum(max(wcwidth.wcwidth(c), 0) for c in text)


def _certain(text: str) -> bool:
    """Every way of measuring agrees: per code point, per cluster (Rich), per cluster
    (wcwidth's grapheme-aware width)."""
    return _per_code_point(text) == cell_len(text) == wcwidth.width(text)


def test_every_emoji_sequence_gets_a_form_of_certain_width() -> None:
    for emoji in EMOJI:
        shown = certain_width(emoji)
        assert shown and _certain(shown), (emoji, shown)
        assert not any(unicodedata.category(c) in ("Cf", "Mn", "Me") for c in shown), shown
    assert certain_width("🇨🇳") == "CN" and certain_width("❤️") == "❤"
    assert certain_width("黄金 gold") == "黄金 gold"  # nothing else changes


def test_the_stored_text_keeps_the_sequences() -> None:
    post = parse_text(POST, root="/r", path="2026-03-01-e.md")
    assert LINE in post.title and LINE in post.items[0].title


def test_a_word_of_emoji_folds_between_clusters() -> None:
    text = EMOJI[3] * 10
    for cut in wrap_offsets(text, 7):
        assert text[cut:].startswith(EMOJI[3])  # never inside a family


async def test_no_pane_border_shifts_with_emoji_sequences(tmp_path: Path) -> None:
    root = tmp_path / "archive"
    root.mkdir()
    (root / "2026-03-01-e.md").write_text(POST, encoding="utf-8")
    (root / "2026-02-28-plain.md").write_text(
        POST.replace(LINE, "普通").replace("2026-03-01", "2026-02-28"), encoding="utf-8"
    )
    app = make_app(root)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        for keys in ((), ("enter",), ("j", "j")):  # the post, the tree, the item
            await pilot.press(*keys)
            await settle(app, pilot)
            strips = app.screen._compositor.render_strips()
            for number, strip in enumerate(strips):
                text = "".join(segment.text for segment in strip)
                assert _certain(text), (number, text)
                assert cell_len(text) == 100, (number, text)
        shown = app.screen.detail.visible_text
        assert display(EMOJI[3]) in shown and "要点" in shown
        await open_screen(pilot, "slash", SearchScreen)  # the search results too
        await pilot.press(*"金价")
        await settle(app, pilot)
        lines = ["".join(s.text for s in strip) for strip in app.screen._compositor.render_strips()]
        assert any("金价" in line and display(EMOJI[3]) in line for line in lines), lines
        for number, text in enumerate(lines):
            assert _certain(text) and cell_len(text) == 100, (number, text)


def test_search_highlights_move_with_the_certain_form() -> None:
    before = EMOJI[3] + EMOJI[0]
    snippet = f"{before}金价走强"
    hit = SearchHit(
        "a.md", "/r", "2026-03-01", "标题", "01-x", "标题", ("要闻",), 1.0,
        snippet, ((len(before), len(before) + 2),),
    )  # fmt: skip
    content = hit_content(hit)
    matches = [s for s in content.spans if "match" in str(s.style)]
    assert matches and all(content.plain[s.start : s.end] == "金价" for s in matches), matches
    assert display(before) in content.plain
