"""`digest-tui index` commits the new posts, then folds small segments in a forked child
(index/search/merging.py): the same index as folding inline, the update's own work done first."""

from __future__ import annotations

import json
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
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


def merge_done(paths: update.IndexPaths, timeout: float = 60.0) -> None:
    """Wait until no merging child holds the merge lock."""
    deadline = time.monotonic() + timeout
    while merging.merging_now(paths):
        assert time.monotonic() < deadline, "a merge did not end"
        time.sleep(0.05)


def segment_ids(lib: Library) -> list[str]:
    """The index's segments, once no merging child and no writer is at work."""
    merge_done(lib.paths)
    return lib_segments(lib)


def lib_segments(lib: Library) -> list[str]:
    """The index's segments, once no writer is at work."""
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

    def no_fork(paths: update.IndexPaths, roots: Roots) -> bool:
        lock = IndexLock(paths.lock)
        handed.append(lock.acquire(0))  # the update let go of the writers' lock first
        lock.release()
        return True  # as if a child was started

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


def test_the_merge_is_written_at_the_lowest_priority_and_swapped_in_at_the_usual_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The next update (or the reader) never shares a core with the merge on equal terms,
    and never waits for the lowest priority's turn for the writers' lock the swap holds."""
    archive = write_archive(tmp_path / "archive")
    lib = Library(Roots((archive,), "--archive"), Config(), cache=tmp_path / "cache")
    assert lib.update().rebuilt
    seen = tmp_path / "niceness"
    usual = os.nice(0)

    def prepare_merge(paths: update.IndexPaths, roots: Roots) -> object:
        seen.write_text(f"{os.nice(0)} ")  # in the forked child
        return object()

    def commit_merge(paths: update.IndexPaths, roots: Roots, prepared: object) -> bool:
        seen.write_text(seen.read_text() + str(os.nice(0)))
        return False

    monkeypatch.setattr(merging, "can_fork", lambda: True)
    monkeypatch.setattr(merging, "prepare_merge", prepare_merge)
    monkeypatch.setattr(merging, "commit_merge", commit_merge)
    assert merging.merge_in_child(lib.paths, lib.roots)
    merge_done(lib.paths)
    assert seen.read_text().split() == [str(merging.MERGE_NICENESS), str(usual)]


def due_library(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Library, Path, int]:
    """A library whose last `index` left a merge due (no child started: the test runs it)."""
    monkeypatch.setattr(merging, "can_fork", lambda: True)
    monkeypatch.setattr(merging, "merge_in_child", lambda *args: True)  # as if started
    lib, archive = new_library(tmp_path, "aside")
    for n in range(12):
        add_post(archive, n)
        if lib.update(merge_after=True).merge_due:
            return lib, archive, n
    pytest.fail("no merge came due in 12 one-post updates")


@contextmanager
def as_the_merging_child(lib: Library) -> Iterator[None]:
    """Hold the merge lock, as the child does from before it starts until it ends."""
    fd = merging.take_merge_lock(lib.paths)
    assert fd is not None
    try:
        yield
    finally:
        os.close(fd)


@contextmanager
def merge_prepared(lib: Library) -> Iterator[merging.Prepared]:
    """A merge written aside, as the child writes it, the merge lock still held."""
    with as_the_merging_child(lib):
        prepared = merging.prepare_merge(lib.paths, lib.roots)
        assert prepared is not None
        yield prepared


def test_a_merge_written_aside_keeps_the_segment_an_update_added_meanwhile(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    lib, archive, n = due_library(tmp_path, monkeypatch)
    before = segment_ids(lib)
    with merge_prepared(lib) as prepared:  # no writers' lock held: others write
        assert set(prepared.folded) <= set(before)
        lock = IndexLock(lib.paths.lock)
        assert lock.acquire(0)  # the merge left the writers' lock free while writing
        lock.release()
        add_post(archive, 20)  # an update commits while the merge is being written
        assert lib.update(merge_after=True).added == 1
        added = [s for s in lib_segments(lib) if s not in before]
        assert len(added) == 1
        assert merging.commit_merge(lib.paths, lib.roots, prepared)
    after = segment_ids(lib)
    assert after[-1] == added[0]  # the newer segment kept, after the merged one
    assert len(after) == len(before) - len(prepared.folded) + 2
    lib.reopen()
    for i in [*range(n + 1), 20]:
        assert found(lib, f"modelo{i}") == {f"ai/2026-03-{i + 1:02d}-extra.md"}
    assert lib.search("tag:AI", limit=0).total == (n + 3) * 4  # every unit, once
    report = lib.update()
    assert report.added == 0 and not report.rebuilt  # the store recorded the swap: a whole index


def test_a_merge_whose_segments_lost_documents_meanwhile_is_abandoned(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    lib, archive, n = due_library(tmp_path, monkeypatch)
    with merge_prepared(lib) as prepared:
        (archive / "ai" / "2026-03-01-extra.md").unlink()  # its units are in a merged segment
        assert lib.update(merge_after=True).removed == 1
        before = lib_segments(lib)
        assert not merging.commit_merge(lib.paths, lib.roots, prepared)  # would bring it back
    assert segment_ids(lib) == before
    lib.reopen()
    assert found(lib, "modelo0") == set()
    assert found(lib, f"modelo{n}") == {f"ai/2026-03-{n + 1:02d}-extra.md"}
    assert not lib.update().rebuilt


def test_a_merge_killed_while_swapping_in_leaves_a_whole_index(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    lib, _archive, n = due_library(tmp_path, monkeypatch)
    before = segment_ids(lib)
    with as_the_merging_child(lib):
        prepared = merging.prepare_merge(lib.paths, lib.roots)
    assert prepared is not None

    def killed(*args: object) -> None:
        raise SystemExit("killed after moving the files, before the table of contents")

    import whoosh.index

    monkeypatch.setattr(whoosh.index.TOC, "write", killed)
    with pytest.raises(SystemExit):
        merging.commit_merge(lib.paths, lib.roots, prepared)
    monkeypatch.undo()
    assert segment_ids(lib) == before
    report = lib.update()
    assert not report.rebuilt and report.notice is None
    lib.reopen()
    assert found(lib, f"modelo{n}") == {f"ai/2026-03-{n + 1:02d}-extra.md"}


def test_one_merge_at_a_time_and_its_folder_is_left_alone_while_it_runs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    lib, archive, _n = due_library(tmp_path, monkeypatch)
    monkeypatch.undo()
    fd = merging.take_merge_lock(lib.paths)  # a merge is running
    assert fd is not None
    try:
        lib.paths.merging.mkdir()
        assert merging.merging_now(lib.paths)
        assert merging.merge_in_child(lib.paths, lib.roots)  # none started: one runs
        add_post(archive, 20)
        assert lib.update(merge_after=True).added == 1
        assert lib.paths.merging.is_dir()  # an update does not clean it away
    finally:
        os.close(fd)
    assert not merging.merging_now(lib.paths)
    add_post(archive, 21)
    assert lib.update().added == 1
    assert not lib.paths.merging.exists()  # a merge killed midway: its folder is removed


def test_a_merge_does_not_record_an_index_file_damaged_meanwhile(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    lib, _archive, _n = due_library(tmp_path, monkeypatch)
    with merge_prepared(lib) as prepared:
        damaged = sorted(lib.paths.whoosh.glob("*.trm"))[0]
        with damaged.open("ab") as handle:
            handle.write(b"\0" * 16)
        assert not merging.commit_merge(lib.paths, lib.roots, prepared)
    report = lib.update()
    assert report.rebuilt and report.notice  # the damage was not hidden by the merge


def _damage_small_segments_text(lib: Library, word: str) -> None:
    """Overwrite `word` in the stored text of every segment but the largest, keeping each
    file's size and mtime: only its checksum can tell."""
    texts = sorted(lib.paths.whoosh.glob("*.text.col"), key=lambda p: p.stat().st_size)
    for path in texts[:-1]:
        info = path.stat()
        data = path.read_bytes()
        assert word.encode() in data
        path.write_bytes(data.replace(word.encode(), b"x" * len(word.encode())))
        os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns))


