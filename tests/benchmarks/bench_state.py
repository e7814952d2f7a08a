#!/usr/bin/env python3
"""Reading-state benchmark: does remembering what was read cost the reader anything?

    .venv/bin/python tests/benchmarks/bench_state.py [--posts 5000] [--marked 2000] [--rounds 3]
                                                     [--keep DIR]

Builds an archive of N posts (bench_startup.make_archive) and its index, then a state with
`--marked` items read or starred (three read for each starred), and measures, alternating
the two cases in each round so that both see the same machine:

- first paint: launch to the newest post's title on screen, on a pseudo-terminal (120x40),
  with that state and with no state at all (a fresh data folder), and their ratio
  (target: with / without <= 1.0, within noise); then until the header shows the counts;
- a key press that marks an item read (`]`: next item, shown, so read) against one that
  does not (`j` in the date list): key to the detail showing the new item, p50 and max;
- `digest-tui unread --json` wall time with that state (target < 0.3 s).

Not part of the test run; prints a table. Needs no network.
"""

from __future__ import annotations

import argparse
import json
import os
import select
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import bench_startup
from bench_startup import NEWEST_TITLE, SCRIPT, App
from digest_tui.index.library import Library
from digest_tui.index.paths import Config, Roots


def make_state(archive: Path, data: Path, cache: Path, marked: int) -> int:
    """A state with `marked` items read or starred (1 in 4 starred); returns how many."""
    os.environ["XDG_DATA_HOME"] = str(data)
    os.environ["XDG_CACHE_HOME"] = str(cache)
    library = Library(Roots((archive,), "--archive"), Config())
    items = [
        (key[1], item_id) for key, found in library.post_items().items() for item_id, _ in found
    ]
    chosen = items[:: max(1, len(items) // marked)][:marked]
    reading = library.reading
    read = [key for n, key in enumerate(chosen) if n % 4]
    reading.mark(read)
    for path, item_id in (key for n, key in enumerate(chosen) if not n % 4):
        reading.store.star(path, item_id, "基准测试的备注")
    library.close()
    return len(chosen)


def run_timed(argv: list[str], env: dict[str, str]) -> tuple[float, float, str]:
    """(wall seconds, CPU seconds user+system, stdout) of a command that must succeed."""
    with tempfile.TemporaryFile() as out:
        started = time.perf_counter()
        process = subprocess.Popen(argv, env=env, stdout=out, stderr=subprocess.DEVNULL)
        _pid, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - started
        assert os.waitstatus_to_exitcode(status) == 0, argv
        out.seek(0)
        return wall, usage.ru_utime + usage.ru_stime, out.read().decode()


def key_latencies(app: App, key: str, presses: int) -> list[float]:
    """Seconds from each `key` until the detail pane's first line changes."""
    latencies = []
    for _ in range(presses):
        app.drain(0.05)
        before = app.detail_first_line()
        started = time.perf_counter()
        app.press(key)
        while app.detail_first_line() == before:
            ready, _, _ = select.select([app.master], [], [], 0.005)
            if ready:
                app.stream.feed(os.read(app.master, 1 << 16))
            if time.perf_counter() - started > 5:
                break
        latencies.append(time.perf_counter() - started)
    return latencies


def launch(archive: Path, cache: Path, data: Path) -> dict[str, float]:
    env = {
        **os.environ,
        "TERM": "xterm-256color",
        "XDG_CACHE_HOME": str(cache),
        "XDG_CONFIG_HOME": str(cache.parent / "config"),
        "XDG_DATA_HOME": str(data),
    }
    env.pop("NO_COLOR", None)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    app = App(archive, env)
    try:
        title = app.wait_for(NEWEST_TITLE[:10])
        counts = app.wait_for(" unread in ", timeout=60)
        app.wait_for("index ready", timeout=120)
        app.drain(1.0)  # let the list settle after the index's own refresh
        plain = key_latencies(app, "j", 10)
        app.press("\r")  # into the section tree
        app.drain(0.5)
        marking = key_latencies(app, "]", 3)  # every post has more items than that
    except BaseException:
        os.killpg(app.proc.pid, signal.SIGKILL)
        app.proc.wait()
        raise
    app.quit()
    return {
        "title": title,
        "counts": counts,
        "plain_p50": statistics.median(plain),
        "plain_max": max(plain),
        "mark_p50": statistics.median(marking),
        "mark_max": max(marking),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=5000)
    parser.add_argument("--marked", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument(
        "--keep",
        type=Path,
        metavar="DIR",
        help="make the archive, its index and the state in DIR once and use them again",
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-state-") as tmp:
        base = Path(tmp)
        made = args.keep or base
        archive = made / "archive"
        if not archive.is_dir():
            bench_startup.make_archive(archive, args.posts)
        cache = made / "cache"
        env = {**os.environ, "XDG_CACHE_HOME": str(cache), "XDG_DATA_HOME": str(base / "d0")}
        env.pop("PYTHONDONTWRITEBYTECODE", None)  # as installed: compiled modules cached
        subprocess.run([str(SCRIPT), "--archive", str(archive), "index"], env=env, check=True)
        kept = made / "with-state"
        if kept.is_dir() and (kept / "marked").is_file():
            marked = int((kept / "marked").read_text())
        else:
            marked = make_state(archive, kept, cache, args.marked)
            (kept / "marked").write_text(str(marked))
        rows: dict[str, list[dict[str, float]]] = {"with state": [], "no state": []}
        for n in range(args.rounds):  # copied before any launch: no copy's writes during one
            shutil.copytree(kept, base / f"with-{n}")
        os.sync()
        for n in range(args.rounds):  # which case goes first alternates too (no order bias)
            cases = [("with state", base / f"with-{n}"), ("no state", base / f"empty-{n}")]
            for case, data in cases if n % 2 == 0 else cases[::-1]:
                rows[case].append(launch(archive, cache, data))
        unread_env = {**env, "XDG_DATA_HOME": str(kept)}
        walls, cpus = [], []
        for _ in range(5):
            wall, cpu, out = run_timed(
                [str(SCRIPT), "--archive", str(archive), "unread", "--json"], unread_env
            )
            walls.append(wall)
            cpus.append(cpu)
        version_cpu = statistics.median(
            run_timed([str(SCRIPT), "--version"], unread_env)[1] for _ in range(3)
        )
        tags_cpu = statistics.median(
            run_timed([str(SCRIPT), "--archive", str(archive), "tags", "--json"], unread_env)[1]
            for _ in range(3)
        )
        unread_posts = len(json.loads(out))

        print(
            f"{args.posts:,} posts, {marked:,} items read or starred, terminal "
            f"{bench_startup.SIZE[1]}x{bench_startup.SIZE[0]}, {args.rounds} rounds (alternating)"
        )
        print(
            f"{'case':<11} {'first paint s':>13} {'counts shown s':>15} "
            f"{'j p50/max ms':>14} {'] (marks) p50/max ms':>22}"
        )
        med: dict[str, float] = {}
        for case, runs in rows.items():
            med[case] = statistics.median(r["title"] for r in runs)
            plain = f"{statistics.median(r['plain_p50'] for r in runs) * 1000:.0f}/" + (
                f"{max(r['plain_max'] for r in runs) * 1000:.0f}"
            )
            mark = f"{statistics.median(r['mark_p50'] for r in runs) * 1000:.0f}/" + (
                f"{max(r['mark_max'] for r in runs) * 1000:.0f}"
            )
            print(
                f"{case:<11} {med[case]:>13.3f} "
                f"{statistics.median(r['counts'] for r in runs):>15.3f} {plain:>14} {mark:>22}"
            )
        print(f"first paint ratio, with / without state: {med['with state'] / med['no state']:.2f}")
        print(
            f"unread --json: median {statistics.median(walls):.3f} s, max {max(walls):.3f} s wall; "
            f"CPU {statistics.median(cpus):.3f} s ({unread_posts:,} posts listed; "
            f"`--version` takes {version_cpu:.3f} s CPU: the interpreter and imports; `tags "
            f"--json`, which brings the index up to date too, {tags_cpu:.3f} s)"
        )
        print(f"load average while measuring: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
        print("targets: ratio <= 1.0 (within noise); unread --json < 0.3 s; ] no slower than j")


if __name__ == "__main__":
    sys.exit(main())
