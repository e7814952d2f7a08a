"""Markdown to blocks through markdown-it-py's token stream: the pure-Python reading.

`markdown.parse_blocks` uses it where markdown-it-pyrs is not installed, and for the few
bodies the tree reading (`tree_blocks`) cannot map exactly; both give the same blocks.
"""

from __future__ import annotations

from markdown_it import MarkdownIt
from markdown_it.token import Token

from .blocks import Block, Run, plain

_MD = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])


class _Quiet:
    """Stands in for the loggers of markdown-it's block rules: each rule logs a debug line
    on every line it tries (half a million calls for a few hundred posts)."""

    @staticmethod
    def debug(*_args: object, **_kwargs: object) -> None:
        return None


def _quiet_block_rules() -> None:
    import sys

    for name, module in list(sys.modules.items()):
        if name.startswith("markdown_it.rules_block.") and hasattr(module, "LOGGER"):
            setattr(module, "LOGGER", _Quiet())  # noqa: B010 - a module of markdown-it


_quiet_block_rules()


def token_blocks(body: str) -> list[Block]:
    """The top-level blocks of a markdown body, read by markdown-it-py."""
    tokens = _MD.parse(body)
    blocks, _ = _blocks(tokens, 0, None)
    return blocks


def _blocks(tokens: list[Token], i: int, closing: str | None) -> tuple[list[Block], int]:
    """Blocks from tokens[i:] up to the token of type `closing`; returns them and the index."""
    out: list[Block] = []
    n = len(tokens)
    while i < n:
        tok = tokens[i]
        kind = tok.type
        if closing is not None and kind == closing:
            return out, i + 1
        start, end = tok.map if tok.map else (0, 0)
        if kind == "heading_open":
            inline = tokens[i + 1]
            out.append(
                Block(
                    "heading", start, end, level=int(tok.tag[1:]), runs=_runs(inline.children or [])
                )
            )
            i += 3
        elif kind == "paragraph_open":
            inline = tokens[i + 1]
            out.append(Block("paragraph", start, end, runs=_runs(inline.children or [])))
            i += 3
        elif kind in ("bullet_list_open", "ordered_list_open"):
            items, i = _list_items(tokens, i + 1, kind.replace("_open", "_close"))
            out.append(
                Block("list", start, end, children=items, ordered=kind == "ordered_list_open")
            )
        elif kind == "blockquote_open":
            children, i = _blocks(tokens, i + 1, "blockquote_close")
            out.append(Block("quote", start, end, children=children))
        elif kind == "table_open":
            raw, i = _table(tokens, i + 1)
            out.append(Block("table", start, end, raw=raw))
        elif kind in ("fence", "code_block"):
            out.append(Block("code", start, end, raw=tok.content))
            i += 1
        elif kind == "html_block":
            out.append(Block("html", start, end))
            i += 1
        elif kind == "hr":
            out.append(Block("hr", start, end))
            i += 1
        else:  # an unexpected token: skip it (its text, if any, comes in other tokens)
            i += 1
    return out, i


def _list_items(tokens: list[Token], i: int, closing: str) -> tuple[list[Block], int]:
    items: list[Block] = []
    n = len(tokens)
    while i < n:
        tok = tokens[i]
        if tok.type == closing:
            return items, i + 1
        if tok.type == "list_item_open":
            start, end = tok.map if tok.map else (0, 0)
            children, i = _blocks(tokens, i + 1, "list_item_close")
            items.append(
                Block(
                    "item",
                    start,
                    end,
                    children=children,
                    raw=f"{tok.info}{tok.markup}" if tok.info else "",
                )
            )
        else:
            i += 1
    return items, i


def _table(tokens: list[Token], i: int) -> tuple[str, int]:
    rows: list[list[str]] = []
    n = len(tokens)
    while i < n:
        tok = tokens[i]
        if tok.type == "table_close":
            break
        if tok.type == "tr_open":
            rows.append([])
        elif tok.type == "inline" and rows:
            rows[-1].append(plain(_runs(tok.children or [])))
        i += 1
    return "\n".join(" | ".join(c for c in row if c) for row in rows), i + 1


def _runs(children: list[Token]) -> list[Run]:
    """Inline tokens to runs (bold and link remembered; raw inline HTML dropped)."""
    runs: list[Run] = []
    bold = 0
    links: list[str] = []

    def add(text: str) -> None:
        if not text:
            return
        is_bold, link = bold > 0, (links[-1] if links else None)
        if runs and runs[-1].bold == is_bold and runs[-1].link == link:
            runs[-1].text += text
        else:
            runs.append(Run(text, is_bold, link))

    for tok in children:
        kind = tok.type
        if kind in ("text", "code_inline"):
            add(tok.content)
        elif kind in ("softbreak", "hardbreak"):
            add("\n")
        elif kind == "strong_open":
            bold += 1
        elif kind == "strong_close":
            bold = max(0, bold - 1)
        elif kind == "link_open":
            links.append(str(tok.attrs.get("href", "")))
        elif kind == "link_close":
            if links:
                links.pop()
        elif kind == "image":
            add(tok.content)
    return runs
