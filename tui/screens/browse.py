"""The reader's main screen: header, date list | section tree | item detail, footer.

Attributes down, messages up: the screen's reactives are bound to the app's (the listing,
index state, colour convention, library, filters and what they let through) and its watchers
redraw; a filter change is asked of the app with `FiltersRequested`. Moving through the date
list never waits on disk: the post is loaded by the library in an exclusive worker (a newer
highlight cancels the older load) and shown when ready; the library caches parsed posts.
Under 100 columns only the focused pane is shown, full width (tab, enter and escape move
between them), so nothing is ever cut off.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult, SystemCommand
from textual.containers import Horizontal
from textual.reactive import Reactive, reactive
from textual.widget import Widget
from textual.widgets import Footer, OptionList, Tree
from textual.worker import get_current_worker

from ...index.filters import FilteredPosts, Filters
from ...index.model import Post, PostKey, SearchHit
from ...index.paths import Roots
from ..detail.documents import item_document, leading_asset, message_document, post_document
from ..detail.item_view import ItemView
from ..long_lived import keep_out_of_collections
from ..messages import FiltersRequested, IndexState, Listing
from ..widgets.date_list import DateList
from ..widgets.filter_chips import FilterChips
from ..widgets.footer import ReaderFooter
from ..widgets.header import DigestHeader
from ..widgets.section_tree import NodeData, SectionTree
from .browse_keys import BROWSE_BINDINGS, browse_commands
from .browse_picker import PickerHost
from .browse_reading import ReadingKeys
from .first_frame import FirstFrame
from .reading_screen import ReadingScreen

if TYPE_CHECKING:
    from ...index.library import Library

NARROW_WIDTH = 100
#: How long new filters wait for the posts they let through before their chips show alone.
FILTER_CHIPS_WAIT_S = 0.2


class BrowseScreen(FirstFrame, PickerHost, ReadingKeys, ReadingScreen):
    """Three panes over the archive; filters and search highlights live here (the reading
    state's keys in ReadingScreen, reading mode and pane widths in ReadingKeys, the launch's
    one first frame in FirstFrame)."""

    BINDINGS = BROWSE_BINDINGS

    listing: reactive[Listing] = reactive(Listing, always_update=True, init=False, repaint=False)
    index_state: reactive[IndexState] = reactive(
        IndexState, always_update=True, init=False, repaint=False
    )
    convention: reactive[str] = reactive("cn", init=False, repaint=False)
    library: reactive[Library | None] = reactive(None, init=False, repaint=False)
    filters: reactive[Filters] = reactive(Filters, init=False, repaint=False)
    filtered: reactive[FilteredPosts] = reactive(
        lambda: FilteredPosts(Filters()), init=False, repaint=False
    )
    focused: Reactive[Widget | None] = Reactive(None, repaint=False)
    """Textual's, but a focus move does not repaint the whole screen (tab, the picker): the
    panes whose look follows the focus redraw themselves."""

    def __init__(self, roots: Roots) -> None:
        super().__init__(id="browse")
        self.roots = roots
        self.current_key: PostKey | None = None
        self.current_post: Post | None = None
        self.pending_item: tuple[PostKey, str | None] | None = None
        self.search_query = ""
        self.last_query = ""
        self.init_reading()
        """What was typed in the search last (opened or not): `/` starts from it."""
        self._shown_post: Post | None = None
        self._shown: tuple[str | None, str, str, str | None] | None = None
        """What the detail shows of _shown_post: (item id, search query, convention, the
        asset filtered by)."""
        self.back_to: Callable[[], object] | None = None
        """What escape does first when another screen sent the reader here (market view)."""

    # -- layout --------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        yield DigestHeader(self.roots, id="header")
        self._panes = (
            DateList(id="dates", classes="pane -active"),
            SectionTree(id="sections", classes="pane"),
            ItemView(id="detail", classes="pane"),
        )
        with Horizontal(id="panes"):
            yield from self._panes
        yield ReaderFooter()

    # the panes, kept: every key asks for them (a DOM query each time was a tab's cost)
    @property
    def date_list(self) -> DateList:
        return self._panes[0]

    @property
    def section_tree(self) -> SectionTree:
        return self._panes[1]

    @property
    def detail(self) -> ItemView:
        return self._panes[2]

    @property
    def panes(self) -> list[Widget]:
        return list(self._panes)

    def on_mount(self) -> None:
        self.date_list.border_title = "Posts"
        self.section_tree.border_title = "Sections"
        self.detail.border_title = "Detail"
        self.date_list.focus()
        self.date_list.when_chosen = lambda: self.activate(self.section_tree)
        self.section_tree.when_item_chosen = lambda: self.activate(self.detail)
        self.refresh_list()
        self.watch_index_state()
        self.after_first_frame(self.build_picker)  # t, a, l: a box over the panes

    # -- what the app hands down -----------------------------------------------------------
    def watch_listing(self, listing: Listing) -> None:
        if not self.is_mounted:
            return
        key = self.current_key
        if key is not None and key[1] in listing.changed:  # the post shown was changed
            self.current_post = None
            self.current_key = None
            self.open_post(key)
        self.refresh_list()
        keep_out_of_collections()  # the posts (and their rows) live until the next listing

    def watch_filtered(self) -> None:
        if not self.is_mounted:
            return
        if self.filtered.filters == self.filters:
            self._show_filters()
        # else: an answer to other filters, or to these before `filters` reached the screen
        # (the app sets both at once): drawn when both agree, once

    def watch_filters(self, filters: Filters) -> None:
        if not self.is_mounted:
            return
        if self.filtered.filters == filters:  # cleared: nothing to wait for
            self._show_filters()
        else:  # shown with the posts they let through (watch_filtered), or alone if that is slow
            self.set_timer(FILTER_CHIPS_WAIT_S, self._show_pending_chips)

    def _show_filters(self) -> None:
        """The chips, the posts they let through and the post's impacts (that asset first),
        drawn as one frame (the chip line is always there: chips never move the panes)."""
        with self.app.batch_update():
            self._show_chips()
            self.refresh_list()
            data = self.section_tree.current  # the post's impacts by asset: that asset first
            if data is not None and data.kind == "post":
                self.show_node(None)

    def _show_chips(self) -> None:
        self.query_one(DigestHeader).set_filters({**self.filters.as_dict(), **self.reading_chips()})

    def _show_pending_chips(self) -> None:
        if self.is_mounted and self.filtered.filters != self.filters:
            self._show_chips()

    def _filter_chips(self) -> dict[str, str]:
        return self.filters.as_dict()

    def watch_convention(self) -> None:
        """Redraw everything coloured by stance (after `c` switched the convention)."""
        if not self.is_mounted:
            return
        self.refresh_list()
        self.section_tree.relabel(self.convention)
        data = self.section_tree.current
        if data is not None and data.kind != "section":
            self.show_node(data.item_id)

    def watch_index_state(self) -> None:
        state = self.index_state
        for header in self.query(DigestHeader):  # none while the screen is being closed
            header.set_status(
                state.describe(),
                error=state.phase == "error",
                busy=state.phase in ("starting", "scanning", "checking", "indexing"),
            )
        if not self.listing.loaded and self.is_mounted:
            self.refresh_list()
        if state.phase == "ready":
            self.recount_picker()  # `t` or `a` opened while the index was built

    def on_resize(self) -> None:
        narrow = self.size.width < NARROW_WIDTH
        self.set_class(narrow, "-narrow")
        self.apply_pane_widths(narrow)
        footer = self.query_one(Footer)
        footer.compact = narrow
        footer.show_command_palette = self.size.width >= 80  # else it covers "c Colours"
        # one pane at a time: say how to get to the others
        self.date_list.border_subtitle = "enter sections · tab next pane" if narrow else ""
        self.section_tree.border_subtitle = "enter item · esc back" if narrow else ""
        self.place_picker()

    def on_descendant_focus(self) -> None:
        self.picker_gives_way()
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
        focused = self.focused
        narrow = self.has_class("-narrow")
        for other in self.panes:
            # a pane the focus comes to or leaves is styled again for that (its Focus or
            # Blur): its class waits for it, unless the class shows or hides it (narrow)
            refocused = pane is not focused and other in (pane, focused)
            other.set_class(other is pane, "-active", update=narrow or not refocused)
        # at once, not after the messages queued (as `focus()` does): the keys typed next are
        # bound by where the focus is when each is handled
        self.set_focus(pane)

    def _update_focus_styles(
        self, focused: Widget | None = None, blurred: Widget | None = None
    ) -> None:
        """(Textual) style the widgets the focus came to and left: not the panes, which are
        styled when their own Focus or Blur comes (`has_focus`, which their `:focus` rules
        follow). Textual styled each pane both times, with all its component classes: a
        tab's most costly part, and most of its garbage."""
        panes = self._panes
        super()._update_focus_styles(
            None if focused in panes else focused, None if blurred in panes else blurred
        )

    def action_next_pane(self) -> None:
        if not self.picker_took_tab():
            self._step_pane(1)

    def action_previous_pane(self) -> None:
        if not self.picker_took_tab():
            self._step_pane(-1)

    def _step_pane(self, step: int) -> None:
        panes = self.panes
        current = next((i for i, p in enumerate(panes) if p.has_class("-active")), 0)
        self.activate(panes[(current + step) % len(panes)])

    # -- the date list -------------------------------------------------------------------
    def refresh_list(self) -> None:
        """Show the app's posts through the active filters, keeping the highlighted one."""
        filtered = self.filtered if self.filtered.filters == self.filters else None
        narrowed = filtered is not None and filtered.keys is not None
        every = self.listing.posts
        if filtered is not None and filtered.keys is not None:
            posts = list(filtered.listed(every))  # (mostly worked out ahead, in a worker)
        else:  # nothing narrows the list: no test per post (50,000 of them)
            posts = list(every)
        posts = self.only_unread(posts)
        narrowed = narrowed or self.unread_only
        keep = self.date_list.highlighted_key or self.current_key
        stances = filtered.stances if filtered is not None else None
        self.date_list.show_posts(posts, self.convention, stances, keep)
        total = self.listing.count
        count = f"{len(posts):,} of {total:,}" if narrowed else f"{total:,}"
        self.date_list.border_title = f"Posts {count}"
        if not posts:
            self.section_tree.show_post(None, self.convention)
            message = (
                "No post matches the filters (x clears them)."
                if narrowed and total
                else self.listing.empty_message(self.index_state)
            )
            self.current_post = None
            self.current_key = None
            self._shown_post = None
            self.detail.show(message_document(message))

    @on(OptionList.OptionHighlighted, "#dates")
    def on_post_highlighted(self) -> None:
        key = self.date_list.highlighted_key
        if key is not None:
            self.open_post(key)

    @on(OptionList.OptionSelected, "#dates")
    def on_post_chosen(self) -> None:
        self.activate(self.section_tree)

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
        library = self.library
        cached = library.cached_post(key) if library is not None else None
        if cached is not None:
            self.show_post(cached)
            return
        self.section_tree.show_loading()
        if library is None:
            return  # shown once the library is open (watch_library)

        def load() -> None:
            post = library.load_post(*key)
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

    def watch_library(self, library: Library | None) -> None:
        self.recount_picker()
        key = self.current_key
        if library is not None and key is not None and self.current_post is None:
            self.current_key = None
            self.open_post(key)

    def post_loaded(self, key: PostKey, post: Post) -> None:
        if key == self.current_key:
            self.show_post(post)

    def show_post(self, post: Post) -> None:
        """Show a (freshly loaded) post: its tree, and its header or the item asked for."""
        key = (post.root, post.path)
        reading = (
            self.section_tree.current
            if self.section_tree.post is not None
            and (self.section_tree.post.root, self.section_tree.post.path) == key
            else None
        )
        self.current_post = post
        self.current_key = key
        item_id = reading.item_id if reading is not None else None  # a reload keeps the place
        if self.pending_item is not None and self.pending_item[0] == key:
            item_id = self.pending_item[1]
            self.pending_item = None
        if self.section_tree.post is not post or self.section_tree.awaiting_post:
            self.section_tree.show_post(post, self.convention)
        if item_id is not None and self.section_tree.select_item(item_id):
            self.show_node(item_id)
        elif self._shown_post is not post:
            self.show_node(None)

    # -- the section tree and the detail -------------------------------------------------
    @on(Tree.NodeHighlighted, "#sections")
    def on_node_highlighted(self, event: Tree.NodeHighlighted[NodeData]) -> None:
        data = event.node.data
        post = self.current_post
        if data is not None and data.kind == "section" and post and self.reading_on(post):
            self.show_reading(post, None, data.section)  # the tree is the table of contents
        elif data is not None and data.kind != "section":
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
        item = next((i for i in post.items if i.id == item_id), None)
        if item_id is not None and item is None:
            return
        # (the asset filter's asset, for a post's header only if it changes what is shown:
        # a filter set or cleared redraws no detail that stays the same)
        asset = self.filters.get("asset")
        first = leading_asset(post, asset) if item is None and not self.reading_on(post) else asset
        wanted = (item_id, self.search_query, self.convention, first)
        if post is self._shown_post and wanted == self._shown:
            return
        self._shown_post, self._shown = post, wanted
        if self.reading_on(post):
            self.show_reading(post, item_id)
        elif item is None:
            document = post_document(post, self.convention, first_asset=first)
            self.detail.show(document, self.search_query)
            self.detail.border_title = "Post"
        else:
            self.detail.show(item_document(post, item, self.convention), self.search_query)
            self.detail.border_title = "Item"
            self.item_shown(post, item)

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
        data = self.section_tree.current
        current = ids.index(data.item_id) if data and data.item_id in ids else -1
        target = ids[max(0, min(len(ids) - 1, current + step))] if current >= 0 else ids[0]
        self.section_tree.select_item(target)

    # -- links ---------------------------------------------------------------------------
    @on(ItemView.LinkChosen)
    def on_link_chosen(self, event: ItemView.LinkChosen) -> None:
        from .link_confirm import confirm_link  # (the dialogs: imported when first opened)

        confirm_link(self.app, event.url)

    def action_open_link(self) -> None:
        from .browse_dialogs import open_link

        open_link(self)

    async def action_links(self) -> None:
        from .browse_dialogs import pick_link

        await self.ready_picker()
        pick_link(self)

    # -- search --------------------------------------------------------------------------
    def action_search(self) -> None:
        from .browse_dialogs import open_search

        open_search(self)

    def open_hit(self, chosen: tuple[SearchHit, str] | None) -> None:
        """Go to a search result: its post, its item, with the query's words highlighted."""
        if chosen is None:
            return
        hit, query = chosen
        self.search_query = query
        self.open_item((hit.root, hit.path), hit.item_id)

    def open_item(
        self, key: PostKey, item_id: str | None, back_to: Callable[[], object] | None = None
    ) -> None:
        """Go to an item (None: the post's header) of post `key`, in the detail pane; escape
        then calls `back_to` first when given (the market view, to come back to it)."""
        self.back_to = back_to
        self.pending_item = (key, item_id)
        self.date_list.highlight_key(key)
        self.open_post(key)
        self.activate(self.detail)

    def action_back(self) -> None:
        """One rule at every width: go back where another screen sent the reader from, else
        clear the search highlights, else back a pane, else (in the date list) clear the
        filters."""
        if self.back_to is not None:
            back, self.back_to = self.back_to, None
            back()
        elif self.search_query:
            self.search_query = ""
            self.detail.set_query("")
        elif not self.date_list.has_class("-active"):
            self._step_pane(-1)
        elif self.filters:
            self.set_filter(None, None)

    # -- filters -------------------------------------------------------------------------
    async def action_filter(self, kind: str) -> None:
        from .browse_dialogs import pick_filter

        await self.ready_picker()
        pick_filter(self, kind)

    def action_clear_filters(self) -> None:
        self.set_filter(None, None)

    @on(FilterChips.Cleared)
    def on_chip_cleared(self, event: FilterChips.Cleared) -> None:
        if event.kind == "unread":
            self.unread_only = False
        else:
            self.set_filter(event.kind, None)

    def set_filter(self, kind: str | None, value: str | None) -> None:
        """Ask for the filter of `kind` set (value) or cleared (None); kind None clears all."""
        self.post_message(FiltersRequested(self.filters.with_value(kind, value)))

    # -- the command palette -------------------------------------------------------------
    def palette_commands(self) -> Iterable[SystemCommand]:
        """The screen's own commands in the command palette (ctrl+p)."""
        return browse_commands(self)
