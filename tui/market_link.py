"""What the app keeps for the market view: its data (loaded once per index change), the
watchlist, and the flips of watched assets already told (for the alerts).

All methods that read the library run in worker threads; none touches a widget.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING

from ..index.market.data import MarketData, load_market
from ..index.market.memory import MarketMemory
from ..index.market.series import Flip
from ..index.paths import Config, data_dir
from ..index.sanitize import clean_line

if TYPE_CHECKING:
    from ..index.library import Library
    from .app import DigestApp
    from .screens.market import MarketScreen

FlipKey = tuple[str, str]


class MarketLink:
    """The market view's data and memory, between the app and its market screen."""

    def __init__(self, config: Config, library: Callable[[], Library | None]) -> None:
        self.memory = MarketMemory(data_dir() / "market.json", config.watch)
        self.library = library
        self._lock = threading.Lock()
        self._data: MarketData | None = None
        self._new_since_read = False
        self._new_since: dt.date | None = None
        self._told: set[FlipKey] | None = None
        self.unseen: list[Flip] = []
        """Flips of watched assets that arrived while the reader ran, not seen yet."""

    def stale(self) -> None:
        """The index changed: load the data again when next asked."""
        with self._lock:
            self._data = None

    def fetch(self) -> MarketData:
        """(Worker thread) the market data, loaded if the index changed since."""
        with self._lock:
            if self._data is not None:
                return self._data
            library = self.library()
            if library is None:
                return MarketData([], [])
            if not self._new_since_read:  # once per run: the newest day of the last launch
                self._new_since = self.memory.newest_seen()
                self._new_since_read = True
            data = load_market(library, self._new_since)
            if data.newest is not None:
                try:
                    self.memory.set_newest_seen(data.newest)
                except OSError:
                    pass
            self._data = data
            return data

    def new_watched_flips(self) -> list[Flip]:
        """(Worker thread) flips of watched assets not known before (none the first time:
        what was there when the reader started is no news)."""
        data = self.fetch()
        watched = set(self.memory.watched_assets())
        flips = [flip for flip in data.flips if flip.asset in watched]
        keys = {(flip.asset, flip.date.isoformat()) for flip in flips}
        with self._lock:
            told, self._told = self._told, (self._told or set()) | keys
        if told is None:
            return []
        fresh = [flip for flip in flips if (flip.asset, flip.date.isoformat()) not in told]
        self.unseen += fresh
        return fresh


class MarketActions:
    """The app's part of the market view (a mixin of DigestApp): the `v` action, opening a
    market item in the three panes and back, reloading and alerting after index updates."""

    market: MarketLink

    def _market_screen(self: DigestApp) -> MarketScreen | None:
        from .screens.market import MarketScreen

        if self.is_screen_installed("market"):
            screen = self.get_screen("market")
            return screen if isinstance(screen, MarketScreen) else None
        return None

    def action_market(self: DigestApp) -> None:
        """Open the market view (kept while the app runs, so it comes back where it was)."""
        from .screens.market import MarketScreen

        screen = self._market_screen()
        if screen is None:
            screen = MarketScreen(self.market.fetch, self.market.memory, lambda: self.convention)
            self.install_screen(screen, "market")
        if self.screen is not screen:
            self.push_screen(screen)
        self.market.unseen.clear()
        self.market_alert = ""

    def on_market_screen_item_chosen(self: DigestApp, message: MarketScreen.ItemChosen) -> None:
        """Read a market item in the three panes; escape there comes back to the market."""
        if self._market_screen() is self.screen:
            self.pop_screen()
        if (browse := self.browse) is not None:
            browse.open_item((message.root, message.path), message.item_id, self.action_market)

    def _market_changed(self: DigestApp) -> None:
        """The index is up to date: reload the market data; tell new flips of watched assets."""
        self.market.stale()

        def check() -> None:
            fresh = self.market.new_watched_flips()
            self.call_from_thread(self._market_loaded, fresh)

        self.run_worker(check, name="checking the watched assets", thread=True, exit_on_error=False)

    def _market_loaded(self: DigestApp, fresh: list[Flip]) -> None:
        if (market := self._market_screen()) is not None and market.is_mounted:
            market.reload()
        for flip in fresh:
            self.notify(
                f"{clean_line(flip.asset)}: {flip.before} → {flip.after} "
                f"({clean_line(flip.item.item_title)})",
                title="Watched asset flipped",
                markup=False,
                timeout=10,
            )
        if self.market.unseen:
            count = len(self.market.unseen)
            self.market_alert = f"⚑ {count} flip{'s' if count > 1 else ''} (v)"
