#!/usr/bin/env python3
"""Reader start-up benchmark: launch to the newest post's title on screen, in a real terminal.

    .venv/bin/python tests/benchmarks/bench_startup.py [--posts 5000] [--rounds 3]

Builds an archive of N posts in a temp folder (bench_search.make_archive: copies of
sample_posts/ with their own dates and file names; the newest one gets a title of its own),
then runs the installed `digest-tui` on a pseudo-terminal (120x40, read back with pyte) and
measures:

- start-up with a built index: time from launch until the newest post's title is on screen
  (target < 1.0 s for 5,000 posts);
- start-up with no index yet (first run: quick scan, indexing in the background): the same
  (target < 1.5 s), and until the header says "index ready";
- moving through the date list: time from a key press (j) to the next post's title in the
  detail pane, over 20 presses (it must never wait on disk); and 10 presses while the first
  index is being built (by the `digest-tui index` child: the UI must stay responsive);
- peak memory (ru_maxrss of the app process, via wait4), after it has indexed everything;
- for scale, a bare Textual app's time to its first frame on the same machine;
- key latency with a built index (time from the key until the screen answers it): tab into
  the posts pane, j, a (the asset picker open), an asset filter (enter in the picker until
  the list is narrowed), x (until the filter is cleared), l (the links list), shift+tab back
  to the posts, p50 and max, beside a bare Textual app's key echo.

`--reuse DIR` keeps the archive and its built index in DIR between runs (the first run makes
them) and measures only the built-index case: quicker to rerun after a change.

Not part of the test run; prints a table. Needs no network.
"""

from __future__ import annotations

import argparse
import fcntl
import os
import pty
import re
import select
import shutil
import signal
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import time
from collections.abc import Callable
from pathlib import Path

import pyte
import scaled  # beside this script: the scaled archive

SCRIPT = Path(sys.executable).with_name("digest-tui")
NEWEST_TITLE = "基准测试最新一篇：启动速度"
SIZE = (40, 120)


def make_archive(target: Path, count: int) -> Path:
    """The scaled archive of `count` posts (scaled.py); the one the reader lists first gets
    a title of its own (NEWEST_TITLE), to look for on screen."""
    scaled.make_archive(target, count)
    title_newest(target)
    return target


def title_newest(target: Path) -> None:
    """Give the post the reader lists first the title NEWEST_TITLE."""
    newest = max(target.rglob("*.md"), key=lambda path: path.relative_to(target).as_posix())
    text = newest.read_text(encoding="utf-8")
    titled = re.sub(r"^title:.*$", f"title: {NEWEST_TITLE}", text, count=1, flags=re.M)
    newest.write_text(titled, encoding="utf-8")


BASELINE = """
from textual.app import App
from textual.widgets import Static
class Hello(App):
    def compose(self):
        yield Static("hello from a bare Textual app")
Hello().run()
"""


ECHO = """
from textual.app import App
from textual.widgets import Static
class Echo(App):
    def compose(self):
        yield Static("ready", id="echo")
    def on_key(self, event):
        self.query_one("#echo").update(f"key {event.key} {self.count}")
        self.count += 1
    count = 0
Echo().run()
"""


