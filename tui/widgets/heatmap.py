"""The market heatmap: assets (rows) by periods (columns, newest on the right).

Each cell is the asset's net in the period as a stance colour of the active convention (a
dimmer shade for a net of ±1, magenta for mixed, yellow for neutral) with the stance's glyph,
so nothing depends on colour alone (under NO_COLOR only the glyph); `~` marks a cell whose
net counts an inferred stance; a cell is blank when the asset is not mentioned. Beside each
row: the direction and its streak, the last flip, the mentions in the visible periods.
Everything is drawn from the grid in memory: moving the cursor never reads the disk.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from functools import lru_cache

from rich.cells import cell_len
from rich.style import Style
from rich.text import Text
from textual.binding import Binding
from textual.message import Message
from textual.widget import Widget

from ...index.market.brief import DIRECTION_GLYPHS, DIRECTION_WORDS
from ...index.market.heatmap import Grid
from ...index.model import STANCE_GLYPHS
from ..colors import stance_colour

NAME_WIDTH = 10
CELL_WIDTH = 3
SUMMARY_WIDTH = 34
INK = "#1c1c1c"
CURSOR = Style(reverse=True, underline=True)


def fit(text: str, width: int) -> str:
    """`text` cut or padded to `width` cells (wide characters count two)."""
    out, used = "", 0
    for char in text:
        size = cell_len(char)
        if used + size > width:
            break
        out, used = out + char, used + size
    return out + " " * (width - used)


def cell_text(look: str | None, inferred: bool) -> str:
    """What a cell shows: the stance glyph, `~` when an inferred stance counts, or blank."""
    if look is None:
        return " " * CELL_WIDTH
    return f"{STANCE_GLYPHS[look]}{'~' if inferred else ' '} "


@lru_cache(maxsize=128)
def cell_style(look: str | None, convention: str, colour: bool) -> Style:
    """The style of a cell: the stance colour as background (bold for a firm stance);
    kept, since a frame draws hundreds of cells of a few looks."""
    if look is None or not colour:
        return Style(bold=look in ("bullish", "bearish"))
    return Style(
        bgcolor=stance_colour(look, convention),
        color=INK,
        bold=look in ("bullish", "bearish"),
    )


@lru_cache(maxsize=32)
def direction_style(way: str, convention: str, colour: bool) -> Style:
    """The style of a streak: bold, in its direction's colour."""
    look = {"up": "bullish", "down": "bearish", "flat": "neutral"}[way]
    if not colour:
        return Style(bold=True)
    return Style(color=stance_colour(look, convention), bold=True)


