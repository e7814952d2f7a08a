"""The state database's small tables: saved searches, app settings and the market view's
watchlist. A part of `StateStore` (index/state/store.py), kept apart so each module stays small.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass


def now_stamp() -> str:
    """The current time as the state records it: UTC ISO 8601 with microseconds."""
    return dt.datetime.now(dt.UTC).isoformat(timespec="microseconds")


@dataclass(frozen=True)
class SavedSearch:
    """A query kept under a name."""

    name: str
    query: str
    saved_at: str


class Preferences:
    """Saved searches, settings and the watchlist; `StateStore` provides the transactions."""

    def _write(self) -> AbstractContextManager[sqlite3.Connection]:
        raise NotImplementedError

    def _run(self, action: Callable[[], object]) -> object:
        raise NotImplementedError

    def _rows(self, sql: str, params: tuple[object, ...] = ()) -> list[tuple[object, ...]]:
        raise NotImplementedError

    # -- saved searches -----------------------------------------------------------------------

    def save_search(self, name: str, query: str, saved_at: str | None = None) -> None:
        """Keep `query` under `name` (replacing a search of that name)."""

        def write() -> None:
            with self._write() as db:
                db.execute(
                    "INSERT INTO saved_searches (name, query, saved_at) VALUES (?, ?, ?)"
                    " ON CONFLICT (name) DO UPDATE SET query = excluded.query,"
                    " saved_at = excluded.saved_at WHERE excluded.saved_at >= saved_at",
                    (name, query, saved_at or now_stamp()),
                )

        self._run(write)

    def delete_search(self, name: str) -> bool:
        def write() -> bool:
            with self._write() as db:
                return db.execute("DELETE FROM saved_searches WHERE name = ?", (name,)).rowcount > 0

        return self._run(write)  # type: ignore[return-value]

    def saved_searches(self) -> list[SavedSearch]:
        """Every saved search, by name."""
        return [
            SavedSearch(*map(str, row))
            for row in self._rows("SELECT name, query, saved_at FROM saved_searches ORDER BY name")
        ]

    # -- settings -----------------------------------------------------------------------------

    def setting(self, key: str, default: str | None = None) -> str | None:
        rows = self._rows("SELECT value FROM settings WHERE key = ?", (key,))
        return str(rows[0][0]) if rows else default

    def set_setting(self, key: str, value: str | None) -> None:
        """Set an app setting (None removes it)."""

        def write() -> None:
            with self._write() as db:
                if value is None:
                    db.execute("DELETE FROM settings WHERE key = ?", (key,))
                else:
                    db.execute(
                        "INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)", (key, value)
                    )

        self._run(write)

    def settings(self) -> dict[str, str]:
        return {str(k): str(v) for k, v in self._rows("SELECT key, value FROM settings")}

    # -- watchlist ----------------------------------------------------------------------------

    def watched_assets(self) -> list[str]:
        """The assets on the watchlist, in the order they were added."""
        return [str(r[0]) for r in self._rows("SELECT asset FROM watchlist ORDER BY added_at")]

    def set_watched(self, asset: str, watched: bool) -> None:
        def write() -> None:
            with self._write() as db:
                if watched:
                    db.execute(
                        "INSERT OR IGNORE INTO watchlist (asset, added_at) VALUES (?, ?)",
                        (asset, now_stamp()),
                    )
                else:
                    db.execute("DELETE FROM watchlist WHERE asset = ?", (asset,))

        self._run(write)
