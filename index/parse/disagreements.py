"""Markdown that markdown-it-pyrs and markdown-it-py read differently, found in the text
before any tree is built, so that `tree_blocks` can hand such a body to markdown-it-py.

The two are the same parser in two languages, but not the same version of CommonMark, nor
the same idea of a space or of punctuation. Each check below is a difference the property
tests (tests/test_parse_readers.py) found, made cheap (a substring test first) and on the
safe side: it may send a body to markdown-it-py that the tree would have read right, never
the reverse for the shapes it names. None is met by the corpus or the 7,300-post archive.
"""

from __future__ import annotations

import re
import unicodedata

#: markdown-it-py stops reading link brackets nested 20 deep (its "maxNesting"), the tree at
#: 100; a `]` inside code can hide a level from the count below, hence the margin.
DEEPEST_BRACKET = 8

_BRACKET_RE = re.compile(r"\\.|[\[\]]")
_TICKS_RE = re.compile(r"`+")
#: A line that opens or closes a backtick fence: list or quote marks, at most three spaces,
#: three or more backticks and no other (a tab or four spaces could make it a lazy line).
_FENCE_LINE_RE = re.compile(r"(?:[ \t]*(?:[>*+-]|[0-9]+[.)]))*[ ]{0,3}`{3,}[^`]*$")
_EMPTY_ITEM_RE = re.compile(r"^[ \t>]*(?:[-*+]|[0-9]+[.)])[ \t]*$", re.M)
_NUMBER_RE = re.compile(r"[ \t]*([0-9]+)[.)]")
#: A line that opens a quote, maybe in list items (`> `, `- > `, `1. > `).
_QUOTE_RE = re.compile(r"[ \t]*(?:(?:[-*+]|[0-9]+[.)])[ \t]+)*>")
_LOWER_DECLARATION_RE = re.compile(r"<![a-z]")
_DEFINITION_RE = re.compile(r"^[ \t>*+0-9.)-]*\[[^\]\n]*\]:", re.M)
#: White space other than the space, tab and line feed (markdown's own).
_ODD_SPACE_RE = re.compile(r"[^\S \t\n]")
#: Spaces to Rust's `char::is_whitespace`, not to markdown-it-py.
_RUST_ONLY_SPACES = "\x85\u2028\u2029"
#: A delimiter of emphasis or strikethrough next to a non-ASCII character, but for the
#: ideographs and the common CJK punctuation (none a symbol), which posts hold most.
_NOT_ASCII = (
    "[^\\x00-\\x7f\u4e00-\u9fff\u3001\u3002\u3008-\u3011"
    "\uff01\uff08\uff09\uff0c\uff1a\uff1b\uff1f\u2018\u2019\u201c\u201d]"
)
_BY_DELIMITER_RE = re.compile(f"[*_~]({_NOT_ASCII})|({_NOT_ASCII})[*_~]")


def readings_disagree(source: str) -> bool:
    """Might markdown-it-pyrs read `source` (NUL and CR already replaced) otherwise than
    markdown-it-py, or panic on it?"""
    if source.count("[") > DEEPEST_BRACKET and bracket_depth(source) >= DEEPEST_BRACKET:
        return True
    if "~~~" in source:  # three or more tildes: the readings pair strikethrough marks apart
        return True
    if _symbol_by_delimiter(source):
        return True
    if ">" in source and _odd_after_quote(source):
        return True
    if "<!" in source and _odd_comment(source):
        return True
    if "]:" in source and _DEFINITION_RE.search(source):
        return True  # link reference definitions: the readings differ on their spaces
    if "|" in source and _ODD_SPACE_RE.search(source) and _odd_space_in_row(source):
        return True
    if _EMPTY_ITEM_RE.search(source):
        return True  # an empty item after a paragraph (lazy in a quote): read apart
    # an open backtick: after a `[`, markdown-it-pyrs may panic; in a quote, the code may
    # run on to a lazy line, whose indentation markdown-it-py keeps and the tree drops
    return "`" in source and ("[" in source or ">" in source) and _unpaired_backticks(source)


