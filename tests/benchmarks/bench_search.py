#!/usr/bin/env python3
"""Scale benchmark (issue 14): rebuild, memory, size, reader start-up, search, daily updates.

    .venv/bin/python tests/benchmarks/bench_search.py [--posts 7300] [--quick] [--updates 30]
                                                      [--reader-rounds 3] [--search-rounds 3]
                                                      [--keep DIR]
                                                      [--only build,reader,launch,search,updates]
    .venv/bin/python tests/benchmarks/bench_search.py --search-only [--posts 7300]
                                                      [--work /tmp/bench-search-7300] [--rounds 5]

Builds an archive of N posts in a temp folder (scaled.py: copies of the shared corpus, else
of sample_posts/, two a day, dates shifted, text perturbed) and measures, side by side in one
run:

- `digest-tui index --rebuild`: wall, CPU of the process tree, peak memory of the process tree
  (the RSS of every process sampled and summed) and index size, against SQLite FTS5 (trigram)
  over the same unit texts, parsed by our parser in one process (same figures), and the CPU
  of that parse alone, which both builds pay: what is left of each is the indexing;
- the reader (bench_startup.py, on a pseudo-terminal): first run to "index ready" against the
  CLI rebuild, launch to the newest title with a built index against a bare Textual app;
- search `took_ms` (from `search --json`, one process per query, first page of 20) p50/p95
  over the queries below, broad ones included, and the CLI's wall against `grep -rlF`, after
  one read of the index (the figures of a warm page cache; the greps run after the queries):
  of each query's first run, and of its median of `--search-rounds` runs;
- `digest-tui index` with nothing changed, after one added post, and N consecutive one-post
  updates (their maximum and median wall: the merge policy's cost).

`--search-only` measures search alone: it builds the archive and its index once in `--work`
(kept, reused by the next run), runs every query through the CLI as the full run does, then
in-process `--rounds` times, each on a freshly opened index as the CLI does (`took_ms`, and
the CPU time), and once more on the open one (warm); it prints each query's figures and
p50/p95 over the queries.

The table ends with the load average, the machine's speed (a bare Python loop, at the start
and the end: figures in seconds scale with it) and how digest-tui is installed: run it from
the README's install (`pip install .`), as an editable one starts every command later.

Not part of the test run; prints a table. Needs no network.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
SCRIPT = Path(sys.executable).with_name("digest-tui")

QUERIES = [
    "黄金",
    "金",
    "油价",
    "美联储 降息",
    "霍尔木兹海峡",
    "人形机器人",
    "美元 OR 日元",
    "黄金 -白银",
    "NOT 美元 黄金",
    '"实际利率"',
    '"美联储 降息"',
    "GPT-5",
    "5000美元",
    "openai",
    "gpt*",
    "tag:AI",
    "asset:金价",
    "asset:原油 美元",
    "category:经济日报 关税",
    "section:货币政策 降息",
    "date:2021-03 黄金",
    "date:2021-01-01..2021-06-30 芯片",
    "央行 购金",
    "AI 芯片 英伟达",
]


def run_measured(args: list[str], env: dict[str, str]) -> tuple[float, int, str, str, int]:
    """Run a command; returns (wall seconds, peak RSS in KiB of its process tree (wait4),
    stdout, stderr, exit status)."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        process = subprocess.Popen(args, env=env, stdout=out, stderr=err)
        _pid, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        return (wall, usage.ru_maxrss, out.read().decode(), err.read().decode(), process.returncode)


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index]


def versus(ours: str, ours_s: float, theirs: str, theirs_s: float) -> str:
    """`ours 1.20 s vs theirs 0.60 s = 2.00x`: two timings (seconds) and their ratio."""
    return (
        f"{ours} {ours_s:.2f} s vs {theirs} {theirs_s:.2f} s = ".replace("  ", " ")
        + f"{ours_s / theirs_s:.2f}x"
    )


def update_rows(
    size: int, archive: Path, base: list[str], env: dict[str, str]
) -> list[tuple[str, str]]:
    """`index` with nothing changed, then after adding one post."""
    wall_same, *_ = run_measured(base + ["index"], env)
    import scaled

    serial = 80_000 + sum(1 for _ in archive.rglob("*-update-8*.md"))  # a new one each run
    scaled.add_post(archive, serial, date(2039, 12, 31))
    wall_one, _rss, _out, err, _status = run_measured(base + ["index"], env)
    return [
        (f"{size} posts: index, nothing changed", f"{wall_same:.2f} s"),
        (
            f"{size} posts: index after adding one post",
            f"{wall_one:.2f} s ({err.strip().splitlines()[-1]})",
        ),
    ]


