"""How text becomes index terms, and how a query word is matched exactly against a unit's text.

The contract's matching rule, which the acceptance check also uses, on lowercased text:

- a word made of ``[0-9a-z]`` followed by ``[0-9a-z.-]*`` (``gpt-5``, ``openai``, ``3.5``)
  matches where it occurs with no ``[0-9a-z]`` right before or after it (a whole token);
- any other word (``黄金``, ``5000美元``, ``a股``) matches wherever it occurs as a substring.

The index is coarse on purpose: terms are whole ``[0-9a-z]+`` tokens, every other character
(CJK and punctuation alike) on its own, and every pair of adjacent letters that are not ASCII
(CJK bigrams). No positions are kept. For the common query words - one Latin token, one or two
CJK characters - the terms alone are exact; for everything else (longer CJK words, ``gpt-5``,
phrases) the terms give candidates that are then checked against the unit's stored text with
`WordMatcher.search`. Either way the result is exact: never a miss, never an extra.

Where two such letters have only spaces or punctuation between them (储，降), the unit also
gets the filter term ``j:储降`` (`junctions`, in the unscored `facet` field): a phrase whose
words meet there ("美联储 降息") can only match a unit with that junction or the pair 储降
written together, which keeps its candidates to the units where its words touch.
"""

from __future__ import annotations

import re
from collections import _count_elements  # type: ignore[attr-defined]
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import chain, repeat
from operator import add
from typing import Any

from ..sanitize import for_search
from .scans import latin_scan, sure_phrase, with_scan

Buffer = Any
"""bytes or an mmap: what `find(needle, start, end)` and slices work on."""

#: A Latin word or number in the sense of the contract (matched as a whole token).
LATIN_WORD_RE = re.compile(r"[0-9a-z][0-9a-z.\-]*")
ALNUM_RE = re.compile(r"[0-9a-z]+")
URL_RE = re.compile(r"https?://\S+")
_ASCII_ALNUM_RE = re.compile(r"[0-9a-zA-Z]")


def lower(text: str) -> str:
    """Lowercase `text` keeping its length, so offsets found in it are offsets in `text`."""
    low = text.lower()
    if len(low) == len(text):
        return low
    return "".join(c if len(c.lower()) != 1 else c.lower() for c in text)


def searchable(text: str) -> str:
    """The part of a unit's text that is searched: bare URLs removed (the contract's rule),
    and invisible characters too (`sanitize.for_search`), so that words they split are found."""
    text = for_search(text)
    if "://" in text:
        text = URL_RE.sub(" ", text)
    return text


def _pairable(pair: str) -> bool:
    return pair[0].isalnum() and pair[1].isalnum()


_NOT_SINGLE_RE = re.compile(r"[0-9a-z\s]+")
#: Runs of letters and digits that are not ASCII (str.isalnum, as `\w` minus `_`, 0-9, a-z).
_PAIRABLE_RUN_RE = re.compile(r"[^\W_0-9a-z]{2,}")


def terms(low: str) -> dict[str, int]:
    """Index terms of lowercased text with their frequencies (see the module docstring).
    Counted in C (`_count_elements`, Counter's own helper) in three calls, whatever the
    number of runs."""
    counts: dict[str, int] = {}
    _count_elements(counts, _NOT_SINGLE_RE.sub("", low))
    _count_elements(counts, ALNUM_RE.findall(low))
    runs = _PAIRABLE_RUN_RE.findall(low)
    # every pair of adjacent characters of each run: map(add, run, run[1:]) for all runs
    _count_elements(counts, chain.from_iterable(map(map, repeat(add), runs, map(_tail, runs))))
    return counts


#: A letter that is not ASCII, non-word characters (at least one: as a phrase's gap), and the
#: next such letter (looked ahead, so that it can start the next junction).
_JUNCTION_RE = re.compile(r"([^\W_0-9a-z])[\W_]+(?=([^\W_0-9a-z]))")
_JUNCTION_LETTERS_RE = re.compile(r"[^\W_0-9a-z]{2}")
JUNCTION = "j:"
"""The facet term prefix of a junction."""
SECTION = "s:"
"""The facet term prefix of a unit's section path (+ `units.section_key(section)`)."""


