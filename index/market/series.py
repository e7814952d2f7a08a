"""Nets per period, directions, streaks and flips, from StanceRows.

A period's net is the sum of its rows' scores. A day's direction is the sign of its net
(`flat` for 0). A flip is a day whose direction differs from the one of the last earlier day
with a scored impact on the asset (days without one are skipped, not flat); its item is that
day's item with the largest score in the new direction. Weeks are ISO weeks.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from .rows import SCORED_STANCES, SCORES, StanceRow

PERIODS: tuple[str, ...] = ("day", "week", "month")
DIRECTIONS: tuple[str, ...] = ("up", "down", "flat")


def period_of(date: dt.date, by: str) -> str:
    """The period a date falls in: "2026-02-05" (day), "2026-W06" (ISO week), "2026-02"."""
    if by == "day":
        return date.isoformat()
    if by == "week":
        year, week, _ = date.isocalendar()
        return f"{year}-W{week:02d}"
    if by == "month":
        return f"{date.year}-{date.month:02d}"
    raise ValueError(f"unknown period {by!r}: use day, week or month")


def period_start(date: dt.date, by: str) -> dt.date:
    """The first day of the period `date` falls in."""
    if by == "day":
        return date
    if by == "week":
        return date - dt.timedelta(days=date.weekday())
    if by == "month":
        return date.replace(day=1)
    raise ValueError(f"unknown period {by!r}: use day, week or month")


def next_period(start: dt.date, by: str) -> dt.date:
    """The first day of the period after the one starting on `start`."""
    if by == "day":
        return start + dt.timedelta(days=1)
    if by == "week":
        return start + dt.timedelta(days=7)
    year, month = (start.year + 1, 1) if start.month == 12 else (start.year, start.month + 1)
    return dt.date(year, month, 1)


def periods_between(first: dt.date, last: dt.date, by: str) -> list[tuple[str, dt.date]]:
    """Every period from the one holding `first` to the one holding `last`, gaps included,
    oldest first: (key, first day)."""
    result = []
    start = period_start(first, by)
    while start <= last:
        result.append((period_of(start, by), start))
        start = next_period(start, by)
    return result


def direction(net: int) -> str:
    """The direction of a net: up, down or flat (0)."""
    return "up" if net > 0 else "down" if net < 0 else "flat"


@dataclass(frozen=True, slots=True)
class PeriodNet:
    """An asset's scored impacts in one period, summed."""

    period: str
    asset: str
    net: int
    counts: tuple[int, ...]
    """Rows per stance, in SCORED_STANCES order."""
    items: int
    """Distinct items behind the rows."""
    inferred: int = 0
    """Rows whose stance was read from the words (no stance word)."""

    def count(self, stance: str) -> int:
        return self.counts[SCORED_STANCES.index(stance)]

    @property
    def rows(self) -> int:
        return sum(self.counts)

    @property
    def look(self) -> str:
        """The stance the period reads as, for a cell: bullish for a net of 2 or more,
        leaning_bullish for 1 (the same downwards); at 0, mixed when mixed impacts or both
        directions were there, else neutral."""
        if self.net >= 2:
            return "bullish"
        if self.net == 1:
            return "leaning_bullish"
        if self.net <= -2:
            return "bearish"
        if self.net == -1:
            return "leaning_bearish"
        up = self.count("bullish") + self.count("leaning_bullish")
        down = self.count("bearish") + self.count("leaning_bearish")
        return "mixed" if self.count("mixed") or (up and down) else "neutral"

    def to_json(self) -> dict[str, Any]:
        """The contract's `stances --by day|week|month` object."""
        result: dict[str, Any] = {"period": self.period, "asset": self.asset, "net": self.net}
        result.update(zip(SCORED_STANCES, self.counts, strict=True))
        result["items"] = self.items
        return result


#: One scored impact on an asset, reduced to what a net needs: (date, uid of the item,
#: asset, stance, inferred). What the store's impact tally gives without reading texts.
Tally = tuple[dt.date, int, str, str, bool]

_STANCE_INDEX = {stance: i for i, stance in enumerate(SCORED_STANCES)}
_SCORE_OF = tuple(SCORES[stance] for stance in SCORED_STANCES)


def nets(rows: Iterable[StanceRow], by: str) -> list[PeriodNet]:
    """The net of every (period, asset) with rows, by period then asset."""
    return tally_nets(((r.date, r.uid, r.asset, r.stance, r.inferred) for r in rows), by)


def tally_nets(tally: Iterable[Tally], by: str) -> list[PeriodNet]:
    """The net of every (period, asset) of a tally, by period then asset; items are told
    apart by their uid (an item belongs to one post, so to one day)."""
    periods: dict[dt.date, str] = {}
    counts: dict[tuple[str, str], list[int]] = {}
    items: dict[tuple[str, str], set[int]] = defaultdict(set)
    inferred: dict[tuple[str, str], int] = defaultdict(int)
    width = len(SCORED_STANCES)
    for date, uid, asset, stance, guessed in tally:
        period = periods.get(date)
        if period is None:
            period = periods[date] = period_of(date, by)
        key = (period, asset)
        found = counts.get(key)
        if found is None:
            found = counts[key] = [0] * width
        found[_STANCE_INDEX[stance]] += 1
        items[key].add(uid)
        if guessed:
            inferred[key] += 1
    return [
        PeriodNet(
            period,
            asset,
            sum(n * score for n, score in zip(found, _SCORE_OF, strict=True)),
            tuple(found),
            len(items[(period, asset)]),
            inferred.get((period, asset), 0),
        )
        for (period, asset), found in sorted(counts.items())
    ]


