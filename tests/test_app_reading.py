"""Reading keys: escape's one rule at every width, `/` with the last query, `T`, `p`."""

from __future__ import annotations

from pathlib import Path

import pytest
from digest_tui.tui.screens.browse import BrowseScreen
from digest_tui.tui.screens.pickers import Picker
from digest_tui.tui.screens.search import SearchScreen
from textual.widgets import Input
from tui_helpers import back_to, date_rows, make_app, open_screen, settle, small_archive


def active_pane(app) -> str:
    return next(p.id for p in app.screen.panes if p.has_class("-active"))


@pytest.mark.parametrize("width", [80, 120, 200])
async def test_escape_backs_a_pane_first_then_clears_the_filters(
    tmp_path: Path, width: int
) -> None:
    app = make_app(small_archive(tmp_path))
    async with app.run_test(size=(width, 40)) as pilot:
        await settle(app, pilot)
        await open_screen(pilot, "t", Picker)
        await pilot.press(*"能源", "enter")
        await back_to(pilot, BrowseScreen)
        await settle(app, pilot)
        assert len(date_rows(app)) == 1
        await pilot.press("tab", "tab")
        await settle(app, pilot)
        assert active_pane(app) == "detail"
        await pilot.press("escape")
        await settle(app, pilot)
        assert (active_pane(app), len(date_rows(app))) == ("sections", 1)
        await pilot.press("escape")
        await settle(app, pilot)
        assert (active_pane(app), len(date_rows(app))) == ("dates", 1)
        await pilot.press("escape")
        await settle(app, pilot)
        assert (active_pane(app), len(date_rows(app))) == ("dates", 3)


async def test_slash_reopens_with_the_last_query_typed(tmp_path: Path) -> None:
    app = make_app(small_archive(tmp_path))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await open_screen(pilot, "slash", SearchScreen)
        await pilot.press(*"库存", "enter")
        await back_to(pilot, BrowseScreen)
        await settle(app, pilot)
        await open_screen(pilot, "slash", SearchScreen)
        field = app.screen.query_one(Input)
        assert field.value == "库存"
        field.value = "黄金"
        await settle(app, pilot)
        await pilot.press("escape")  # closed without opening a result
        await back_to(pilot, BrowseScreen)
        await open_screen(pilot, "slash", SearchScreen)
        assert app.screen.query_one(Input).value == "黄金"
