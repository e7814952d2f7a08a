"""The dialogs the browse screen opens: search, links, the tag and asset pickers.

Functions of the screen (its actions call them), kept apart so tui/screens/browse.py stays
small; they use only what the screen shows and the library it is bound to.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from ...index.filters import Filters, summary_choices
from ...index.model import SearchHit
from ...index.search.query import QueryError
from .link_confirm import confirm_link
from .search import SearchOutcome

if TYPE_CHECKING:
    from ...index.library import Library
    from .browse import BrowseScreen


def open_link(self: BrowseScreen) -> None:
    """`o`: the item's own link (asks first), or the list of the links to choose from."""
    links = self.detail.document.links
    if not links:
        self.notify("This has no links.", timeout=3)
    elif len(links) == 1 or self.detail.border_title == "Item":
        confirm_link(self.app, links[0])  # an item's own link comes first
    else:
        pick_link(self)


def pick_link(self: BrowseScreen) -> None:
    """`l`: every link of what the detail shows, to choose one (asks before opening)."""
    links = self.detail.document.links
    if not links:
        self.notify("This has no links.", timeout=3)
        return

    def chosen(url: str | None) -> None:
        if url:
            confirm_link(self.app, url)

    choices = [(url, f"[{n}]") for n, url in enumerate(links, 1)]
    self.picker.open("Links", choices, chosen, placeholder="type to narrow")


def open_search(self: BrowseScreen) -> None:
    """`/`: the search dialog, within the filters; a chosen result opens in the panes."""
    from .search import SearchScreen

    scope = self.filters.describe()
    screen = SearchScreen(
        search_within(self.library, self.filters),
        query=self.last_query or self.search_query,
        scope=f"within {scope} (x clears)" if scope else "",
        ready=lambda: self.index_state.search_waiting(self.library is not None),
        saved=self.saved_search_store(),
        marks=self.hit_marks,
    )
    screen.watch(self, "index_state", screen.index_changed, init=False)

    def closed(chosen: tuple[SearchHit, str] | None) -> None:
        self.last_query = screen.query_text  # `/` reopens with what was typed last
        self.open_hit(chosen)

    self.app.push_screen(screen, closed)


def search_within(library: Library | None, filters: Filters) -> Callable[[str, int], SearchOutcome]:
    """Search (query, limit; run in a worker thread) within `filters`."""

    def search(query: str, limit: int) -> SearchOutcome:
        if library is None:
            return "The archive is still being opened."
        try:
            return library.search(query, tags=filters.tags, assets=filters.assets, limit=limit)
        except QueryError as exc:
            return f"Cannot search: {exc}"

    return search


def pick_filter(self: BrowseScreen, kind: str) -> None:
    """`t` / `a`: choose a tag or an asset (with counts) to filter the posts by."""

    def chosen(value: str | None) -> None:
        if value:
            self.set_filter(kind, value)

    def counted() -> list[tuple[str, str]]:
        library, posts = self.library, self.listing.posts
        counts = (
            library.filter_choices(kind, posts)
            if library is not None
            else summary_choices(posts, kind)
        )
        return [(name, f"{count:,}") for name, count in counts]

    title = "Filter by tag" if kind == "tag" else "Filter by asset"
    self.picker.open(
        title,
        counted(),
        chosen,
        current=self.filters.get(kind),
        empty=f"no {kind}s yet",
        recount=counted,
    )