def net_of(period: str, asset: str, rows: Sequence[StanceRow]) -> PeriodNet:
    """One period's net of one asset's rows."""
    counts = [0] * len(SCORED_STANCES)
    for row in rows:
        counts[_STANCE_INDEX[row.stance]] += 1
    return PeriodNet(
        period,
        asset,
        sum(row.score for row in rows),
        tuple(counts),
        len({row.uid for row in rows}),
        sum(row.inferred for row in rows),
    )


def day_nets(rows: Iterable[StanceRow]) -> dict[str, list[tuple[dt.date, int]]]:
    """asset -> (date, net) of every day with a scored impact on it, oldest first."""
    sums: dict[str, dict[dt.date, int]] = defaultdict(lambda: defaultdict(int))
    for row in rows:
        sums[row.asset][row.date] += row.score
    return {asset: sorted(days.items()) for asset, days in sums.items()}


@dataclass(frozen=True, slots=True)
class Flip:
    """A day an asset's net direction turned, with the item that turned it."""

    asset: str
    date: dt.date
    before: str
    """The direction of `previous_date` (the contract's `from`)."""
    after: str
    """The direction of `date` (the contract's `to`)."""
    previous_date: dt.date
    net: int
    item: StanceRow
    """That day's item (one of its rows on the asset) with the largest score in `after`."""
    analysis: str | None = None
    """The first lines of the item's analysis (filled from the store)."""

    def to_json(self) -> dict[str, Any]:
        """The contract's `flips` object."""
        return {
            "asset": self.asset,
            "date": self.date.isoformat(),
            "from": self.before,
            "to": self.after,
            "previous_date": self.previous_date.isoformat(),
            "net": self.net,
            "path": self.item.path,
            "root": self.item.root,
            "item_id": self.item.item_id,
            "item_title": self.item.item_title,
            "analysis": self.analysis,
        }


def flips(rows: Iterable[StanceRow]) -> list[Flip]:
    """Every flip of every asset, oldest first (then by asset)."""
    by_day: dict[tuple[str, dt.date], list[StanceRow]] = defaultdict(list)
    for row in rows:
        by_day[(row.asset, row.date)].append(row)
    result = []
    for asset, series in day_nets(row for group in by_day.values() for row in group).items():
        for (before_date, before_net), (date, net) in zip(series, series[1:], strict=False):
            if direction(net) != direction(before_net):
                item = turning_item(by_day[(asset, date)], direction(net))
                result.append(
                    Flip(asset, date, direction(before_net), direction(net), before_date, net, item)
                )
    return sorted(result, key=lambda flip: (flip.date, flip.asset))


def turning_item(rows: Sequence[StanceRow], towards: str) -> StanceRow:
    """Of one day's rows on an asset, the first row of the item whose summed score goes
    furthest towards `towards` (up: the largest, down: the smallest, flat: the nearest to 0);
    on a tie, the item that comes first."""
    scores: dict[tuple[str, str, str], int] = {}
    first: dict[tuple[str, str, str], StanceRow] = {}
    for row in rows:
        scores[row.item_key] = scores.get(row.item_key, 0) + row.score
        first.setdefault(row.item_key, row)

    def key(item: tuple[str, str, str]) -> int:
        value = scores[item]
        return -value if towards == "up" else value if towards == "down" else abs(value)

    return first[min(scores, key=key)]  # min keeps the first of equals


@dataclass(frozen=True, slots=True)
class Streak:
    """How long an asset's current direction has held: `days` days with a scored impact,
    from `since` to `last` (days without one do not break it)."""

    direction: str
    days: int
    since: dt.date
    last: dt.date


def streak(series: Sequence[tuple[dt.date, int]]) -> Streak | None:
    """The current streak of a day series ((date, net), oldest first); None when empty."""
    if not series:
        return None
    current = direction(series[-1][1])
    days, since = 0, series[-1][0]
    for date, net in reversed(series):
        if direction(net) != current:
            break
        days, since = days + 1, date
    return Streak(current, days, since, series[-1][0])


@dataclass(frozen=True, slots=True)
class AssetSummary:
    """What the market screen shows beside an asset's row."""

    asset: str
    streak: Streak | None
    """As of the end of the range (from every earlier day, not only the visible ones)."""
    last_flip: dt.date | None
    counts: tuple[int, ...]
    """Rows per stance in the range (SCORED_STANCES order)."""
    net: int
    inferred: int

    @property
    def mentions(self) -> int:
        return sum(self.counts)


def summarize(
    rows: Sequence[StanceRow],
    asset: str,
    since: dt.date | None = None,
    until: dt.date | None = None,
) -> AssetSummary:
    """An asset's streak and last flip as of `until`, its counts since…until."""
    upto = [r for r in rows if r.asset == asset and (until is None or r.date <= until)]
    series = day_nets(upto).get(asset, [])
    turned = [
        date
        for (_, before), (date, net) in zip(series, series[1:], strict=False)
        if direction(net) != direction(before)
    ]
    visible = [r for r in upto if since is None or r.date >= since]
    total = net_of("", asset, visible)
    return AssetSummary(
        asset,
        streak(series),
        turned[-1] if turned else None,
        total.counts,
        total.net,
        total.inferred,
    )
