"""The reader's first run on a bigger archive: the newest posts at once, indexing at once, and
every post listed once the index is ready (the list never goes back to the scanned one)."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from digest_tui.index.archive import PostFile
from digest_tui.index.library import Library
from digest_tui.index.model import PostSummary
from digest_tui.index.paths import Config, Roots
from digest_tui.tui import archive_keeper
from digest_tui.tui.messages import IndexProgress, PostsLoaded
from textual.message import Message
from tui_helpers import date_rows, make_app, settle, write_post


async def test_a_first_run_lists_the_newest_first_and_every_post_once_indexed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(archive_keeper, "FIRST_SCAN_BATCH", 2)
    monkeypatch.setattr(archive_keeper, "FIRST_SCAN_MOST", 5)
    root = tmp_path / "archive"
    for day in range(1, 10):
        day_text = f"2026-03-{day:02d}"
        write_post(root, f"{day_text}-p.md", title=f"三月第{day}篇", date=day_text)
    indexing = threading.Event()
    scan = Library.quick_scan

    def slow_scan(library: Library, post_files: list[PostFile] | None = None) -> list[PostSummary]:
        if post_files is not None and post_files[0].path < "2026-03-08":  # after the newest two
            indexing.wait(10)
        return scan(library, post_files)

    monkeypatch.setattr(Library, "quick_scan", slow_scan)
    app = make_app(root)
    lists: list[tuple[int, bool]] = []
    events: list[str] = []
    post = app.keeper.post

    def record(message: Message) -> object:
        if isinstance(message, PostsLoaded):
            lists.append((len(message.posts), message.searchable))
            events.append("list")
        elif isinstance(message, IndexProgress) and message.phase == "checking":
            events.append("indexing")
            indexing.set()
        return post(message)

    app.keeper.post = record
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        rows = date_rows(app)
        assert len(rows) == 9
        assert "三月第9篇" in rows[0] and "三月第1篇" in rows[-1]
    assert lists[0] == (2, False)  # the two newest, scanned before anything else
    assert events[:2] == ["list", "indexing"]  # indexing began before the rest was scanned
    assert lists[-1] == (9, True)  # the index has every post
    assert all(count <= 5 for count, searchable in lists if not searchable)  # the scan: bounded
    first_indexed = lists.index((9, True))
    assert all(searchable for _count, searchable in lists[first_indexed:])


async def test_a_built_index_shows_its_newest_page_first_then_every_post(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With an index, the first frame lists the newest page (read from the side store alone,
    counted as every post), and every post follows; the reader's place stays on the newest."""
    monkeypatch.setattr(archive_keeper, "FIRST_PAGE", 3)
    root = tmp_path / "archive"
    for day in range(1, 10):
        day_text = f"2026-03-{day:02d}"
        write_post(root, f"{day_text}-p.md", title=f"三月第{day}篇", date=day_text)
    Library(Roots((root,), "--archive"), Config()).update()
    app = make_app(root)
    shown: list[tuple[int, int]] = []
    show_page = app._show_page

    def record(posts: list[PostSummary], total: int) -> None:
        shown.append((len(posts), total))
        show_page(posts, total)

    monkeypatch.setattr(app, "_show_page", record)
    async with app.run_test(size=(120, 40)) as pilot:
        assert app.listing.posts and len(app.listing.posts) in (3, 9)  # the page, or all
        await settle(app, pilot)
        rows = date_rows(app)
        assert len(rows) == 9 and "三月第9篇" in rows[0] and "三月第1篇" in rows[-1]
        assert app.screen.date_list.border_title == "Posts 9"
        assert app.screen.date_list.highlighted == 0
        assert app.index_state.searchable and app.library is not None
    assert shown == [(3, 9)]  # the newest three first, counted as nine
