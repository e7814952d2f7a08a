"""Hostile archives, round two: prefix searches are never capped (issue 12, point 5). Over
5,000 distinct `w…` words, `w*` finds every unit that has one, and `item -w*` none of them."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from digest_tui.index.library import Library
from digest_tui.index.paths import Config, Roots

WORDS = 5_000
POSTS = 25


def _write(root: Path) -> None:
    """Posts of items; every other item holds 40 distinct w-words, the others none."""
    root.mkdir()
    word = 0
    for number in range(POSTS):
        lines = [f"---\ntitle: 词表 {number}\ndate: 2026-01-{number + 1:02d}\n---\n", "## 要闻\n"]
        for item in range(10):
            lines.append(f"### item 条目 {number}-{item}\n")
            if item % 2 == 0:
                words = " ".join(f"w{n:05d}x" for n in range(word, word + 40))
                word += 40
                lines.append(f"item text {words}\n")
            else:
                lines.append("item text 没有这类词\n")
        (root / f"2026-01-{number + 1:02d}-w.md").write_text("\n".join(lines), encoding="utf-8")
    assert word >= WORDS


@pytest.fixture(scope="module")
def library(tmp_path_factory: pytest.TempPathFactory) -> Library:
    base = tmp_path_factory.mktemp("prefix")
    _write(base / "archive")
    library = Library(Roots((base / "archive",), "--archive"), Config(), cache=base / "cache")
    library.update()
    return library


def test_a_prefix_over_thousands_of_words_finds_every_unit(library: Library) -> None:
    result = library.search("w*", limit=0)
    expected = POSTS * 5  # the items with w-words
    assert result.total == expected == len(result.hits)
    assert all(hit.item_title and hit.item_title.startswith("item") for hit in result.hits)


def test_not_a_prefix_stays_exact(library: Library) -> None:
    result = library.search("item -w*", limit=0)
    assert result.total == POSTS * 5 == len(result.hits)
    for hit in result.hits:
        number, item = re.findall(r"\d+", hit.item_title or "")[-2:]
        assert int(item) % 2 == 1, hit.item_title  # an item without w-words
