"""The reader's memory, driven by keys: unread marks in every list and the header, opening
an item marks it read, r / R / u / space / s / e / S / E / y, saved searches, a post that
arrives while it runs, and what is new at the next launch."""

from __future__ import annotations

import os
import stat
import sys
from pathlib import Path

import pytest
from digest_tui.index.state.store import StateStore, default_state_path
from digest_tui.tui.app import DigestApp
from digest_tui.tui.screens.confirm import Confirm
from digest_tui.tui.screens.saved_searches import SavedSearches
from digest_tui.tui.screens.search import SearchScreen
from digest_tui.tui.screens.starred import StarredScreen
from digest_tui.tui.screens.text_prompt import TextPrompt
from textual.widgets import Input, OptionList, Static
from tui_helpers import (
    back_to,
    date_rows,
    detail_text,
    make_app,
    open_screen,
    settle,
    small_archive,
    wait_until,
    write_post,
)

B, C, A = "2026-03-02-b.md", "2026-03-02-c.md", "2026-03-01-a.md"


def header_reading(app: DigestApp) -> str:
    return str(app.screen.query_one("#header-reading", Static).content)


def row_of(app: DigestApp, path: str) -> str:
    screen = app.screen
    return next(
        row for row, post in zip(date_rows(app), screen.date_list.posts, strict=True) if post.path == path
    )


def tree_labels(app: DigestApp) -> list[str]:
    tree = app.screen.section_tree
    return [str(node.label) for node in tree.item_nodes.values()]


def stored_marks() -> dict[tuple[str, str], bool]:
    store = StateStore(default_state_path())
    try:
        return store.read_state().marks
    finally:
        store.close()


async def ready(app: DigestApp, pilot) -> None:  # type: ignore[no-untyped-def]
    await settle(app, pilot)
    await wait_until(pilot, lambda: app.reading.loaded, "the reading state")
    await wait_until(pilot, lambda: header_reading(app), "the header's counts")
    await settle(app, pilot)


async def go_to_post(app: DigestApp, pilot, path: str) -> None:  # type: ignore[no-untyped-def]
    screen = app.screen
    screen.date_list.highlight_key(next(p.key for p in screen.date_list.posts if p.path == path))
    await settle(app, pilot)


async def test_unread_posts_and_items_are_marked_and_counted(tmp_path: Path) -> None:
    app = make_app(small_archive(tmp_path))
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(app, pilot)
        # a first run: reading starts at the newest day
        assert header_reading(app) == "4 unread in 2 posts"
        assert "• 周一早报：美元回落" in row_of(app, B) and "2 unread" in row_of(app, B)
        assert "•" not in row_of(app, A) and "unread" not in row_of(app, A)
        await go_to_post(app, pilot, B)
        assert all(label.startswith("• ") for label in tree_labels(app))
