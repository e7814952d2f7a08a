"""The date list's rows: what one post's row shows, and the rows of a list made as drawn.

Row: date, category badge and stance tally (▲3 ▼2), then the title. When an asset filter is
on, the row starts with that asset's stance in the post (glyph, date, 利多/偏空/…) instead
of the tally. A post with unread items has a dot before its title, in bold, and how many are
unread; one with starred items a ★ (nothing depends on colour alone).

A list of 50,000 posts is never 50,000 rows: `PostRows` makes a row when it is drawn or
moved to, and the line map OptionList keeps of every line is worked out from the row count
(`RowLines`, `PerRow`, `RowIndex`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from operator import attrgetter
from typing import overload

from textual.content import Content
from textual.widgets.option_list import Option

from ...index.model import PostKey, PostSummary
from ...index.reading_view import ReadingView
from ...index.sanitize import display_line as clean_line
from ..colors import STANCE_LABELS, STAR, UNREAD_DOT, stance_glyph, stance_style_spec

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
KEY = attrgetter("root", "path")


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
        self.version = 0
        """Counts the changes of what the row shows (its marks): its drawn lines are kept by it."""

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
        self.version += 1
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


class RowLines(Sequence[tuple[int, int]]):
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


class PerRow(dict[int, int]):
    """{row: its first line} or {row: its height} for every row, without an entry each."""

    def __init__(self, rows: int, first_line: bool) -> None:
        super().__init__()
        self._rows = rows
        self._first_line = first_line

    def __missing__(self, row: int) -> int:
        if not 0 <= row < self._rows:
            raise KeyError(row)
        return row * ROW_HEIGHT if self._first_line else ROW_HEIGHT


class RowIndex(dict[Option, int]):
    """Where a row is in the list (OptionList keeps a map of every option)."""

    def __missing__(self, row: Option) -> int:
        return row.index if isinstance(row, PostRow) else -1
