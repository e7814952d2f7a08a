"""The section tree: the selected post's sections and items, with item counts.

The top node is the post itself (choosing it shows the post's header); sections are the
headings that group items (H2 > H3), each with how many items it holds; leaves are items,
with their impacts' glyphs. Labels are rich Text, never markup.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual.binding import Binding
from textual.widgets import Tree
from textual.widgets.tree import TreeNode

from ...index.model import Item, Post
from ...index.sanitize import display_line as clean_line
from ..colors import stance_glyph, stance_style

MAX_GLYPHS = 4


@dataclass(frozen=True)
class NodeData:
    """What a tree node stands for: the post, a section, or one item (by id)."""

    kind: str
    """"post", "section" or "item"."""
    item_id: str | None = None


def item_label(item: Item, convention: str) -> Text:
    """An item's title followed by its impacts' glyphs."""
    label = Text(clean_line(item.title) or "(untitled)")
    if item.impacts:
        label.append(" ")
        for impact in item.impacts[:MAX_GLYPHS]:
            label.append(stance_glyph(impact.stance), stance_style(impact.stance, convention))
        if len(item.impacts) > MAX_GLYPHS:
            label.append("…", "dim")
    return label


class SectionTree(Tree[NodeData]):
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
        self.loading = False
        """True while another post is being loaded (the top node says so)."""

    def show_loading(self) -> None:
        """Say that another post is on its way (the tree still shows the last one)."""
        self.loading = True
        self.root.set_label(Text("Loading…", "dim"))

    def show_post(self, post: Post | None, convention: str) -> None:
        """Rebuild the tree for `post` (None: empty); everything starts expanded."""
        self.post = post
        self.loading = False
        self.item_nodes = {}
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
                    sections[path] = parent.add(label, NodeData("section"), expand=True)
                parent = sections[path]
            self.item_nodes[item.id] = parent.add_leaf(
                item_label(item, convention), NodeData("item", item.id)
            )
        self.root.expand()
        self._goto(self.root)

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

    def relabel(self, convention: str) -> None:
        """Recolour the item glyphs after the colour convention changed."""
        if self.post is None:
            return
        for item in self.post.items:
            node = self.item_nodes.get(item.id)
            if node is not None:
                node.set_label(item_label(item, convention))
