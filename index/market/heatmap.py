"""The market screen's grid: assets by periods, each cell an asset's net in that period.

`Grid.build` sums the day tallies into periods (for one kind of period) and keeps every
asset's rows by day; what the screen asks while the cursor moves (the order of rows in a
window of periods, a row's summary, a cell's rows) is answered from the grid in memory, never
from disk.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from .rows import SCORED_STANCES, StanceRow
from .series import AssetSummary, PeriodNet, next_period, periods_between, streak
from .tallies import DayTally, day_series, day_tallies, flip_dates, period_nets


@dataclass(frozen=True)
class Grid:
    """Every asset's nets for one kind of period, over the whole archive."""

    by: str
    periods: tuple[tuple[str, dt.date], ...]
    """Every period from the oldest row to the newest, gaps included: (key, first day)."""
    cells: dict[tuple[str, str], PeriodNet]
    """(asset, period) -> net, only where the asset has scored impacts."""
    asset_rows: dict[str, tuple[list[dt.date], list[StanceRow]]]
    """asset -> its rows by day (and their days, to find a cell's rows by bisection)."""
    day_series: dict[str, list[tuple[dt.date, int]]]
    flip_dates: dict[str, list[dt.date]]
    mentions: dict[str, list[int]]
    """asset -> rows per period index (for ordering rows in a window)."""

    @classmethod
    def build(
        cls,
        rows: Iterable[StanceRow],
        by: str,
        days: Sequence[DayTally] | None = None,
        like: Grid | None = None,
        nets: Iterable[PeriodNet] | None = None,
    ) -> Grid:
        """The grid of `rows` by `by`; `days` (their day tallies) and `nets` (their nets by
        `by`) when already known, and `like`, a grid of the same rows by another period, to
        share what does not depend on the period (the rows by asset, the day series)."""
        if days is None or like is None:
            rows = list(rows)
        if days is None:
            days = day_tallies(rows)
        if not days:
            return cls(by, (), {}, {}, {}, {}, {})
        periods = tuple(periods_between(days[0].date, days[-1].date, by))
        index = {key: i for i, (key, _) in enumerate(periods)}
        if nets is None:
            nets = period_nets(days, by)
        cells = {(net.asset, net.period): net for net in nets}
        mentions: dict[str, list[int]] = {}
        for (asset, period), net in cells.items():
            counts = mentions.get(asset)
            if counts is None:
                counts = mentions[asset] = [0] * len(periods)
            counts[index[period]] = net.rows
        if like is not None:
            return cls(
                by, periods, cells, like.asset_rows, like.day_series, like.flip_dates, mentions
            )
        series = day_series(days)
        return cls(by, periods, cells, rows_by_asset(rows), series, flip_dates(series), mentions)

    @property
    def assets(self) -> list[str]:
        """Every asset, most mentioned first."""
        return sorted(self.mentions, key=lambda a: (-sum(self.mentions[a]), a))

    def order(self, watch: Sequence[str], lo: int, hi: int) -> list[str]:
        """Row order for the periods lo…hi (indexes, inclusive): the watchlist first (in its
        order, mentioned or not), then the other assets mentioned there, most first."""
        watched = list(dict.fromkeys(watch))
        counted = [
            (sum(counts[lo : hi + 1]), asset)
            for asset, counts in self.mentions.items()
            if asset not in watched
        ]
        return watched + [asset for n, asset in sorted(counted, key=lambda c: (-c[0], c[1])) if n]

    def cell(self, asset: str, index: int) -> PeriodNet | None:
        if not 0 <= index < len(self.periods):
            return None
        return self.cells.get((asset, self.periods[index][0]))

    def rows_of(self, asset: str, index: int) -> tuple[StanceRow, ...]:
        """The rows of a cell, by day (in memory: two bisections)."""
        if not 0 <= index < len(self.periods) or asset not in self.asset_rows:
            return ()
        dates, rows = self.asset_rows[asset]
        start = self.periods[index][1]
        end = next_period(start, self.by)
        return tuple(rows[bisect.bisect_left(dates, start) : bisect.bisect_left(dates, end)])

    def period_end(self, index: int) -> dt.date:
        """The last day of the period at `index`."""
        return next_period(self.periods[index][1], self.by) - dt.timedelta(days=1)

    def summary(self, asset: str, lo: int, hi: int) -> AssetSummary:
        """An asset's streak and last flip as of the end of period `hi`, its counts over the
        periods lo…hi."""
        counts = [0] * len(SCORED_STANCES)
        net = inferred = 0
        for index in range(max(lo, 0), min(hi, len(self.periods) - 1) + 1):
            cell = self.cell(asset, index)
            if cell is not None:
                counts = [a + b for a, b in zip(counts, cell.counts, strict=True)]
                net += cell.net
                inferred += cell.inferred
        if not self.periods:
            return AssetSummary(asset, None, None, tuple(counts), net, inferred)
        until = self.period_end(min(hi, len(self.periods) - 1))
        days = self.day_series.get(asset, [])
        upto = days[: bisect.bisect_right(days, (until, 1 << 62))]
        turned = self.flip_dates.get(asset, [])
        flips_upto = turned[: bisect.bisect_right(turned, until)]
        return AssetSummary(
            asset,
            streak(upto),
            flips_upto[-1] if flips_upto else None,
            tuple(counts),
            net,
            inferred,
        )


def rows_by_asset(rows: Iterable[StanceRow]) -> dict[str, tuple[list[dt.date], list[StanceRow]]]:
    """asset -> (days, rows) of its rows, by day (rows of one day in their order)."""
    grouped: dict[str, list[StanceRow]] = defaultdict(list)
    for row in rows:
        grouped[row.asset].append(row)
    result = {}
    for asset, own in grouped.items():
        if any(a.date > b.date for a, b in zip(own, own[1:], strict=False)):
            own.sort(key=lambda row: row.date)
        result[asset] = ([row.date for row in own], own)
    return result
