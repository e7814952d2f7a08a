"""Less made and thrown away on each redraw: Textual's strips and component styles, leaner.

A key's cost at 5,000 posts was as much what Textual made and dropped as what it drew: the
garbage collector's full pass, which walks and frees it, fell on one press in ten.

- A `Strip` (one line of a widget, a few per row drawn) made seven caches of its own when it
  was made (for its crops, divisions, styles, filters...), 15 objects the collector tracks;
  most strips are drawn once and never use one. `install` makes each cache when the strip
  first uses it (`Strip.__getattr__`: an unset slot), so a strip is two objects until then.
- Styling a widget with component classes (the lists' and the tree's rows, highlights,
  guides) made a new virtual node per component class each time (a DOM node of 35 objects
  in cycles, only the full pass frees them): the panes are styled on every tab. The virtual
  nodes are kept per widget and styled again in place; the widget is redrawn when a
  component's rules changed, as before.
- Each restyle of a scrolling widget (a focus move, a class) set its scrollbar colours again
  and Textual redrew its scrollbars whole each time, whether a colour changed or not: the
  detail pane's 35-line scrollbar on every tab into or out of it. They are redrawn when a
  colour changes.

Textual 8's code is replaced; tests/test_lean_redraws.py checks that the originals are still
those this was written against (their source) and that the strips and styles behave alike.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from rich.segment import Segment
from textual.cache import FIFOCache
from textual.css._style_properties import ColorProperty, ScrollbarColorProperty
from textual.css.styles import StylesBase
from textual.css.stylesheet import Stylesheet
from textual.dom import DOMNode
from textual.strip import Strip

ORIGINAL_STRIP_INIT: Callable[..., None] = Strip.__init__
ORIGINAL_COMPONENT_CLASSES: Callable[..., None] = Stylesheet._process_component_classes
ORIGINAL_SCROLLBAR_COLOR_SET: Callable[..., None] = ScrollbarColorProperty.__set__

#: Each cache of a strip and its size (Textual's Strip.__init__).
STRIP_CACHES = {
    "_divide_cache": 4,
    "_crop_cache": 16,
    "_style_cache": 16,
    "_filter_cache": 4,
    "_line_length_cache": 4,
    "_crop_extend_cache": 4,
    "_offsets_cache": 4,
}


def strip_init(self: Strip, segments: Iterable[Segment], cell_length: int | None = None) -> None:
    """Strip.__init__ without its caches (made on first use, `strip_cache`)."""
    self._segments = list(segments)
    self._cell_length = cell_length
    self._render_cache = None
    self._link_ids = None
    self._cell_count = None


def strip_cache(self: Strip, name: str) -> FIFOCache[Any, Any]:
    """A strip's cache, made when first asked for (an unset slot lands here)."""
    size = STRIP_CACHES.get(name)
    if size is None:
        raise AttributeError(name)
    cache: FIFOCache[Any, Any] = FIFOCache(size)
    setattr(self, name, cache)
    return cache


#: The virtual nodes kept per widget: component class -> node.
_KEPT = "_lean_component_nodes"


def style_components(self: Stylesheet, node: DOMNode) -> None:
    """Stylesheet._process_component_classes, styling the widget's kept virtual nodes again
    instead of making new ones; redraws the widget when a component's rules changed."""
    component_classes = node._get_component_classes()
    if not component_classes:
        return
    kept: dict[str, DOMNode] | None = getattr(node, _KEPT, None)
    if kept is None:
        kept = {}
        setattr(node, _KEPT, kept)
    component_styles = node._component_styles
    refresh_node = False
    for component in sorted(component_classes):
        virtual_node = kept.get(component)
        if virtual_node is None:
            virtual_node = DOMNode(classes=component)
            virtual_node._attach(node)
            kept[component] = virtual_node
            before = None
        else:
            styles = virtual_node.styles
            before = (dict(styles.base._rules), dict(styles.inline._rules))
        self.apply(virtual_node, animate=False)
        styles = virtual_node.styles
        if not refresh_node:
            if before is None or component not in component_styles:
                refresh_node = component_styles.get(component) != styles
            else:
                refresh_node = before != (styles.base._rules, styles.inline._rules)
        component_styles[component] = styles
    for gone in [name for name in component_styles if name not in component_classes]:
        del component_styles[gone]
        kept.pop(gone, None)
    if refresh_node:
        node.refresh()


def set_scrollbar_color(self: ScrollbarColorProperty, obj: StylesBase, color: Any) -> None:
    """ScrollbarColorProperty.__set__, redrawing the widget's scrollbars only when the colour
    changed (Textual redrew them on every restyle)."""
    before = obj.get_rule(self.name)
    ColorProperty.__set__(self, obj, color)
    node = obj.node
    if node is None or obj.get_rule(self.name) == before:
        return
    from textual.widget import Widget

    if isinstance(node, Widget):
        if node.show_horizontal_scrollbar:
            node.horizontal_scrollbar.refresh()
        if node.show_vertical_scrollbar:
            node.vertical_scrollbar.refresh()


def install() -> None:
    """Make strips' caches on first use, keep widgets' component nodes, redraw scrollbars
    only for a new colour (module doc)."""
    Strip.__init__ = strip_init  # type: ignore[method-assign]
    Strip.__getattr__ = strip_cache  # type: ignore[attr-defined]
    Stylesheet._process_component_classes = style_components  # type: ignore[method-assign]
    ScrollbarColorProperty.__set__ = set_scrollbar_color  # type: ignore[method-assign]
