"""The market screen's grid: assets by periods, each cell an asset's net in that period.

`Grid.build` does the one pass over every row (for one kind of period); what the screen asks
while the cursor moves (the order of rows in a window of periods, a row's summary, a cell's
rows) is answered from the grid in memory, never from disk.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from .rows import SCORED_STANCES, StanceRow
from .series import (
    AssetSummary,
    PeriodNet,
    day_nets,
    direction,
    net_of,
    next_period,
    period_of,
    periods_between,
    streak,
)


@dataclass(frozen=True)
class Grid:
    """Every asset's nets for one kind of period, over the whole archive."""

    by: str
    periods: tuple[tuple[str, dt.date], ...]
    """Every period from the oldest row to the newest, gaps included: (key, first day)."""
    cells: dict[tuple[str, str], PeriodNet]
    """(asset, period) -> net, only where the asset has scored impacts."""
    cell_rows: dict[tuple[str, str], tuple[StanceRow, ...]]
    day_series: dict[str, list[tuple[dt.date, int]]]
    flip_dates: dict[str, list[dt.date]]
    mentions: dict[str, list[int]]
    """asset -> rows per period index (for ordering rows in a window)."""

    @classmethod
    def build(cls, rows: Iterable[StanceRow], by: str) -> Grid:
        rows = list(rows)
        if not rows:
            return cls(by, (), {}, {}, {}, {}, {})
        first = min(row.date for row in rows)
        last = max(row.date for row in rows)
        periods = tuple(periods_between(first, last, by))
        index = {key: i for i, (key, _) in enumerate(periods)}
        groups: dict[tuple[str, str], list[StanceRow]] = defaultdict(list)
        for row in rows:
            groups[(row.asset, period_of(row.date, by))].append(row)
        cells = {key: net_of(key[1], key[0], group) for key, group in groups.items()}
        mentions: dict[str, list[int]] = {}
        for (asset, period), group in groups.items():
            mentions.setdefault(asset, [0] * len(periods))[index[period]] = len(group)
        series = day_nets(rows)
        flip_dates = {
            asset: [
                date
                for (_, before), (date, net) in zip(days, days[1:], strict=False)
                if direction(net) != direction(before)
            ]
            for asset, days in series.items()
        }
        return cls(
            by,
            periods,
            cells,
            {key: tuple(group) for key, group in groups.items()},
            series,
            flip_dates,
            mentions,
        )

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
        if not 0 <= index < len(self.periods):
            return ()
        return self.cell_rows.get((asset, self.periods[index][0]), ())

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
