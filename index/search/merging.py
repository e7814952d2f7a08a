"""Folding small segments after an update, off the update's own time: `merge_in_child`.

An update writes its posts in a new segment and, every few updates, folds the small segments
into it (`update.choose_merge`): re-adding their units costs as much again as the update
itself. `digest-tui index` therefore commits the new posts first (they are searchable when
it returns) and leaves the folding to a forked child, which does the merge the update would
have done, and exits. As Lucene merges, the child writes the merged segment aside, in
`<index>.merging/`, WITHOUT the writers' lock (`prepare_merge`): the next update does not wait
for it, nor share a core with it on equal terms (on Linux the merge is written by a thread at
the lowest priority, `MERGE_NICENESS`; the swap, which holds the lock an update may wait for,
keeps the usual one). Then, under the lock and briefly (`commit_merge`), it moves the merged
segment's files into the index and writes a table of contents that replaces only the segments
it merged, keeping every segment added meanwhile where it is. When a merged segment is gone or had
documents deleted meanwhile (an update changed or removed a post; the reader folded it), the
merge is abandoned: the next update's merge does it again.

One merge at a time: the child holds `<index>.merging.lock` (an flock that dies with it) from
before it starts until it ends; an update finding it held starts none. Crash-safety: a child
killed while writing aside leaves only the aside folder (removed by the next update once the
merge lock is free); killed while moving the files, the index's table of contents does not
name them (Whoosh's next commit deletes them); killed after the new table of contents but
before the store recorded it, the generations differ and the next update rebuilds, as after
any interrupted update. Where there is no `fork`, or other threads run (the reader), the
update folds inline as before (`merge_now`).
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from ..paths import Roots, private_dir
from .locking import merging_now, take_merge_lock
from .update import (
    IndexPaths,
    check_segments,
    choose_merge,
    compact,
    folded_segments,
    open_for_update,
    open_segments,
)

T = TypeVar("T")

#: How long a merged segment waits for the writers' lock before it is abandoned.
COMMIT_WAIT_S = 120.0


def can_fork() -> bool:
    """A child can be forked safely: a POSIX system other than macOS (where a forked child
    may not use system frameworks), and this the only thread."""
    return hasattr(os, "fork") and sys.platform != "darwin" and threading.active_count() == 1


def merge_in_child(paths: IndexPaths, roots: Roots) -> bool:
    """Fork a child that merges the index's small segments (called once this process let go
    of the writers' lock); True when it was started or another merge is running, False when
    this process should merge inline."""
    if not can_fork():
        return False
    fd = take_merge_lock(paths)
    if fd is None:
        return merging_now(paths)
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):
            pass
    try:
        pid = os.fork()
    except OSError:
        os.close(fd)
        return False
    if pid == 0:  # the child: never returns
        status = 1
        try:
            _detach()
            from .locking import close_inherited

            close_inherited()
            merge_aside(paths, roots)
            status = 0
        finally:
            os._exit(status)
    os.close(fd)  # the child's copy keeps the merge lock until it ends
    return True


def _detach() -> None:
    """Leave the parent's session and its output: whoever waits for the parent's output
    (a pipe) or its terminal (a signal) is not held up by the merge."""
    os.setsid()
    null = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(null, fd)
    os.close(null)


#: The niceness of the thread writing a merge: the lowest priority, so that the next update
#: (or the reader) is never slowed by sharing a core with it; it takes the time no one wants.
MERGE_NICENESS = 19


def _at_lowest_priority(work: Callable[[], T]) -> T:
    """`work()`, run at the lowest CPU priority where a thread has its own (Linux: a thread
    of that priority runs it, and this one keeps its own for the swap that follows, which
    holds the writers' lock: at the lowest priority on a busy machine, the update waiting
    for that lock would wait for it too). Elsewhere `work()` as it is."""
    if not sys.platform.startswith("linux"):
        return work()
    done: list[T] = []
    failed: list[BaseException] = []

    def run() -> None:
        try:
            os.nice(MERGE_NICENESS)  # this thread's niceness alone, on Linux
        except OSError:
            pass
        try:
            done.append(work())
        except BaseException as exc:  # raised again in the calling thread
            failed.append(exc)

    thread = threading.Thread(target=run, name="digest-tui merge")
    thread.start()
    thread.join()
    if failed:
        raise failed[0]
    return done[0]


@dataclass(frozen=True)
class Prepared:
    """A merged segment written aside, and what it replaces."""

    segment: Any  # a whoosh Segment, its files in `folder`
    folder: Path
    folded: dict[str, frozenset[int]]
    """The id of every segment merged, with its deleted documents when it was read."""
    before: tuple[str, ...]
    """The ids of the segments of the generation the merge read, in order."""


class _Aside:
    """A Whoosh index as a writer sees it (its table of contents, its schema) whose new
    segment is written in another folder."""

    def __init__(self, ix: Any, folder: Path) -> None:
        from whoosh.filedb.filestore import FileStorage

        self.storage = FileStorage(str(folder))
        self.indexname = ix.indexname
        self._toc = ix._read_toc()

    def _read_toc(self) -> Any:
        return self._toc


def merge_aside(paths: IndexPaths, roots: Roots) -> bool:
    """The child's work: prepare a merge without the writers' lock, commit it under the lock
    (waiting for an update in progress); True when a merge was committed."""
    prepared = None
    try:
        prepared = _at_lowest_priority(lambda: prepare_merge(paths, roots))
        return prepared is not None and commit_merge(paths, roots, prepared)
    finally:
        shutil.rmtree(paths.merging, ignore_errors=True)


def prepare_merge(paths: IndexPaths, roots: Roots) -> Prepared | None:
    """Write the segment that folds the segments due (`compact`, as the last update would
    have folded them) in `paths.merging`; None when nothing is due. Holds no lock: another
    update may commit meanwhile (`commit_merge` sorts that out)."""
    from .build import Writing
    from .segments import UnitWriter, open_index
    from .update import open_store
    from .update_view import SegmentsView

    shutil.rmtree(paths.merging, ignore_errors=True)
    private_dir(paths.merging)
    store = open_store(paths, roots)
    try:
        view = SegmentsView(open_index(paths.whoosh))
        try:
            stats = view.segment_stats()
            deleted = {
                reader.segment().segment_id(): gone for reader, _base, _n, gone in view._leaves
            }
            writer = UnitWriter(_Aside(view.ix, paths.merging), lock=False)
            try:
                kept, _due = compact(view, Writing(store, writer, 0, 0), set(), last_is_new=True)
                if len(kept) == len(stats):
                    writer.cancel()
                    return None
                check_segments(paths, store, folded_segments(view, kept))
                segment = writer.finish_segment()
            except BaseException:
                if not writer.is_closed:
                    writer.cancel()
                raise
        finally:
            view.close()
    finally:
        store.close()
    before = tuple(segment_id for segment_id, _count, _gone in stats)
    folded = {s: deleted[s] for s in before if s not in kept}
    return Prepared(segment, paths.merging, folded, before)


def commit_merge(
    paths: IndexPaths, roots: Roots, prepared: Prepared, wait_s: float = COMMIT_WAIT_S
) -> bool:
    """Under the writers' lock: swap the prepared segment in for the segments it merged, if
    they are all still there as they were; True when committed, False when abandoned."""
    from .index_files import file_stats
    from .locking import IndexLock

    prefix = prepared.segment.segment_id() + "."
    names = [name for name in os.listdir(prepared.folder) if name.startswith(prefix)]
    # the checksums of the merged segment's files, read before the lock is taken: moving a
    # file keeps its size and mtime, so the store records them without reading them again
    stats = {name: file_stats(prepared.folder / name) for name in names}
    lock = IndexLock(paths.lock)
    if not lock.acquire(wait_s):
        return False
    try:
        return _swap(paths, roots, prepared, stats)
    finally:
        lock.release()


def _swap(
    paths: IndexPaths, roots: Roots, prepared: Prepared, stats: dict[str, list[int] | None]
) -> bool:
    from whoosh.index import TOC, clean_files

    from .build import whoosh_files
    from .segments import open_index
    from .update import open_store

    # the store of this index, of the generation on disk, its files as it recorded them (by
    # size and mtime: their checksums are the next update's to read, the swap holds the
    # writers' lock as briefly as it can)
    store = open_store(paths, roots)
    try:
        ix = open_index(paths.whoosh)
        toc = ix._read_toc()
        if str(toc.generation) != store.get_meta("generation"):
            return False
        now = {segment.segment_id(): segment for segment in toc.segments}
        for segment_id, deleted in prepared.folded.items():
            segment = now.get(segment_id)
            if segment is None or frozenset(segment.deleted_docs()) != deleted:
                return False  # merged or changed meanwhile: this merge is out of date
        checked: dict[str, list[int]] = json.loads(store.get_meta("files") or "{}")
        for name, recorded in checked.items():  # a file changed: the next update rebuilds
            try:
                info = os.stat(paths.whoosh / name, follow_symlinks=False)
            except OSError:
                return False
            if recorded[:2] != [info.st_size, info.st_mtime_ns]:
                return False
        for name in stats:
            os.replace(prepared.folder / name, paths.whoosh / name)
        kept = [s for s in toc.segments if s.segment_id() not in prepared.folded]
        older = [s for s in kept if s.segment_id() in prepared.before]
        newer = [s for s in kept if s.segment_id() not in prepared.before]
        segments = [*older, prepared.segment, *newer]  # where folding inline would put it
        generation = toc.generation + 1
        TOC(toc.schema, segments, generation).write(ix.storage, ix.indexname)
        clean_files(ix.storage, ix.indexname, generation, segments)
        checked.update({name: found for name, found in stats.items() if found is not None})
        store.set_meta("generation", str(generation))
        store.set_meta("files", json.dumps(whoosh_files(paths.whoosh, checked)))
        store.commit()
        return True
    finally:
        store.close()


def merge_now(paths: IndexPaths, roots: Roots) -> bool:
    """Fold the small segments the merge policy says are due, with nothing new to add,
    inline (the caller holds the writers' lock); True when a merge was committed."""
    from .build import Writing, record_commit
    from .segments import UnitWriter, keep_segments

    store = open_for_update(paths, roots)
    try:
        checked = json.loads(store.get_meta("files") or "{}")
        view = open_segments(paths, store)
        try:
            writer = UnitWriter(view.ix)
            try:
                writing = Writing(store, writer, *store.next_ids())
                segments = len(view.segment_stats())
                kept, _due = compact(view, writing, set(), last_is_new=True)
                if len(kept) == segments:  # nothing to fold (another update folded it)
                    writer.cancel()
                    return False
                check_segments(paths, store, folded_segments(view, kept))
                writer.commit(mergetype=keep_segments(kept))
                record_commit(paths.whoosh, store, writing, writer.generation, checked)
            except BaseException:
                if not writer.is_closed:
                    writer.cancel()
                store.db.rollback()
                raise
        finally:
            view.close()
    finally:
        store.close()
    return True


__all__ = [
    "can_fork",
    "choose_merge",
    "commit_merge",
    "merge_aside",
    "merge_in_child",
    "merge_now",
    "merging_now",
    "prepare_merge",
    "take_merge_lock",
]
