#!/usr/bin/env python3
"""Search benchmark: build time vs SQLite FTS5, incremental update, query latency, memory.

    .venv/bin/python tests/benchmarks/bench_search.py [--quick] [--sizes 1000,5000]

Builds scaled archives in a temp folder from sample_posts/ (copies with shifted dates and
varied file names), then measures, side by side in one run:

- full build: `digest-tui index --rebuild` wall time (a subprocess: start-up, scan, parse,
  index) against SQLite FTS5 (trigram tokenizer) over the same unit texts; the FTS5 side is
  given the parser's time too (single process), and its insert time is shown on its own;
- `digest-tui index` wall time after adding one post to the largest archive (and with no
  change at all);
- search `took_ms` (from `search --json`, one process per query, so nothing is warm) p50/p95
  over a fixed list of queries of every form, and the CLI's wall time against `grep -rl`;
- peak memory (ru_maxrss of the `index --rebuild` process tree, via wait4).

Not part of the test run; prints a table. Needs no network.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
SAMPLES = REPO / "sample_posts"
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


def make_archive(target: Path, count: int) -> Path:
    """`count` posts copied from the samples, each with its own date and file name."""
    templates = sorted(SAMPLES.rglob("*.md"))
    start = date(2020, 1, 1)
    for i in range(count):
        template = templates[i % len(templates)]
        day = start + timedelta(days=i // 3)
        text = template.read_text(encoding="utf-8")
        text = re.sub(r"^date:.*$", f"date: {day.isoformat()}", text, count=1, flags=re.M)
        folder = target / str(day.year) / f"{day.month:02d}"
        folder.mkdir(parents=True, exist_ok=True)
        slug = re.sub(r"^\d{4}-\d{2}-\d{2}-", "", template.stem)[:24]
        (folder / f"{day.isoformat()}-{slug}-{i:05d}.md").write_text(text, encoding="utf-8")
    return target


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


def side_by_side(archive: Path) -> tuple[float, float, float, int]:
    """Parse every post once (one process), then index the same unit texts twice, each
    timed on its own: our index (terms, Whoosh segment, store) and FTS5 with the trigram
    tokenizer. Returns (parse s, our index s, FTS5 insert s, number of units)."""
    from digest_tui.index.archive import find_all
    from digest_tui.index.parse.assets import AssetTable
    from digest_tui.index.parse.post import parse_post
    from digest_tui.index.search.analysis import searchable
    from digest_tui.index.search.build import Writing
    from digest_tui.index.search.segments import UnitWriter, create
    from digest_tui.index.search.store import Store
    from digest_tui.index.search.units import PostData, post_units, unit_texts

    assets = AssetTable.load(None)
    started = time.perf_counter()
    posts = [(post_file, parse_post(post_file, assets)) for post_file in find_all([archive])]
    parsed = time.perf_counter() - started
    texts = [
        searchable(text) for _pf, post in posts for _id, _title, _section, text in unit_texts(post)
    ]

    folder = Path(tempfile.mkdtemp(prefix="ours-"))
    started = time.perf_counter()
    (folder / "whoosh").mkdir()
    writing = Writing(Store(folder / "store.sqlite"), UnitWriter(create(folder / "whoosh")), 1, 1)
    for post_file, post in posts:
        writing.add(
            PostData(
                str(post_file.root),
                post_file.path,
                post_file.size,
                post_file.mtime_ns,
                "",
                post.date.isoformat(),
                post.title,
                post.category,
                tuple(post.tags),
                (),
                (),
                (),
                post_units(post),
            )
        )
    writing.writer.commit()
    writing.store.commit()
    ours = time.perf_counter() - started
    writing.store.close()

    db = sqlite3.connect(folder / "fts.sqlite")
    started = time.perf_counter()
    db.execute("CREATE VIRTUAL TABLE units USING fts5(text, tokenize='trigram')")
    db.executemany("INSERT INTO units (text) VALUES (?)", ((t,) for t in texts))
    db.commit()
    inserted = time.perf_counter() - started
    db.close()
    shutil.rmtree(folder)
    return parsed, ours, inserted, len(texts)


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


def build_rows(
    size: int, archive: Path, base: list[str], env: dict[str, str]
) -> list[tuple[str, str]]:
    """Full build end to end, indexing alone against FTS5, and peak memory."""
    wall, rss, _out, err, status = run_measured(base + ["index", "--rebuild"], env)
    if status:
        raise RuntimeError(f"index failed: {err}")
    parse_s, ours_s, insert_s, units = side_by_side(archive)
    return [
        (
            f"{size} posts ({units} units): full build, end to end",
            versus("`index --rebuild`", wall, "parse + FTS5", parse_s + insert_s),
        ),
        (
            f"{size} posts: indexing parsed posts (1 process)",
            versus("ours", ours_s, "FTS5 insert", insert_s) + f" (parsing alone: {parse_s:.2f} s)",
        ),
        (f"{size} posts: peak memory of index", f"{rss / 1024:.0f} MB"),
    ]


def update_rows(
    size: int, archive: Path, base: list[str], env: dict[str, str]
) -> list[tuple[str, str]]:
    """`index` with nothing changed, then after adding one post."""
    wall_same, *_ = run_measured(base + ["index"], env)
    extra = next(SAMPLES.rglob("*.md")).read_text(encoding="utf-8")
    new_post = archive / "2031" / "2031-01-01-one-more-post.md"
    new_post.parent.mkdir(parents=True, exist_ok=True)
    new_post.write_text(
        re.sub(r"^date:.*$", "date: 2031-01-01", extra, count=1, flags=re.M), encoding="utf-8"
    )
    wall_one, _rss, _out, err, _status = run_measured(base + ["index"], env)
    return [
        (f"{size} posts: index, nothing changed", f"{wall_same:.2f} s"),
        (
            f"{size} posts: index after adding one post",
            f"{wall_one:.2f} s ({err.strip().splitlines()[-1]})",
        ),
    ]


def query_rows(
    size: int, archive: Path, base: list[str], env: dict[str, str]
) -> list[tuple[str, str]]:
    """`took_ms` of every query, and the CLI's wall time against `grep -rlF` of one word."""
    took: list[float] = []
    walls: list[float] = []
    greps: list[float] = []
    for query in QUERIES:
        wall, _rss, out, err, status = run_measured(
            base + ["search", query, "--json", "--limit", "20"], env
        )
        if status:
            print(f"search {query!r} failed: {err.strip()}", file=sys.stderr)
            continue
        took.append(json.loads(out)["took_ms"])
        walls.append(wall)
        word = next(
            (
                w
                for w in query.replace('"', "").split()
                if ":" not in w and w not in ("OR", "NOT") and not w.startswith("-")
            ),
            query,
        ).rstrip("*")
        started = time.perf_counter()
        subprocess.run(["grep", "-rlF", word, str(archive)], capture_output=True)
        greps.append(time.perf_counter() - started)
    return [
        (
            f"{size} posts: search took_ms ({len(took)} queries)",
            f"p50 {percentile(took, 0.5):.1f} ms, p95 {percentile(took, 0.95):.1f} ms, "
            f"max {max(took):.1f} ms",
        ),
        (
            f"{size} posts: search CLI wall vs grep -rlF",
            versus("p50", statistics.median(walls), "", statistics.median(greps)),
        ),
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="small archives (100, 300 posts)")
    parser.add_argument("--sizes", default=None, help="comma-separated archive sizes")
    args = parser.parse_args()
    sizes = [int(s) for s in (args.sizes or ("100,300" if args.quick else "1000,5000")).split(",")]
    work = Path(tempfile.mkdtemp(prefix="bench-search-"))
    rows: list[tuple[str, str]] = []
    try:
        for size in sizes:
            archive = make_archive(work / f"archive-{size}", size)
            env = dict(
                os.environ,
                XDG_CACHE_HOME=str(work / f"cache-{size}"),
                XDG_CONFIG_HOME=str(work / "config"),
                XDG_DATA_HOME=str(work / "data"),
            )
            env.pop("DIGEST_TUI_ARCHIVE", None)
            base = [str(SCRIPT), "--archive", str(archive)]
            rows += build_rows(size, archive, base, env)
            if size == sizes[-1]:
                rows += update_rows(size, archive, base, env)
                rows += query_rows(size, archive, base, env)
    except RuntimeError as exc:
        print(exc, file=sys.stderr)
        return 1
    finally:
        shutil.rmtree(work, ignore_errors=True)
    rows.append(
        (
            "load average (1 min) at the end",
            f"{os.getloadavg()[0]:.1f} on "
            f"{os.cpu_count()} CPUs (other work on the machine slows every figure)",
        )
    )
    width = max(len(name) for name, _ in rows)
    print(f"{'measure':<{width}}  result")
    print(f"{'-' * width}  {'-' * 40}")
    for name, value in rows:
        print(f"{name:<{width}}  {value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
