"""Hostile archives, round two: an unreadable folder (or post) below a root (issue 12, point
7). The live watcher keeps watching the rest, and each unreadable folder or post is reported
once, as a warning: on stderr by the commands, as a notification by the reader.

Permissions do not bind root: when root runs the tests, the commands run without the
capabilities that let root read anything (setpriv --bounding-set -dac_override,...)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import console_script
from tui_helpers import write_post

HERE = Path(__file__).resolve().parent
pytestmark = pytest.mark.timeout(120)


def _bound(command: list[str]) -> list[str]:
    if os.geteuid() == 0:
        return ["setpriv", "--bounding-set", "-dac_override,-dac_read_search", *command]
    return command


@pytest.fixture
def root(tmp_path: Path) -> Iterator[Path]:
    root = tmp_path / "archive"
    write_post(root, "open/2026-05-01-a.md", title="可读的文章", date="2026-05-01")
    write_post(root, "locked/2026-04-01-b.md", title="锁住的文章", date="2026-04-01")
    write_post(root, "2026-04-02-c.md", title="锁住的文件", date="2026-04-02")
    (root / "2026-04-02-c.md").chmod(0)
    (root / "locked").chmod(0)
    for folder in (tmp_path, root, root / "open"):  # the unprivileged run may enter these
        folder.chmod(0o777)
    yield root
    (root / "locked").chmod(0o700)


def test_the_commands_warn_once_about_each_unreadable_folder_and_post(
    root: Path, tmp_path: Path
) -> None:
    env = dict(os.environ)
    for name in ("cache", "data", "config"):
        (tmp_path / name).mkdir(mode=0o777)
        env[f"XDG_{name.upper()}_HOME"] = str(tmp_path / name)

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        command = _bound([console_script(), "--archive", str(root), *args])
        return subprocess.run(command, capture_output=True, text=True, env=env, timeout=60)

    done = run("index")
    assert done.returncode == 0, done.stderr
    warnings = done.stderr.strip().splitlines()[:-1]  # the last line is the summary
    assert all(line.startswith("digest-tui: warning: ") for line in warnings), warnings
    assert sum("locked" in line and "cannot be read" in line for line in warnings) == 1, warnings
    assert sum("2026-04-02-c.md" in line for line in warnings) == 1, warnings
    found = run("search", "文章")
    assert found.returncode == 0 and "可读的文章" in found.stdout, found.stderr


def test_the_watcher_keeps_watching_past_an_unreadable_folder(root: Path, tmp_path: Path) -> None:
    env = dict(os.environ)
    for name in ("cache", "data", "config"):
        (tmp_path / name).mkdir(mode=0o777)
        env[f"XDG_{name.upper()}_HOME"] = str(tmp_path / name)
    env["PYTHONPATH"] = str(HERE)
    done = subprocess.run(
        _bound([sys.executable, str(HERE / "hostile_watch_driver.py"), str(root)]),
        capture_output=True,
        text=True,
        env=env,
        timeout=110,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["seen"], result
    assert result["seen_new_folder"], result
    assert result["watcher_running"], result
    about_folder = [n for n in result["notifications"] if "locked" in n]
    assert len(about_folder) == 1, result["notifications"]
