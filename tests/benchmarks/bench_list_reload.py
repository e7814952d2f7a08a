#!/usr/bin/env python3
"""A list reload at 5,000 and 50,000 posts: how long it keeps the UI thread from a key.

    .venv/bin/python tests/benchmarks/bench_list_reload.py [--posts 5000,50000] [--rounds 3]

Opens the reader (headless, Textual's run_test, 120x40) on a small scaled archive and indexes
it, then hands the app a list of N posts as the index would after a change (`PostsLoaded`:
the real posts, newest, then N copies of them under other paths, older) and measures, on the
UI thread:

- `reload`: the longest the event loop could not run anything (a key included) between the
  list arriving and its newest rows on screen, sampled by a 1 ms probe on the loop;
- `j in reload`: a `j` pressed just after the list arrives, until the highlight has moved,
  beside `j alone`, the same with no reload (what Pilot and the machine cost);
- `reading`: the same longest stall when the read marks of the N posts arrive afterwards;
- `read+reload`: the same while a worker reads the N posts (as from the index's store after
  an update: rows to posts) and the app shows them.

Not part of the test run; prints a table. Needs no network.
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import datetime as dt
import json
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

from textual.pilot import Pilot

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests/: tui_helpers

import scaled  # beside this script: the scaled archive
from digest_tui.index.model import PostSummary
from digest_tui.index.search.store import summary_from_row
from digest_tui.tui.app import DigestApp
from digest_tui.tui.archive_keeper import every_post
from digest_tui.tui.messages import PostsLoaded
from tui_helpers import make_app, settle, wait_until


def many(posts: tuple[PostSummary, ...], count: int) -> list[PostSummary]:
    """The real posts, then copies of them (other paths, older dates) up to `count`."""
    oldest = min(p.date for p in posts)
    copies = [
        dataclasses.replace(
            posts[i % len(posts)],
            path=f"copies/{i:06d}-{posts[i % len(posts)].path}",
            date=oldest - dt.timedelta(days=1 + i // 2),
        )
        for i in range(max(count - len(posts), 0))
    ]
    return [*posts, *copies]


async def stall_during(work: Callable[[], Awaitable[object]]) -> float:
    """The longest gap (seconds) between two turns of a 1 ms probe on the event loop while
    `work` runs: how long a key pressed then would have waited for the UI thread."""
    gaps: list[float] = []
    running = True

    async def probe() -> None:
        last = time.perf_counter()
        while running:
            await asyncio.sleep(0.001)
            now = time.perf_counter()
            gaps.append(now - last)
            last = now

    task = asyncio.create_task(probe())
    try:
        await work()
    finally:
        running = False
        await task
    return max(gaps, default=0.0) - 0.001


async def one_round(app: DigestApp, size: int) -> dict[str, float]:
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot, timeout=120)
        real = app.listing.posts
        listed = many(real, size)
        shown = f"Posts {len(listed):,}"

        message = PostsLoaded(list(listed), searchable=False)  # as the worker makes it

        async def reload() -> None:
            app.post_message(message)
            await wait_until(pilot, lambda: app.screen.date_list.border_title == shown)
            await pilot.pause()

        stall = await stall_during(reload)
        # j right after a reload arrives, until the highlight moved; and j alone (the floor)
        app.screen.date_list.focus()
        answers = []
        for reloading in (True, False):
            await settle(app, pilot, timeout=120)
            at = app.screen.date_list.highlighted or 0
            message = PostsLoaded(list(listed), searchable=False)
            if reloading:
                app.post_message(message)
            started = time.perf_counter()
            await pilot.press("j")
            await wait_until(pilot, lambda at=at: app.screen.date_list.highlighted == at + 1)
            answers.append(time.perf_counter() - started)
        answer, alone = answers
        await settle(app, pilot, timeout=120)
        reading = await stall_during(lambda: reading_reload(app, pilot))
        await settle(app, pilot, timeout=120)
        read = await stall_during(lambda: read_by_worker(app, pilot, listed))
    return {"reload": stall, "answer": answer, "alone": alone, "reading": reading, "read": read}


async def read_by_worker(app: DigestApp, pilot: Pilot, listed: list[PostSummary]) -> None:
    """Every post read by a worker as after an index update (the store's rows turned into
    posts, as Store.summaries does), sent and shown: the UI thread meanwhile."""
    rows = [
        (
            p.path,
            p.root,
            p.date.isoformat(),
            p.title,
            p.category,
            json.dumps(p.tags),
            json.dumps(p.stance_tally),
            json.dumps(p.assets),
        )
        for p in listed
    ]
    library = app.library
    assert library is not None

    def stored_posts() -> list[PostSummary]:
        return [summary_from_row(*row) for row in rows]

    def work() -> None:
        library.stored_posts = stored_posts  # type: ignore[method-assign]
        app.post_message(every_post(library))

    worker = app.run_worker(work, thread=True)
    await worker.wait()
    await wait_until(pilot, lambda: app.screen.date_list.border_title == f"Posts {len(rows):,}")
    await pilot.pause()


async def reading_reload(app: DigestApp, pilot: Pilot) -> None:
    """A fresh snapshot of the read marks, for every post listed (as after the state loads)."""
    app.reading = dataclasses.replace(app.reading)  # the same marks, a new snapshot
    await pilot.pause()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", default="5000,50000")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    sizes = [int(n) for n in args.posts.split(",")]
    load = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="bench-reload-") as tmp:
        archive = scaled.make_archive(Path(tmp) / "archive", 40)
        for name in ("XDG_CACHE_HOME", "XDG_DATA_HOME", "XDG_CONFIG_HOME"):
            os.environ[name] = str(Path(tmp) / name)
        print(f"list reload on the UI thread, headless 120x40, {args.rounds} rounds each")
        print(
            f"{'posts':>8} {'reload stall ms':>16} {'j in reload ms':>15} {'j alone ms':>11} "
            f"{'reading stall ms':>17} "
            f"{'read+reload stall ms':>21}"
        )
        for size in sizes:
            runs = []
            for _ in range(args.rounds):
                app = make_app(archive)
                runs.append(asyncio.run(one_round(app, size)))
            print(
                f"{size:>8,} {statistics.median(r['reload'] for r in runs) * 1000:>16.1f} "
                f"{statistics.median(r['answer'] for r in runs) * 1000:>15.1f} "
                f"{statistics.median(r['alone'] for r in runs) * 1000:>11.1f} "
                f"{statistics.median(r['reading'] for r in runs) * 1000:>17.1f} "
                f"{statistics.median(r['read'] for r in runs) * 1000:>21.1f}"
            )
    print(f"load average (1 min) at start / end: {load:.1f} / {os.getloadavg()[0]:.1f} on 2 CPUs")
    print("target: no stall a key would notice (< 100 ms) at 50,000 posts")


if __name__ == "__main__":
    main()