def junctions(low: str) -> list[str]:
    """The junction terms of lowercased text: `JUNCTION` + xy for each two letters x, y that
    are not ASCII with only non-word characters between them (see the module docstring).
    Only whether a unit has one is kept (facet terms have no counts)."""
    pairs = map("".join, _JUNCTION_RE.findall(low))
    return list(dict.fromkeys(map(add, repeat(JUNCTION), pairs)))


def _tail(run: str) -> str:
    return run[1:]


def _other_run_terms(run: str) -> list[str]:
    """Terms every text containing the run of non-Latin characters `run` must have."""
    if len(run) == 1:
        return [run]
    result: list[str] = []
    covered = [False] * len(run)
    for i in range(len(run) - 1):
        pair = run[i : i + 2]
        if _pairable(pair):
            result.append(pair)
            covered[i] = covered[i + 1] = True
    result.extend(ch for ch, done in zip(run, covered, strict=True) if not done)
    return result


@dataclass(frozen=True)
class TermPlan:
    """What the index must contain for a text to possibly match: all `terms`, for each entry
    of `prefixes` some token starting with it, for each of `suffixes` some token ending with
    it. `exact` means the terms alone decide (no check of the text is needed)."""

    terms: tuple[str, ...]
    prefixes: tuple[str, ...] = ()
    exact: bool = False
    suffixes: tuple[str, ...] = ()
    junctions: tuple[str, ...] = ()
    """For a phrase, the pairs xy where one word ends with x and the next begins with y (both
    letters that are not ASCII): a text holding the phrase has each written together (the
    body term xy) or across a gap (the facet term `JUNCTION` + xy)."""


