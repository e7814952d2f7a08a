"""The reading state as the reader's lists draw it: `ReadingView`, an immutable snapshot.

Built in a worker from the state store and the index (`Reading.view`), handed to the UI, and
updated there at once when the reader marks or stars something (`with_marks`, `with_star`:
a small overlay over the snapshot, so a key press never waits for the database; the write
happens in a worker). Everything here is plain data, so it is tested without Textual.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace

from .model import PostKey, PostSummary
from .state.marks import ReadState
from .state.store import Star

ItemKey = tuple[str, str]
"""(post path relative to its root, item id)."""


@dataclass(frozen=True)
class ReadingView:
    """Marks, stars and item lists at one moment, plus what is new since the last launch."""

    read: ReadState = field(default_factory=ReadState)
    stars: Mapping[ItemKey, Star] = field(default_factory=dict)
    items: Mapping[PostKey, tuple[str, ...]] = field(default_factory=dict)
    """The item ids of each post (from the index; a post loaded since, from the post)."""
    overlay: Mapping[ItemKey, bool] = field(default_factory=dict)
    """Marks made since the snapshot was read (already being written)."""
    new: frozenset[PostKey] = frozenset()
    """Posts first seen since the reader last showed the archive."""
    previous_launch: str | None = None
    """When the reader last started (UTC ISO), None on its first launch."""
    loaded: bool = False
    """False until the state has been read (nothing is marked before)."""
    touched: frozenset[str] | None = None
    """Paths of the posts the last change (`with_marks`, `with_star`) touched; None: this
    is a fresh snapshot, anything may differ (lists redraw only what was touched)."""
    _unread: dict[PostKey, int] = field(default_factory=dict, init=False, repr=False, compare=False)
    """Unread counts worked out so far (a post's items checked once, not on every count:
    the header counts all posts after each mark); carried over by the changes below for
    the posts they do not touch."""

    # -- items and posts ------------------------------------------------------------------
    def is_read(self, path: str, item_id: str) -> bool:
        mark = self.overlay.get((path, item_id))
        return self.read.is_read(path, item_id) if mark is None else mark

    def is_starred(self, path: str, item_id: str) -> bool:
        return (path, item_id) in self.stars

    def note(self, path: str, item_id: str) -> str:
        star = self.stars.get((path, item_id))
        return star.note if star is not None else ""

    def unread_ids(self, key: PostKey) -> list[str]:
        path = key[1]
        return [i for i in self.items.get(key, ()) if not self.is_read(path, i)]

    def unread_count(self, key: PostKey) -> int | None:
        """How many items of the post are unread; None when its items are not known yet."""
        if not self.loaded or key not in self.items:
            return None
        count = self._unread.get(key)
        if count is None:
            count = self._unread[key] = len(self.unread_ids(key))
        return count

    def starred_count(self, key: PostKey) -> int:
        path = key[1]
        return sum(1 for i in self.items.get(key, ()) if (path, i) in self.stars)

    def unread_posts(self, posts: Iterable[PostSummary]) -> list[PostSummary]:
        return [p for p in posts if self.unread_count(p.key)]

    # -- what the header says ------------------------------------------------------------
    def header_text(self, posts: Sequence[PostSummary], now: dt.datetime | None = None) -> str:
        """ "2 new · 14 items since Mon 08:10" (or how many are unread, on a first run)."""
        if not self.loaded:
            return ""
        unread_posts = self.unread_posts(posts)
        unread_items = sum(self.unread_count(p.key) or 0 for p in unread_posts)
        if self.previous_launch is None:
            posts_word = "post" if len(unread_posts) == 1 else "posts"
            return f"{unread_items} unread in {len(unread_posts)} {posts_word}"
        new = [p for p in posts if p.key in self.new]
        when = _short_time(self.previous_launch, now)
        if not new:
            return f"nothing new since {when} · {unread_items} unread"
        items = sum(len(self.items.get(p.key, ())) for p in new)
        return f"{len(new)} new · {items} items since {when}"

    # -- changes made in the reader ------------------------------------------------------
    def with_marks(self, keys: Iterable[ItemKey], read: bool) -> ReadingView:
        keys = list(keys)
        overlay = dict(self.overlay)
        overlay.update((key, read) for key in keys)
        return self._carried(
            replace(self, overlay=overlay, touched=frozenset(path for path, _ in keys))
        )

    def with_overlay(self, overlay: Mapping[ItemKey, bool]) -> ReadingView:
        """This snapshot with the marks made since it was read on top (`overlay`)."""
        touched = frozenset(path for path, _ in overlay)
        view = replace(self, overlay=overlay)
        view._unread.update((k, n) for k, n in self._unread.items() if k[1] not in touched)
        return view

    def _carried(self, view: ReadingView) -> ReadingView:
        """`view` (a change of this one) with the unread counts of the posts it did not
        touch."""
        touched = view.touched or frozenset()
        view._unread.update((k, n) for k, n in self._unread.items() if k[1] not in touched)
        return view

    def with_star(self, key: ItemKey, star: Star | None) -> ReadingView:
        stars = dict(self.stars)
        if star is None:
            stars.pop(key, None)
        else:
            stars[key] = star
        view = replace(self, stars=stars, touched=frozenset({key[0]}))
        view._unread.update(self._unread)  # a star changes no unread count
        return view

    def with_items(self, key: PostKey, item_ids: Sequence[str]) -> ReadingView:
        """The post's item ids as it was just parsed (may differ from a stale index)."""
        if tuple(item_ids) == self.items.get(key):
            return self
        items = dict(self.items)
        items[key] = tuple(item_ids)
        return self._carried(replace(self, items=items, touched=frozenset({key[1]})))

    def next_unread(
        self, posts: Sequence[PostSummary], current: PostKey | None, item_id: str | None
    ) -> tuple[PostKey, str] | None:
        """The next unread item after (`current`, `item_id`): later in the same post, then
        the first unread item of the following posts (the list's order: newest first),
        wrapping around to the top."""
        keys = [p.key for p in posts]
        start = keys.index(current) if current in keys else 0
        order = keys[start:] + keys[:start]
        for n, key in enumerate(order):
            ids = list(self.items.get(key, ()))
            if n == 0 and key == current and item_id in ids:
                ids = ids[ids.index(item_id) + 1 :]
            for candidate in ids:
                if not self.is_read(key[1], candidate):
                    return key, candidate
        if current in keys and item_id is not None:  # earlier in the current post
            for candidate in self.items.get(current, ()):
                if candidate == item_id:
                    break
                if not self.is_read(current[1], candidate):
                    return current, candidate
        return None


def _short_time(stamp: str, now: dt.datetime | None = None) -> str:
    """A launch time as the header says it, local: "08:10" today, "Mon 08:10" this week,
    else "2026-02-05 08:10"."""
    moment = dt.datetime.fromisoformat(stamp).astimezone()
    now = (now or dt.datetime.now()).astimezone()
    if moment.date() == now.date():
        return moment.strftime("today %H:%M")
    if (now.date() - moment.date()).days < 7:
        return moment.strftime("%a %H:%M")
    return moment.strftime("%Y-%m-%d %H:%M")