class App:
    """The console script on a pseudo-terminal, its screen kept by pyte."""

    def __init__(self, archive: Path | None, env: dict[str, str], program: str = BASELINE) -> None:
        rows, cols = SIZE
        self.master, slave = pty.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
        self.screen = pyte.Screen(cols, rows)
        self.stream = pyte.ByteStream(self.screen)
        self.started = time.perf_counter()
        argv = (
            [str(SCRIPT), "--archive", str(archive)]
            if archive is not None
            else [sys.executable, "-c", program]
        )
        self.proc = subprocess.Popen(
            argv,
            stdin=slave,
            stdout=slave,
            stderr=slave,
            env=env,
            start_new_session=True,
            close_fds=True,
        )
        os.close(slave)

    def line(self, y: int) -> str:
        """Row `y` of the screen (pyte keeps "" in the cell after a wide character)."""
        row = self.screen.buffer[y]
        return "".join(row[x].data for x in range(self.screen.columns))

    def text(self) -> str:
        return "\n".join(self.line(y) for y in range(self.screen.lines))

    def wait_for(self, needle: str, timeout: float = 60.0) -> float:
        """Seconds since launch when `needle` was first on screen."""
        deadline = time.perf_counter() + timeout
        # the screen is read again only when output came: reading it on every poll took a
        # fifth of a core, which a first run's build (on two cores) was timed without
        seen = needle in self.text()
        while not seen:
            if time.perf_counter() > deadline:
                raise RuntimeError(f"{needle!r} not on screen:\n{self.text()}")
            ready, _, _ = select.select([self.master], [], [], 0.01)
            if ready:
                try:
                    self.stream.feed(os.read(self.master, 1 << 16))
                except OSError:
                    raise RuntimeError("the app exited:\n" + self.text()) from None
                seen = needle in self.text()
        return time.perf_counter() - self.started

    def detail_first_line(self) -> str:
        """The first line inside the detail pane (right of the second pane border)."""
        line = self.line(3)
        return line[line.rfind("│", 0, len(line) - 2) + 1 :].strip() if "│" in line else line

    def press(self, key: str) -> None:
        os.write(self.master, key.encode())

    def drain(self, quiet: float = 0.05) -> None:
        while True:
            ready, _, _ = select.select([self.master], [], [], quiet)
            if not ready:
                return
            try:
                self.stream.feed(os.read(self.master, 1 << 16))
            except OSError:
                return

    def quit(self) -> int:
        """Quit with q; returns the peak memory of the process in KB."""
        self.press("q")
        deadline = time.perf_counter() + 10
        while time.perf_counter() < deadline:
            self.drain(0.05)
            pid, status, usage = os.wait4(self.proc.pid, os.WNOHANG)
            if pid:
                os.close(self.master)
                return usage.ru_maxrss
        os.killpg(self.proc.pid, signal.SIGKILL)
        _pid, _status, usage = os.wait4(self.proc.pid, 0)
        os.close(self.master)
        return usage.ru_maxrss


def moving_latencies(app: App, presses: int = 20) -> list[float]:
    """Seconds from each `j` in the date list until the detail shows another post."""
    latencies = []
    for _ in range(presses):
        app.drain(0.02)
        before = app.detail_first_line()
        started = time.perf_counter()
        app.press("j")
        while app.detail_first_line() == before:
            ready, _, _ = select.select([app.master], [], [], 0.005)
            if ready:
                app.stream.feed(os.read(app.master, 1 << 16))
            if time.perf_counter() - started > 5:
                break
        latencies.append(time.perf_counter() - started)
    return latencies


def cells(app: App) -> tuple[tuple[str, str, bool], ...]:
    """Every cell's character, colour and boldness: what a reader sees change."""
    return tuple(
        (cell.data, cell.fg, cell.bold)
        for y in range(app.screen.lines)
        for cell in (app.screen.buffer[y][x] for x in range(app.screen.columns))
    )


def answer_time(app: App, key: str, done: Callable[[], bool] | None = None) -> float:
    """Seconds from pressing `key` until the screen answers: until `done()` holds, or
    (without it) until anything on screen changes."""
    app.drain(0.05)
    before = cells(app)
    started = time.perf_counter()
    app.press(key)
    while True:
        ready, _, _ = select.select([app.master], [], [], 0.002)
        if ready:
            app.stream.feed(os.read(app.master, 1 << 16))
            if done() if done is not None else cells(app) != before:
                return time.perf_counter() - started
        if time.perf_counter() - started > 10:
            return float("inf")


def posts_title(app: App) -> str:
    """The screen row with the date list's title ("Posts 5,000" or "Posts 12 of 5,000")."""
    return next((app.line(y) for y in range(app.screen.lines) if "Posts " in app.line(y)), "")


TAB, ESCAPE, ENTER = "\t", "\x1b", "\r"


KEYS = ("tab", "j", "a", "asset filter", "x", "l", "shift+tab")
KEY_LABELS = {
    "tab": "tab into posts pane",
    "a": "a (asset picker)",
    "asset filter": "asset filter (enter)",
    "x": "x (clear filter)",
    "l": "l (links list)",
    "shift+tab": "shift+tab to posts",
}


def key_latencies(app: App, rounds: int = 5) -> dict[str, list[float]]:
    """The keys a reader presses most, each timed until the screen answers it."""
    times: dict[str, list[float]] = {name: [] for name in KEYS}
    for _ in range(rounds):
        answer_time(app, TAB)  # to the sections
        answer_time(app, TAB)  # to the detail
        times["tab"].append(answer_time(app, TAB))  # back into the posts pane
        times["j"].append(answer_time(app, "j"))
        times["a"].append(answer_time(app, "a", lambda: "Filter by asset" in app.text()))
        for char in "黄金":
            answer_time(app, char)
        times["asset filter"].append(answer_time(app, ENTER, lambda: " of " in posts_title(app)))
        times["x"].append(answer_time(app, "x", lambda: " of " not in posts_title(app)))
        answer_time(app, TAB)  # the sections
        answer_time(app, "j")  # a section
        answer_time(app, "j")  # its first item (most have a link)
        linked = answer_time(
            app, "l", lambda: "type to narrow" in app.text() or "has no links" in app.text()
        )
        if "type to narrow" in app.text():  # (an item without links says so: not counted)
            times["l"].append(linked)
            answer_time(app, ESCAPE, lambda: "type to narrow" not in app.text())
        times["shift+tab"].append(answer_time(app, "\x1b[Z"))  # back to the posts
    return times


