"""One SVG snapshot per screen of the reader (pytest-textual-snapshot, fixed size and data).

The archive is tests/snapshots/archive (our own posts). HOME points at tests/, so the header
shows "~/snapshots/archive" wherever the checkout is. Update after a deliberate change with
`pytest tests/test_tui_snapshots.py --snapshot-update` and look at the SVGs before committing.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Input
from tui_helpers import make_app, settle

TESTS = Path(__file__).resolve().parent
ARCHIVE = TESTS / "snapshots" / "archive"


@pytest.fixture(autouse=True)
def home_is_tests(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOME", str(TESTS))


def steps(*keys: str) -> Callable[[Pilot], Awaitable[None]]:
    """Wait for the archive, press `keys` (waiting after each), then freeze what blinks."""

    async def run(pilot: Pilot) -> None:
        app = pilot.app
        await settle(app, pilot)
        for key in keys:
            await pilot.press(key)
            await settle(app, pilot)
        for field in app.screen.query(Input):
            field.cursor_blink = False
        app.clear_notifications()
        await pilot.pause()

    return run


def snap(snap_compare, *keys: str, size: tuple[int, int] = (120, 36)) -> bool:
    return snap_compare(make_app(ARCHIVE), terminal_size=size, run_before=steps(*keys))


def test_browse_post_header(snap_compare) -> None:
    assert snap(snap_compare)


def test_browse_item_with_impacts(snap_compare) -> None:
    assert snap(snap_compare, "tab", "j", "j")


def test_search_results(snap_compare) -> None:
    assert snap(snap_compare, "slash", *"金价")


def test_search_opened_with_highlights(snap_compare) -> None:
    assert snap(snap_compare, "slash", *"金价", "enter")


def test_tag_picker(snap_compare) -> None:
    assert snap(snap_compare, "t")


def test_asset_filter_timeline(snap_compare) -> None:
    assert snap(snap_compare, "a", *"黄金", "enter")


def test_help(snap_compare) -> None:
    assert snap(snap_compare, "question_mark")


def test_link_confirm(snap_compare) -> None:
    assert snap(snap_compare, "tab", "j", "j", "o")


def test_narrow_terminal_item(snap_compare) -> None:
    assert snap(snap_compare, "enter", "j", "j", "enter", size=(80, 24))


def test_market_view(snap_compare) -> None:
    assert snap(snap_compare, "v", "left", "left", size=(130, 40))


@pytest.mark.parametrize("width", [100, 160, 240])
def test_three_panes_at_width(snap_compare, width: int) -> None:
    assert snap(snap_compare, "tab", "j", "j", size=(width, 36))


def test_post_reading_mode(snap_compare) -> None:
    assert snap(snap_compare, "G", size=(160, 36))  # an article: read whole, tree as contents


def test_economy_daily_item_report_before_analysis(snap_compare) -> None:
    assert snap(snap_compare, "tab", "j", "j", size=(160, 40))