@dataclass(frozen=True)
class WordMatcher:
    """One query word, phrase or prefix, matched exactly against lowercased unit text."""

    text: str
    """The query's own spelling, lowercased (for messages and highlights)."""
    kind: str
    """"token" (whole Latin token), "substring", "prefix" or "phrase"."""
    plan: TermPlan
    pattern: re.Pattern[str] | None = field(default=None, compare=False)

    def search(self, low: str) -> bool:
        """True when the word occurs in the lowercased text `low`."""
        if self.pattern is None:
            return self.text in low
        return self.pattern.search(low) is not None

    @property
    def caseless(self) -> bool:
        """True when case cannot matter, so the text need not be lowercased before `search`:
        a substring, or a phrase without Latin letters or digits (its pattern then has no
        token boundaries to check), with no cased letter (CJK, digits, punctuation)."""
        if self.text.upper() != self.text:
            return False
        if self.pattern is None:
            return True
        return self.kind == "phrase" and _ASCII_ALNUM_RE.search(self.text) is None

    def raw_test(self) -> Callable[[Buffer, int, int], bool] | None:
        """A test on a unit's text as stored, UTF-8 bytes in `data[start:end]`, equal to
        `search` on it (None: there is none, the text must be decoded): for a caseless
        substring, a search for its bytes (a valid UTF-8 needle occurs in valid UTF-8
        exactly where its text does); for a caseless phrase, its words searched in turn, the
        text between two of them decoded and checked (`phrase_in_bytes`)."""
        if not self.caseless:
            return self._latin_raw_test()
        if self.pattern is None:
            return _bytes_test(self.text.encode("utf-8"))
        if self.kind != "phrase":
            return None
        words = [part for part in re.split(r"[\W_]+", self.text) if part]
        if not words or self.pattern.pattern != _GAP.join(map(re.escape, words)):
            return None  # not a plain sequence of words (never so for a caseless phrase)
        if len(words) == 1:
            return _bytes_test(words[0].encode("utf-8"))
        encoded = tuple(word.encode("utf-8") for word in words)
        likely = _phrase_prefilter(encoded)
        search = None if likely is None else likely.search

        def test(data: Buffer, start: int, end: int) -> bool:
            if search is not None and search(data, start, end) is None:
                return False
            return phrase_in_bytes(data, start, end, encoded)

        # most texts holding the phrase have it with only punctuation or spaces between its
        # words: decided by one search (the others by the test)
        return with_scan(test, sure_phrase(encoded), None, misses=False)

    def _latin_raw_test(self) -> Callable[[Buffer, int, int], bool] | None:
        """`raw_test` of a word with ASCII letters, matched on lowercased text: its pattern
        on the bytes with ASCII case ignored. The same as on the lowercased text when the
        word's other characters are CJK (U+3000-U+9FFF: no character lowercases to one) and
        the text has no KELVIN SIGN (the one non-ASCII character that lowercases to ASCII);
        a text with one is decoded and matched as usual. Phrases have none."""
        if self.pattern is None:
            if not all(ord(c) < 128 or 0x3000 <= ord(c) <= 0x9FFF for c in self.text):
                return None
            raw = re.compile(re.escape(self.text.encode("utf-8")), re.IGNORECASE)
        elif self.kind in ("token", "prefix") and self.pattern.pattern.isascii():
            raw = _ascii_caseless(self.text.rstrip("*"), whole=self.kind == "token")
        else:
            return None
        search, exact = raw.search, self.search

        def test(data: Buffer, start: int, end: int) -> bool:
            if data.find(_KELVIN, start, end) >= 0:
                return exact(lower(data[start:end].decode("utf-8", "replace")))
            return search(data, start, end) is not None

        scan, sure, misses = latin_scan(raw, whole=self.kind == "token", word=self.text)
        return with_scan(test, scan, sure, misses)

    def spans(self, low: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
        """Every occurrence as (start, end) offsets in `low`, within [start, end)."""
        stop = len(low) if end is None else end
        found: list[tuple[int, int]] = []
        if self.pattern is None:
            at = low.find(self.text, start, stop)
            while at >= 0 and self.text:
                found.append((at, at + len(self.text)))
                at = low.find(self.text, at + len(self.text), stop)
            return found
        for match in self.pattern.finditer(low, start, stop):
            if match.end() > match.start():
                found.append(match.span())
        return found


def _ascii_caseless(word: str, *, whole: bool) -> re.Pattern[bytes]:
    """The bytes pattern of a Latin token (`whole`) or prefix, ASCII case ignored: the same
    matches as `(?<![0-9a-z])word(?![0-9a-z])` with re.IGNORECASE, written with the cases
    spelled out and its first character before the check of the one ahead of it, so that
    `re` skips ahead to that character in C instead of trying every position."""

    def either(c: str) -> str:
        return f"[{c}{c.upper()}]" if "a" <= c <= "z" else re.escape(c)

    first = either(word[0])
    tail = "".join(map(either, word[1:]))
    ending = "(?![0-9a-zA-Z])" if whole else ""
    return re.compile(f"{first}(?<![0-9a-zA-Z]{first}){tail}{ending}".encode("ascii"))


def _bytes_test(needle: bytes) -> Callable[[Buffer, int, int], bool]:
    def test(data: Buffer, start: int, end: int) -> bool:
        return bool(data.find(needle, start, end) >= 0)

    test.needle = needle  # type: ignore[attr-defined]  # Columns.matching's short cut
    return test


_GAP_RE = re.compile(r"[\W_]*")
_KELVIN = "\u212a".encode()
_WORD_CHAR_RE = re.compile(r"[^\W_]")
_GAP_HEAD = 24


def _is_gap(data: Buffer, start: int, end: int) -> bool:
    """Whether the UTF-8 bytes `data[start:end]` (whole characters) hold only non-word
    characters. Its first characters are decoded first: a gap that is not one mostly shows
    a word character at once (two words far apart in a text)."""
    if end - start > _GAP_HEAD:
        head = data[start : start + _GAP_HEAD].decode("utf-8", "ignore")  # a cut last char
        if _WORD_CHAR_RE.search(head):
            return False
    return _GAP_RE.fullmatch(data[start:end].decode("utf-8", "replace")) is not None


#: In UTF-8, what a gap between a phrase's words may hold, loosely: any byte sequence of a
#: character but the ASCII letters and digits and the CJK ideographs U+4E00-U+9FBF (all of
#: them word characters, checked in `_phrase_prefilter`): a bytes pattern run in C that
#: most texts with the words far apart fail at once; those that pass are then checked.
_LOOSE_GAP = (
    rb"(?:[\x00-\x2f\x3a-\x40\x5b-\x60\x7b-\x7f]|[\xc0-\xdf][\x80-\xbf]"
    rb"|[\xe0-\xe3\xea-\xef][\x80-\xbf]{2}|\xe4[\x80-\xb7][\x80-\xbf]|\xe9\xbf[\x80-\xbf]"
    rb"|[\xf0-\xf7][\x80-\xbf]{3})*"
)
_IDEOGRAPHS_ARE_WORDS: list[bool] = []


def ideographs() -> str:
    """U+4E00-U+9FBF, every one, as a string: decoded from UTF-8 bytes laid out by slices
    (three bytes each: lead E4-E9, then two continuation bytes counting up), so that a
    search's first phrase in a process is not 2 ms of a chr() call for each of the 20,928."""
    leads = range(0xE4, 0xEA)  # U+4000-U+9FFF: 4,096 characters behind each lead byte
    utf8 = bytearray(3 * 4096 * len(leads))
    utf8[0::3] = b"".join(bytes((lead,)) * 4096 for lead in leads)
    utf8[1::3] = b"".join(bytes((middle,)) * 64 for middle in range(0x80, 0xC0)) * len(leads)
    utf8[2::3] = bytes(range(0x80, 0xC0)) * (64 * len(leads))
    return utf8.decode("utf-8")[0x4E00 - 0x4000 : 0x9FC0 - 0x4000]


def _phrase_prefilter(words: tuple[bytes, ...]) -> re.Pattern[bytes] | None:
    """A bytes pattern every text holding the phrase `words` matches (None if this Python's
    Unicode tables were to make an ideograph of U+4E00-U+9FBF a non-word character)."""
    if not _IDEOGRAPHS_ARE_WORDS:  # a word character of `re` is one str.isalnum takes
        _IDEOGRAPHS_ARE_WORDS.append(ideographs().isalnum())
    if not _IDEOGRAPHS_ARE_WORDS[0]:
        return None
    return re.compile(_LOOSE_GAP.join(map(re.escape, words)))


def phrase_in_bytes(data: Buffer, start: int, end: int, words: tuple[bytes, ...]) -> bool:
    """Whether `data[start:end]` (valid UTF-8) holds `words` one after the other with only
    non-word characters between them (a phrase's pattern, `_GAP` between its words). Each
    occurrence of the first word is tried; after it, only the nearest occurrence of the
    next word can follow it through a gap, as the words begin with a word character that a
    gap cannot hold. Only the gaps are decoded."""
    first, rest = words[0], words[1:]
    find = data.find
    at = find(first, start, end)
    while at >= 0:
        position = at + len(first)
        for word in rest:
            nearest = find(word, position, end)
            if nearest < 0:
                return False  # nor after any later occurrence of the first word
            if nearest > position and not _is_gap(data, position, nearest):
                break
            position = nearest + len(word)
        else:
            return True
        at = find(first, at + 1, end)
    return False


def _bounded(word: str) -> str:
    return rf"(?<![0-9a-z]){re.escape(word)}(?![0-9a-z])"


def word_matcher(word: str) -> WordMatcher:
    """The matcher of a plain query word (already free of operators and quotes)."""
    w = word.lower()
    if LATIN_WORD_RE.fullmatch(w):
        parts = tuple(ALNUM_RE.findall(w))
        exact = len(parts) == 1 and parts[0] == w
        return WordMatcher(w, "token", TermPlan(parts, (), exact), re.compile(_bounded(w)))
    return WordMatcher(w, "substring", _substring_plan(w), None)


def _substring_plan(w: str) -> TermPlan:
    """Terms for a word matched as a substring (it may begin or end inside a Latin token)."""
    pieces = re.findall(r"[0-9a-z]+|[^0-9a-z]+", w)
    needed: list[str] = []
    prefixes: list[str] = []
    suffixes: list[str] = []
    last = len(pieces) - 1
    for index, piece in enumerate(pieces):
        if ALNUM_RE.fullmatch(piece):
            # a Latin run inside the word is a whole token; at its start it may be the end
            # of a longer token (5000美元 in 15000美元), at its end the start of one
            if 0 < index < last:
                needed.append(piece)
            elif index == 0 and last > 0:
                suffixes.append(piece)
            elif index == last and last > 0:
                prefixes.append(piece)
        else:
            needed.extend(_other_run_terms(piece))
    exact = (
        len(pieces) == 1
        and not ALNUM_RE.fullmatch(w)
        and (len(w) == 1 or (len(w) == 2 and _pairable(w)))
    )
    return TermPlan(tuple(dict.fromkeys(needed)), tuple(prefixes), exact, tuple(suffixes))


def prefix_matcher(stem: str) -> WordMatcher:
    """The matcher of `stem*`: a Latin token starting with `stem` (CJK: a plain substring)."""
    w = stem.lower()
    if not LATIN_WORD_RE.fullmatch(w):
        matcher = word_matcher(w)
        return WordMatcher(w, "substring", matcher.plan, matcher.pattern)
    parts = ALNUM_RE.findall(w)
    last: tuple[str, ...]
    if w[-1].isalnum():
        whole, last = tuple(parts[:-1]), (parts[-1],)
    else:
        whole, last = tuple(parts), ()
    exact = len(parts) == 1 and parts[0] == w
    pattern = re.compile(rf"(?<![0-9a-z]){re.escape(w)}")
    return WordMatcher(w + "*", "prefix", TermPlan(whole, last, exact), pattern)


_GAP = r"[\W_]*"


def phrase_matcher(phrase: str) -> WordMatcher | None:
    """The matcher of a quoted phrase, or None when it holds no letters or digits.

    Words of the phrase must follow each other in the text; wherever the phrase has spaces or
    punctuation, the text may have any (or none), so "美联储 降息" finds "美联储，降息" and
    "GPT 5" finds "GPT-5". Latin tokens stay whole ("gpt 5" does not find "gpt5").
    """
    w = phrase.lower()
    segments = [s for s in re.split(r"[\W_]+", w) if s]
    if not segments:
        return None
    regex_parts = []
    needed: list[str] = []
    for segment in segments:
        part = re.escape(segment)
        if segment[0] in "0123456789abcdefghijklmnopqrstuvwxyz":
            part = r"(?<![0-9a-z])" + part
        if segment[-1] in "0123456789abcdefghijklmnopqrstuvwxyz":
            part += r"(?![0-9a-z])"
        regex_parts.append(part)
        for piece in re.findall(r"[0-9a-z]+|[^0-9a-z]+", segment):
            if ALNUM_RE.fullmatch(piece):
                needed.append(piece)
            else:
                needed.extend(_other_run_terms(piece))
    single = segments[0] if len(segments) == 1 else None
    exact = single is not None and (
        ALNUM_RE.fullmatch(single) is not None
        or (len(single) == 1)
        or (len(single) == 2 and _pairable(single))
    )
    pattern = re.compile(_GAP.join(regex_parts))
    meeting = [left[-1] + right[0] for left, right in zip(segments, segments[1:], strict=False)]
    plan = TermPlan(
        tuple(dict.fromkeys(needed)),
        (),
        exact,
        junctions=tuple(dict.fromkeys(p for p in meeting if _JUNCTION_LETTERS_RE.fullmatch(p))),
    )
    return WordMatcher(w, "phrase", plan, pattern)