def query_rows(
    size: int, archive: Path, base: list[str], env: dict[str, str], rounds: int = 1
) -> list[tuple[str, str]]:
    """`took_ms` of every query, after one read of the index (measure.read_through), then the
    CLI's wall time against `grep -rlF` of one word of each (the greps come after the queries:
    each reads the whole archive, and at 50,000 posts that pushes the index out of a small
    page cache). With `rounds` > 1 the queries run that many times over (each in a fresh
    process, all of them before any again), and each query's median is reported beside its
    first run: one run of each on a shared host is as much the host's figure as ours."""
    import measure

    measure.read_through(Path(env["XDG_CACHE_HOME"]))
    queries = [*QUERIES, *BROAD]
    runs: list[list[float]] = [[] for _query in queries]  # (a query can be listed twice)
    walls: list[float] = []
    greps: list[float] = []
    words: list[str] = []
    for round_ in range(max(rounds, 1)):
        for index, query in enumerate(queries):
            wall, _rss, out, err, status = run_measured(
                base + ["search", query, "--json", "--limit", "20"], env
            )
            if status:
                print(f"search {query!r} failed: {err.strip()}", file=sys.stderr)
                continue
            runs[index].append(json.loads(out)["took_ms"])
            if round_:
                continue
            walls.append(wall)
            words.append(
                next(
                    (
                        w
                        for w in query.replace('"', "").split()
                        if ":" not in w and w not in ("OR", "NOT") and not w.startswith("-")
                    ),
                    query,
                ).rstrip("*")
            )
    measured = [(query, times) for query, times in zip(queries, runs, strict=True) if times]
    took = [times[0] for _query, times in measured]
    medians = [statistics.median(times) for _query, times in measured]
    broad = [times[0] for query, times in measured if query in BROAD]
    broad_medians = [statistics.median(times) for query, times in measured if query in BROAD]
    measure.read_through(archive)
    for word in words:
        started = time.perf_counter()
        subprocess.run(["grep", "-rlF", word, str(archive)], capture_output=True)
        greps.append(time.perf_counter() - started)
    rows = [
        (
            f"{size} posts: search took_ms ({len(took)} queries, index read through first)",
            f"p50 {percentile(took, 0.5):.1f} ms, p95 {percentile(took, 0.95):.1f} ms, "
            f"max {max(took):.1f} ms, one run of each (target p95 < 20 ms at 7,300 posts, "
            "< 50 ms at 50,000)",
        ),
        (
            f"{size} posts: broad queries' first page ({len(broad)}: {', '.join(BROAD)})",
            f"max {max(broad, default=float('nan')):.1f} ms, one run of each",
        ),
    ]
    if rounds > 1:
        rows += [
            (
                f"{size} posts: search took_ms, each query's median of {rounds} runs",
                f"p50 {percentile(medians, 0.5):.1f} ms, p95 {percentile(medians, 0.95):.1f} "
                f"ms, max {max(medians):.1f} ms",
            ),
            (
                f"{size} posts: broad queries' first page, median of {rounds} runs",
                f"max {max(broad_medians, default=float('nan')):.1f} ms",
            ),
        ]
    return rows + [
        (
            f"{size} posts: search CLI wall vs grep -rlF",
            versus("p50", statistics.median(walls), "", statistics.median(greps)),
        ),
    ]


BROAD = ["AI -OpenAI", "a*", "section:更多动态", '"美联储 降息"', "经济", "的"]


def bench_env(work: Path, name: str) -> dict[str, str]:
    env = dict(
        os.environ,
        XDG_CACHE_HOME=str(work / f"cache-{name}"),
        XDG_CONFIG_HOME=str(work / "config"),
        XDG_DATA_HOME=str(work / "data"),
    )
    env.pop("DIGEST_TUI_ARCHIVE", None)
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # measure as installed: compiled modules cached
    return env


ROWS = ("build", "reader", "launch", "search", "updates")


