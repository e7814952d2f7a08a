"""The date list: every post, newest first, as a virtualised OptionList of two-line rows
(what a row shows, and how the rows of a long list are made as drawn: date_rows.py).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from textual import events
from textual.binding import Binding
from textual.cache import LRUCache
from textual.geometry import Region, Size
from textual.reactive import reactive
from textual.strip import Strip
from textual.style import Style as VisualStyle
from textual.visual import Padding, Visual
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from ...index.model import PostKey, PostSummary
from ...index.reading_view import ReadingView
from ..focus_edge import FocusRedrawsEdge
from ..long_lived import keep_out_of_collections
from ..scrollbars import SteadyScrollbars
from .date_rows import (
    KEY,
    ROW_HEIGHT,
    PerRow,
    PostRow,
    PostRows,
    RowIndex,
    RowLines,
    RowSpec,
)

#: How many drawn rows the list keeps (a few lists' worth of screens).
DRAWN_ROWS = 512
#: The component classes a row's parts are drawn with (by name, in date_rows.py).
_ROW_NAMES = (
    "date-list--date",
    "date-list--badge",
    "date-list--title",
    "date-list--title-unread",
    "date-list--unread",
)


class DateList(FocusRedrawsEdge, SteadyScrollbars, OptionList):
    """The posts, newest first; highlighting a row shows that post in the other panes."""

    COMPONENT_CLASSES = set(_ROW_NAMES)
    BINDINGS = [
        Binding("j", "cursor_down", "Down", show=False),
        Binding("k", "cursor_up", "Up", show=False),
        Binding("g", "first", "First", show=False),
        Binding("G", "last", "Last", show=False),
    ]

    highlighted: reactive[int | None] = reactive(None, repaint=False)
    """OptionList's, but a move redraws the two rows it changes, not every row shown
    (`watch_highlighted`); a scroll redraws the list as before."""

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
        self._option_to_index = RowIndex()
        self._styles_by_name: dict[str, VisualStyle] = {}
        self._drawn_rows: LRUCache[tuple[object, ...], list[Strip]] = LRUCache(DRAWN_ROWS)
        """Drawn rows by row (and its version), style, place, width (`_get_option_render`)."""
        self._names_drawn_with: tuple[object, ...] = ()
        """The theme and the styles of the rows' names now (the focus tints them too)."""
        self._names_checked = False
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
        # (the drawn rows are kept: a row of the last lists comes back drawn, `_get_option_render`)
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
            self._keys = list(map(KEY, self.posts))
        return self._keys

    def _index_of(self, key: PostKey, hint: int | None = None) -> int | None:
        """Where post `key` is listed (looked for at `hint` first: a reload mostly keeps
        the highlighted post where it was); None when it is not."""
        posts = self.posts
        if hint is not None and 0 <= hint < len(posts) and KEY(posts[hint]) == key:
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

    when_chosen: Callable[[], None] | None = None
    """Called as soon as a row is chosen with a key (the screen moves the focus on): keys
    typed after `enter` then go to the pane it opens, not to this list, although the chosen
    message comes after them."""

    def action_select(self) -> None:
        self._moved()
        super().action_select()
        if self.when_chosen is not None and self.highlighted is not None:
            self.when_chosen()

    # (Textual calls every class's `_on_blur` / `_on_click` in turn, this one first: calling
    # the base's here too did each twice, a click chose the post twice)
    def _on_blur(self, event: events.Blur) -> None:
        self._moved()  # the reader went to read the post shown: it stays

    async def _on_click(self, event: events.Click) -> None:
        self._moved()

    def _update_lines(self) -> None:
        """Every row is ROW_HEIGHT lines (the CSS keeps them to one line each): the line map
        is worked out from the row count (RowLines), not kept line by line, and no prompt
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
        return RowLines(len(self._options))

    @property
    def _heights(self) -> dict[int, int]:
        return PerRow(len(self._options), first_line=False)

    @property
    def _index_to_line(self) -> dict[int, int]:
        return PerRow(len(self._options), first_line=True)

    def cursor_rows(self) -> list[Region]:
        """The highlighted row (its look follows the focus)."""
        return self._row_regions(self.highlighted)

    def _row_regions(self, *indexes: int | None) -> list[Region]:
        """Where rows `indexes` are in the list's content (None: no row)."""
        width = self.scrollable_content_region.width
        top = self.scroll_offset.y
        return [
            Region(0, index * ROW_HEIGHT - top, width, ROW_HEIGHT)
            for index in indexes
            if index is not None
        ]

    _highlight_was: int | None = None
    """The row highlighted before the last move."""

    def watch_highlighted(self, highlighted: int | None) -> None:
        """Redraw the row the highlight left and the one it came to (OptionList redrew every
        row shown), then OptionList's: scroll to it (a scroll redraws the list), tell the screen."""
        if self.is_mounted and self.size:
            self.refresh(*self._row_regions(self._highlight_was, highlighted))
        self._highlight_was = highlighted
        super().watch_highlighted(highlighted)

    def _get_option_render(self, option: Option, style: VisualStyle) -> list[Strip]:
        """A row's two drawn lines (OptionList's, kept across lists): a row of the last lists
        shown again (a filter cleared, the same filter again) is not drawn anew, which was
        most of `x`'s frame. The lines carry the row's place in the list (a click's target),
        so that is part of what they are kept by, with the styles the row's names mean."""
        if not self._names_checked:  # (lines drawn with other styles stay, for when they return)
            self._names_checked = True
            self._names_drawn_with = (
                self.app.theme,
                *(self.get_visual_style(name) for name in _ROW_NAMES),
            )
        padding = self.get_component_styles("option-list--option").padding
        width = self.scrollable_content_region.width - self._get_left_gutter_width()
        row = option if isinstance(option, PostRow) else None
        index = row.index if row is not None else self._option_to_index[option]
        version = row.version if row is not None else 0
        key = (option, version, style, padding, index, width, self._names_drawn_with)
        strips = self._drawn_rows.get(key)
        if strips is None:
            visual = self._get_visual(option)
            if padding:
                visual = Padding(visual, padding)
            meta = {"option": index}
            strips = [
                strip.extend_cell_length(width, style.rich_style).apply_meta(meta)
                for strip in Visual.to_strips(self, visual, width, None, style)
            ]
            self._drawn_rows[key] = strips
        return strips

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
        self._names_checked = False  # (their styles are worked out after this: checked when drawn)

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
        if changed:  # (a row whose marks changed is drawn anew: its version)
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
