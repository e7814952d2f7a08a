"""Every asset's scored impacts summed per day (`DayTally`), and the nets per period, day
series and flip dates summed from them.

A day tally is what every period net needs (a period's net is the sum of its days' nets, its
items the sum of its days' items, since an item belongs to one post, so to one day): the
command line's `stances --by day|week|month` and the market screen's grids are sums of a few
thousand day tallies instead of passes over every impact row. `index.market.cache` keeps
them (and the flips) on disk between runs, per index generation.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable, Sequence
from typing import NamedTuple

from .rows import SCORED_STANCES, StanceRow
from .series import PeriodNet, direction, period_of

_STANCE_INDEX = {stance: i for i, stance in enumerate(SCORED_STANCES)}
_WIDTH = len(SCORED_STANCES)


class DayTally(NamedTuple):
    """An asset's scored impacts on one day (a named tuple: thousands are read at once)."""

    date: dt.date
    asset: str
    counts: tuple[int, ...]
    """Rows per stance, in SCORED_STANCES order."""
    inferred: int
    """Rows whose stance was read from the words."""
    items: int
    """Distinct items behind the rows."""
    net: int


def day_tallies(rows: Iterable[StanceRow]) -> list[DayTally]:
    """The tally of every (day, asset) with scored rows, by day then asset."""
    counts: dict[tuple[dt.date, str], list[int]] = {}
    items: dict[tuple[dt.date, str], set[int]] = {}
    for row in rows:
        key = (row.date, row.asset)
        found = counts.get(key)
        if found is None:
            found = counts[key] = [0] * (_WIDTH + 2)
            items[key] = set()
        found[_STANCE_INDEX[row.stance]] += 1
        found[_WIDTH] += row.inferred
        found[_WIDTH + 1] += row.score
        items[key].add(row.uid)
    return [
        DayTally(
            date, asset, tuple(found[:_WIDTH]), found[_WIDTH], len(items[(date, asset)]), found[-1]
        )
        for (date, asset), found in sorted(counts.items())
    ]


def period_nets(
    days: Iterable[DayTally],
    by: str,
    assets: Collection[str] | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
) -> list[PeriodNet]:
    """The net of every (period, asset) of the tallies dated since…until on `assets` (None:
    every asset), by period then asset: the same as series.nets over those days' rows."""
    periods: dict[dt.date, str] = {}
    sums: dict[tuple[str, str], list[int]] = {}
    for day in days:
        if (
            (since is not None and day.date < since)
            or (until is not None and day.date > until)
            or (assets is not None and day.asset not in assets)
        ):
            continue
        period = periods.get(day.date)
        if period is None:
            period = periods[day.date] = period_of(day.date, by)
        key = (period, day.asset)
        found = sums.get(key)
        if found is None:
            sums[key] = [*day.counts, day.inferred, day.items, day.net]
            continue
        for i, n in enumerate(day.counts):
            found[i] += n
        found[_WIDTH] += day.inferred
        found[_WIDTH + 1] += day.items
        found[_WIDTH + 2] += day.net
    return [
        PeriodNet(period, asset, found[-1], tuple(found[:_WIDTH]), found[-2], found[_WIDTH])
        for (period, asset), found in sorted(sums.items())
    ]


def day_series(days: Iterable[DayTally]) -> dict[str, list[tuple[dt.date, int]]]:
    """asset -> (date, net) of every day with a scored impact on it, oldest first (the same
    as series.day_nets over the rows); `days` come by day."""
    series: dict[str, list[tuple[dt.date, int]]] = {}
    for day in days:
        series.setdefault(day.asset, []).append((day.date, day.net))
    return series


def flip_dates(series: dict[str, list[tuple[dt.date, int]]]) -> dict[str, list[dt.date]]:
    """asset -> every day its direction differs from the one of its day before."""
    return {asset: _turns(days) for asset, days in series.items()}


def _turns(days: Sequence[tuple[dt.date, int]]) -> list[dt.date]:
    return [
        date
        for (_, before), (date, net) in zip(days, days[1:], strict=False)
        if direction(net) != direction(before)
    ]