@pytest.mark.parametrize("merged_by", ["the update", "the merging child"])
def test_a_merge_never_folds_a_damaged_segment_into_a_sound_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, merged_by: str
) -> None:
    """An update reads the checksums of the files only of the segments it folds (the other
    files keep theirs, which the next search reads): a fold would carry damage into a segment
    recorded as sound."""
    lib, archive, _n = due_library(tmp_path, monkeypatch)
    monkeypatch.undo()
    every = found(lib, "编程测试")
    _damage_small_segments_text(lib, "编程测试")
    if merged_by == "the merging child":
        with pytest.raises(update.IndexDamaged):
            merging.merge_now(lib.paths, lib.roots)
    else:
        add_post(archive, 20)
        report = lib.update()  # folds inline
        assert report.rebuilt and report.notice
    lib.reopen()
    assert found(lib, "编程测试") >= every  # the damaged text was not indexed
    assert lib.update().notice is None


def test_damage_in_a_segment_an_update_keeps_is_found_by_the_next_search(
    tmp_path: Path,
) -> None:
    archive = write_archive(tmp_path / "archive")
    notices: list[str] = []
    lib = Library(
        Roots((archive,), "--archive"), Config(), cache=tmp_path / "cache", notice=notices.append
    )
    assert lib.update().rebuilt
    every = found(lib, "编程测试")
    texts = sorted(lib.paths.whoosh.glob("*.text.col"), key=lambda p: p.stat().st_size)
    info = texts[-1].stat()
    data = texts[-1].read_bytes()
    texts[-1].write_bytes(data.replace("编程测试".encode(), b"x" * len("编程测试".encode())))
    os.utime(texts[-1], ns=(info.st_atime_ns, info.st_mtime_ns))
    add_post(archive, 0)
    report = lib.update()
    assert report.added == 1 or report.rebuilt  # added, or rebuilt because of the damage
    lib.reopen()
    assert found(lib, "编程测试") == every | {"ai/2026-03-01-extra.md"}
    assert len(notices) == 1, notices  # the damage is said, once
    assert not lib.update().rebuilt
