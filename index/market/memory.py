"""What the market view remembers between launches, in the reading-state database
(index/state): the watchlist and the newest day seen at the last launch.

`Watchlist` is what the market screen needs; `MarketMemory` gives it over a `StateStore`
(`watched_assets` / `set_watched`, and two settings). The config's `watch` list seeds the
watchlist: each configured asset is added once (the first time it is seen in the config), so
removing it with `w` lasts, and an asset added to the config later is added then.
"""

from __future__ import annotations

import datetime as dt
import json
import threading
from collections.abc import Sequence
from typing import Protocol

SEEDED_KEY = "market.watch_seeded"
NEWEST_KEY = "market.newest_seen"


class Watchlist(Protocol):
    """The assets the reader watches (listed first, alerted on)."""

    def watched_assets(self) -> list[str]: ...

    def set_watched(self, asset: str, watched: bool) -> None: ...


class SettingsStore(Watchlist, Protocol):
    """What MarketMemory needs of the state database (index.state.store.StateStore)."""

    def setting(self, key: str, default: str | None = None) -> str | None: ...

    def set_setting(self, key: str, value: str | None) -> None: ...


class MarketMemory:
    """The watchlist (seeded from the config) and the newest day seen, in a state store."""

    def __init__(self, store: SettingsStore, seed: Sequence[str] = ()) -> None:
        self.store = store
        self.seed = tuple(dict.fromkeys(seed))
        self._lock = threading.Lock()
        self._seeded = False

    def _seed(self) -> None:
        """Add the configured assets not seeded before (once per launch)."""
        with self._lock:
            if self._seeded:
                return
            self._seeded = True
            try:
                done = json.loads(self.store.setting(SEEDED_KEY) or "[]")
            except ValueError:
                done = []
            fresh = [asset for asset in self.seed if asset not in done]
            for asset in fresh:
                self.store.set_watched(asset, True)
            if fresh:
                self.store.set_setting(SEEDED_KEY, json.dumps([*done, *fresh], ensure_ascii=False))

    def watched_assets(self) -> list[str]:
        """The watchlist, in the order the assets were added."""
        self._seed()
        return self.store.watched_assets()

    def set_watched(self, asset: str, watched: bool) -> None:
        self._seed()
        self.store.set_watched(asset, watched)

    def newest_seen(self) -> dt.date | None:
        """The newest impact's day when the market data was last loaded (a launch before)."""
        value = self.store.setting(NEWEST_KEY)
        try:
            return dt.date.fromisoformat(value) if value else None
        except ValueError:
            return None

    def set_newest_seen(self, day: dt.date) -> None:
        self.store.set_setting(NEWEST_KEY, day.isoformat())
