"""Keeping the reader's view of the archive current, off the UI thread.

The work the app runs in workers: opening the library and listing the indexed posts (started
in a thread of its own as the app is created, so the list is ready by the first frame), a
first-run scan of the newest files' frontmatter, index updates with progress, and watching
the roots for changes. It talks to the app only through messages (thread-safe), so the app
stays the one place where state changes.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import sys
import threading
from collections.abc import Callable
from concurrent.futures import Future
from pathlib import Path
from typing import TYPE_CHECKING

from textual.message import Message
from textual.worker import get_current_worker

from ..index.archive import PostFile, find_all
from ..index.model import PostSummary
from ..index.paths import Config, Roots
from ..index.source import parse_date_prefix
from .messages import ArchiveChanged, IndexFinished, IndexProgress, PostsLoaded

if TYPE_CHECKING:
    from ..index.library import Library

#: The first-run scan lists this many of the newest files first, then 4x more each round.
FIRST_SCAN_BATCH = 60
WATCH_DEBOUNCE_MS = 250
LIST_SHOWN_WAIT_S = 2.0


def newest_first(post_file: PostFile) -> tuple[dt.date, int]:
    """Sort key: the date in the file name (2026-02-05-x.md), else the modification time."""
    named = parse_date_prefix(Path(post_file.path).name)
    modified = dt.date.fromtimestamp(post_file.mtime_ns / 1e9)
    return (named or modified, post_file.mtime_ns)


def start_resource_tracker() -> None:
    """Start multiprocessing's resource tracker with a real stderr (/dev/null).

    The index build may start worker processes ("spawn" when threads run, as here); the
    tracker they need is started with sys.stderr's file descriptor, and Textual's output
    capture reports -1 there, which fails ("bad value(s) in fds_to_keep").
    """
    from multiprocessing import resource_tracker

    saved = sys.stderr
    with open(os.devnull, "w") as devnull:
        try:
            sys.stderr = devnull
            resource_tracker.ensure_running()
        finally:
            sys.stderr = saved


class ArchiveKeeper:
    """The library of the roots, and the background work that keeps the list current."""

    def __init__(self, roots: Roots, config: Config, post: Callable[[Message], object],
                 notice: Callable[[str], None]) -> None:
        self.roots = roots
        self.config = config
        self.post = post
        self.notice = notice
        self.library: Library | None = None
        self._searchable = False
        self.stop_watching = asyncio.Event()
        self.list_shown = threading.Event()
        """Set by the app once the first list is on screen; the first update waits for it."""
        self._opened: Future[tuple[Library, list[PostSummary]]] = Future()
        threading.Thread(target=self._open, name="digest-tui-open", daemon=True).start()

    def _open(self) -> None:
        try:
            from ..index.library import Library

            library = Library(self.roots, self.config, notice=self.notice)
            self._opened.set_result((library, library.stored_posts()))
        except BaseException as exc:  # noqa: BLE001 - raised again in the worker that waits
            self._opened.set_exception(exc)

    def open_archive(self) -> None:
        """Worker: list the posts (indexed, or scanned on a first run), then update."""
        try:
            self._list_posts()
        except Exception as exc:  # noqa: BLE001 - shown in the header, then reported
            self.post(IndexFinished(error=f"{type(exc).__name__}: {exc}"))
            raise
        self.list_shown.wait(LIST_SHOWN_WAIT_S)  # let the first frame have the CPU
        self.update_index(searchable=self._searchable)

    def _list_posts(self) -> None:
        library, posts = self._opened.result()
        self.library = library
        self._searchable = bool(posts)
        if posts:
            self.post(PostsLoaded(posts, searchable=True))
            return
        # First run: no index yet. Newest files first, in growing batches, so the newest
        # posts are listed at once and the rest follow while the index is built.
        self.post(IndexProgress(0, 0, phase="scanning"))
        files = sorted(find_all(self.roots.paths), key=newest_first, reverse=True)
        worker = get_current_worker()
        scanned: list[PostSummary] = []
        start, batch = 0, FIRST_SCAN_BATCH
        while start < len(files) and not worker.is_cancelled:
            scanned += library.quick_scan(files[start:start + batch])
            start += batch
            batch *= 4
            self.post(PostsLoaded(list(scanned), searchable=False))
        if not files:
            self.post(PostsLoaded([], searchable=False))

    def update_index(self, searchable: bool = True) -> None:
        """Worker: bring the index up to date, with progress; then send the new list."""
        library = self.library
        if library is None:
            return
        worker = get_current_worker()
        if not searchable:
            start_resource_tracker()  # a first build may start worker processes

        def progress(done: int, total: int, path: str = "") -> None:
            self.post(IndexProgress(done, total, path))

        try:
            report = library.update(progress=progress, should_stop=lambda: worker.is_cancelled)
        except Exception as exc:  # noqa: BLE001 - shown in the header, never a crash
            self.post(IndexFinished(error=f"{type(exc).__name__}: {exc}"))
            raise
        if worker.is_cancelled or report.cancelled:
            return
        if report.busy:
            self.notice(report.busy)
        changed = bool(report.added or report.changed or report.removed or report.rebuilt)
        if changed or not searchable:
            self.post(PostsLoaded(library.stored_posts(), searchable=True))
        self.post(IndexFinished(changed=changed))

    async def watch(self) -> None:
        """Worker: report changes below the roots (new, changed, removed posts)."""
        from watchfiles import awatch

        roots = [str(root) for root in self.roots.paths]
        async for changes in awatch(*roots, watch_filter=self._interesting,
                                    debounce=WATCH_DEBOUNCE_MS, step=50,
                                    stop_event=self.stop_watching):
            self.post(ArchiveChanged(sorted({path for _change, path in changes})))

    @staticmethod
    def _interesting(_change: object, path: str) -> bool:
        """Posts (*.md) and folders (a removed folder takes its posts), not hidden ones."""
        parts = Path(path).parts
        if any(part.startswith(".") for part in parts[-6:]):
            return False
        return path.lower().endswith(".md") or "." not in parts[-1]

    def relative_paths(self, paths: list[str]) -> set[str]:
        """The changed paths as the posts' paths relative to their root."""
        found: set[str] = set()
        for path in paths:
            for root in self.roots.paths:
                try:
                    found.add(Path(path).relative_to(root).as_posix())
                except ValueError:
                    continue
        return found
