"""The reader's footer: Textual's Footer, where the keys of less used actions give way first.

On a narrow terminal (the footer is compact under 100 columns) the keys marked extra are not
shown, so the ones that stay are whole; every key is still in help (`?`) and the palette.
"""

from __future__ import annotations

from collections.abc import Iterable

from textual.app import ComposeResult
from textual.widget import Widget
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

#: Actions whose keys leave the footer first when it is narrow.
EXTRA_ACTIONS = frozenset({"unread_only", "star", "starred", "market"})


class ReaderFooter(Footer):
    """A Footer whose extra keys (EXTRA_ACTIONS) carry the class `-extra` (hidden when compact,
    see app.tcss)."""

    def compose(self) -> ComposeResult:
        widgets: Iterable[Widget] = super().compose()
        for widget in widgets:
            if isinstance(widget, FooterKey) and widget.action in EXTRA_ACTIONS:
                widget.add_class("-extra")
            yield widget