def echo_latencies(rounds: int = 10) -> list[float]:
    """A bare Textual app's key echo: from a key to its echo on screen (the floor)."""
    app = App(None, {**os.environ, "TERM": "xterm-256color"}, ECHO)
    try:
        app.wait_for("ready")
        return [
            answer_time(app, "j", lambda n=n: f"key j {n}" in app.text()) for n in range(rounds)
        ]
    finally:
        os.killpg(app.proc.pid, signal.SIGKILL)
        app.proc.wait()
        os.close(app.master)


def reader_env(cache: Path) -> dict[str, str]:
    """The reader's environment: its index in `cache`, its config and data beside it,
    colour on, and compiled modules cached as an installed copy has them."""
    env = {
        **os.environ,
        "TERM": "xterm-256color",
        "XDG_CACHE_HOME": str(cache),
        "XDG_CONFIG_HOME": str(cache.parent / "config"),
        "XDG_DATA_HOME": str(cache.parent / "data"),
    }
    env.pop("NO_COLOR", None)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def run(archive: Path, cache: Path, *, fresh: bool) -> dict[str, float]:
    if fresh and cache.exists():
        shutil.rmtree(cache)
    env = reader_env(cache)
    app = App(archive, env)
    try:
        title_s = app.wait_for(NEWEST_TITLE[:10])
        building = moving_latencies(app, 10) if fresh else []  # while the index is built
        ready_s = app.wait_for("index ready", timeout=600)
        moves = moving_latencies(app)
        keys = key_latencies(app) if not fresh else {}
    except BaseException:
        os.killpg(app.proc.pid, signal.SIGKILL)  # never leave an app running behind
        app.proc.wait()
        raise
    peak_kb = app.quit()
    return {
        "title": title_s,
        "ready": ready_s,
        "move_p50": statistics.median(moves),
        "move_max": max(moves),
        "peak_mb": peak_kb / 1024,
        "building_p50": statistics.median(building) if building else float("nan"),
        "building_max": max(building) if building else float("nan"),
        **{f"key {name}": times for name, times in keys.items()},  # type: ignore[dict-item]
    }


def baseline() -> float:
    """Seconds from launch to the first frame of a bare Textual app (the floor)."""
    app = App(None, {**os.environ, "TERM": "xterm-256color"})
    try:
        return app.wait_for("hello from a bare")
    finally:
        os.killpg(app.proc.pid, signal.SIGKILL)
        app.proc.wait()
        os.close(app.master)


def launch_row(archive: Path, cache: Path, rounds: int) -> tuple[str, str]:
    """Launch to the newest title with the index in `cache` already built (brought up to
    date first), against a bare Textual app, the two alternated round by round."""
    env = reader_env(cache)
    title_newest(archive)
    subprocess.run([str(SCRIPT), "--archive", str(archive), "index"], env=env, capture_output=True)
    titles: list[float] = []
    floors: list[float] = []
    for _ in range(rounds):
        floors.append(baseline())
        app = App(archive, env)
        try:
            titles.append(app.wait_for(NEWEST_TITLE[:10]))
        finally:
            app.quit()
    title, floor = statistics.median(titles), statistics.median(floors)
    return (
        "reader: built index, launch to newest title",
        f"{title:.2f} s vs bare Textual {floor:.2f} s = {title / floor:.2f}x, median of "
        f"{rounds} (max {max(titles):.2f} s; target < 0.6 s at 7,300, < 1 s at 50,000, < 2x)",
    )


