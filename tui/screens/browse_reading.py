"""The browse screen's reading keys: reading mode (`p`), today's daily (`T`), pane widths.

A mixin of BrowseScreen (kept apart so the screen module stays small). Reading mode shows
the whole post as one document (tui/detail/reading.py); it is on for posts that are not
digests unless the reader turns it off, and `p` switches it for any post. The section tree
is then the table of contents: highlighting an item or a section scrolls to it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.worker import get_current_worker

from ...index.model import Post, PostKey, PostSummary
from ...index.settings import load_settings, remember
from ...index.today import newest_daily
from ..detail.reading import Reading, is_digest, reading_document
from ..pane_widths import SHARE_STEP, clamp_share, pane_widths, share_of

if TYPE_CHECKING:
    from .browse import BrowseScreen


class ReadingKeys:
    """`p` and `T` for BrowseScreen, and what reading mode shows in the detail pane."""

    detail_share: float | None
    reading_choice: dict[PostKey, bool]
    """The reader's `p` per post (absent: automatic, on for posts that are not digests)."""
    _reading: tuple[Post, Reading] | None

    def init_reading(self) -> None:
        self.reading_choice = {}
        self._reading = None
        share = load_settings().get("detail_share")
        self.detail_share = clamp_share(share) if isinstance(share, (int, float)) else None
        """The share of the width the reader gave the detail pane (`<`/`>`), or None."""

    def apply_pane_widths(self: BrowseScreen, narrow: bool) -> None:
        """Size the three panes for the screen's width (one pane at a time when narrow)."""
        panes = (self.date_list, self.section_tree, self.detail)
        if narrow:
            for pane in panes:
                pane.styles.width = None
            return
        widths = pane_widths(self.size.width, self.detail_share)
        for pane, width in zip(panes, widths, strict=True):
            pane.styles.width = width

    def action_resize_panes(self: BrowseScreen, step: int) -> None:
        """`>` gives the detail pane more of the width, `<` gives it to the lists; the
        choice is remembered across launches."""
        if self.has_class("-narrow"):
            self.notify("One pane at a time under 100 columns.", timeout=3)
            return
        width = self.size.width
        current = self.detail_share or share_of(width, pane_widths(width)[2])
        self.detail_share = clamp_share(current + step * SHARE_STEP)
        remember("detail_share", self.detail_share)
        self.apply_pane_widths(narrow=False)

    def reading_on(self: BrowseScreen, post: Post) -> bool:
        chosen = self.reading_choice.get((post.root, post.path))
        return (not is_digest(post)) if chosen is None else chosen

    def reading_of(self: BrowseScreen, post: Post) -> Reading:
        if self._reading is None or self._reading[0] is not post:
            self._reading = (post, reading_document(post))
        return self._reading[1]

    def show_reading(
        self: BrowseScreen, post: Post, item_id: str | None, section: tuple[str, ...] = ()
    ) -> None:
        """The whole post in the detail pane, scrolled to the item (or section) chosen."""
        reading = self.reading_of(post)
        if self.detail.document is not reading.document or self.detail.search_query != (
            self.search_query
        ):
            self.detail.show(reading.document, self.search_query)
        self.detail.border_title = "Post · reading (p: items)"
        block = reading.sections.get(section) if section else reading.items.get(item_id or "")
        if block is not None:
            self.detail.scroll_to_block(block)
        elif item_id is None and not section:
            self.detail.scroll_to_block(0)

    def action_reading_mode(self: BrowseScreen) -> None:
        """`p`: the whole post as one document, or back to one item at a time."""
        post = self.current_post
        if post is None:
            return
        self.reading_choice[(post.root, post.path)] = not self.reading_on(post)
        self._shown = None  # show it again, the other way
        data = self.section_tree.current
        self.show_node(data.item_id if data is not None else None)

    def action_today(self: BrowseScreen) -> None:
        """`T`: open the newest economy daily that has content (placeholders skipped)."""
        library, posts = self.library, list(self.listing.posts)
        if library is None or not posts:
            self.notify("The archive is still being opened.", timeout=3)
            return

        def load(summary: PostSummary) -> Post | None:
            try:
                return library.load_post(summary.root, summary.path)
            except OSError:
                return None

        def find() -> None:
            found = newest_daily(posts, load)
            if not get_current_worker().is_cancelled:
                self.app.call_from_thread(self.today_found, found)

        self.app.run_worker(
            find, name="finding today's daily", group="today", thread=True, exclusive=True
        )

    def today_found(self: BrowseScreen, found: PostSummary | None) -> None:
        if found is None:
            self.notify("No economy daily with content in this archive.", timeout=4)
            return
        if not self.date_list.highlight_key(found.key):
            self.notify("Today's daily is hidden by the filters (x clears them).", timeout=4)
            return
        self.open_post(found.key)
