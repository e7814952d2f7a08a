"""The market screen: how the digests' view of every asset moved, with the reasons one key away.

A heatmap of assets by days, weeks or months (`p` cycles), the watchlist first (`w` adds or
removes the asset under the cursor); below it the items behind the cell under the cursor and
the latest flips. `enter` opens an item in the three panes (escape there comes back here, to
the same cell). The screen gets its data from the app (a `fetch` function, run in a worker)
and its watchlist as a `Watchlist`; it posts `ItemChosen` up and never reaches into the app.
"""

from __future__ import annotations

from collections.abc import Callable

from rich.cells import cell_len
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.message import Message
from textual.reactive import reactive
from textual.screen import Screen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from ...index.market.brief import DIRECTION_GLYPHS, STANCE_WORDS
from ...index.market.data import MarketData
from ...index.market.memory import Watchlist
from ...index.market.rows import StanceRow
from ...index.market.series import PERIODS, Flip
from ...index.model import STANCE_GLYPHS
from ...index.sanitize import clean_line
from ..colors import no_color, stance_style
from ..widgets.heatmap import Heatmap, fit

FLIPS_SHOWN = 30
EMPTY = (
    "No impact on any asset in this archive yet: the market view sums the stances the "
    "posts' 影响 (impact) lines state per asset (对黄金：利多), and none was found."
)


def item_prompt(row: StanceRow, convention: str, colour: bool) -> Text:
    """An item of a cell: date, stance, item title and post, then the impact's words."""
    out = Text(f"{row.date}  ", style="dim")
    out.append(
        f"{STANCE_GLYPHS[row.stance]} {STANCE_WORDS[row.stance]}",
        style=stance_style(row.stance, convention, colour=colour),
    )
    if row.inferred:
        out.append(" ~推断", style="dim italic")
    out.append("  ")
    out.append(clean_line(row.item_title) or "(untitled)", style="bold")
    out.append(f"  · {clean_line(row.post_title)}", style="dim")
    out.append(f"\n    {clean_line(row.text)}")
    return out


def flip_prompt(flip: Flip, new: bool, width: int = 60) -> Text:
    """A flip in two lines cut to `width` cells: new-marker, date, asset, from → to, net and
    the item; then the first line of the item's analysis."""
    head = (
        f"{'●' if new else ' '} {flip.date} {flip.asset} "
        f"{DIRECTION_GLYPHS[flip.before]}→{DIRECTION_GLYPHS[flip.after]} {flip.net:+d} "
    )
    title = clean_line(flip.item.item_title) or "(untitled)"
    out = Text(clean_line(head), style="bold")
    out.append(cut(title, width - cell_len(head)))
    if flip.analysis:
        first = clean_line(flip.analysis.splitlines()[0])
        out.append("\n    " + cut(first, width - 4), style="dim")
    return out


def cut(text: str, width: int) -> str:
    """`text` within `width` cells, with an ellipsis when it was longer."""
    if cell_len(text) <= width:
        return text
    return fit(text, max(width - 1, 0)).rstrip() + "…"


