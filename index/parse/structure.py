"""Finding a post's items: which headings group entries, which are entries, and what else.

The digests lay items out in many ways: H2 = item (separated by ---); H2 sections with H3
(or H4) items; H3 link titles `### [title](url)`; bold title lines or bold link lines
`**[title](url)**` under a heading; bullets of a 更多动态 / 其他动态 section (a heading or a
bold line). The rules, applied to the heading tree:

- a heading with child headings groups them (a section), unless its children are field labels
  (`### 深度解读 & 洞察`, `### 影响`), which makes it an item with fields;
- a heading without children is an item, unless its body is a list of short news: under a
  more-news title (更多动态, 其他事件, 一般事件…), or a bare list beside headings that group
  items, each bullet is an item;
- a heading whose body starts with bold title lines (or bold link lines) groups the items they
  start; so does a 今日要闻 / 国内要闻 heading over `**标题**：正文` lines;
- a list of the post's own headlines (a table of contents above the items) is text, not the
  same items twice;
- whatever belongs to no item (H1, intros, section headings, closing notes) becomes the post's
  own text, so no word is lost.
"""

from __future__ import annotations

from dataclasses import dataclass

from .blocks import Block, plain
from .labels import (
    is_more_news,
    title_line,
    without_numbering,
)
from .outline import SKIPPED, HeadingNode, all_blocks, heading_title, heading_tree, unbracketed
from .shapes import (
    cap_title,
    contents_key,
    first_sentence,
    is_headlines,
    is_intro,
    is_roundup,
    is_substantial,
    more_news_marker,
    text_after_title,
)


@dataclass
class Draft:
    """An item found in the structure, before its body is read into fields."""

    title: str
    link: str | None
    section: tuple[str, ...]
    head_text: str
    """Plain text of the item's own title line (heading, bold line or first bullet line)."""
    blocks: list[Block]
    start: int
    end: int
    from_list: bool = False
    """Made from one bullet of a list of short news (or of a table of contents)."""
    head_rest: str = ""
    """What the title line says beyond the title (a description after a linked title, the
    sentences after a bullet's first); "" when the title is all of it, or is a heading."""


