"""Indexing in a child process, with its progress as JSON lines: both ends of the protocol.

The reader never builds the index in its own process: a build forks worker processes, which
is unsafe in a process running threads (the UI's), and Python threads parsing posts would
compete with the UI for the GIL. Instead it runs `digest-tui index --progress-json` as a
child (`IndexProcess`) and reads one JSON object per line from its stdout:

    {"event": "progress", "done": 12, "total": 85, "path": "web3-blog/x.md"}
    {"event": "notice", "message": "rebuilding the search index (…)"}
    {"event": "done", "added": 1, "changed": 0, "removed": 0, "rebuilt": false, …}

A failure is the child's exit status with its one-line error on stderr. Stopping the child
(the reader quits mid-build) ends its whole process group, worker processes included; the
index lock and the build folder's swap-in already make a killed writer harmless. This
module never imports textual: the child side runs in the command line.
"""

from __future__ import annotations

import json
import os
import select
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from typing import IO, TYPE_CHECKING, Any

from ...index.paths import Roots

if TYPE_CHECKING:
    from .errors import Context

#: The child reports progress at most this often (and always the last post). Each report
#: redraws the reader's header: at 20 a second that took the reader about a third of a core,
#: taken from the build on a two-core machine (a first run 37% slower than the CLI's).
PROGRESS_INTERVAL_S = 0.5
#: How often the reader looks whether it should stop, while the child is quiet.
POLL_S = 0.2
#: How long a stopped child has to go before it is killed outright.
STOP_GRACE_S = 3.0
ERROR_PREFIX = "digest-tui: error: "


# -- the child: `digest-tui index --progress-json` ------------------------------------------------


def index_reporting_json(ctx: Context, rebuild: bool) -> None:
    """Bring the index up to date, writing the progress protocol's lines on stdout."""
    from ...index.library import Library
    from .errors import EXIT_RUNTIME, UserError

    def emit(**event: Any) -> None:
        sys.stdout.write(json.dumps(event, ensure_ascii=False) + "\n")
        sys.stdout.flush()

    library = Library(ctx.roots, ctx.config, notice=lambda m: emit(event="notice", message=m))
    last = [0.0]

    def progress(done: int, total: int, path: str = "") -> None:
        now = time.monotonic()
        if now - last[0] >= PROGRESS_INTERVAL_S or done == total:
            last[0] = now
            emit(event="progress", done=done, total=total, path=path)

    try:
        report = library.update(progress, rebuild=rebuild)
    except BrokenPipeError:
        raise  # the reader went away: nobody to tell
    except (OSError, sqlite3.Error) as exc:  # as `digest-tui index` says it
        reason = (exc.strerror if isinstance(exc, OSError) else None) or str(exc)
        raise UserError(f"cannot write the search index: {reason}", EXIT_RUNTIME) from None
    emit(
        event="done",
        added=report.added,
        changed=report.changed,
        removed=report.removed,
        unchanged=report.unchanged,
        rebuilt=report.rebuilt,
        cancelled=report.cancelled,
        busy=report.busy,
        warnings=len(report.warnings) + len(report.skipped),
        took_s=round(report.took_s, 3),
    )


# -- the reader's side ---------------------------------------------------------------------------


class IndexFailed(Exception):
    """The indexing child failed; the message is its one-line error."""


def index_command(roots: Roots, *, rebuild: bool = False) -> list[str]:
    """The child's command line: this interpreter, this package, these roots."""
    archives = [f"--archive={root}" for root in roots.paths]
    return [
        sys.executable,
        "-m",
        "digest_tui.tui",
        *archives,
        "index",
        "--progress-json",
        *(["--rebuild"] if rebuild else []),
    ]


class IndexProcess:
    """One run of the indexing child: start it, read its events, stop it if need be."""

    def __init__(self, roots: Roots, *, rebuild: bool = False) -> None:
        self.argv = index_command(roots, rebuild=rebuild)
        self.process: subprocess.Popen[bytes] | None = None
        self.stopped = threading.Event()
        self._lock = threading.Lock()

    def events(self, should_stop: Callable[[], bool] = lambda: False) -> Iterator[dict[str, Any]]:
        """Start the child and yield its events until it ends (raises IndexFailed when it
        fails); stops it as soon as `should_stop()` or `stop()` says so, then just ends."""
        errors = tempfile.TemporaryFile()
        try:
            with self._lock:
                if self.stopped.is_set():
                    return
                self.process = subprocess.Popen(
                    self.argv,
                    stdin=subprocess.DEVNULL,
                    stdout=subprocess.PIPE,
                    stderr=errors,
                    start_new_session=True,
                )  # its own process group: stop() ends its workers
            yield from self._events(self.process, should_stop)
            if should_stop():
                self.stop()
            status = self.process.wait()
            if status != 0 and not self.stopped.is_set():
                errors.seek(0)
                raise IndexFailed(
                    _last_error(errors.read()) or f"indexing stopped (status {status})"
                )
        finally:
            self.stop()
            errors.close()

    def _events(
        self, process: subprocess.Popen[bytes], should_stop: Callable[[], bool]
    ) -> Iterator[dict[str, Any]]:
        assert process.stdout is not None
        with process.stdout:
            for line in _lines(process.stdout, lambda: self.stopped.is_set() or should_stop()):
                try:
                    event = json.loads(line)
                except ValueError:
                    continue  # not ours (a library printing something): ignore it
                if isinstance(event, dict):
                    yield event

    def stop(self) -> None:
        """End the child and the worker processes it started (no-op once it has ended)."""
        self.stopped.set()
        with self._lock:
            process = self.process
        if process is None or process.poll() is not None:
            return
        _signal_group(process, signal.SIGTERM)
        try:
            process.wait(STOP_GRACE_S)
        except subprocess.TimeoutExpired:
            _signal_group(process, signal.SIGKILL)
            process.wait()


def _signal_group(process: subprocess.Popen[bytes], number: int) -> None:
    try:
        if hasattr(os, "killpg"):
            os.killpg(process.pid, number)  # the child leads its own group
        else:  # pragma: no cover - no process groups
            process.send_signal(number)
    except (ProcessLookupError, PermissionError):
        pass


def _lines(stream: IO[bytes], should_stop: Callable[[], bool]) -> Iterator[str]:
    """The lines of `stream` as they come; ends at EOF, or early when `should_stop()`."""
    fd = stream.fileno()
    pending = b""
    while not should_stop():
        ready, _, _ = select.select([fd], [], [], POLL_S)
        if not ready:
            continue
        chunk = os.read(fd, 1 << 16)
        if not chunk:
            break
        pending += chunk
        *complete, pending = pending.split(b"\n")
        for line in complete:
            if line.strip():
                yield line.decode("utf-8", "replace")


def _last_error(stderr: bytes) -> str:
    """The child's one-line error (its last line), without the `digest-tui: error: `."""
    lines = [line.strip() for line in stderr.decode("utf-8", "replace").splitlines()]
    lines = [line for line in lines if line]
    if not lines:
        return ""
    errors = [line for line in lines if line.startswith(ERROR_PREFIX)]
    return (errors[-1] if errors else lines[-1]).removeprefix(ERROR_PREFIX)
