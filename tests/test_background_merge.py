"""`digest-tui index` commits the new posts, then folds small segments in a forked child
(index/search/merging.py): the same index as folding inline, the update's own work done first."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from digest_tui.index.library import Library
from digest_tui.index.paths import Config, Roots
from digest_tui.index.search import merging, update
from digest_tui.index.search.locking import IndexLock
from search_archive import AI, write_archive


def add_post(archive: Path, n: int) -> None:
    (archive / "ai" / f"2026-03-{n + 1:02d}-extra.md").write_text(
        AI.replace("2026-02-10", f"2026-03-{n + 1:02d}").replace("Claude", f"Modelo{n}"),
        encoding="utf-8",
    )


def segment_ids(lib: Library) -> list[str]:
    """The index's segments, once no writer (a merging child) holds its lock."""
    lock = IndexLock(lib.paths.lock)
    assert lock.acquire(60)
    try:
        store, view = update.open_checked(lib.paths, lib.roots)
    finally:
        lock.release()
    try:
        return [segment_id for segment_id, _count, _gone in view.segment_stats()]
    finally:
        store.close()
        view.close()


def found(lib: Library, query: str) -> set[str]:
    return {h.path for h in lib.search(query, limit=0).hits}


def new_library(tmp_path: Path, name: str) -> tuple[Library, Path]:
    archive = write_archive(tmp_path / name / "archive")
    lib = Library(Roots((archive,), "--archive"), Config(), cache=tmp_path / name / "cache")
    assert lib.update().rebuilt
    return lib, archive


def test_a_due_merge_is_left_to_the_child_and_gives_the_index_folding_inline_gives(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    handed: list[bool] = []

    def no_fork(paths: update.IndexPaths, roots: Roots, lock: object) -> bool:
        handed.append(lock is not None)
        return True  # as if a child took the lock over: this process lets go of it

    monkeypatch.setattr(merging, "merge_in_child", no_fork)
    monkeypatch.setattr(merging, "can_fork", lambda: True)  # whatever threads pytest runs
    later, later_archive = new_library(tmp_path, "later")
    inline, inline_archive = new_library(tmp_path, "inline")
    for n in range(12):
        add_post(later_archive, n)
        add_post(inline_archive, n)
        before = segment_ids(later)
        report = later.update(merge_after=True)
        assert report.added == 1 and inline.update().added == 1
        if report.merge_due:
            break
    else:
        pytest.fail("no merge came due in 12 one-post updates")
    assert handed == [True]
    # the update committed its post without folding anything: one more segment
    assert set(before) < set(segment_ids(later)) and len(segment_ids(later)) == len(before) + 1
    assert found(later, f"modelo{n}") == {f"ai/2026-03-{n + 1:02d}-extra.md"}

    assert merging.merge_now(later.paths, later.roots)  # what the child does
    later.reopen()
    assert len(segment_ids(later)) == len(segment_ids(inline)) < len(before)
    for query in ["claude", "tag:AI", "美联储", *(f"modelo{i}" for i in range(n + 1))]:
        assert found(later, query) == found(inline, query), query
    assert later.search("tag:AI", limit=0).total == inline.search("tag:AI", limit=0).total
    assert not merging.merge_now(later.paths, later.roots)  # nothing is due any more
    assert later.update().added == 0 and not later.update().rebuilt  # a whole index


def test_index_on_the_command_line_merges_in_a_child(
    run_cli, tmp_path: Path, isolated_dirs: dict[str, Path]
) -> None:
    archive = write_archive(tmp_path / "archive")
    assert run_cli("--archive", str(archive), "index").returncode == 0
    lib = Library(
        Roots((archive,), "--archive"), Config(), cache=isolated_dirs["cache"] / "digest-tui"
    )
    most = 0
    for n in range(12):
        add_post(archive, n)
        done = run_cli("--archive", str(archive), "index")
        assert done.returncode == 0 and "(1 added, 0 changed, 0 removed)" in done.stderr
        assert done.stdout == ""  # the child writes nothing where the parent's output went
        most = max(most, len(segment_ids(lib)))
    # the next writer waits for a child still merging, as for any writer
    assert run_cli("--archive", str(archive), "index").returncode == 0
    assert len(segment_ids(lib)) < most  # small segments were folded by the children
    searched = run_cli("--archive", str(archive), "search", "tag:AI", "--json")
    assert json.loads(searched.stdout)["total"] == 13 * 4  # every unit of the 13 AI posts
    for n in range(12):
        assert found(lib, f"modelo{n}") == {f"ai/2026-03-{n + 1:02d}-extra.md"}


def test_when_no_child_can_be_started_the_update_merges_itself(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(merging, "can_fork", lambda: True)
    monkeypatch.setattr(merging, "merge_in_child", lambda *args: False)  # fork failed
    lib, archive = new_library(tmp_path, "nofork")
    for n in range(12):
        add_post(archive, n)
        before = segment_ids(lib)
        report = lib.update(merge_after=True)
        if report.merge_due:
            break
    else:
        pytest.fail("no merge came due in 12 one-post updates")
    assert len(segment_ids(lib)) < len(before)  # folded before the update returned
    assert found(lib, f"modelo{n}") == {f"ai/2026-03-{n + 1:02d}-extra.md"}
