"""Keeping the reader's view of the archive current, off the UI thread.

The work the app runs in workers: opening the library and listing the indexed posts (started
in a thread of its own as the app is created, so the newest page is ready by the first
frame, the other posts just after it), a
first-run scan of the newest files' frontmatter, index updates with progress (run by the
`digest-tui index` child process, see index_progress.py, read here), and watching the roots
for changes. It talks to the app only through messages (thread-safe), so the app stays the
one place where state changes.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import threading
from collections.abc import Callable
from concurrent.futures import Future
from pathlib import Path
from typing import TYPE_CHECKING

from textual.message import Message
from textual.worker import get_current_worker

from ..index.archive import PostFile, find_all, watchable_folders
from ..index.model import PostSummary
from ..index.paths import Config, Roots
from .cli.index_progress import IndexFailed, IndexProcess
from .long_lived import collections_paused, keep_out_of_collections
from .messages import ArchiveChanged, IndexFinished, IndexProgress, PostsLoaded

if TYPE_CHECKING:
    from ..index.library import Library

#: The first-run scan lists this many of the newest files first, then 4x more each round,
#: up to FIRST_SCAN_MOST files (the index lists the rest: the scan would slow it down).
FIRST_SCAN_BATCH = 60
FIRST_SCAN_MOST = 1260
#: The date list's first page, read and shown before every other post.
FIRST_PAGE = 100
WATCH_DEBOUNCE_MS = 250
#: After the watch failed (a folder vanished as it was added), wait this long and watch again.
WATCH_RETRY_S = 0.5
LIST_SHOWN_WAIT_S = 2.0
#: How long the app's first frame waits for the newest page (read as the app starts).
FIRST_PAGE_WAIT_S = 0.4


def every_post(library: Library, default: list[PostSummary] | None = None) -> PostsLoaded:
    """(Worker) every indexed post (`default` when there are none), ready to send: read with
    no garbage collection on the way (tens of thousands of posts at once) and frozen after."""
    with collections_paused():
        loaded = PostsLoaded(library.stored_posts() or default or [], searchable=True)
        keep_out_of_collections()
    return loaded


def newest_first(post_file: PostFile) -> tuple[dt.date, int]:
    """Sort key: the date in the file name (2026-02-05-x.md), else the modification time."""
    from ..index.parse.source import parse_date_prefix  # the parser (YAML): first runs only

    named = parse_date_prefix(Path(post_file.path).name)
    modified = dt.date.fromtimestamp(post_file.mtime_ns / 1e9)
    return (named or modified, post_file.mtime_ns)


class ArchiveKeeper:
    """The library of the roots, and the background work that keeps the list current."""

    def __init__(
        self,
        roots: Roots,
        config: Config,
        post: Callable[[Message], object],
        notice: Callable[[str], None],
    ) -> None:
        self.roots = roots
        self.config = config
        self.post = post
        self.notice = notice
        self.library: Library | None = None
        self._searchable = False
        self._indexing: IndexProcess | None = None
        self.stopping = False
        self.stop_watching = asyncio.Event()
        self._warned: set[str] = set()
        """What the watcher has warned about (each unreadable folder or post only once)."""
        self.list_shown = threading.Event()
        """Set by the app once the first list is on screen; the first update waits for it."""
        self._scan_done = threading.Event()
        self._list_lock = threading.Lock()
        self._opened: Future[tuple[Library, list[PostSummary], int]] = Future()
        threading.Thread(target=self._open, name="digest-tui-open", daemon=True).start()
        self._indexed = _has_index(roots)
        """Whether an index of these roots exists (then the first frame waits for its page)."""

    def _open(self) -> None:
        """(Thread) the library, and the newest page of the indexed posts (from the side
        store alone: no Whoosh, no parser) with how many there are."""
        try:
            from ..index.library import Library

            library = Library(self.roots, self.config, notice=self.notice)
            self._opened.set_result((library, *library.newest_posts(FIRST_PAGE)))
        except BaseException as exc:  # raised again in the worker that waits
            self._opened.set_exception(exc)

    def first_page(self, wait: float) -> tuple[list[PostSummary], int] | None:
        """The newest page of the indexed posts and how many there are, if the library is
        open within `wait` seconds (the app's first frame then has them, instead of a frame
        of its own for "Loading…"); None otherwise (a first run: no index; or a slow disk)."""
        if not self._indexed:  # a first run: the scan lists the newest posts
            return None
        try:
            _library, page, total = self._opened.result(timeout=wait)
        except Exception:  # not yet, or it failed: the worker reports that
            return None
        return (page, total) if page else None

    def open_archive(self) -> None:
        """Worker: list the posts (indexed, or scanned on a first run), then update."""
        try:
            self._list_posts()
        except Exception as exc:  # shown in the header, then reported
            self.post(IndexFinished(error=f"{type(exc).__name__}: {exc}"))
            raise
        self.list_shown.wait(LIST_SHOWN_WAIT_S)  # let the first frame have the CPU
        self.update_index(searchable=self._searchable)

    def _list_posts(self) -> None:
        library, page, total = self._opened.result()
        self.library = library
        self._searchable = bool(page)
        if page:
            if total > len(page):  # the newest page on screen first, then every post
                self.post(PostsLoaded(page, searchable=True, total=total))
                self.list_shown.wait(LIST_SHOWN_WAIT_S)
                self.post(every_post(library, page))
            else:
                self.post(PostsLoaded(page, searchable=True))
            return
        # First run: no index yet. The newest files first, so they are listed at once; the
        # index is built meanwhile, and more of the list follows in growing batches (in a
        # thread of its own, up to FIRST_SCAN_MOST) until the index has them all.
        self.post(IndexProgress(0, 0, phase="scanning"))
        files = sorted(find_all(self.roots.paths), key=newest_first, reverse=True)
        scanned = library.quick_scan(files[:FIRST_SCAN_BATCH])
        self.post(PostsLoaded(list(scanned), searchable=False))
        if len(files) > FIRST_SCAN_BATCH:
            threading.Thread(
                target=self._scan_rest,
                args=(library, files, scanned),
                name="digest-tui-scan",
                daemon=True,
            ).start()

    def _scan_rest(
        self, library: Library, files: list[PostFile], scanned: list[PostSummary]
    ) -> None:
        """The rest of a first run's list, batch by batch, while the index is built; stops
        once the indexed list is sent (it has every post), and never sends a list after it."""
        start, batch = FIRST_SCAN_BATCH, FIRST_SCAN_BATCH * 4
        while start < min(len(files), FIRST_SCAN_MOST) and not self._scan_done.is_set():
            end = min(start + batch, FIRST_SCAN_MOST)
            scanned = scanned + library.quick_scan(files[start:end])
            start = end
            batch *= 4
            with self._list_lock:
                if self._scan_done.is_set() or self.stopping:
                    return
                self.post(PostsLoaded(list(scanned), searchable=False))

    def update_index(self, searchable: bool = True) -> None:
        """Worker: bring the index up to date in the indexing child, relaying its progress;
        then read the new index and send the new list."""
        library = self.library
        if library is None or self.stopping:
            return
        worker = get_current_worker()
        run = IndexProcess(self.roots)
        self._indexing = run
        report: dict[str, object] | None = None
        self.post(IndexProgress(0, 0, phase="checking"))
        try:
            for event in run.events(should_stop=lambda: worker.is_cancelled or self.stopping):
                kind = event.get("event")
                if kind == "progress":
                    self.post(
                        IndexProgress(
                            _count(event, "done"),
                            _count(event, "total"),
                            str(event.get("path") or ""),
                        )
                    )
                elif kind == "notice":
                    self.notice(str(event.get("message") or ""))
                elif kind == "done":
                    report = event
        except (IndexFailed, OSError) as exc:  # OSError: the child could not be started
            self.post(IndexFinished(error=str(exc) or type(exc).__name__))
            raise
        finally:
            self._indexing = None
        if worker.is_cancelled or self.stopping or run.stopped.is_set() and report is None:
            return
        if report is None:
            self.post(IndexFinished(error="the indexer ended without a report"))
            raise IndexFailed("the indexer ended without a report")
        if report.get("cancelled"):
            return
        if report.get("busy"):
            self.notice(str(report["busy"]))
        changed = any(_count(report, key) for key in ("added", "changed", "removed")) or bool(
            report.get("rebuilt")
        )
        library.reopen()  # the child wrote a new index: read that one from now on
        if changed or not searchable:
            loaded = every_post(library)
            with self._list_lock:  # a first run's scan sends no list after this one
                self._scan_done.set()
                self.post(loaded)
        self.post(IndexFinished())

    def stop(self) -> None:
        """The reader is quitting: end the indexing child (and its workers) and the watcher."""
        self.stopping = True
        self.stop_watching.set()
        run = self._indexing
        if run is not None:
            run.stop()

    async def watch(self) -> None:
        """Worker: report changes below the roots (new, changed, removed posts).

        Every folder that can be read is watched on its own, so one that cannot (reported
        once, as a warning) never stops the others; a folder added or removed restarts the
        watch with the new set of folders, and what changed meanwhile is reported again."""
        from watchfiles import Change, awatch

        again: list[str] = []
        while not self.stop_watching.is_set():
            folders = self._watchable()
            if again:  # what the restart may have missed: the update reads it afresh
                self.post(ArchiveChanged(again))
            watched = {str(folder) for folder in folders}
            again = []
            try:
                async for changes in awatch(
                    *sorted(watched),
                    recursive=False,
                    watch_filter=self._interesting,
                    debounce=WATCH_DEBOUNCE_MS,
                    step=50,
                    stop_event=self.stop_watching,
                ):
                    self.post(ArchiveChanged(sorted({path for _change, path in changes})))
                    again = [
                        path
                        for change, path in changes
                        if (change == Change.added and os.path.isdir(path))
                        or (change == Change.deleted and path in watched)
                    ]
                    if again:
                        break
            except OSError as exc:  # a folder went away or became unreadable meanwhile
                self._warn_once(f"watching the archive: {exc}")
                await asyncio.sleep(WATCH_RETRY_S)

    def _watchable(self) -> list[Path]:
        """The folders to watch; each unreadable folder or post is reported once."""
        problems: list[str] = []
        folders = [
            folder for root in self.roots.paths for folder in watchable_folders(root, problems)
        ]
        for problem in problems:
            self._warn_once(problem)
        return folders

    def _warn_once(self, problem: str) -> None:
        if problem not in self._warned:
            self._warned.add(problem)
            self.notice(problem)

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


def _has_index(roots: Roots) -> bool:
    """Whether the default cache holds an index of `roots` (a look, nothing created)."""
    from ..index.paths import cache_dir
    from ..index.search.update import index_paths

    try:
        return index_paths(cache_dir(), roots).store.is_file()
    except OSError:
        return False


def _count(event: dict[str, object], key: str) -> int:
    """A count from the indexing child's event (0 if it is missing or not a number)."""
    value = event.get(key)
    return value if isinstance(value, int) and not isinstance(value, bool) else 0
