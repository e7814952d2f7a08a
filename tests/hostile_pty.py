"""Running a program on a pseudo-terminal, as a user's terminal would: raw bytes out, keys in.

`run_in_pty` returns every byte the program wrote (to look for injected escape sequences) and
the screens a terminal would show (via pyte), so tests can check both what reaches the
terminal and what the reader sees.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass


@dataclass
class TerminalRun:
    """What a program wrote to a pseudo-terminal, raw, and the screen it left (via pyte)."""

    output: bytes
    screen_text: str
    """Every screen the program showed after each key, joined (what a user could read)."""
    status: int | None
    """Exit status, or None when it was still running and had to be killed."""


def run_in_pty(
    argv: list[str],
    *,
    env: dict[str, str],
    keys: list[str] = (),
    size: tuple[int, int] = (40, 120),
    settle: float = 0.4,
    start_timeout: float = 15.0,
    exit_timeout: float = 10.0,
    started: Callable[[str], bool] | None = None,
) -> TerminalRun:
    """Run `argv` on a new pseudo-terminal, type `keys` (one string each, waiting for the
    output to settle in between), and return everything it wrote.

    With `started`, the first key waits (up to `start_timeout`) until the screen passes it:
    a loaded machine may draw the first screen in several bursts.
    After the keys the program is given `exit_timeout` seconds to exit by itself (send "q" as
    the last key for an app); otherwise it is killed and `status` is None.
    """
    import fcntl
    import pty
    import select
    import signal
    import struct
    import subprocess
    import termios
    import time

    import pyte

    rows, cols = size
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
    full_env = {**env, "TERM": "xterm-256color", "COLUMNS": str(cols), "LINES": str(rows)}
    proc = subprocess.Popen(
        argv,
        stdin=slave,
        stdout=slave,
        stderr=slave,
        env=full_env,
        start_new_session=True,
        close_fds=True,
    )
    os.close(slave)
    screen = pyte.Screen(cols, rows)
    stream = pyte.ByteStream(screen)
    chunks: list[bytes] = []
    screens: list[str] = []

    def pump(quiet: float, limit: float) -> None:
        """Read until nothing arrives for `quiet` seconds (or `limit` passes)."""
        deadline = time.monotonic() + limit
        last = time.monotonic()
        while time.monotonic() < deadline:
            ready, _, _ = select.select([master], [], [], 0.05)
            if ready:
                try:
                    data = os.read(master, 65536)
                except OSError:  # EIO: the program closed the terminal
                    return
                if not data:
                    return
                chunks.append(data)
                stream.feed(data)
                last = time.monotonic()
            elif time.monotonic() - last > quiet and chunks:
                return
            elif proc.poll() is not None and not ready:
                return

    try:
        begun = time.monotonic()
        pump(0.6, start_timeout)
        while started is not None and not started("\n".join(screen.display)):
            if time.monotonic() - begun > start_timeout or proc.poll() is not None:
                break
            pump(0.2, 0.5)
        screens.append("\n".join(screen.display))
        for key in keys:
            os.write(master, key.encode("utf-8"))
            pump(settle, 10.0)
            screens.append("\n".join(screen.display))
        deadline = time.monotonic() + exit_timeout
        while proc.poll() is None and time.monotonic() < deadline:
            pump(0.2, 0.5)
        status = proc.poll()
        if status is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        else:
            pump(0.1, 1.0)
    finally:
        os.close(master)
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    return TerminalRun(b"".join(chunks), "\n\n".join(screens), status)
