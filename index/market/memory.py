"""What the market view remembers between launches: the watchlist and the newest day seen.

`Watchlist` is the interface the market screen uses (the reading-state database of
index/state offers the same two methods); `MarketMemory` keeps them in a small JSON file
under the user-data folder until that database is wired in. The config's `watch` list seeds
the watchlist: a seeded asset stays watched unless the reader removes it.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import tempfile
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol


class Watchlist(Protocol):
    """The assets the reader watches (listed first, alerted on)."""

    def watched_assets(self) -> list[str]: ...

    def set_watched(self, asset: str, watched: bool) -> None: ...


class MarketMemory:
    """The watchlist and the newest day of the last launch, in `path` (JSON)."""

    def __init__(self, path: Path, seed: Sequence[str] = ()) -> None:
        self.path = path
        self.seed = tuple(dict.fromkeys(seed))
        self._lock = threading.Lock()

    def _load(self) -> dict[str, Any]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return data if isinstance(data, dict) else {}

    def _save(self, data: dict[str, Any]) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, temp = tempfile.mkstemp(dir=self.path.parent, prefix=".market-", suffix=".json")
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(data, handle, ensure_ascii=False)
        os.replace(temp, self.path)

    def _choices(self) -> dict[str, bool]:
        raw = self._load().get("watch", {})
        if not isinstance(raw, dict):
            return {}
        return {str(k): bool(v) for k, v in raw.items()}

    def watched_assets(self) -> list[str]:
        """The seeded assets not removed, then the ones added, in the order added."""
        choices = self._choices()
        seeded = [a for a in self.seed if choices.get(a, True)]
        return seeded + [a for a, on in choices.items() if on and a not in self.seed]

    def set_watched(self, asset: str, watched: bool) -> None:
        with self._lock:
            data = self._load()
            choices = data.get("watch") if isinstance(data.get("watch"), dict) else {}
            assert isinstance(choices, dict)
            choices.pop(asset, None)  # re-adding moves an asset to the end
            choices[asset] = watched
            data["watch"] = choices
            self._save(data)

    def newest_seen(self) -> dt.date | None:
        """The newest impact's day when the market data was last loaded (a launch before)."""
        value = self._load().get("newest_seen")
        try:
            return dt.date.fromisoformat(value) if isinstance(value, str) else None
        except ValueError:
            return None

    def set_newest_seen(self, day: dt.date) -> None:
        with self._lock:
            data = self._load()
            data["newest_seen"] = day.isoformat()
            self._save(data)
