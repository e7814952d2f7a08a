"""The one object the app and the command line use to read an archive: `Library`.

It keeps the search index current (`update`), searches it (`search`), and answers what lists
need from the index's stored data (`stored_posts`, `tags`, `assets`, `asset_timeline`,
`posts_matching_filters`) without reopening post files. Thread-safe enough for the app:
`search` and the other readers may run in one thread while `update` runs in another; readers
use the last committed index and pick up a new one after the update finishes.

A damaged or unreadable index (whatever the exception) is discarded and rebuilt; the reason
is passed to `notice` (the CLI prints it as one line on stderr).
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

from .archive import PostFile, find_all
from .model import Post, PostSummary, SearchResult
from .paths import Config, Roots, cache_dir, is_inside, private_dir
from .search.build import full_build
from .search.query import And, Filter, Node, QueryError, parse
from .search.store import is_write_failure
from .search.update import (
    FORMAT_VERSION,
    IndexDamaged,
    IndexPaths,
    Progress,
    ShouldStop,
    UpdateReport,
    clean_strays,
    diff,
    incremental,
    index_paths,
    open_checked,
    roots_json,
)

__all__ = ["Library", "QueryError", "UpdateReport"]

#: What an update that cannot write says: the cache is read-only (permissions or the disk).
_READ_ONLY_ERRNOS = {errno.EACCES, errno.EPERM, errno.EROFS}

#: How long `update` waits for another process's update before using the last index.
LOCK_WAIT_S = 120.0


class Library:
    """An archive (its roots) with its search index."""

    def __init__(
        self,
        roots: Roots,
        config: Config,
        *,
        notice: Callable[[str], None] | None = None,
        lock_wait: float = LOCK_WAIT_S,
        cache: Path | None = None,
    ) -> None:
        self.roots = roots
        self.cache = cache
        """The cache folder (default: platformdirs' user cache, read when needed)."""
        self.config = config
        self.notice = notice or (lambda message: None)
        self.lock_wait = lock_wait
        self._assets = None
        self._snapshot = None
        self._snapshot_lock = threading.RLock()
        self._write_lock = threading.Lock()
        self._post_cache: OrderedDict[tuple[str, str, int, int], Post] = OrderedDict()

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
    def asset_table(self):  # index.assets.AssetTable
        if self._assets is None:
            from .parse.assets import AssetTable

            self._assets = AssetTable.load(self.config)
        return self._assets

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
    ) -> UpdateReport:
        """Bring the index up to date with the archive (incremental unless `rebuild`)."""
        from .search.locking import IndexLock

        started = time.perf_counter()
        with self._write_lock:
            try:
                paths = self.paths
                lock = IndexLock(paths.lock)
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
            try:
                skipped: list[str] = []
                report = self._update_locked(paths, progress, should_stop, rebuild, skipped)
            except OSError as exc:
                return self._read_only(exc, started)
            finally:
                lock.release()
        if report.added or report.changed or report.removed or report.rebuilt:
            self._drop_snapshot()
        return replace(report, skipped=tuple(skipped), took_s=time.perf_counter() - started)

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
        self._drop_snapshot()  # read the index afresh, as it is on disk
        return UpdateReport(
            took_s=time.perf_counter() - started,
            busy=f"the index could not be updated (the cache folder is read-only: "
            f"{exc.strerror or exc}); using the last complete one",
        )

    def _update_locked(
        self,
        paths: IndexPaths,
        progress: Progress | None,
        should_stop: ShouldStop | None,
        rebuild: bool,
        skipped: list[str],
    ) -> UpdateReport:
        clean_strays(paths)
        for root in self.roots.paths:  # an unmounted archive is not an archive emptied
            if not root.is_dir():
                raise OSError(f"archive folder {root} does not exist or is not a folder")
        post_files = find_all(self.roots.paths, skipped)
        notice = None
        if not rebuild:
            try:
                store, view = open_checked(paths, self.roots)
            except FileNotFoundError:
                rebuild = True
            except Exception as exc:  # any damage means: rebuild
                if is_write_failure(exc):
                    raise
                rebuild = True
                notice = _damage_message(exc)
        if rebuild:
            return self._rebuild(paths, post_files, notice, progress, should_stop)
        try:
            changes = diff(store, post_files)
            added, changed, removed, warnings, cancelled = incremental(
                paths, store, view, changes, self.asset_table, progress, should_stop
            )
        except Exception as exc:  # damage found while updating: rebuild
            store.close()
            view.close()
            if is_write_failure(exc):  # the disk is full: the last index is still whole
                raise
            return self._rebuild(paths, post_files, _damage_message(exc), progress, should_stop)
        store.close()
        view.close()
        return UpdateReport(
            added=added,
            changed=changed,
            removed=removed,
            unchanged=changes.unchanged,
            warnings=warnings,
            cancelled=cancelled,
        )

    def _rebuild(
        self,
        paths: IndexPaths,
        post_files: list[PostFile],
        notice: str | None,
        progress: Progress | None,
        should_stop: ShouldStop | None,
    ) -> UpdateReport:
        if notice:
            self.notice(notice)
        self._drop_snapshot()
        meta = {"format": FORMAT_VERSION, "roots": roots_json(self.roots)}
        count, warnings, cancelled = full_build(
            paths.cache, paths.folder, meta, post_files, self.asset_table, progress, should_stop
        )
        return UpdateReport(
            added=count,
            warnings=warnings,
            rebuilt=not cancelled,
            notice=notice,
            cancelled=cancelled,
        )

    # -- reading ------------------------------------------------------------------------------

    def _open_snapshot(self):  # search.Snapshot
        from .search.searcher import Snapshot

        store, view = open_checked(self.paths, self.roots, reading=True)
        return Snapshot(view, store, self.canonical_asset)

    def _drop_snapshot(self) -> None:
        with self._snapshot_lock:
            if self._snapshot is not None:
                try:
                    self._snapshot.close()
                except Exception:  # closing a broken index
                    pass
                self._snapshot = None

    def _read(
        self, action: Callable[..., object], default: object, *, repair: bool = False
    ) -> object:
        """Run `action(snapshot)` on the current index. Without an index, `default`. When
        reading fails (whatever the exception), reopen once (an update may have replaced the
        index meanwhile); if it fails again, rebuild when `repair` (else `default`)."""
        error: BaseException | None = None
        for attempt in range(3 if repair else 2):
            if attempt == 2:
                self.notice(_damage_message(error or IndexDamaged("unreadable")))
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
                    self._drop_snapshot()
                    error = exc
        if repair:
            raise IndexDamaged(
                f"the search index cannot be read even after rebuilding it ({type(error).__name__})"
            )
        return default

    def reopen(self) -> None:
        """Read the index afresh from now on (another process has just updated it)."""
        self._drop_snapshot()

    def has_index(self) -> bool:
        """Whether an index was built for these roots (complete or not)."""
        try:
            return self.paths.store.is_file()
        except OSError:
            return False

    def stored_posts(self) -> list[PostSummary]:
        """Every indexed post, from the stored data (no file reads); [] without an index."""
        return self._read(lambda snap: snap.store.summaries(), [])  # type: ignore[return-value]

    def quick_scan(self, post_files: Iterable[PostFile] | None = None) -> list[PostSummary]:
        """First run without an index: frontmatter only, no items (of `post_files`, default
        every post below the roots; the reader scans the newest ones first). Dates, titles
        and categories are the parser's, so a post stays where it is once indexed."""
        from .parse.post import post_category, post_date, post_title
        from .parse.source import meta_list, read_post

        result = []
        for post_file in find_all(self.roots.paths) if post_files is None else post_files:
            try:
                source = read_post(post_file.full_path, post_file.root)
            except OSError:
                continue
            meta, ignored = source.metadata, []
            result.append(
                PostSummary(
                    post_file.path,
                    str(post_file.root),
                    post_date(meta, post_file.path, source.mtime, ignored),
                    post_title(meta, source.body, post_file.path, ignored),
                    post_category(meta),
                    tuple(meta_list(meta, "tags")),
                    (),
                )
            )
        return sorted(result, key=lambda s: (s.date, s.root, s.path), reverse=True)

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
    ) -> SearchResult:
        """Search the index; raises QueryError for a malformed query. limit 0 = every hit."""
        from .search.searcher import run_search

        tree = build_query(query, tags, assets, categories, since, until)
        empty = SearchResult(query, 0.0, 0, ())
        return self._read(
            lambda snap: run_search(snap, tree, query, limit),
            empty,  # type: ignore[return-value]
            repair=True,
        )

    def tags(self) -> list[tuple[str, int]]:
        """Every tag (tags and categories) with the number of posts that have it."""
        return self._read(lambda snap: snap.store.tag_counts(), [])  # type: ignore[return-value]

    def assets(self) -> list[tuple[str, int]]:
        """Every asset with the number of impacts on it."""
        return self._read(lambda snap: snap.store.asset_counts(), [])  # type: ignore[return-value]

    def asset_timeline(self, asset: str) -> list[tuple[dt.date, str, str, str | None, str]]:
        """(date, stance, path, item_id, item_title) of every impact on `asset`, oldest first."""
        canonical = self.canonical_asset(asset)
        rows = self._read(lambda snap: snap.store.asset_impacts(canonical), [])
        return [
            (dt.date.fromisoformat(d), stance, path, item_id, title or "")
            for d, stance, path, item_id, title in rows
        ]  # type: ignore[union-attr]

    def posts_matching_filters(
        self, tags: Iterable[str] = (), assets: Iterable[str] = ()
    ) -> set[tuple[str, str]]:
        """(root, path) of the posts having every tag and an impact on every asset."""
        tags, assets = list(tags), [self.canonical_asset(a) for a in assets]

        def match(snap) -> set[tuple[str, str]]:
            store = snap.store
            pids: set[int] | None = None
            for found in [*map(store.pids_with_tag, tags), *map(store.pids_with_asset, assets)]:
                pids = found if pids is None else pids & found
            return store.post_keys(pids)

        return self._read(match, set())  # type: ignore[return-value]

    def load_post(self, root: str, path: str) -> Post:
        """Parse a post from disk (small LRU cache keyed by size and mtime); OSError if gone."""
        from .parse.post import parse_post

        full = Path(root) / path
        info = os.stat(full)
        key = (root, path, info.st_size, info.st_mtime_ns)
        with self._snapshot_lock:
            cached = self._post_cache.get(key)
            if cached is not None:
                self._post_cache.move_to_end(key)
                return cached
        post = parse_post(
            PostFile(Path(root), path, info.st_size, info.st_mtime_ns), self.asset_table
        )
        with self._snapshot_lock:
            self._post_cache[key] = post
            while len(self._post_cache) > 32:
                self._post_cache.popitem(last=False)
        return post

    def close(self) -> None:
        self._drop_snapshot()


