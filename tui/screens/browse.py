"""The reader's main screen: header, date list | section tree | item detail, footer.

Moving through the date list never waits on disk: the post is loaded in an exclusive worker
(a newer highlight cancels the older load) and shown when ready; loaded posts are cached by
the app. Under 100 columns only the focused pane is shown, full width (tab, enter and escape
move between them), so nothing is ever cut off.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.content import Content
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Footer, OptionList, Tree
from textual.worker import get_current_worker

from ...index.model import Post, SearchHit
from ...index.sanitize import display_line as clean_line
from ..detail.document import Document
from ..detail.documents import item_document, post_document
from ..detail.item_view import ItemView
from ..widgets.date_list import DateList, PostKey
from ..widgets.filter_chips import FilterChips
from ..widgets.header import DigestHeader
from ..widgets.section_tree import NodeData, SectionTree

if TYPE_CHECKING:
    from ..app import DigestApp

NARROW_WIDTH = 100


class BrowseScreen(Screen[None]):
    """Three panes over the archive; filters and search highlights live here."""

    BINDINGS = [
        Binding("slash", "search", "Search", tooltip="Search every post (results as you type)"),
        Binding("t", "filter('tag')", "Tag", tooltip="Filter the posts by a tag"),
        Binding(
            "a", "filter('asset')", "Asset", tooltip="Filter by asset; each date shows its stance"
        ),
        Binding("x", "clear_filters", "Clear", tooltip="Clear the filters"),
        Binding(
            "escape",
            "back",
            "Back / clear",
            show=False,
            tooltip="Clear highlights / back a pane / clear filters",
        ),
        Binding("tab", "next_pane", "Next pane", show=False, priority=True),
        Binding("shift+tab", "previous_pane", "Previous pane", show=False, priority=True),
        Binding(
            "n",
            "match(1)",
            "Next match",
            show=False,
            tooltip="Next match of the search in the detail",
        ),
        Binding(
            "N",
            "match(-1)",
            "Previous match",
            show=False,
            tooltip="Previous match of the search in the detail",
        ),
        Binding(
            "right_square_bracket",
            "step_item(1)",
            "Next item",
            show=False,
            tooltip="Next item of the post",
        ),
        Binding(
            "left_square_bracket",
            "step_item(-1)",
            "Previous item",
            show=False,
            tooltip="Previous item of the post",
        ),
        Binding(
            "o", "open_link", "Open link", show=False, tooltip="Open the item's link (asks first)"
        ),
        Binding("l", "links", "Links", show=False, tooltip="Every link of the item, to choose"),
    ]

    app: DigestApp

    def __init__(self) -> None:
        super().__init__(id="browse")
        self.current_key: PostKey | None = None
        self.current_post: Post | None = None
        self.pending_item: tuple[PostKey, str | None] | None = None
        self.search_query = ""
        self.filters: dict[str, str] = {}
        self.filter_keys: set[PostKey] | None = None
        self.asset_stances: dict[PostKey, str] | None = None
        self._shown_post: Post | None = None
        self._shown: tuple[str | None, str, str] | None = None
        """What the detail shows of _shown_post: (item id, search query, convention)."""

    # -- layout --------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        yield DigestHeader(self.app.roots, id="header")
        with Horizontal(id="panes"):
            yield DateList(id="dates", classes="pane -active")
            yield SectionTree(id="sections", classes="pane")
            yield ItemView(id="detail", classes="pane")
        yield Footer()

    @property
    def date_list(self) -> DateList:
        return self.query_one(DateList)

    @property
    def tree(self) -> SectionTree:
        return self.query_one(SectionTree)

    @property
    def detail(self) -> ItemView:
        return self.query_one(ItemView)

    @property
    def panes(self) -> list[Widget]:
        return [self.date_list, self.tree, self.detail]

    def on_mount(self) -> None:
        self.date_list.border_title = "Posts"
        self.tree.border_title = "Sections"
        self.detail.border_title = "Detail"
        self.date_list.focus()
        self.refresh_list()
        self.show_index_state()

    def on_resize(self) -> None:
        narrow = self.size.width < NARROW_WIDTH
        self.set_class(narrow, "-narrow")
        self.query_one(Footer).compact = narrow
        # one pane at a time: say how to get to the others
        self.date_list.border_subtitle = "enter sections · tab next pane" if narrow else ""
        self.tree.border_subtitle = "enter item · esc back" if narrow else ""

    def on_descendant_focus(self) -> None:
        focused = self.focused
        holder = next(
            (
                p
                for p in self.panes
                if focused is not None and (focused is p or p in focused.ancestors)
            ),
            None,
        )
        if holder is not None:  # the pane with the focus is the one shown when narrow
            for pane in self.panes:
                pane.set_class(pane is holder, "-active")

    def activate(self, pane: Widget) -> None:
        for other in self.panes:
            other.set_class(other is pane, "-active")
        pane.focus()

    def action_next_pane(self) -> None:
        self._step_pane(1)

    def action_previous_pane(self) -> None:
        self._step_pane(-1)

    def _step_pane(self, step: int) -> None:
        panes = self.panes
        current = next((i for i, p in enumerate(panes) if p.has_class("-active")), 0)
        self.activate(panes[(current + step) % len(panes)])

    # -- the date list -------------------------------------------------------------------
    def refresh_list(self) -> None:
        """Show the app's posts through the active filters, keeping the highlighted one."""
        posts = self.app.posts
        if self.filter_keys is not None:
            posts = [p for p in posts if p.key in self.filter_keys]
        keep = self.date_list.highlighted_key or self.current_key
        self.date_list.show_posts(posts, self.app.convention, self.asset_stances, keep)
        total = len(self.app.posts)
        count = f"{len(posts):,} of {total:,}" if self.filter_keys is not None else f"{total:,}"
        self.date_list.border_title = f"Posts {count}"
        if not posts:
            self.tree.show_post(None, self.app.convention)
            message = (
                "No post matches the filters (x clears them)."
                if self.filter_keys is not None and total
                else self.app.empty_message()
            )
            self.current_post = None
            self.current_key = None
            self._shown_post = None
            self.detail.show(_message_document(message))

    @on(OptionList.OptionHighlighted, "#dates")
    def on_post_highlighted(self) -> None:
        key = self.date_list.highlighted_key
        if key is not None:
            self.open_post(key)

    @on(OptionList.OptionSelected, "#dates")
    def on_post_chosen(self) -> None:
        self.activate(self.tree)

    def open_post(self, key: PostKey) -> None:
        """Show post `key` (from the cache at once, else once a worker has loaded it)."""
        post = self.current_post
        if post is not None and key == (post.root, post.path):
            if key != self.current_key:  # back to it while another post was loading
                self.current_key = key
                self.app.workers.cancel_group(self.app, "load-post")
            self.show_post(post)
            return
        if key == self.current_key:
            return  # already loading
        self.current_key = key
        cached = self.app.cached_post(key)
        if cached is not None:
            self.show_post(cached)
            return
        self.tree.show_loading()

        def load() -> None:
            post = self.app.library_load_post(key)
            if not get_current_worker().is_cancelled:
                self.app.call_from_thread(self.post_loaded, key, post)

        self.app.run_worker(
            load,
            name="loading a post",
            group="load-post",
            thread=True,
            exclusive=True,
            exit_on_error=False,
        )

    def post_loaded(self, key: PostKey, post: Post) -> None:
        self.app.remember_post(post)
        if key == self.current_key:
            self.show_post(post)

    def show_post(self, post: Post) -> None:
        """Show a (freshly loaded) post: its tree, and its header or the item asked for."""
        key = (post.root, post.path)
        reading = (
            self.tree.current
            if self.tree.post is not None and (self.tree.post.root, self.tree.post.path) == key
            else None
        )
        self.current_post = post
        self.current_key = key
        item_id = reading.item_id if reading is not None else None  # a reload keeps the place
        if self.pending_item is not None and self.pending_item[0] == key:
            item_id = self.pending_item[1]
            self.pending_item = None
        if self.tree.post is not post or self.tree.loading:
            self.tree.show_post(post, self.app.convention)
        if item_id is not None and self.tree.select_item(item_id):
            self.show_node(item_id)
        elif self._shown_post is not post:
            self.show_node(None)

    # -- the section tree and the detail -------------------------------------------------
    @on(Tree.NodeHighlighted, "#sections")
    def on_node_highlighted(self, event: Tree.NodeHighlighted[NodeData]) -> None:
        data = event.node.data
        if data is not None and data.kind != "section":
            self.show_node(data.item_id)

    @on(Tree.NodeSelected, "#sections")
    def on_node_chosen(self, event: Tree.NodeSelected[NodeData]) -> None:
        if event.node.data is not None and event.node.data.kind != "section":
            self.activate(self.detail)

    def show_node(self, item_id: str | None) -> None:
        """Show item `item_id` of the current post (None: the post's header) in the detail,
        unless exactly that is shown already (same post, colours and search)."""
        post = self.current_post
        if post is None:
            return
        wanted = (item_id, self.search_query, self.app.convention)
        if post is self._shown_post and wanted == self._shown:
            return
        item = next((i for i in post.items if i.id == item_id), None)
        if item_id is not None and item is None:
            return
        self._shown_post, self._shown = post, wanted
        if item is None:
            self.detail.show(post_document(post, self.app.convention), self.search_query)
            self.detail.border_title = "Post"
        else:
            self.detail.show(item_document(post, item, self.app.convention), self.search_query)
            self.detail.border_title = "Item"

    def rerender(self) -> None:
        """Redraw everything coloured by stance (after `c` switched the convention)."""
        self.refresh_list()
        self.tree.relabel(self.app.convention)
        data = self.tree.current
        if data is not None and data.kind != "section":
            self.show_node(data.item_id)

    def action_match(self, step: int) -> None:
        if step > 0:
            self.detail.action_next_match()
        else:
            self.detail.action_previous_match()

    def action_step_item(self, step: int) -> None:
        post = self.current_post
        if post is None or not post.items:
            return
        ids = [item.id for item in post.items]
        data = self.tree.current
        current = ids.index(data.item_id) if data and data.item_id in ids else -1
        target = ids[max(0, min(len(ids) - 1, current + step))] if current >= 0 else ids[0]
        self.tree.select_item(target)

    # -- links ---------------------------------------------------------------------------
    @on(ItemView.LinkChosen)
    def on_link_chosen(self, event: ItemView.LinkChosen) -> None:
        self.app.confirm_link(event.url)

    def action_open_link(self) -> None:
        links = self.detail.document.links
        if not links:
            self.notify("This has no links.", timeout=3)
        elif len(links) == 1 or self.detail.border_title == "Item":
            self.app.confirm_link(links[0])  # an item's own link comes first
        else:
            self.action_links()

    def action_links(self) -> None:
        links = self.detail.document.links
        if not links:
            self.notify("This has no links.", timeout=3)
            return
        from .pickers import Picker

        def chosen(url: str | None) -> None:
            if url:
                self.app.confirm_link(url)

        choices = [(url, f"[{n}]") for n, url in enumerate(links, 1)]
        self.app.push_screen(Picker("Links", choices, placeholder="type to narrow"), chosen)

    # -- search --------------------------------------------------------------------------
    def action_search(self) -> None:
        from .search import SearchScreen

        scope = ", ".join(f"{k}: {v}" for k, v in self.filters.items())
        self.app.push_screen(
            SearchScreen(
                self.app.run_search_for(dict(self.filters)),
                query=self.search_query,
                scope=f"within {scope} (x clears)" if scope else "",
                ready=self.app.search_waiting_message,
            ),
            self.open_hit,
        )

    def open_hit(self, chosen: tuple[SearchHit, str] | None) -> None:
        """Go to a search result: its post, its item, with the query's words highlighted."""
        if chosen is None:
            return
        hit, query = chosen
        self.search_query = query
        key = (hit.root, hit.path)
        self.pending_item = (key, hit.item_id)
        self.date_list.highlight_key(key)
        self.open_post(key)
        self.activate(self.detail)

    def action_back(self) -> None:
        if self.search_query:
            self.search_query = ""
            self.detail.set_query("")
        elif self.has_class("-narrow") and not self.date_list.has_class("-active"):
            self._step_pane(-1)
        elif self.filters:
            self.set_filter(None, None)

    # -- filters -------------------------------------------------------------------------
    def action_filter(self, kind: str) -> None:
        from .pickers import Picker

        def chosen(value: str | None) -> None:
            if value:
                self.set_filter(kind, value)

        choices = [(name, f"{count:,}") for name, count in self.app.filter_choices(kind)]
        title = "Filter by tag" if kind == "tag" else "Filter by asset"
        self.app.push_screen(
            Picker(title, choices, current=self.filters.get(kind), empty=f"no {kind}s yet"), chosen
        )

    def action_clear_filters(self) -> None:
        self.set_filter(None, None)

    @on(FilterChips.Cleared)
    def on_chip_cleared(self, event: FilterChips.Cleared) -> None:
        self.set_filter(event.kind, None)

    def set_filter(self, kind: str | None, value: str | None) -> None:
        """Set (value) or clear (None) the filter of `kind`; kind None clears them all."""
        if kind is None:
            self.filters = {}
        elif value is None:
            self.filters.pop(kind, None)
        else:
            self.filters[kind] = value
        self.query_one(DigestHeader).set_filters(self.filters)
        self.apply_filters()

    def apply_filters(self) -> None:
        """Narrow the date list to the filters (computed in a worker by the library)."""
        if not self.filters:
            self.filter_keys = None
            self.asset_stances = None
            self.refresh_list()
            return
        filters = dict(self.filters)

        def compute() -> None:
            keys, stances = self.app.filtered_posts(filters)
            if not get_current_worker().is_cancelled:
                self.app.call_from_thread(self.filters_computed, filters, keys, stances)

        self.app.run_worker(
            compute,
            name="filtering posts",
            group="filter",
            thread=True,
            exclusive=True,
            exit_on_error=False,
        )

    def filters_computed(
        self, filters: dict[str, str], keys: set[PostKey], stances: dict[PostKey, str] | None
    ) -> None:
        if filters != self.filters:
            return
        self.filter_keys = keys
        self.asset_stances = stances
        self.refresh_list()

    # -- index status --------------------------------------------------------------------
    def show_index_state(self) -> None:
        state = self.app.index_state
        for header in self.query(DigestHeader):  # none while the screen is being closed
            header.set_status(
                state.describe(),
                error=state.phase == "error",
                busy=state.phase in ("starting", "scanning", "checking", "indexing"),
            )


def _message_document(message: str) -> Document:
    from ..detail.document import Block

    return Document((Block(Content.styled(clean_line(message), "dim")),), key=("message",))
