"""What lists need of the index, read from its side store alone: `StoreReads`.

The date list, the unread counts and `unread` need only the posts table (date, title, path,
category, tally, item ids), not the Whoosh index: opening that (its table of contents, every
file's checksum, the uid column of every unit) costs more than the list itself at ten years
of posts. So these reads open the store read-only, check that it is this version's and these
roots' complete index, and never import Whoosh or the index writer: the reader's first frame
shows the newest posts without waiting for any of it. A damaged Whoosh index is still found,
by the update that follows (and by the first search), and rebuilt as before.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from .model import PostSummary
from .paths import Roots
from .search.layout import FORMAT_VERSION, locate, roots_json
from .search.store import Store

T = TypeVar("T")


class StoreReads:
    """A read-only connection to one index's store, opened on first use and kept (with what
    was read through it) until `drop`."""

    def __init__(self, where: Callable[[], Path], roots_json: str) -> None:
        self._where = where
        """The store's path (may raise OSError: a cache folder inside an archive)."""
        self._roots = roots_json
        self._store: Store | None = None
        self._cache: dict[str, object] = {}
        self._lock = threading.RLock()

    def read(self, action: Callable[[Store], T], default: T, key: str | None = None) -> T:
        """`action(store)` on the current index's store; `default` without a usable one
        (none yet, another version's or other roots', incomplete or unreadable). With `key`,
        the answer is kept until `drop`."""
        with self._lock:
            if key is not None and key in self._cache:
                return self._cache[key]  # type: ignore[return-value]
            for _attempt in range(2):  # a store replaced meanwhile (a rebuild): reopen once
                try:
                    store = self._store or self._open()
                    if store is None:
                        return default
                    self._store = store
                    found = action(store)
                except (sqlite3.Error, OSError, ValueError, TypeError):
                    self.drop()
                    continue
                if key is not None:
                    self._cache[key] = found
                return found
            return default

    def _open(self) -> Store | None:
        path = self._where()
        if not path.is_file():
            return None
        try:
            store = Store(path, read_only=True)
            store.get_meta("format")
        except sqlite3.OperationalError:  # a read-only cache without its shared-memory file
            store = Store(path, frozen=True)
        try:
            usable = (
                store.get_meta("format") == FORMAT_VERSION
                and store.get_meta("roots") == self._roots
                and bool(store.get_meta("files"))
            )
        except BaseException:
            store.close()
            raise
        if not usable:
            store.close()
            return None
        return store

    def drop(self) -> None:
        """Forget the connection and what was read (the index was updated or replaced)."""
        with self._lock:
            self._cache.clear()
            if self._store is not None:
                try:
                    self._store.close()
                except sqlite3.Error:
                    pass
                self._store = None


def stored_listing(
    roots: Roots, cache: Path | None = None, *, newest: int = -1
) -> tuple[list[PostSummary], int]:
    """The indexed posts of `roots`, newest first (only the `newest` first ones when it is
    not -1: the date list's first page), and how many there are in all; ([], 0) without a
    usable index. From the store alone."""
    reads = StoreReads(lambda: locate(roots, cache).store, roots_json(roots))
    try:
        return reads.read(lambda store: (store.summaries(newest), store.post_count()), ([], 0))
    finally:
        reads.drop()
