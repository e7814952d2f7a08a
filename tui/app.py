"""The reader: a Textual App over an archive of digest posts.

It opens at once on the posts the index already knows (or a quick scan on the very first
run), brings the index up to date in a child process (`digest-tui index`, read by a worker
thread) with its progress in the header, and watches the roots while it runs, so a new,
changed or removed post shows up within two seconds. Every worker runs on the app
(exit_on_error off), so the one Worker.StateChanged handler below turns any failure into a
notification. The background work itself lives in archive_keeper.py; the library (index/)
is opened in a thread as the app starts.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from textual import events, on
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.reactive import reactive
from textual.screen import Screen
from textual.worker import Worker, WorkerState, get_current_worker

from ..index.filters import FilteredPosts, Filters
from ..index.model import PostKey, PostSummary
from ..index.paths import Config, Roots
from ..index.reading_view import ReadingView
from ..index.sanitize import display_line as clean_line
from ..index.settings import load_settings, remember
from .archive_keeper import FIRST_PAGE_WAIT_S, ArchiveKeeper
from .colors import other_convention
from .lean_redraws import install as make_redraws_lean
from .long_lived import FRAME_GAP_S, TICK_S, FullCollections, keep_out_of_collections
from .market_link import MarketActions, MarketLink
from .messages import (
    ArchiveChanged,
    FiltersRequested,
    IndexFinished,
    IndexProgress,
    IndexState,
    Listing,
    MarksRequested,
    PaletteCommands,
    PostsLoaded,
    StarRequested,
    StateWriteFailed,
)
from .reading_keeper import ReadingKeeper
from .screens.first_frame import FirstFrame
from .whole_characters import install as draw_wide_characters_whole
from .whole_ellipsis import install as keep_ellipses_against_the_text

if TYPE_CHECKING:
    from ..index.library import Library

#: How many of the most used assets, and of the tags, have their filter worked out ahead.
WARM_FILTERS = 16


class DigestApp(MarketActions, App[None]):
    """Three panes over the archive: dates, sections, item; search, filters, live updates.

    The app owns the reader's state as reactives (the listing, the index state, the colour
    convention, the filters and what they let through, the library once open); screens bind
    to them (`data_bind`) and ask for changes with messages (`FiltersRequested`, ...).
    """

    CSS_PATH = "app.tcss"
    TITLE = "digest-tui"
    BINDINGS = [
        Binding("q", "quit", "Quit"),
        Binding("question_mark", "help", "Help"),
        Binding(
            "c",
            "toggle_colors",
            "Colours",
            tooltip="Switch colours (cn: red = up / us: green = up)",
        ),
        Binding("v", "market", "Market", tooltip="The market view: every asset's stance over time"),
    ]

    convention: reactive[str] = reactive("cn", repaint=False)
    index_state: reactive[IndexState] = reactive(IndexState, always_update=True, repaint=False)
    listing: reactive[Listing] = reactive(Listing, always_update=True, repaint=False)
    """Every post, newest first, with the paths the last change touched."""
    library: reactive[Library | None] = reactive(None, repaint=False)
    """The archive's library, once it is open."""
    filters: reactive[Filters] = reactive(Filters, init=False, repaint=False)
    filtered: reactive[FilteredPosts] = reactive(lambda: FilteredPosts(Filters()), repaint=False)
    """Which posts pass `filters` (computed by the library in a worker)."""
    market_alert: reactive[str] = reactive("", repaint=False)
    """The header's marker for flips of watched assets not seen yet ("" when none)."""
    reading: reactive[ReadingView] = reactive(ReadingView, always_update=True, repaint=False)
    """Read marks, stars and what is new (the state database, read in a worker)."""

    def __init__(self, roots: Roots, config: Config, *, watch: bool = True) -> None:
        draw_wide_characters_whole()  # a box over the panes keeps its names whole
        keep_ellipses_against_the_text()  # "金融市场震…", not "金融市场震 …"
        make_redraws_lean()  # strips' caches on first use, widgets' component nodes kept
        super().__init__()
        self.roots = roots
        self.config = config
        self.watching = watch
        self._stale: set[str] = set()
        self._index_again = False
        self.remembered = load_settings()
        """Choices remembered from earlier launches (index.settings): colours, theme."""
        colors = self.remembered.get("colors")
        self.set_reactive(DigestApp.convention, colors if colors in ("cn", "us") else config.colors)
        self._remember_theme = False
        self.set_reactive(
            DigestApp.listing, Listing(roots=tuple(str(root) for root in roots.paths))
        )
        self._early_notices: list[str] = []
        self.keeper = ArchiveKeeper(roots, config, self.post_message, self._library_notice)
        self.market = MarketLink(config, lambda: self.library)
        self.reading_keeper = ReadingKeeper(self._state_failed)
        self.collections = FullCollections()
        self.state_unusable = False
        """True when the state database cannot be used (the reader goes on without it)."""

    @property
    def posts(self) -> tuple[PostSummary, ...]:
        """Every post of the archive, newest first."""
        return self.listing.posts

    def on_mount(self) -> None:
        self.collections.start()  # full collections when idle, never on a key (long_lived)
        self.set_interval(TICK_S, self.collections.tick)
        theme = self.remembered.get("theme")
        if isinstance(theme, str) and theme in self.available_themes:
            self.theme = theme
        elif self.config.theme:
            if self.config.theme in self.available_themes:
                self.theme = self.config.theme
            else:
                self.notify(
                    f"Unknown theme {clean_line(self.config.theme)!r} in the config; "
                    "using the default.",
                    severity="warning",
                    markup=False,
                )
        self._remember_theme = True  # from now on a theme is the reader's choice
        first = self.keeper.first_page(FIRST_PAGE_WAIT_S)  # read while Textual started
        if first is not None:  # the first frame shows the newest posts
            self._show_page(*first)
        from .screens.browse import BrowseScreen

        self.push_screen(
            BrowseScreen(self.roots).data_bind(
                DigestApp.listing,
                DigestApp.index_state,
                DigestApp.convention,
                DigestApp.library,
                DigestApp.filters,
                DigestApp.filtered,
                DigestApp.reading,
            )
        )
        for message in self._early_notices:
            self._library_notice(message)
        self.run_worker(
            self.keeper.open_archive,
            name="opening the archive",
            group="index",
            thread=True,
            exit_on_error=False,
        )

    def _end_batch(self) -> None:
        """(Textual) a batch of updates ended: the screen draws the frame it held back
        (screens/first_frame.py)."""
        super()._end_batch()
        stack = self.screen_stack
        if not self._batch_count and stack and isinstance(stack[-1], FirstFrame):
            stack[-1].frame_after_batch()

    def _library_notice(self, message: str) -> None:
        """(Any thread) something the library wants the reader to know, e.g. a rebuild;
        kept until the app runs when it comes that early (while the index is opened)."""
        if not self.is_running:
            self._early_notices.append(message)
            return
        self.notify(clean_line(message), title="Index", severity="warning", markup=False, timeout=8)

    def start_update(self, *, ending: bool = False) -> None:
        """Run an index update now, or right after the one that is running (`ending`: the
        running one has just sent its IndexFinished, its last act)."""
        if not ending and any(w.group == "index" and w.is_running for w in self.workers):
            self._index_again = True
            return
        self.run_worker(
            self.keeper.update_index,
            name="updating the index",
            group="index",
            thread=True,
            exit_on_error=False,
        )

    # -- messages from the workers and the screens ----------------------------------------
    def on_index_progress(self, message: IndexProgress) -> None:
        searchable = self.index_state.searchable
        self.index_state = IndexState(message.phase, message.done, message.total, "", searchable)

    def on_posts_loaded(self, message: PostsLoaded) -> None:
        if message.total is not None:  # the newest page: on screen first, the rest follows
            if not self.listing.loaded:
                self._show_page(message.posts, message.total)
            self.call_after_refresh(self.keeper.list_shown.set)
            return
        stale, self._stale = frozenset(self._stale), set()
        before = {post.key: post for post in self.listing.posts} if stale else {}
        posts = tuple(message.posts)  # (sorted by the thread that sent them)
        if self.library is None:
            self.library = self.keeper.library
        if self.library is not None and stale:
            self.library.forget_posts(stale)
        if message.searchable and not self.index_state.searchable:
            state = self.index_state
            self.index_state = IndexState(state.phase, state.done, state.total, "", True)
        self.listing = Listing(posts, stale, True, self.listing.roots)
        if stale and before:
            self._tell_changes(before, stale)
        if self.filters:
            self._start_filtering()
        if message.searchable:  # after the list is drawn: first paint never waits for it
            self.call_after_refresh(self._load_reading)
        self.call_after_refresh(self.keeper.list_shown.set)
        self.call_after_refresh(self.start_watching)

    def _show_page(self, posts: list[PostSummary], total: int) -> None:
        """List the newest page of the index's `total` posts (every post follows)."""
        listed = tuple(posts)
        self.listing = Listing(
            listed,
            loaded=True,
            roots=self.listing.roots,
            total=total if total > len(listed) else None,
        )

    def on_index_finished(self, message: IndexFinished) -> None:
        if message.error:
            self.index_state = IndexState(
                "error", message=clean_line(message.error), searchable=self.index_state.searchable
            )
        else:
            self.index_state = IndexState("ready", searchable=True)
            self._market_changed()
        if self._index_again:
            self._index_again = False
            self.start_update(ending=True)
        else:
            self.start_watching()

    def start_watching(self) -> None:
        """Watch the archive (once): from the first list on, so that a post added while the
        first index is built is seen, and indexed by the update after that build."""
        if self.watching and not any(w.group == "watch" for w in self.workers):
            self.run_worker(
                self.keeper.watch(),
                name="watching the archive",
                group="watch",
                exit_on_error=False,
            )

    def on_filters_requested(self, message: FiltersRequested) -> None:
        self.filters = message.filters

    def watch_filters(self) -> None:
        known = self.library.known_filtered(self.filters) if self.library is not None else None
        if not self.filters or known is not None:  # nothing to read: shown with this frame
            self.workers.cancel_group(self, "filter")
            self.filtered = known or FilteredPosts(self.filters)
        else:
            self._start_filtering()

    def _start_filtering(self) -> None:
        """Work out which posts pass the filters, in a worker (the library reads the index)."""
        filters, posts, library = self.filters, self.listing.posts, self.library

        def compute() -> None:
            if library is None:
                return
            result = library.filter_posts(filters, posts)
            result.listed(posts)  # (the list it lets through: worked out here, not on a key)
            if not get_current_worker().is_cancelled:
                self.call_from_thread(self._filtered_computed, result)

        self.run_worker(
            compute,
            name="filtering posts",
            group="filter",
            thread=True,
            exclusive=True,
            exit_on_error=False,
        )

    def _filtered_computed(self, result: FilteredPosts) -> None:
        if result.filters == self.filters:
            self.filtered = result

    def _tell_changes(self, before: dict[PostKey, PostSummary], touched: frozenset[str]) -> None:
        """Notify what the watcher's changes did to the list: new, removed, updated posts."""
        after = {post.key: post for post in self.listing.posts}
        added = [after[k] for k in after.keys() - before.keys()]
        removed = [before[k] for k in before.keys() - after.keys()]
        changed = [after[k] for k in after.keys() & before.keys() if k[1] in touched]
        lines = (
            _describe("New post", added)
            + _describe("Removed", removed)
            + _describe("Updated", changed)
        )
        if lines:
            self.notify("\n".join(lines), title="Archive changed", markup=False, timeout=6)

    @on(Worker.StateChanged)
    def on_worker_failed(self, event: Worker.StateChanged) -> None:
        """The one place where a failed worker becomes a visible notification."""
        if event.state != WorkerState.ERROR:
            return
        error = event.worker.error
        what = event.worker.name or "a background task"
        self.notify(
            f"{what} failed: {clean_line(f'{type(error).__name__}: {error}')}",
            title="Error",
            severity="error",
            markup=False,
            timeout=10,
        )

    def on_archive_changed(self, message: ArchiveChanged) -> None:
        self._stale |= self.keeper.relative_paths(message.paths)
        self.start_update()

    # -- the reading state ----------------------------------------------------------------
    def _load_reading(self) -> None:
        """Read the state for the listed (indexed) posts, in a worker."""
        library, posts = self.library, self.listing.posts
        if library is None:
            return

        def load() -> None:
            from ..index.state.store import StateError

            try:
                view = self.reading_keeper.load(library, posts)
            except (StateError, OSError) as exc:  # the reader goes on, without its memory
                self.call_from_thread(self._state_unusable, str(exc))
                return
            if not get_current_worker().is_cancelled:
                self.call_from_thread(self._reading_loaded, view)

        self.run_worker(
            load,
            name="reading the read marks",
            group="reading",
            thread=True,
            exclusive=True,
            exit_on_error=False,
        )

    def _reading_loaded(self, view: ReadingView) -> None:
        # marks made while it was read stay on top (they are being written, in order)
        self.reading = view.with_overlay(self.reading.overlay)
        self.call_after_refresh(self._warm_filters)

    def _warm_filters(self) -> None:
        """Work out, in a worker, the posts that the assets and tags the pickers list first
        let through, once the list and its marks are in: choosing one then narrows the list
        in the key's own frame (`known_filtered`) instead of after a read of the index (its
        first use at 5,000 posts took 35-90 ms). Kept by the library until the index changes;
        the next listing warms them again."""
        library, posts = self.library, self.listing.posts
        if library is None or not posts:
            return

        def warm() -> None:
            worker = get_current_worker()
            library.warm_filters(posts, WARM_FILTERS, lambda: worker.is_cancelled)
            if not worker.is_cancelled:  # long-lived too: out of the full collections
                self.call_from_thread(keep_out_of_collections)

        self.run_worker(
            warm,
            name="working out the filters",
            group="warm-filters",
            thread=True,
            exclusive=True,
            exit_on_error=False,
        )

    def _state_unusable(self, reason: str) -> None:
        if not self.state_unusable:
            self.state_unusable = True
            self.notify(
                f"Read marks and stars are off: {clean_line(reason)}",
                title="Reading state",
                severity="error",
                markup=False,
                timeout=10,
            )

    def _state_failed(self, message: str) -> None:
        """(Writer thread) a write to the state failed: say so (a message, never a wait on
        the UI thread, which may be quitting)."""
        self.post_message(StateWriteFailed(message))

    def on_state_write_failed(self, message: StateWriteFailed) -> None:
        self.notify(clean_line(message.text), title="Reading state", severity="error", markup=False)

    def on_marks_requested(self, message: MarksRequested) -> None:
        if self.library is None or not message.keys or self.state_unusable:
            return
        self.reading = self.reading.with_marks(message.keys, message.read)
        self.reading_keeper.mark(self.library, message.keys, message.read)

    def on_star_requested(self, message: StarRequested) -> None:
        if self.library is None or self.state_unusable:
            return
        from ..index.state.preferences import now_stamp
        from ..index.state.store import Star

        old = self.reading.stars.get(message.key)
        star = None
        if message.starred:
            stamp = now_stamp()
            note = message.note if message.note is not None else (old.note if old else "")
            star = Star(*message.key, note, old.starred_at if old else stamp, stamp)
        self.reading = self.reading.with_star(message.key, star)
        self.reading_keeper.star(self.library, message.key, message.starred, message.note)

    async def action_quit(self) -> None:
        self.keeper.stop()
        self.exit()

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.InputEvent):
            self.collections.input_came()
        await super().on_event(event)

    def _display(self, screen: Screen[Any], renderable: Any) -> None:
        """(Textual) write a frame; a full collection due while keys come runs just after
        one (tui/long_lived.py), between a key's answer and the next key."""
        super()._display(screen, renderable)
        if renderable is not None and not self._batch_count:
            collect = self.collections.frame_drawn()
            if collect is not None:
                self.set_timer(FRAME_GAP_S, collect)

    def on_unmount(self) -> None:
        self.collections.stop()
        self.keeper.stop()  # however the app ends: no indexing child is left behind
        self.reading_keeper.flush()  # and every mark asked for is written

    # -- actions ---------------------------------------------------------------------------
    def action_toggle_colors(self) -> None:
        self.convention = other_convention(self.convention)
        remember("colors", self.convention)
        meaning = "red = bullish" if self.convention == "cn" else "green = bullish"
        self.notify(f"Colours: {self.convention} ({meaning})", timeout=3)

    def watch_theme(self, theme: str) -> None:
        if getattr(self, "_remember_theme", False):
            remember("theme", theme)

    def action_help(self) -> None:
        from .screens.help import HelpScreen, help_sections

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(help_sections(DigestApp)))

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        if isinstance(screen, PaletteCommands):
            yield from screen.palette_commands()
        yield SystemCommand(
            "Market view",
            "Every asset's stance over time, flips, watchlist (v)",
            self.action_market,
        )
        yield SystemCommand(
            "Switch colour convention",
            "cn: red bullish / us: green bullish (c)",
            self.action_toggle_colors,
        )
        yield SystemCommand(
            "Update the index now", "Look for new and changed posts", self.start_update
        )
        yield SystemCommand("Help", "Every key binding of the reader (?)", self.action_help)
        for command in super().get_system_commands(screen):
            if command.title != "Keys":  # Textual's key panel: `?` (Help) lists them all
                yield command


def _describe(what: str, posts: list[PostSummary]) -> list[str]:
    if not posts:
        return []
    if len(posts) > 3:
        return [f"{what}: {len(posts)} posts"]
    return [f"{what}: {clean_line(p.title) or clean_line(p.path)}" for p in posts]


def run_app(roots: Roots, config: Config) -> None:
    """Open the reader on `roots` (called by the command line when no command is given)."""
    DigestApp(roots, config).run()
