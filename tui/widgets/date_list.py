"""The date list: every post, newest first, as a virtualised OptionList of two-line rows.

Row: date, category badge and stance tally (▲3 ▼2), then the title. When an asset filter is
on, the row starts with that asset's stance in the post (glyph, date, 利多/偏空/…) instead
of the tally, so scrolling down the list reads as the digests' view of the asset over time.
A post with unread items has a dot before its title, in bold, and how many are unread; one
with starred items a ★ (nothing depends on colour alone).
"""

from __future__ import annotations

import gc
from collections.abc import Mapping, Sequence

from textual import events
from textual.binding import Binding
from textual.content import Content
from textual.geometry import Size
from textual.style import Style as VisualStyle
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from ...index.model import PostKey, PostSummary
from ...index.reading_view import ReadingView
from ...index.sanitize import display_line as clean_line
from ..colors import STANCE_LABELS, STAR, UNREAD_DOT, stance_glyph, stance_style_spec
from ..long_lived import keep_out_of_collections

#: Lines per row: date, tally and category; then the title.
ROW_HEIGHT = 2
_LINES = range(ROW_HEIGHT)

#: The tally groups: (glyph-stance, stances counted) in reading order.
_TALLY = (
    ("bullish", ("bullish", "leaning_bullish")),
    ("bearish", ("bearish", "leaning_bearish")),
    ("neutral", ("neutral",)),
    ("mixed", ("mixed",)),
)


def tally_content(tally: Sequence[tuple[str, int]], convention: str) -> Content:
    """ "▲3 ▼2 ●1": the post's impacts by direction, coloured by the convention."""
    counts = dict(tally)
    parts: list[Content] = []
    for glyph_stance, stances in _TALLY:
        count = sum(counts.get(s, 0) for s in stances)
        if count:
            parts.append(
                Content.styled(
                    f"{stance_glyph(glyph_stance)}{count}",
                    stance_style_spec(glyph_stance, convention),
                )
            )
    return Content(" ").join(parts)


#: (unread items or None when not known, starred items) of a post.
RowMarks = tuple[int | None, int]
#: What a row shows, its marks aside: (post, convention, stance under the asset filter, filter on).
RowSpec = tuple[PostKey, str, str | None, bool]


def row_content(
    post: PostSummary,
    convention: str,
    asset_stance: str | None,
    asset_on: bool,
    marks: RowMarks = (None, 0),
) -> Content:
    """The two lines of one post's row."""
    unread, starred = marks
    first: list[Content] = []
    if asset_on:  # the asset's stance in this post, instead of the post's tally
        stance = asset_stance or "unknown"
        style = stance_style_spec(stance, convention)
        first.append(Content.styled(f"{stance_glyph(stance)} ", style))
        first.append(Content.styled(post.date.isoformat(), ".date-list--date"))
        first.append(Content.styled(f" {STANCE_LABELS.get(stance, stance)}", style))
    else:
        first.append(Content.styled(post.date.isoformat(), ".date-list--date"))
    if post.category:
        first.append(Content(" "))
        first.append(Content.styled(f" {clean_line(post.category)} ", ".date-list--badge"))
    tally = tally_content(post.stance_tally, convention) if not asset_on else None
    if tally:
        first += [Content(" "), tally]
    if starred:
        first.append(Content.styled(f" {STAR}{starred if starred > 1 else ''}", "bold"))
    if unread:  # last: in a narrow pane the count is what is cut (the dot stays)
        first.append(Content.styled(f" {unread} unread", ".date-list--unread"))
    indent = "  " if asset_on else ""
    text = clean_line(post.title) or "(untitled)"
    if unread:
        title = Content.styled(f"{indent}{UNREAD_DOT} {text}", ".date-list--title-unread")
    else:
        title = Content.styled(indent + text, ".date-list--title")
    return Content("").join(first) + Content("\n") + title


def row_marks(reading: ReadingView, post: PostSummary) -> RowMarks:
    return (reading.unread_count(post.key), reading.starred_count(post.key))


