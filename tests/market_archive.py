"""A small archive of our own writing for the market view's tests: known stances per day.

`write_market_archive(root)` writes one economy daily per entry of `DAYS`: each item a title,
a link, an analysis and its impacts, so the nets, flips and their items are known in advance.
`write_quiet_archive(root)` writes posts without any impact.
"""

from __future__ import annotations

from pathlib import Path

#: date -> items of that day: (title, [(asset as written, stance word or None, words)])
DAYS: dict[str, list[tuple[str, list[tuple[str, str | None, str]]]]] = {
    "2026-02-02": [
        (
            "央行购金持续，金价走强",
            [("黄金", "利多", "央行买盘托底。"), ("原油", "利空", "需求疲弱。")],
        ),
    ],
    "2026-02-03": [
        ("美元反弹压制金价", [("黄金", "偏空", "美元走强。")]),
        ("库存下降，油价企稳", [("原油", "利多", "库存连降三周。")]),
    ],
    "2026-02-05": [
        ("避险需求再起", [("金价", "利多", "地缘风险升温。")]),
        ("金价高位震荡", [("黄金", "中性", "多空僵持。")]),
        ("海峡局势紧张", [("原油", "利多", "油价将大幅上涨。")]),
        ("航运股无表态", [("原油", None, "后续观察。")]),
    ],
    "2026-02-09": [
        ("OPEC+ 增产，油价承压", [("原油", "利空", "供给增加。"), ("黄金", "利多", "通胀预期。")]),
        ("炼厂检修", [("原油", "利多", "短期需求减少后回补。")]),
    ],
    "2026-02-16": [
        ("金价多空分歧", [("黄金", "多空交织", "买盘仍在，美元却在反弹。")]),
    ],
}

POST = """---
title: 经济日报 {date}
date: {date}
category: 经济日报
tags: ["宏观经济"]
---
# 经济日报 {date}

## 市场动态

{items}
"""

ITEM = """### [{title}](https://example.com/news/{date}/{n})

**核心要点：**
- {title}的要点

**深度解读：** {title}：这是第一行分析。第二句继续说明原因。

**影响：**
{impacts}
"""


def _impact(asset: str, stance: str | None, words: str) -> str:
    return f"- 对{asset}：{stance}。{words}" if stance else f"- 对{asset}：{words}"


def write_market_archive(root: Path) -> Path:
    """The archive of DAYS below `root` (created)."""
    (root / "econ").mkdir(parents=True)
    for date, items in DAYS.items():
        body = "\n".join(
            ITEM.format(
                title=title,
                date=date,
                n=n,
                impacts="\n".join(_impact(*impact) for impact in impacts),
            )
            for n, (title, impacts) in enumerate(items, 1)
        )
        (root / "econ" / f"{date}-daily.md").write_text(
            POST.format(date=date, items=body), encoding="utf-8"
        )
    return root


def write_quiet_archive(root: Path) -> Path:
    """Two posts without a single impact."""
    root.mkdir(parents=True)
    for day in ("2026-03-01", "2026-03-02"):
        (root / f"{day}-note.md").write_text(
            f"---\ntitle: 随笔 {day}\ndate: {day}\n---\n# 随笔\n\n今天没有市场观点。\n",
            encoding="utf-8",
        )
    return root
