"""Nets, directions, streaks and flips on hand-made series (the contract's definitions)."""

from __future__ import annotations

import datetime as dt

import pytest
from digest_tui.index.market.heatmap import Grid
from digest_tui.index.market.rows import StanceRow, rows_from_store, score
from digest_tui.index.market.series import (
    direction,
    flips,
    nets,
    period_of,
    periods_between,
    streak,
    summarize,
)

_counter = iter(range(1, 1_000_000))
_item_uids: dict[str, int] = {}


def row(
    day: str,
    stance: str,
    asset: str = "黄金",
    item: str | None = None,
    *,
    inferred: bool = False,
    path: str | None = None,
) -> StanceRow:
    uid = _item_uids.setdefault(item, next(_counter)) if item else next(_counter)
    return StanceRow(
        dt.date.fromisoformat(day),
        "/root",
        path or f"{day}.md",
        f"post of {day}",
        item or f"item-{uid}",
        f"title {uid}",
        None,
        uid,
        asset,
        asset,
        stance,
        inferred,
        None,
        f"对{asset}：{stance}",
    )


def test_scores_follow_the_contract_and_unknown_is_left_out() -> None:
    assert [score(s) for s in ("bullish", "leaning_bullish", "neutral", "mixed")] == [2, 1, 0, 0]
    assert [score(s) for s in ("leaning_bearish", "bearish", "unknown")] == [-1, -2, None]
    record = ("2026-02-05", "/r", "a.md", "t", "i1", "it", None, 1, "黄金", "金价", "unknown")
    kept = ("2026-02-05", "/r", "a.md", "t", "i1", "it", None, 1, "黄金", "金价", "bearish")
    rows = rows_from_store([(*record, 0, None, "w"), (*kept, 1, "short", "w")])
    assert [(r.stance, r.inferred, r.score) for r in rows] == [("bearish", True, -2)]


def test_periods_are_days_iso_weeks_and_months() -> None:
    assert period_of(dt.date(2026, 2, 5), "day") == "2026-02-05"
    assert period_of(dt.date(2026, 2, 5), "week") == "2026-W06"
    # 2027-01-01 is a Friday: it belongs to the last ISO week of 2026
    assert period_of(dt.date(2027, 1, 1), "week") == "2026-W53"
    assert period_of(dt.date(2026, 2, 5), "month") == "2026-02"
    with pytest.raises(ValueError):
        period_of(dt.date(2026, 2, 5), "year")
    weeks = periods_between(dt.date(2026, 12, 30), dt.date(2027, 1, 12), "week")
    assert [key for key, _ in weeks] == ["2026-W53", "2027-W01", "2027-W02"]
    months = periods_between(dt.date(2026, 11, 30), dt.date(2027, 1, 1), "month")
    assert [key for key, _ in months] == ["2026-11", "2026-12", "2027-01"]


def test_a_period_net_is_the_sum_of_its_scores_with_counts_and_items() -> None:
    rows = [
        row("2026-02-02", "bullish", item="a"),
        row("2026-02-03", "leaning_bearish", item="b"),
        row("2026-02-04", "mixed", item="c", inferred=True),
        row("2026-02-04", "bearish", asset="原油", item="c"),
    ]
    week = {n.asset: n for n in nets(rows, "week")}
    assert week["黄金"].net == 1 and week["原油"].net == -2
    assert week["黄金"].to_json() == {
        "period": "2026-W06",
        "asset": "黄金",
        "net": 1,
        "bullish": 1,
        "leaning_bullish": 0,
        "neutral": 0,
        "mixed": 1,
        "leaning_bearish": 1,
        "bearish": 0,
        "items": 3,
    }
    assert week["黄金"].inferred == 1
    days = [(n.period, n.asset, n.net) for n in nets(rows, "day")]
    assert days == [
        ("2026-02-02", "黄金", 2),
        ("2026-02-03", "黄金", -1),
        ("2026-02-04", "原油", -2),
        ("2026-02-04", "黄金", 0),
    ]


def test_direction_is_the_sign_of_the_net() -> None:
    assert [direction(n) for n in (3, 1, 0, -1, -4)] == ["up", "up", "flat", "down", "down"]


def test_a_day_with_mixed_only_is_flat_and_looks_mixed() -> None:
    rows = [row("2026-02-02", "bullish"), row("2026-02-03", "mixed"), row("2026-02-03", "mixed")]
    (flip,) = flips(rows)
    assert (flip.date, flip.before, flip.after, flip.net) == (dt.date(2026, 2, 3), "up", "flat", 0)
    day = nets(rows, "day")[1]
    assert day.look == "mixed"
    assert nets([row("2026-02-03", "neutral")], "day")[0].look == "neutral"


