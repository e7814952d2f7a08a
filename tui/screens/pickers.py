"""A picker: a list of choices with counts, narrowed as you type (tags, assets, links).

`t` and `a` open it over the tags / assets of the archive; `l` over the links of the item.
Enter (in the field or on the list) chooses the highlighted entry; escape closes.
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from ...index.sanitize import clean_line


class Picker(ModalScreen[str | None]):
    """Choose one value from (value, note) pairs; dismisses with the value or None."""

    BINDINGS = [
        Binding("escape", "cancel", "Close"),
        Binding("down", "move(1)", "Down", show=False),
        Binding("up", "move(-1)", "Up", show=False),
        Binding("pagedown", "move(10)", "Page down", show=False),
        Binding("pageup", "move(-10)", "Page up", show=False),
    ]

    def __init__(
        self,
        title: str,
        choices: list[tuple[str, str]],
        *,
        placeholder: str = "type to narrow",
        current: str | None = None,
        empty: str = "nothing to choose from",
    ) -> None:
        super().__init__(classes="picker")
        self.title_text = title
        self.choices = [(clean_line(value), clean_line(note)) for value, note in choices]
        self.placeholder = placeholder
        self.current = current
        self.empty = empty
        self.shown: list[str] = []

    def compose(self) -> ComposeResult:
        with Vertical(id="picker-box") as box:
            box.border_title = self.title_text
            yield Input(placeholder=self.placeholder, id="picker-input")
            yield OptionList(id="picker-list")
            yield Static("", id="picker-status", markup=False)

    def on_mount(self) -> None:
        self.narrow("")
        if self.current in self.shown:
            self.query_one(OptionList).highlighted = self.shown.index(self.current)

    @on(Input.Changed, "#picker-input")
    def on_typed(self, event: Input.Changed) -> None:
        self.narrow(event.value)

    def narrow(self, text: str) -> None:
        """Show the choices containing `text` (case-insensitive)."""
        needle = text.strip().lower()
        matching = [(v, n) for v, n in self.choices if needle in v.lower()]
        self.shown = [v for v, _n in matching]
        options = [
            Option(Content.assemble(value, "  ", (note, "dim")) if note else Content(value))
            for value, note in matching
        ]
        option_list = self.query_one(OptionList)
        option_list.set_options(options)
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
    def on_submitted(self) -> None:
        highlighted = self.query_one(OptionList).highlighted
        if highlighted is not None and 0 <= highlighted < len(self.shown):
            self.dismiss(self.shown[highlighted])

    @on(OptionList.OptionSelected, "#picker-list")
    def on_chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self.shown[event.option_index])

    def action_cancel(self) -> None:
        self.dismiss(None)
