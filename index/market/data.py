"""Everything the market screen shows, loaded once per index change: `MarketData`."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Protocol

from .heatmap import Grid
from .rows import StanceRow
from .series import Flip


class MarketSource(Protocol):
    """Where the market data comes from (index.library.Library)."""

    def stance_rows(self) -> list[StanceRow]: ...

    def flips(self) -> list[Flip]: ...


@dataclass
class MarketData:
    """Every scored impact, every flip and the grids built so far (one per kind of period)."""

    rows: list[StanceRow]
    flips: list[Flip]
    new_since: dt.date | None = None
    """Flips dated after this day are new since the last launch (None: no earlier launch)."""
    grids: dict[str, Grid] = field(default_factory=dict)

    def grid(self, by: str) -> Grid:
        """The grid by day, week or month (built on first use, then kept)."""
        if by not in self.grids:
            self.grids[by] = Grid.build(self.rows, by)
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
    """(Worker thread) read the rows and flips, and build the grid by day."""
    data = MarketData(source.stance_rows(), source.flips(), new_since)
    data.grid("day")
    return data
