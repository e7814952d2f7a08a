"""Post reading mode: the whole post as one document, in source order.

For ordinary articles (技术分享 and the like), which the parser cuts into many items, and for
any post on `p`: its title and meta, then its markdown body rendered by our renderer
(headings as headings, links numbered), so it reads straight through. `anchors` says where
each item and each section heading starts, so the section tree serves as the table of
contents (choosing a node scrolls there), and search highlights and n/N work across it all.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from textual.content import Content

from ...index.model import Post
from ...index.sanitize import clean_line
from .document import Block, Document
from .documents import STYLE_DIM, STYLE_TITLE
from .markdown_blocks import LinkNumbers, link_marker, markdown_blocks

_MARKERS = re.compile(r"\[\d+\]")


@dataclass(frozen=True)
class Reading:
    """The post as one document, and where its parts start (block indexes)."""

    document: Document
    items: dict[str, int] = field(default_factory=dict)
    """Item id -> the block that starts it (its heading or title line)."""
    sections: dict[tuple[str, ...], int] = field(default_factory=dict)
    """Section path -> the block of its heading."""


def _words(text: str) -> str:
    return " ".join(_MARKERS.sub("", text).split())


def reading_document(post: Post) -> Reading:
    """The whole of `post` in source order, with its items' and sections' places."""
    links = LinkNumbers()
    blocks = [
        Block(Content.styled(clean_line(post.title) or "(untitled)", STYLE_TITLE)),
        Block(
            Content.styled(
                " · ".join(
                    [post.date.isoformat(), *([clean_line(post.category)] if post.category else [])]
                ),
                STYLE_DIM,
            )
        ),
    ]
    body, notice = markdown_blocks(
        post.body, links, skip=lambda text: " ".join(text.split()) == post.title
    )
    if notice:
        blocks.append(Block(Content.styled(notice, ".item-view--notice")))
    if body:
        blocks.append(Block(Content("")))
    start = len(blocks)
    blocks.extend(body)
    words = [_words(block.content.plain) for block in blocks]

    def find(text: str, after: int, whole: bool) -> int | None:
        wanted = _words(clean_line(text))
        if not wanted:
            return None
        for index in range(after, len(blocks)):
            if (words[index] == wanted) if whole else words[index].startswith(wanted):
                return index
        return None

    sections: dict[tuple[str, ...], int] = {}
    items: dict[str, int] = {}
    at = start
    for item in post.items:
        for depth in range(1, len(item.section) + 1):
            path = item.section[:depth]
            if path not in sections:
                found = find(path[-1], at, whole=True)
                if found is not None:
                    sections[path] = found
                    at = found
        found = find(item.title, at, whole=True)
        if found is None:
            found = find(item.title, at, whole=False)
        if found is None and _words(clean_line(item.title)) == words[0]:
            found = 0  # the post's own title (its H1 is shown as the title line)
        if found is not None:
            items[item.id] = found
            at = found
    if links.urls:
        blocks.append(Block(Content("")))
        blocks.append(Block(Content.styled("Links", ".item-view--heading")))
        for number, url in enumerate(links.urls, 1):
            blocks.append(Block(Content.assemble(link_marker(number), " ", (url, "underline"))))
    document = Document(tuple(blocks), tuple(links.urls), notice, (post.root, post.path, "read"))
    return Reading(document, items, sections)


def is_digest(post: Post) -> bool:
    """Whether the post is a digest (items with the digest's parts: time, points, analysis,
    impacts); an ordinary article is read in reading mode by default."""
    return any(
        item.impacts or item.points or item.analysis or item.time or item.advice
        for item in post.items
    )
