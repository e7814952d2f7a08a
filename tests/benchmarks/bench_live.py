#!/usr/bin/env python3
"""Live archive benchmark: how long a change on disk takes to reach the reader's screen.

    .venv/bin/python tests/benchmarks/bench_live.py [--rounds 5]

The reader (headless Textual, 120x40, the archive watched) runs on a small archive of our own
posts (tests/tui_helpers.py). Each round writes a new post, rewrites it, and removes it, and
times each from the write until the screen shows it: the new post's row in the date list, the
changed text in the detail pane, the row gone. The README promises two seconds; this reports
p50 and max of each against that promise. (tests/test_app_live.py checks that the changes show
up at all, without a clock.)

Not part of the test run; prints a table. Needs no network.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tui_helpers import (  # noqa: E402
    date_rows,
    detail_text,
    make_app,
    settle,
    small_archive,
    wait_until,
    write_post,
)

PROMISE_S = 2.0


async def rounds(root: Path, count: int) -> dict[str, list[float]]:
    times: dict[str, list[float]] = {"new post": [], "changed post": [], "removed post": []}
    app = make_app(root, watch=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await wait_until(
            pilot, lambda: any(w.group == "watch" and w.is_running for w in app.workers), "watch"
        )
        write_post(root, "2026-02-01-warm.md", title="热身文章", date="2026-02-01")
        await wait_until(pilot, lambda: any("热身文章" in r for r in date_rows(app)), "warm-up")

        async def timed(write: Callable[[], object], shown: Callable[[], bool]) -> float:
            await settle(app, pilot)
            written = time.monotonic()
            write()
            await wait_until(pilot, shown, "the change", timeout=60)
            return time.monotonic() - written

        async def one_round(n: int) -> None:
            title = f"新文章第{n}篇"
            name = f"later/2026-04-{n + 1:02d}-new.md"
            day = f"2026-04-{n + 1:02d}"
            times["new post"].append(
                await timed(
                    lambda: write_post(root, name, title=title, date=day),
                    lambda: title in date_rows(app)[0],
                )
            )
            app.screen.date_list.highlighted = 0
            times["changed post"].append(
                await timed(
                    lambda: write_post(root, name, title=title + "（更正）", date=day),
                    lambda: detail_text(app).startswith(title + "（更正）"),
                )
            )
            times["removed post"].append(
                await timed(
                    (root / name).unlink,
                    lambda: not any(title in r for r in date_rows(app)),
                )
            )

        for n in range(count):
            await one_round(n)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-live-") as work:
        base = Path(work)
        for name in ("cache", "data", "config"):
            os.environ[f"XDG_{name.upper()}_HOME"] = str(base / name)
        times = asyncio.run(rounds(small_archive(base), args.rounds))
    load = os.getloadavg()[0]
    print(f"live archive, {args.rounds} rounds, load average {load:.1f}")
    print(f"{'change':<14} {'p50 s':>7} {'max s':>7}  promise {PROMISE_S:.0f} s")
    for what, values in times.items():
        verdict = "ok" if max(values) < PROMISE_S else "over"
        print(f"{what:<14} {statistics.median(values):7.2f} {max(values):7.2f}  {verdict}")


if __name__ == "__main__":
    main()
