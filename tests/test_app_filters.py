"""Tag and asset filters: pickers with counts, chips, narrowed list and search, timeline."""

from __future__ import annotations

from pathlib import Path

from digest_tui.index.filters import combined_stance
from digest_tui.index.model import STANCE_GLYPHS
from digest_tui.tui.colors import STANCE_LABELS
from digest_tui.tui.screens.browse import BrowseScreen
from digest_tui.tui.screens.pickers import Picker
from digest_tui.tui.screens.search import SearchScreen
from digest_tui.tui.widgets.filter_chips import Chip
from textual.widgets import Static
from tui_helpers import (
    back_to,
    date_rows,
    make_app,
    open_screen,
    sample_copy,
    settle,
    small_archive,
    wait_until,
)


def picker_rows(app) -> list[str]:
    option_list = app.screen.query_one("#picker-list")
    return [
        option_list.get_option_at_index(i).prompt.plain for i in range(option_list.option_count)
    ]


async def choose(pilot, key: str, value: str) -> None:
    """Open the picker of `key` (t or a), type `value`, take it and wait for the list."""
    await open_screen(pilot, key, Picker)
    await pilot.press(*value, "enter")
    await back_to(pilot, BrowseScreen)
    await settle(pilot.app, pilot)


async def test_tag_picker_narrows_as_you_type_and_the_choice_filters_the_list(
    tmp_path: Path,
) -> None:
    app = make_app(small_archive(tmp_path))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await open_screen(pilot, "t", Picker)
        rows = picker_rows(app)
        assert rows[0] == "经济日报  3"
        assert {"外汇  1", "能源  1", "宏观  1"} <= set(rows)
        await pilot.press(*"外")
        await wait_until(pilot, lambda: picker_rows(app) == ["外汇  1"], "the narrowed tags")
        await pilot.press("enter")
        await back_to(pilot, BrowseScreen)
        await settle(app, pilot)
        # (an unread post's title has a dot before it: tests/test_app_reading.py)
        titles = [row.split("\n")[1].removeprefix("• ") for row in date_rows(app)]
        assert titles == ["周一早报：美元回落"]
        assert app.screen.date_list.border_title == "Posts 1 of 3"
        chips = list(app.screen.query(Chip))
        assert [str(chip.content) for chip in chips] == ["tag 外汇 ✕"]
        # the search is narrowed too, and says so
        await open_screen(pilot, "slash", SearchScreen)
        await pilot.press(*"黄金")
        await settle(app, pilot)
        assert "within tag: 外汇" in str(app.screen.query_one("#search-scope", Static).content)
        results = app.screen.query_one("#search-results")
        assert results.option_count == len(app.screen.hits) > 0
        assert {(hit.date, hit.post_title) for hit in app.screen.hits} == {
            ("2026-03-02", "周一早报：美元回落")
        }
        await pilot.press("escape")
        await back_to(pilot, BrowseScreen)
        await pilot.press("x")
        await settle(app, pilot)
        assert len(date_rows(app)) == 3 and not list(app.screen.query(Chip))


async def test_escape_and_a_click_on_the_chip_clear_a_filter(tmp_path: Path) -> None:
    app = make_app(small_archive(tmp_path))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await choose(pilot, "t", "能源")
        assert len(date_rows(app)) == 1
        await pilot.click(Chip)
        await settle(app, pilot)
        assert len(date_rows(app)) == 3
        await choose(pilot, "t", "能源")
        assert len(date_rows(app)) == 1
        await pilot.press("escape")
        await settle(app, pilot)
        assert len(date_rows(app)) == 3


async def test_an_asset_filter_shows_the_assets_stance_per_date(tmp_path: Path) -> None:
    app = make_app(sample_copy(tmp_path))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await open_screen(pilot, "a", Picker)
        rows = picker_rows(app)
        names = [row.rsplit("  ", 1)[0] for row in rows]
        assert "黄金" in names
        counts = [int(row.rsplit("  ", 1)[1]) for row in rows]
        assert counts == sorted(counts, reverse=True)  # most frequent first
        await pilot.press(*"黄金", "enter")
        await back_to(pilot, BrowseScreen)
        await settle(app, pilot)
        rows = date_rows(app)
        timeline = app.library.asset_timeline("黄金")
        by_path: dict[str, list[str]] = {}
        for _date, stance, path, _item, _title in timeline:
            by_path.setdefault(path, []).append(stance)
        assert len(rows) == len(by_path)
        glyphs = []
        for post, row in zip(app.screen.date_list.posts, rows, strict=True):
            stance = combined_stance(by_path[post.path])
            expected = STANCE_GLYPHS[stance]
            # the asset's stance in words, in place of the post's tally of every impact
            assert row.startswith(f"{expected} {post.date.isoformat()} {STANCE_LABELS[stance]}"), (
                row
            )
            glyphs.append(expected)
        assert len(set(glyphs)) >= 2  # the view of gold moved over time
        assert [str(c.content) for c in app.screen.query(Chip)] == ["asset 黄金 ✕"]


def test_combined_stance_agrees_mixes_or_keeps_the_firmest() -> None:
    assert combined_stance(["bullish", "bullish"]) == "bullish"
    assert combined_stance(["leaning_bullish", "bullish"]) == "bullish"
    assert combined_stance(["bullish", "leaning_bearish"]) == "mixed"
    assert combined_stance(["neutral", "leaning_bearish"]) == "leaning_bearish"
    assert combined_stance([]) == "unknown"


def test_the_posts_a_filter_lets_through_are_listed_in_order_and_kept_per_listing() -> None:
    import datetime as dt

    from digest_tui.index.filters import FilteredPosts, Filters
    from digest_tui.index.model import PostSummary

    def summary(name: str) -> PostSummary:
        return PostSummary(f"{name}.md", "/r", dt.date(2026, 1, 1), name, None, (), ())

    posts = tuple(summary(name) for name in "abcde")
    filtered = FilteredPosts(Filters(asset="黄金"), frozenset({("/r", "d.md"), ("/r", "b.md")}))
    listed = filtered.listed(posts)
    assert [p.title for p in listed] == ["b", "d"]  # in the listing's order
    assert filtered.listed(posts) is listed  # kept for this listing
    again = tuple(reversed(posts))  # another listing: worked out again
    assert [p.title for p in filtered.listed(again)] == ["d", "b"]
    assert FilteredPosts(Filters()).listed(posts) is posts  # no filter: every post


async def test_a_warmed_asset_filter_narrows_the_list_with_no_post_tested_on_the_key(
    tmp_path: Path, monkeypatch
) -> None:
    """The filters the pickers list first are worked out ahead, with the posts each lets
    through: the key that sets one tests none of the listing's posts one by one."""
    from digest_tui.index.filters import FilteredPosts, Filters

    app = make_app(sample_copy(tmp_path))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        library = app.library
        assert library is not None
        gold = Filters(asset="黄金")
        await wait_until(
            pilot, lambda: library.known_filtered(gold) is not None, "the filters worked out ahead"
        )
        await open_screen(pilot, "a", Picker)
        tested: list[object] = []
        passes = FilteredPosts.passes
        monkeypatch.setattr(
            FilteredPosts, "passes", lambda self, post: tested.append(post) or passes(self, post)
        )
        await pilot.press(*"黄金", "enter")
        await back_to(pilot, BrowseScreen)
        await settle(app, pilot)
        assert " of " in str(app.screen.date_list.border_title)
        assert 0 < len(date_rows(app)) < len(app.listing.posts)
        assert tested == []
