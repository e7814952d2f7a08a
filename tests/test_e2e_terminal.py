"""The real `digest-tui` console script in a real terminal (tmux): start on the bundled sample
posts, search, open a result, quit. Read back from the screen, as a user would see it."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import console_script
from digest_tui.index.library import Library
from digest_tui.index.paths import Config, Roots, sample_posts_dir

TMUX = shutil.which("tmux")
pytestmark = pytest.mark.skipif(TMUX is None, reason="tmux is not installed")


class Terminal:
    """A tmux session on its own socket, at a fixed size."""

    def __init__(self, socket: str, env: dict[str, str]) -> None:
        self.base = [TMUX or "tmux", "-L", socket]
        self.env = env

    def start(self, command: str, size: tuple[int, int] = (120, 40)) -> None:
        subprocess.run(
            [
                *self.base,
                "-f",
                "/dev/null",
                "new-session",
                "-d",
                "-s",
                "e2e",
                "-x",
                str(size[0]),
                "-y",
                str(size[1]),
                command,
            ],
            check=True,
            env=self.env,
        )

    def screen(self) -> str:
        result = subprocess.run(
            [*self.base, "capture-pane", "-p", "-t", "e2e"],
            capture_output=True,
            text=True,
            env=self.env,
        )
        return result.stdout

    def keys(self, *keys: str, literal: bool = False) -> None:
        flag = ["-l"] if literal else []
        subprocess.run(
            [*self.base, "send-keys", "-t", "e2e", *flag, *keys], check=True, env=self.env
        )

    def wait_for(self, found: Callable[[str], bool], timeout: float = 20.0) -> str:
        deadline = time.monotonic() + timeout
        while True:
            text = self.screen()
            if found(text):
                return text
            if time.monotonic() > deadline:
                raise AssertionError(f"not on screen within {timeout} s:\n{text}")
            time.sleep(0.1)

    def close(self) -> None:
        subprocess.run([*self.base, "kill-server"], capture_output=True, env=self.env)


@pytest.fixture
def terminal(tmp_path: Path, isolated_dirs: dict[str, Path]):
    env = {**os.environ, "TERM": "xterm-256color", "TMUX_TMPDIR": str(tmp_path)}
    env.pop("TMUX", None)
    term = Terminal(f"digest-e2e-{os.getpid()}", env)
    yield term
    term.close()


def expected_from_the_library() -> tuple[str, str, str]:
    """(newest post title, a query from its first item, the first hit's item title)."""
    library = Library(Roots((sample_posts_dir(),), "sample"), Config())
    library.update()
    newest = library.stored_posts()[0]
    post = library.load_post(newest.root, newest.path)
    query = post.items[0].title[:4]
    hit = library.search(query).hits[0]
    assert hit.item_title
    return newest.title, query, hit.item_title


def test_search_open_and_quit_in_a_real_terminal(terminal: Terminal) -> None:
    newest_title, query, item_title = expected_from_the_library()
    terminal.start(f'{console_script()}; echo "[exited $?]"; sleep 60')
    terminal.wait_for(lambda text: newest_title[:8] in text)
    terminal.wait_for(lambda text: "index ready" in text)

    terminal.keys("/")
    terminal.wait_for(lambda text: "Search" in text and "esc close" in text)
    terminal.keys(query, literal=True)
    terminal.wait_for(lambda text: "matches" in text and item_title[:8] in text)
    terminal.keys("Enter")
    screen = terminal.wait_for(lambda text: "esc close" not in text and "match 1/" in text)
    assert item_title[:8] in screen

    terminal.keys("q")
    screen = terminal.wait_for(lambda text: "[exited 0]" in text, timeout=10)
    assert "Traceback" not in screen
