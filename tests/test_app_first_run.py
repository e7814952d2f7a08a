"""A first run lists posts as the scan finds them: the newest by the post's own date is
highlighted as soon as it is known, and stays so until the reader moves."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from tui_helpers import make_app, settle, wait_until, write_post


def slug_and_dated_archive(root: Path) -> Path:
    """70 slug-named posts of 2025 (scanned first: their mtime is today, as after a fresh
    clone) and 70 posts of 2026 whose file names carry their date."""
    first = dt.date(2025, 1, 1)
    for n in range(70):
        day = (first + dt.timedelta(days=n)).isoformat()
        write_post(root, f"slug/{n:03d}-some-slug.md", title=f"旧文{n}", date=day)
    newer = dt.date(2026, 3, 1)
    for n in range(70):
        day = (newer + dt.timedelta(days=n)).isoformat()
        write_post(root, f"dated/{day}-p{n:03d}.md", title=f"新文{n}", date=day)
    return root


async def test_the_newest_post_is_highlighted_until_the_reader_moves(tmp_path: Path) -> None:
    app = make_app(slug_and_dated_archive(tmp_path / "archive"))
    newest = ("dated/2026-05-09-p069.md", "新文69")
    async with app.run_test(size=(160, 40)) as pilot:
        await settle(app, pilot)
        date_list = app.screen.date_list
        assert date_list.highlighted == 0
        assert date_list.highlighted_key is not None
        assert date_list.highlighted_key[1] == newest[0]
        await wait_until(pilot, lambda: newest[1] in app.screen.detail.visible_text)
        await pilot.press("j")
        await wait_until(pilot, lambda: date_list.highlighted == 1)
        moved_to = date_list.highlighted_key
        app.screen.refresh_list()  # the list again (as after an update): the reader's row stays
        await pilot.pause()
        assert date_list.highlighted_key == moved_to
