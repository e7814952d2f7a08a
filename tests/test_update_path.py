"""The daily update (issue 14): adding a post loads only what writing it needs, sees a post
edited in place, and keeps the index exactly as a rebuild would make it."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from digest_tui.index.library import Library
from digest_tui.index.paths import Config, Roots

REPO = Path(__file__).resolve().parents[1]
#: Modules an update has no use for: search's view of the index, what Whoosh would import
#: for a download helper and one cached property (index/search/lean_whoosh.py), and click (a
#: plain `index` is run without it: tui/cli/main.py).
NOT_FOR_AN_UPDATE = [
    "click",
    "digest_tui.index.search.view",
    "digest_tui.index.search.searcher",
    "urllib.request",
    "http.client",
    "ssl",
    "asyncio",
]


def _archive(tmp_path: Path) -> Path:
    archive = tmp_path / "archive"
    shutil.copytree(REPO / "sample_posts", archive)
    return archive


def _index_in_a_fresh_process(
    archive: Path, watched: list[str] = NOT_FOR_AN_UPDATE
) -> tuple[str, list[str]]:
    """`digest-tui index` in a new interpreter: its summary line and which of the `watched`
    modules it loaded."""
    code = (
        "import contextlib, io, json, sys\n"
        "from digest_tui.tui.cli.main import main\n"
        "err = io.StringIO()\n"
        "with contextlib.redirect_stderr(err):\n"
        f"    status = main(['--archive', {str(archive)!r}, 'index'])\n"
        f"print(json.dumps([status, err.getvalue(), [m for m in {watched!r}"
        " if m in sys.modules]]))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=os.environ.copy()
    )
    assert result.returncode == 0, result.stderr
    status, summary, loaded = json.loads(result.stdout)
    assert status == 0, summary
    return summary, loaded


def test_an_update_loads_only_what_writing_needs(
    tmp_path: Path,
) -> None:
    archive = _archive(tmp_path)
    summary, _loaded = _index_in_a_fresh_process(archive)  # the build
    assert "rebuilt the index" in summary
    summary, loaded = _index_in_a_fresh_process(archive, ["whoosh", *NOT_FOR_AN_UPDATE])
    assert "(0 added, 0 changed, 0 removed)" in summary, summary
    assert loaded == []  # nothing changed: the index is checked without opening Whoosh
    post = next(iter(sorted((archive / "ai").glob("*.md"))))
    added = archive / "ai" / "2026-12-30-added.md"
    added.write_text(
        post.read_text(encoding="utf-8").replace("2026-", "2027-", 1), encoding="utf-8"
    )
    summary, loaded = _index_in_a_fresh_process(archive)
    assert "(1 added, 0 changed, 0 removed)" in summary, summary
    assert loaded == []


def test_a_post_edited_in_place_is_seen_even_with_its_size_and_mtime_kept(
    tmp_path: Path,
) -> None:
    """Size and mtime decide only when both match; a post rewritten with the same size but a
    new mtime is read again, and its new words are found."""
    archive = _archive(tmp_path)
    library = Library(Roots((archive,), "test"), Config())
    library.update()
    post = sorted((archive / "econ").glob("*.md"))[0]
    text = post.read_text(encoding="utf-8")
    marker = "美联储"
    assert marker in text
    head, _marker, tail = text.rpartition(marker)  # its last mention: in the body
    edited = head + "欧央行" + tail  # the same number of bytes in UTF-8
    assert len(edited.encode()) == len(text.encode())
    info = post.stat()
    post.write_text(edited, encoding="utf-8")
    os.utime(post, ns=(info.st_atime_ns, info.st_mtime_ns + 1_000_000))
    report = library.update()
    assert (report.added, report.changed, report.removed) == (0, 1, 0)
    rel = post.relative_to(archive).as_posix()
    assert rel in {hit.path for hit in library.search("欧央行", limit=0).hits}
    touched = sorted((archive / "ai").glob("*.md"))[0]
    os.utime(touched, ns=(info.st_atime_ns, info.st_mtime_ns + 5_000_000))  # content kept
    report = library.update()
    assert (report.added, report.changed, report.removed) == (0, 0, 0)
    assert report.unchanged == len(list(archive.rglob("*.md")))
