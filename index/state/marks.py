"""Whether an item is read, from a snapshot of the marks: `ReadState`.

`StateKeys` is what a search's is: filters match (the index cannot know the state).

An item is read when its latest mark says so; an item without a mark is read only when its
post predates the first run (a "baseline" post: reading starts at the newest day then).
A post is read when all its items are.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property


@dataclass(frozen=True)
class ReadState:
    """The read marks and baseline posts at one moment (cheap to query, safe to share)."""

    marks: dict[tuple[str, str], bool] = field(default_factory=dict)
    """(post path, item id) -> read, for every item ever marked."""
    baseline: frozenset[str] = frozenset()
    """Paths of posts whose unmarked items count as read."""

    def is_read(self, path: str, item_id: str) -> bool:
        mark = self.marks.get((path, item_id))
        return path in self.baseline if mark is None else mark

    @cached_property
    def _marked_paths(self) -> frozenset[str]:
        """The posts with at least one marked item (the others are read or unread whole)."""
        return frozenset(path for path, _item_id in self.marks)

    def unread_ids(self, path: str, item_ids: Iterable[str]) -> list[str]:
        """The ids among `item_ids` (of the post at `path`) that are unread, in order."""
        if path not in self._marked_paths:  # no mark: the baseline decides for every item
            return [] if path in self.baseline else list(item_ids)
        return [item_id for item_id in item_ids if not self.is_read(path, item_id)]

    def unread_keys(self, posts: Iterable[tuple[str, Iterable[str]]]) -> set[tuple[str, str]]:
        """(path, item id) of every unread item of `posts` ((path, item ids) pairs)."""
        return {(path, item_id) for path, ids in posts for item_id in self.unread_ids(path, ids)}


@dataclass(frozen=True)
class StateKeys:
    """What `is:X` filters match, from the reading state (which lives outside the index):
    per value, the (post path, item id) of the items, and the paths of the posts whose
    header unit matches too (is:unread: a post with an unread item; is:read: a post read
    whole; is:starred: none)."""

    items: dict[str, frozenset[tuple[str, str]]]
    posts: dict[str, frozenset[str]]
