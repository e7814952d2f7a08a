"""The writers' lock (index/search/locking.py): a writer that finds it held waits for it up to
its timeout, takes it once its holder lets go, and gives up when the time is out."""

from __future__ import annotations

import threading
from pathlib import Path

from digest_tui.index.search.locking import IndexLock


def test_a_waiting_writer_takes_the_lock_once_its_holder_lets_go(tmp_path: Path) -> None:
    path = tmp_path / "index.lock"
    holder = IndexLock(path)
    assert holder.acquire(0)
    waiter = IndexLock(path)
    assert not waiter.acquire(0)
    assert not waiter.acquire(0.05)  # still held when its time is out: it gives up
    letting_go = threading.Timer(0.05, holder.release)
    letting_go.start()
    try:
        assert waiter.acquire(30)
        assert not IndexLock(path).acquire(0)  # and now it holds it
    finally:
        letting_go.join()
        waiter.release()
    assert IndexLock(path).acquire(0)
