"""The content hash a build keeps for each post is the hash of the whole file (what an update
compares to see whether a post changed), though the build reads each file only once."""

from __future__ import annotations

from pathlib import Path

from digest_tui.index.archive import find_all
from digest_tui.index.parse.source import MAX_POST_BYTES
from digest_tui.index.search.units import file_hash, post_data

POST = """---
title: 金价走强
date: 2026-02-05
tags: [经济]
---
# 金价走强

## 黄金

- 现货黄金上涨。
"""


def test_a_built_posts_hash_is_its_whole_files_hash(tmp_path: Path) -> None:
    """Small posts and one beyond the size the parser reads (its tail is hashed too)."""
    (tmp_path / "2026-02-05-gold.md").write_text(POST, encoding="utf-8")
    (tmp_path / "2026-02-06-long.md").write_text(
        POST + "长" * (MAX_POST_BYTES // 3 + 10) + "\n末尾", encoding="utf-8"
    )
    (tmp_path / "2026-02-07-other.md").write_text(POST.replace("上涨", "下跌"), encoding="utf-8")
    files = find_all([tmp_path])
    hashes = {}
    for post_file in files:
        data, _warnings = post_data(post_file)
        assert data is not None
        assert data.hash == file_hash(post_file.full_path, post_file.root), post_file.path
        hashes[post_file.path] = data.hash
    assert len(set(hashes.values())) == 3
    long_file = tmp_path / "2026-02-06-long.md"
    long_file.write_text(long_file.read_text(encoding="utf-8")[:-1] + "尽", encoding="utf-8")
    (changed,) = [f for f in find_all([tmp_path]) if f.path == long_file.name]
    data, _warnings = post_data(changed)
    assert data is not None and data.hash != hashes[long_file.name]  # a change past the cap
