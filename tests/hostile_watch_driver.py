"""Run the reader on an archive with an unreadable folder, write a post while it runs, and
print what happened as JSON (for test_hostile_unreadable; run in a process of its own, where
permissions bind even for root: see that test)."""

from __future__ import annotations

import asyncio
import json
import sys
from pathlib import Path

from tui_helpers import date_rows, make_app, settle, wait_until, write_post


async def main(root: Path) -> dict[str, object]:
    app = make_app(root, watch=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await wait_until(
            pilot,
            lambda: any(w.group == "watch" and w.is_running for w in app.workers),
            "the watcher",
        )
        await pilot.pause(1.0)  # the watcher has started (or failed)
        write_post(root, "open/2026-05-02-new.md", title="新文章出现", date="2026-05-02")
        seen = True
        try:
            await wait_until(pilot, lambda: any("新文章出现" in r for r in date_rows(app)), "", 15)
        except AssertionError:
            seen = False
        write_post(root, "later/2026-05-03-newer.md", title="新文件夹里的文章", date="2026-05-03")
        seen_new_folder = True
        try:
            await wait_until(
                pilot, lambda: any("新文件夹里的文章" in r for r in date_rows(app)), "", 15
            )
        except AssertionError:
            seen_new_folder = False
        await settle(app, pilot)
        return {
            "seen": seen,
            "seen_new_folder": seen_new_folder,
            "rows": date_rows(app),
            "notifications": [n.message for n in app._notifications],
            "watcher_running": any(w.group == "watch" and w.is_running for w in app.workers),
        }


if __name__ == "__main__":
    print(json.dumps(asyncio.run(main(Path(sys.argv[1]))), ensure_ascii=False))
