"""`/`: search as you type. Each keystroke starts an exclusive worker, so a new keystroke
cancels the stale search; results show date, post, item title and a snippet with the match
highlighted. Enter opens the highlighted result (the first unless arrows moved it); escape
closes. A malformed query shows its message inline; before the first index is built, the
screen says so and searches as soon as it is ready. Unread results have a dot and are bold,
starred ones a ★; ctrl+s saves the query under a name, ctrl+o opens the saved searches.
"""

from __future__ import annotations

from collections.abc import Callable

from rich.cells import cell_len
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.timer import Timer
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option
from textual.worker import get_current_worker

from ...index.model import SearchHit, SearchResult
from ...index.sanitize import certain_width_offsets, clean_line, display_line
from ..colors import STAR, UNREAD_DOT, stance_glyph, stance_style_spec
from ..messages import IndexState
from .saved_searches import SavedSearches, SavedSearchStore
from .text_prompt import TextPrompt

#: Results fetched at first, and how many more each time the highlight reaches the last.
RESULT_LIMIT = 50
#: What a search function returns: the result, or a message for the reader.
SearchOutcome = SearchResult | str


#: What may stand between a title and the text after it in a snippet.
_AFTER_TITLE = " \t·:：—-|｜"


def title_cut(snippet: str, title: str) -> int:
    """How much of `snippet` repeats `title` (the line above it in the row): the title and
    the separators after it when the snippet starts with it, else 0."""
    if not title or not snippet.startswith(title):
        return 0
    cut = len(title)
    while cut < len(snippet) and snippet[cut] in _AFTER_TITLE:
        cut += 1
    return cut


#: A result's snippet line is cut at the list's width (about 70 cells at 80 columns): when the
#: first match of each word does not end within ROW_CELLS, the text before the first match is
#: cut to SHOWN_LEAD characters.
ROW_CELLS = 64
SHOWN_LEAD = 10


def shown_snippet(text: str, spans: list[tuple[int, int]]) -> tuple[str, list[tuple[int, int]]]:
    """The snippet line as a result row shows it, and its matches: when a match of every word
    would not fit in ROW_CELLS, the text before the first match cut to SHOWN_LEAD characters
    (an "…" where it was cut), so that the row shows the matches at any width from 80
    columns up, not only the text that leads to them (the index's snippet leads in longer)."""
    shown = [(max(start, 0), end) for start, end in spans if end > 0]
    if not shown:
        return text, shown
    first = min(start for start, _end in shown)
    words: dict[str, int] = {}  # the end of each word's first match
    for start, end in sorted(shown):
        words.setdefault(text[start:end].casefold(), end)
    last = max(words.values())
    if first <= SHOWN_LEAD + 1 or cell_len(text[:last]) <= ROW_CELLS:
        return text, shown
    drop = first - SHOWN_LEAD - 1  # the characters replaced by the one "…"
    return "…" + text[drop + 1 :], [(start - drop, end - drop) for start, end in shown]


#: (unread, starred) of a hit's item (or post, for a hit on its header).
HitMarks = Callable[[SearchHit], tuple[bool, bool]]


def hit_content(hit: SearchHit, marks: HitMarks | None = None, convention: str = "cn") -> Content:
    """Date and post title (category, for a hit on the post's header); the item's title (or
    the post's) and its impacts' glyphs; the snippet, without the title it starts with. The
    matches are highlighted where they are shown: in the title line when the snippet's start
    was the title."""
    if hit.item_id is None:  # the title is the next line's: the date and category here
        head = Content.assemble((hit.date, "bold"), "  ", (display_line(hit.category or ""), "dim"))
    else:
        head = Content.assemble((hit.date, "bold"), "  ", (display_line(hit.post_title), "dim"))
    own_title = display_line((hit.item_title or "") if hit.item_id is not None else hit.post_title)
    # drawn in a form of certain width (emoji sequences), the highlights moved along with it
    snippet_text, moved = certain_width_offsets(clean_line(hit.snippet))
    spans = [
        (moved[start], moved[end])
        for start, end in hit.highlights
        if 0 <= start < end < len(moved) and moved[start] < moved[end]
    ]
    cut = title_cut(snippet_text, own_title)
    title = Content.styled(own_title or "(untitled)", ".search-screen--title")
    for start, end in spans:
        if start < len(own_title) and cut:
            title = title.stylize(".search-screen--match", start, min(end, len(own_title)))
    unread, starred = marks(hit) if marks is not None else (False, False)
    if unread:
        title = Content.assemble((f"{UNREAD_DOT} ", "bold"), title.stylize("bold"))
    if starred:
        title = Content.assemble(title, (f" {STAR}", "bold"))
    if hit.item_id is None:  # the post's own header (title, summary, tags) matched
        title = Content.assemble(title, ("  · the post", "dim"))
    elif hit.stances:
        glyphs = [
            Content.styled(stance_glyph(stance), stance_style_spec(stance, convention))
            for stance in hit.stances
        ]
        title = Content.assemble(title, "  ", Content("").join(glyphs))
    lines = [head, title]
    text, shown = shown_snippet(snippet_text[cut:], [(s - cut, e - cut) for s, e in spans])
    snippet = Content(text)
    for start, end in shown:
        snippet = snippet.stylize(".search-screen--match", start, end)
    if snippet.plain.strip():
        lines.append(snippet)
    return Content("\n").join(lines)


