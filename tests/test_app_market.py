"""The market screen as a reader uses it: colours, periods, cursor, items, open and back,
watchlist, an archive without impacts, alerts for watched assets."""

from __future__ import annotations

from pathlib import Path

import pytest
from digest_tui.index.paths import Config, Roots
from digest_tui.index.state.store import StateStore, default_state_path
from digest_tui.tui.app import DigestApp
from digest_tui.tui.colors import DOWN_GREEN, LEAN_GREEN, UP_RED
from digest_tui.tui.screens.browse import BrowseScreen
from digest_tui.tui.screens.market import MarketScreen
from digest_tui.tui.widgets.heatmap import CELL_WIDTH, NAME_WIDTH, Heatmap, fit
from market_archive import write_market_archive, write_quiet_archive
from rich.style import Style
from textual.widgets import OptionList, Static
from tui_helpers import WAIT_S, settle, wait_until

SIZE = (130, 40)


@pytest.fixture
def archive(tmp_path: Path) -> Path:
    return write_market_archive(tmp_path / "archive")


def app_on(root: Path, **config: object) -> DigestApp:
    return DigestApp(Roots((root,), "--archive"), Config(**config), watch=False)  # type: ignore[arg-type]


async def open_market(app: DigestApp, pilot) -> Heatmap:
    await settle(app, pilot)
    await pilot.press("v")
    await wait_until(pilot, lambda: isinstance(app.screen, MarketScreen), "the market screen")
    await settle(app, pilot)
    heatmap = app.screen.query_one(Heatmap)
    await wait_until(pilot, lambda: heatmap.grid is not None, "the market data")
    return heatmap


def row_of(heatmap: Heatmap, asset: str) -> tuple[str, list]:
    """(plain text, spans) of the heatmap line of `asset`."""
    for line in heatmap.render().split("\n"):
        if line.plain[1:].startswith(asset):
            return line.plain, line.spans
    raise AssertionError(f"no row for {asset}")


def cell(heatmap: Heatmap, asset: str, day: str) -> tuple[str, Style]:
    """What the cell of `asset` on `day` shows, and its style."""
    assert heatmap.grid is not None
    index = next(i for i, (key, _) in enumerate(heatmap.grid.periods) if key == day)
    lo, _hi = heatmap.window
    plain, spans = row_of(heatmap, asset)
    offset = len(fit(" " + asset, NAME_WIDTH)) + (index - lo) * CELL_WIDTH  # characters
    style = Style()
    for span in spans:
        if span.start <= offset < span.end:
            style += span.style if isinstance(span.style, Style) else Style.parse(span.style)
    return plain[offset : offset + CELL_WIDTH], style


def items_panel(app: DigestApp) -> list[str]:
    panel = app.screen.query_one("#market-items", OptionList)
    return [panel.get_option_at_index(i).prompt.plain for i in range(panel.option_count)]


@pytest.mark.parametrize(
    ("convention", "up", "down"), [("cn", UP_RED, DOWN_GREEN), ("us", DOWN_GREEN, UP_RED)]
)
async def test_cells_follow_the_colour_convention(
    archive: Path, convention: str, up: str, down: str
) -> None:
    app = app_on(archive, colors=convention)
    async with app.run_test(size=SIZE) as pilot:
        heatmap = await open_market(app, pilot)
        text, style = cell(heatmap, "黄金", "2026-02-02")
        assert text.startswith("▲") and style.bgcolor is not None
        assert style.bgcolor.name.lower() == up.lower() and style.bold
        text, style = cell(heatmap, "原油", "2026-02-02")
        assert text.startswith("▼") and style.bgcolor.name.lower() == down.lower()  # type: ignore[union-attr]
        text, style = cell(heatmap, "黄金", "2026-02-03")  # net -1: the dimmer shade
        lean = LEAN_GREEN if convention == "cn" else "#d78787"
        assert text.startswith("▽") and style.bgcolor.name.lower() == lean  # type: ignore[union-attr]
        text, style = cell(heatmap, "黄金", "2026-02-16")  # mixed only: magenta, ◆
        assert text.startswith("◆") and style.bgcolor.name.lower() == "#d75fd7"  # type: ignore[union-attr]
        text, style = cell(heatmap, "黄金", "2026-02-04")  # not mentioned: blank
        assert text == "   " and style.bgcolor is None
        await pilot.press("c")  # switching the convention redraws the cells
        await settle(app, pilot)
        _text, style = cell(heatmap, "黄金", "2026-02-02")
        assert style.bgcolor.name.lower() == down.lower()  # type: ignore[union-attr]