def scale_rows(archive: Path, work: Path, rebuild_s: float, rounds: int) -> list[tuple[str, str]]:
    """The reader's figures for bench_search's table: first run to "index ready" against the
    CLI's rebuild (`rebuild_s`, same run), newest title with a built index against a bare
    Textual app."""
    title_newest(archive)
    cache = work / "cache-reader"
    first = run(archive, cache, fresh=True)
    built = [run(archive, cache, fresh=False) for _ in range(rounds)]
    floor = statistics.median(baseline() for _ in range(rounds))
    title = statistics.median(r["title"] for r in built)
    return [
        (
            "reader: first run to index ready vs CLI rebuild",
            f"{first['ready']:.1f} s vs {rebuild_s:.1f} s = {first['ready'] / rebuild_s:.2f}x "
            "(target < 1.3x)",
        ),
        ("reader: first run, newest title on screen", f"{first['title']:.2f} s"),
        (
            "reader: built index, launch to newest title",
            f"{title:.2f} s vs bare Textual {floor:.2f} s = {title / floor:.2f}x "
            "(target < 0.6 s, < 2x)",
        ),
        (
            "reader: j to next post, built index",
            f"p50 {statistics.median(r['move_p50'] for r in built) * 1000:.0f} ms, "
            f"max {max(r['move_max'] for r in built) * 1000:.0f} ms; while first indexing "
            f"max {first['building_max'] * 1000:.0f} ms",
        ),
        (
            "reader: peak memory (app process, built index)",
            f"{max(r['peak_mb'] for r in built):.0f} MB",
        ),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=7300)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument(
        "--reuse",
        type=Path,
        help="keep the archive and its index in this folder between runs (made when missing) "
        "and measure only with a built index: start-up, j, the keys",
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-startup-") as tmp:
        base = args.reuse or Path(tmp)
        base.mkdir(parents=True, exist_ok=True)
        archive = base / "archive"
        if args.reuse is None or not archive.is_dir():
            make_archive(archive, args.posts)
        cache = base / "cache"
        floor = statistics.median(baseline() for _ in range(args.rounds))
        rows: list[tuple[str, dict[str, float]]] = []
        if args.reuse is not None and not cache.exists():
            run(archive, cache, fresh=True)  # builds the index kept for the next runs
        for _ in range(args.rounds if args.reuse is None else 0):
            rows.append(("no index yet", run(archive, cache, fresh=True)))
        for _ in range(args.rounds):
            rows.append(("built index", run(archive, cache, fresh=False)))
        print(f"{args.posts:,} posts, terminal {SIZE[1]}x{SIZE[0]}, {args.rounds} rounds each")
        print(
            f"{'case':<14} {'title on screen s':>18} {'index ready s':>14} "
            f"{'j→next p50 ms':>14} {'j→next max ms':>14} {'peak MB':>8}"
        )
        for case in ("built index", "no index yet"):
            runs = [r for name, r in rows if name == case]
            if not runs:
                continue
            best = min(runs, key=lambda r: r["title"])
            print(
                f"{case:<14} {statistics.median(r['title'] for r in runs):>18.3f} "
                f"{statistics.median(r['ready'] for r in runs):>14.2f} "
                f"{statistics.median(r['move_p50'] for r in runs) * 1000:>14.1f} "
                f"{max(r['move_max'] for r in runs) * 1000:>14.1f} "
                f"{max(r['peak_mb'] for r in runs):>8.1f}"
            )
            del best
        fresh = [r for name, r in rows if name == "no index yet"]
        if fresh:
            print(
                f"{'while indexing':<14} {'':>18} {'':>14} "
                f"{statistics.median(r['building_p50'] for r in fresh) * 1000:>14.1f} "
                f"{max(r['building_max'] for r in fresh) * 1000:>14.1f}   (j during the first "
                "build)"
            )
        print(f"{'bare Textual':<14} {floor:>18.3f}   (a Static on screen: the floor)")
        print("targets: title on screen < 1.0 s (built index), < 1.5 s (no index); peak < 300 MB")
        echo = echo_latencies()
        print()
        print(f"key latency, built index, {args.posts:,} posts: until the screen answers")
        print(f"{'key':<22} {'p50 ms':>8} {'max ms':>8}")
        built = [r for name, r in rows if name == "built index"]
        for name in KEYS:
            times = [t for r in built for t in r[f"key {name}"]]  # type: ignore[union-attr]
            if not times:
                continue
            print(
                f"{KEY_LABELS.get(name, name):<22} {statistics.median(times) * 1000:>8.1f} "
                f"{max(times) * 1000:>8.1f}"
            )
        print(
            f"{'bare Textual echo':<22} {statistics.median(echo) * 1000:>8.1f} "
            f"{max(echo) * 1000:>8.1f}   (the floor)"
        )
        print("target: every key < 100 ms")


if __name__ == "__main__":
    main()
