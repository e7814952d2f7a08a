"""`t` or `a` opened while the first index is built: the open picker gets the index's counts
once the index is ready (`a` said "no assets yet" until closed and opened again)."""

from __future__ import annotations

import pytest
from digest_tui.index.library import Library
from digest_tui.tui.messages import IndexFinished, IndexProgress, PostsLoaded
from digest_tui.tui.screens.pickers import Picker
from textual.message import Message
from textual.widgets import Static
from tui_helpers import make_app, open_screen, settle, wait_until


async def test_the_asset_picker_opened_during_the_first_index_fills_in_when_it_is_ready(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    built = False  # the index not there yet for the library (as early in a first build)
    has_index = Library.has_index
    monkeypatch.setattr(Library, "has_index", lambda library: built and has_index(library))
    app = make_app(None)
    held: list[Message] = []
    post = app.keeper.post

    def hold_the_index(message: Message) -> object:
        """The first list through; what the index sends held until the test lets it go."""
        if isinstance(message, IndexFinished | IndexProgress) or (
            isinstance(message, PostsLoaded) and message.searchable
        ):
            held.append(message)
            return True
        return post(message)

    app.keeper.post = hold_the_index
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_until(pilot, lambda: app.listing.loaded and app.screen.is_mounted, "listed")
        await wait_until(pilot, lambda: any(isinstance(m, IndexFinished) for m in held), "built")
        await open_screen(pilot, "a", Picker)
        await pilot.press("金")  # typed while indexing: kept when the list fills in
        picker = app.screen.picker
        status = picker.query_one("#picker-status", Static)
        assert picker.shown == []
        assert str(status.render()) == "no assets yet"
        assert app.index_state.phase != "ready"
        built = True
        app.keeper.post = post
        for message in held:
            post(message)
        await settle(app, pilot)
        assert app.index_state.phase == "ready"
        assert picker.is_open
        assert "黄金" in picker.shown
        assert all("金" in name for name in picker.shown)
        assert str(status.render()) == f"{len(picker.shown)} of {len(picker.choices)}"
