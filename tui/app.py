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

from collections import OrderedDict
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from textual import on
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.reactive import reactive
from textual.screen import Screen
from textual.worker import Worker, WorkerState

from ..index.model import Post, PostSummary
from ..index.paths import Config, Roots
from ..index.sanitize import display_line as clean_line
from .archive_keeper import ArchiveKeeper
from .colors import other_convention
from .messages import ArchiveChanged, IndexFinished, IndexProgress, IndexState, PostsLoaded
from .widgets.date_list import combined_stance

if TYPE_CHECKING:
    from ..index.library import Library
    from .screens.browse import BrowseScreen

PostKey = tuple[str, str]
POST_CACHE_SIZE = 64


class DigestApp(App[None]):
    """Three panes over the archive: dates, sections, item; search, filters, live updates."""

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
    ]

    convention: reactive[str] = reactive("cn")
    index_state: reactive[IndexState] = reactive(IndexState, always_update=True)

    def __init__(self, roots: Roots, config: Config, *, watch: bool = True) -> None:
        super().__init__()
        self.roots = roots
        self.config = config
        self.watching = watch
        self.posts: list[PostSummary] = []
        self.loaded_once = False
        self._post_cache: OrderedDict[PostKey, Post] = OrderedDict()
        self._stale: set[str] = set()
        self._index_again = False
        self.set_reactive(DigestApp.convention, config.colors)
        self._early_notices: list[str] = []
        self.keeper = ArchiveKeeper(roots, config, self.post_message, self._library_notice)

    @property
    def library(self) -> Library | None:
        """The archive's library, once it is open (None before)."""
        return self.keeper.library

    def on_mount(self) -> None:
        if self.config.theme:
            if self.config.theme in self.available_themes:
                self.theme = self.config.theme
            else:
                self.notify(
                    f"Unknown theme {clean_line(self.config.theme)!r} in the config; "
                    "using the default.",
                    severity="warning",
                    markup=False,
                )
        from .screens.browse import BrowseScreen

        self.push_screen(BrowseScreen())
        for message in self._early_notices:
            self._library_notice(message)
        self.run_worker(
            self.keeper.open_archive,
            name="opening the archive",
            group="index",
            thread=True,
            exit_on_error=False,
        )

    @property
    def browse(self) -> BrowseScreen | None:
        """The main screen, or None while it is not there to show anything (not mounted
        yet, or the app is shutting down: a worker's message may still come then)."""
        from .screens.browse import BrowseScreen

        if not self.is_running:
            return None
        for screen in self.screen_stack:
            if isinstance(screen, BrowseScreen):
                return screen if screen.is_mounted and screen.is_attached else None
        return None

    def _library_notice(self, message: str) -> None:
        """(Any thread) something the library wants the reader to know, e.g. a rebuild;
        kept until the app runs when it comes that early (while the index is opened)."""
        if not self.is_running:
            self._early_notices.append(message)
            return
        self.notify(clean_line(message), title="Index", severity="warning", markup=False, timeout=8)

    def start_update(self) -> None:
        """Run an index update now, or right after the one that is running."""
        if any(w.group == "index" and w.is_running for w in self.workers):
            self._index_again = True
            return
        self.run_worker(
            self.keeper.update_index,
            name="updating the index",
            group="index",
            thread=True,
            exit_on_error=False,
        )

    # -- messages from the workers -------------------------------------------------------
    def on_index_progress(self, message: IndexProgress) -> None:
        searchable = self.index_state.searchable
        self.index_state = IndexState(message.phase, message.done, message.total, "", searchable)

    def on_posts_loaded(self, message: PostsLoaded) -> None:
        before = {post.key: post for post in self.posts}
        self.posts = sorted(message.posts, key=lambda p: (p.date, p.path), reverse=True)
        if self._stale and before:
            self._tell_changes(before, self._stale)
        self.loaded_once = True
        if message.searchable and not self.index_state.searchable:
            state = self.index_state
            self.index_state = IndexState(state.phase, state.done, state.total, "", True)
            self._search_ready()
        if (browse := self.browse) is not None:
            stale = self._stale
            self._stale = set()
            listed = {post.key for post in self.posts}
            for key in [k for k in self._post_cache if k[1] in stale or k not in listed]:
                self._post_cache.pop(key, None)
            if browse.current_key is not None and browse.current_key[1] in stale:
                browse.current_post = None
                key = browse.current_key
                browse.current_key = None
                browse.open_post(key)
            if browse.filters:
                browse.apply_filters()
            else:
                browse.refresh_list()
        self.call_after_refresh(self.keeper.list_shown.set)

    def on_index_finished(self, message: IndexFinished) -> None:
        if message.error:
            self.index_state = IndexState(
                "error", message=clean_line(message.error), searchable=self.index_state.searchable
            )
            if not self.loaded_once and (browse := self.browse) is not None:
                browse.refresh_list()
        else:
            self.index_state = IndexState("ready", searchable=True)
            self._search_ready()
        if self._index_again:
            self._index_again = False
            self.start_update()
        elif self.watching and not any(w.group == "watch" for w in self.workers):
            self.run_worker(
                self.keeper.watch, name="watching the archive", group="watch", exit_on_error=False
            )

    def watch_index_state(self) -> None:
        if (browse := self.browse) is not None:
            browse.show_index_state()

    def _search_ready(self) -> None:
        from .screens.search import SearchScreen

        if isinstance(self.screen, SearchScreen):
            self.screen.index_became_ready()

    def _tell_changes(self, before: dict[PostKey, PostSummary], touched: set[str]) -> None:
        """Notify what the watcher's changes did to the list: new, removed, updated posts."""
        after = {post.key: post for post in self.posts}
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

    async def action_quit(self) -> None:
        self.keeper.stop()
        self.exit()

    def on_unmount(self) -> None:
        self.keeper.stop()  # however the app ends: no indexing child is left behind

    # -- what screens ask of the app -----------------------------------------------------
    def cached_post(self, key: PostKey) -> Post | None:
        post = self._post_cache.get(key)
        if post is not None:
            self._post_cache.move_to_end(key)
        return post

    def remember_post(self, post: Post) -> None:
        self._post_cache[(post.root, post.path)] = post
        while len(self._post_cache) > POST_CACHE_SIZE:
            self._post_cache.popitem(last=False)

    def library_load_post(self, key: PostKey) -> Post:
        """(Worker thread) parse one post."""
        if self.library is None:
            raise RuntimeError("the archive is still being opened")
        return self.library.load_post(*key)

    def empty_message(self) -> str:
        if self.index_state.phase == "error" and not self.loaded_once:
            return f"Could not open the archive: {self.index_state.message}"
        if not self.loaded_once:
            return "Loading the archive…"
        roots = ", ".join(str(root) for root in self.roots.paths)
        return f"No posts found in {roots}. Every *.md file below it is a post."

    def search_waiting_message(self) -> str | None:
        """None when search can run; otherwise why not yet."""
        state = self.index_state
        if self.library is not None and state.searchable:
            return None
        progress = f" ({state.done:,}/{state.total:,} posts)" if state.total else ""
        return f"The search index is not ready yet{progress}; results will appear when it is."

    def run_search_for(self, filters: dict[str, str]) -> Callable[[str, int], Any]:
        """A search function (query, limit; run in a worker thread) bound to the active
        filters."""

        def search(query: str, limit: int) -> Any:
            from ..index.search.query import QueryError

            assert self.library is not None
            tags = (filters["tag"],) if "tag" in filters else ()
            assets = (filters["asset"],) if "asset" in filters else ()
            try:
                return self.library.search(query, tags=tags, assets=assets, limit=limit)
            except QueryError as exc:
                return f"Cannot search: {exc}"

        return search

    def filter_choices(self, kind: str) -> list[tuple[str, int]]:
        """Tags or assets with their counts, most frequent first (from the index if ready)."""
        if self.library is not None and self.index_state.searchable:
            return self.library.tags() if kind == "tag" else self.library.assets()
        counts: dict[str, int] = {}
        for post in self.posts:
            names: Iterable[str] = (
                post.tags + ((post.category,) if post.category else ())
                if kind == "tag"
                else post.assets
            )
            for name in set(names):
                counts[name] = counts.get(name, 0) + 1
        return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))

    def filtered_posts(
        self, filters: dict[str, str]
    ) -> tuple[set[PostKey], dict[PostKey, str] | None]:
        """(Worker thread) the posts passing the filters, and the asset's stance per post."""
        library = self.library
        tags = (filters["tag"],) if "tag" in filters else ()
        assets = (filters["asset"],) if "asset" in filters else ()
        if library is None or not self.index_state.searchable:  # before the first index
            keys = {
                p.key
                for p in self.posts
                if all(t in p.tags or t == p.category for t in tags)
                and all(a in p.assets for a in assets)
            }
            return keys, ({} if assets else None)
        keys = set(library.posts_matching_filters(tags, assets))
        if not assets:
            return keys, None
        by_path: dict[str, list[str]] = {}
        for _date, stance, path, _item_id, _title in library.asset_timeline(assets[0]):
            by_path.setdefault(path, []).append(stance)
        return keys, {key: combined_stance(by_path[key[1]]) for key in keys if key[1] in by_path}

    def confirm_link(self, url: str) -> None:
        """Show the full URL; open it (http/https only) or copy it if the reader says so."""
        from .screens.link_confirm import LinkConfirm

        def chosen(choice: str | None) -> None:
            if choice == "open":
                self.open_url(url)
                self.notify("Opened in the browser.", timeout=3)
            elif choice == "copy":
                self.copy_to_clipboard(url)
                self.notify("Link copied.", timeout=3)

        self.push_screen(LinkConfirm(url), chosen)

    # -- actions ---------------------------------------------------------------------------
    def action_toggle_colors(self) -> None:
        self.convention = other_convention(self.convention)
        meaning = "red = bullish" if self.convention == "cn" else "green = bullish"
        self.notify(f"Colours: {self.convention} ({meaning})", timeout=3)

    def watch_convention(self) -> None:
        if (browse := self.browse) is not None:
            browse.rerender()

    def action_help(self) -> None:
        from .screens.help import HelpScreen, help_sections

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(help_sections(DigestApp)))

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        from .screens.browse import BrowseScreen

        browse = self.browse
        if browse is not None and isinstance(screen, BrowseScreen):
            yield SystemCommand("Search", "Search every post (/)", browse.action_search)
            yield SystemCommand(
                "Filter by tag",
                "Narrow the posts to a tag (t)",
                lambda: browse.action_filter("tag"),
            )
            yield SystemCommand(
                "Filter by asset",
                "Narrow to an asset and show its stance per date (a)",
                lambda: browse.action_filter("asset"),
            )
            yield SystemCommand(
                "Clear filters", "Show every post again (x)", browse.action_clear_filters
            )
            yield SystemCommand(
                "Open link", "Open the item's link after a confirm (o)", browse.action_open_link
            )
            yield SystemCommand("Show links", "Every link of the item (l)", browse.action_links)
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
