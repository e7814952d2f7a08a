"""What the library answers from the index's stored data alone, without opening a post:
tag and asset counts, an asset's timeline, the stances over time (the market view) and the
reader's filters. A part of `Library` (index/library.py), kept apart so each module stays small.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Any, TypeVar

from .filters import (
    FilteredPosts,
    Filters,
    combined_stance,
    summary_choices,
    summary_matches,
)
from .model import PostKey, PostSummary

if TYPE_CHECKING:  # the market's modules are imported by the reads that use them
    from .market.cache import SeriesCache
    from .market.rows import StanceRow
    from .market.series import Flip, PeriodNet
    from .market.tallies import DayTally
    from .search.store import Store
    from .search.update import IndexPaths

T = TypeVar("T")


class StoredQueries:
    """The stored-data answers of `Library`, read from the index's side store alone (no
    Whoosh postings); it provides `_read_store`, `canonical_asset`, `has_index` and
    `paths`."""

    def _read_store(self, action: Callable[[Store], T], default: T, key: str = "") -> T:
        raise NotImplementedError

    def _remembered(self, key: str, compute: Callable[[], T]) -> T:
        raise NotImplementedError

    def _known(self, key: str) -> object | None:
        raise NotImplementedError

    def canonical_asset(self, name: str) -> str:
        raise NotImplementedError

    def has_index(self) -> bool:
        raise NotImplementedError

    @property
    def paths(self) -> IndexPaths:
        raise NotImplementedError

    def tags(self) -> list[tuple[str, int]]:
        """Every tag (tags and categories) with the number of posts that have it."""
        return self._read_store(lambda store: store.tag_counts(), [], key="tag_counts")

    def assets(self) -> list[tuple[str, int]]:
        """Every asset with the number of impacts on it."""
        return self._read_store(lambda store: store.asset_counts(), [], key="asset_counts")

    def asset_timeline(self, asset: str) -> list[tuple[dt.date, str, str, str | None, str]]:
        """(date, stance, path, item_id, item_title) of every impact on `asset`, oldest first."""
        canonical = self.canonical_asset(asset)
        rows = self._read_store(lambda store: store.asset_impacts(canonical), list[Any]())
        return [
            (dt.date.fromisoformat(d), stance, path, item_id, title or "")
            for d, stance, path, item_id, title in rows
        ]

    def stance_rows(self) -> list[StanceRow]:
        """Every scored impact on an asset, oldest first, from the stored impacts (kept in
        memory until the index changes); [] without an index."""
        from .market.rows import rows_from_store

        return self._read_store(
            lambda store: rows_from_store(store.stance_rows()), [], key="stance_rows"
        )

    def _series_cache(self, store: Store) -> SeriesCache | None:
        """The on-disk cache of the series computed from this index (None when the cache
        folder cannot be used): valid while its format, roots, generation and files are."""
        import hashlib

        from .market.cache import SeriesCache

        identity = "\0".join(
            str(store.get_meta(name)) for name in ("format", "roots", "generation", "files")
        )
        try:
            folder = self.paths.folder
        except OSError:
            return None
        return SeriesCache(folder, hashlib.sha256(identity.encode("utf-8")).hexdigest()[:32])

    def day_tallies(self) -> list[DayTally]:
        """Every asset's scored impacts summed per day, by day then asset (kept until the
        index changes, and on disk)."""
        from .market.tallies import day_tallies

        def read(store: Store) -> list[DayTally]:
            cache = self._series_cache(store)
            days = cache.days() if cache is not None else None
            if days is None:
                days = day_tallies(self.stance_rows())
                if cache is not None:
                    cache.save_days(days)
            return days

        return self._read_store(read, [], key="market_days")

    def all_flips(self) -> list[Flip]:
        """Every flip of every asset, oldest first, with its item's analysis (kept until
        the index changes, and on disk)."""
        from .market.series import flips

        def read(store: Store) -> list[Flip]:
            cache = self._series_cache(store)
            found = cache.flips() if cache is not None else None
            if found is None:
                found = flips(self.stance_rows())
                analyses = store.unit_analyses({flip.item.uid for flip in found})
                found = [replace(flip, analysis=analyses.get(flip.item.uid)) for flip in found]
                if cache is not None:
                    cache.save_flips(found)
            return found

        return self._read_store(read, [], key="market_flips")

    def stances(
        self,
        assets: Iterable[str] = (),
        since: dt.date | None = None,
        until: dt.date | None = None,
    ) -> list[StanceRow]:
        """The scored impacts on the given assets (aliases resolve; none: every asset)
        dated since…until."""
        from .market.rows import in_range

        wanted = [self.canonical_asset(a) for a in assets] or None
        return in_range(self.stance_rows(), since, until, wanted)

    def period_nets(
        self,
        by: str,
        assets: Iterable[str] = (),
        since: dt.date | None = None,
        until: dt.date | None = None,
    ) -> list[PeriodNet]:
        """The net per day, ISO week or month of the given assets (none: every asset) from
        the impacts dated since…until; the same as market.series.nets over `stances`, summed
        from the day tallies (the whole archive's kept until the index changes, and on disk)."""
        from .market.tallies import period_nets

        wanted = {self.canonical_asset(a) for a in assets} or None
        if wanted is not None or since is not None or until is not None:
            return period_nets(self.day_tallies(), by, wanted, since, until)

        def read(store: Store) -> list[PeriodNet]:
            cache = self._series_cache(store)
            nets = cache.nets(by) if cache is not None else None
            if nets is None:
                nets = period_nets(self.day_tallies(), by)
                if cache is not None:
                    cache.save_nets(by, nets)
            return nets

        return self._read_store(read, [], key=f"market_nets_{by}")

    def flips(
        self,
        assets: Iterable[str] = (),
        since: dt.date | None = None,
        until: dt.date | None = None,
    ) -> list[Flip]:
        """The flips dated since…until (each against the asset's whole history before it),
        with the first lines of their item's analysis."""
        wanted = {self.canonical_asset(a) for a in assets} or None
        return [
            flip
            for flip in self.all_flips()
            if (wanted is None or flip.asset in wanted)
            and (since is None or flip.date >= since)
            and (until is None or flip.date <= until)
        ]

    def posts_matching_filters(
        self, tags: Iterable[str] = (), assets: Iterable[str] = ()
    ) -> set[tuple[str, str]]:
        """(root, path) of the posts having every tag and an impact on every asset."""
        tags, assets = list(tags), [self.canonical_asset(a) for a in assets]

        def match(store: Store) -> set[tuple[str, str]]:
            pids: set[int] | None = None
            for found in [*map(store.pids_with_tag, tags), *map(store.pids_with_asset, assets)]:
                pids = found if pids is None else pids & found
            return store.post_keys(pids)

        return self._read_store(match, set())

    # -- filters (the reader's date list) ----------------------------------------------------

    def filter_posts(self, filters: Filters, posts: Iterable[PostSummary]) -> FilteredPosts:
        """Which of `posts` pass `filters`, with the asset's stance per post under an asset
        filter; from the index when there is one, else from the posts' own summaries."""
        if not filters:
            return FilteredPosts(filters)
        if not self.has_index():
            keys = frozenset(p.key for p in posts if summary_matches(p, filters))
            return FilteredPosts(filters, keys, {} if filters.asset else None)
        return self._remembered(_filtered_key(filters), lambda: self._filtered(filters))

    def known_filtered(self, filters: Filters) -> FilteredPosts | None:
        """`filter_posts` as last worked out for this index, without reading anything (None
        when it was not, or the index changed since)."""
        found = self._known(_filtered_key(filters)) if filters else None
        return found if isinstance(found, FilteredPosts) else None

    def _filtered(self, filters: Filters) -> FilteredPosts:
        """`filter_posts` from the index (the same for every listing of one index: kept)."""
        if filters.asset is None:
            return FilteredPosts(filters, frozenset(self.posts_matching_filters(filters.tags)))
        asset = self.canonical_asset(filters.asset)
        by_post: dict[PostKey, list[str]] = self._read_store(
            lambda store: store.asset_stances_by_post(asset), {}
        )
        keys = frozenset(by_post)
        if filters.tag is not None:
            keys &= self.posts_matching_filters(filters.tags)
        return FilteredPosts(filters, keys, {k: combined_stance(by_post[k]) for k in keys})

    def warm_filters(
        self, posts: Sequence[PostSummary], count: int, stop: Callable[[], bool]
    ) -> None:
        """Work out `filter_posts` for the `count` first assets and tags of the pickers (kept
        until the index changes, so `known_filtered` has them) and the posts of `posts` each
        lets through, until `stop()` says so."""
        for kind in ("asset", "tag"):
            for name, _count in self.filter_choices(kind, posts)[:count]:
                if stop():
                    return
                self.filter_posts(Filters().with_value(kind, name), posts).listed(posts)

    def filter_choices(self, kind: str, posts: Iterable[PostSummary]) -> list[tuple[str, int]]:
        """Tags or assets with their counts, most frequent first (from the index if any)."""
        if self.has_index():
            return self.tags() if kind == "tag" else self.assets()
        return summary_choices(posts, kind)


def _filtered_key(filters: Filters) -> str:
    """Under what `filter_posts` keeps its answer for `filters`."""
    return f"filtered {filters!r}"