_EMPTY = Content("")


class PostRow(Option):
    """One post's row; its two lines, and its read/star marks, are worked out when it is first
    shown, not for all 5,000 at once (counting every post's unread items on each reload took
    most of a filter's time)."""

    def __init__(
        self,
        post: PostSummary,
        convention: str,
        asset_stance: str | None,
        asset_on: bool,
        reading: ReadingView,
    ) -> None:
        super().__init__(_EMPTY)
        self._row = (post, convention, asset_stance, asset_on)
        self._reading = reading
        self._marks: RowMarks | None = None
        self._built = False

    @property
    def post(self) -> PostSummary:
        return self._row[0]

    @property
    def reading(self) -> ReadingView:
        return self._reading

    @property
    def marks(self) -> RowMarks:
        """(unread items or None when not known, starred items) as the row shows them."""
        if self._marks is None:
            self._marks = row_marks(self._reading, self._row[0])
        return self._marks

    def set_reading(self, reading: ReadingView) -> bool:
        """Other read/star marks; True when they change what the row shows (a row not drawn
        yet reads them when it is)."""
        self._reading = reading
        if not self._built:
            self._marks = None
            return False
        marks = row_marks(reading, self._row[0])
        if marks == self._marks:
            return False
        self._marks = marks
        self._built = False
        self._visual = None
        return True

    @property
    def prompt(self) -> Content:
        if not self._built:
            self._prompt = row_content(*self._row, self.marks)
            self._built = True
        return self._prompt  # type: ignore[return-value]


