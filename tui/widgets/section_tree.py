"""The section tree: the selected post's sections and items, with item counts.

The top node is the post itself (choosing it shows the post's header); sections are the
headings that group items (H2 > H3), each with how many items it holds; leaves are items,
with their impacts' glyphs; an unread item is bold with a dot before it, a starred one has a
★ after it. Labels are rich Text, never markup.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from rich.style import Style
from rich.text import Text
from textual.binding import Binding
from textual.geometry import Region
from textual.strip import Strip
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import Tree
from textual.widgets.tree import TreeNode

from ...index.model import Item, Post
from ...index.reading_view import ReadingView
from ...index.sanitize import display_line as clean_line
from ..colors import STAR, UNREAD_DOT, stance_glyph, stance_style
from ..focus_edge import FocusRedrawsEdge
from ..line_style import StyleOncePerRedraw
from ..scrollbars import SteadyScrollbars
from ..whole_ellipsis import cut_text

MAX_GLYPHS = 4

#: Seconds a post may take to load before the tree says "Loading…".
LOADING_AFTER_S = 0.15


@dataclass(frozen=True)
class NodeData:
    """What a tree node stands for: the post, a section, or one item (by id)."""

    kind: str
    """"post", "section" or "item"."""
    item_id: str | None = None
    section: tuple[str, ...] = ()
    """A section's path of headings (outermost first)."""


def item_label(item: Item, convention: str, unread: bool = False, starred: bool = False) -> Text:
    """An item's marks (• unread, ★ starred), its impacts' glyphs, then its title (bold while
    unread): marks and glyphs stay visible however narrow the pane (a long title is what is
    cut, with an ellipsis)."""
    label = Text()
    if unread:
        label.append(f"{UNREAD_DOT} ", "bold")
    if starred:
        label.append(f"{STAR} ", "bold")
    if item.impacts:
        for impact in item.impacts[:MAX_GLYPHS]:
            label.append(stance_glyph(impact.stance), stance_style(impact.stance, convention))
        if len(item.impacts) > MAX_GLYPHS:
            label.append("…", "dim")
        label.append(" ")
    label.append(clean_line(item.title) or "(untitled)", "bold" if unread else "")
    return label


