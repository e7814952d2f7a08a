"""Post reading mode's document: the whole post in source order, items and sections placed."""

from __future__ import annotations

from digest_tui.index.parse.post import parse_text
from digest_tui.tui.detail.document import layout
from digest_tui.tui.detail.reading import is_digest, reading_document

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
