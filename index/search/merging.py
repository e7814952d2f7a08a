"""Folding small segments after an update, off the update's own time: `merge_in_child`.

An update writes its posts in a new segment and, every few updates, folds the small segments
into it (`update.choose_merge`): re-adding their units costs as much again as the update
itself (0.1 s more for a week's posts). `digest-tui index` therefore commits the new posts
first (they are searchable when it returns) and leaves the folding to a forked child, which
inherits the writer's lock and every module the update loaded, does the merge the update would
have done, and exits. The next writer waits for the lock as it waits for any other writer;
a child killed midway leaves the index as an interrupted update does (the next one cleans up
or rebuilds). Where there is no `fork`, or other threads run (the reader), the update folds
inline as before.
"""

from __future__ import annotations

import json
import os
import sys
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING

from ..paths import Roots
from .update import IndexPaths, choose_merge, compact, open_for_update, open_segments

if TYPE_CHECKING:
    from .locking import IndexLock


def can_fork() -> bool:
    """A child can be forked safely: a POSIX system other than macOS (where a forked child
    may not use system frameworks), and this the only thread."""
    return hasattr(os, "fork") and sys.platform != "darwin" and threading.active_count() == 1


def merge_in_child(paths: IndexPaths, roots: Roots, lock: IndexLock) -> bool:
    """Fork a child that merges the index's small segments while holding `lock` (held by
    this process now); True when it was started, after which this process no longer holds
    the lock (`lock` is let go without unlocking). False: merge inline."""
    if not can_fork():
        return False
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):
            pass
    try:
        pid = os.fork()
    except OSError:
        return False
    if pid == 0:  # the child: never returns
        status = 1
        try:
            _detach()
            lock.record_holder()
            merge_now(paths, roots, committed=lock.release)
            status = 0
        finally:
            os._exit(status)
    lock.hand_over()
    return True


def _detach() -> None:
    """Leave the parent's session and its output: whoever waits for the parent's output
    (a pipe) or its terminal (a signal) is not held up by the merge."""
    os.setsid()
    null = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(null, fd)
    os.close(null)


def merge_now(paths: IndexPaths, roots: Roots, committed: Callable[[], None] | None = None) -> bool:
    """Fold the small segments the merge policy says are due, with nothing new to add;
    True when a merge was committed. `committed` is called once it is (the child lets the
    next writer in then, before closing the store, whose last close writes its log back)."""
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
                writer.commit(mergetype=keep_segments(kept))
                record_commit(paths.whoosh, store, writing, writer.generation, checked)
                if committed is not None:
                    committed()
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


__all__ = ["can_fork", "choose_merge", "merge_in_child", "merge_now"]
