"""Hostile archives, round two: one budget for every block of the detail pane (issue 12,
point 8). A 345,000-character analysis paragraph (or key point, impact, field, or other text)
is cut to the document's budget with a notice, so a resize lays out a bounded document (the
time per layout is measured by tests/benchmarks/bench_layout.py: under 200 ms)."""

from __future__ import annotations

import pytest
from digest_tui.index.parse.post import parse_text
from digest_tui.tui.detail.document import layout
from digest_tui.tui.detail.documents import item_document
from digest_tui.tui.detail.markdown_blocks import MAX_DOCUMENT_CHARS

HUGE = 345_000
SENTENCE = "美联储维持利率不变，市场预期 AI 芯片需求继续推高算力租赁价格。"


def _huge(chars: int = HUGE) -> str:
    return (SENTENCE * (chars // len(SENTENCE) + 1))[:chars]


HEAD = "---\ntitle: 巨大\ndate: 2026-02-01\n---\n## 要闻\n\n### 巨大的一条\n\n"
SHAPES = {
    "analysis": f"**深度解读 & 洞察：**\n\n{_huge()}\n",
    "points": f"- **核心要点：**\n  - {_huge()}\n",
    "impact": f"**影响：**\n\n- **黄金：** 利多，{_huge()}\n",
    "field": f"**技术架构：** {_huge()}\n",
    "rest": f"{_huge()}\n",
    "everything": (
        f"- **核心要点：**\n  - {_huge(HUGE // 4)}\n\n**深度解读 & 洞察：**\n\n{_huge()}\n\n"
        f"**影响：**\n\n- **黄金：** 利多，{_huge(HUGE // 4)}\n\n"
        f"**技术架构：** {_huge(HUGE // 4)}\n"
    ),
}


@pytest.mark.parametrize("shape", sorted(SHAPES))
def test_a_huge_block_of_any_kind_is_cut_to_the_budget_with_a_notice(shape: str) -> None:
    post = parse_text(HEAD + SHAPES[shape], root="/r", path="2026-02-01-huge.md")
    document = item_document(post, post.items[0], "cn")
    shown = sum(len(block.content.plain) for block in document.blocks)
    assert shown <= MAX_DOCUMENT_CHARS + 200, shape
    assert document.notice is not None
    assert "more characters not shown" in document.plain
    assert "美联储维持利率不变" in document.plain  # the start is shown
    lines = layout(document, 40).lines
    assert len(lines) <= MAX_DOCUMENT_CHARS // 10 and all(line.cell_length <= 40 for line in lines)


def test_an_ordinary_item_is_shown_whole() -> None:
    post = parse_text(HEAD + SHAPES["analysis"].replace(_huge(), _huge(2_000)), root="/r", path="a")
    document = item_document(post, post.items[0], "cn")
    assert document.notice is None and _huge(2_000) in document.plain