def bracket_depth(text: str) -> int:
    """How deep `[` brackets nest in `text` (escaped ones left out)."""
    depth = deepest = 0
    for m in _BRACKET_RE.finditer(text):
        mark = m.group()
        if mark == "[":
            depth += 1
            deepest = max(deepest, depth)
        elif mark == "]":
            depth = max(0, depth - 1)
    return deepest


def _symbol_by_delimiter(text: str) -> bool:
    """Is a `*`, `_` or `~` next to a non-ASCII symbol (emoji, ¥, ©, →)? markdown-it-py counts
    those as punctuation when it decides whether the delimiter opens or closes (CommonMark
    0.31); markdown-it-pyrs counts only punctuation proper. Or next to a line or paragraph
    separator, a space to one reading and not to the other."""
    for m in _BY_DELIMITER_RE.finditer(text):
        char = m.group(1) or m.group(2)
        if unicodedata.category(char)[0] == "S" or char in _RUST_ONLY_SPACES:
            return True
    return False


def _odd_after_quote(text: str) -> bool:
    """Lines in or under a quote the readings take apart: a tab after a `>` (the tree
    expands it to other columns), and, from a quote's line to the next blank line, a lazy
    `|---|` row (markdown-it-py makes a table of `> a|b`) or a line numbered other than 1 (a
    new list to markdown-it-py, a lazy line to the tree). One pass, no line rescanned."""
    in_quote = False
    for line in text.split("\n"):
        if not line.strip():
            in_quote = False
            continue
        if in_quote:
            if "|" in line and not line.strip(" \t:|-"):
                return True
            number = _NUMBER_RE.match(line)
            if number is not None and int(number.group(1)) != 1:
                return True
        if ">" in line:
            in_quote = in_quote or _QUOTE_RE.match(line) is not None
            if "\t" in line and line.rfind("\t") > line.find(">"):
                return True
    return False


def _odd_comment(text: str) -> bool:
    """An HTML comment or declaration the two readings tell apart: markdown-it-py follows
    CommonMark 0.31 (`--` inside a comment, `<!-->`, lower-case `<!doctype`), the tree an
    older rule. On the safe side: an unclosed `<!--` counts too."""
    if _LOWER_DECLARATION_RE.search(text):
        return True
    at = text.find("<!--")
    while at >= 0:
        end = text.find("-->", at + 4)
        if end < 0:
            return True
        inner = text[at + 4 : end]
        if inner.startswith((">", "->")) or "--" in inner or inner.endswith("-"):
            return True
        at = text.find("<!--", end + 3)
    return False


def _odd_space_in_row(text: str) -> bool:
    """A line with a pipe and a Unicode space (NBSP, U+3000, U+2028): markdown-it-py strips
    a table row with str.strip, the tree strips spaces and tabs, and they find other rows."""
    return any(_ODD_SPACE_RE.search(line) for line in text.split("\n") if "|" in line)


def _unpaired_backticks(text: str) -> bool:
    """Might a code span's backticks be left open after a `[`? markdown-it-pyrs 0.4 panics
    there (index out of bounds in markdown-it 0.6's code_pair.rs) and prints the panic on
    stderr. Cheap and on the safe side: a line (not a fence's), or a cell of it between
    pipes, with a code span left open, or an escaped backtick."""
    for line in text.splitlines():
        if "`" not in line:
            continue
        if "\\`" in line:
            return True
        if _FENCE_LINE_RE.match(line):  # a fence's opening or closing line: not inline
            continue
        if _open_code_span(line):
            return True
        if "|" in line and any(_open_code_span(cell) for cell in line.split("|")):
            return True  # the line as a table row: each cell is read alone
    return False


def _open_code_span(line: str) -> bool:
    """Is a backtick run of `line` left without its closing run (the next run of the same
    length, as CommonMark pairs them)?"""
    lengths = [len(run) for run in _TICKS_RE.findall(line)]
    following: dict[int, int] = {}
    next_same = [0] * len(lengths)
    for i in range(len(lengths) - 1, -1, -1):
        next_same[i] = following.get(lengths[i], -1)
        following[lengths[i]] = i
    i = 0
    while i < len(lengths):
        if next_same[i] < 0:
            return True
        i = next_same[i] + 1
    return False
