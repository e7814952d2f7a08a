"""Shared fixtures: every test runs with its own config, cache and data folders."""

from __future__ import annotations

import gc
import os
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SAMPLE_POSTS = REPO / "sample_posts"
CORPUS = REPO.parent / "shared" / "corpus"


@pytest.fixture(autouse=True)
def isolated_dirs(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> dict[str, Path]:
    """Point XDG_* at fresh folders and clear DIGEST_TUI_ARCHIVE, so no test sees the user's."""
    base = tmp_path_factory.mktemp("xdg")
    dirs = {name: base / name for name in ("config", "cache", "data")}
    for name, path in dirs.items():
        path.mkdir()
        monkeypatch.setenv(f"XDG_{name.upper()}_HOME", str(path))
    monkeypatch.delenv("DIGEST_TUI_ARCHIVE", raising=False)
    monkeypatch.delenv("NO_COLOR", raising=False)
    return dirs


@pytest.fixture(autouse=True)
def nothing_frozen_across_tests() -> Iterator[None]:
    """The reader freezes its long-lived data out of the collector (tui/long_lived.py): for
    an app that runs for one test only, thaw it after, so the next tests can collect it."""
    yield
    gc.unfreeze()


@pytest.fixture
def sample_archive(tmp_path: Path) -> Path:
    """A private copy of the bundled sample posts, safe to change."""
    target = tmp_path / "archive"
    shutil.copytree(SAMPLE_POSTS, target)
    return target


def console_script() -> str:
    """The installed `digest-tui` script beside the interpreter running the tests."""
    candidate = Path(sys.executable).with_name("digest-tui")
    if candidate.exists():
        return str(candidate)
    found = shutil.which("digest-tui")
    if found is None:  # pragma: no cover - an install problem, reported loudly
        raise RuntimeError("digest-tui console script is not installed")
    return found


@pytest.fixture
def run_cli(isolated_dirs: dict[str, Path]):
    """Run the real console script in a subprocess; returns the CompletedProcess."""
    import subprocess

    def run(
        *args: str,
        stdin: str | None = None,
        env: dict[str, str] | None = None,
        timeout: float = 120,
    ) -> subprocess.CompletedProcess[str]:
        full_env = dict(os.environ)
        full_env.update(env or {})
        return subprocess.run(
            [console_script(), *args],
            capture_output=True,
            text=True,
            input=stdin,
            env=full_env,
            timeout=timeout,
        )

    return run
