"""What the reader does with its memory, as the main screen's keys: read marks, unread-only,
next unread, stars and notes, the Starred view, the editor and the clipboard.

`ReadingScreen` is the base of BrowseScreen (which provides the panes and `open_item`). The
reading state comes down as the `reading` reactive (bound to the app's); marks and stars go
up as messages, so a key press never waits for the database: the app shows the change at
once and writes it in the background.
"""

from __future__ import annotations

import os
import shlex
import subprocess
from pathlib import Path
from typing import TYPE_CHECKING

from textual.app import SuspendNotSupported
from textual.reactive import reactive
from textual.screen import Screen
from textual.timer import Timer

from ...index.item_text import item_line, item_markdown
from ...index.model import Item, Post, PostKey, PostSummary, SearchHit
from ...index.reading_view import ReadingView
from ...index.sanitize import clean_line
from ...index.state.store import StateError
from ..detail.item_view import ItemView
from ..messages import MarksRequested, StarRequested
from ..widgets.date_list import DateList
from ..widgets.header import DigestHeader
from ..widgets.section_tree import SectionTree

if TYPE_CHECKING:
    from ...index.library import Library
    from ..messages import Listing
    from .saved_searches import SavedSearchStore

#: How long after a change the header's counts are worked out again (they cover every post).
HEADER_DELAY_S = 0.25


