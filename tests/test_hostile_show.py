"""`show` over a hostile archive, through a pipe and on a real terminal: every post is shown,
no escape sequence from a post reaches the output, markup stays literal, placeholders show."""

from __future__ import annotations

import json
import os
import subprocess

import pytest
from conftest import console_script
from digest_tui.index.sanitize import clean_line
from digest_tui.tui.cli.main import main
from hostile import ESCAPES, iter_forbidden, make_hostile_archive
from hostile_pty import run_in_pty

pytestmark = pytest.mark.timeout(60)


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory):
    return make_hostile_archive(tmp_path_factory.mktemp("show") / "root", huge_bytes=1_200_000)


@pytest.fixture
def show_here(hostile, capfdbinary: pytest.CaptureFixture[bytes], monkeypatch: pytest.MonkeyPatch):
    """`show` in this process (the console script's own code, without its start-up time),
    its output captured at the file descriptors."""
    monkeypatch.setenv("COLUMNS", "400")

    def show(*args: str) -> subprocess.CompletedProcess[bytes]:
        capfdbinary.readouterr()
        status = main(["--archive", str(hostile.root), "show", *args])
        out, err = capfdbinary.readouterr()
        return subprocess.CompletedProcess(args, status, out, err)

    return show


def assert_clean_output(data: bytes, where: str) -> None:
    leaked = list(iter_forbidden(data))
    assert not leaked, f"{where} carries injected sequences: {leaked}"


def test_show_every_post_through_a_pipe(hostile, show_here) -> None:
    result = show_here(*hostile.posts)
    assert result.returncode == 0, result.stderr.decode(errors="replace")[-2000:]
    assert_clean_output(result.stdout, "stdout")
    assert_clean_output(result.stderr, "stderr")
    out = result.stdout.decode("utf-8")
    err = result.stderr.decode("utf-8")
    assert "Traceback" not in err
    for line in err.splitlines():  # one line per warning, whatever the file name holds
        assert line.startswith("digest-tui: warning: "), line
    for rel, title in hostile.literal_titles.items():
        assert title in out, f"title of {rel} not shown literally: {title!r}"
    # the escape payloads are shown with visible placeholders
    assert clean_line(ESCAPES["osc52"]) in out
    assert "␛]0;PWNTITLE␇" in out
    assert "CSI⍰31m" in out and "RLO⍰gpj.exe" in out
    # file names are shown too, made safe
    assert "2026-04-01-␛]0;PWNNAME␇.md" in out
    assert "2026-04-11-new line.md" in out
    assert "hxhugehead" in out and "hxhugetail" not in out


def test_show_json_is_valid_exact_and_terminal_safe(hostile, show_here) -> None:
    result = show_here("--json", *hostile.posts)
    assert result.returncode == 0, result.stderr.decode(errors="replace")[-2000:]
    assert_clean_output(result.stdout, "stdout")
    assert_clean_output(result.stderr, "stderr")
    posts = json.loads(result.stdout)
    assert [p["path"] for p in posts] == hostile.posts
    by_path = {p["path"]: p for p in posts}
    for rel, title in hostile.literal_titles.items():
        assert by_path[rel]["title"] == title
    for post in posts:
        assert post["date"] and isinstance(post["items"], list)
    raw = by_path["escapes/2026-01-20-raw.md"]
    assert any("larger than" in w for w in by_path[hostile.huge_post]["warnings"])
    assert raw["items"] or raw["warnings"] is not None


def test_show_by_date_and_posts_that_are_not_posts(show_here) -> None:
    result = show_here("2026-01-04", "--json")
    assert result.returncode == 0
    assert [p["path"] for p in json.loads(result.stdout)] == ["escapes/2026-01-04-reset.md"]
    for special in ("special/fifo.md", "special/dev-zero.md", "special/sock.md"):
        result = show_here(special)  # never opened: a FIFO or a device would block
        assert result.returncode == 1, special
        assert result.stderr.decode().startswith("digest-tui: error: "), special
    result = show_here("special/folder.md")
    assert result.returncode == 1 and b"folder" in result.stderr


def test_show_on_a_real_terminal(hostile) -> None:
    """With colours on (a pty), the bytes written carry no injected sequence."""
    posts = [*hostile.escape_posts, *hostile.markup_posts]
    run = run_in_pty(
        [console_script(), "--archive", str(hostile.root), "show", *posts],
        env=dict(os.environ),
        size=(50, 160),
    )
    assert run.status == 0, run.output[-2000:]
    assert_clean_output(run.output, "terminal output")
    assert b"\x1b[" in run.output  # it did style the text: the terminal path was taken
    text = run.output.decode("utf-8")
    assert "␛]52;c;SE9TVElMRQ==␇" in text and "⍰" in text
    assert "[@click=app.quit]q[/]" in text
