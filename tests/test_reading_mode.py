"""Post reading mode's document: the whole post in source order, items and sections placed."""

from __future__ import annotations

from pathlib import Path

import pytest
from digest_tui.index.parse.post import parse_text
from digest_tui.tui.detail.document import layout
from digest_tui.tui.detail.reading import is_digest, reading_document
from rich.cells import cell_len

ARTICLE = """---
title: 自建还是调用 API
date: 2026-03-01
category: 技术分享
---
# 自建还是调用 API

开头的一段引言。

## 先拆成三个数字

这一节的引言，只在这里。

### 机器成本

GPU 租金或折旧。

### 吞吐量

取决于模型大小。

## 结论

按实测值算，见[来源](https://example.com/cost)。
"""


def test_an_article_reads_straight_through_with_every_heading_once() -> None:
    post = parse_text(ARTICLE, root="/r", path="a.md")
    assert not is_digest(post)
    reading = reading_document(post)
    text = "\n".join(line.plain for line in layout(reading.document, 100).lines)
    order = [
        "自建还是调用 API",
        "开头的一段引言。",
        "先拆成三个数字",
        "这一节的引言",
        "机器成本",
        "GPU 租金",
        "吞吐量",
        "取决于模型大小",
        "结论",
        "按实测值算",
        "Links",
    ]
    positions = [text.index(part) for part in order]
    assert positions == sorted(positions)
    for heading in ("先拆成三个数字", "机器成本", "吞吐量", "结论"):
        assert text.count(heading) == 1, heading
    blocks = [block.content.plain for block in reading.document.blocks]
    for item in post.items:
        assert item.id in reading.items, item.title
        assert blocks[reading.items[item.id]].startswith(item.title[:4]), item.title
    anchors = [reading.items[item.id] for item in post.items]
    assert anchors == sorted(anchors)
    assert reading.document.links == ("https://example.com/cost",)


WIDE_TABLE = """---
title: 读一份日报要多久
date: 2023-02-06
category: 技术分享
---
# 读一份日报要多久

## 每一步的耗时

| 步骤 | 耗时 | 备注 |
|---|---|---|
| Open today's digest file               | 2ms           |      |
| Copy 3,000 posts(40MB) from the blog mirror | 45ms          |      |
| Parse 7,300 markdown files(110MB) into items today | 4,000ms ≈ 4s |      |
| Search roundtrip from key to screen | 120,000,000ns ≈ 120ms | 整屏刷新 |

表格之后的一段。
"""


@pytest.mark.parametrize("width", [40, 52, 76, 100])
def test_a_table_row_is_one_line_of_the_pane_at_any_width(width: int) -> None:
    """In reading mode a table wider than the pane (a latency table, at 80 to
    200 columns) wrapped each row onto the next line: "操作 │ 延迟" then "│ 备注" under it,
    its cells no longer in columns. A row is one line, its widest columns narrowed to the pane
    (long cells cut with an ellipsis); no line is wider than the pane."""
    post = parse_text(WIDE_TABLE, root="/r", path="a.md")
    lines = [line.plain for line in layout(reading_document(post).document, width).lines]
    rows = [line for line in lines if "│" in line or "┼" in line]
    assert len(rows) == 6, lines  # the header, the rule and four rows: none went on a line
    assert all(cell_len(line) <= width for line in lines), lines
    assert [row.split("│")[0].strip()[:4] for row in rows if "│" in row] == [
        "步骤",
        "Open",
        "Copy",
        "Pars",
        "Sear",
    ]

    def edges(row: str) -> list[int]:
        return [cell_len(row[:at]) for at, char in enumerate(row) if char in "│┼"]

    assert len({tuple(edges(row)) for row in rows}) == 1, rows  # the cells stay in columns
    assert len(edges(rows[0])) == 2, rows  # every column is shown
    if width < 76:  # narrower than the table: its long cells are cut, with an ellipsis
        assert any("…" in row for row in rows), rows
    assert "表格之后的一段。" in lines


async def test_a_search_match_in_a_fitted_table_row_is_highlighted_on_its_own_words() -> None:
    """A fitted row is not its text as written (columns narrowed, cells cut): the match's
    highlight follows its characters, not their place in the unfitted row."""
    from digest_tui.tui import app as app_module
    from digest_tui.tui.detail.item_view import ItemView
    from textual.app import App, ComposeResult

    class One(App[None]):
        CSS_PATH = str(Path(app_module.__file__).with_name("app.tcss"))

        def compose(self) -> ComposeResult:
            yield ItemView(id="view")

    post = parse_text(WIDE_TABLE, root="/r", path="a.md")
    async with One().run_test(size=(44, 20)) as pilot:
        view = pilot.app.query_one(ItemView)
        view.show(reading_document(post).document, "整屏刷新")
        await pilot.pause()
        assert view.matches, "the word is in the table"
        row = next(y for y in range(view.line_count) if "整屏刷新" in view.render_line(y).text)
        strip = view.render_line(row)
        base = [seg.style.bgcolor if seg.style else None for seg in strip][0]
        lit = [seg.text for seg in strip if seg.style and seg.style.bgcolor != base]
        assert "".join(lit).strip() == "整屏刷新", [(seg.text, seg.style) for seg in strip]
