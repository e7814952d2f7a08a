"""The archive is watched while the reader runs: new, changed and removed posts show up."""

from __future__ import annotations

import time
from pathlib import Path

from tui_helpers import date_rows, detail_text, make_app, settle, small_archive, write_post

DEADLINE_S = 2.0


async def wait_for(pilot, condition, timeout: float = DEADLINE_S) -> float:  # noqa: ANN001
    """Pause until `condition()` holds; returns the seconds it took (fails after timeout)."""
    started = time.monotonic()
    while not condition():
        if time.monotonic() - started > timeout:
            app = pilot.app
            raise AssertionError(f"not within {timeout} s: {notifications(app)}, "
                                 f"{date_rows(app)[:1]}, {detail_text(app)[:40]!r}")
        await pilot.pause(0.05)
    return time.monotonic() - started


def notifications(app) -> list[str]:  # noqa: ANN001
    return [n.message for n in app._notifications]


async def test_new_changed_and_removed_posts_show_up_within_two_seconds(
        tmp_path: Path) -> None:
    root = small_archive(tmp_path)
    app = make_app(root, watch=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await wait_for(pilot, lambda: any(w.group == "watch" and w.is_running
                                          for w in app.workers))
        await pilot.pause(0.3)  # the watcher is set up

        write_post(root, "later/2026-03-05-new.md", title="新文章：黄金再上台阶",
                   date="2026-03-05")
        await wait_for(pilot, lambda: "新文章：黄金再上台阶" in date_rows(app)[0])
        assert any("New post: 新文章：黄金再上台阶" in m for m in notifications(app))

        # the post being read changes on disk: the detail follows
        app.screen.date_list.highlighted = 0
        await settle(app, pilot)
        write_post(root, "later/2026-03-05-new.md", title="新文章（更正）", date="2026-03-05")
        await wait_for(pilot, lambda: detail_text(app).startswith("新文章（更正）"))
        assert "新文章（更正）" in date_rows(app)[0]
        assert any("Updated: 新文章（更正）" in m for m in notifications(app))

        (root / "2026-03-01-a.md").unlink()
        await wait_for(pilot, lambda: len(date_rows(app)) == 3 and
                       not any("三月开局" in row for row in date_rows(app)))
        assert any("Removed: 三月开局：金价走强" in m for m in notifications(app))
