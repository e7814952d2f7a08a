"""Short cuts of the bytes tests of analysis.py (issue 14): a test on a unit's stored bytes
that one search in C decides for most texts, so that checking thousands of candidates costs
one call each rather than a Python function's frame and several searches.

`scan` finds what may be a match; `sure(match, data, start)` says whether it is one (None:
every match is); `misses` says whether no match means no occurrence. Whatever the short cut
leaves open, the test itself decides (`passing`, which Columns.matching uses).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any

Buffer = Any
"""bytes or an mmap."""

_KELVIN = "\u212a".encode()

Scan = Callable[..., Any]
"""A bytes pattern's `search`: `(data, start, end)` -> a match or None."""


def with_scan(
    test: Callable[[Buffer, int, int], bool],
    scan: Scan,
    sure: Callable[[Any, Buffer, int], bool] | None,
    misses: bool,
) -> Callable[[Buffer, int, int], bool]:
    """`test` with a short cut that decides most texts by one search in C (`passing`):
    `scan` finds what may be a match; `sure(match, data, start)` says whether it is one
    (None: every match is); `misses`: whether no match means no occurrence (else `test`
    decides)."""
    test.scan = scan  # type: ignore[attr-defined]
    test.sure = sure  # type: ignore[attr-defined]
    test.misses = misses  # type: ignore[attr-defined]
    return test


def passing(
    test: Callable[[Buffer, int, int], bool], data: Buffer, spans: Iterable[tuple[int, int, int]]
) -> list[int]:
    """The `doc` of each (doc, start, end) of `spans` whose `data[start:end]` passes `test`,
    decided through its short cut (`with_scan`): one search in C for most texts."""
    scan, sure, misses = test.scan, test.sure, test.misses  # type: ignore[attr-defined]
    found: list[int] = []
    for doc, start, end in spans:
        match = scan(data, start, end)
        if match is None:
            if not misses and test(data, start, end):
                found.append(doc)
        elif sure is None or sure(match, data, start) or test(data, start, end):
            found.append(doc)
    return found


_KELVIN_AHEAD = rb"(?![0-9a-zA-Z]|\xe2\x84\xaa)"


def latin_scan(
    raw: re.Pattern[bytes], *, whole: bool, word: str
) -> tuple[Scan, Callable[[Any, Buffer, int], bool], bool]:
    """The short cut of a Latin word's bytes test (`raw` its pattern, for `word`): `raw`
    refusing a KELVIN SIGN right after a token (lowercased, it is a "k" that continues the
    token); a match is sure when no KELVIN SIGN of the text is right before it either. Only
    a word with a "k" can occur where `raw` finds nothing (a KELVIN SIGN being its "k")."""
    pattern = raw.pattern
    if whole:
        assert pattern.endswith(b"(?![0-9a-zA-Z])")
        pattern = pattern[: -len(b"(?![0-9a-zA-Z])")] + _KELVIN_AHEAD
    scan = anchored(re.compile(pattern, raw.flags & re.IGNORECASE), word.rstrip("*"))

    def sure(match: Any, data: Buffer, start: int) -> bool:
        at = match.start()
        return at - 3 < start or bool(data[at - 3 : at] != _KELVIN)

    return scan, sure, "k" not in word


_NOT_LETTERS_RE = re.compile(rb"[^A-Za-z]+")


def anchored(pattern: re.Pattern[bytes], word: str) -> Scan:
    """`pattern.search` for a Latin word (`word`, lowercased), whose every match begins with
    the word, ASCII case ignored: found through the word's longest run of bytes that no case
    changes (digits, punctuation, CJK), searched for by `find` (~10x faster than `re`'s scan,
    which tries each position for letters of either case), each found one tried by `match`
    where the word would begin. The same leftmost match as `pattern.search`; that itself
    when the run is shorter than two bytes (too common to skip ahead by)."""
    encoded = word.encode("utf-8")
    run = max(_NOT_LETTERS_RE.finditer(encoded), key=lambda m: m.end() - m.start(), default=None)
    if run is None or run.end() - run.start() < 2:
        return pattern.search
    anchor, offset, match = run.group(), run.start(), pattern.match

    def search(data: Buffer, start: int, end: int) -> Any:
        at = data.find(anchor, start + offset, end)
        while at >= 0:
            found = match(data, at - offset, end)
            if found is not None:
                return found
            at = data.find(anchor, at + 1, end)
        return None

    return search


def sure_phrase(words: tuple[bytes, ...]) -> Scan:
    """The search for a phrase's words with only sure gap characters between them
    (`_SURE_GAP`): each match is the phrase, so a text holding one is decided by this one
    search in C (one with none is left to the phrase's test)."""
    return re.compile(_SURE_GAP.join(map(re.escape, words))).search


#: Characters a gap between a phrase's words surely may hold (non-word characters of `re`
#: whatever the Unicode tables: ASCII punctuation and spaces, and common CJK punctuation,
#: each kept only if this Python's `re` takes it for a non-word character).
_SURE_GAP_CHARS = [
    c for c in "，。、；：？！“”‘’（）《》【】—…·「」『』\u3000" if re.fullmatch(r"[\W_]", c)
]
_SURE_GAP = (
    rb"(?:[\x00-\x2f\x3a-\x40\x5b-\x60\x7b-\x7f]"
    + b"".join(b"|" + re.escape(c.encode("utf-8")) for c in _SURE_GAP_CHARS)
    + rb")*"
)
