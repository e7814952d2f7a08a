"""A one-line text dialog: an item's note (`e`), a saved search's name or query.

Enter keeps the text (an empty one too: it clears a note), escape cancels. The text is the
reader's own, shown and kept as plain text.
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from ...index.sanitize import clean_line


class TextPrompt(ModalScreen[str | None]):
    """Asks for one line of text; dismisses with it, or None when cancelled."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(
        self, title: str, value: str = "", *, hint: str = "", placeholder: str = ""
    ) -> None:
        super().__init__(classes="dialog")
        self.title_text = title
        self.value = value
        self.hint = hint
        self.placeholder = placeholder

    def compose(self) -> ComposeResult:
        with Vertical(id="prompt-box") as box:
            box.border_title = self.title_text
            box.border_subtitle = "enter keep · esc cancel"
            if self.hint:
                yield Static(Content(clean_line(self.hint)), id="prompt-hint", markup=False)
            yield Input(value=self.value, placeholder=self.placeholder, id="prompt-input")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    @on(Input.Submitted, "#prompt-input")
    def on_submitted(self, event: Input.Submitted) -> None:
        self.dismiss(" ".join(clean_line(event.value).split()))

    def action_cancel(self) -> None:
        self.dismiss(None)
