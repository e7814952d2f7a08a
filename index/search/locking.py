"""One index writer at a time: an exclusive lock on a file beside the index.

The lock is `fcntl.flock` on `<index>.lock` (held open for the whole update), so it dies with
its process: a writer killed with SIGKILL never leaves a lock that blocks the next one. The
file also records the holder's pid and start time, for messages. Where fcntl does not exist
an O_EXCL lock file is used, and one older than STALE_SECONDS (or whose pid is gone) is
taken over.
"""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Protocol

try:
    import fcntl
except ImportError:  # pragma: no cover - not on Linux/macOS
    fcntl = None  # type: ignore[assignment]

STALE_SECONDS = 600
#: How `IndexLock.acquire` tries again: after POLL_FIRST_S, then each wait POLL_GROWTH times
#: the last, up to POLL_MAX_S: once the lock is free, a waiter sleeps on for about a quarter
#: of the time it had waited, never more than POLL_MAX_S (with 50 ms, then x1.5 up to 0.5 s,
#: a lock held 20 ms was taken 30 ms after it was free, one held 50 ms 75 ms after:
#: tests/benchmarks/bench_lock_wait.py).
POLL_FIRST_S = 0.005
POLL_GROWTH = 1.25
POLL_MAX_S = 0.25
#: File descriptors of the locks this process holds (a forked worker closes its copies).
_HELD: set[int] = set()


def close_inherited() -> None:
    """In a forked child: close the copies of the parent's lock files, so that a child left
    running after its parent was killed never keeps the index locked."""
    for fd in list(_HELD):
        try:
            os.close(fd)
        except OSError:
            pass
    _HELD.clear()


class IndexLock:
    """An exclusive, process-bound lock; `acquire(timeout)` returns whether it was taken."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._fd: int | None = None

    def acquire(self, timeout: float = 0.0, poll: float = POLL_FIRST_S) -> bool:
        """Take the lock, trying again until `timeout` (seconds) passed. The tries come
        closer at first: a merge swapping its segment in holds it for some milliseconds, and
        the update waiting for it should not sleep on long after it is free."""
        deadline = time.monotonic() + timeout
        while True:
            if self._try():
                return True
            now = time.monotonic()
            if now >= deadline:
                return False
            time.sleep(min(poll, deadline - now))
            poll = min(poll * POLL_GROWTH, POLL_MAX_S)

    def _try(self) -> bool:
        if fcntl is None:  # pragma: no cover
            return self._try_exclusive_file()
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(fd)
            return False
        self._fd = fd
        _HELD.add(fd)
        self.record_holder()
        return True

    def record_holder(self) -> None:
        """Write this process's pid and the time in the lock file (a forked child that takes
        the lock over says so too), for messages only: a full disk must not stop the update."""
        if self._fd is None:
            return
        try:
            os.ftruncate(self._fd, 0)
            os.pwrite(self._fd, f"{os.getpid()} {time.time():.0f}\n".encode(), 0)
        except OSError:
            pass

    def _try_exclusive_file(self) -> bool:  # pragma: no cover - fallback without fcntl
        try:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            if self._stale():
                try:
                    os.unlink(self.path)
                except OSError:
                    pass
            return False
        os.write(fd, f"{os.getpid()} {time.time():.0f}\n".encode())
        self._fd = fd
        return True

    def _stale(self) -> bool:  # pragma: no cover - fallback without fcntl
        try:
            pid_text, started = self.path.read_text().split()[:2]
            if time.time() - float(started) > STALE_SECONDS:
                return True
            os.kill(int(pid_text), 0)
            return False
        except (OSError, ValueError):
            return True

    def holder(self) -> str:
        """'pid N' of the current holder, as recorded in the file, or '' if unknown."""
        try:
            return "pid " + self.path.read_text().split()[0]
        except (OSError, IndexError):
            return ""

    def release(self) -> None:
        if self._fd is None:
            return
        fd, self._fd = self._fd, None
        _HELD.discard(fd)
        if fcntl is None:  # pragma: no cover
            os.close(fd)
            try:
                os.unlink(self.path)
            except OSError:
                pass
            return
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)


# -- the merge lock: one merge at a time (merging.py) ------------------------------------------


class HasMergeLock(Protocol):
    @property
    def merge_lock(self) -> Path: ...


def take_merge_lock(paths: HasMergeLock) -> int | None:
    """The merge lock's file descriptor, locked, or None when a merge holds it (or there is
    no flock, or it cannot be opened)."""
    if fcntl is None:  # pragma: no cover
        return None
    try:
        fd = os.open(paths.merge_lock, os.O_RDWR | os.O_CREAT, 0o600)
    except OSError:
        return None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        os.close(fd)
        return None
    return fd


def merging_now(paths: HasMergeLock) -> bool:
    """A merge (another process) holds the merge lock right now."""
    fd = take_merge_lock(paths)
    if fd is None:
        return paths.merge_lock.exists() and fcntl is not None
    os.close(fd)
    return False