async def test_no_color_shows_glyphs_only(archive: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    app = app_on(archive)
    async with app.run_test(size=SIZE) as pilot:
        heatmap = await open_market(app, pilot)
        for asset, day, glyph in [("黄金", "2026-02-02", "▲"), ("原油", "2026-02-09", "◆")]:
            text, style = cell(heatmap, asset, day)
            assert text.startswith(glyph) and style.bgcolor is None and style.color is None


async def test_rows_beside_them_direction_streak_flip_and_counts(archive: Path) -> None:
    app = app_on(archive)
    async with app.run_test(size=SIZE) as pilot:
        heatmap = await open_market(app, pilot)
        assert heatmap.order() == ["黄金", "原油"]  # most mentioned first
        gold, _ = row_of(heatmap, "黄金")
        assert "● 中性 1 天" in gold and "翻 26-02-16" in gold and "6次" in gold
        oil, _ = row_of(heatmap, "原油")
        assert "翻 26-02-09" in oil and "5次" in oil


async def test_periods_cycle_day_week_month(archive: Path) -> None:
    app = app_on(archive)
    async with app.run_test(size=SIZE) as pilot:
        heatmap = await open_market(app, pilot)
        assert heatmap.grid is not None and heatmap.grid.by == "day"
        assert len(heatmap.grid.periods) == 15  # 02-02 … 02-16, gaps included
        await pilot.press("p")
        assert heatmap.grid.by == "week"
        assert [key for key, _ in heatmap.grid.periods] == ["2026-W06", "2026-W07", "2026-W08"]
        text, _style = cell(heatmap, "黄金", "2026-W06")
        assert text.startswith("▲")  # 2 - 1 + 2 + 0 = +3
        await pilot.press("p")
        assert heatmap.grid.by == "month" and heatmap.grid.periods[0][0] == "2026-02"
        await pilot.press("p")
        assert heatmap.grid.by == "day"


async def test_cursor_and_items_panel(archive: Path) -> None:
    app = app_on(archive)
    async with app.run_test(size=SIZE) as pilot:
        heatmap = await open_market(app, pilot)
        assert (heatmap.asset, heatmap.grid.periods[heatmap.index][0]) == (  # type: ignore[union-attr]
            "黄金",
            "2026-02-16",
        )
        assert items_panel(app) == [
            "2026-02-16  ◆ 多空交织  金价多空分歧  · 经济日报 2026-02-16\n"
            "    对黄金：多空交织。买盘仍在，美元却在反弹。"
        ]
        for _ in range(11):
            await pilot.press("left")
        await pilot.pause()
        assert heatmap.grid.periods[heatmap.index][0] == "2026-02-05"  # type: ignore[union-attr]
        shown = items_panel(app)
        assert [line.split("\n")[0] for line in shown] == [
            "2026-02-05  ▲ 利多  避险需求再起  · 经济日报 2026-02-05",
            "2026-02-05  ● 中性  金价高位震荡  · 经济日报 2026-02-05",
        ]
        assert "对金价：利多。地缘风险升温。" in shown[0]
        title = app.screen.query_one("#market-items", OptionList).border_title
        assert str(title) == "黄金 · 2026-02-05 · net +2"
        await pilot.press("down")
        await pilot.pause()
        assert heatmap.asset == "原油"
        assert items_panel(app)[0].startswith("2026-02-05  ▲ 利多  海峡局势紧张")
        await pilot.press("left")  # 02-04: nobody wrote about it
        await pilot.pause()
        assert items_panel(app) == []


async def test_enter_opens_the_item_and_escape_comes_back_to_the_cell(archive: Path) -> None:
    app = app_on(archive)
    async with app.run_test(size=SIZE) as pilot:
        heatmap = await open_market(app, pilot)
        for _ in range(11):
            await pilot.press("left")
        await pilot.press("down", "enter")
        await wait_until(pilot, lambda: isinstance(app.screen, BrowseScreen), "the three panes")
        await settle(app, pilot)
        assert app.screen.detail.border_title == "Item"
        assert "海峡局势紧张" in app.screen.detail.visible_text
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, MarketScreen), "back")
        assert heatmap.asset == "原油"
        assert heatmap.grid.periods[heatmap.index][0] == "2026-02-05"  # type: ignore[union-attr]
        await pilot.press("escape")  # and escape there closes the market view
        await wait_until(pilot, lambda: isinstance(app.screen, BrowseScreen), "browse")


