"""The browse screen's reading keys: reading mode (`p`), today's daily (`T`), pane widths.

A mixin of BrowseScreen (kept apart so the screen module stays small). Reading mode shows
the whole post as one document (tui/detail/reading.py); it is on for posts that are not
digests unless the reader turns it off, and `p` switches it for any post. The section tree
is then the table of contents: highlighting an item or a section scrolls to it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from textual.worker import get_current_worker

from ...index.model import Post, PostKey, PostSummary
from ...index.settings import load_settings, remember
from ...index.today import newest_daily
from ..detail.reading import Reading, is_digest, reading_document
from ..pane_widths import SHARE_STEP, clamp_share, pane_widths, share_of

if TYPE_CHECKING:
    from textual.widget import Widget

    from .browse import BrowseScreen


class ReadingKeys:
    """`p`, `T`, `<` and `>` for BrowseScreen, and what reading mode shows in the detail."""

    detail_share: float | None
    """The share of the width the reader gave the detail pane (`<`/`>`), or None."""
    reading_choice: dict[PostKey, bool]
    """The reader's `p` per post (absent: automatic, on for posts that are not digests)."""
    _reading: tuple[Post, Reading] | None

    @property
    def _browse(self) -> BrowseScreen:
        return cast("BrowseScreen", self)

    def init_reading(self) -> None:
        self.reading_choice = {}
        self._reading = None
        share = load_settings().get("detail_share")
        self.detail_share = clamp_share(share) if isinstance(share, (int, float)) else None

    def apply_pane_widths(self, narrow: bool) -> None:
        """Size the three panes for the screen's width (one pane at a time when narrow)."""
        screen = self._browse
        panes: tuple[Widget, ...] = (screen.date_list, screen.section_tree, screen.detail)
        if narrow:
            for pane in panes:
                pane.styles.width = None
            return
        widths = pane_widths(screen.size.width, self.detail_share)
        for pane, width in zip(panes, widths, strict=True):
            pane.styles.width = width

    def action_resize_panes(self, step: int) -> None:
        """`>` gives the detail pane more of the width, `<` gives it to the lists; the
        choice is remembered across launches."""
        screen = self._browse
        if screen.has_class("-narrow"):
            screen.notify("One pane at a time under 100 columns.", timeout=3)
            return
        width = screen.size.width
        current = self.detail_share or share_of(width, pane_widths(width)[2])
        self.detail_share = clamp_share(current + step * SHARE_STEP)
        remember("detail_share", self.detail_share)
        self.apply_pane_widths(narrow=False)

    def reading_on(self, post: Post) -> bool:
        chosen = self.reading_choice.get((post.root, post.path))
        return (not is_digest(post)) if chosen is None else chosen

    def reading_of(self, post: Post) -> Reading:
        if self._reading is None or self._reading[0] is not post:
            self._reading = (post, reading_document(post))
        return self._reading[1]

    def show_reading(self, post: Post, item_id: str | None, section: tuple[str, ...] = ()) -> None:
        """The whole post in the detail pane, scrolled to the item (or section) chosen."""
        screen = self._browse
        reading = self.reading_of(post)
        detail = screen.detail
        if detail.document is not reading.document or detail.search_query != screen.search_query:
            detail.show(reading.document, screen.search_query)
        detail.border_title = "Post · reading (p: items)"
        block = reading.sections.get(section) if section else reading.items.get(item_id or "")
        if block is not None:
            detail.scroll_to_block(block)
        elif item_id is None and not section:
            detail.scroll_to_block(0)

    def action_reading_mode(self) -> None:
        """`p`: the whole post as one document, or back to one item at a time."""
        screen = self._browse
        post = screen.current_post
        if post is None:
            return
        self.reading_choice[(post.root, post.path)] = not self.reading_on(post)
        screen._shown = None  # show it again, the other way
        data = screen.section_tree.current
        screen.show_node(data.item_id if data is not None else None)

    def action_today(self) -> None:
        """`T`: open the newest economy daily that has content (placeholders skipped)."""
        screen = self._browse
        library, posts = screen.library, list(screen.listing.posts)
        if library is None or not posts:
            screen.notify("The archive is still being opened.", timeout=3)
            return

        def load(summary: PostSummary) -> Post | None:
            try:
                return library.load_post(summary.root, summary.path)
            except OSError:
                return None

        def find() -> None:
            found = newest_daily(posts, load)
            if not get_current_worker().is_cancelled:
                screen.app.call_from_thread(self.today_found, found)

        screen.app.run_worker(
            find, name="finding today's daily", group="today", thread=True, exclusive=True
        )

    def today_found(self, found: PostSummary | None) -> None:
        screen = self._browse
        if found is None:
            screen.notify("No economy daily with content in this archive.", timeout=4)
            return
        if not screen.date_list.highlight_key(found.key):
            screen.notify("Today's daily is hidden by the filters (x clears them).", timeout=4)
            return
        screen.open_post(found.key)
