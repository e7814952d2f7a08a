"""The merge policy: an update's cost follows what changed, never the size of the archive."""

from __future__ import annotations

from digest_tui.index.search.update import MERGE_BUDGET, TIER_FACTOR, choose_merge


def segments(*sizes: int, gone: int = 0) -> list[tuple[str, int, int]]:
    return [(f"s{i}", size, gone) for i, size in enumerate(sizes)]


def test_big_segments_are_left_alone_by_a_small_update() -> None:
    built = segments(60_000, 60_000, 9_000)  # a full build of ten years
    assert choose_merge(built, 20) == []


def test_small_segments_are_folded_once_a_tier_is_full() -> None:
    small = segments(60_000, *([20] * (TIER_FACTOR - 1)))
    assert choose_merge(small, 20) == [f"s{i}" for i in range(1, TIER_FACTOR)]
    assert choose_merge(small[:-1], 20) == []  # one fewer: not yet


def test_an_update_never_re_adds_more_than_the_budget() -> None:
    many = segments(*([MERGE_BUDGET // 3] * 12))
    folded = choose_merge(many, 20)
    assert 2 <= len(folded) and sum(size for _s, size, _g in many[: len(folded)]) <= MERGE_BUDGET


def test_a_segment_mostly_deleted_is_folded_whatever_its_size() -> None:
    stats = [("big", 60_000, 30_000), ("other", 60_000, 100)]
    assert choose_merge(stats, 20) == ["big"]


def test_segments_stay_few_over_a_year_of_daily_updates() -> None:
    stats: list[tuple[str, int, int]] = [("build", 130_000, 0)]
    for day in range(365):
        folded = set(choose_merge(stats, 20))
        re_added = sum(size for name, size, _gone in stats if name in folded)
        assert re_added <= MERGE_BUDGET
        stats = [s for s in stats if s[0] not in folded] + [(f"day{day}", 20 + re_added, 0)]
    assert len(stats) <= 4 * TIER_FACTOR


def test_the_month_after_a_build_re_adds_at_most_a_week_of_posts_per_update() -> None:
    """A merged segment leaves the tier of a day's segment: the next merges fold days' worth
    of units, not the merged pile again with them (issue 14: every update cheap)."""
    day_units = 13
    stats: list[tuple[str, int, int]] = [("worker0", 35_000, 0), ("worker1", 35_000, 0)]
    worst = 0
    for day in range(32):
        folded = set(choose_merge(stats, day_units))
        assert not folded & {"worker0", "worker1"}
        re_added = sum(size for name, size, _gone in stats if name in folded)
        worst = max(worst, re_added)
        stats = [s for s in stats if s[0] not in folded] + [(f"day{day}", day_units + re_added, 0)]
    assert 0 < worst <= 7 * day_units
    assert len(stats) <= 2 + 2 * TIER_FACTOR  # a few per tier
