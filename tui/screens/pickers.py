"""A picker: a list of choices with counts, narrowed as you type (tags, assets, links).

`t` and `a` open it over the tags / assets of the archive; `l` over the links of the item.
Enter (in the field or on the list) chooses the highlighted entry; escape closes.

It is a box over the browse screen (a layer of its own), built once and shown or hidden,
not a screen pushed for each use: a new screen composed, styled and drawn whole over a tinted
copy of the panes took most of `a`'s time at 5,000 posts, and its closing redrew the whole
screen again; shown and hidden, only the box's own cells are drawn. While it is open the
focus stays in it (a click on a pane closes it).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, Self

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.cache import LRUCache
from textual.containers import Vertical
from textual.content import Content
from textual.geometry import Size
from textual.strip import Strip
from textual.widget import Widget
from textual.widgets import Input, OptionList, Static
from textual.widgets._option_list import OptionListContent
from textual.widgets.option_list import Option

from ...index.sanitize import clean_line
from ..scrollbars import SteadyScrollbars

#: The box's width (cells, at most 95% of the screen) and height (share of the screen's).
BOX_WIDTH = 60
BOX_HEIGHT = 0.7


class ChoiceList(SteadyScrollbars, OptionList):
    """The picker's list: its drawn lines kept when the box is shown again at the same size
    (Textual's OptionList drops them on every Resize, which a box shown again always gets),
    and the drawn rows of the whole list (nothing typed) kept while it shows a narrowed one:
    `a` after a narrowed list shows the whole list again, its rows as they were drawn (the
    same options, in the same places)."""

    _drawn_at: Size | None = None
    _whole: tuple[Option, ...] = ()
    _whole_rows: LRUCache[Any, list[Strip]] | None = None

    def _on_resize(self, event: events.Resize | None = None) -> None:
        """(Textual calls each class's `_on_resize`: OptionList's, which drops every drawn
        row, only if this one lets it, for a new size.)"""
        if self.size == self._drawn_at:
            if event is not None:
                event.prevent_default()
        else:
            self._drawn_at = self.size
            self._whole_rows = None  # drawn at the old width

    def set_options(self, options: Iterable[OptionListContent], *, whole: bool = False) -> Self:
        """(Textual) show `options`; `whole`: they are every choice (their rows are kept
        while a narrowed list is shown, for these same options shown again)."""
        incoming = list(options)
        if self._whole and tuple(self._options) == self._whole:
            self._whole_rows = self._option_render_cache
        again = self._whole_rows if whole and tuple(incoming) == self._whole else None
        if whole:
            self._whole = tuple(o for o in incoming if isinstance(o, Option))
        self._option_render_cache = LRUCache(maxsize=1024 * 2)  # (the one Textual clears)
        super().set_options(incoming)
        if again is not None:
            self._option_render_cache = again
        return self


class Picker(Vertical):
    """Choose one value from (value, note) pairs; `open` shows it, the choice (or None on
    escape) goes to the callback given to `open` once the box is hidden again."""

    BINDINGS = [
        # (none shown: the footer stays as it is, and is not rebuilt, while the box is open)
        Binding("escape", "cancel", "Close", show=False),
        Binding("down", "move(1)", "Down", show=False),
        Binding("up", "move(-1)", "Up", show=False),
        Binding("pagedown", "move(10)", "Page down", show=False),
        Binding("pageup", "move(-10)", "Page up", show=False),
        # (the browse screen's tab comes first and does the same: action_next_pane)
        Binding("tab,shift+tab", "switch_focus", "Field / list", show=False),
    ]

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002
        super().__init__(id=id)
        self.choices: list[tuple[str, str]] = []
        self.empty = ""
        self.shown: list[str] = []
        self._narrowed: tuple[list[tuple[str, str]], str] | None = None
        """(choices, text) the list shows now: the same again is not rebuilt."""
        self._whole: tuple[list[tuple[str, str]], list[Option]] | None = None
        """The options of every choice (nothing typed), kept for the same choices again."""
        self._chosen: Callable[[str | None], object] | None = None
        self._recount: Callable[[], list[tuple[str, str]]] | None = None
        self._focus_back: Widget | None = None
        self.display = False

    def compose(self) -> ComposeResult:
        yield Input(id="picker-input")
        yield ChoiceList(id="picker-list")
        yield Static("", id="picker-status", markup=False)

    @property
    def is_open(self) -> bool:
        return self.display

    def open(
        self,
        title: str,
        choices: list[tuple[str, str]],
        chosen: Callable[[str | None], object],
        *,
        placeholder: str = "type to narrow",
        current: str | None = None,
        empty: str = "nothing to choose from",
        recount: Callable[[], list[tuple[str, str]]] | None = None,
    ) -> None:
        """Show `choices` (value, note) under `title`, every one of them, `current`
        highlighted; `chosen` gets the value taken (None: closed without one); `recount`
        gives the choices again when they may have changed (see `recounted`)."""
        self.border_title = title
        self.choices = [(clean_line(value), clean_line(note)) for value, note in choices]
        self.empty = empty
        self._chosen = chosen
        self._recount = recount
        field = self.query_one(Input)
        field.placeholder = placeholder
        with field.prevent(Input.Changed):
            field.value = ""
        self.narrow("")
        if current in self.shown:
            self.query_one(OptionList).highlighted = self.shown.index(current)
        if not self.display:
            focused = self.screen.focused
            self._focus_back = (
                focused if focused is not None and self not in focused.ancestors else None
            )
            self.place()
            self.display = True
        field.focus()

    def recounted(self) -> None:
        """The open box's choices asked for again (the index became ready: `a` opened while
        the first index was built showed "no assets yet" until closed), what is typed and
        the entry highlighted kept."""
        if not self.display or self._recount is None:
            return
        choices = [(clean_line(value), clean_line(note)) for value, note in self._recount()]
        if choices == self.choices:
            return
        option_list = self.query_one(ChoiceList)
        highlighted = option_list.highlighted
        current = (
            self.shown[highlighted]
            if highlighted is not None and highlighted < len(self.shown)
            else None
        )
        self.choices = choices
        self.narrow(self.query_one(Input).value)
        if current in self.shown:
            option_list.highlighted = self.shown.index(current)

    def place(self) -> None:
        """Centre the box on the screen (its size follows the screen's)."""
        width, height = self.screen.size
        box_width = min(BOX_WIDTH, max(20, int(width * 0.95)))
        box_height = max(6, int(height * BOX_HEIGHT))
        self.styles.width = box_width
        self.styles.height = box_height
        self.styles.offset = (max(0, (width - box_width) // 2), max(0, (height - box_height) // 2))

    def close(self, value: str | None, *, refocus: bool = True) -> None:
        """Hide the box, give the focus back (unless it went elsewhere already: `refocus`
        False), then hand `value` to the callback."""
        if not self.display:
            return
        self.display = False
        self._recount = None
        back, self._focus_back = self._focus_back, None
        if refocus and back is not None and back.is_attached:
            back.focus()
        chosen, self._chosen = self._chosen, None
        if chosen is not None:
            chosen(value)

    @on(Input.Changed, "#picker-input")
    def on_typed(self, event: Input.Changed) -> None:
        self.narrow(event.value)

    def narrow(self, text: str) -> None:
        """Show the choices containing `text` (case-insensitive)."""
        if self._narrowed == (self.choices, text):
            return  # the list shows exactly these already (the same picker opened again)
        self._narrowed = (self.choices, text)
        needle = text.strip().lower()
        matching = [(v, n) for v, n in self.choices if needle in v.lower()]
        self.shown = [v for v, _n in matching]
        whole = self._whole
        if not needle and whole is not None and whole[0] == self.choices:
            options = whole[1]  # the same options: their rows drawn already are kept
        else:
            options = [
                Option(Content.assemble(value, "  ", (note, "dim")) if note else Content(value))
                for value, note in matching
            ]
            if not needle:
                self._whole = (self.choices, options)
        option_list = self.query_one(ChoiceList)
        option_list.set_options(options, whole=not needle)
        if options:
            option_list.highlighted = 0
        status = f"{len(matching)} of {len(self.choices)}" if self.choices else self.empty
        self.query_one("#picker-status", Static).update(Content(status))

    def action_move(self, step: int) -> None:
        option_list = self.query_one(OptionList)
        if not self.shown:
            return
        current = option_list.highlighted or 0
        option_list.highlighted = max(0, min(len(self.shown) - 1, current + step))

    @on(Input.Submitted, "#picker-input")
    def on_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        highlighted = self.query_one(OptionList).highlighted
        if highlighted is not None and 0 <= highlighted < len(self.shown):
            self.close(self.shown[highlighted])

    @on(OptionList.OptionSelected, "#picker-list")
    def on_chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.close(self.shown[event.option_index])

    @on(OptionList.OptionHighlighted, "#picker-list")
    def on_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()  # not the date list's (the browse screen listens for those)

    def action_cancel(self) -> None:
        self.close(None)

    def action_switch_focus(self) -> None:
        """tab in the box: from the field to the list and back."""
        field, option_list = self.query_one(Input), self.query_one(OptionList)
        (option_list if field.has_focus else field).focus()
