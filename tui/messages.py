"""App-level messages: what the background workers tell the reader.

Workers run in threads and only ever talk to the UI through these (post_message is
thread-safe). Progress messages can replace each other, so a flood of them collapses.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message

from ..index.model import PostSummary


@dataclass(frozen=True)
class IndexState:
    """Where the search index stands, as the header shows it."""

    phase: str = "starting"
    """"starting", "scanning", "checking", "indexing", "ready" or "error"."""
    done: int = 0
    total: int = 0
    message: str = ""
    searchable: bool = False
    """True once an index exists (even while an update runs); search needs it."""

    def describe(self) -> str:
        if self.phase == "indexing":
            if self.total:
                return f"indexing {self.done:,}/{self.total:,}"
            return "indexing…"
        if self.phase == "ready":
            return "index ready"
        if self.phase == "error":
            return f"index error: {self.message}" if self.message else "index error"
        if self.phase == "scanning":
            return "scanning archive…"
        if self.phase == "checking":
            return "checking for changes…"
        return "starting…"


class PostsLoaded(Message):
    """A fresh list of every post (from the index, a quick scan, or after a change)."""

    def __init__(self, posts: list[PostSummary], *, searchable: bool) -> None:
        super().__init__()
        self.posts = posts
        self.searchable = searchable


class IndexProgress(Message):
    """Indexing has done `done` of `total` posts; a newer one replaces an unhandled older."""

    def __init__(self, done: int, total: int, path: str = "", *, phase: str = "indexing") -> None:
        super().__init__()
        self.done = done
        self.total = total
        self.path = path
        self.phase = phase

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, IndexProgress)


class IndexFinished(Message):
    """An index update ended; `error` says why it failed, in one line."""

    def __init__(self, *, error: str | None = None, changed: bool = True) -> None:
        super().__init__()
        self.error = error
        self.changed = changed


class ArchiveChanged(Message):
    """The watcher saw files change below a root (already debounced)."""

    def __init__(self, paths: list[str]) -> None:
        super().__init__()
        self.paths = paths