def build_query(
    query: str,
    tags: Iterable[str] = (),
    assets: Iterable[str] = (),
    categories: Iterable[str] = (),
    since: dt.date | None = None,
    until: dt.date | None = None,
) -> Node:
    """The query tree for a query string plus the filters given as options."""
    from .search.searcher import date_filter

    filters: list[Node] = [Filter("tag", t) for t in tags if t.strip()]
    filters += [Filter("asset", a) for a in assets if a.strip()]
    filters += [Filter("category", c) for c in categories if c.strip()]
    if since is not None and until is not None and since > until:
        raise QueryError(f"impossible date range: --since {since} is after --until {until}")
    dates = date_filter(since, until)
    if dates is not None:
        filters.append(dates)
    if not query.strip():
        if not filters:
            raise QueryError("empty query: give a word to search for")
        return filters[0] if len(filters) == 1 else And(tuple(filters))
    tree = parse(query)
    if not filters:
        return tree
    children = tree.children if isinstance(tree, And) else (tree,)
    return And((*children, *filters))


def _damage_message(exc: BaseException) -> str:
    detail = str(exc).splitlines()[0][:120] if str(exc) else ""
    if isinstance(exc, IndexDamaged) and exc.expected:
        return f"rebuilding the search index ({detail})"
    kind = type(exc).__name__
    reason = detail if isinstance(exc, IndexDamaged) else f"{kind}{': ' + detail if detail else ''}"
    return f"the search index could not be read ({reason}); rebuilding it"
