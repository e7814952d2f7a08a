"""What the app keeps for the market view: its data (loaded once per index change), the
watchlist (in the reading-state database, through the library), and the flips of watched
assets already told (for the alerts).

All methods that read the library or the state run in worker threads; none touches a widget.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, cast

from ..index.paths import Config
from ..index.sanitize import clean_line
from .long_lived import keep_out_of_collections

# The market's modules are imported by the workers that load it: the launch does not wait for
# them (nothing of the market is on the first frame)
if TYPE_CHECKING:
    from ..index.library import Library
    from ..index.market.data import MarketData
    from ..index.market.memory import MarketMemory
    from ..index.market.series import Flip
    from .app import DigestApp
    from .screens.market import MarketScreen

FlipKey = tuple[str, str]


class MarketLink:
    """The market view's data and memory, between the app and its market screen."""

    def __init__(self, config: Config, library: Callable[[], Library | None]) -> None:
        self.seed = config.watch
        self.library = library
        self._memory: MarketMemory | None = None
        self._unsaved: list[str] = list(dict.fromkeys(config.watch))
        """The watchlist while the state database cannot be used (not kept)."""
        self._lock = threading.RLock()
        self._data: MarketData | None = None
        self._new_since_read = False
        self._new_since: dt.date | None = None
        self._told: set[FlipKey] | None = None
        self._watched: list[str] | None = None
        """The watchlist as last read (None: not read yet, or changed since)."""
        self.unseen: list[Flip] = []
        """Flips of watched assets that arrived while the reader ran, not seen yet."""

    @property
    def memory(self) -> MarketMemory | None:
        """The watchlist's memory in the state database (None while it cannot be used)."""
        if self._memory is None:
            library = self.library()
            if library is None:
                return None
            try:
                store = library.reading.store
            except Exception:  # StateError, OSError: the list is kept for this run only
                return None
            from ..index.market.memory import MarketMemory

            self._memory = MarketMemory(store, self.seed)
        return self._memory

    def watched_assets(self) -> list[str]:
        """(Any thread) the watchlist."""
        memory = self.memory
        watched = list(self._unsaved) if memory is None else memory.watched_assets()
        self._watched = list(watched)
        return watched

    def set_watched(self, asset: str, watched: bool) -> None:
        """(Worker thread) add an asset to the watchlist or remove it."""
        self._watched = None  # read again when next asked
        memory = self.memory
        if memory is None:
            if asset in self._unsaved:
                self._unsaved.remove(asset)
            if watched:
                self._unsaved.append(asset)
            return
        memory.set_watched(asset, watched)

    def stale(self) -> None:
        """The index changed: load the data again when next asked."""
        with self._lock:
            self._data = None

    def ready(self) -> tuple[MarketData, list[str]] | None:
        """(Any thread, never waits nor reads) the market data and the watchlist when both
        are loaded already, else None."""
        if not self._lock.acquire(blocking=False):  # being loaded
            return None
        try:
            data, watched = self._data, self._watched
        finally:
            self._lock.release()
        return None if data is None or watched is None else (data, list(watched))

    def fetch(self) -> MarketData:
        """(Worker thread) the market data, loaded if the index changed since."""
        from ..index.market.data import MarketData, load_market

        with self._lock:
            if self._data is not None:
                return self._data
            library = self.library()
            if library is None:
                return MarketData([], [])
            memory = self.memory
            if not self._new_since_read and memory is not None:  # the last launch's newest day
                self._new_since = memory.newest_seen()
                self._new_since_read = True
            data = load_market(library, self._new_since)
            if data.newest is not None and memory is not None:
                try:
                    memory.set_newest_seen(data.newest)
                except Exception:  # the state cannot be written: new flips stay new
                    pass
            self._data = data
            return data

    def new_watched_flips(self) -> list[Flip]:
        """(Worker thread) flips of watched assets not known before (none the first time:
        what was there when the reader started is no news)."""
        data = self.fetch()
        watched = set(self.watched_assets())
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

    def _market_screen(self) -> MarketScreen | None:
        app = cast("DigestApp", self)
        from .screens.market import MarketScreen

        if app.is_screen_installed("market"):
            screen = app.get_screen("market")
            return screen if isinstance(screen, MarketScreen) else None
        return None

    def action_market(self) -> None:
        """Open the market view (kept while the app runs, so it comes back where it was)."""
        app = cast("DigestApp", self)
        from .screens.market import MarketScreen

        screen = app._market_screen()
        if screen is None:
            screen = MarketScreen(app.market.fetch, app.market, app.market.ready)
            screen.data_bind(convention=type(app).convention)
            app.install_screen(screen, "market")
        if app.screen is not screen:
            app.push_screen(screen)
        app.market.unseen.clear()
        app.market_alert = ""

    def on_market_screen_item_chosen(self, message: MarketScreen.ItemChosen) -> None:
        """Read a market item in the three panes; escape there comes back to the market."""
        from .screens.browse import BrowseScreen

        app = cast("DigestApp", self)
        if app._market_screen() is app.screen:
            app.pop_screen()
        for screen in app.screen_stack:
            if isinstance(screen, BrowseScreen):
                screen.open_item((message.root, message.path), message.item_id, app.action_market)

    def _market_changed(self) -> None:
        """The index is up to date: reload the market data; tell new flips of watched assets."""
        app = cast("DigestApp", self)
        app.market.stale()

        def check() -> None:
            fresh = app.market.new_watched_flips()
            app.call_from_thread(app._market_loaded, fresh)

        app.run_worker(check, name="checking the watched assets", thread=True, exit_on_error=False)

    def _market_loaded(self, fresh: list[Flip]) -> None:
        app = cast("DigestApp", self)
        keep_out_of_collections()  # the market's rows, just loaded, live as long as the app
        if (market := app._market_screen()) is not None and market.is_mounted:
            market.reload()
        for flip in fresh:
            app.notify(
                f"{clean_line(flip.asset)}: {flip.before} → {flip.after} "
                f"({clean_line(flip.item.item_title)})",
                title="Watched asset flipped",
                markup=False,
                timeout=10,
            )
        if app.market.unseen:
            count = len(app.market.unseen)
            app.market_alert = f"⚑ {count} flip{'s' if count > 1 else ''} (v)"
