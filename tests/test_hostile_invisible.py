"""Hostile archives, round two: tabs, line separators, invisible and bidi characters (issue 12,
points 2 and 3). Each class of character is decided from Unicode properties; none reaches the
terminal raw, emoji sequences stay whole, and the search sees through what cannot be seen."""

from __future__ import annotations

import json
import re
import sys
import unicodedata
from pathlib import Path

import pytest
from digest_tui.index import sanitize
from digest_tui.index.parse.post import parse_text
from digest_tui.index.sanitize import PLACEHOLDER, clean, clean_line, dumps_json, for_search
from tui_helpers import detail_text, make_app, settle

#: Characters of every class the issue names, and others of the same classes.
BIDI = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
IGNORABLE = (
    "\u00ad\u034f\u115f\u1160\u17b4\u180b\u180e\u200b\u200c\u200d\u2060\u2061\u2064\u2065"
    "\u206a\u206f\u3164\ufe00\ufe0f\ufeff\uffa0\ufff0\U0001bca0\U0001d173\U000e0000"
    "\U000e0001\U000e0041\U000e007f\U000e0100\U000e0fff"
)
OTHER_FORMAT = "\ufff9\ufffa\ufffb\u0600\u06dd\U000110bd"
LINE_BREAKS = "\u2028\u2029"
EMOJI = (
    "❤️",
    "🏳️\u200d🌈",
    "👍🏽",
    "👨\u200d👩\u200d👧\u200d👦",
    "1️⃣",
    "🏴\U000e0067\U000e0062\U000e0073\U000e0063\U000e0074\U000e007f",
)


def test_format_characters_live_only_in_the_planes_the_sanitiser_scans() -> None:
    """The derived classes scan planes 0, 1 and 14: check every code point once."""
    formats = {c for c in range(sys.maxunicode + 1) if unicodedata.category(chr(c)) == "Cf"}
    scanned = {c for low, high in sanitize._FORMAT_PLANES for c in range(low, high + 1)}
    assert formats <= scanned


def test_the_table_of_classes_is_what_the_unicode_properties_say() -> None:
    """The sanitiser's table (read instead of scanning every code point) is the scan's
    result for this Python's Unicode version; another version is scanned."""
    assert sanitize._classes() == sanitize._scanned_classes()
    assert unicodedata.unidata_version in sanitize._KNOWN_CLASSES  # the table is used here


@pytest.mark.parametrize("char", list(BIDI + IGNORABLE + OTHER_FORMAT))
def test_no_invisible_or_bidi_character_is_left_raw(char: str) -> None:
    text = f"黄{char}金"
    for shown in (clean(text), clean_line(text)):
        assert char not in shown, f"U+{ord(char):04X}"
        if char in BIDI or char in OTHER_FORMAT:  # where they were matters: shown
            assert shown == f"黄{PLACEHOLDER}金"
        else:  # nothing to see: left out
            assert shown == "黄金"
        assert for_search(shown) == "黄金"
    assert char not in dumps_json({"t": text}) and json.loads(dumps_json({"t": text})) == {
        "t": text
    }


def test_tabs_and_line_separators_never_reach_the_terminal() -> None:
    assert clean("A\t\t\t\tB") == "A" + " " * 15 + "B"
    assert clean("a\u2028b\u2029c") == "a\nb\nc"
    assert clean_line("a\u2028b\u2029c\td") == "a b c d"
    for text in ("A\tB", "a\u2028b", "a\u2029b"):
        assert not set("\t\u2028\u2029") & set(clean(text) + clean_line(text))
        assert not set("\t\u2028\u2029") & set(dumps_json({"t": text}))


@pytest.mark.parametrize("emoji", EMOJI)
def test_emoji_sequences_stay_whole(emoji: str) -> None:
    assert clean(f"看{emoji}好") == f"看{emoji}好"
    assert clean_line(emoji) == emoji


