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


FTS5_SCRIPT = """
import sqlite3, sys
from pathlib import Path
from digest_tui.index.archive import find_all
from digest_tui.index.parse.assets import AssetTable
from digest_tui.index.parse.post import parse_post
from digest_tui.index.search.analysis import searchable
from digest_tui.index.search.units import unit_texts

assets = AssetTable.load(None)
db = sqlite3.connect(sys.argv[2])
db.execute("CREATE VIRTUAL TABLE units USING fts5(text, tokenize='trigram')")
def texts():
    for post_file in find_all([Path(sys.argv[1])]):
        post = parse_post(post_file, assets)
        for _id, _title, _section, text in unit_texts(post):
            yield (searchable(text),)
db.executemany("INSERT INTO units (text) VALUES (?)", texts())
db.commit()
print(db.execute("SELECT count(*) FROM units").fetchone()[0])
db.close()
"""


def fts5_build(archive: Path, work: Path, env: dict[str, str]) -> tuple[Run, float]:
    """SQLite FTS5 (trigram) over the same unit texts, parsed by our parser in one process:
    the run, and the database's size in MB."""
    db = work / "fts5.sqlite"
    db.unlink(missing_ok=True)
    result = run([sys.executable, "-c", FTS5_SCRIPT, str(archive), str(db)], env)
    size = db.stat().st_size / 1e6 if db.exists() else float("nan")
    db.unlink(missing_ok=True)
    return result, size
