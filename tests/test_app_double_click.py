"""A double-click (Textual selects the word or the widget's text) anywhere raises nothing:
on each pane of the reader and on every screen and dialog it opens."""

from __future__ import annotations

from pathlib import Path

from digest_tui.tui.app import DigestApp
from digest_tui.tui.screens.help import HelpScreen
from digest_tui.tui.screens.link_confirm import LinkConfirm
from digest_tui.tui.screens.pickers import Picker
from digest_tui.tui.screens.search import SearchScreen
from textual.pilot import Pilot
from textual.widget import Widget
from textual.widgets import Footer
from tui_helpers import make_app, on_top, open_screen, settle, small_archive


def errors(app: DigestApp) -> list[str]:
    return [n.message for n in app._notifications if n.severity == "error"]


async def double_click_everything(
    app: DigestApp, pilot: Pilot, within: Widget | None = None
) -> int:
    """Double- and triple-click the middle of every visible widget of the current screen (or
    of `within`), not the footer: a click on one of its keys runs that key's action."""
    clicked = 0
    widgets: list[Widget] = [
        w
        for w in (within or app.screen).walk_children(Widget)
        if w.display
        and not isinstance(w, Footer)
        and not any(isinstance(a, Footer) for a in w.ancestors)
    ]
    for widget in widgets:
        visible = widget.region.intersection(app.screen.region)
        if not widget.is_attached or visible.width == 0 or visible.height == 0:
            continue
        offset = (visible.x + visible.width // 2, visible.y + visible.height // 2)
        await pilot.double_click(None, offset=offset)
        await pilot.triple_click(None, offset=offset)
        await pilot.pause()
        clicked += 1
    return clicked


async def test_double_click_on_each_pane_and_screen_raises_nothing(tmp_path: Path) -> None:
    app = make_app(small_archive(tmp_path))
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("enter", "enter")  # a post's sections, then an item in the detail
        await settle(app, pilot)
        for pane in ("#dates", "#sections", "#detail"):
            await pilot.double_click(pane, offset=(5, 3))
            await pilot.triple_click(pane, offset=(5, 3))
        assert await double_click_everything(app, pilot) >= 3
        await settle(app, pilot)
        assert app.is_running and errors(app) == []

        for key, kind in (
            ("slash", SearchScreen),
            ("question_mark", HelpScreen),
            ("t", Picker),
            ("l", Picker),
        ):
            await open_screen(pilot, key, kind)
            within = app.screen.picker if kind is Picker else None  # a box over the panes
            assert await double_click_everything(app, pilot, within) >= 1
            assert app.is_running and on_top(app, kind)
            await pilot.press("escape")
            await settle(app, pilot)

        await open_screen(pilot, "o", LinkConfirm)  # the item's link: a confirm dialog
        assert await double_click_everything(app, pilot) >= 1
        await pilot.press("escape")
        await settle(app, pilot)
        assert app.is_running and errors(app) == [], errors(app)