class Heatmap(Widget, can_focus=True):
    """The grid with a cursor over its cells."""

    BINDINGS = [
        Binding("left,h", "move(0, -1)", "Earlier", show=False),
        Binding("right,l", "move(0, 1)", "Later", show=False),
        Binding("up,k", "move(-1, 0)", "Up", show=False),
        Binding("down,j", "move(1, 0)", "Down", show=False),
        Binding("pageup", "move(0, -20)", "Page earlier", show=False),
        Binding("pagedown", "move(0, 20)", "Page later", show=False),
        Binding("home", "edge(-1)", "Oldest", show=False),
        Binding("end", "edge(1)", "Newest", show=False),
        Binding("enter", "choose", "Open item"),
    ]

    class CursorMoved(Message):
        """The cursor is on another cell (asset, period index)."""

        def __init__(self, asset: str | None, index: int) -> None:
            super().__init__()
            self.asset = asset
            self.index = index

    class Chosen(Message):
        """Enter on a cell: open its first item."""

        def __init__(self, asset: str, index: int) -> None:
            super().__init__()
            self.asset = asset
            self.index = index

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002
        super().__init__(id=id)
        self.grid: Grid | None = None
        self.watched: list[str] = []
        self.convention = "cn"
        self.colour = True
        self.asset: str | None = None
        """The asset of the cursor's row."""
        self.index = -1
        """The period index of the cursor's column."""
        self.right = -1
        """The period index of the rightmost visible column."""
        self.top = 0

    # -- what the screen sets ------------------------------------------------------------
    def show(
        self, grid: Grid, watch: Sequence[str], convention: str, colour: bool, *, keep: bool
    ) -> None:
        """Show `grid`; keep the cursor's asset and day when `keep`, else start on the
        newest period and the first row."""
        day = None
        if keep and self.grid is not None and 0 <= self.index < len(self.grid.periods):
            day = self.grid.periods[self.index][1]
        self.grid, self.watched = grid, list(watch)
        self.convention, self.colour = convention, colour
        count = len(grid.periods)
        if day is not None and count:
            starts = [start for _, start in grid.periods]
            self.index = max(bisect.bisect_right(starts, day) - 1, 0)
        else:
            self.index = count - 1
        self.right = self.index if not keep or self.right < 0 else min(self.right, count - 1)
        self._scroll_to_cursor()
        order = self.order()
        if self.asset not in order or not keep:
            self.asset = order[0] if order else None
            self.top = 0
        self.refresh()
        self.post_message(self.CursorMoved(self.asset, self.index))

    @property
    def columns(self) -> int:
        """How many periods fit the width."""
        return max(1, (self.size.width - NAME_WIDTH - SUMMARY_WIDTH - 1) // CELL_WIDTH)

    @property
    def window(self) -> tuple[int, int]:
        """The visible period indexes (lo, hi), inclusive."""
        return max(0, self.right - self.columns + 1), self.right

    def order(self) -> list[str]:
        if self.grid is None:
            return []
        return self.grid.order(self.watched, *self.window)

    def _scroll_to_cursor(self) -> None:
        lo, hi = self.window
        if self.index > hi:
            self.right = self.index
        elif self.index < lo:
            self.right = self.index + self.columns - 1
        if self.grid is not None:
            self.right = min(self.right, len(self.grid.periods) - 1)

    # -- moving --------------------------------------------------------------------------
    def action_move(self, rows: int, columns: int) -> None:
        if self.grid is None or not self.grid.periods:
            return
        self.index = min(max(self.index + columns, 0), len(self.grid.periods) - 1)
        self._scroll_to_cursor()
        order = self.order()
        if order:
            row = order.index(self.asset) if self.asset in order else 0
            self.asset = order[min(max(row + rows, 0), len(order) - 1)]
            row = order.index(self.asset)
            visible = max(1, self.size.height - 1)
            if row < self.top:
                self.top = row
            elif row >= self.top + visible:
                self.top = row - visible + 1
        self.refresh()
        self.post_message(self.CursorMoved(self.asset, self.index))

    def action_edge(self, side: int) -> None:
        if self.grid is not None:
            self.action_move(0, side * len(self.grid.periods))

    def action_choose(self) -> None:
        if (
            self.asset is not None
            and self.grid is not None
            and self.grid.rows_of(self.asset, self.index)
        ):
            self.post_message(self.Chosen(self.asset, self.index))

    # -- drawing -------------------------------------------------------------------------
    def render(self) -> Text:
        grid = self.grid
        if grid is None or not grid.periods:
            return Text("")
        lo, hi = self.window
        lines = [self._labels(grid, lo, hi)]
        order = self.order()
        visible = max(1, self.size.height - 1)
        self.top = min(self.top, max(0, len(order) - visible))
        for asset in order[self.top : self.top + visible]:
            lines.append(self._row(grid, asset, lo, hi))
        return Text("\n").join(lines)

    def _labels(self, grid: Grid, lo: int, hi: int) -> Text:
        line = Text(fit(grid.by, NAME_WIDTH), style="dim")
        used = 0
        for index in range(lo, hi + 1):
            key, start = grid.periods[index]
            label = {"day": start.strftime("%m-%d"), "week": key[2:], "month": key[2:]}[grid.by]
            first = {"day": start.weekday() == 0, "week": True, "month": True}[grid.by]
            column = (index - lo) * CELL_WIDTH
            if first and column >= used:
                line.append(" " * (column - used))
                line.append(label, style="bold" if index == self.index else "dim")
                used = column + cell_len(label) + 1
                line.append(" ")
        width = (hi - lo + 1) * CELL_WIDTH
        line.append(" " * max(0, width - used + 1))
        line.append(grid.periods[self.index][0] if self.index >= 0 else "", style="bold")
        return line

    def _row(self, grid: Grid, asset: str, lo: int, hi: int) -> Text:
        watched = asset in self.watched
        name_style = Style(bold=True) if watched else Style()
        line = Text(fit(("★" if watched else " ") + asset, NAME_WIDTH), style=name_style)
        for index in range(lo, hi + 1):
            cell = grid.cell(asset, index)
            look = cell.look if cell is not None else None
            style = cell_style(look, self.convention, self.colour)
            if asset == self.asset and index == self.index:
                style += CURSOR
            line.append(cell_text(look, bool(cell and cell.inferred)), style=style)
        line.append(" ")
        line.append_text(self._summary(grid, asset, lo, hi))
        return line

    def _summary(self, grid: Grid, asset: str, lo: int, hi: int) -> Text:
        summary = grid.summary(asset, lo, hi)
        out = Text()
        if summary.streak is not None:
            way = summary.streak.direction
            out.append(
                fit(f"{DIRECTION_GLYPHS[way]} {DIRECTION_WORDS[way]} {summary.streak.days} 天", 12),
                style=direction_style(way, self.convention, self.colour),
            )
        else:
            out.append(fit("", 12))
        flip = summary.last_flip.strftime("%y-%m-%d") if summary.last_flip else "—"
        out.append(fit(f"翻 {flip}", 12), style="dim")
        out.append(f"{summary.mentions}次", style="")
        if summary.inferred:
            out.append(f" ~{summary.inferred}", style="dim")
        return out
