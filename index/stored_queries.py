"""What the library answers from the index's stored data alone, without opening a post:
tag and asset counts, an asset's timeline, the stances over time (the market view) and the
reader's filters. A part of `Library` (index/library.py), kept apart so each module stays small.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import replace
from typing import TYPE_CHECKING, Any, TypeVar

from .filters import FilteredPosts, Filters, stances_by_post, summary_choices, summary_matches
from .market.rows import SCORES, StanceRow, in_range, rows_from_store
from .market.series import Flip, PeriodNet
from .model import PostSummary

if TYPE_CHECKING:
    from .search.store import Store

T = TypeVar("T")


class StoredQueries:
    """The stored-data answers of `Library`, read from the index's side store alone (no
    Whoosh postings); it provides `_read_store`, `canonical_asset` and `has_index`."""

    def _read_store(self, action: Callable[[Store], T], default: T, key: str = "") -> T:
        raise NotImplementedError

    def canonical_asset(self, name: str) -> str:
        raise NotImplementedError

    def has_index(self) -> bool:
        raise NotImplementedError

    def tags(self) -> list[tuple[str, int]]:
        """Every tag (tags and categories) with the number of posts that have it."""
        return self._read_store(lambda store: store.tag_counts(), [])

    def assets(self) -> list[tuple[str, int]]:
        """Every asset with the number of impacts on it."""
        return self._read_store(lambda store: store.asset_counts(), [])

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
        return self._read_store(
            lambda store: rows_from_store(store.stance_rows()), [], key="stance_rows"
        )

    def stances(
        self,
        assets: Iterable[str] = (),
        since: dt.date | None = None,
        until: dt.date | None = None,
    ) -> list[StanceRow]:
        """The scored impacts on the given assets (aliases resolve; none: every asset)
        dated since…until."""
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
        the impacts dated since…until; the same as market.series.nets over `stances`, read
        without the impacts' texts."""
        from .market.series import tally_nets

        wanted = {self.canonical_asset(a) for a in assets} or None

        def read(store: Store) -> list[PeriodNet]:
            dates, records = store.impact_tally()
            days = {pid: dt.date.fromisoformat(day) for pid, day in dates.items()}
            return tally_nets(
                (
                    (days[pid], uid, asset, stance, bool(inferred))
                    for pid, uid, asset, stance, inferred in records
                    if stance in SCORES
                    and (wanted is None or asset in wanted)
                    and (since is None or days[pid] >= since)
                    and (until is None or days[pid] <= until)
                ),
                by,
            )

        return self._read_store(read, [])

    def flips(
        self,
        assets: Iterable[str] = (),
        since: dt.date | None = None,
        until: dt.date | None = None,
    ) -> list[Flip]:
        """The flips dated since…until (each against the asset's whole history before it),
        with the first lines of their item's analysis."""
        from .market.series import flips

        found = [
            flip
            for flip in flips(self.stances(assets))
            if (since is None or flip.date >= since) and (until is None or flip.date <= until)
        ]
        uids = {flip.item.uid for flip in found}

        analyses = self._read_store(
            lambda store: store.unit_analyses(uids), dict[int, str | None]()
        )
        return [replace(flip, analysis=analyses.get(flip.item.uid)) for flip in found]

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
        keys = frozenset(self.posts_matching_filters(filters.tags, filters.assets))
        if filters.asset is None:
            return FilteredPosts(filters, keys)
        timeline = ((row[2], row[1]) for row in self.asset_timeline(filters.asset))
        return FilteredPosts(filters, keys, stances_by_post(keys, timeline))

    def filter_choices(self, kind: str, posts: Iterable[PostSummary]) -> list[tuple[str, int]]:
        """Tags or assets with their counts, most frequent first (from the index if any)."""
        if self.has_index():
            return self.tags() if kind == "tag" else self.assets()
        return summary_choices(posts, kind)