def test_a_day_with_both_directions_nets_them() -> None:
    rows = [
        row("2026-02-02", "bearish"),
        row("2026-02-03", "bullish", item="x"),
        row("2026-02-03", "leaning_bearish", item="y"),
        row("2026-02-04", "bullish", item="p"),
        row("2026-02-04", "bearish", item="q"),
    ]
    day_net = {n.period: n for n in nets(rows, "day")}
    assert day_net["2026-02-03"].net == 1
    assert day_net["2026-02-04"].net == 0 and day_net["2026-02-04"].look == "mixed"
    found = flips(rows)
    assert [(f.date.day, f.before, f.after) for f in found] == [
        (3, "down", "up"),
        (4, "up", "flat"),
    ]
    # the item behind a flip up is the day's item with the largest score
    assert found[0].item.item_id == "x"


def test_gaps_do_not_break_the_comparison_with_the_last_earlier_day() -> None:
    rows = [
        row("2026-02-02", "bullish"),
        row("2026-02-10", "leaning_bullish"),  # a week later, still up: no flip
        row("2026-02-20", "bearish"),
        row("2026-03-01", "bearish"),
    ]
    found = flips(rows)
    assert [(f.date, f.previous_date) for f in found] == [
        (dt.date(2026, 2, 20), dt.date(2026, 2, 10))
    ]
    series = [(dt.date(2026, 2, d), n) for d, n in ((2, 2), (10, 1), (20, -2), (28, -1))]
    current = streak(series)
    assert current is not None
    assert (current.direction, current.days, current.since) == ("down", 2, dt.date(2026, 2, 20))
    assert streak([]) is None


def test_ties_pick_the_first_item_and_flat_picks_the_nearest_to_zero() -> None:
    rows = [
        row("2026-02-02", "bearish"),
        row("2026-02-03", "bullish", item="first", path="a.md"),
        row("2026-02-03", "bullish", item="second", path="b.md"),
        row("2026-02-04", "bullish", item="big"),
        row("2026-02-04", "neutral", item="calm"),
        row("2026-02-04", "bearish", item="down"),
    ]
    found = flips(rows)
    assert [f.item.item_id for f in found] == ["first", "calm"]
    assert [f.after for f in found] == ["up", "flat"]


def test_an_items_score_is_the_sum_of_its_impacts_on_the_asset() -> None:
    rows = [
        row("2026-02-02", "bearish"),
        row("2026-02-03", "leaning_bullish", item="twice"),
        row("2026-02-03", "leaning_bullish", item="twice"),
        row("2026-02-03", "bullish", item="once"),
        row("2026-02-03", "bearish", item="against"),
    ]
    (flip,) = flips(rows)
    assert flip.net == 2 and flip.item.item_id == "twice"  # 1 + 1 ties 2: first wins


def test_inferred_stances_count_and_are_kept_apart() -> None:
    rows = [row("2026-02-02", "bearish", inferred=True), row("2026-02-03", "bullish")]
    (flip,) = flips(rows)
    assert flip.before == "down"
    summary = summarize(rows, "黄金")
    assert summary.inferred == 1 and summary.net == 0 and summary.mentions == 2


def test_summary_streak_and_last_flip_as_of_the_end_of_the_range() -> None:
    rows = [
        row("2026-02-02", "bullish"),
        row("2026-02-03", "bearish"),
        row("2026-02-04", "bearish"),
        row("2026-02-05", "bullish"),
    ]
    until_4 = summarize(rows, "黄金", since=dt.date(2026, 2, 4), until=dt.date(2026, 2, 4))
    assert until_4.streak is not None
    assert (until_4.streak.direction, until_4.streak.days) == ("down", 2)
    assert until_4.last_flip == dt.date(2026, 2, 3)
    assert until_4.mentions == 1
    whole = summarize(rows, "黄金")
    assert whole.last_flip == dt.date(2026, 2, 5) and whole.streak is not None
    assert whole.streak.days == 1


def test_grid_cells_order_and_summaries() -> None:
    rows = [
        row("2026-02-02", "bullish", asset="原油"),
        row("2026-02-02", "bullish", asset="原油"),
        row("2026-02-09", "bearish", asset="白银"),
        row("2026-02-20", "bullish", asset="黄金"),
        row("2026-02-21", "bearish", asset="黄金"),
    ]
    grid = Grid.build(rows, "week")
    assert [key for key, _ in grid.periods] == ["2026-W06", "2026-W07", "2026-W08"]
    assert grid.cell("原油", 0) is not None and grid.cell("原油", 1) is None
    assert grid.cell("黄金", 2).net == 0  # type: ignore[union-attr]
    assert grid.order(["铜"], 0, 2) == ["铜", "原油", "黄金", "白银"]
    assert grid.order([], 1, 1) == ["白银"]  # only what the window mentions
    summary = grid.summary("黄金", 0, 2)
    assert summary.last_flip == dt.date(2026, 2, 21) and summary.mentions == 2
    assert summary.streak is not None and summary.streak.direction == "down"
    assert len(grid.rows_of("黄金", 2)) == 2 and grid.rows_of("黄金", 9) == ()
    assert Grid.build([], "day").periods == ()
