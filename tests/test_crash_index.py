"""Faults cost nothing: `digest-tui index` killed at any moment, a full disk, two processes at
once. Each time the next run works (no stale lock, no traceback, at most a one-line notice)
and finds exactly what a clean rebuild finds."""

from __future__ import annotations

import json
import os
import random
import re
import resource
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pytest
from conftest import SAMPLE_POSTS, console_script

pytestmark = pytest.mark.timeout(180)

QUERIES = ["黄金 OR 美元", "AI -模型", "crashtoken*"]


def crash_archive(root: Path, copies: int) -> Path:
    """`copies` renamed copies of the sample posts: enough that indexing takes a while."""
    sources = sorted(SAMPLE_POSTS.rglob("*.md"))
    for n in range(copies):
        folder = root / f"copy{n:02d}"
        folder.mkdir(parents=True)
        for source in sources:
            text = source.read_text(encoding="utf-8")
            (folder / source.name).write_text(
                text + f"\n\ncrashtoken{n} 副本{n}\n", encoding="utf-8"
            )
    return root


def run(
    cache: Path, root: Path, *args: str, limit_bytes: int | None = None, timeout: float = 90
) -> subprocess.CompletedProcess[str]:
    """The console script with its cache in `cache`; `limit_bytes` simulates a full disk."""

    def full_disk() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # writes fail with EFBIG instead
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit_bytes, limit_bytes))

    env = {**os.environ, "XDG_CACHE_HOME": str(cache)}
    return subprocess.run(
        [console_script(), "--archive", str(root), *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        preexec_fn=full_disk if limit_bytes is not None else None,
    )


def start(cache: Path, root: Path, *args: str) -> subprocess.Popen[str]:
    env = {**os.environ, "XDG_CACHE_HOME": str(cache)}
    return subprocess.Popen(
        [console_script(), "--archive", str(root), *args],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )


def hits(cache: Path, root: Path) -> dict[str, list[tuple[str, str]]]:
    """The hit set of every query in QUERIES (sorted), via `search --json --limit 0`."""
    result: dict[str, list[tuple[str, str]]] = {}
    for query in QUERIES:
        done = run(cache, root, "search", "--json", "--limit", "0", query)
        assert done.returncode == 0, done.stderr
        assert_calm(done.stderr)
        data = json.loads(done.stdout)
        assert data["total"] == len(data["hits"])
        result[query] = sorted((h["path"], h["item_id"] or "") for h in data["hits"])
    return result


def clean_rebuild(tmp_path: Path, root: Path) -> dict[str, list[tuple[str, str]]]:
    """The hit sets a clean rebuild gives (in-process, in a fresh cache folder)."""
    from digest_tui.index.library import Library
    from digest_tui.index.paths import Config, Roots

    cache = tmp_path / "clean-cache"
    shutil.rmtree(cache, ignore_errors=True)
    library = Library(Roots((root,), "--archive"), Config(), cache=cache)
    try:
        library.update(rebuild=True)
        return {
            query: sorted(
                (hit.path, hit.item_id or "") for hit in library.search(query, limit=0).hits
            )
            for query in QUERIES
        }
    finally:
        library.close()


def assert_calm(stderr: str) -> None:
    """No traceback; at most one notice line; everything else is a warning or a summary."""
    assert "Traceback" not in stderr, stderr
    notices = [line for line in stderr.splitlines() if line.startswith("digest-tui: notice")]
    assert len(notices) <= 1, stderr
    for line in stderr.splitlines():
        assert line.startswith(
            ("digest-tui: warning: ", "digest-tui: notice: ", "indexed ", "rebuilt ")
        ), line


def assert_no_strays(cache: Path) -> None:
    """Nothing left behind by a killed build once a run has completed."""
    strays = [
        p.name for p in cache.rglob("*") if re.search(r"\.(build|old)-\d+$|\.tmp$|\.ctmp$", p.name)
    ]
    assert strays == [], strays


def group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    return True


def kill_after(proc: subprocess.Popen[str], delay: float) -> bool:
    """SIGKILL the main process after `delay` s (if it has not finished); True if killed.

    Only the main process is killed, as the OOM killer or `kill -9 PID` would; helper
    processes it started must then go away by themselves.
    """
    try:
        proc.wait(timeout=delay)
        return False
    except subprocess.TimeoutExpired:
        pass
    os.kill(proc.pid, signal.SIGKILL)
    proc.communicate()
    deadline = time.monotonic() + 5
    while group_alive(proc.pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    orphans = group_alive(proc.pid)
    if orphans:
        os.killpg(proc.pid, signal.SIGKILL)
    assert not orphans, "helper processes outlived the killed indexer (they may hold the lock)"
    return True


def test_index_killed_at_many_points(tmp_path: Path) -> None:
    root = crash_archive(tmp_path / "archive", copies=8)
    cache = tmp_path / "cache"
    rng = random.Random(20260205)
    killed = 0
    for round_number in range(4):
        # give every run real work: change, add and remove posts between the kills
        victim = sorted(root.rglob("*.md"))[round_number * 7]
        victim.write_text(
            victim.read_text(encoding="utf-8") + f"\ncrashtoken{round_number}x\n", encoding="utf-8"
        )
        (root / f"copy{round_number:02d}" / f"2026-12-{round_number + 1:02d}-new.md").write_text(
            f"---\ntitle: 新增 {round_number}\n---\n黄金 crashtokennew{round_number}\n",
            encoding="utf-8",
        )
        sorted(root.rglob("*.md"))[-1 - round_number].unlink()
        args = ["index", "--rebuild"] if round_number % 2 else ["index"]
        killed += kill_after(start(cache, root, *args), rng.uniform(0.05, 1.6))
        began = time.monotonic()
        done = run(cache, root, "index")
        assert time.monotonic() - began < 20, "the next run was blocked (a stale lock?)"
        assert done.returncode == 0, done.stderr
        assert_calm(done.stderr)
        assert_no_strays(cache)
    assert killed >= 3, "the indexer finished before most kills: make the archive larger"
    assert hits(cache, root) == clean_rebuild(tmp_path, root)


def assert_full_disk_error(done: subprocess.CompletedProcess[str]) -> None:
    """A write that fails for want of space: success, or one clear error line, exit 1."""
    assert "Traceback" not in done.stderr
    if done.returncode == 0:
        return
    assert done.returncode == 1, done.stderr
    errors = [line for line in done.stderr.splitlines() if line.startswith("digest-tui: error")]
    assert len(errors) == 1, done.stderr
    assert "unexpected" not in errors[0], errors[0]
    assert len(done.stderr.strip().splitlines()) <= 2, done.stderr  # and at most a notice


def test_full_disk_is_an_error_then_the_next_run_recovers(tmp_path: Path) -> None:
    root = crash_archive(tmp_path / "archive", copies=1)
    cache = tmp_path / "cache"
    for limit in (0, 4096):
        assert_full_disk_error(run(cache, root, "index", "--rebuild", limit_bytes=limit))
    # an incremental update on a full disk, over a complete index: the index is kept
    assert run(cache, root, "index").returncode == 0
    (root / "copy00" / "2026-12-31-added.md").write_text(
        "---\ntitle: 满盘\n---\n黄金 满盘\n", encoding="utf-8"
    )
    assert_full_disk_error(run(cache, root, "index", limit_bytes=4096))
    done = run(cache, root, "index")
    assert done.returncode == 0, done.stderr
    assert_calm(done.stderr)
    assert "1 added" in done.stderr and "rebuilt" not in done.stderr  # not discarded
    assert_no_strays(cache)
    assert hits(cache, root) == clean_rebuild(tmp_path, root)


def test_search_on_a_full_disk_answers_from_the_last_index(tmp_path: Path) -> None:
    root = crash_archive(tmp_path / "archive", copies=1)
    cache = tmp_path / "cache"
    assert run(cache, root, "index").returncode == 0
    (root / "copy00" / "2026-12-31-added.md").write_text(
        "---\ntitle: 满盘\n---\n黄金 满盘\n", encoding="utf-8"
    )
    done = run(cache, root, "search", "--json", "--limit", "0", "黄金", limit_bytes=0)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["total"] > 0
    assert len(done.stderr.strip().splitlines()) == 1  # one notice: the index is not current


def test_two_processes_at_once(tmp_path: Path) -> None:
    root = crash_archive(tmp_path / "archive", copies=3)
    cache = tmp_path / "cache"
    first = start(cache, root, "index", "--rebuild")
    time.sleep(0.2)
    second = start(cache, root, "index", "--rebuild")
    searching = start(cache, root, "search", "--json", "--limit", "0", "黄金")
    outputs = [proc.communicate(timeout=120) for proc in (first, second, searching)]
    for proc, (_out, err) in zip((first, second, searching), outputs, strict=True):
        assert proc.returncode == 0, err
        assert_calm(err)
    assert json.loads(outputs[2][0])["total"] > 0
    assert hits(cache, root) == clean_rebuild(tmp_path, root)
