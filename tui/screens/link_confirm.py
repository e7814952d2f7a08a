"""Confirm before a link leaves the terminal: the full URL is shown first.

Only http and https links can be opened (in the browser); any other scheme (javascript:,
file:, ms-msdt:, ssh:, ...) is shown and can be copied, never opened.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from textual import on
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from ...index.sanitize import clean_line


def can_open(url: str) -> bool:
    """True for an http(s) URL with a host; everything else is only shown."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return False
    return parts.scheme.lower() in ("http", "https") and bool(parts.netloc)


class LinkConfirm(ModalScreen[str]):
    """Shows `url` in full; dismisses with "open", "copy" or "cancel"."""

    BINDINGS = [
        Binding("escape,n", "choose('cancel')", "Cancel"),
        Binding("y", "choose('open')", "Open"),
        Binding("c", "choose('copy')", "Copy"),
    ]

    AUTO_FOCUS = "#cancel"  # enter never opens a link unasked (Textual focuses it when shown)

    def __init__(self, url: str) -> None:
        super().__init__(classes="dialog")
        self.url = clean_line(url)
        self.openable = can_open(self.url)

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog-box") as box:
            box.border_title = "Open link?" if self.openable else "Link"
            yield Static(Content(self.url), id="link-url", markup=False)
            if not self.openable:
                yield Static(
                    Content(
                        "Only http and https links are opened; this one is "
                        "shown so you can read or copy it."
                    ),
                    id="link-refused",
                    markup=False,
                )
            with Horizontal(id="dialog-buttons"):
                if self.openable:
                    yield Button("Open in browser (y)", id="open", variant="primary")
                yield Button("Copy (c)", id="copy")
                yield Button("Cancel (esc)", id="cancel")

    @on(Button.Pressed)
    def on_button(self, event: Button.Pressed) -> None:
        self.action_choose(event.button.id or "cancel")

    def action_choose(self, choice: str) -> None:
        if choice == "open" and not self.openable:
            return
        self.dismiss(choice)


def confirm_link(app: App[object], url: str) -> None:
    """Show the full URL; open it (http/https only) or copy it if the reader says so."""

    def chosen(choice: str | None) -> None:
        if choice == "open":
            app.open_url(url)
            app.notify("Opened in the browser.", timeout=3)
        elif choice == "copy":
            app.copy_to_clipboard(url)
            app.notify("Link copied.", timeout=3)

    app.push_screen(LinkConfirm(url), chosen)
