"""Faults: a killed build, two builds at once, a stale lock, a damaged index. Each ends with a
complete, correct index and no traceback; a planted pickle never runs."""

from __future__ import annotations

import json
import os
import pickle
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pytest
from conftest import SAMPLE_POSTS, console_script
from digest_tui.index.library import Library
from digest_tui.index.paths import Config, Roots
from digest_tui.index.search.locking import IndexLock

pytestmark = pytest.mark.timeout(120)
QUERY = "黄金 OR 美元 OR AI OR 模型"


def make_archive(root: Path, copies: int) -> Path:
    for n in range(copies):
        folder = root / f"copy{n:02d}"
        folder.mkdir(parents=True)
        for source in sorted(SAMPLE_POSTS.rglob("*.md")):
            (folder / source.name).write_text(
                source.read_text(encoding="utf-8") + f"\n\n副本{n} faulttoken{n}\n",
                encoding="utf-8",
            )
    return root


def command(cache: Path, root: Path, *args: str) -> list[str]:
    return [console_script(), "--archive", str(root), *args]


def env(cache: Path) -> dict[str, str]:
    return {**os.environ, "XDG_CACHE_HOME": str(cache)}


def run(cache: Path, root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        command(cache, root, *args), env=env(cache), capture_output=True, text=True, timeout=90
    )


def hits(cache: Path, root: Path) -> list[tuple[str, str]]:
    done = run(cache, root, "search", "--json", "--limit", "0", QUERY)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    return sorted((h["path"], h["item_id"] or "") for h in json.loads(done.stdout)["hits"])


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_archive(tmp_path_factory.mktemp("faults") / "archive", copies=4)


@pytest.fixture(scope="module")
def reference(
    archive: Path, tmp_path_factory: pytest.TempPathFactory
) -> tuple[Path, list[tuple[str, str]]]:
    """A good index of the archive (to copy) and the results of a clean build."""
    cache = tmp_path_factory.mktemp("good-cache")
    assert run(cache, archive, "index").returncode == 0
    return cache, hits(cache, archive)


