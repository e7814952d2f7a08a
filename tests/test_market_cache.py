"""The computed stances over time: day tallies sum to the same nets as the rows, and the
cache of them on disk gives back exactly what was computed, for its own index only."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
from pathlib import Path

import pytest
from digest_tui.index.market.cache import SeriesCache
from digest_tui.index.market.data import MarketData
from digest_tui.index.market.heatmap import Grid
from digest_tui.index.market.series import PERIODS, day_nets, flips, nets
from digest_tui.index.market.tallies import day_series, day_tallies, period_nets
from market_archive import write_market_archive
from test_market_series import row

ROWS = [
    row("2026-02-02", "bullish", item="a"),
    row("2026-02-02", "leaning_bearish", item="a"),  # one item, two impacts on the asset
    row("2026-02-02", "bearish", asset="原油", item="b"),
    row("2026-02-04", "mixed", inferred=True),
    row("2026-02-09", "neutral", asset="原油"),
    row("2026-02-09", "bearish"),
    row("2026-03-01", "leaning_bullish", asset="原油", inferred=True),
    row("2026-03-02", "bullish"),
]


@pytest.mark.parametrize("by", PERIODS)
def test_period_nets_from_day_tallies_equal_the_nets_of_the_rows(by: str) -> None:
    days = day_tallies(ROWS)
    assert period_nets(days, by) == nets(ROWS, by)
    since, until = dt.date(2026, 2, 3), dt.date(2026, 3, 1)
    kept = [r for r in ROWS if since <= r.date <= until and r.asset == "黄金"]
    assert period_nets(days, by, {"黄金"}, since, until) == nets(kept, by)
    assert day_series(days) == day_nets(ROWS)


def test_grids_from_tallies_show_the_same_cells_and_rows_as_the_rows() -> None:
    data = MarketData(ROWS, flips(ROWS))
    week = data.grid("week")
    assert week.periods == Grid.build(ROWS, "week").periods
    assert week.cell("黄金", 0).net == 2 - 1 + 0  # type: ignore[union-attr]
    assert [r.stance for r in week.rows_of("黄金", 0)] == ["bullish", "leaning_bearish", "mixed"]
    assert data.grid("month").day_series is week.day_series  # shared, not computed again
    assert [r.date.day for r in data.grid("day").rows_of("原油", 0)] == [2]


def test_the_cache_gives_back_what_was_saved_for_its_key_only(tmp_path: Path) -> None:
    cache = SeriesCache(tmp_path, "key-1")
    days, found = day_tallies(ROWS), flips(ROWS)
    assert cache.days() is None and cache.flips() is None and cache.nets("week") is None
    cache.save_days(days)
    cache.save_flips(found)
    cache.save_nets("week", nets(ROWS, "week"))
    assert cache.days() == days
    assert cache.flips() == found and found
    assert cache.nets("week") == nets(ROWS, "week") and cache.nets("day") is None
    assert SeriesCache(tmp_path, "key-2").days() is None  # another index's: not used
    assert not list(tmp_path.glob(".market-*"))  # no temp file left behind


@pytest.mark.parametrize(
    "damage",
    [
        lambda text: text[: len(text) // 2],  # cut short
        lambda text: re.sub(r'"counts":\[\d', '"counts":[true', text),  # a bool for a count
        lambda text: text.replace('"asset":["', '"asset":[7,"'),  # columns out of step
        lambda text: "[]",
    ],
)
def test_a_damaged_cache_file_is_ignored(tmp_path: Path, damage) -> None:  # type: ignore[no-untyped-def]
    cache = SeriesCache(tmp_path, "key")
    cache.save_days(day_tallies(ROWS))
    path = tmp_path / "market-days.json"
    text = path.read_text(encoding="utf-8")
    damaged = damage(text)
    assert damaged != text
    path.write_text(damaged, encoding="utf-8")
    assert cache.days() is None


def _week_json(run_cli, archive: Path) -> list[dict]:  # type: ignore[no-untyped-def]
    done = run_cli("--archive", str(archive), "stances", "--by", "week", "--json")
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)  # type: ignore[no-any-return]


def test_the_cli_caches_in_the_index_folder_and_sees_a_new_post(
    run_cli, isolated_dirs: dict[str, Path], tmp_path: Path
) -> None:
    archive = write_market_archive(tmp_path / "archive")
    before = _week_json(run_cli, archive)
    again = _week_json(run_cli, archive)
    assert again == before
    cached = sorted(p.name for p in isolated_dirs["cache"].rglob("market-*.json"))
    assert cached == ["market-days.json", "market-nets-week.json"]
    assert not list(archive.rglob("market-*"))  # nothing written inside the archive
    # a new post: the index changes, the cached series are computed again
    source = archive / "econ" / "2026-02-16-daily.md"
    text = source.read_text(encoding="utf-8").replace("2026-02-16", "2026-03-02")
    shutil.copy(source, archive / "econ" / "2026-03-02-daily.md")
    (archive / "econ" / "2026-03-02-daily.md").write_text(text, encoding="utf-8")
    after = _week_json(run_cli, archive)
    assert after[:-1] == before
    assert after[-1]["period"] == "2026-W10" and after[-1]["asset"] == "黄金"
    assert after[-1]["mixed"] == 1 and after[-1]["net"] == 0