def scale_rows(
    posts: int,
    updates: int,
    reader_rounds: int,
    only: tuple[str, ...] = ROWS,
    keep: Path | None = None,
    search_rounds: int = 1,
) -> list[tuple[str, str]]:
    """Every figure of issue 14 at one size, in one run (see the module docstring); `only`
    some of them. `keep`: the folder of the archive and its index, made there once and used
    again by the next runs (the rebuild row rebuilds it; the update rows add posts to it)."""
    import measure
    import scaled

    work = keep or Path(tempfile.mkdtemp(prefix="bench-scale-"))
    rows: list[tuple[str, str]] = []
    try:
        if keep is not None and (work / "archive").is_dir():
            archive = work / "archive"
        else:
            archive = scaled.make_archive(work / "archive", posts)
        mb = measure.folder_mb(archive)
        env = bench_env(work, "cli")
        base = [str(SCRIPT), "--archive", str(archive)]
        measure.run([*base, "--help"], env)  # compile and cache the modules once
        if {"build", "reader"} & set(only) or not (work / "cache-cli").is_dir():
            ours = measure.run([*base, "index", "--rebuild"], env)
            if ours.status:
                raise RuntimeError(f"index failed: {ours.err.strip()[-300:]}")
        if "build" in only:
            index_mb = measure.folder_mb(work / "cache-cli")
            fts, fts_mb = measure.fts5_build(archive, work, env)
            parsing = measure.parse_alone(archive, env)
            rows += [
                (
                    f"{posts} posts ({mb:.0f} MB of markdown): rebuild wall",
                    _ratio(ours.wall, fts.wall),
                ),
                (f"{posts} posts: rebuild CPU (process tree)", _ratio(ours.cpu, fts.cpu)),
                (
                    f"{posts} posts: rebuild CPU beyond parsing (both parse with our parser, "
                    f"{parsing.cpu:.2f} s alone)",
                    _ratio(ours.cpu - parsing.cpu, fts.cpu - parsing.cpu),
                ),
                (
                    f"{posts} posts: peak memory, process tree (RSS summed)",
                    f"ours {ours.peak_mb:.0f} MB vs FTS5 {fts.peak_mb:.0f} MB (target < 300 MB)",
                ),
                (f"{posts} posts: index on disk", _ratio(index_mb, fts_mb, "MB")),
            ]
        if reader_rounds and "reader" in only:
            import bench_startup

            rows += bench_startup.scale_rows(archive, work, ours.wall, reader_rounds)
        elif reader_rounds and "launch" in only:
            import bench_startup

            rows.append(bench_startup.launch_row(archive, work / "cache-cli", reader_rounds))
        if "search" in only:
            rows += query_rows(posts, archive, base, env, search_rounds)
        if "updates" in only:
            rows += update_rows(posts, archive, base, env)
            rows += consecutive_updates(posts, updates, archive, base, env)
    finally:
        if keep is None:
            shutil.rmtree(work, ignore_errors=True)
    return rows


def consecutive_updates(
    posts: int, updates: int, archive: Path, base: list[str], env: dict[str, str]
) -> list[tuple[str, str]]:
    """`updates` one-post updates in a row, each a new post dated after the last one."""
    import measure
    import scaled

    newest = max((p.name[:10] for p in archive.rglob("*-update-*.md")), default="2039-12-31")
    first = date.fromisoformat(newest) + timedelta(days=1)
    serial = 90_000 + sum(1 for _ in archive.rglob("*-update-*.md"))
    walls = []
    for i in range(updates):
        scaled.add_post(archive, serial + i, first + timedelta(days=i))
        update = measure.run([*base, "index"], env)
        if update.status:
            raise RuntimeError(f"update failed: {update.err.strip()[-300:]}")
        walls.append(update.wall)
    if not walls:
        return []
    return [
        (
            f"{posts} posts: {updates} consecutive one-post updates",
            f"max {max(walls):.2f} s, p50 {statistics.median(walls):.2f} s (target < 0.3 s each)",
        )
    ]


def _ratio(ours: float, theirs: float, unit: str = "s") -> str:
    return f"ours {ours:.2f} {unit} vs FTS5 trigram {theirs:.2f} {unit} = {ours / theirs:.2f}x"


