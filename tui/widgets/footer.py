"""The reader's footer: Textual's Footer, where the keys of less used actions give way first.

On a narrow terminal (the footer is compact under 100 columns) the keys marked extra are not
shown, so the ones that stay are whole; every key is still in help (`?`) and the palette.

Textual's Footer rebuilds its keys (dozens of widgets, each styled anew) whenever the
bindings are refreshed, which is on every focus move: tab between the panes took most of a
key's time at 5,000 posts. This one rebuilds only when the keys it shows change, and not
while a box over the screen has the focus (the picker: `footer_held` on the screen), which
would hide the keys typed into its field and show them again when it closes.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

#: Actions whose keys leave the footer first when it is narrow.
EXTRA_ACTIONS = frozenset({"unread_only", "star", "starred", "market"})


def shown_keys(screen: Screen[object], palette: bool) -> tuple[Hashable, ...]:
    """What a footer on `screen` shows: each shown binding (key, action, words, enabled,
    tooltip, group), and the command palette's key when `palette`."""
    shown: list[Hashable] = [
        (binding.key, binding.action, binding.description, enabled, tooltip, binding.group)
        for (_node, binding, enabled, tooltip) in screen.active_bindings.values()
        if binding.show or (palette and binding.key == screen.app.COMMAND_PALETTE_BINDING)
    ]
    shown.append(palette)
    return tuple(shown)


class ReaderFooter(Footer):
    """A Footer whose extra keys (EXTRA_ACTIONS) carry the class `-extra` (hidden when compact,
    see app.tcss), rebuilt only when what it shows changes."""

    def __init__(self) -> None:
        super().__init__()
        self._shown: tuple[Hashable, ...] | None = None
        """What the keys on screen show (None: not built yet)."""

    def compose(self) -> ComposeResult:
        widgets: Iterable[Widget] = super().compose()
        for widget in widgets:
            if isinstance(widget, FooterKey) and widget.action in EXTRA_ACTIONS:
                widget.add_class("-extra")
            yield widget

    def watch_show_command_palette(self) -> None:
        if self.is_attached:  # e.g. narrowed under 80 columns: the palette's key goes
            self.bindings_changed(self.screen)

    def bindings_changed(self, screen: Screen[object]) -> None:
        after_first_frame = getattr(screen, "after_first_frame", None)
        if self._shown is None and after_first_frame and not getattr(screen, "frame_drawn", 1):
            # the keys (a few dozen widgets, each styled) wait for the screen's first frame:
            # the reader sees the posts first
            after_first_frame(lambda: self.call_later(self.bindings_changed, screen))
            return
        if not (screen.app.app_focus and self.is_attached and screen is self.screen):
            super().bindings_changed(screen)  # nothing rebuilt: keep what was last shown
            return
        if getattr(screen, "footer_held", False):
            return  # the keys stay as they were until the box closes
        shown = shown_keys(screen, self.show_command_palette and screen.app.ENABLE_COMMAND_PALETTE)
        if shown == self._shown:
            return  # e.g. the focus moved between panes: the same keys, nothing to rebuild
        self._shown = shown
        super().bindings_changed(screen)
