"""How long the detail pane takes to lay out a huge item on each resize, as a table.

usage: .venv/bin/python tests/benchmarks/bench_layout.py [--chars N] [--rounds N]

The item of issue 12 (point 8): one analysis paragraph of 345,000 characters (Chinese text
with some Latin words), plus huge key points, an impact and a labelled field. Its document is
built once (as when the item is opened), then laid out at each width, as every resize does.
Target: under 200 ms per layout.
"""

from __future__ import annotations

import argparse
import statistics
import time

from digest_tui.index.parse.post import parse_text
from digest_tui.tui.detail.document import layout
from digest_tui.tui.detail.documents import item_document

WIDTHS = (40, 60, 80, 100, 120, 160, 200)
TARGET_MS = 200.0
SENTENCE = "美联储维持利率不变，市场预期 GPT-5.5 与 AI 芯片需求继续推高算力租赁价格。"


def huge_post(chars: int) -> str:
    paragraph = (SENTENCE * (chars // len(SENTENCE) + 1))[:chars]
    return (
        "---\ntitle: 巨大的一条\ndate: 2026-02-01\n---\n## 要闻\n\n### 巨大的分析\n\n"
        f"- **核心要点：**\n  - {paragraph[: chars // 4]}\n\n"
        f"**深度解读 & 洞察：**\n\n{paragraph}\n\n"
        f"**影响：**\n\n- **黄金：** 利多，{paragraph[: chars // 4]}\n\n"
        f"**技术架构：** {paragraph[: chars // 4]}\n"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chars", type=int, default=345_000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    post = parse_text(huge_post(args.chars), root="/bench", path="2026-02-01-huge.md")
    item = post.items[0]
    started = time.perf_counter()
    document = item_document(post, item, "cn")
    built_ms = (time.perf_counter() - started) * 1000
    shown = sum(len(block.content.plain) for block in document.blocks)
    print(
        f"analysis paragraph: {len(item.analysis or ''):,} characters; document built in "
        f"{built_ms:.0f} ms, {len(document.blocks)} blocks, {shown:,} characters shown"
    )
    print(f"notice: {document.notice}")
    print(f"{'width':>6} {'lines':>7} {'median ms':>10} {'max ms':>8}  target {TARGET_MS:.0f} ms")
    worst = 0.0
    for width in WIDTHS:
        times = []
        lines = 0
        for _ in range(args.rounds):
            t0 = time.perf_counter()
            lines = len(layout(document, width).lines)
            times.append((time.perf_counter() - t0) * 1000)
        worst = max(worst, max(times))
        print(f"{width:>6} {lines:>7} {statistics.median(times):>10.1f} {max(times):>8.1f}")
    print(f"slowest layout: {worst:.1f} ms ({'within' if worst < TARGET_MS else 'OVER'} target)")


if __name__ == "__main__":
    main()