class Structure:
    """Walks a post's blocks and collects its item drafts and the text outside them."""

    def __init__(self, blocks: list[Block], post_title: str) -> None:
        self.post_title = post_title
        self.drafts: list[Draft] = []
        self.outside: list[str] = []
        """Text of the body outside every item, in reading order."""
        self._title_texts: list[str] = []
        root = self._tree(blocks)
        self._walk(root, (), group_level=False, parent_more=False)
        self._drop_contents_entries()
        if not self.drafts:
            self._whole_body(root)

    # -- the heading tree -----------------------------------------------------------------------

    def _tree(self, blocks: list[Block]) -> HeadingNode:
        root, title_texts = heading_tree(blocks, self._title_headings(blocks))
        self._title_texts.extend(title_texts)
        self.outside.extend(title_texts)
        return root

    def _title_headings(self, blocks: list[Block]) -> set[int]:
        """The H1s that are the post's title (not items): the lone first H1, or repeats."""
        h1s = [b for b in blocks if b.kind == "heading" and b.level == 1]
        if not h1s:
            return set()
        first_heading = next(b for b in blocks if b.kind == "heading")
        wanted = " ".join(self.post_title.split())
        titles = {id(b) for b in h1s if " ".join(b.text.split()) == wanted}
        if h1s[0] is first_heading and (len(h1s) == 1 or id(h1s[0]) in titles):
            titles.add(id(h1s[0]))
        return titles

    # -- classification -----------------------------------------------------------------------

    def _walk(
        self, node: HeadingNode, path: tuple[str, ...], group_level: bool, parent_more: bool
    ) -> None:
        is_root = node.heading is None
        title, link = heading_title(node.heading) if node.heading else (self.post_title, None)
        kids = node.kids
        if not kids:
            self._leaf(node, title, link, path, group_level, parent_more)
            return
        first_kid = next(i for i, part in enumerate(node.content) if isinstance(part, HeadingNode))
        intro = [
            b for b in node.content[:first_kid] if isinstance(b, Block) and b.kind not in SKIPPED
        ]
        starts = 1 if (len(intro) > 1 and is_intro(intro[0])) else 0
        if intro and title_line(intro[starts]) is not None:  # bold title lines, then headings
            self._entries(node, intro, title, link, path)
        elif intro and is_substantial(intro):
            self._add(title, link, path, title if not is_root else "", intro, node.heading)
            self.outside.append("" if is_root else title)
        else:
            self.outside.extend(b.text for b in intro)
            self.outside.append("" if is_root else title)
        inner = path if is_root else path + (title,)
        kids_group = any(k.kids for k in kids)
        more = not is_root and is_more_news(title)
        for kid in kids:
            self._walk(kid, inner, kids_group, more)
        # a part that follows the sections (`## 投资建议` at the end of a post)
        trailing = [
            b for b in node.content[first_kid:] if isinstance(b, Block) and b.kind not in SKIPPED
        ]
        if trailing:
            head = trailing[0] if trailing[0].kind == "heading" else None
            end_title = heading_title(head)[0] if head is not None else title
            self._add(end_title, None, inner, "" if head else end_title, trailing, head)

    def _leaf(
        self,
        node: HeadingNode,
        title: str,
        link: str | None,
        path: tuple[str, ...],
        group_level: bool,
        parent_more: bool,
    ) -> None:
        is_root = node.heading is None
        blocks = [b for b in node.blocks if b.kind not in SKIPPED]
        more = not is_root and (
            is_more_news(title)
            or (parent_more and len(without_numbering(title)) <= 6)
            or is_headlines(title, blocks)
        )
        if not blocks:
            if more or is_root:
                if not is_root:
                    self.outside.append(title)
            else:
                self._add(title, link, path, title, [], node.heading)
            return
        first = 1 if (len(blocks) > 1 and is_intro(blocks[0])) else 0
        starts_entries = title_line(blocks[first]) is not None
        if not starts_entries and (more or ((group_level or is_root) and is_roundup(blocks))):
            if not is_root:
                self.outside.append(title)
            self._bullets(
                blocks,
                path if is_root else path + (title,),
                paragraphs=more and not any(b.kind == "list" for b in blocks),
            )
            return
        self._entries(node, blocks, title, link, path)

    def _entries(
        self,
        node: HeadingNode,
        blocks: list[Block],
        title: str,
        link: str | None,
        path: tuple[str, ...],
    ) -> None:
        """A heading's body: one item, or the items its bold title lines start."""
        is_root = node.heading is None
        first = 1 if (len(blocks) > 1 and is_intro(blocks[0])) else 0
        starters = title_line(blocks[first]) is not None
        current: Draft | None = None
        inner = path if is_root else path + (title,)
        if starters:
            if not is_root:
                self.outside.append(title)
        else:
            current = self._draft(title, link, path, title, node.heading)
        i = 0
        while i < len(blocks):
            block = blocks[i]
            marker = more_news_marker(block)
            if marker is not None and i + 1 < len(blocks) and blocks[i + 1].kind == "list":
                self._close(current)
                current = None
                self.outside.append(marker)
                self._bullets([blocks[i + 1]], (inner if starters else path) + (marker,))
                i += 2
                continue
            found = title_line(block) if starters else None
            if found is not None:
                self._close(current)
                entry_title, entry_link, head_rest = found
                current = self._draft(entry_title, entry_link, inner, plain(block.runs), block)
                current.head_rest = head_rest
            elif current is not None:
                current.blocks.append(block)
            else:
                self.outside.append(block.text)
            i += 1
        self._close(current)

    def _bullets(
        self, blocks: list[Block], section: tuple[str, ...], paragraphs: bool = False
    ) -> None:
        """Each bullet of the lists is an item (with `paragraphs`, each paragraph too, as in
        a 其他动态 section of `**标题：** …` lines); anything else is the post's own text."""
        for block in blocks:
            if block.kind == "list":
                for bullet in block.children:
                    children = [c for c in bullet.children if c.kind not in SKIPPED]
                    self._entry(children, bullet.start, bullet.end, section)
            elif (
                paragraphs
                and block.kind == "paragraph"
                and more_news_marker(block) is None
                and not block.text.rstrip().endswith(("：", ":"))
            ):
                self._entry([block], block.start, block.end, section)
            else:
                self.outside.append(block.text)

    def _entry(self, children: list[Block], start: int, end: int, section: tuple[str, ...]) -> None:
        """An item made of a bullet's (or a paragraph's) blocks, titled by its first line."""
        if not children:
            return
        head = children[0]
        if head.kind != "paragraph":
            text = " ".join("\n".join(c.text for c in children).split())
            if text:
                self.drafts.append(
                    Draft(cap_title(text), None, section, "", children, start, end, from_list=True)
                )
            return
        runs = [r for r in head.runs if r.text.strip()]
        head_text = plain(head.runs)
        if runs and runs[0].link:
            title, link = " ".join(plain([runs[0]]).split()), runs[0].link
        else:
            title, link = first_sentence(head_text), None
        if not title:
            return
        self.drafts.append(
            Draft(
                cap_title(title),
                link,
                section,
                head_text,
                children[1:],
                start,
                end,
                from_list=True,
                head_rest=text_after_title(head_text, cap_title(title)),
            )
        )

    # -- drafts ---------------------------------------------------------------------------------

    def _draft(
        self,
        title: str,
        link: str | None,
        section: tuple[str, ...],
        head_text: str,
        head: Block | None,
    ) -> Draft:
        start = head.start if head is not None else 0
        end = head.end if head is not None else 0
        if head is not None and head.kind == "heading" and head_text:
            head_text = unbracketed(head.text)  # every word of it, `[原文]` links too
        return Draft(title, link, section, head_text, [], start, end)

    def _add(
        self,
        title: str,
        link: str | None,
        section: tuple[str, ...],
        head_text: str,
        blocks: list[Block],
        head: Block | None,
    ) -> None:
        draft = self._draft(title, link, section, head_text, head)
        draft.blocks.extend(blocks)
        self._close(draft)

    def _close(self, draft: Draft | None) -> None:
        if draft is None:
            return
        if draft.blocks:
            if not draft.end:
                draft.start = draft.blocks[0].start
            draft.end = max(draft.end, max(b.end for b in draft.blocks))
        self.drafts.append(draft)

    def _drop_contents_entries(self) -> None:
        """A list of the post's own headlines (`## 今日要闻` above the items it names, or
        links to `#anchors`) is a table of contents: its bullets are the post's text, not
        items a second time; an item without a link takes the one its headline gave."""
        items = {contents_key(d.title): d for d in self.drafts if not d.from_list}
        kept: list[Draft] = []
        for draft in self.drafts:
            twin = items.get(contents_key(draft.title)) if draft.from_list else None
            anchor = draft.from_list and (draft.link or "").startswith("#")
            if twin is None and not anchor:
                kept.append(draft)
                continue
            self.outside.extend([draft.head_text or draft.title] + [b.text for b in draft.blocks])
            if twin is not None and twin.link is None and not anchor:
                twin.link = draft.link
        self.drafts = kept

    def _whole_body(self, root: HeadingNode) -> None:
        """No items anywhere: the whole body (what is not the title) is one item."""
        blocks = [b for b in all_blocks(root) if b.kind not in SKIPPED]
        if not any(b.text for b in blocks):
            return
        self.outside = list(self._title_texts)
        self._add(self.post_title, None, (), "", blocks, None)