HOSTILE_POST = """---
title: "美\u200b联储\u2028标题\t带制表"
date: 2026-02-01
tags: ["宏\u200d观"]
---
## 要闻

### 美\u200b联储按兵不动

- **时间：** 2026-02-01
- **核心要点：**
  - 黄\u200d金\t\t\t\t收涨，O\u200bPEC 维持\u2029减产。

**深度解读 & 洞察：**

A\t\t\t\tB 美\u200e联储\u2028的表态\u00ad偏鹰\ufeff，\U000e0041标签\ufff9注\ufffb。

```
code\t\tcell\u2028next
```

| 列\t一 | 列\u2028二 |
|---|---|
| x\ty | 美\u200b元 |

**影响：**

- **黄\u200b金：** 利多，避险\t需求。❤️ 👨\u200d👩\u200d👧\u200d👦
"""

RAW = set(BIDI + IGNORABLE + OTHER_FORMAT + LINE_BREAKS + "\t") - set("\u200d\ufe0f")


def _raw_in(text: str) -> set[str]:
    found = {c for c in text if c in RAW}
    # a ZWJ or VS16 is fine inside an emoji sequence, nowhere else
    for emoji in EMOJI:
        text = text.replace(emoji, "")
    found |= {c for c in text if c in "\u200d\ufe0f"}
    return found


def _archive(tmp_path: Path) -> Path:
    root = tmp_path / "archive"
    root.mkdir()
    (root / "2026-02-01-fed.md").write_text(HOSTILE_POST, encoding="utf-8")
    return root


def test_the_parsed_post_carries_nothing_invisible() -> None:
    post = parse_text(HOSTILE_POST, root="/r", path="2026-02-01-fed.md")
    data = json.dumps(post.to_json(), ensure_ascii=False)
    assert not _raw_in(data)
    assert post.title == "美联储 标题 带制表"
    assert post.tags == ("宏观",)
    (item,) = post.items
    assert item.title == "美联储按兵不动"
    assert item.impacts[0].target == "黄金"


def test_show_and_search_see_through_invisible_characters(run_cli, tmp_path: Path) -> None:
    root = _archive(tmp_path)
    shown = run_cli("--archive", str(root), "show", "2026-02-01-fed.md")
    assert shown.returncode == 0, shown.stderr
    assert not _raw_in(shown.stdout + shown.stderr)
    assert re.search(r"A +B 美⍰联储", shown.stdout)  # tabs expanded, the bidi mark shown
    assert "❤" in shown.stdout  # drawn in a certain width
    as_json = run_cli("--archive", str(root), "show", "--json", "2026-02-01-fed.md")
    assert not _raw_in(as_json.stdout)
    assert "❤️" in json.loads(as_json.stdout)["items"][0]["text"]  # the data keeps it exact
    for query in ("美联储", "黄金", "OPEC", "美\u200b联储", "宏观", "美元"):
        found = run_cli("--archive", str(root), "search", query, "--json")
        assert found.returncode == 0, found.stderr
        assert not _raw_in(found.stdout), query
        assert json.loads(found.stdout)["total"] >= 1, query
        text = run_cli("--archive", str(root), "search", query)
        assert not _raw_in(text.stdout + text.stderr), query
        assert "2026-02-01-fed.md" in text.stdout, query


async def test_the_reader_shows_no_tab_separator_or_invisible_character(tmp_path: Path) -> None:
    app = make_app(_archive(tmp_path))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        screens = [app.export_screenshot()]
        await pilot.press("enter", "j", "j")  # the tree: post node -> section -> the item
        await settle(app, pilot)
        text = detail_text(app)
        assert "A" + " " * 15 + "B" in text
        assert not _raw_in(text)
        assert "⍰" in text  # the bidi mark shows where it was
        screens.append(app.export_screenshot())
        labels = [node.label.plain for node in app.screen.section_tree._tree_nodes.values()]
        assert not _raw_in("".join(labels))
        for screen in screens:
            assert not _raw_in(screen)
