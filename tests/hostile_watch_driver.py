"""Run the reader on an archive with an unreadable folder, write a post while it runs, and
print what happened as JSON (for test_hostile_unreadable; run in a process of its own, where
permissions bind even for root: see that test)."""

from __future__ import annotations

import asyncio
import json
import sys
from pathlib import Path
from typing import Any

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
        # watchfiles gives no sign that its watches are set up: a post written before they
        # are would be missed, so each post is written again (same text) until it shows or
        # 15 s pass. A watcher that stopped at the unreadable folder sees none of them.
        seen = await _written_until_seen(
            app, pilot, root, "open/2026-05-02-new.md", "新文章出现", "2026-05-02"
        )
        seen_new_folder = await _written_until_seen(
            app, pilot, root, "later/2026-05-03-newer.md", "新文件夹里的文章", "2026-05-03"
        )
        await settle(app, pilot)
        return {
            "seen": seen,
            "seen_new_folder": seen_new_folder,
            "rows": date_rows(app),
            "notifications": [n.message for n in app._notifications],
            "watcher_running": any(w.group == "watch" and w.is_running for w in app.workers),
        }


async def _written_until_seen(
    app: Any, pilot: Any, root: Path, path: str, title: str, date: str
) -> bool:
    for _attempt in range(5):
        write_post(root, path, title=title, date=date)
        try:
            await wait_until(pilot, lambda: any(title in r for r in date_rows(app)), "", 3)
        except AssertionError:
            continue
        return True
    return False


if __name__ == "__main__":
    print(json.dumps(asyncio.run(main(Path(sys.argv[1]))), ensure_ascii=False))
