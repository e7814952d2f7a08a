"""A line-API widget's own style, looked up once per redraw instead of once per line.

`Widget.rich_style` combines the styles of the widget and all its ancestors: for the section
tree and the detail pane, drawing forty lines asked for it forty times per frame.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.style import Style
from textual.geometry import Region
from textual.strip import Strip

if TYPE_CHECKING:
    from textual.widget import Widget

    _Mixin = Widget
else:  # not a DOMNode: Textual takes CSS and component classes from the first DOMNode base
    _Mixin = object


class StyleOncePerRedraw(_Mixin):
    """Mixed in before a line-API widget's base: `line_style` is `rich_style`, computed once
    per `render_lines`."""

    _pass_style: Style | None = None

    def render_lines(self, crop: Region) -> list[Strip]:
        self._pass_style = self.rich_style
        try:
            return super().render_lines(crop)
        finally:
            self._pass_style = None

    @property
    def line_style(self) -> Style:
        """The widget's style for one line (the redraw's, while one is under way)."""
        return self._pass_style if self._pass_style is not None else self.rich_style
