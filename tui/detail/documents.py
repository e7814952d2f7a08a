"""Posts and items as Documents for the detail pane.

An item shows itself in the order a reader reads it: title, time, link, then the report
(key points 核心要点 and the rest of its text: the markdown of the blocks the parser did
not take for any part and of the labelled fields before the commentary, 核心事实 and the
like, `Item.rest`, in source order), then the commentary: analysis (深度解读), impacts
(影响, colour-coded by stance under the chosen convention, with a glyph each), advice
(投资启示) and every labelled block after them.
A post (its tree's top node) shows its header: title, tags, summary bullets, warnings and
its impacts grouped by asset; a post without items (an ordinary article) shows its body.
All text here is post-derived, so it only ever becomes Content, never markup.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from textual.content import Content

from ...index.model import Impact, Item, Post
from ...index.sanitize import display as clean
from ...index.sanitize import display_line as clean_line
from ..colors import stance_glyph, stance_label, stance_style_spec
from .document import Block, Document
from .markdown_blocks import MAX_DOCUMENT_CHARS, LinkNumbers, link_marker, markdown_blocks

STYLE_TITLE = ".item-view--title"
STYLE_HEADING = ".item-view--heading"
STYLE_DIM = "dim"
STYLE_NOTICE = ".item-view--notice"

HORIZON_LABELS = {"short": "短期", "medium": "中期", "long": "长期"}
#: How an impact that names no target is labelled (in the post's impacts by asset too).
NO_TARGET = "(no target)"

_STANCE_PREFIX = re.compile(
    r"^[（(]?(?:严重利空|温和利空|中性偏空|中性偏多|中性偏高|温和利多|间接利多|结构性利好|"
    r"利多|利好|利空|偏多|偏空|中性|承压)[）)]?\s*[，,。；;：:、]\s*"
)


def impact_line(
    impact: Impact, convention: str, colour: bool | None = None
) -> tuple[Content, Content]:
    """(bullet, text) for one impact: coloured glyph, target, stance word, horizon, words."""
    style = stance_style_spec(impact.stance, convention, colour=colour)
    glyph_style = stance_style_spec(
        impact.stance, convention, colour=colour, inferred=impact.inferred
    )
    bullet = Content.styled(f"{stance_glyph(impact.stance)} ", glyph_style)
    target = clean_line(impact.target).strip()
    parts: list[Content] = []
    if target or impact.stance != "unknown":  # prose naming neither: just its words
        parts += [
            Content.styled(target or NO_TARGET, f"bold {style}".strip()),
            Content("  "),
            Content.styled(stance_label(impact.stance, impact.inferred), glyph_style),
        ]
    if impact.horizon:
        parts.append(
            Content.styled(f" {HORIZON_LABELS.get(impact.horizon, impact.horizon)}", STYLE_DIM)
        )
    words = impact_words(impact)
    if words:
        parts += [Content("  ") if parts else Content(""), Content(words)]
    return bullet, Content("").join(parts)


def impact_words(impact: Impact) -> str:
    """The impact's own words without the target and stance word it starts with (they are
    shown beside it already): "黄金： 利多，金价走高。" -> "金价走高。"."""
    text = clean(impact.text).strip()
    target = clean_line(impact.target).strip()
    if target and text.lstrip("*对 ").startswith(target):
        rest = text.lstrip("*对 ")[len(target) :].lstrip("*")
        if rest[:1] in ("：", ":"):
            text = rest[1:].strip()
    match = _STANCE_PREFIX.match(text)
    if match and match.end() < len(text):
        text = text[match.end() :].strip()
    return text


class _Builder:
    """Collects blocks and numbered links."""

    def __init__(self) -> None:
        self.blocks: list[Block] = []
        self.links = LinkNumbers()
        self.notice: str | None = None
        self.budget = MAX_DOCUMENT_CHARS
        """Characters the document may still show: one budget for every block."""
        self.not_shown = 0

    def add(self, content: Content, indent: int = 0, bullet: Content | None = None) -> None:
        length = len(content.plain)
        if length > self.budget:  # cut here; what follows is not shown either
            self.not_shown += length - self.budget
            content = content.divide([self.budget])[0] if self.budget else Content("")
            self.budget = 0
            if not content.plain:
                return
        else:
            self.budget -= length
        self.blocks.append(Block(content, indent, bullet))

    def blank(self) -> None:
        if self.blocks and self.blocks[-1].content.plain:
            self.blocks.append(Block(Content("")))

    def heading(self, text: str) -> None:
        self.blank()
        self.add(Content.styled(clean_line(text), STYLE_HEADING))

    def paragraphs(self, text: str, indent: int = 0) -> None:
        for number, paragraph in enumerate(p for p in clean(text).split("\n") if p.strip()):
            if number:
                self.blank()
            self.add(Content(paragraph.strip()), indent)

    def bullets(self, texts: Iterable[str], indent: int = 0) -> None:
        for text in texts:
            self.add(Content(clean(text).strip()), indent, Content.styled("• ", STYLE_DIM))

    def link_line(self, url: str) -> None:
        number = self.links.number(url)
        self.add(
            Content.assemble((clean_line(url), "underline"), " ", link_marker(number)),
            0,
            Content.styled("↗ ", STYLE_DIM),
        )

    def markdown(self, markdown: str, skip: Callable[[str], bool] | None = None) -> None:
        """Markdown rendered by our own renderer (budgeted), after a blank line."""
        if not markdown.strip():
            return
        blocks, notice = markdown_blocks(markdown, self.links, skip=skip, budget=self.budget)
        if notice:
            self.notice = notice
            self.blank()
            self.add(Content.styled(notice, STYLE_NOTICE))
        if any(block.content.plain.strip() for block in blocks):
            self.blank()
            self.blocks.extend(blocks)

    def document(self, key: tuple[str, ...]) -> Document:
        if self.not_shown:
            self.notice = self.notice or "Shown in part: the item is too large to show whole."
            self.budget = len(self.notice) + 100
            self.blank()
            self.add(
                Content.styled(f"… {self.not_shown:,} more characters not shown", STYLE_NOTICE)
            )
        if self.links.urls:
            self.heading("Links")
            for number, url in enumerate(self.links.urls, 1):
                self.blocks.append(
                    Block(Content.assemble(link_marker(number), " ", (url, "underline")))
                )
        return Document(tuple(self.blocks), tuple(self.links.urls), self.notice, key)


def item_document(post: Post, item: Item, convention: str, colour: bool | None = None) -> Document:
    """What the detail pane shows for one item."""
    out = _Builder()
    out.add(Content.styled(clean_line(item.title) or "(untitled)", STYLE_TITLE))
    meta = [clean_line(item.time) if item.time else post.date.isoformat()]
    if item.section:
        meta.append(" › ".join(clean_line(s) for s in item.section))
    out.add(Content.styled(" · ".join(meta), STYLE_DIM))
    if item.link:
        out.link_line(item.link)
    if item.points:
        out.heading("核心要点")
        out.bullets(item.points)
    out.markdown(item.rest)  # the rest of the report, before any commentary on it
    if item.analysis:
        out.heading("深度解读")
        out.paragraphs(item.analysis)
    if item.impacts:
        out.heading("影响")
        for impact in item.impacts:
            bullet, text = impact_line(impact, convention, colour)
            out.add(text, 0, bullet)
    if item.advice:
        out.heading("投资启示")
        out.paragraphs(item.advice)
    for labelled in item.fields:
        if labelled.reported:  # shown in the report, with the rest
            continue
        out.heading(labelled.label)
        out.paragraphs(labelled.text)
    return out.document((post.root, post.path, item.id))


def impacts_by_asset(
    post: Post, first: str | None = None
) -> list[tuple[str, list[tuple[Item, Impact]]]]:
    """The post's impacts grouped by asset (by target when no asset is known), busiest first
    (those naming no target last); the asset `first` (the asset filter's) before them all."""
    groups: dict[str, list[tuple[Item, Impact]]] = {}
    for item in post.items:
        for impact in item.impacts:
            for name in impact.assets or (impact.target,):
                groups.setdefault(clean_line(name).strip() or NO_TARGET, []).append((item, impact))
    return sorted(
        groups.items(),
        key=lambda kv: (kv[0] != first, kv[0] == NO_TARGET, -len(kv[1]), kv[0]),
    )


def leading_asset(post: Post, asset: str | None) -> str | None:
    """The asset filter's asset if it changes the post's impacts by asset (it has impacts
    on it, and they are not the first already), else None: the same document either way."""
    if asset is None:
        return None
    groups = impacts_by_asset(post, None)
    names = [name for name, _pairs in groups]
    return asset if asset in names and names[0] != asset else None


def post_document(
    post: Post, convention: str, colour: bool | None = None, first_asset: str | None = None
) -> Document:
    """What the detail pane shows for a post's top node: its header, or its body (with an
    asset filter on, that asset's impacts come first)."""
    out = _Builder()
    out.add(Content.styled(clean_line(post.title) or "(untitled)", STYLE_TITLE))
    meta = [post.date.isoformat()]
    if post.category:
        meta.append(clean_line(post.category))
    meta.append(f"{len(post.items)} items" if post.items else "article")
    out.add(Content.styled(" · ".join(meta), STYLE_DIM))
    out.add(Content.styled(clean_line(post.path), STYLE_DIM))
    if post.tags:
        out.add(
            Content("  ").join(
                Content.styled(f"#{clean_line(t)}", ".item-view--tag") for t in post.tags
            )
        )
    if post.truncated:
        out.blank()
        out.add(
            Content.styled(
                "This post is larger than the size limit: only its start was read.", STYLE_NOTICE
            )
        )
    for warning in post.warnings:
        out.add(Content.styled(f"⚠ {clean_line(warning)}", STYLE_NOTICE))
    if post.summary:
        out.heading("摘要")
        out.bullets(post.summary)
    groups = impacts_by_asset(post, first_asset)
    if groups:
        out.heading("影响 · by asset")
        for asset, pairs in groups:
            glyphs = [
                Content.styled(
                    stance_glyph(i.stance), stance_style_spec(i.stance, convention, colour=colour)
                )
                for _item, i in pairs
            ]
            out.add(Content.assemble((asset, "bold"), "  ", Content("").join(glyphs)))
            for item, impact in pairs:
                style = stance_style_spec(
                    impact.stance, convention, colour=colour, inferred=impact.inferred
                )
                bullet = Content.styled(f"{stance_glyph(impact.stance)} ", style)
                out.add(
                    Content.assemble(
                        (stance_label(impact.stance, impact.inferred), style),
                        "  ",
                        (clean_line(item.title), STYLE_DIM),
                    ),
                    2,
                    bullet,
                )
    if not post.items:  # nothing the parser could make an item of: the body, as it is
        out.markdown(post.body, skip=lambda text: " ".join(text.split()) == post.title)
    return out.document((post.root, post.path))


def message_document(message: str) -> Document:
    """A one-line dim message in the detail pane (no post, nothing found, still loading)."""
    return Document((Block(Content.styled(clean_line(message), "dim")),), key=("message",))
