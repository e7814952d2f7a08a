"""The one object the app and the command line use to read an archive: `Library`.

It keeps the search index current (`update`), searches it (`search`), and answers what lists
need from the index's stored data (`stored_posts`, `tags`, `assets`, `asset_timeline`,
`posts_matching_filters`) without reopening post files. Thread-safe enough for the app:
`search` and the other readers may run in one thread while `update` runs in another; readers
use the last committed index and pick up a new one after the update finishes.

A damaged or unreadable index (whatever the exception) is discarded and rebuilt; the reason
is passed to `notice` (the CLI prints it as one line on stderr).

`reading` is the reader's memory (read marks, stars, saved searches: index/reading.py over the
state database); it lives outside the index, so `search` resolves `is:` filters through it.
"""

from __future__ import annotations

import datetime as dt
import errno
import os
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from .archive import PostFile, find_all
from .library_update import damage_message, update_locked
from .model import Post, PostKey, PostSummary, SearchResult
from .paths import Config, Roots, cache_dir, is_inside, private_dir
from .search.query_error import QueryError
from .search.store import Store
from .search.update import (
    IndexDamaged,
    IndexPaths,
    UpdateReport,
    index_paths,
    open_checked,
    open_store,
)
from .stored_queries import StoredQueries

# The Whoosh side (searcher, build) and the parser are imported where they are used: listing
# posts and items reads the side store alone, so `unread` or `starred` never load them.
if TYPE_CHECKING:
    from .parse.assets import AssetTable
    from .reading import Reading
    from .search.build import Progress, ShouldStop
    from .search.searcher import Snapshot

__all__ = ["Library", "QueryError", "UpdateReport"]

T = TypeVar("T")
#: What an update that cannot write says: the cache is read-only (permissions or the disk).
_READ_ONLY_ERRNOS = {errno.EACCES, errno.EPERM, errno.EROFS}

#: How long `update` waits for another process's update before using the last index.
LOCK_WAIT_S = 120.0
#: How many parsed posts the library keeps (the reader moves back and forth among these).
POST_CACHE_SIZE = 64