def search_only(posts: int, work: Path, rounds: int) -> list[tuple[str, str]]:
    """`took_ms` of every query in-process, on an archive and index built once in `work`."""
    import scaled
    from digest_tui.index.library import Library
    from digest_tui.index.paths import Config, Roots

    archive = work / "archive"
    if not archive.is_dir():
        scaled.make_archive(work / "archive.part", posts)
        (work / "archive.part").rename(archive)
    roots, cache = Roots((archive,), "--archive"), work / "cache" / "digest-tui"
    started = time.perf_counter()
    report = Library(roots, Config(), cache=cache).update()
    if report.added:
        print(f"indexed {report.added} posts in {time.perf_counter() - started:.0f} s")
    rows: list[tuple[str, str]] = []
    cold: list[float] = []
    warm: list[float] = []
    broad: list[float] = []
    cpus: list[float] = []
    for query in [*QUERIES, *BROAD]:
        took = []
        cpu = []
        library = Library(roots, Config(), cache=cache)
        for _ in range(rounds):
            library = Library(roots, Config(), cache=cache)  # a fresh process's index
            library.stored_posts()  # opened, as the CLI's update opens it
            before = time.process_time()
            result = library.search(query, limit=20)
            cpu.append((time.process_time() - before) * 1000)
            took.append(result.took_ms)
        again = library.search(query, limit=20).took_ms
        cold.append(statistics.median(took))
        cpus.append(min(cpu))
        warm.append(again)
        if query in BROAD:
            broad.append(cold[-1])
        rows.append(
            (
                f"{query}  ({result.total} hits)",
                f"cold p50 {cold[-1]:.1f} ms, max {max(took):.1f} ms (CPU {min(cpu):.1f} ms); "
                f"warm {again:.1f} ms",
            )
        )
    env = dict(
        os.environ,
        XDG_CACHE_HOME=str(work / "cache"),
        XDG_CONFIG_HOME=str(work / "config"),
        XDG_DATA_HOME=str(work / "data"),
    )
    env.pop("DIGEST_TUI_ARCHIVE", None)
    rows += query_rows(posts, archive, [str(SCRIPT), "--archive", str(archive)], env)
    rows += [
        (
            f"{posts} posts: search took_ms in-process, fresh index ({len(cold)} queries)",
            f"p50 {percentile(cold, 0.5):.1f} ms, p95 {percentile(cold, 0.95):.1f} ms, "
            f"max {max(cold):.1f} ms",
        ),
        (f"{posts} posts: broad queries' first page", f"max {max(broad):.1f} ms"),
        (
            f"{posts} posts: search CPU (least of the rounds)",
            f"p50 {percentile(cpus, 0.5):.1f} ms, p95 {percentile(cpus, 0.95):.1f} ms",
        ),
        (
            f"{posts} posts: search took_ms, open index",
            f"p50 {percentile(warm, 0.5):.1f} ms, p95 {percentile(warm, 0.95):.1f} ms",
        ),
    ]
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="a small archive (300 posts)")
    parser.add_argument("--posts", type=int, default=7300, help="archive size (default 7300)")
    parser.add_argument("--updates", type=int, default=30, help="consecutive one-post updates")
    parser.add_argument(
        "--search-rounds",
        type=int,
        default=3,
        help="runs of every query (each query's first run and its median are reported)",
    )
    parser.add_argument(
        "--reader-rounds", type=int, default=3, help="reader start-ups per case (0: none)"
    )
    parser.add_argument(
        "--search-only", action="store_true", help="search alone, in-process (see above)"
    )
    parser.add_argument("--work", type=Path, help="--search-only: where the archive is kept")
    parser.add_argument("--rounds", type=int, default=5, help="--search-only: runs per query")
    parser.add_argument(
        "--only",
        default=",".join(ROWS),
        help=f"the rows to measure, comma-separated, of {', '.join(ROWS)} (launch: the "
        "reader's launch with a built index alone; reader: every reader row)",
    )
    parser.add_argument(
        "--keep",
        type=Path,
        metavar="DIR",
        help="make the archive and its index in DIR once and use them again next time",
    )
    args = parser.parse_args()
    posts = 300 if args.quick else args.posts
    only = tuple(name.strip() for name in args.only.split(",") if name.strip())
    if unknown := set(only) - set(ROWS):
        parser.error(f"unknown rows: {', '.join(sorted(unknown))}")
    started = os.getloadavg()
    import measure

    speed = measure.machine_speed()
    try:
        if args.search_only:
            work = args.work or Path(tempfile.gettempdir()) / f"bench-search-{posts}"
            rows = search_only(posts, work, args.rounds)
        else:
            rows = scale_rows(
                posts, args.updates, args.reader_rounds, only, args.keep, args.search_rounds
            )
    except RuntimeError as exc:
        print(exc, file=sys.stderr)
        return 1
    ended = os.getloadavg()
    rows += [
        (
            "load average (1 min) at start / end",
            f"{started[0]:.1f} / {ended[0]:.1f} on {os.cpu_count()} CPUs "
            "(other work on the machine slows every figure; ratios are of the same run)",
        ),
        (
            "machine speed: a Python loop of 10M additions, at start / end",
            f"{speed:.2f} / {measure.machine_speed():.2f} s (a quiet 2.4 GHz EPYC core: about "
            "0.7 s; figures in seconds scale with it)",
        ),
        ("digest-tui install", measure.install_kind()),
    ]
    width = max(len(name) for name, _ in rows)
    print(f"{'measure':<{width}}  result")
    print(f"{'-' * width}  {'-' * 40}")
    for name, value in rows:
        print(f"{name:<{width}}  {value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