class DateList(OptionList):
    """The posts, newest first; highlighting a row shows that post in the other panes."""

    COMPONENT_CLASSES = {
        "date-list--date",
        "date-list--badge",
        "date-list--title",
        "date-list--title-unread",
        "date-list--unread",
    }
    BINDINGS = [
        Binding("j", "cursor_down", "Down", show=False),
        Binding("k", "cursor_up", "Up", show=False),
        Binding("g", "first", "First", show=False),
        Binding("G", "last", "Last", show=False),
    ]

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:  # noqa: A002
        super().__init__(id=id, classes=classes)
        self.keys: list[PostKey] = []
        self.posts: list[PostSummary] = []
        self.reading = ReadingView()
        self._rows_last: dict[RowSpec, PostRow] = {}
        self._rows_before: dict[RowSpec, PostRow] = {}
        """The rows of the last two lists shown, by what they show (`_rows`)."""
        self._styles_by_name: dict[str, VisualStyle] = {}
        self.reader_moved = False
        """Set once the reader moves the highlight (or opens a post); until then the newest
        post stays highlighted as the list grows (a first run lists posts as it finds them)."""

    def show_posts(
        self,
        posts: Sequence[PostSummary],
        convention: str,
        asset_stances: Mapping[PostKey, str] | None = None,
        keep: PostKey | None = None,
    ) -> None:
        """Replace the rows; keep `keep` highlighted if it is still there (else the first).
        Until the reader has moved, the first (the newest) is highlighted whatever `keep`."""
        asset_on = asset_stances is not None
        stances = asset_stances or {}
        self.posts = list(posts)
        paused = gc.isenabled()
        gc.disable()  # tens of thousands of rows: the collector would scan them again and again
        try:
            self.keys = [post.key for post in self.posts]
            rows = self._rows(convention, stances, asset_on)
            self.set_options(rows)
        finally:
            if paused:
                gc.enable()
        if not self.keys:
            return
        index = self.keys.index(keep) if keep in self.keys and self.reader_moved else 0
        self.highlighted = index

    def _rows(
        self, convention: str, stances: Mapping[PostKey, str], asset_on: bool
    ) -> list[PostRow]:
        """The rows of `self.posts`, reusing those of the last two lists where nothing they
        show differs (a filter set and cleared again builds no row twice)."""
        reading = self.reading
        earlier = {**self._rows_before, **self._rows_last}
        made: dict[RowSpec, PostRow] = {}
        rows: list[PostRow] = []
        for post in self.posts:
            spec = (post.key, convention, stances.get(post.key), asset_on)
            row = earlier.get(spec)
            if row is None or row.post is not post:
                row = PostRow(post, convention, spec[2], asset_on, reading)
            elif row.reading is not reading:
                row.set_reading(reading)
            made[spec] = row
            rows.append(row)
        self._rows_before, self._rows_last = self._rows_last, made
        return rows

    def _moved(self) -> None:
        self.reader_moved = True

    def action_cursor_down(self) -> None:
        self._moved()
        super().action_cursor_down()

    def action_cursor_up(self) -> None:
        self._moved()
        super().action_cursor_up()

    def action_first(self) -> None:
        self._moved()
        super().action_first()

    def action_last(self) -> None:
        self._moved()
        super().action_last()

    def action_page_down(self) -> None:
        self._moved()
        super().action_page_down()

    def action_page_up(self) -> None:
        self._moved()
        super().action_page_up()

    def action_select(self) -> None:
        self._moved()
        super().action_select()

    def _on_blur(self, event: events.Blur) -> None:
        self._moved()  # the reader went to read the post shown: it stays
        super()._on_blur(event)

    async def _on_click(self, event: events.Click) -> None:
        self._moved()
        await super()._on_click(event)

    def _update_lines(self) -> None:
        """Every row is ROW_HEIGHT lines (the CSS keeps them to one line each), so the line
        map is made without measuring 5,000 prompts (OptionList would wrap each one)."""
        region = self.scrollable_content_region
        if not region:
            return
        cache = self._line_cache
        start, count = (cache.lines[-1][0] + 1 if cache.lines else 0), len(self.options)
        if start < count:  # the rows added since (all of them after set_options)
            first_lines = range(start * ROW_HEIGHT, count * ROW_HEIGHT, ROW_HEIGHT)
            cache.index_to_line.update(zip(range(start, count), first_lines, strict=True))
            cache.heights.update(dict.fromkeys(range(start, count), ROW_HEIGHT))
            cache.lines += [(index, line) for index in range(start, count) for line in _LINES]
        width = region.width - self._get_left_gutter_width()
        virtual_size = Size(width, len(cache.lines))
        if virtual_size != self.virtual_size:
            self.virtual_size = virtual_size
            self._scroll_update(virtual_size)

    def _get_style(self, style: VisualStyle | str) -> VisualStyle:
        """The style of a name in a row (".date-list--date", a stance's colour): looked up
        once per name until the styles change, not once per span of every row drawn."""
        if isinstance(style, VisualStyle):
            return style
        found = self._styles_by_name.get(style)
        if found is None:
            found = self._styles_by_name[style] = super()._get_style(style)
        return found

    def notify_style_update(self) -> None:
        self._styles_by_name.clear()  # focus, hover, a theme: names may mean other styles
        super().notify_style_update()

    def set_reading(self, reading: ReadingView) -> None:
        """Show these read marks and stars (only the rows of the posts the change touched)."""
        self.reading = reading
        touched = reading.touched
        if touched is None:  # a fresh snapshot of the state: long-lived
            keep_out_of_collections()
        changed = False
        for option, post in zip(self.options, self.posts, strict=False):
            if isinstance(option, PostRow) and (touched is None or post.path in touched):
                changed = option.set_reading(reading) or changed
        if changed:
            self._option_render_cache.clear()
            self.refresh()

    @property
    def highlighted_key(self) -> PostKey | None:
        if self.highlighted is None or not (0 <= self.highlighted < len(self.keys)):
            return None
        return self.keys[self.highlighted]

    def highlight_key(self, key: PostKey) -> bool:
        """Move the highlight to the post `key`; False when it is not in the list."""
        if key not in self.keys:
            return False
        self._moved()
        self.highlighted = self.keys.index(key)
        return True