class Library(StoredQueries):
    """An archive (its roots) with its search index."""

    def __init__(
        self,
        roots: Roots,
        config: Config,
        *,
        notice: Callable[[str], None] | None = None,
        lock_wait: float = LOCK_WAIT_S,
        cache: Path | None = None,
        state: Path | None = None,
    ) -> None:
        self.roots = roots
        self.cache = cache
        """The cache folder (default: platformdirs' user cache, read when needed)."""
        self.state_path = state
        """The reading-state file (default: state.db in platformdirs' user data folder)."""
        self._reading: Reading | None = None
        self.config = config
        self.notice = notice or (lambda message: None)
        self.lock_wait = lock_wait
        self._assets: AssetTable | None = None
        self._snapshot: Snapshot | None = None
        self._store: Store | None = None
        """The side store alone, for lists, while no snapshot is open (`_read_store`)."""
        self._store_reads: dict[str, object] = {}
        """What lists read from the store, kept until the index changes (`drop_snapshot`)."""
        self._reads_generation = 0
        """Counts `drop_snapshot`s: a result computed across one is not kept."""
        self._snapshot_lock = threading.RLock()
        self._memo_lock = threading.Lock()
        """Guards the post cache and the kept store reads: held for a dict's operation only,
        never across a read, so the UI thread's look-ups never wait on a worker's read."""
        self._write_lock = threading.Lock()
        self._reading_lock = threading.Lock()
        self._post_cache: OrderedDict[PostKey, tuple[int, int, Post]] = OrderedDict()
        """The last parsed posts by key, with the size and mtime they were parsed at."""

    # -- locations ----------------------------------------------------------------------------

    @property
    def paths(self) -> IndexPaths:
        """Where this archive's index lives (the cache folder is created if need be); an
        OSError when the cache folder lies inside an archive root, where nothing is written."""
        cache = self.cache or cache_dir()
        if is_inside(cache, self.roots.paths):
            raise OSError(
                f"the cache folder {cache} is inside an archive folder, and nothing "
                "is ever written there (set XDG_CACHE_HOME to move it)"
            )
        return index_paths(private_dir(cache), self.roots)

    @property
    def asset_table(self) -> AssetTable:
        """The asset and alias table (built-in plus the config's), loaded once."""
        if self._assets is None:
            from .parse.assets import AssetTable

            self._assets = AssetTable.load(self.config)
        return self._assets

    @property
    def reading(self) -> Reading:
        """The reading state (opened on first use; a StateError when it cannot be used, an
        OSError when its folder lies inside an archive root)."""
        with self._reading_lock:  # two threads at once would open (and repair) it twice
            if self._reading is None:
                from .reading import Reading
                from .state.store import StateStore, default_state_path

                path = self.state_path or default_state_path()
                if is_inside(path.parent, self.roots.paths):
                    raise OSError(
                        f"the data folder {path.parent} is inside an archive folder, and "
                        "nothing is ever written there (set XDG_DATA_HOME to move it)"
                    )
                self._reading = Reading(
                    StateStore(path, notice=self.notice),
                    items=self.post_items,
                    posts=self.post_heads,
                    ids=self.post_item_ids,
                )
            return self._reading

    def canonical_asset(self, name: str) -> str:
        """The canonical name of an asset or alias (金价 -> 黄金); unknown names unchanged."""
        return self.asset_table.canonical(name) or name

    def unknown_assets(self, names: Iterable[str]) -> list[str]:
        """The names that are no asset or alias of the table: an `asset:` filter on them
        matches nothing."""
        return [name for name in dict.fromkeys(names) if self.asset_table.canonical(name) is None]

    # -- updating -----------------------------------------------------------------------------

    def update(
        self,
        progress: Progress | None = None,
        should_stop: ShouldStop | None = None,
        *,
        rebuild: bool = False,
        reading: bool = False,
        merge_after: bool = False,
    ) -> UpdateReport:
        """Bring the index up to date with the archive (incremental unless `rebuild`).

        `reading`: for a command about to read the index (search), which opens and checks it
        anyway: when no post changed, the Whoosh files are not opened and checked here too.
        `merge_after`: for a command that exits after updating (`index`): small segments due
        to be folded are folded by a forked child after the new posts are committed
        (search/merging.py), not before this returns."""
        from .search.locking import IndexLock

        started = time.perf_counter()
        with self._write_lock:
            try:
                paths = self.paths
                lock = IndexLock(paths.lock)
                taken = lock.acquire(0)
                if not taken and self.lock_wait > 0:  # another writer (say a merge after `index`)
                    _load_writer_modules()  # meanwhile: what writing will need anyway
                    taken = lock.acquire(self.lock_wait)
            except OSError as exc:
                return self._read_only(exc, started)
            if not taken:
                last = (
                    "using the last complete one"
                    if paths.store.exists()
                    else "there is no complete index yet"
                )
                return UpdateReport(
                    took_s=time.perf_counter() - started,
                    busy=f"another digest-tui ({lock.holder() or 'process'}) "
                    f"is updating the index; {last}",
                )
            if merge_after:
                from .search.merging import can_fork

                merge_after = can_fork()
            try:
                skipped: list[str] = []
                report = update_locked(
                    self, paths, progress, should_stop, rebuild, skipped, reading, merge_after
                )
            except OSError as exc:
                return self._read_only(exc, started)
            finally:
                lock.release()
            if report.merge_due and merge_after:
                self._merge_after(paths)
        if report.added or report.changed or report.removed or report.rebuilt:
            self.drop_snapshot()
        return replace(report, skipped=tuple(skipped), took_s=time.perf_counter() - started)

    def _merge_after(self, paths: IndexPaths) -> None:
        """Leave the due merge to a forked child (search/merging.py), which needs no lock to
        write the merged segment; when none can be started, merge here, under the lock."""
        from .search.locking import IndexLock
        from .search.merging import merge_in_child, merge_now

        if merge_in_child(paths, self.roots):
            return
        lock = IndexLock(paths.lock)
        if not lock.acquire(0):
            return  # another writer is at work: the next update's merge does it
        try:  # the posts are committed: a merge that fails is tried by the next one
            merge_now(paths, self.roots)
        except Exception:
            pass
        finally:
            lock.release()

    def _read_only(self, exc: OSError, started: float) -> UpdateReport:
        """The report when the cache cannot be written (a read-only folder or disk): the last
        complete index is used, with a notice; re-raises when there is none, or for any
        other failure."""
        if exc.errno not in _READ_ONLY_ERRNOS:
            raise exc
        try:
            complete = self.paths.store.is_file()
        except OSError:
            complete = False
        if not complete:
            raise exc
        self.drop_snapshot()  # read the index afresh, as it is on disk
        return UpdateReport(
            took_s=time.perf_counter() - started,
            busy=f"the index could not be updated (the cache folder is read-only: "
            f"{exc.strerror or exc}); using the last complete one",
        )

    # -- reading ------------------------------------------------------------------------------

    def _open_snapshot(self) -> Snapshot:
        from .search.searcher import Snapshot

        store, view = open_checked(self.paths, self.roots, reading=True)
        return Snapshot(view, store, self.canonical_asset)

    def drop_snapshot(self) -> None:
        with self._snapshot_lock:
            with self._memo_lock:
                self._store_reads.clear()
                self._reads_generation += 1
            for opened in (self._store, self._snapshot):
                if opened is not None:
                    try:
                        opened.close()
                    except Exception:  # closing a broken store or index
                        pass
            self._store = None
            self._snapshot = None

    def _read(self, action: Callable[[Snapshot], T], default: T, *, repair: bool = False) -> T:
        """Run `action(snapshot)` on the current index. Without an index, `default`. When
        reading fails (whatever the exception), reopen once (an update may have replaced the
        index meanwhile); if it fails again, rebuild when `repair` (else `default`)."""
        error: BaseException | None = None
        for attempt in range(3 if repair else 2):
            if attempt == 1:
                self._wait_for_writer()  # one may be committing (a merge after `index`)
            if attempt == 2:
                self.notice(damage_message(error or IndexDamaged("unreadable")))
                self.update(rebuild=True)
            with self._snapshot_lock:
                try:
                    if self._snapshot is None:
                        if not self.paths.store.exists():
                            return default
                        self._snapshot = self._open_snapshot()
                    return action(self._snapshot)
                except QueryError:
                    raise
                except Exception as exc:  # any damage: reopen, then rebuild
                    self.drop_snapshot()
                    error = exc
        if repair:
            raise IndexDamaged(
                f"the search index cannot be read even after rebuilding it ({type(error).__name__})"
            )
        return default

    def _wait_for_writer(self) -> None:
        """Until no other process writes the index (at most `lock_wait`)."""
        from .search.locking import IndexLock

        try:
            lock = IndexLock(self.paths.lock)
            if lock.acquire(self.lock_wait):
                lock.release()
        except OSError:  # a read-only cache (nobody writes there), or one refused
            pass

    def _read_store(self, action: Callable[[Store], T], default: T, key: str = "") -> T:
        """Run `action(store)` on the index's side store alone, without opening the Whoosh
        postings (a list needs posts and items, not postings); the open snapshot's store when
        there is one. With `key`, the result is kept until the index changes (`_remembered`).
        On any failure it goes the way of `_read` (reopen, then `default`)."""
        if key:
            return self._remembered(key, lambda: self._read_store(action, default))
        with self._snapshot_lock:
            try:
                if self._snapshot is not None:
                    return action(self._snapshot.store)
                if self._store is None:
                    if not self.paths.store.exists():
                        return default
                    self._store = open_store(self.paths, self.roots)
                return action(self._store)
            except Exception:  # damage or a replaced index: the snapshot's way decides
                self.drop_snapshot()
                return self._read(lambda snap: action(snap.store), default)

    def _remembered(self, key: str, compute: Callable[[], T]) -> T:
        """`compute()`, kept under `key` until the index changes (when it did not change
        while computing)."""
        with self._memo_lock:
            if key in self._store_reads:
                return self._store_reads[key]  # type: ignore[return-value]
            generation = self._reads_generation
        result = compute()
        with self._memo_lock:
            if generation == self._reads_generation:
                self._store_reads[key] = result
        return result

    def _known(self, key: str) -> object | None:
        """What `_remembered` keeps under `key`, without computing it (None: nothing yet)."""
        with self._memo_lock:
            return self._store_reads.get(key)

    def reopen(self) -> None:
        """Read the index afresh from now on (another process has just updated it)."""
        self.drop_snapshot()

    def has_index(self) -> bool:
        """Whether an index was built for these roots (complete or not)."""
        try:
            return self.paths.store.is_file()
        except OSError:
            return False

    def stored_posts(self) -> list[PostSummary]:
        """Every indexed post, from the stored data (no file reads); [] without an index."""
        return self._read_store(lambda store: store.summaries(), [])

    def newest_posts(self, count: int) -> tuple[list[PostSummary], int]:
        """The `count` newest indexed posts (the date list's first page, read through the
        store's posts_newest index whatever the size of the archive) and how many posts are
        indexed; ([], 0) without an index."""
        none: tuple[list[PostSummary], int] = ([], 0)
        return self._read_store(lambda store: (store.summaries(count), store.post_count()), none)

    def post_items(self) -> dict[tuple[str, str], list[tuple[str, str]]]:
        """(root, path) -> (item id, item title) of every indexed post's items, in order."""
        return self._read_store(lambda store: store.items_by_post(), {}, key="items_by_post")

    def post_item_ids(self) -> dict[tuple[str, str], list[str]]:
        """(root, path) -> the item ids of every indexed post, in order (cached per index)."""
        return self._read_store(lambda store: store.item_ids_by_post(), {}, key="item_ids_by_post")

    def post_heads(self) -> list[PostSummary]:
        """Every indexed post's path, root, date, title and category (no tags or tally),
        newest first; [] without an index."""
        return self._read_store(lambda store: store.post_heads(), [])

    def quick_scan(self, post_files: Iterable[PostFile] | None = None) -> list[PostSummary]:
        """First run without an index: frontmatter only, no items (of `post_files`, default
        every post below the roots; the reader scans the newest ones first)."""
        from .parse.post import quick_summaries

        return quick_summaries(find_all(self.roots.paths) if post_files is None else post_files)

    def search(
        self,
        query: str,
        *,
        tags: Iterable[str] = (),
        assets: Iterable[str] = (),
        categories: Iterable[str] = (),
        since: dt.date | None = None,
        until: dt.date | None = None,
        limit: int = 20,
        states: Iterable[str] = (),
    ) -> SearchResult:
        """Search the index; raises QueryError for a malformed query. limit 0 = every hit.
        `states` are is: filters given as options ("unread", "read", "starred")."""
        from .search.query import build_query, filter_values
        from .search.searcher import run_search

        tree = build_query(query, tags, assets, categories, since, until, states)
        keys = self.reading.state_keys() if filter_values(tree, "is") else None
        empty = SearchResult(query, 0.0, 0, ())

        def search(snap: Snapshot) -> SearchResult:
            snap.state = keys
            try:
                return _with_stances(snap.store, run_search(snap, tree, query, limit))
            finally:
                snap.state = None

        return self._read(search, empty, repair=True)

    def load_post(self, root: str, path: str) -> Post:
        """Parse a post from disk (small LRU cache checked by size and mtime); OSError if gone."""
        from .parse.post import parse_post

        info = os.stat(Path(root) / path)
        key = (root, path)
        with self._memo_lock:
            entry = self._post_cache.get(key)
            if entry is not None and entry[:2] == (info.st_size, info.st_mtime_ns):
                self._post_cache.move_to_end(key)
                return entry[2]
        post = parse_post(
            PostFile(Path(root), path, info.st_size, info.st_mtime_ns), self.asset_table
        )
        with self._memo_lock:
            self._post_cache[key] = (info.st_size, info.st_mtime_ns, post)
            while len(self._post_cache) > POST_CACHE_SIZE:
                self._post_cache.popitem(last=False)
        return post

    def cached_post(self, key: PostKey) -> Post | None:
        """The post as last parsed, without touching the disk (None if not cached or
        forgotten); the reader shows it at once and reloads it when the watcher says so."""
        with self._memo_lock:
            entry = self._post_cache.get(key)
            return entry[2] if entry is not None else None

    def forget_posts(self, paths: Iterable[str]) -> None:
        """Drop cached posts at these paths (relative to their roots): they changed."""
        gone = set(paths)
        with self._memo_lock:
            for key in [k for k in self._post_cache if k[1] in gone]:
                del self._post_cache[key]

    def close(self) -> None:
        self.drop_snapshot()


def _load_writer_modules() -> None:
    """Import what an update that has posts to add imports (the parser, the segment writer),
    while waiting for another writer's lock: the wait costs nothing then, and the update
    after it no time importing."""
    from .parse import post  # noqa: F401
    from .search import build, segments, units, update_view  # noqa: F401


def _with_stances(store: Store, result: SearchResult) -> SearchResult:
    """`result` with each item hit's impact stances (the reader shows them as glyphs)."""
    hits = tuple(
        replace(hit, stances=store.item_stances(hit.root, hit.path, hit.item_id))
        if hit.item_id is not None
        else hit
        for hit in result.hits
    )
    return replace(result, hits=hits)
