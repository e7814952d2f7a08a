"""A pane shows the focus on its top edge and its cursor row: a focus move redraws those only.

Textual redraws every line of a widget whose focus changes (`Widget._on_focus` and `_on_blur`
refresh it whole, and so does each style the focus changes), and its own lists tint the whole
background of a focused list. At 5,000 posts that was two panes of 37 lines each drawn and sent
again on every tab, on every box opened or closed over the panes (the pickers), each to change
the colour of a border.

The panes' look under focus changes only their top edge (the border's top line and the title,
in app.tcss) and the cursor row's look (the lists' own component styles): nothing else of the
pane may change with the focus. While a pane handles its own Focus or Blur, a refresh of the
whole pane is narrowed to those rows (`focus_rows`); any other refresh is Textual's.
tests/test_focus_edge.py checks that the screen after a focus move is what a full redraw shows.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import events
from textual.geometry import Region
from textual.message import Message

if TYPE_CHECKING:
    from textual.widget import Widget
    from typing_extensions import Self

    _Mixin = Widget
else:  # not a DOMNode: Textual takes CSS and component classes from the first DOMNode base
    _Mixin = object


class FocusRedrawsEdge(_Mixin):
    """Mixed in before a pane's base: its Focus and Blur redraw its top edge and the rows
    `cursor_rows` names, not the whole pane."""

    _restyling_for_focus = False

    async def _on_message(self, message: Message) -> None:
        if not isinstance(message, (events.Focus, events.Blur)):
            await super()._on_message(message)
            return
        self._restyling_for_focus = True
        try:
            await super()._on_message(message)
        finally:
            self._restyling_for_focus = False

    def refresh(
        self,
        *regions: Region,
        repaint: bool = True,
        layout: bool = False,
        recompose: bool = False,
    ) -> Self:
        if self._restyling_for_focus and repaint and not (regions or layout or recompose):
            if self.is_mounted and self.size:
                return super().refresh(*self.focus_rows())
        return super().refresh(*regions, repaint=repaint, layout=layout, recompose=recompose)

    def focus_rows(self) -> list[Region]:
        """What the focus changes, in content coordinates: the top edge, the cursor rows."""
        offset = self.content_offset
        edge = Region(-offset.x, -offset.y, self.outer_size.width, max(offset.y, 1))
        return [edge, *self.cursor_rows()]

    def cursor_rows(self) -> list[Region]:
        """The rows whose look follows the focus besides the top edge (content coordinates)."""
        return []