class ReadingScreen(Screen[None]):
    """The reading-state actions of the main screen (see the module docstring; their keys are
    in browse_keys.py, after the browse keys, so the footer shows those first)."""

    reading: reactive[ReadingView] = reactive(
        ReadingView, always_update=True, init=False, repaint=False
    )
    unread_only: reactive[bool] = reactive(False, init=False, repaint=False)

    # provided by BrowseScreen
    current_post: Post | None
    current_key: PostKey | None
    library: Library | None
    listing: Listing

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.unread_keys: frozenset[PostKey] = frozenset()
        """The posts unread-only shows: unread when it was turned on, or since arrived."""
        self._header_timer: Timer | None = None

    def open_item(self, key: PostKey, item_id: str | None) -> None:
        raise NotImplementedError

    def refresh_list(self) -> None:
        raise NotImplementedError

    # -- what the lists show ---------------------------------------------------------------
    def watch_reading(self, reading: ReadingView) -> None:
        if not self.is_mounted:
            return
        self.query_one(DateList).set_reading(reading)
        self.query_one(SectionTree).set_reading(reading)
        if reading.touched is None and self.unread_only:  # a fresh snapshot: arrivals too
            self.unread_keys |= self._unread_now()
            self.refresh_list()
        if reading.touched is None:  # a fresh snapshot: say so at once
            if self._header_timer is not None:
                self._header_timer.stop()
            self._show_reading_header()
        elif self._header_timer is None:  # a mark: the counts can wait a moment
            self._header_timer = self.set_timer(HEADER_DELAY_S, self._show_reading_header)

    @property
    def counts_pending(self) -> bool:
        """Whether the header's counts are about to be worked out again (after a mark)."""
        return self._header_timer is not None

    def _show_reading_header(self) -> None:
        self._header_timer = None
        for header in self.query(DigestHeader):
            header.set_reading(self.reading.header_text(self.listing.posts))

    def _unread_now(self) -> frozenset[PostKey]:
        return frozenset(p.key for p in self.reading.unread_posts(self.listing.posts))

    def only_unread(self, posts: list[PostSummary]) -> list[PostSummary]:
        """The posts the list shows under unread-only (all of them when it is off)."""
        if not self.unread_only:
            return posts
        return [p for p in posts if p.key in self.unread_keys]

    def reading_chips(self) -> dict[str, str]:
        return {"unread": "only"} if self.unread_only else {}

    def watch_unread_only(self) -> None:
        self.unread_keys = self._unread_now() if self.unread_only else frozenset()
        self.refresh_list()
        self.query_one(DigestHeader).set_filters({**self._filter_chips(), **self.reading_chips()})

    def _filter_chips(self) -> dict[str, str]:
        return {}

    # -- marks -------------------------------------------------------------------------------
    def _current_item(self) -> Item | None:
        post, data = self.current_post, self.query_one(SectionTree).current
        if post is None or data is None or data.kind != "item":
            return None
        return next((i for i in post.items if i.id == data.item_id), None)

    def item_shown(self, post: Post, item: Item) -> None:
        """The reader opened an item: it is read now."""
        if not self.reading.is_read(post.path, item.id):
            self.post_message(MarksRequested([(post.path, item.id)], True))

    def action_toggle_read(self) -> None:
        post = self.current_post
        if post is None:
            self.notify("No post is selected.", timeout=3)
            return
        item = self._current_item()
        reading = self.reading
        if item is not None and not self.query_one(DateList).has_focus:
            read = not reading.is_read(post.path, item.id)
            self.post_message(MarksRequested([(post.path, item.id)], read))
            self.notify(
                f"Marked {'read' if read else 'unread'}: {clean_line(item.title)}", timeout=2
            )
            return
        unread = [i.id for i in post.items if not reading.is_read(post.path, i.id)]
        read = bool(unread)
        ids = unread if read else [i.id for i in post.items]
        self.post_message(MarksRequested([(post.path, i) for i in ids], read))
        what = "read" if read else "unread"
        self.notify(f"Marked the post {what} ({len(ids)} items).", timeout=2)

    def action_mark_all_read(self) -> None:
        posts = self.query_one(DateList).posts
        keys = [(p.path, i) for p in posts for i in self.reading.unread_ids(p.key)]
        if not keys:
            self.notify("Nothing unread in this list.", timeout=3)
            return
        from .confirm import Confirm

        count = len({path for path, _ in keys})

        def answered(yes: bool | None) -> None:
            if yes:
                self.post_message(MarksRequested(keys, True))
                self.notify(f"Marked {len(keys)} items in {count} posts read.", timeout=3)

        question = f"Mark {len(keys)} unread items in {count} posts read?"
        self.app.push_screen(Confirm("Mark all read", question), answered)

    def action_unread_only(self) -> None:
        self.unread_only = not self.unread_only

    def action_next_unread(self) -> None:
        detail = self.query_one(ItemView)
        if detail.has_focus and detail.scroll_y < detail.max_scroll_y:
            detail.action_page_down()  # the rest of the item first (as in mutt or newsboat)
            return
        item = self._current_item()
        found = self.reading.next_unread(
            self.query_one(DateList).posts, self.current_key, item.id if item else None
        )
        if found is None:
            self.notify("No unread item left in this list.", timeout=3)
            return
        self.open_item(*found)

    # -- stars and notes ---------------------------------------------------------------------
    def _item_or_say(self, what: str) -> tuple[Post, Item] | None:
        post, item = self.current_post, self._current_item()
        if post is None or item is None:
            self.notify(f"Choose an item first ({what}).", timeout=3)
            return None
        return post, item

    def action_star(self) -> None:
        chosen = self._item_or_say("s stars the item")
        if chosen is None:
            return
        post, item = chosen
        starred = not self.reading.is_starred(post.path, item.id)
        self.post_message(StarRequested((post.path, item.id), starred))
        self.notify(f"{'Starred' if starred else 'Unstarred'}: {clean_line(item.title)}", timeout=2)

    def action_note(self) -> None:
        chosen = self._item_or_say("e edits its note")
        if chosen is None:
            return
        post, item = chosen
        from .text_prompt import TextPrompt

        def noted(note: str | None) -> None:
            if note is not None:
                self.post_message(StarRequested((post.path, item.id), True, note))

        hint = clean_line(item.title)
        self.app.push_screen(
            TextPrompt("Note", self.reading.note(post.path, item.id), hint=hint), noted
        )

    def action_starred(self) -> None:
        library = self.library
        if library is None:
            self.notify("The archive is still being opened.", timeout=3)
            return
        from .starred import StarredScreen

        def chosen(found: tuple[PostKey, str] | None) -> None:
            if found is not None:
                self.open_item(*found)

        self.app.push_screen(StarredScreen(lambda: library.reading.starred()), chosen)

    # -- search --------------------------------------------------------------------------
    def saved_search_store(self) -> SavedSearchStore | None:
        """Where the search screen keeps saved searches (None: the state cannot be used)."""
        library = self.library
        if library is None:
            return None
        try:
            return library.reading.store
        except (StateError, OSError):
            return None

    def hit_marks(self, hit: SearchHit) -> tuple[bool, bool]:
        """(unread, starred) of a search result."""
        reading = self.reading
        if not reading.loaded:
            return (False, False)
        if hit.item_id is None:
            return (bool(reading.unread_count((hit.root, hit.path))), False)
        return (
            not reading.is_read(hit.path, hit.item_id),
            reading.is_starred(hit.path, hit.item_id),
        )

    # -- the editor and the clipboard --------------------------------------------------------
    def action_edit_post(self) -> None:
        post = self.current_post
        if post is None:
            self.notify("No post is selected.", timeout=3)
            return
        editor = os.environ.get("VISUAL") or os.environ.get("EDITOR")
        if not editor:
            self.notify("Set $VISUAL or $EDITOR to open posts in your editor.", timeout=4)
            return
        item = self._current_item()
        line = item_line(post, item) if item is not None else 1
        argv = [*shlex.split(editor), f"+{line}", str(Path(post.root) / post.path)]
        try:
            with self.app.suspend():
                status = _run_editor(argv)
        except SuspendNotSupported:  # no terminal to hand over (tests): run it as it is
            status = _run_editor(argv)
        if status != 0:
            self.notify(f"The editor ended with status {status}.", severity="warning", timeout=4)

    def action_copy_item(self) -> None:
        chosen = self._item_or_say("y copies the item")
        if chosen is None:
            return
        post, item = chosen
        self.app.copy_to_clipboard(item_markdown(post, item))
        self.notify(f"Copied as markdown: {clean_line(item.title)}", timeout=2)


def _run_editor(argv: list[str]) -> int:
    try:
        return subprocess.run(argv, check=False).returncode
    except OSError as exc:
        return exc.errno or 1
