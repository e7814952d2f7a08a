"""Measuring a command for the benchmarks: wall, CPU of its whole process tree, peak memory of
the tree (RSS of every process in it, sampled and summed), and SQLite FTS5 on the same text.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

SAMPLE_S = 0.05


@dataclass(frozen=True)
class Run:
    wall: float
    cpu: float
    """User + system seconds of the process and every descendant it waited for."""
    peak_mb: float
    """Largest sum of the RSS of the process tree seen (sampled every SAMPLE_S)."""
    out: str
    err: str
    status: int


def _children() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat", "rb") as handle:
                stat = handle.read()
        except OSError:
            continue
        ppid = int(stat[stat.rfind(b")") + 2 :].split()[1])
        tree.setdefault(ppid, []).append(int(name))
    return tree


def _rss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status", "rb") as handle:
            for line in handle:
                if line.startswith(b"VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def tree_rss_mb(root: int) -> float:
    """The summed RSS (MB) of `root` and all its descendants now."""
    tree = _children()
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        total += _rss_kb(pid)
        todo.extend(tree.get(pid, ()))
    return total / 1024


def run(args: list[str], env: dict[str, str], cwd: Path | None = None) -> Run:
    """Run a command to its end, measuring it (see Run)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        process = subprocess.Popen(args, env=env, stdout=out, stderr=err, cwd=cwd)
        peak = [0.0]
        done = threading.Event()

        def sample() -> None:
            while not done.is_set():
                peak[0] = max(peak[0], tree_rss_mb(process.pid))
                done.wait(SAMPLE_S)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        status = process.wait()
        wall = time.perf_counter() - started
        done.set()
        sampler.join()
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        out.seek(0)
        err.seek(0)
        cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        return Run(wall, cpu, peak[0], out.read().decode(), err.read().decode(), status)


def folder_mb(folder: Path) -> float:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) / 1e6


UNIT_TEXTS = """
import sys
from pathlib import Path
from digest_tui.index.archive import find_all
from digest_tui.index.parse.assets import AssetTable
from digest_tui.index.parse.post import parse_post
from digest_tui.index.search.analysis import searchable
from digest_tui.index.search.units import unit_texts

assets = AssetTable.load(None)
def texts():
    for post_file in find_all([Path(sys.argv[1])]):
        post = parse_post(post_file, assets)
        for _id, _title, _section, text in unit_texts(post):
            yield (searchable(text),)
"""
"""Every unit text of the archive `sys.argv[1]`, parsed by our parser (what both builds do)."""

FTS5_SCRIPT = (
    UNIT_TEXTS
    + """
import sqlite3
db = sqlite3.connect(sys.argv[2])
db.execute("CREATE VIRTUAL TABLE units USING fts5(text, tokenize='trigram')")
db.executemany("INSERT INTO units (text) VALUES (?)", texts())
db.commit()
print(db.execute("SELECT count(*) FROM units").fetchone()[0])
db.close()
"""
)
PARSE_SCRIPT = UNIT_TEXTS + "print(sum(1 for _ in texts()))\n"
"""FTS5_SCRIPT without FTS5: our parser and the unit texts alone."""


def parse_alone(archive: Path, env: dict[str, str]) -> Run:
    """Parsing every post and making its unit texts, in one process, as fts5_build does."""
    return run([sys.executable, "-c", PARSE_SCRIPT, str(archive)], env)


def read_through(folder: Path) -> float:
    """Read every file below `folder` once (MB read): a search then finds the index in the
    page cache, as a reader's daily searches do, and not on disk (this host has been seen
    taking file pages back minutes after a build wrote them)."""
    total = 0
    for path in folder.rglob("*"):
        if path.is_file():
            with open(path, "rb") as handle:
                while chunk := handle.read(1 << 20):
                    total += len(chunk)
    return total / 1e6


def machine_speed() -> float:
    """Seconds a bare Python loop of 10M additions takes now (the best of 3): how fast this
    machine is at the time, to read beside the figures that are not ratios (on a quiet
    2.4 GHz EPYC core it is about 0.7 s; a shared machine has been seen at 1.2-2.1 s)."""
    code = compile("s = 0\nfor i in range(10_000_000):\n    s += i\n", "<speed>", "exec")
    best = float("inf")
    for _ in range(3):
        started = time.perf_counter()
        exec(code, {})  # our own constant loop
        best = min(best, time.perf_counter() - started)
    return best


def install_kind() -> str:
    """How digest-tui is installed in the Python running the benchmark: an editable install
    (`pip install -e`) starts each command later than the README's `pip install .`."""
    import json
    from importlib import metadata

    try:
        text = metadata.distribution("digest-tui").read_text("direct_url.json")
    except metadata.PackageNotFoundError:
        return "not installed"
    editable = bool(text and json.loads(text).get("dir_info", {}).get("editable"))
    if editable:
        return "editable (pip install -e): every command starts later than the README's install"
    return "regular (pip install ., as the README installs it)"


def fts5_build(archive: Path, work: Path, env: dict[str, str]) -> tuple[Run, float]:
    """SQLite FTS5 (trigram) over the same unit texts, parsed by our parser in one process:
    the run, and the database's size in MB."""
    db = work / "fts5.sqlite"
    db.unlink(missing_ok=True)
    result = run([sys.executable, "-c", FTS5_SCRIPT, str(archive), str(db)], env)
    size = db.stat().st_size / 1e6 if db.exists() else float("nan")
    db.unlink(missing_ok=True)
    return result, size
