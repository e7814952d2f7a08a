"""`show` as text: a post the way the detail pane shows it, wrapped for a terminal or not.

Every part the reader shows is here, in the same order (the post's header, then each item:
title, time, link, the report, analysis, impacts, advice, other fields), laid out by the
reader's own CJK-aware wrapper (a line breaks between Chinese characters, never inside a
Latin word, never before closing punctuation). On a terminal the lines are wrapped to its
width and styled; through a pipe each paragraph is one plain line, nothing padded.
All text is post-derived: it becomes rich `Text` from Content, never markup.
"""

from __future__ import annotations

from rich.style import Style
from rich.text import Text
from textual.content import Content

from ...index.model import Post
from ...index.sanitize import clean_line
from ..detail.document import Block, Document, layout
from ..detail.documents import item_document, post_document

#: Lines are not wrapped when there is no terminal: one line per paragraph.
UNWRAPPED = 1 << 30
#: What the detail pane's style classes look like on a plain terminal.
_CLASS_STYLES = {
    ".item-view--title": "bold",
    ".item-view--heading": "bold cyan",
    ".item-view--code": "reverse",
    ".item-view--notice": "italic yellow",
    ".item-view--tag": "cyan",
}


def _rich_style(spec: object) -> Style | None:
    if isinstance(spec, str):
        spec = _CLASS_STYLES.get(spec, spec)
        if isinstance(spec, str) and spec.startswith("."):
            return None
        try:
            return Style.parse(spec) if isinstance(spec, str) else None
        except Exception:  # a Textual-only style word: shown unstyled
            return None
    return None


def to_text(line: Content, styled: bool) -> Text:
    """One laid-out line as rich Text (styles only when `styled`)."""
    text = Text(line.plain, end="")
    if styled:
        for span in line.spans:
            style = _rich_style(span.style)
            if style is not None:
                text.stylize(style, span.start, span.end)
    return text


def post_documents(post: Post, convention: str, colour: bool) -> list[Document]:
    """The post's header, then a section heading where the section changes, then every item
    (its title marked ■), in source order."""
    documents = [post_document(post, convention, colour)]
    section: tuple[str, ...] = ()
    for item in post.items:
        if item.section and item.section != section:
            heading = " › ".join(clean_line(s) for s in item.section)
            documents.append(Document((Block(Content.styled(heading, "bold underline")),)))
        section = item.section
        document = item_document(post, item, convention, colour)
        title, *rest = document.blocks
        marked = Block(Content.assemble(("■ ", "bold"), title.content))
        documents.append(Document((marked, *rest), document.links, document.notice))
    return documents


def post_lines(post: Post, convention: str, width: int | None, styled: bool) -> list[Text]:
    """Every line of `show` for one post: wrapped to `width` (None: not wrapped)."""
    lines: list[Text] = []
    for document in post_documents(post, convention, styled):
        if lines:
            lines.append(Text(""))
        for line in layout(document, width or UNWRAPPED, fit_tables=False).lines:
            lines.append(to_text(line, styled))
    return lines