class MarketScreen(Screen[None]):
    """The heatmap, the items of the cell under the cursor and the latest flips."""

    BINDINGS = [
        Binding("escape", "back", "Back"),
        Binding("p", "cycle_period", "Period"),
        Binding("w", "toggle_watch", "Watch"),
        Binding("f", "focus_flips", "Flips"),
        Binding("i", "focus_items", "Items", show=False),
        Binding("m", "focus_heatmap", "Map", show=False),
    ]

    convention: reactive[str] = reactive("cn", init=False)
    """The colour convention (bound to the app's)."""

    class ItemChosen(Message):
        """The reader wants to read this item in the three panes."""

        def __init__(self, root: str, path: str, item_id: str) -> None:
            super().__init__()
            self.root = root
            self.path = path
            self.item_id = item_id

    def __init__(
        self,
        fetch: Callable[[], MarketData],
        watchlist: Watchlist,
        ready: Callable[[], tuple[MarketData, list[str]] | None] = lambda: None,
    ) -> None:
        super().__init__(id="market")
        self.fetch = fetch
        self.ready = ready
        """The data and the watchlist if already loaded (the app loads them in a worker
        after indexing): then the screen draws them as it mounts, with no worker round trip."""
        self.watchlist = watchlist
        self.data: MarketData | None = None
        self.by = "day"
        self.watched: list[str] = []
        self.cell_items: list[StanceRow] = []
        self.flip_list: list[Flip] = []

    def compose(self) -> ComposeResult:
        yield Static("Market view · loading…", id="market-title", markup=False)
        yield Heatmap(id="heatmap")
        yield Static(EMPTY, id="market-empty", markup=False)
        with Horizontal(id="market-lower"):
            yield OptionList(id="market-items", classes="pane")
            yield OptionList(id="market-flips", classes="pane")

    @property
    def heatmap(self) -> Heatmap:
        return self.query_one(Heatmap)

    def on_mount(self) -> None:
        self.query_one("#market-empty").display = False
        self.query_one("#market-items", OptionList).border_title = "Items"
        self.query_one("#market-flips", OptionList).border_title = "Flips"
        self.heatmap.focus()
        loaded = self.ready()
        if loaded is None:
            self.reload()
        else:  # once laid out (the heatmap's columns and the flips' width need the sizes)
            self.call_after_refresh(self.show_data, *loaded)

    def reload(self) -> None:
        """Fetch the data again (in a worker): on opening and when the index changed."""

        def work() -> None:
            data = self.fetch()
            watched = self.watchlist.watched_assets()
            self.app.call_from_thread(self.show_data, data, watched)

        self.run_worker(work, name="loading the market view", thread=True, exclusive=True)

    def show_data(self, data: MarketData, watched: list[str]) -> None:
        keep = self.data is not None
        self.data, self.watched = data, watched
        empty = not data.rows
        self.query_one("#market-empty").display = empty
        self.heatmap.display = not empty
        self.draw(keep=keep)
        self.show_flips()

    def draw(self, *, keep: bool) -> None:
        data = self.data
        if data is None:
            return
        title = self.query_one("#market-title", Static)
        if not data.rows:
            title.update("Market view · no impacts")
            return
        grid = data.grid(self.by)
        title.update(
            f"Market view · by {self.by} · {len(grid.periods)} periods, "
            f"{data.rows[0].date} – {data.rows[-1].date} · "
            "p period · w watch · enter open · f flips · escape back"
        )
        self.heatmap.show(grid, self.watched, self.convention, not no_color(), keep=keep)

    def show_flips(self) -> None:
        data = self.data
        flips_list = self.query_one("#market-flips", OptionList)
        flips_list.clear_options()
        if data is None:
            return
        new = {id(flip) for flip in data.new_flips()}
        self.flip_list = list(reversed(data.flips))[:FLIPS_SHOWN]
        width = max(20, flips_list.size.width - 4)
        flips_list.add_options(
            Option(flip_prompt(flip, id(flip) in new, width)) for flip in self.flip_list
        )
        since = f" · {len(new)} since the last launch" if new else ""
        flips_list.border_title = f"Flips ({len(data.flips)}){since}"

    # -- the cursor and its items --------------------------------------------------------
    @on(Heatmap.CursorMoved)
    def on_cursor_moved(self, event: Heatmap.CursorMoved) -> None:
        items = self.query_one("#market-items", OptionList)
        items.clear_options()
        grid = self.heatmap.grid
        if grid is None or event.asset is None or event.index < 0:
            self.cell_items = []
            items.border_title = "Items"
            return
        self.cell_items = list(grid.rows_of(event.asset, event.index))
        convention, colour = self.convention, not no_color()
        items.add_options(Option(item_prompt(row, convention, colour)) for row in self.cell_items)
        cell = grid.cell(event.asset, event.index)
        period = grid.periods[event.index][0]
        net = f" · net {cell.net:+d}" if cell is not None else " · not mentioned"
        items.border_title = f"{event.asset} · {period}{net}"

    @on(Heatmap.Chosen)
    def on_cell_chosen(self, event: Heatmap.Chosen) -> None:
        if self.cell_items:
            self._open(self.cell_items[0])

    @on(OptionList.OptionSelected, "#market-items")
    def on_item_chosen(self, event: OptionList.OptionSelected) -> None:
        self._open(self.cell_items[event.option_index])

    @on(OptionList.OptionSelected, "#market-flips")
    def on_flip_chosen(self, event: OptionList.OptionSelected) -> None:
        self._open(self.flip_list[event.option_index].item)

    def _open(self, row: StanceRow) -> None:
        self.post_message(self.ItemChosen(row.root, row.path, row.item_id))

    # -- actions -------------------------------------------------------------------------
    def action_back(self) -> None:
        self.app.pop_screen()

    def action_cycle_period(self) -> None:
        self.by = PERIODS[(PERIODS.index(self.by) + 1) % len(PERIODS)]
        self.draw(keep=True)
        self.notify(f"Periods: {self.by}s", timeout=2)

    def action_toggle_watch(self) -> None:
        """Add the asset under the cursor to the watchlist or remove it: shown at once,
        written to the state database in a worker."""
        asset = self.heatmap.asset
        if asset is None:
            return
        watched = asset not in self.watched
        self.watched = [a for a in self.watched if a != asset] + ([asset] if watched else [])
        self.draw(keep=True)
        self.run_worker(
            lambda: self.watchlist.set_watched(asset, watched),
            name="saving the watchlist",
            group="watchlist",
            thread=True,
        )
        self.notify(f"{'Watching' if watched else 'No longer watching'} {asset}", timeout=3)

    def action_focus_flips(self) -> None:
        self._focus_list("#market-flips")

    def action_focus_items(self) -> None:
        self._focus_list("#market-items")

    def _focus_list(self, selector: str) -> None:
        found = self.query_one(selector, OptionList)
        if found.highlighted is None and found.option_count:
            found.highlighted = 0
        found.focus()

    def action_focus_heatmap(self) -> None:
        self.heatmap.focus()

    def watch_convention(self) -> None:
        """Draw again in the new colour convention."""
        if not self.is_mounted or self.data is None:
            return
        self.draw(keep=True)
        if self.heatmap.grid is not None:
            self.on_cursor_moved(Heatmap.CursorMoved(self.heatmap.asset, self.heatmap.index))
