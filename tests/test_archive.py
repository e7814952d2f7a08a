"""Finding posts: recursive, hidden folders skipped, special files and bad links never block."""

from __future__ import annotations

import os
from pathlib import Path

from digest_tui.index.archive import find_all, find_posts


def names(root: Path) -> list[str]:
    return [pf.path for pf in find_posts(root)]


def test_finds_markdown_recursively_and_skips_hidden(tmp_path: Path) -> None:
    (tmp_path / "a" / "b").mkdir(parents=True)
    (tmp_path / ".git").mkdir()
    (tmp_path / "top.md").write_text("x")
    (tmp_path / "a" / "b" / "deep.md").write_text("x")
    (tmp_path / "a" / "notes.txt").write_text("x")
    (tmp_path / ".git" / "hidden.md").write_text("x")
    (tmp_path / "a" / ".draft.md").write_text("x")
    assert names(tmp_path) == ["a/b/deep.md", "top.md"]


def test_special_files_are_skipped(tmp_path: Path) -> None:
    (tmp_path / "real.md").write_text("x")
    os.mkfifo(tmp_path / "fifo.md")
    (tmp_path / "folder.md").mkdir()
    (tmp_path / "dangling.md").symlink_to(tmp_path / "nowhere.md")
    (tmp_path / "loop").symlink_to(tmp_path)
    assert names(tmp_path) == ["real.md"]


def test_symlinks_never_lead_out_of_the_root(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    root = tmp_path / "root"
    outside.mkdir()
    root.mkdir()
    (outside / "secret.md").write_text("x")
    (root / "inside.md").write_text("x")
    (root / "escape.md").symlink_to(outside / "secret.md")
    (root / "escape-dir").symlink_to(outside)
    (root / "alias.md").symlink_to(root / "inside.md")
    assert names(root) == ["alias.md", "inside.md"]


def test_several_roots_and_a_missing_one(tmp_path: Path) -> None:
    (tmp_path / "one").mkdir()
    (tmp_path / "one" / "p.md").write_text("x")
    found = find_all([tmp_path / "one", tmp_path / "missing"])
    assert [(Path(pf.root).name, pf.path) for pf in found] == [("one", "p.md")]
