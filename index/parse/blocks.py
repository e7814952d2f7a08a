"""The blocks a post's markdown body is read into, with plain-text inline runs.

The parser reasons about a post in terms of blocks: headings, paragraphs, lists of list
items, block quotes, tables, code and raw HTML. Each heading or paragraph keeps its inline
content as runs of text that remember whether they were bold and which link they were in,
which is what recognising `**时间：**` labels, `**[title](url)**` lines and `- **对美元**：利空`
impacts needs. Raw HTML is recognised (so it can be left out of the text) but never rendered.
`markdown.parse_blocks` builds these from markdown text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_URL_RE = re.compile(r"(?:https?|ftp)://[^\s<>\"'）)\]】]+|www\.[A-Za-z0-9-]+\.[^\s<>\"'）)\]】]+")


@dataclass(slots=True)
class Run:
    """A stretch of inline text with the same formatting."""

    text: str
    bold: bool = False
    link: str | None = None


@dataclass(slots=True)
class Block:
    """One block of a post's body. `start`/`end` are its source lines [start, end)."""

    kind: str
    """heading, paragraph, list, item (a list item), quote, table, code, html or hr."""
    start: int
    end: int
    level: int = 0
    """The heading level (1-6)."""
    runs: list[Run] = field(default_factory=list)
    """Inline content of a heading or paragraph."""
    children: list[Block] = field(default_factory=list)
    """Items of a list; blocks of a list item or quote."""
    raw: str = ""
    """Text of a code block or table."""
    ordered: bool = False

    @property
    def inline_text(self) -> str:
        """The plain text of this heading's or paragraph's own inline content."""
        return plain(self.runs)

    @property
    def text(self) -> str:
        """Plain text of the whole block: markdown, URLs and raw HTML removed."""
        if self.kind in ("heading", "paragraph"):
            return plain(self.runs)
        if self.kind in ("code", "table"):
            return strip_urls(self.raw).strip()
        if self.kind == "list" and self.ordered:  # keep the numbers: "1. …" is searchable
            return "\n".join(f"{c.raw} {t}".strip() for c in self.children if (t := c.text))
        if self.kind in ("list", "item", "quote"):
            return "\n".join(t for t in (c.text for c in self.children) if t)
        return ""


def strip_urls(text: str) -> str:
    """Text without bare URLs (they are not searchable words)."""
    return _URL_RE.sub("", text) if ("://" in text or "www." in text) else text


def plain(runs: list[Run]) -> str:
    """The plain text of inline runs, without URLs, trimmed."""
    return strip_urls("".join(r.text for r in runs)).strip()
