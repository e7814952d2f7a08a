"""The date list: every post, newest first, as a virtualised OptionList of two-line rows.

Row: date, category badge and stance tally (▲3 ▼2), then the title. When an asset filter is
on, the row starts with that asset's stance in the post (glyph, date, 利多/偏空/…) instead
of the tally, so scrolling down the list reads as the digests' view of the asset over time.
A post with unread items has a dot before its title, in bold, and how many are unread; one
with starred items a ★ (nothing depends on colour alone).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from operator import attrgetter
from typing import overload

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
#: A post's key, (root, path), as PostSummary.key.
_KEY = attrgetter("root", "path")


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
        self.index = 0
        """Where the row is in the list shown (set each time the list hands it out)."""

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


class PostRows(Sequence[PostRow]):
    """The rows of the list shown, each made when it is first asked for (drawn, moved to):
    a reload of 50,000 posts makes the twenty rows on screen, not 50,000 (which took half a
    second of the UI thread)."""

    def __init__(self, make: Callable[[int], PostRow], indices: range) -> None:
        self._make = make
        self._indices = indices

    def __len__(self) -> int:
        return len(self._indices)

    @overload
    def __getitem__(self, index: int) -> PostRow: ...
    @overload
    def __getitem__(self, index: slice) -> PostRows: ...
    def __getitem__(self, index: int | slice) -> PostRow | PostRows:
        if isinstance(index, slice):  # (Textual's page keys slice the options)
            return PostRows(self._make, self._indices[index])
        return self._make(self._indices[index])

    def __iter__(self) -> Iterator[PostRow]:
        return map(self._make, self._indices)

    def __reversed__(self) -> Iterator[PostRow]:
        return map(self._make, reversed(self._indices))


class _RowLines(Sequence[tuple[int, int]]):
    """(row, line in the row) of every line of the list: line y is line y % ROW_HEIGHT of
    row y // ROW_HEIGHT, worked out when asked (OptionList keeps a list of every line)."""

    def __init__(self, rows: int) -> None:
        self._count = rows * ROW_HEIGHT

    def __len__(self) -> int:
        return self._count

    @overload
    def __getitem__(self, y: int) -> tuple[int, int]: ...
    @overload
    def __getitem__(self, y: slice) -> list[tuple[int, int]]: ...
    def __getitem__(self, y: int | slice) -> tuple[int, int] | list[tuple[int, int]]:
        if isinstance(y, slice):
            return [divmod(line, ROW_HEIGHT) for line in range(self._count)[y]]
        line = range(self._count)[y]  # IndexError past the end, as a list's
        return divmod(line, ROW_HEIGHT)


class _PerRow(dict[int, int]):
    """{row: its first line} or {row: its height} for every row, without an entry each."""

    def __init__(self, rows: int, first_line: bool) -> None:
        super().__init__()
        self._rows = rows
        self._first_line = first_line

    def __missing__(self, row: int) -> int:
        if not 0 <= row < self._rows:
            raise KeyError(row)
        return row * ROW_HEIGHT if self._first_line else ROW_HEIGHT


