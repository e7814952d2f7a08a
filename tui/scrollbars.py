"""Scrollbars redrawn only when what they show changes.

Textual redraws a scrolling widget's scrollbars whole on every layout of the screen (most keys
lay it out: a list's length, a post's, the picker shown), whether their numbers changed or
not: at 5,000 posts that was a hundred to two hundred lines of scrollbar drawn per key, the
largest single share of typing into the picker. The scrollbar's own numbers (its window and
what it scrolls over) redraw it when they change; that is all it needs.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.geometry import Size

if TYPE_CHECKING:
    from textual.widget import Widget

    _Mixin = Widget
else:  # not a DOMNode: Textual takes CSS and component classes from the first DOMNode base
    _Mixin = object


class SteadyScrollbars(_Mixin):
    """Mixed in before a scrolling widget's base: Widget._scroll_update without redrawing a
    scrollbar whose numbers are unchanged (their reactives redraw it when they change)."""

    def _scroll_update(self, virtual_size: Size) -> None:
        self._refresh_scrollbars()
        width, height = self.container_size
        if self.show_vertical_scrollbar and self.styles.scrollbar_size_vertical:
            bar = self.vertical_scrollbar
            bar.window_virtual_size = virtual_size.height
            bar.window_size = height - self.scrollbar_size_horizontal
        if self.show_horizontal_scrollbar and self.styles.scrollbar_size_horizontal:
            bar = self.horizontal_scrollbar
            bar.window_virtual_size = virtual_size.width
            bar.window_size = width - self.scrollbar_size_vertical
        self.scroll_x = self.validate_scroll_x(self.scroll_x)
        self.scroll_y = self.validate_scroll_y(self.scroll_y)
