"""A post's headings as a tree: each heading with the blocks and headings under it.

Field-label headings (`### 影响`) are placed into the item they belong to, and the H1s that
are the post's title are left out. `structure.Structure` walks this tree to find the items.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .blocks import Block, plain
from .labels import block_label, heading_label, without_source_links

#: Blocks that are never an item's text.
SKIPPED = ("html", "hr")


@dataclass
class HeadingNode:
    """A heading of the post with the blocks and headings under it (the root: no heading)."""

    heading: Block | None
    level: int
    content: list[Block | HeadingNode] = field(default_factory=list)

    @property
    def kids(self) -> list[HeadingNode]:
        return [c for c in self.content if isinstance(c, HeadingNode)]

    @property
    def blocks(self) -> list[Block]:
        return [c for c in self.content if isinstance(c, Block)]


def heading_title(block: Block) -> tuple[str, str | None]:
    """A heading's title as plain text (a bracketed `[title]` unwrapped, a trailing `[原文]`
    link left out) and its link."""
    runs, _ = without_source_links(block.runs)
    link = next((r.link for r in block.runs if r.link), None)
    return unbracketed(plain(runs)), link


def unbracketed(text: str) -> str:
    """`[title]` (a link without its URL) as `title`, on one line."""
    title = " ".join(text.split())
    if title.startswith("[") and title.endswith("]"):
        return title[1:-1].strip()
    if title.startswith("[") and "]" not in title:
        return title[1:].strip()
    return title


def heading_tree(blocks: list[Block], titles: set[int]) -> tuple[HeadingNode, list[str]]:
    """The tree of a post's headings with their blocks, and the texts of the headings that
    are the post's title (`titles`: their ids), which are left out of the tree."""
    title_texts: list[str] = []
    headings = [b for b in blocks if b.kind == "heading"]
    # a heading with deeper headings under it groups them, whatever its words (`## 详细解读`)
    groups = {
        id(h) for h, after in zip(headings, headings[1:], strict=False) if after.level > h.level
    }
    root = HeadingNode(None, 0)
    stack = [root]
    for block in blocks:
        if block.kind != "heading":
            stack[-1].content.append(block)
            continue
        if id(block) in titles:
            title_texts.append(block.text)
            continue
        if id(block) not in groups and heading_label(block) is not None:
            place_label(stack, block)
            continue
        while stack[-1].level >= block.level:
            stack.pop()
        node = HeadingNode(block, block.level)
        stack[-1].content.append(node)
        stack.append(node)
    flatten_label_parents(root)
    return root, title_texts


def place_label(stack: list[HeadingNode], block: Block) -> None:
    """Put a field-label heading (`### 影响`) into the item it belongs to.

    Deeper than the open item, it is that item's (`## 条目` > `### 影响`). At the same
    level as an item that has no children, it is still that item's when their parent has
    no text of its own (`## 栏目` > `### 条目` then `### 影响`) or the item has labels of
    its own; otherwise the parent is the item and its child headings are its fields
    (`## 条目`, text, `### 背景`, `### 影响`).
    """
    while stack[-1].level > block.level:
        stack.pop()
    top = stack[-1]
    if top.heading is not None and top.level == block.level:
        parent = stack[-2]
        parent_is_item = parent.heading is not None and any(
            b.kind not in SKIPPED for b in parent.blocks
        )
        if not top.kids and (
            not parent_is_item or any(block_label(b, free=False) is not None for b in top.blocks)
        ):
            top.content.append(block)
            return
        stack.pop()
    stack[-1].content.append(block)


def all_blocks(node: HeadingNode) -> list[Block]:
    """Every block below `node` in reading order, child headings included."""
    out: list[Block] = []
    for part in node.content:
        if isinstance(part, HeadingNode):
            if part.heading is not None:
                out.append(part.heading)
            out.extend(all_blocks(part))
        else:
            out.append(part)
    return out


def flatten_label_parents(node: HeadingNode) -> None:
    """A heading whose children include field-label headings is an item: its child headings
    are all fields (`## 事件` > `### 背景`, `### 深度解读`, `### 影响`)."""
    if node.heading is not None and any(
        isinstance(c, Block) and c.kind == "heading" for c in node.content
    ):
        flat: list[Block | HeadingNode] = [*all_blocks(node)]
        node.content = flat
        return
    for kid in node.kids:
        flatten_label_parents(kid)
