"""Everything the market screen shows, loaded once per index change: `MarketData`."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Protocol

from .heatmap import Grid
from .rows import StanceRow
from .series import PERIODS, Flip, PeriodNet
from .tallies import DayTally, day_tallies


class MarketSource(Protocol):
    """Where the market data comes from (index.library.Library)."""

    def stance_rows(self) -> list[StanceRow]: ...

    def day_tallies(self) -> list[DayTally]: ...

    def period_nets(self, by: str) -> list[PeriodNet]: ...

    def flips(self) -> list[Flip]: ...


@dataclass
class MarketData:
    """Every scored impact, every flip and the grids built so far (one per kind of period)."""

    rows: list[StanceRow]
    flips: list[Flip]
    new_since: dt.date | None = None
    """Flips dated after this day are new since the last launch (None: no earlier launch)."""
    days: list[DayTally] | None = None
    """The rows' day tallies (computed from them when not given)."""
    nets: dict[str, list[PeriodNet]] = field(default_factory=dict)
    """The rows' nets by day, week or month, where already known."""
    grids: dict[str, Grid] = field(default_factory=dict)

    def grid(self, by: str) -> Grid:
        """The grid by day, week or month (built on first use, then kept); the grids share
        the day tallies, the rows by asset and the day series."""
        if by not in self.grids:
            if self.days is None:
                self.days = day_tallies(self.rows)
            like = next(iter(self.grids.values()), None)
            self.grids[by] = Grid.build(self.rows, by, self.days, like, self.nets.get(by))
        return self.grids[by]

    @property
    def newest(self) -> dt.date | None:
        return self.rows[-1].date if self.rows else None

    def new_flips(self) -> list[Flip]:
        """The flips since the last launch."""
        if self.new_since is None:
            return []
        return [flip for flip in self.flips if flip.date > self.new_since]


def load_market(source: MarketSource, new_since: dt.date | None = None) -> MarketData:
    """(Worker thread) read the rows, day tallies and flips, and build every grid (so the
    screen only draws, whichever period it shows)."""
    nets = {by: source.period_nets(by) for by in PERIODS}
    data = MarketData(source.stance_rows(), source.flips(), new_since, source.day_tallies(), nets)
    for by in PERIODS:
        data.grid(by)
    return data