class SearchScreen(ModalScreen["tuple[SearchHit, str] | None"]):
    """Search field and results; dismisses with (hit, query) or None."""

    COMPONENT_CLASSES = {"search-screen--title", "search-screen--match"}
    BINDINGS = [
        Binding("escape", "close", "Close search"),
        Binding("down", "move(1)", "Next result", show=False),
        Binding("up", "move(-1)", "Previous result", show=False),
        Binding("pagedown", "move(5)", "Results page down", show=False),
        Binding("pageup", "move(-5)", "Results page up", show=False),
        Binding("ctrl+s", "save_search", "Save search", tooltip="Save the query under a name"),
        Binding(
            "ctrl+o", "saved_searches", "Saved", tooltip="The saved searches: run, edit, delete"
        ),
    ]

    def __init__(
        self,
        search: Callable[[str, int], SearchOutcome],
        *,
        query: str = "",
        scope: str = "",
        ready: Callable[[], str | None],
        saved: SavedSearchStore | None = None,
        marks: HitMarks | None = None,
    ) -> None:
        """`search(query, limit)` runs in a worker thread; `ready` returns None when search
        can run, or a message saying why not yet (e.g. the first index is being built)."""
        super().__init__(classes="search")
        self.search = search
        self.initial_query = query
        self.scope = scope
        self.ready = ready
        self.saved = saved
        self.marks = marks
        self.hits: list[SearchHit] = []
        self.total = 0
        """How many units match the query shown (more than `hits` when they are cut)."""
        self.limit = RESULT_LIMIT
        self.query_text = query
        self.shown_query: str | None = None
        """The query whose results are listed (None before the first)."""
        self.open_first = False
        """Enter came before the results of the query typed: open the first when they come."""
        self._slow_timer: Timer | None = None
        self._serial = 0
        """Counts the searches started; `_shown_serial` is the one whose result is listed."""
        self._shown_serial = 0

    def compose(self) -> ComposeResult:
        with Vertical(id="search-box") as box:
            box.border_title = "Search"
            box.border_subtitle = "enter open · ↑↓ choose · esc close"
            yield Input(
                value=self.initial_query,
                id="search-input",
                placeholder='words, "a phrase", -exclude, OR, tag:X asset:X date:…',
            )
            if self.scope:
                yield Static(Content.styled(self.scope, "dim"), id="search-scope", markup=False)
            yield Static("", id="search-status", markup=False)
            yield OptionList(id="search-results")

    def on_mount(self) -> None:
        self.query_one(Input).focus()
        self.run_search(self.initial_query)

    @on(Input.Changed, "#search-input")
    def on_typed(self, event: Input.Changed) -> None:
        self.run_search(event.value)

    def set_status(self, text: str, *, error: bool = False) -> None:
        status = self.query_one("#search-status", Static)
        status.set_class(error, "-error")
        status.update(Content(clean_line(text)))

    def run_search(self, query: str, *, more: bool = False) -> None:
        """Start searching for `query` (cancelling the search before it); `more`: the same
        query again with more results (the reader reached the last one shown)."""
        self.limit = self.limit + RESULT_LIMIT if more else RESULT_LIMIT
        self.query_text = query
        if not query.strip():
            self.show_result(query, SearchResult(query, 0.0, 0, ()))
            self.set_status('Type to search: words, "phrases", -exclude, OR, tag:, asset:, date:')
            return
        waiting = self.ready()
        if waiting is not None:
            self.hits = []
            self.query_one(OptionList).clear_options()
            self.set_status(waiting)
            return

        if self._slow_timer is not None:
            self._slow_timer.stop()
        self._serial += 1
        serial = self._serial
        self._slow_timer = self.set_timer(0.2, lambda: self._still_searching(serial))
        limit = self.limit

        def work() -> None:
            outcome = self.search(query, limit)
            if not get_current_worker().is_cancelled:
                self.app.call_from_thread(self.show_result, query, outcome, more, serial)

        self.app.run_worker(
            work, name="search", group="search", thread=True, exclusive=True, exit_on_error=False
        )

    def index_changed(self, before: IndexState, state: IndexState) -> None:
        """(Watching the reader's index state) the first index is built: run the query that
        was waiting for it."""
        if state.searchable and not before.searchable and self.is_mounted:
            self.run_search(self.query_text)

    def _still_searching(self, serial: int) -> None:
        """The slow-search timer: "Searching…" only while search `serial` has no result
        listed (a callback already queued when the result came must not overwrite it)."""
        if self._shown_serial < serial and self.is_mounted:
            self.set_status("Searching…")

    def show_result(
        self, query: str, outcome: SearchOutcome, more: bool = False, serial: int | None = None
    ) -> None:
        if query != self.query_text or not self.is_mounted:
            return  # a newer query is on its way
        self.shown_query = query
        self._shown_serial = self._serial if serial is None else serial
        if self._slow_timer is not None:
            self._slow_timer.stop()
            self._slow_timer = None
        option_list = self.query_one(OptionList)
        if isinstance(outcome, str):
            self.open_first = False
            self.total = 0
            self.hits = []
            option_list.clear_options()
            self.set_status(outcome, error=True)
            return
        keep = option_list.highlighted if more else None
        self.hits = list(outcome.hits)
        self.total = outcome.total
        convention = str(getattr(self.app, "convention", "cn"))
        option_list.set_options(
            [Option(hit_content(hit, self.marks, convention)) for hit in self.hits]
        )
        if self.hits:
            option_list.highlighted = min(keep or 0, len(self.hits) - 1)
        if query.strip():
            shown = (
                f" (showing {len(self.hits)}; more below the last)"
                if outcome.total > len(self.hits)
                else ""
            )
            noun = "match" if outcome.total == 1 else "matches"
            self.set_status(f"{outcome.total:,} {noun}{shown}")
        if self.open_first:
            self.open_first = False
            if self.hits:
                self.dismiss((self.hits[0], self.query_text))

    def action_move(self, step: int) -> None:
        option_list = self.query_one(OptionList)
        if not self.hits:
            return
        current = option_list.highlighted if option_list.highlighted is not None else -1
        option_list.highlighted = max(0, min(len(self.hits) - 1, current + step))

    @on(OptionList.OptionHighlighted, "#search-results")
    def on_result_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        """The last result shown is highlighted and there are more: fetch them."""
        if (
            event.option_index == len(self.hits) - 1
            and self.total > len(self.hits)
            and self.shown_query == self.query_text
        ):
            self.run_search(self.query_text, more=True)

    @on(Input.Submitted, "#search-input")
    def on_submitted(self) -> None:
        if self.shown_query != self.query_text and self.query_text.strip():
            self.open_first = True  # typed fast: open the first result once it is in
            return
        highlighted = self.query_one(OptionList).highlighted
        if self.hits:
            index = highlighted if highlighted is not None else 0
            self.dismiss((self.hits[index], self.query_text))

    @on(OptionList.OptionSelected, "#search-results")
    def on_chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss((self.hits[event.option_index], self.query_text))

    def action_close(self) -> None:
        self.dismiss(None)

    def action_save_search(self) -> None:
        query = self.query_text.strip()
        if self.saved is None:
            self.notify("Saved searches need the reading state, which is not open.", timeout=4)
            return
        if not query:
            self.notify("Type a query first, then ctrl+s saves it.", timeout=3)
            return
        saved = self.saved

        def named(name: str | None) -> None:
            if name:
                saved.save_search(name, query)
                self.notify(f"Saved as “{name}” (ctrl+o lists the saved searches).", timeout=3)

        self.app.push_screen(
            TextPrompt("Save this search as", hint=query, placeholder="a name"), named
        )

    def action_saved_searches(self) -> None:
        if self.saved is None:
            self.notify("Saved searches need the reading state, which is not open.", timeout=4)
            return

        def chosen(query: str | None) -> None:
            if query is not None:
                self.query_one(Input).value = query  # runs it (Input.Changed)
                self.query_one(Input).focus()

        self.app.push_screen(SavedSearches(self.saved), chosen)
