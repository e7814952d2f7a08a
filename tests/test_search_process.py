"""A `digest-tui search` process does its work on one thread: numpy's matrix library
(OpenBLAS) starts no worker to spin beside the search (tui/cli/main.py's BLAS_THREADS)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

SEARCH_COUNTING_THREADS = """
import atexit, os, sys
from digest_tui.tui.cli.main import run

atexit.register(lambda: print(len(os.listdir("/proc/self/task")), file=sys.stderr))
sys.argv = ["digest-tui", "--archive", sys.argv[1], "search", "黄金", "--json"]
run()
"""


def test_a_search_process_runs_on_one_thread(tmp_path: Path) -> None:
    archive = tmp_path / "archive"
    shutil.copytree(REPO / "sample_posts", archive)
    env = {k: v for k, v in os.environ.items() if k != "OPENBLAS_NUM_THREADS"}
    result = subprocess.run(
        [sys.executable, "-c", SEARCH_COUNTING_THREADS, str(archive)],
        capture_output=True,
        text=True,
        env=env,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["total"] > 0
    assert result.stderr.strip().splitlines()[-1] == "1"
