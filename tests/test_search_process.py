"""A `digest-tui search` process loads only what a search needs and does its work on one
thread: Whoosh's download helper (urllib.request: http.client, ssl, email) and asyncio stay
out (index/search/lean_whoosh.py), and numpy's matrix library (OpenBLAS) starts no worker to
spin beside the search (tui/cli/main.py's BLAS_THREADS)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
#: What Whoosh would load for a download helper and one cached property.
NOT_FOR_A_SEARCH = ["urllib.request", "http.client", "ssl", "asyncio"]

SEARCH_IN_A_FRESH_PROCESS = """
import atexit, json, os, sys
from digest_tui.tui.cli.main import run

watched = json.loads(sys.argv[2])
atexit.register(lambda: print(json.dumps({
    "threads": len(os.listdir("/proc/self/task")),
    "loaded": [name for name in watched if name in sys.modules],
}), file=sys.stderr))
sys.argv = ["digest-tui", "--archive", sys.argv[1], "search", "黄金", "--json"]
run()
"""


def _search_in_a_fresh_process(tmp_path: Path) -> dict[str, object]:
    """`digest-tui search 黄金` in a new interpreter (OPENBLAS_NUM_THREADS unset), on an
    index built before: how many threads it had at its end and which of NOT_FOR_A_SEARCH it
    loaded."""
    archive = tmp_path / "archive"
    shutil.copytree(REPO / "sample_posts", archive)
    env = {k: v for k, v in os.environ.items() if k != "OPENBLAS_NUM_THREADS"}
    built = subprocess.run(  # the search after it finds the index up to date, as most do
        [sys.executable, "-m", "digest_tui.tui", "--archive", str(archive), "index"],
        capture_output=True,
        text=True,
        env=env,
    )
    assert built.returncode == 0, built.stderr
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            SEARCH_IN_A_FRESH_PROCESS,
            str(archive),
            json.dumps(NOT_FOR_A_SEARCH),
        ],
        capture_output=True,
        text=True,
        env=env,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["total"] > 0
    report: dict[str, object] = json.loads(result.stderr.strip().splitlines()[-1])
    return report


def test_a_search_process_runs_on_one_thread_without_whooshs_download_helper(
    tmp_path: Path,
) -> None:
    report = _search_in_a_fresh_process(tmp_path)
    assert report["loaded"] == []
    assert report["threads"] == 1
