"""Our own small markdown renderer: markdown-it tokens -> Document blocks of Content.

Why not Textual's Markdown widget: it opens links by itself, renders with HTML on, takes
tens of seconds on a big table, and one widget per block is slow for long posts. Here:

- raw HTML is never rendered (a block becomes a dim "HTML not shown" line, inline tags vanish);
- links are never clickable by themselves: their text is underlined and numbered, and the
  full URLs are listed at the end of the document (newsboat-style), to open after a confirm;
- the rendering budget: a source too large or too odd to lay out quickly is shown as plain
  text, cut to a size that lays out well within the 2 s the reader allows itself.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from textual.content import Content
from textual.style import Style

from ...index.sanitize import display as clean
from ...index.sanitize import display_line as clean_line
from .document import Block, is_cjk
from .table_rows import SEPARATOR, TableRow

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.token import Token

#: Beyond these a source is shown as plain text (decided before parsing).
MAX_MARKDOWN_CHARS = 120_000
MAX_LINE_CHARS = 4_000
MAX_LINES = 4_000
MAX_TABLE_CELLS = 1_500
#: What one document shows at most, over all its blocks (points, analysis, impacts, fields,
#: the rest, markdown or plain): beyond it the text is cut, with a notice, so that laying it
#: out (on every resize) stays well under 200 ms (tests/benchmarks/bench_layout.py).
MAX_DOCUMENT_CHARS = 30_000
#: What plain text mode shows at most (the document's budget).
MAX_PLAIN_CHARS = MAX_DOCUMENT_CHARS

STYLE_DIM = "dim"
#: Full-width punctuation that carries its own space: a space typed after it (after a bold
#: label, "**现货表现：** 白银") is left out, or the reader sees a double gap.
SPACED_PUNCTUATION = set("：；，。、！？")
STYLE_CODE = ".item-view--code"
STYLE_LINK = "underline"
STYLE_HEADING = ".item-view--heading"


@dataclass
class LinkNumbers:
    """Numbers the links of one document in the order they appear (a URL keeps its number)."""

    urls: list[str] = field(default_factory=list)

    def number(self, url: str) -> int:
        url = clean_line(url).strip()
        if url not in self.urls:
            self.urls.append(url)
        return self.urls.index(url) + 1


def link_marker(number: int) -> Content:
    """A clickable "[n]" that asks the detail pane to open link n (after a confirm); the
    action names only the number, never anything taken from the post."""
    style = Style(dim=True) + Style.from_meta({"@click": f"open_link({number})"})
    return Content.styled(f"[{number}]", style)


def budget_problem(source: str, budget: int = MAX_MARKDOWN_CHARS) -> str | None:
    """Why `source` would be too slow to lay out as markdown, in words; None if it is fine.
    `budget`: the characters the document has left to show."""
    if len(source) > min(MAX_MARKDOWN_CHARS, budget):
        return f"it is large ({len(source) // 1024} KB)"
    lines = source.split("\n")
    if len(lines) > MAX_LINES:
        return f"it has {len(lines):,} lines"
    longest = max((len(line) for line in lines), default=0)
    if longest > MAX_LINE_CHARS:
        return f"one line has {longest:,} characters"
    table_cells = sum(line.count("|") for line in lines if line.lstrip().startswith("|"))
    if table_cells > MAX_TABLE_CELLS:
        return f"its tables have {table_cells:,} cells"
    return None


def plain_blocks(source: str, indent: int = 0, budget: int = MAX_PLAIN_CHARS) -> list[Block]:
    """`source` as plain lines, cut to `budget` (at most MAX_PLAIN_CHARS) characters and
    MAX_LINE_CHARS per line."""
    limit = max(min(budget, MAX_PLAIN_CHARS), 0)
    text = clean(source[:limit])
    blocks: list[Block] = []
    for line in text.split("\n"):
        if len(line) > MAX_LINE_CHARS:
            rest = len(line) - MAX_LINE_CHARS
            blocks.append(
                Block(
                    Content.assemble(
                        line[:MAX_LINE_CHARS],
                        (f" … ({rest:,} more characters not shown)", STYLE_DIM),
                    ),
                    indent,
                )
            )
        else:
            blocks.append(Block(Content(line), indent))
    if len(source) > limit:
        cut = len(source) - limit
        notice = Content.styled(f"… {cut:,} more characters not shown", STYLE_DIM)
        blocks.append(Block(notice, indent))
    return blocks


def _parser() -> MarkdownIt:
    from markdown_it import MarkdownIt  # loaded on first use, not at start-up

    return MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])


class _Renderer:
    """Turns a token stream into blocks; `skip` drops blocks whose text was shown already."""

    def __init__(self, links: LinkNumbers, indent: int, skip: Callable[[str], bool]) -> None:
        self.links = links
        self.base_indent = indent
        self.skip = skip
        self.blocks: list[Block] = []
        self.lists: list[list[int | None]] = []  # per open list: [next number or None]
        self.quote_depth = 0
        self.pending_bullet: Content | None = None
        self.last_was_html = False

    # -- block level -------------------------------------------------------------------
    @property
    def indent(self) -> int:
        return self.base_indent + 2 * max(len(self.lists) - 1, 0) + 2 * self.quote_depth

    def emit(self, content: Content, *, style: str = "", spacing: bool = False) -> None:
        plain = content.plain
        if not plain.strip() or self.skip(plain):
            self.pending_bullet = None
            return
        if style:
            content = content.stylize_before(style)
        if spacing and self.blocks and self.blocks[-1].content.plain:
            self.blocks.append(Block(Content("")))
        if self.quote_depth:
            content = content.stylize_before("italic")
        bullet = self.pending_bullet
        self.pending_bullet = None
        indent = self.indent
        if self.quote_depth and bullet is None:
            bullet = Content.styled("│ ", STYLE_DIM)
            indent -= 2
        self.blocks.append(Block(content, max(indent, 0), bullet))
        self.last_was_html = False

    def render(self, tokens: list[Token]) -> list[Block]:
        index = 0
        while index < len(tokens):
            token = tokens[index]
            kind = token.type
            if kind == "heading_open":
                inline = tokens[index + 1]
                self.emit(self.inline(inline.children or []), style=STYLE_HEADING, spacing=True)
                index += 3
                continue
            if kind == "inline":
                self.emit(self.inline(token.children or []))
            elif kind == "paragraph_open" and not self.lists and not self.quote_depth:
                if self.blocks and self.blocks[-1].content.plain:
                    self.blocks.append(Block(Content("")))
            elif kind in ("bullet_list_open", "ordered_list_open"):
                start = token.attrGet("start")
                self.lists.append(
                    [int(start) if start else 1] if kind == "ordered_list_open" else [None]
                )
            elif kind in ("bullet_list_close", "ordered_list_close"):
                self.lists.pop()
            elif kind == "list_item_open":
                counter = self.lists[-1] if self.lists else [None]
                if counter[0] is None:
                    self.pending_bullet = Content.styled("• ", STYLE_DIM)
                else:
                    self.pending_bullet = Content.styled(f"{counter[0]}. ", STYLE_DIM)
                    counter[0] += 1
            elif kind == "blockquote_open":
                self.quote_depth += 1
            elif kind == "blockquote_close":
                self.quote_depth -= 1
            elif kind in ("fence", "code_block"):
                for line in clean(token.content.rstrip("\n")).split("\n"):
                    code = Content.styled(line or " ", STYLE_CODE)
                    self.blocks.append(Block(code, self.indent + 2))
            elif kind == "hr":
                self.blocks.append(Block(Content.styled("─" * 24, STYLE_DIM), self.indent))
            elif kind == "html_block":
                if not self.last_was_html:
                    hidden = Content.styled("‹HTML not shown›", STYLE_DIM)
                    self.blocks.append(Block(hidden, self.indent))
                self.last_was_html = True
            elif kind == "table_open":
                end = index
                while end < len(tokens) and tokens[end].type != "table_close":
                    end += 1
                self.table(tokens[index:end])
                index = end
            index += 1
        return self.blocks

    def table(self, tokens: list[Token]) -> None:
        rows: list[list[Content]] = []
        header_rows = 0
        row: list[Content] | None = None
        for token in tokens:
            if token.type == "tr_open":
                row = []
            elif token.type == "tr_close" and row is not None:
                rows.append(row)
            elif token.type == "inline" and row is not None:
                row.append(self.inline(token.children or []))
            elif token.type == "thead_close":
                header_rows = len(rows)
        if not rows:
            return
        columns = max(len(r) for r in rows)
        widths = [0] * columns
        for r in rows:
            for number, cell in enumerate(r):
                widths[number] = min(max(widths[number], cell.cell_length), 40)
        separator = Content.styled(SEPARATOR, STYLE_DIM)
        for row_number, r in enumerate(rows):
            cells = []
            spans: list[tuple[int, int]] = []
            at = 0
            for number in range(columns):
                cell = r[number] if number < len(r) else Content("")
                if cell.cell_length > widths[number]:
                    cell = cell.truncate(widths[number], ellipsis=True)
                spans.append((at, at + len(cell.plain)))
                cell = cell.pad_right(widths[number] - cell.cell_length)
                at += len(cell.plain) + len(SEPARATOR)
                cells.append(cell)
            line = separator.join(cells)
            if row_number < header_rows:
                line = line.stylize_before("bold")
            table = TableRow(tuple(widths), tuple(spans), STYLE_DIM)
            self.blocks.append(Block(line, self.indent, table=table))
            if row_number == header_rows - 1:
                rule = "─┼─".join("─" * w for w in widths)
                rule_row = TableRow(tuple(widths), style=STYLE_DIM)
                self.blocks.append(
                    Block(Content.styled(rule, STYLE_DIM), self.indent, table=rule_row)
                )

    # -- inline level ------------------------------------------------------------------
    def inline(self, children: list[Token]) -> Content:
        parts: list[Content] = []
        styles: list[str] = []
        link_number: list[int] = []

        def add(text: str, extra: str = "") -> None:
            style = " ".join(s for s in (*styles, extra) if s)
            parts.append(Content.styled(text, style) if style else Content(text))

        for number, token in enumerate(children):
            kind = token.type
            if kind == "text":
                text = clean(token.content)
                if parts and parts[-1].plain[-1:] in SPACED_PUNCTUATION:
                    text = text.lstrip(" ")  # "**时间：** 09:30": the colon is spaced already
                add(text)
            elif kind == "softbreak":
                before = children[number - 1].content[-1:] if number else ""
                after = children[number + 1].content[:1] if number + 1 < len(children) else ""
                if not (before and after and is_cjk(before) and is_cjk(after)):
                    add(" ")
            elif kind == "hardbreak":
                add("\n")
            elif kind == "code_inline":
                add(clean(token.content), STYLE_CODE)
            elif kind in ("strong_open", "em_open", "s_open"):
                styles.append(
                    {"strong_open": "bold", "em_open": "italic", "s_open": "strike"}[kind]
                )
            elif kind in ("strong_close", "em_close", "s_close"):
                if styles:
                    styles.pop()
            elif kind == "link_open":
                link_number.append(self.links.number(str(token.attrGet("href") or "")))
                styles.append(STYLE_LINK)
            elif kind == "link_close":
                if styles:
                    styles.pop()
                if link_number:
                    parts.append(link_marker(link_number.pop()))
            elif kind == "image":
                alt = clean_line(token.content or "image")
                link = self.links.number(str(token.attrGet("src") or ""))
                parts.append(Content.styled(f"[image: {alt}]", STYLE_DIM))
                parts.append(link_marker(link))
            elif kind == "html_inline":
                if token.content.lower().startswith("<br"):
                    add("\n")
        return Content("").join(parts)


def markdown_blocks(
    source: str,
    links: LinkNumbers,
    *,
    indent: int = 0,
    skip: Callable[[str], bool] | None = None,
    budget: int = MAX_DOCUMENT_CHARS,
) -> tuple[list[Block], str | None]:
    """Render markdown `source` to blocks; the second value is a notice when it was shown as
    plain text instead (too large or too odd to lay out quickly). `budget`: the characters
    the document has left to show."""
    problem = budget_problem(source, budget)
    if problem is not None:
        return plain_blocks(source, indent, budget), f"Shown as plain text because {problem}."
    tokens = _parser().parse(source)
    renderer = _Renderer(links, indent, skip or (lambda _text: False))
    return renderer.render(tokens), None