async def test_a_flip_opens_its_item(archive: Path) -> None:
    app = app_on(archive)
    async with app.run_test(size=SIZE) as pilot:
        await open_market(app, pilot)
        flips = app.screen.query_one("#market-flips", OptionList)
        assert flips.option_count == 5
        newest = flips.get_option_at_index(0).prompt.plain
        assert "2026-02-16 黄金 ▲→● +0 金价多空分歧" in newest
        assert "金价多空分歧：这是第一行分析" in newest
        await pilot.press("f", "down", "enter")
        await wait_until(pilot, lambda: isinstance(app.screen, BrowseScreen), "the three panes")
        await settle(app, pilot)
        assert "OPEC+ 增产，油价承压" in app.screen.detail.visible_text


async def test_watchlist_add_remove_and_seed(archive: Path) -> None:
    app = app_on(archive, watch=("原油",))
    async with app.run_test(size=SIZE) as pilot:
        heatmap = await open_market(app, pilot)
        assert heatmap.order() == ["原油", "黄金"]  # the watchlist first
        assert row_of(heatmap, "原油")[0].startswith("★原油")
        await pilot.press("down", "w")  # watch 黄金 too
        await pilot.pause()
        assert heatmap.order() == ["原油", "黄金"] and row_of(heatmap, "黄金")[0].startswith("★")
        await pilot.press("up", "w")  # remove the seeded 原油
        await pilot.pause()
        assert heatmap.order() == ["黄金", "原油"]
        assert row_of(heatmap, "原油")[0].startswith(" 原油")
    await wait_until_saved(app)
    assert StateStore(default_state_path()).watched_assets() == ["黄金"]  # in the state db
    again = app_on(archive, watch=("原油",))  # the next launch: the removal lasts
    async with again.run_test(size=SIZE) as pilot:
        heatmap = await open_market(again, pilot)
        assert heatmap.order() == ["黄金", "原油"]
        assert row_of(heatmap, "黄金")[0].startswith("★黄金")


async def wait_until_saved(app: DigestApp) -> None:
    for worker in [w for w in app.workers if w.group == "watchlist"]:
        await worker.wait()


async def test_an_archive_without_impacts_says_why(tmp_path: Path) -> None:
    app = app_on(write_quiet_archive(tmp_path / "quiet"))
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("v")
        await wait_until(pilot, lambda: isinstance(app.screen, MarketScreen), "market")
        await settle(app, pilot)
        empty = app.screen.query_one("#market-empty", Static)
        await wait_until(pilot, lambda: empty.display, "the empty notice")
        assert "No impact on any asset" in str(empty.render())
        assert not app.screen.query_one(Heatmap).display


async def test_a_new_post_flipping_a_watched_asset_alerts(archive: Path) -> None:
    app = app_on(archive, watch=("黄金",))
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        assert app.market_alert == ""
        (archive / "econ" / "2026-02-20-late.md").write_text(
            "---\ntitle: 晚报\ndate: 2026-02-20\n---\n# 晚报\n\n"
            "### [金价暴跌](https://example.com/x)\n\n**影响：**\n- 对黄金：利空。抛售。\n"
            "- 对原油：利空。需求。\n",
            encoding="utf-8",
        )
        app.start_update()
        await wait_until(pilot, lambda: app.market_alert, "the alert", timeout=WAIT_S)
        await settle(app, pilot)
        assert app.market_alert == "⚑ 1 flip (v)"
        told = [n.message for n in app._notifications if n.title == "Watched asset flipped"]
        assert told == ["黄金: flat → down (金价暴跌)"]  # 原油 is not watched
        header = app.screen.query_one("#header-alert", Static)
        assert "⚑ 1 flip" in str(header.render())
        await pilot.press("v")  # seen
        await wait_until(pilot, lambda: isinstance(app.screen, MarketScreen), "market")
        assert app.market_alert == ""
