#!/usr/bin/env python3
"""Market view benchmark: the screen, the cursor and `stances` over a 5,000-post archive.

    .venv/bin/python tests/benchmarks/bench_market.py [--posts 5000] [--rounds 3] [--work DIR]

Builds a scaled archive (scaled.make_archive: copies of the corpus or sample_posts/
with their own dates), indexes it with the installed `digest-tui index`, then measures:

- `digest-tui stances --by week --json` for every asset, wall time of the whole process
  (target < 0.5 s), and for scale `stances --json` (every impact) and `flips --json`;
- the market screen (in-process, headless Textual at 130x40): from the `v` key until the
  heatmap is drawn, with the data the app loads after indexing (target < 0.3 s), and cold
  (the data dropped first: read from the index when the key is pressed);
  with the CPU time the app's process spent meanwhile (the machine may be shared);
- moving the cursor: key to redrawn heatmap and items panel, over 100 moves across cells,
  and how many index reads or post loads happened meanwhile (must be 0: never on disk).

Not part of the test run; prints a table. Needs no network.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import scaled  # beside this script: the scaled archives

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))  # tests/: tui_helpers
SCRIPT = Path(sys.executable).with_name("digest-tui")


def timed(args: list[str], env: dict[str, str]) -> tuple[float, str]:
    started = time.perf_counter()
    done = subprocess.run(args, env=env, capture_output=True, text=True, check=True)
    return time.perf_counter() - started, done.stdout


async def screen_timings(archive: Path, rounds: int) -> dict[str, object]:
    from digest_tui.index.library import Library
    from digest_tui.tui.screens.market import MarketScreen
    from digest_tui.tui.widgets.heatmap import Heatmap
    from textual.widgets import OptionList
    from tui_helpers import make_app, settle, wait_until

    reads = {"count": 0}
    original_read, original_load = Library._read, Library.load_post

    def counting_read(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        reads["count"] += 1
        return original_read(self, *args, **kwargs)

    def counting_load(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        reads["count"] += 1
        return original_load(self, *args, **kwargs)

    Library._read = counting_read  # type: ignore[method-assign]
    Library.load_post = counting_load  # type: ignore[method-assign]
    warm: list[float] = []
    cold: list[float] = []
    cpu: dict[str, list[float]] = {"warm": [], "cold": []}
    moves: list[float] = []
    handled: list[float] = []
    reads_during_moves = 0
    rows = 0
    for round_number in range(rounds):
        app = make_app(archive)
        async with app.run_test(size=(130, 40)) as pilot:
            await settle(app, pilot, timeout=300)
            link = app.market
            await wait_until(pilot, lambda: link._data is not None, "prefetch", 300)  # noqa: B023
            rows = len(link._data.rows) if link._data else 0
            for kind in ("warm", "cold"):
                before = None
                if kind == "cold":  # the data dropped: read from the index at the key
                    before = link._data
                    link.stale()
                    if app.library is not None:
                        app.library._store_reads.clear()
                started = time.perf_counter()
                cpu_started = time.process_time()
                await pilot.press("v")
                screen = app.screen
                assert isinstance(screen, MarketScreen)
                heatmap = screen.query_one(Heatmap)
                if kind == "cold":
                    screen.reload()
                await wait_until(
                    pilot,
                    lambda: heatmap.grid is not None and screen.data is not before,  # noqa: B023
                    "drawn",
                    60,
                )
                await pilot.pause()  # one refresh: the heatmap is on screen
                (warm if kind == "warm" else cold).append(time.perf_counter() - started)
                cpu[kind].append(time.process_time() - cpu_started)
                if kind == "warm" and round_number == 0:
                    items = screen.query_one("#market-items", OptionList)
                    before = reads["count"]
                    keys = ["left"] * 40 + ["down"] * 10 + ["right"] * 20 + ["up"] * 5
                    keys += ["left"] * 25
                    for key in keys:
                        started = time.perf_counter()
                        await pilot.press(key)
                        heatmap.render()  # what the next frame draws
                        _ = items.option_count
                        moves.append(time.perf_counter() - started)
                    steps = {"left": (0, -1), "right": (0, 1), "up": (-1, 0), "down": (1, 0)}
                    for key in keys:  # the same moves without the pilot's own waits
                        started = time.perf_counter()
                        heatmap.action_move(*steps[key])
                        heatmap.render()
                        screen.on_cursor_moved(Heatmap.CursorMoved(heatmap.asset, heatmap.index))
                        handled.append(time.perf_counter() - started)
                    reads_during_moves = reads["count"] - before
                await pilot.press("escape")
                await pilot.pause()
    Library._read, Library.load_post = original_read, original_load  # type: ignore[method-assign]
    return {
        "warm": warm,
        "cold": cold,
        "warm_cpu": cpu["warm"],
        "cold_cpu": cpu["cold"],
        "moves": moves,
        "handled": handled,
        "reads": reads_during_moves,
        "rows": rows,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=5000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument(
        "--work",
        type=Path,
        help="Keep the archive and its index in this folder and reuse them when run again "
        "with the same --posts (default: a temp folder, removed).",
    )
    options = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-market-") as temp:
        base = options.work or Path(temp)
        for name in ("cache", "data", "config"):
            (base / name).mkdir(parents=True, exist_ok=True)
            os.environ[f"XDG_{name.upper()}_HOME"] = str(base / name)
        os.environ.pop("NO_COLOR", None)
        env = dict(os.environ)
        archive = base / f"archive-{options.posts}"
        if not archive.is_dir():
            scaled.make_archive(archive, options.posts)
        started = time.perf_counter()
        subprocess.run([str(SCRIPT), "--archive", str(archive), "index"], env=env, check=True)
        index_s = time.perf_counter() - started
        cli: dict[str, list[float]] = {}
        sizes: dict[str, int] = {}
        for label, args in [
            ("stances --by week --json", ["stances", "--by", "week", "--json"]),
            ("stances --json (every impact)", ["stances", "--json"]),
            ("flips --json", ["flips", "--json"]),
        ]:
            for _ in range(options.rounds):
                cpu_before = os.times()
                wall, out = timed([str(SCRIPT), "--archive", str(archive), *args], env)
                cpu_after = os.times()
                cli.setdefault(label, []).append(wall)
                cpu = (cpu_after.children_user - cpu_before.children_user) + (
                    cpu_after.children_system - cpu_before.children_system
                )
                cli.setdefault(label + " cpu", []).append(cpu)
                sizes[label] = out.count('"asset"')
        screen = asyncio.run(screen_timings(archive, options.rounds))

    def row(what: str, value: str, target: str = "", ok: bool | None = None) -> None:
        verdict = "" if ok is None else ("ok" if ok else "SLOW")
        print(f"{what:<46} {value:>16} {target:>10} {verdict:>5}")

    print(f"\nmarket view, {options.posts:,} posts, {screen['rows']:,} scored impact rows")
    print(f"(index brought up to date in {index_s:.1f} s; medians of {options.rounds} rounds;")
    print(f" load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)\n")
    row("what", "measured", "target", None)
    print("-" * 80)
    for label, walls in cli.items():
        if label.endswith(" cpu"):
            continue
        median = statistics.median(walls)
        target = 0.5 if label.startswith("stances --by week") else None
        row(
            f"{label} ({sizes[label]:,} rows)",
            f"{median:.3f} s",
            f"< {target} s" if target else "",
            None if target is None else median < target,
        )
        row("  its CPU time (user + system)", f"{statistics.median(cli[label + ' cpu']):.3f} s")
    warm = statistics.median(screen["warm"])  # type: ignore[arg-type]
    cold = statistics.median(screen["cold"])  # type: ignore[arg-type]
    row("market screen drawn after `v` (first open)", f"{warm:.3f} s", "< 0.3 s", warm < 0.3)
    row("  its CPU time (the app's process)", f"{statistics.median(screen['warm_cpu']):.3f} s")  # type: ignore[arg-type]
    row("  again, data read from the index at the key", f"{cold:.3f} s", "", None)
    row("  its CPU time (the app's process)", f"{statistics.median(screen['cold_cpu']):.3f} s")  # type: ignore[arg-type]
    moves = screen["moves"]
    assert isinstance(moves, list)
    handled = screen["handled"]
    assert isinstance(handled, list)
    row(
        f"cursor move: handler + redraw, median of {len(handled)}",
        f"{statistics.median(handled) * 1000:.1f} ms",
    )
    row("cursor move: handler + redraw, slowest", f"{max(handled) * 1000:.1f} ms")
    row("cursor move: pilot key round trip, median", f"{statistics.median(moves) * 1000:.1f} ms")
    reads = screen["reads"]
    row("index reads / post loads while moving", str(reads), "0", reads == 0)


if __name__ == "__main__":
    main()
