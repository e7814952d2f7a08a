"""The market view's memory in the state database: the config seeds the watchlist once."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from digest_tui.index.market.memory import MarketMemory
from digest_tui.index.state.store import StateStore


def test_the_config_seeds_the_watchlist_once(tmp_path: Path) -> None:
    store = StateStore(tmp_path / "state.db")
    memory = MarketMemory(store, ("黄金", "原油"))
    assert memory.watched_assets() == ["黄金", "原油"]
    memory.set_watched("原油", False)
    memory.set_watched("白银", True)
    # the next launch, with one more asset in the config
    later = MarketMemory(StateStore(tmp_path / "state.db"), ("黄金", "原油", "铜"))
    assert later.watched_assets() == ["黄金", "白银", "铜"]


def test_the_newest_day_seen_is_kept(tmp_path: Path) -> None:
    memory = MarketMemory(StateStore(tmp_path / "state.db"))
    assert memory.newest_seen() is None
    memory.set_newest_seen(dt.date(2026, 2, 16))
    assert MarketMemory(StateStore(tmp_path / "state.db")).newest_seen() == dt.date(2026, 2, 16)
