"""Hostile archives, round two: a read-only cache with a complete index (issue 12, point 9).
`search` uses the last complete index, read-only, with a one-line notice; so does the reader."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest
from conftest import console_script
from digest_tui.index.library import Library
from digest_tui.index.paths import Config, Roots
from tui_helpers import write_post


@pytest.fixture
def place(tmp_path: Path) -> Path:
    for name in ("archive", "cache", "data", "config"):
        (tmp_path / name).mkdir()
    return tmp_path


def _run(base: Path, *args: str, read_only: bool = False) -> subprocess.CompletedProcess[str]:
    """Run the console script; with `read_only`, its cache folder cannot be written: made
    read-only, or, when root runs the tests (permissions do not bind root), mounted
    read-only in a mount namespace of the command's own (`unshare -m`)."""
    env = dict(os.environ)
    for name in ("cache", "data", "config"):
        env[f"XDG_{name.upper()}_HOME"] = str(base / name)
    command = [console_script(), "--archive", str(base / "archive"), *args]
    cache = str(base / "cache")
    if read_only and os.geteuid() == 0:
        script = 'mount --bind -o ro "$0" "$0" && exec "$@"'
        command = ["unshare", "-m", "sh", "-c", script, cache, *command]
    elif read_only:
        for path, _dirs, files in os.walk(cache):
            for name in files:
                os.chmod(os.path.join(path, name), 0o444)
            os.chmod(path, 0o555)
    try:
        return subprocess.run(command, capture_output=True, text=True, env=env, timeout=120)
    finally:
        for path, _dirs, files in os.walk(cache):
            os.chmod(path, 0o700)
            for name in files:
                os.chmod(os.path.join(path, name), 0o600)


def test_search_uses_the_last_complete_index_of_a_read_only_cache(place: Path) -> None:
    write_post(place / "archive", "2026-03-01-a.md", title="金价走强", date="2026-03-01")
    built = _run(place, "index")
    assert built.returncode == 0, built.stderr
    write_post(place / "archive", "2026-03-02-b.md", title="油价企稳", date="2026-03-02")
    found = _run(place, "search", "金价", "--json", read_only=True)
    assert found.returncode == 0, found.stderr
    assert {hit["path"] for hit in json.loads(found.stdout)["hits"]} == {"2026-03-01-a.md"}
    lines = found.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("digest-tui: notice: "), found.stderr
    assert "could not be updated" in lines[0] and "read-only" in lines[0]
    text = _run(place, "search", "金价", read_only=True)
    assert text.returncode == 0 and "2026-03-01-a.md" in text.stdout, text.stderr


def test_the_library_reports_a_read_only_cache_and_keeps_reading(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The reader's update path (Library.update), with the lock refused as on a read-only
    disk: a notice, and the last complete index still answers."""
    root = tmp_path / "archive"
    write_post(root, "2026-03-01-a.md", title="金价走强", date="2026-03-01")
    library = Library(Roots((root,), "--archive"), Config(), cache=tmp_path / "cache")
    library.update()
    from digest_tui.index.search import locking

    def refuse(self: locking.IndexLock) -> bool:
        raise OSError(30, "Read-only file system", str(self.path))

    monkeypatch.setattr(locking.IndexLock, "_try", refuse)
    report = library.update()
    assert report.busy is not None and "read-only" in report.busy
    assert {hit.path for hit in library.search("金价").hits} == {"2026-03-01-a.md"}
