"""The detail pane: one Document (an item or a post header), scrolled, with search matches.

A line-API ScrollView (like toolong's log view): the document is wrapped once per width and
only the visible lines are rendered, so long items scroll smoothly. Matches of the last
search are highlighted at render time; `n`/`N` move between them. Links never open by
themselves: clicking a "[n]" marker, `o` or `l` asks the app, which confirms first.
"""

from __future__ import annotations

from rich.segment import Segment
from textual.binding import Binding
from textual.content import Content
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.selection import Selection
from textual.strip import Strip

from ..focus_edge import FocusRedrawsEdge
from ..line_style import StyleOncePerRedraw
from ..pane_widths import TEXT_MEASURE
from ..scrollbars import SteadyScrollbars
from .document import Document, Layout, find_matches, layout, query_spans

EMPTY = Document((), key=("empty",))


class ItemView(FocusRedrawsEdge, SteadyScrollbars, StyleOncePerRedraw, ScrollView, can_focus=True):
    """Shows one Document; remembers the search terms to highlight in it."""

    ALLOW_SELECT = True
    COMPONENT_CLASSES = {
        "item-view--title",
        "item-view--heading",
        "item-view--code",
        "item-view--notice",
        "item-view--tag",
        "item-view--match",
        "item-view--match-current",
    }
    BINDINGS = [
        Binding("j,down", "scroll_down", "Down", show=False),
        Binding("k,up", "scroll_up", "Up", show=False),
        Binding("space,pagedown", "page_down", "Page down", show=False),
        Binding("b,pageup", "page_up", "Page up", show=False),
        Binding("g,home", "scroll_home", "Top", show=False),
        Binding("G,end", "scroll_end", "Bottom", show=False),
        Binding("n", "next_match", "Next match", show=False),
        Binding("N", "previous_match", "Previous match", show=False),
    ]

    class LinkChosen(Message):
        """The reader asked to open link `url` (the app confirms before opening)."""

        def __init__(self, url: str) -> None:
            super().__init__()
            self.url = url

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:  # noqa: A002
        super().__init__(id=id, classes=classes)
        self.document: Document = EMPTY
        self.search_query = ""
        self.matches: list[tuple[int, int, int]] = []
        self.current_match = -1
        self._layout: Layout | None = None
        self._cache: dict[int, Strip] = {}
        self._drawn_with: tuple[object, ...] | None = None
        """The theme and base styles the cached lines were drawn with."""

    # -- what is shown -----------------------------------------------------------------
    def show(self, document: Document, query: str = "") -> None:
        """Show `document` with the words of search `query` highlighted; keep the scroll
        position when it is the same thing again (e.g. recoloured)."""
        same = document.key == self.document.key and bool(document.key)
        self.document = document
        self.search_query = query
        self.matches = find_matches(document, query_spans(query))
        self.current_match = -1
        self._relayout()
        self._show_match_status()
        if not same:
            self.scroll_to(0, 0, animate=False, immediate=True)
        if self.matches:
            self.goto_match(0)

    def set_query(self, query: str) -> None:
        """Highlight the words of another search query ("": clear the highlights)."""
        self.search_query = query
        self.matches = find_matches(self.document, query_spans(query))
        self.current_match = -1
        self._show_match_status()
        self._cache.clear()
        self.refresh()
        if self.matches:
            self.goto_match(0)

    def scroll_to_block(self, index: int) -> None:
        """Scroll so that block `index` of the document is the top line (reading mode's
        table of contents)."""
        if self._layout is None:
            self._relayout()
        if self._layout is not None and 0 <= index < len(self._layout.block_starts):
            self.scroll_to(y=self._layout.block_starts[index], animate=False, immediate=True)

    @property
    def line_count(self) -> int:
        return len(self._layout.lines) if self._layout else 0

    @property
    def visible_text(self) -> str:
        """The plain text of every wrapped line (what a reader could scroll through)."""
        if self._layout is None:
            return self.document.plain
        return "\n".join(line.plain for line in self._layout.lines)

    # -- layout ------------------------------------------------------------------------
    def _measure(self) -> int:
        """The width the text is wrapped to: the pane's, capped at a readable measure."""
        return min(self.scrollable_content_region.width, TEXT_MEASURE)

    def _relayout(self) -> None:
        width = self._measure()
        self._cache.clear()
        if width <= 0:
            self._layout = None
            self.virtual_size = Size(0, 0)
        else:
            self._layout = layout(self.document, width)
            self.virtual_size = Size(width, len(self._layout.lines))
        self.refresh()

    def on_resize(self) -> None:
        top_origin = self._top_origin()
        self._relayout()
        if top_origin is not None and self._layout is not None:
            self.scroll_to(y=self._layout.line_of(*top_origin), animate=False, immediate=True)

    def _top_origin(self) -> tuple[int, int] | None:
        if self._layout is None or not self._layout.origins:
            return None
        y = min(int(self.scroll_y), len(self._layout.origins) - 1)
        block, offset, _prefix = self._layout.origins[y]
        return block, offset

    # -- matches -----------------------------------------------------------------------
    def goto_match(self, number: int) -> None:
        if not self.matches:
            return
        self.current_match = number % len(self.matches)
        self._show_match_status()
        self._cache.clear()
        self.refresh()
        if self._layout is not None:
            block, start, _end = self.matches[self.current_match]
            line = self._layout.line_of(block, start)
            if not (self.scroll_y <= line < self.scroll_y + self.size.height - 1):
                self.scroll_to(
                    y=max(line - self.size.height // 3, 0), animate=False, immediate=True
                )

    def action_next_match(self) -> None:
        if not self.matches:
            self.notify("No search matches here. Press / to search.", timeout=3)
            return
        self.goto_match(self.current_match + 1)

    def action_previous_match(self) -> None:
        if not self.matches:
            self.notify("No search matches here. Press / to search.", timeout=3)
            return
        self.goto_match(self.current_match - 1)

    @property
    def match_status(self) -> str:
        if not self.matches:
            return ""
        return f"match {max(self.current_match, 0) + 1}/{len(self.matches)}"

    def _show_match_status(self) -> None:
        status = self.match_status
        self.border_subtitle = f"{status} · n/N" if status else ""

    # -- links -------------------------------------------------------------------------
    def action_open_link(self, number: int) -> None:
        """Ask to open link `number` of the document (from a clicked "[n]" marker)."""
        if 1 <= number <= len(self.document.links):
            self.post_message(self.LinkChosen(self.document.links[number - 1]))

    # -- rendering ---------------------------------------------------------------------
    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        width = self._measure()
        if self._layout is None or self._layout.width != width:
            if width > 0 and (self._layout is None or self._layout.width != width):
                self._relayout()
        number = scroll_y + y
        rich_style = self.line_style
        if self._layout is None or number >= len(self._layout.lines):
            return Strip.blank(self.size.width, rich_style)
        strip = self._cache.get(number) if self.text_selection is None else None
        if strip is None:
            strip = self._render_strip(number)
            if self.text_selection is None:
                self._cache[number] = strip
        return strip.crop_extend(scroll_x, scroll_x + self.size.width, rich_style).apply_offsets(
            scroll_x, number
        )

    def _render_strip(self, number: int) -> Strip:
        assert self._layout is not None
        line = self._layout.lines[number]
        block, start, prefix = self._layout.origins[number]
        end = start + len(line.plain) - prefix
        offsets = self._layout.maps.get(number)
        if offsets is not None:
            end = max(offsets, default=-1) + 1
        for index, (match_block, match_start, match_end) in enumerate(self.matches):
            if match_block != block or match_end <= start or match_start >= end:
                continue
            style = self.get_visual_style(
                "item-view--match-current" if index == self.current_match else "item-view--match"
            )
            if offsets is None:
                spans = [(max(match_start - start, 0), min(match_end, end) - start)]
            else:  # a fitted table row: the match's characters that are shown
                spans = shown_spans(offsets, match_start, match_end)
            for low, high in spans:
                line = line.stylize(style, prefix + low, prefix + high)
        selection = self.text_selection
        if selection is not None and (span := selection.get_span(number)) is not None:
            low, high = span
            if high == -1:
                high = len(line.plain)
            line = line.stylize(self.screen.get_visual_style("screen--selection"), low, high)
        base = self.visual_style
        segments = [
            Segment(text, style.rich_style)
            for text, style in line.render(base, end="", parse_style=self._get_style)
        ]
        return Strip(segments)

    def get_selection(self, selection: Selection) -> tuple[str, str] | None:
        """The selected text, for copying with the mouse."""
        return selection.extract(self.visible_text), "\n"

    def selection_updated(self, selection: Selection | None) -> None:
        self._cache.clear()
        self.refresh()

    def notify_style_update(self) -> None:
        """Styles were recomputed (focus moved, a theme, a class): the rendered lines are
        kept unless what they are drawn with changed (a focus move only recolours the
        border, and redrawing every line of the pane made each tab slower)."""
        super().notify_style_update()
        drawn_with = (self.app.theme, self.visual_style, self.rich_style)
        if drawn_with != self._drawn_with:
            self._drawn_with = drawn_with
            self._cache.clear()


def shown_spans(offsets: list[int], start: int, end: int) -> list[tuple[int, int]]:
    """The runs of a line's characters whose offsets fall in [start, end)."""
    spans: list[tuple[int, int]] = []
    for at, offset in enumerate(offsets):
        if start <= offset < end:
            if spans and spans[-1][1] == at:
                spans[-1] = (spans[-1][0], at + 1)
            else:
                spans.append((at, at + 1))
    return spans


def content_lines(view: ItemView) -> list[Content]:
    """The wrapped lines of the view (for tests and the narrow-layout check)."""
    return list(view._layout.lines) if view._layout else []