class SectionTree(FocusRedrawsEdge, SteadyScrollbars, StyleOncePerRedraw, Tree[NodeData]):
    """Sections and items of one post; highlighting an item shows it in the detail pane."""

    BINDINGS = [
        Binding("j", "cursor_down", "Down", show=False),
        Binding("k", "cursor_up", "Up", show=False),
        Binding("g,home", "first", "First", show=False),
        Binding("G,end", "last", "Last", show=False),
    ]

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:  # noqa: A002
        super().__init__(Text("No post"), NodeData("post"), id=id, classes=classes)
        self.show_root = True
        self.guide_depth = 2
        self.post: Post | None = None
        self.item_nodes: dict[str, TreeNode[NodeData]] = {}
        self._counts: dict[tuple[str, ...], int] = {}
        self.awaiting_post = False
        """True while another post is being loaded (the top node says so after a while).
        Not Textual's `loading`: that covers the tree with a spinner at once, a widget
        mounted and removed again on every post that comes quickly (most do)."""
        self.reading = ReadingView()
        self.convention = "cn"
        self._shown_marks: dict[str, tuple[bool, bool]] = {}
        self._loading_timer: Timer | None = None

    _styled_for: object = None
    """The pseudo-classes (focus, hover, ...) the tree's lines were last drawn under."""

    def notify_style_update(self) -> None:
        """Textual's Tree lays out every line of the tree again on any style change, a focus
        move (tab, the picker opened from here) or a pane's class too: the layout does not
        depend on styles, only the drawn lines do. Those are drawn again: all of them after
        a class or theme change, and after a focus move the ones whose look changes (the
        pseudo-classes are part of each drawn line's cache key)."""
        state = self.get_pseudo_class_state()
        if state == self._styled_for:
            self._line_cache.clear()
        self._styled_for = state
        Widget.notify_style_update(self)
        self.refresh()

    def cursor_rows(self) -> list[Region]:
        """The cursor's line (its look follows the focus)."""
        if self.cursor_line < 0:
            return []
        return [Region(0, self.cursor_line - self.scroll_offset.y, self.size.width, 1)]

    when_item_chosen: Callable[[], None] | None = None
    """Called as soon as an item is chosen with a key (the screen moves the focus on to the
    detail), so that keys typed after `enter` go there, before the chosen message comes."""

    def action_select_cursor(self) -> None:
        super().action_select_cursor()
        node = self.cursor_node
        chosen = node is not None and node.data is not None and node.data.kind != "section"
        if chosen and self.when_item_chosen is not None:
            self.when_item_chosen()

    def show_loading(self) -> None:
        """Say that another post is on its way (the tree still shows the last one), once it
        has taken LOADING_AFTER_S: a post that comes sooner (most do) is shown without
        drawing the tree twice (a new top label redraws every line)."""
        self.awaiting_post = True
        if self._loading_timer is None:
            self._loading_timer = self.set_timer(LOADING_AFTER_S, self._say_loading)

    def _say_loading(self) -> None:
        self._loading_timer = None
        if self.awaiting_post:  # a timer already due cannot be stopped: check
            self.root.set_label(Text("Loading…", "dim"))

    def render_line(self, y: int) -> Strip:
        """Tree.render_line, with the widget's style looked up once per redraw."""
        style = self.line_style
        scroll_x, scroll_y = self.scroll_offset
        return self._render_line(y + scroll_y, scroll_x, scroll_x + self.size.width, style)

    def show_post(self, post: Post | None, convention: str) -> None:
        """Rebuild the tree for `post` (None: empty); everything starts expanded."""
        self.post = post
        self.convention = convention
        self.awaiting_post = False
        if self._loading_timer is not None:
            self._loading_timer.stop()
            self._loading_timer = None
        self.item_nodes = {}
        self._shown_marks = {}
        self.clear()
        if post is None:
            self.root.set_label(Text("No post", "dim"))
            return
        title = Text(post.date.isoformat() + " ", "dim")
        title.append(clean_line(post.title) or "(untitled)", "bold")
        if not post.items:
            title.append("  (article)", "dim")
        self.root.set_label(title)
        sections: dict[tuple[str, ...], TreeNode[NodeData]] = {}
        counts: dict[tuple[str, ...], int] = {}
        for item in post.items:
            for depth in range(1, len(item.section) + 1):
                path = item.section[:depth]
                counts[path] = counts.get(path, 0) + 1
        for item in post.items:
            parent = self.root
            for depth in range(1, len(item.section) + 1):
                path = item.section[:depth]
                if path not in sections:
                    label = Text(clean_line(path[-1]) or "—", "bold")
                    label.append(f" {counts[path]}", "dim")
                    sections[path] = parent.add(
                        label, NodeData("section", section=path), expand=True
                    )
                parent = sections[path]
            own = (*item.section, item.title)
            if own in counts and own not in sections:
                # a heading with its own intro text and items below it: one node, not an
                # item and a section of the same name
                data = NodeData("item", item.id, section=own)
                self._counts[own] = counts[own]
                node = parent.add(self._label(item, data), data, expand=True)
                sections[own] = self.item_nodes[item.id] = node
                continue
            self.item_nodes[item.id] = parent.add_leaf(self._label(item), NodeData("item", item.id))
        self.root.expand()
        self._goto(self.root)

    def render_label(self, node: TreeNode[NodeData], base_style: Style, style: Style) -> Text:
        """The label, cut with an ellipsis where the pane ends (never silently)."""
        label = super().render_label(node, base_style, style)
        depth, parent = 0, node.parent
        while parent is not None:
            depth, parent = depth + 1, parent.parent
        room = self.scrollable_content_region.width - depth * self.guide_depth
        if room > 1 and label.cell_len > room:
            cut_text(label, room)
        return label

    def select_item(self, item_id: str | None) -> bool:
        """Move the cursor to item `item_id` (None: the post node); False if it is absent."""
        node = self.root if item_id is None else self.item_nodes.get(item_id)
        if node is None:
            return False
        self._goto(node)
        return True

    def _goto(self, node: TreeNode[NodeData]) -> None:
        self._tree_lines  # noqa: B018 - lays the lines out now, so that node.line is known
        self.move_cursor(node)

    def action_first(self) -> None:
        """Go to the top node (the post)."""
        self.cursor_line = 0
        self.scroll_to_line(0)

    def action_last(self) -> None:
        """Go to the last line of the tree (the last item)."""
        last = self.last_line
        if last >= 0:
            self.cursor_line = last
            self.scroll_to_line(last)

    @property
    def current(self) -> NodeData | None:
        node = self.cursor_node
        return node.data if node is not None else None

    def _marks(self, item: Item) -> tuple[bool, bool]:
        """(unread, starred) of an item of the post shown."""
        post, reading = self.post, self.reading
        assert post is not None
        unread = reading.loaded and not reading.is_read(post.path, item.id)
        return unread, reading.is_starred(post.path, item.id)

    def _label(self, item: Item, data: NodeData | None = None) -> Text:
        """An item's label with its marks; an item that is also a section's heading says so
        (bold, with its count)."""
        marks = self._marks(item)
        self._shown_marks[item.id] = marks
        label = item_label(item, self.convention, *marks)
        if data is not None and data.section:
            label.stylize("bold")
            label.append(f" {self._counts.get(data.section, 0)}", "dim")
        return label

    def relabel(self, convention: str) -> None:
        """Recolour the item glyphs after the colour convention changed."""
        self.convention = convention
        if self.post is None:
            return
        for item in self.post.items:
            node = self.item_nodes.get(item.id)
            if node is not None:
                node.set_label(self._label(item, node.data))

    def set_reading(self, reading: ReadingView) -> None:
        """Show these read marks and stars on the post's items."""
        self.reading = reading
        post = self.post
        if post is None or (reading.touched is not None and post.path not in reading.touched):
            return
        for item in post.items:  # only the labels whose marks changed (a post may be huge)
            node = self.item_nodes.get(item.id)
            if node is not None and self._shown_marks.get(item.id) != self._marks(item):
                node.set_label(self._label(item, node.data))
