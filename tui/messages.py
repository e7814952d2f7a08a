"""App-level state and messages: what the app hands down, and what is sent up to it.

The app keeps `IndexState` and `Listing` in reactives that screens bind to. Workers run in
threads and only ever talk to the UI through messages (post_message is thread-safe); progress
messages can replace each other, so a flood of them collapses. Screens ask the app for changes
with messages too (`FiltersRequested`), and offer palette commands through `PaletteCommands`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from operator import attrgetter
from typing import Protocol, runtime_checkable

from textual.app import SystemCommand
from textual.message import Message

from ..index.filters import Filters
from ..index.model import PostSummary

#: The date list's order, reversed: by date, then path.
_NEWEST_FIRST = attrgetter("date", "path")


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

    def search_waiting(self, library_open: bool) -> str | None:
        """None when search can run; otherwise why not yet."""
        if library_open and self.searchable:
            return None
        progress = f" ({self.done:,}/{self.total:,} posts)" if self.total else ""
        return f"The search index is not ready yet{progress}; results will appear when it is."


@dataclass(frozen=True)
class Listing:
    """Every post of the archive, newest first, as the app last read them."""

    posts: tuple[PostSummary, ...] = ()
    changed: frozenset[str] = frozenset()
    """Paths (relative to their roots) that the change behind this listing touched."""
    loaded: bool = False
    """False until the first list arrives."""
    roots: tuple[str, ...] = ()
    total: int | None = None
    """How many posts there are when `posts` is only the newest page (shown first, the
    rest follows at once); None when `posts` is every post."""

    @property
    def count(self) -> int:
        """How many posts the archive has."""
        return len(self.posts) if self.total is None else self.total

    def empty_message(self, state: IndexState) -> str:
        """What the date list says when there is no post to show."""
        if state.phase == "error" and not self.loaded:
            return f"Could not open the archive: {state.message}"
        if not self.loaded:
            return "Loading the archive…"
        return f"No posts found in {', '.join(self.roots)}. Every *.md file below it is a post."


class PostsLoaded(Message):
    """A fresh list of every post (from the index, a quick scan, or after a change); or,
    with `total`, of the newest page of the index's `total` posts, the rest to follow."""

    def __init__(
        self, posts: list[PostSummary], *, searchable: bool, total: int | None = None
    ) -> None:
        super().__init__()
        # newest first, sorted here, by the worker that sends them: at 50,000 posts the sort
        # took a tenth of a second of the UI thread
        self.posts = sorted(posts, key=_NEWEST_FIRST, reverse=True)
        self.searchable = searchable
        self.total = total if total is not None and total > len(posts) else None


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

    def __init__(self, *, error: str | None = None) -> None:
        super().__init__()
        self.error = error


class ArchiveChanged(Message):
    """The watcher saw files change below a root (already debounced)."""

    def __init__(self, paths: list[str]) -> None:
        super().__init__()
        self.paths = paths


class FiltersRequested(Message):
    """A screen asks for these filters (the app owns them and works out what passes)."""

    def __init__(self, filters: Filters) -> None:
        super().__init__()
        self.filters = filters


@runtime_checkable
class PaletteCommands(Protocol):
    """A screen that offers commands of its own in the command palette."""

    def palette_commands(self) -> Iterable[SystemCommand]: ...


class MarksRequested(Message):
    """A screen asks for items marked read (or unread): (post path, item id) pairs."""

    def __init__(self, keys: list[tuple[str, str]], read: bool) -> None:
        super().__init__()
        self.keys = keys
        self.read = read


class StarRequested(Message):
    """A screen asks for an item starred with `note` (None keeps the note), or unstarred."""

    def __init__(self, key: tuple[str, str], starred: bool, note: str | None = None) -> None:
        super().__init__()
        self.key = key
        self.starred = starred
        self.note = note


class StateWriteFailed(Message):
    """(From the state's writer thread) a mark or star could not be written."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text