def test_a_build_killed_midway_is_completed_by_the_next_run(tmp_path: Path) -> None:
    root = make_archive(tmp_path / "big", copies=12)
    cache = tmp_path / "cache"
    clean = tmp_path / "clean"
    assert run(clean, root, "index").returncode == 0
    killed = 0
    for delay in (0.4, 0.8, 1.2):
        process = subprocess.Popen(
            command(cache, root, "index", "--rebuild"),
            env=env(cache),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        time.sleep(delay)
        if process.poll() is None:
            process.send_signal(signal.SIGKILL)
            killed += 1
        process.communicate()
        done = run(cache, root, "index")
        assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr
        assert not [p for p in cache.rglob("*") if ".build-" in p.name or ".tmp" in p.name]
    assert killed, "every build finished before it could be killed"
    assert hits(cache, root) == hits(clean, root)


def test_two_builds_at_once_both_end_with_a_complete_index(
    archive: Path, reference, tmp_path: Path
) -> None:
    cache = tmp_path / "cache"
    first = subprocess.Popen(
        command(cache, archive, "index", "--rebuild"),
        env=env(cache),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    second = subprocess.Popen(
        command(cache, archive, "index"),
        env=env(cache),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    for process in (first, second):
        _out, err = process.communicate(timeout=90)
        assert process.returncode == 0 and "Traceback" not in err, err
    assert hits(cache, archive) == reference[1]


def test_a_stale_lock_does_not_block(archive: Path, reference, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    shutil.copytree(reference[0], cache)
    (lock,) = (cache / "digest-tui").glob("*.lock")
    lock.write_text("999999 0\n")  # left by a process that no longer exists
    started = time.monotonic()
    done = run(cache, archive, "index")
    assert done.returncode == 0 and time.monotonic() - started < 30
    assert hits(cache, archive) == reference[1]


def test_a_busy_index_is_read_as_last_committed(archive: Path, reference, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    shutil.copytree(reference[0], cache)
    library = Library(
        Roots((archive,), "--archive"), Config(), cache=cache / "digest-tui", lock_wait=0.2
    )
    holder = IndexLock(library.paths.lock)
    assert holder.acquire()
    try:
        report = library.update()
        assert report.busy and "using the last complete one" in report.busy
        assert library.search("黄金", limit=0).total > 0
    finally:
        holder.release()
    assert not library.update().busy


class Plant:
    """Unpickling this would create `marker` (what a crafted index file would try)."""

    def __init__(self, marker: str) -> None:
        self.marker = marker

    def __reduce__(self):
        return (open, (self.marker, "w"))


def damage_toc(folder: Path, marker: Path) -> None:
    (toc,) = folder.glob("*.toc")
    data = toc.read_bytes()
    toc.write_bytes(data[:40] + pickle.dumps(Plant(str(marker)), 2) + data[40:])


def truncate_postings(folder: Path, _marker: Path) -> None:
    for postings in folder.glob("*.pst"):
        postings.write_bytes(postings.read_bytes()[: postings.stat().st_size // 3])


def garbage_terms(folder: Path, _marker: Path) -> None:
    for terms in folder.glob("*.trm"):
        info = terms.stat()
        terms.write_bytes(os.urandom(info.st_size))
        os.utime(terms, ns=(info.st_atime_ns, info.st_mtime_ns))  # same size and mtime


def planted_column(folder: Path, marker: Path) -> None:
    for column in folder.glob("*uid.col"):
        info = column.stat()
        planted = pickle.dumps(Plant(str(marker)))
        column.write_bytes((planted + bytes(info.st_size))[: info.st_size])
        os.utime(column, ns=(info.st_atime_ns, info.st_mtime_ns))


@pytest.mark.parametrize("damage", [damage_toc, truncate_postings, garbage_terms, planted_column])
def test_a_damaged_index_is_rebuilt_with_one_notice(
    archive: Path, reference, tmp_path: Path, damage
) -> None:
    cache = tmp_path / "cache"
    shutil.copytree(reference[0], cache)
    (folder,) = [p for p in (cache / "digest-tui").iterdir() if p.is_dir()]
    marker = tmp_path / "marker"
    damage(folder / "whoosh", marker)
    done = run(cache, archive, "search", "--json", "--limit", "0", QUERY)
    assert done.returncode == 0, done.stderr
    notices = [line for line in done.stderr.splitlines() if line]
    assert len(notices) == 1 and notices[0].startswith("digest-tui: notice: "), done.stderr
    assert (
        sorted((h["path"], h["item_id"] or "") for h in json.loads(done.stdout)["hits"])
        == reference[1]
    )
    assert not marker.exists()
    assert hits(cache, archive) == reference[1]


def test_a_full_disk_is_not_damage(
    archive: Path, reference, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An update the disk refuses raises (no rebuild, no notice of damage); the last index
    still answers, and the next update is an ordinary incremental one."""
    import errno

    from digest_tui.index.search import segments

    cache = tmp_path / "cache"
    shutil.copytree(reference[0], cache)
    notices: list[str] = []
    library = Library(
        Roots((archive,), "--archive"), Config(), cache=cache / "digest-tui", notice=notices.append
    )
    added = archive / "copy00" / "2026-12-31-disk-full.md"
    added.write_text("---\ntitle: 满盘\n---\n黄金 满盘\n", encoding="utf-8")
    try:

        def refuse(*_args: object, **_kwargs: object) -> None:
            raise OSError(errno.ENOSPC, "No space left on device")

        with monkeypatch.context() as patch:
            patch.setattr(segments.UnitWriter, "commit", refuse)
            with pytest.raises(OSError, match="No space"):
                library.update()
        assert notices == [] and library.search("满盘").total == 0
        assert (
            sorted((h.path, h.item_id or "") for h in library.search(QUERY, limit=0).hits)
            == reference[1]
        )
        report = library.update()
        assert (report.added, report.rebuilt) == (1, False)
        assert library.search("满盘").total >= 1
    finally:
        added.unlink()
        library.close()
