#!/usr/bin/env python3
"""What each key costs the reader's UI thread (CPU ms), headless: a steadier figure than the
latency bench_startup.py times on a pseudo-terminal, where the machine's load moves it.

    .venv/bin/python tests/benchmarks/bench_key_cpu.py --reuse /tmp/keys4-5000 [--rounds 5]

Opens the reader (Pilot, 120x40) on the archive and the built index in DIR (bench_startup.py
--reuse makes them), waits for "index ready", then presses bench_startup's keys in its order
(tab into the posts, j, a, the asset filter, x, l, shift+tab), each until the app is idle
again, and prints per key the main thread's CPU time (p50, max) and the full garbage
collections that fell on it. Headless: the frame is composed but not written out.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import os
import statistics
import time
from pathlib import Path
from typing import Any

KEYS = ("tab", "j", "a", "asset filter", "x", "l", "shift+tab")


class FullPasses:
    """The full collections and their CPU time, while `on`."""

    def __init__(self) -> None:
        self.on = False
        self.ms: list[float] = []
        self._started = 0.0
        gc.callbacks.append(self._seen)

    def _seen(self, phase: str, info: dict[str, Any]) -> None:
        if info["generation"] != 2 or not self.on:
            return
        if phase == "start":
            self._started = time.thread_time()
        else:
            self.ms.append((time.thread_time() - self._started) * 1000)


async def measure(base: Path, rounds: int) -> tuple[dict[str, list[float]], list[float]]:
    os.environ["XDG_CACHE_HOME"] = str(base / "cache")
    os.environ["XDG_CONFIG_HOME"] = str(base / "config")
    os.environ["XDG_DATA_HOME"] = str(base / "data")
    from digest_tui.index.paths import Config, Roots
    from digest_tui.tui.app import DigestApp

    app = DigestApp(Roots((base / "archive",), "--archive"), Config(), watch=False)
    times: dict[str, list[float]] = {name: [] for name in KEYS}
    passes = FullPasses()
    async with app.run_test(size=(120, 40)) as pilot:

        async def idle() -> None:
            await pilot.pause()
            while any(
                pump.message_queue_size or pump._next_callbacks
                for pump in app.screen.walk_children(with_self=True)
            ):
                await pilot.pause()

        async def press(key: str, name: str | None = None) -> None:
            await idle()
            started = time.thread_time()
            passes.on = name is not None
            await pilot.press(key)
            await idle()
            passes.on = False
            if name is not None:
                times[name].append((time.thread_time() - started) * 1000)

        deadline = time.monotonic() + 600
        while app.index_state.phase != "ready" and time.monotonic() < deadline:
            await pilot.pause(0.05)
        screen: Any = app.screen
        for _ in range(rounds):
            await press("tab")
            await press("tab")
            await press("tab", "tab")
            await press("j", "j")
            await press("a", "a")
            for char in "黄金":
                await press(char)
            await press("enter", "asset filter")
            while screen.filtered.filters != screen.filters:
                await pilot.pause(0.01)
            await idle()
            await press("x", "x")
            await press("tab")
            await press("j")
            await press("j")
            await press("l", "l")
            if screen.picker_open:
                await press("escape")
            else:
                times["l"].pop()
            await press("shift+tab", "shift+tab")
    return times, passes.ms


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reuse", type=Path, required=True)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    times, full = asyncio.run(measure(args.reuse, args.rounds))
    load = os.getloadavg()[0]
    print(f"key CPU, main thread, headless 120x40, {args.rounds} rounds (load {load:.1f})")
    print(f"{'key':<14} {'p50 ms':>8} {'max ms':>8}")
    for name, values in times.items():
        if values:
            print(f"{name:<14} {statistics.median(values):>8.1f} {max(values):>8.1f}")
    print(f"full collections during the keys: {len(full)}, CPU ms {[round(x) for x in full]}")


if __name__ == "__main__":
    main()
