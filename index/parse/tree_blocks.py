"""Markdown to blocks through markdown-it-pyrs's syntax tree: the blocks `token_blocks`
gives, for about a tenth of the CPU.

markdown-it-pyrs is markdown-it ported to Rust, by markdown-it-py's authors. Its tree has the
nodes markdown-it-py's tokens open and close, with three differences this module maps back:
positions are byte offsets in the source, not line numbers; a tight list item holds its
inline content directly, without the (hidden) paragraph markdown-it-py gives it; and an image
does not keep the source of its alt text, which markdown-it-py's reading adds to the text.
Where the tree might not tell exactly what markdown-it-py would give (the shapes of
`disagreements`, found before parsing; an internationalised host name in a link, a node this
module does not know, found while reading the tree), `tree_blocks` raises `Unsure` and the
caller reads that body with markdown-it-py instead.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence

from markdown_it_pyrs import MarkdownIt, Node

from .blocks import Block, Run, plain
from .disagreements import readings_disagree

# markdown-it-pyrs's "commonmark" preset already reads raw HTML (markdown-it-py's {"html": True}).
_MD = MarkdownIt("commonmark").enable_many(["table", "strikethrough"])

_BREAK_RE = re.compile(rb"\r\n?|\n")
#: markdown-it-py stops reading blocks nested 20 deep (its "maxNesting"), the tree at 100.
_DEEPEST_BLOCK = 16
#: HTML blocks that end at a mark (CommonMark's kinds 1-5), not at a blank line.
_HTML_ENDS = (
    ("<!--", "-->"),
    ("<?", "?>"),
    ("<![cdata[", "]]>"),
    ("<!", ">"),
    ("<script", "</script>"),
    ("<pre", "</pre>"),
    ("<style", "</style>"),
    ("<textarea", "</textarea>"),
)


_NUMBER_RE = re.compile(rb"[0-9]+")
#: The host of a URL; markdown-it-py writes a non-ASCII host in punycode, the tree
#: percent-encodes it.
_HOST_RE = re.compile(r"(?:[A-Za-z][A-Za-z0-9+.-]*:)?//([^/?#]*)")

_INLINE = frozenset(
    {
        "text",
        "text_special",
        "softbreak",
        "hardbreak",
        "strong",
        "em",
        "strikethrough",
        "link",
        "autolink",
        "image",
        "code_inline",
        "html_inline",
    }
)


class Unsure(Exception):
    """The body holds something the tree does not tell exactly as markdown-it-py would."""


def tree_blocks(body: str) -> list[Block]:
    """The top-level blocks of a markdown body, read by markdown-it-pyrs.

    Raises `Unsure` where the result might differ from markdown-it-py's reading."""
    # markdown-it-py reads NUL as U+FFFD (CommonMark's rule); the tree keeps it.
    source = body.replace("\0", "\ufffd") if "\0" in body else body
    if "\r" in source:  # and CRLF or a lone CR as LF, as markdown-it-py (the tree differs)
        source = _CR_RE.sub("\n", source)
    tail = source[source.rfind("\n") + 1 :]
    if tail and not tail.strip(" \t"):  # markdown-it-py has no last line of only spaces
        source = source[: len(source) - len(tail)]
    if readings_disagree(source):
        raise Unsure
    try:
        data = source.encode("utf-8")
    except UnicodeEncodeError as exc:  # a lone surrogate: not text markdown-it-pyrs takes
        raise Unsure from exc
    try:
        tree = _MD.tree(source)
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException as exc:  # a panic in Rust arrives as pyo3's PanicException
        raise Unsure from exc
    return _Reader(data).blocks(tree.children)


