"""What the detail pane shows: a Document of styled blocks, laid out for a width.

A block is one paragraph, bullet or heading as Textual `Content` (never markup), with an
indent and an optional bullet that hangs in front of its first line. `layout()` wraps every
block for a width, CJK-aware (a line may break between any two Chinese characters, Latin
words stay whole, wide characters count two cells), and remembers where each block's lines
start, so a search match can be scrolled to.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from rich.cells import cell_len, split_graphemes
from textual.content import Content

from ...index.search.analysis import lower
from ...index.search.query import QueryError, positive_words
from ...index.search.query import parse as parse_query
from .table_rows import TableRow, fit_row

#: Characters that may be broken between (CJK ideographs, kana, hangul, full-width forms).
_CJK = (
    "\u2e80-\u2fff\u3000-\u30ff\u3100-\u31ff\u3400-\u4dbf\u4e00-\u9fff"
    "\uac00-\ud7af\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef"
)
#: One unit the wrapper will not split unless it is wider than the whole line.
_ATOM = re.compile(rf"[{_CJK}]\s*|[^\s{_CJK}]+\s*|\s+")
_CJK_CHAR = re.compile(rf"[{_CJK}]")
#: Punctuation that must not start a line (it is pulled back onto the previous one).
_NO_LINE_START = set("，。、；：！？）】》」』”’,.;:!?)…")


def is_cjk(char: str) -> bool:
    """Whether a line may break before or after `char` without a space (CJK, full-width)."""
    return _CJK_CHAR.fullmatch(char) is not None


@dataclass(frozen=True)
class Block:
    """One paragraph-like unit of a document."""

    content: Content
    indent: int = 0
    """Cells of blank space before every line."""
    bullet: Content | None = None
    """Shown in front of the first line; later lines are indented past it."""
    table: TableRow | None = None
    """Set on a table's row: it is fitted to the width as one line, never wrapped."""


@dataclass(frozen=True)
class Document:
    """A whole detail view: its blocks, the links it numbers, and a notice if it was cut."""

    blocks: tuple[Block, ...]
    links: tuple[str, ...] = ()
    """Every link the document shows, numbered from 1 in the order shown."""
    notice: str | None = None
    """Set when the content was shown in a cheaper form (too large to lay out)."""
    key: tuple[str, ...] = ()
    """What the document shows (root, path, item id), to keep the place on reloads."""

    @property
    def plain(self) -> str:
        return "\n".join(block.content.plain for block in self.blocks)


@dataclass
class Layout:
    """A document wrapped for one width: its lines, and where each came from."""

    width: int
    lines: list[Content] = field(default_factory=list)
    origins: list[tuple[int, int, int]] = field(default_factory=list)
    """Per line: (block index, offset in the block of its first character, prefix length)."""
    block_starts: list[int] = field(default_factory=list)
    """Index of each block's first line."""
    maps: dict[int, list[int]] = field(default_factory=dict)
    """For a line that is not a piece of its block's text as it stands (a fitted table
    row): the offset in the block of each of its characters after the prefix (-1: added)."""

    def line_of(self, block_index: int, offset: int) -> int:
        """The line showing character `offset` of block `block_index`."""
        line = self.block_starts[block_index]
        while (
            line + 1 < len(self.origins)
            and self.origins[line + 1][0] == block_index
            and self.origins[line + 1][1] <= offset
        ):
            line += 1
        return line


def wrap_offsets(text: str, width: int) -> list[int]:
    """Where to break `text` (one line, no newline) so that no piece is wider than `width`."""
    width = max(width, 2)
    breaks: list[int] = []
    used = 0
    previous_start = 0
    for match in _ATOM.finditer(text):
        start, atom = match.start(), match.group(0)
        stripped = atom.rstrip()
        cells = cell_len(stripped)
        if used and cells and used + cells > width and cells <= width:
            cut = start
            last_break = breaks[-1] if breaks else 0
            if stripped[0] in _NO_LINE_START and last_break < previous_start < start:
                cut = previous_start  # closing punctuation stays with the word before it
            breaks.append(cut)
            used = cell_len(text[cut:start])
        if cells > width:  # a word wider than a whole line: fold it, between graphemes
            clusters, _total = split_graphemes(stripped)
            for cluster_start, _cluster_end, char_cells in clusters:
                if used and used + char_cells > width:
                    breaks.append(start + cluster_start)
                    used = 0
                used += char_cells
            used += len(atom) - len(stripped)
        else:
            used += cells + (len(atom) - len(stripped))
        previous_start = start
    return breaks


def layout(document: Document, width: int, fit_tables: bool = True) -> Layout:
    """Wrap every block of `document` to `width` cells; a table's row is fitted to the
    width as one line (with `fit_tables`; else it is wrapped like the rest)."""
    result = Layout(width)
    for index, block in enumerate(document.blocks):
        result.block_starts.append(len(result.lines))
        bullet = block.bullet or Content("")
        hang = block.indent + bullet.cell_length
        available = max(width - hang, 8)
        base = 0
        first = True
        for source_line in block.content.split("\n", allow_blank=True):
            text = source_line.plain
            if fit_tables and block.table is not None:
                row, offsets = fit_row(source_line, block.table, available)
                result.maps[len(result.lines)] = offsets
                cuts, pieces = [], [row]
            else:
                cuts = wrap_offsets(text, available)
                pieces = source_line.divide(cuts) if cuts else [source_line]
            for start, piece in zip([0, *cuts], pieces, strict=True):
                if first:
                    prefix = Content(" " * block.indent) + bullet
                    first = False
                else:
                    prefix = Content(" " * hang)
                result.lines.append(prefix + piece.rstrip())
                result.origins.append((index, base + start, len(prefix.plain)))
            base += len(text) + 1
    return result


SpanFinder = Callable[[str], list[tuple[int, int]]]


def query_spans(query: str) -> SpanFinder | None:
    """Where the words of a search query occur in a text, by the search's own matching
    rules (index.query); None for an empty or malformed query."""
    try:
        words = positive_words(parse_query(query))
    except QueryError:
        return None
    if not words:
        return None

    def spans(text: str) -> list[tuple[int, int]]:
        low = lower(text)
        return sorted({span for word in words for span in word.spans(low)})

    return spans


def find_matches(document: Document, spans: SpanFinder | None) -> list[tuple[int, int, int]]:
    """Every (block, start, end) where `spans` finds a match, in reading order."""
    if spans is None:
        return []
    found: list[tuple[int, int, int]] = []
    for index, block in enumerate(document.blocks):
        for start, end in spans(block.content.plain):
            if end > start:
                found.append((index, start, end))
    return found