class _RowIndex(dict[Option, int]):
    """Where a row is in the list (OptionList keeps a map of every option)."""

    def __missing__(self, row: Option) -> int:
        return row.index if isinstance(row, PostRow) else -1


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
        self._keys: list[PostKey] | None = []
        self.posts: list[PostSummary] = []
        self.reading = ReadingView()
        self._rows_last: dict[RowSpec, PostRow] = {}
        self._rows_before: dict[RowSpec, PostRow] = {}
        """The rows made for the last two lists shown, by what they show (`_row_at`)."""
        self._earlier: dict[RowSpec, PostRow] = {}
        self._made: dict[int, PostRow] = {}
        """The rows of the list shown made so far, by index."""
        self._look: tuple[str, Mapping[PostKey, str], bool] = ("cn", {}, False)
        """What every row of the list shown is drawn with: convention, stances, filter on."""
        self._option_to_index = _RowIndex()
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
        Until the reader has moved, the first (the newest) is highlighted whatever `keep`.
        The rows are made as they are drawn (PostRows), reusing those of the last two
        lists where nothing they show differs (a filter set and cleared builds no row twice)."""
        before = self.highlighted
        self.posts = list(posts)
        self._keys = None
        self._look = (convention, asset_stances or {}, asset_stances is not None)
        self._earlier = {**self._rows_before, **self._rows_last}
        self._rows_before, self._rows_last = self._rows_last, {}
        self._made = {}
        self._options = PostRows(self._row_at, range(len(self.posts)))  # type: ignore[assignment]
        self._option_render_cache.clear()
        self._line_cache.clear()
        self.highlighted = None
        self.scroll_y = 0
        if self.is_mounted:
            self.refresh(layout=self.styles.auto_dimensions)
            self._update_lines()
        if not self.posts:
            return
        index = self._index_of(keep, before) if keep is not None and self.reader_moved else 0
        self.highlighted = index if index is not None else 0

    def _row_at(self, index: int) -> PostRow:
        """The row of `self.posts[index]`, made now unless made already (for this list or
        one of the last two, showing the same)."""
        row = self._made.get(index)
        if row is not None:
            return row
        post = self.posts[index]
        convention, stances, asset_on = self._look
        spec = (post.key, convention, stances.get(post.key), asset_on)
        row = self._earlier.get(spec)
        if row is None or row.post is not post:
            row = PostRow(post, convention, spec[2], asset_on, self.reading)
        elif row.reading is not self.reading:
            row.set_reading(self.reading)
        row.index = index
        self._made[index] = self._rows_last[spec] = row
        return row

    @property
    def keys(self) -> list[PostKey]:
        """The listed posts' keys, in order (made when first asked for: a reload of 50,000
        posts has no use for them)."""
        if self._keys is None:
            self._keys = list(map(_KEY, self.posts))
        return self._keys

    def _index_of(self, key: PostKey, hint: int | None = None) -> int | None:
        """Where post `key` is listed (looked for at `hint` first: a reload mostly keeps
        the highlighted post where it was); None when it is not."""
        posts = self.posts
        if hint is not None and 0 <= hint < len(posts) and _KEY(posts[hint]) == key:
            return hint
        try:
            return self.keys.index(key)
        except ValueError:
            return None

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
        """Every row is ROW_HEIGHT lines (the CSS keeps them to one line each): the line map
        is worked out from the row count (_RowLines), not kept line by line, and no prompt
        is measured (OptionList would wrap every one)."""
        region = self.scrollable_content_region
        if not region:
            return
        width = region.width - self._get_left_gutter_width()
        virtual_size = Size(width, len(self._options) * ROW_HEIGHT)
        if virtual_size != self.virtual_size:
            self.virtual_size = virtual_size
            self._scroll_update(virtual_size)

    @property
    def _lines(self) -> Sequence[tuple[int, int]]:
        return _RowLines(len(self._options))

    @property
    def _heights(self) -> dict[int, int]:
        return _PerRow(len(self._options), first_line=False)

    @property
    def _index_to_line(self) -> dict[int, int]:
        return _PerRow(len(self._options), first_line=True)

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
        for row in self._made.values():  # (a row made later reads the marks it is made with)
            if touched is None or row.post.path in touched:
                changed = row.set_reading(reading) or changed
        if changed:
            self._option_render_cache.clear()
            self.refresh()

    @property
    def highlighted_key(self) -> PostKey | None:
        if self.highlighted is None or not (0 <= self.highlighted < len(self.posts)):
            return None
        return self.posts[self.highlighted].key

    def highlight_key(self, key: PostKey) -> bool:
        """Move the highlight to the post `key`; False when it is not in the list."""
        index = self._index_of(key)
        if index is None:
            return False
        self._moved()
        self.highlighted = index
        return True