class _Reader:
    """One body's tree to blocks; knows the body's bytes to turn offsets into lines."""

    __slots__ = ("data", "depth", "line_ends")

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.depth = 0  # lists, items and quotes around the block being read
        # Offsets just past each line break (CRLF, CR or LF, as markdown-it counts lines).
        self.line_ends = [m.end() for m in _BREAK_RE.finditer(data)]

    def line(self, offset: int) -> int:
        """The line (from 0) that holds the byte at `offset` (a line's break is its own)."""
        return bisect_right(self.line_ends, offset)

    def line_text(self, line: int) -> bytes:
        ends = self.line_ends
        start = ends[line - 1] if 0 < line <= len(ends) else 0
        return self.data[start : ends[line]] if line < len(ends) else self.data[start:]

    def lines(self, node: Node) -> tuple[int, int]:
        """A block node's source lines [start, end)."""
        span = node.srcmap
        if span is None:
            raise Unsure
        # The tree's end is where the block's last line ends; when that line is empty (the
        # blank lines markdown-it-py counts into a list item), it is that line's start.
        return self.line(span[0]), self.line(span[1]) + 1

    def blocks(self, nodes: Sequence[Node]) -> list[Block]:
        out: list[Block] = []
        self.depth += 1
        if self.depth >= _DEEPEST_BLOCK:
            raise Unsure
        for node in nodes:
            self.block(node, out)
        self.depth -= 1
        return out

    def block(self, node: Node, out: list[Block]) -> None:
        name = node.name
        if name in ("heading", "lheading"):
            start, end = self.lines(node)
            if name == "lheading" and b"|" in self.line_text(start):
                raise Unsure  # `| a` over `---`: a table to markdown-it-py
            level = int(node.meta["level"])
            out.append(Block("heading", start, end, level=level, runs=self.runs(node.children)))
        elif name == "paragraph":
            start, end = self.lines(node)
            out.append(Block("paragraph", start, end, runs=self.runs(node.children)))
        elif name in ("bullet_list", "ordered_list"):
            start, end = self.lines(node)
            ordered = name == "ordered_list"
            out.append(Block("list", start, end, children=self.items(node), ordered=ordered))
        elif name == "blockquote":
            start, end = self.lines(node)
            if not self.line_text(end - 1).strip(b" \t\r\n>-+*.)0123456789"):
                # markdown-it-py runs a quote that ends in an empty line on through the
                # blank lines after it (its skipEmptyLines is not held to the quote's end);
                # a last line of only markers (`- > `) is taken for such a line.
                raise Unsure
            out.append(Block("quote", start, end, children=self.blocks(node.children)))
        elif name == "table":
            start, end = self.lines(node)
            if b"|" not in self.line_text(start):
                raise Unsure  # a header row without a pipe is a paragraph to markdown-it-py
            out.append(Block("table", start, end, raw="\n".join(self.table_rows(node))))
        elif name in ("fence", "code_block"):
            start, end = self.lines(node)
            if node.srcmap is not None and node.srcmap[1] >= len(self.data) > 0:
                if self.data[-1:] not in (b"\n", b"\r"):
                    # code running to the end of a body without a final line break:
                    # markdown-it-py's text has no last "\n", the tree's does
                    raise Unsure
            out.append(Block("code", start, end, raw=str(node.meta["content"])))
        elif name == "html_block":
            if _unclosed_html(str(node.meta.get("content", ""))):
                # in a list item, markdown-it-py runs an unclosed `<!--` (or `<?`, `<pre`…)
                # on through the blank lines that follow; the tree stops before them
                raise Unsure
            start, end = self.lines(node)
            if b"|" in self.line_text(start):
                raise Unsure  # markdown-it-py tries a table before an HTML block
            out.append(Block("html", start, end))
        elif name == "hr":
            start, end = self.lines(node)
            out.append(Block("hr", start, end))
        elif name == "definition":  # a link reference definition: markdown-it-py has no token
            raise Unsure  # (tree_blocks gives such bodies to markdown-it-py beforehand)
        else:
            raise Unsure

    def items(self, node: Node) -> list[Block]:
        marker = str(node.meta.get("marker", "")) if node.name == "ordered_list" else ""
        items: list[Block] = []
        for item in node.children:
            if item.name != "list_item" or item.srcmap is None:
                raise Unsure
            start, end = self.lines(item)
            raw = ""
            if marker:  # the item's number as written ("01." stays "01."), as markdown-it-py
                number = _NUMBER_RE.match(self.data, item.srcmap[0])
                if number is None:
                    raise Unsure
                raw = number.group().decode() + marker
            self.depth += 2  # the list and the item
            if self.depth >= _DEEPEST_BLOCK:
                raise Unsure
            children = self.item_blocks(item.children, start, end)
            self.depth -= 2
            items.append(Block("item", start, end, children=children, raw=raw))
        return items

    def item_blocks(self, nodes: Sequence[Node], item_start: int, item_end: int) -> list[Block]:
        """A list item's blocks. Inline nodes straight in the item (a tight list) are the
        paragraph markdown-it-py hides; the tree's offsets of inline nodes are not always
        right (after a tab, around emphasis), so its lines come from the blocks around it:
        it starts where the block before it ends (or the item starts), and ends where the
        next block starts, at the item's end or at a blank line (or one of only `>`)."""
        out: list[Block] = []
        i, n = 0, len(nodes)
        while i < n:
            if nodes[i].name not in _INLINE:
                self.block(nodes[i], out)
                i += 1
                continue
            j = i
            while j < n and nodes[j].name in _INLINE:
                j += 1
            start = out[-1].end if out else item_start
            end = min(self.lines(nodes[j])[0], item_end) if j < n else item_end
            for blank in range(start + 1, end):
                if not self.line_text(blank).strip(b" \t\n>"):
                    end = blank
                    break
            if end <= start:
                raise Unsure
            out.append(Block("paragraph", start, end, runs=self.runs(nodes[i:j])))
            i = j
        return out

    def table_rows(self, node: Node) -> list[str]:
        rows: list[str] = []
        for part in node.children:  # thead, tbody
            if part.name == "trow":
                rows.append(self.table_row(part))
                continue
            for row in part.children:
                rows.append(self.table_row(row))
        return rows

    def table_row(self, row: Node) -> str:
        cells = (plain(self.runs(cell.children)) for cell in row.children)
        return " | ".join(c for c in cells if c)

    def runs(self, nodes: Sequence[Node]) -> list[Run]:
        """Inline nodes to runs (bold and link remembered; raw inline HTML dropped)."""
        runs: list[Run] = []
        self.add_runs(nodes, runs, False, None)
        # markdown-it-py strips a paragraph's, heading's or cell's text with str.strip (any
        # Unicode space: U+3000, NBSP, form feed); the tree strips spaces and tabs only.
        if runs and (_odd_space(runs[0].text[0]) or _odd_space(runs[-1].text[-1])):
            raise Unsure
        return runs

    def add_runs(
        self, nodes: Sequence[Node], runs: list[Run], bold: bool, link: str | None
    ) -> None:
        for node in nodes:
            name = node.name
            if name in ("text", "text_special"):
                _add(runs, str(node.meta["content"]), bold, link)
            elif name in ("softbreak", "hardbreak"):
                _add(runs, "\n", bold, link)
            elif name == "strong":
                self.add_runs(node.children, runs, True, link)
            elif name in ("em", "strikethrough"):
                self.add_runs(node.children, runs, bold, link)
            elif name in ("link", "autolink"):
                url = str(node.meta.get("url", ""))
                host = _HOST_RE.match(url) if "%" in url else None
                if host is not None and "%" in host.group(1):
                    raise Unsure
                span = node.srcmap
                if span is None or _ENTITY_RE.search(self.data, span[0], span[1]):
                    raise Unsure  # `&#x20;` in a destination: the URLs differ
                self.add_runs(node.children, runs, bold, url)
            elif name == "code_inline":
                code = "".join(str(c.meta.get("content", "")) for c in node.children)
                if not code.strip(" "):
                    raise Unsure  # only spaces: markdown-it-py keeps them all, the tree not
                _add(runs, code, bold, link)
            elif name == "image":
                _add(runs, self.image_label(node), bold, link)
            elif name != "html_inline":
                raise Unsure

    def image_label(self, node: Node) -> str:
        """The source of an image's alt text (`![label](…)`), which markdown-it-py keeps."""
        if node.srcmap is None:
            raise Unsure
        at = node.srcmap[0] + 2
        kids = node.children
        if not kids:
            if self.data[at : at + 1] == b"]":
                return ""
            raise Unsure
        first, last = kids[0].srcmap, kids[-1].srcmap
        if (
            first is None
            or last is None
            or first[0] != at
            or self.data[last[1] : last[1] + 1] != b"]"
        ):
            raise Unsure
        label = self.data[at : last[1]]
        if b"\n" in label:  # markdown-it-py's label has no quote marks or item indentation
            raise Unsure
        return label.decode()


_CR_RE = re.compile(r"\r\n?")
_ENTITY_RE = re.compile(rb"&(?:#[0-9]+|#[xX][0-9A-Fa-f]+|[A-Za-z][A-Za-z0-9]*);")


def _unclosed_html(html: str) -> bool:
    """Is this an HTML block that ends at its closing mark, and that mark missing?"""
    head = html.lstrip(" \t").lower()
    for opening, closing in _HTML_ENDS:
        if head.startswith(opening):
            return closing not in head
    return False


def _odd_space(char: str) -> bool:
    return char.isspace() and char not in " \t\n"


def _add(runs: list[Run], text: str, bold: bool, link: str | None) -> None:
    if not text:
        return
    if runs and runs[-1].bold == bold and runs[-1].link == link:
        runs[-1].text += text
    else:
        runs.append(Run(text, bold, link))
