"""What the reader and the command line ask of the reading state: `Reading`.

The state store (index/state) knows marks and stars by (post path, item id); the index knows
which items each post has. `Reading` joins them: unread posts with their counts, starred
items with their titles, the keys `is:` filters match, marking whole posts, and what is new
since the last launch. Posts the archive does not have keep their entries, unseen.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from .model import PostKey, PostSummary
from .reading_view import ItemKey, ReadingView
from .state.marks import StateKeys
from .state.store import Launch, StateStore


@dataclass(frozen=True)
class UnreadPost:
    """A post with unread items (a line of `unread`)."""

    post: PostSummary
    items: int
    unread: int

    def to_json(self) -> dict[str, Any]:
        return {
            "path": self.post.path,
            "root": self.post.root,
            "date": self.post.date.isoformat(),
            "title": self.post.title,
            "items": self.items,
            "unread": self.unread,
        }


@dataclass(frozen=True)
class StarredItem:
    """A starred item of a post the archive has (a line of `starred`)."""

    post: PostSummary
    item_id: str
    item_title: str
    note: str
    starred_at: str

    def to_json(self) -> dict[str, Any]:
        return {
            "path": self.post.path,
            "root": self.post.root,
            "date": self.post.date.isoformat(),
            "post_title": self.post.title,
            "item_id": self.item_id,
            "item_title": self.item_title,
            "note": self.note,
            "starred_at": self.starred_at,
        }


class Reading:
    """The reading state of an archive: the store, joined with the index's item lists."""

    def __init__(
        self,
        store: StateStore,
        *,
        items: Callable[[], dict[PostKey, list[tuple[str, str]]]],
        posts: Callable[[], list[PostSummary]],
        ids: Callable[[], dict[PostKey, list[str]]],
    ) -> None:
        self.store = store
        self._items = items
        self._posts = posts
        self._ids = ids
        self._synced = False

    def sync(self) -> None:
        """Record the archive's posts once (before the first mark, so that the first run's
        baseline is the archive as it was found)."""
        if not self._synced:
            self.see(self._posts())

    # -- reading ------------------------------------------------------------------------------

    def see(self, posts: Iterable[PostSummary], *, reader: bool = False) -> set[str]:
        """Record the posts now in the archive (`reader`: shown by the reader); returns the
        paths seen for the first time."""
        posts = list(posts)
        if not posts:
            return set()
        self._synced = True
        return self.store.see_posts(((p.path, p.date) for p in posts), reader=reader)

    def view(self, posts: Sequence[PostSummary], launch: Launch | None) -> ReadingView:
        """The reader's snapshot of the state for these (indexed) posts, which it now shows;
        posts first seen after it last showed the archive (`launch`) are new."""
        self.see(posts, reader=True)
        items = {key: tuple(found) for key, found in self._ids().items()}
        new: frozenset[PostKey] = frozenset()
        if launch is not None and launch.previous is not None:
            boundary = launch.shown_until or launch.previous
            first = self.store.first_seen()
            new = frozenset(p.key for p in posts if first.get(p.path, "") > boundary)
        return ReadingView(
            read=self.store.read_state(),
            stars={(s.path, s.item_id): s for s in self.store.stars()},
            items=items,
            new=new,
            previous_launch=launch.previous if launch is not None else None,
            loaded=True,
        )

    def unread(self, posts: list[PostSummary] | None = None) -> list[UnreadPost]:
        """The posts with unread items, newest first."""
        posts = self._posts() if posts is None else posts
        self.see(posts)
        items, state = self._ids(), self.store.read_state()
        result = []
        for post in posts:
            ids = items.get(post.key, [])
            unread = len(state.unread_ids(post.path, ids))
            if unread:
                result.append(UnreadPost(post, len(ids), unread))
        return result

    def starred(self) -> tuple[list[StarredItem], int]:
        """The starred items of posts the archive has, newest star first, and how many stars
        are kept for posts or items it does not have (now)."""
        posts: dict[str, PostSummary] = {}
        for post in self._posts():
            posts.setdefault(post.path, post)
        items = self._items()
        result, missing = [], 0
        for star in self.store.stars():
            found = posts.get(star.path)
            title = None
            if found is not None:
                title = next((t for i, t in items.get(found.key, ()) if i == star.item_id), None)
            if found is None or title is None:
                missing += 1
                continue
            result.append(StarredItem(found, star.item_id, title, star.note, star.starred_at))
        return result, missing

    def state_keys(self) -> StateKeys:
        """What is:unread, is:read and is:starred match, for a search."""
        posts = self._posts()
        self.see(posts)
        state, items = self.store.read_state(), self._ids()
        unread: set[ItemKey] = set()
        read: set[ItemKey] = set()
        unread_posts: set[str] = set()
        read_posts: set[str] = set()
        for post in posts:
            ids = items.get(post.key, [])
            for item_id in ids:
                (read if state.is_read(post.path, item_id) else unread).add((post.path, item_id))
            if any(not state.is_read(post.path, i) for i in ids):
                unread_posts.add(post.path)
            else:
                read_posts.add(post.path)
        starred = frozenset((s.path, s.item_id) for s in self.store.stars())
        return StateKeys(
            items={"unread": frozenset(unread), "read": frozenset(read), "starred": starred},
            posts={"unread": frozenset(unread_posts), "read": frozenset(read_posts)},
        )

    # -- marking ------------------------------------------------------------------------------

    def mark(self, keys: Iterable[ItemKey], read: bool = True) -> int:
        self.sync()
        return self.store.mark(keys, read)

    def star(self, path: str, item_id: str, note: str | None = None) -> None:
        self.sync()
        self.store.star(path, item_id, note)

    def unstar(self, path: str, item_id: str) -> bool:
        return self.store.unstar(path, item_id)

    def mark_posts(
        self, posts: Iterable[PostSummary], read: bool = True, *, until: dt.date | None = None
    ) -> int:
        """Mark every item of the posts (those dated on or before `until`, when given)."""
        self.sync()
        items = self._ids()
        keys = [
            (post.path, item_id)
            for post in posts
            if until is None or post.date <= until
            for item_id in items.get(post.key, ())
        ]
        return self.store.mark(keys, read)
