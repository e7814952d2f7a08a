#!/usr/bin/env python3
"""How long an update waits for the writers' lock after its holder let go of it.

    .venv/bin/python tests/benchmarks/bench_lock_wait.py [--rounds 10]

An update that finds the index locked (a merge swapping its segment in, say: merging.py's
`commit_merge`) waits in `IndexLock.acquire`. Here a thread holds the lock (an flock on a
file of its own open, as another process's would be) for a while; the main thread finds it
held, as `Library.update` does with `acquire(0)`, then waits with `acquire(timeout)`. The
figure is the time from the holder's release to the waiter's return: time the waiter
spends asleep with the lock free (the median and the maximum over the rounds), for holds of
several lengths. Wall clock, sleep-bound: a busy machine adds its scheduling delay.

Not part of the test run; prints a table.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import threading
import time
from pathlib import Path

from digest_tui.index.search.locking import IndexLock

HOLDS_MS = (5, 20, 50, 100, 200)


def overshoot(path: Path, hold_s: float) -> float:
    """Seconds between the holder's release and the waiter's taking the lock."""
    taken = threading.Event()
    released: list[float] = []

    def hold() -> None:
        lock = IndexLock(path)
        assert lock.acquire(0)
        taken.set()
        time.sleep(hold_s)
        released.append(time.monotonic())
        lock.release()

    holder = threading.Thread(target=hold)
    holder.start()
    taken.wait()
    waiter = IndexLock(path)
    assert not waiter.acquire(0)
    assert waiter.acquire(10.0)
    got = time.monotonic()
    waiter.release()
    holder.join()
    return got - released[0]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=10)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-lock-") as folder:
        path = Path(folder) / "index.lock"
        print(f"{'lock held':>10} | {'waited after release: median':>29} | {'max':>8}")
        for hold_ms in HOLDS_MS:
            waits = [overshoot(path, hold_ms / 1000) * 1000 for _ in range(args.rounds)]
            print(f"{hold_ms:>7} ms | {statistics.median(waits):>26.1f} ms | {max(waits):>5.1f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
