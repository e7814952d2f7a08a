"""The one sanitiser for every piece of post-derived text that reaches a terminal.

Post text is untrusted input. Textual and Rich pass escape sequences through to the terminal,
so anything that could drive it, or that the terminal would draw in a way nobody can see, is
decided here, per class of character (from Unicode properties, see `_classes`):

- C0 controls other than newline: ESC becomes ␛, the others their U+24xx picture; a tab is
  expanded to spaces (tab stops of 4, as markdown counts them), so no cell is left stale;
- DEL (␡) and the C1 controls U+0080–U+009F (⍰, e.g. the 8-bit CSI U+009B);
- line and paragraph separators U+2028/U+2029: a line break (a space in one-line places);
- Bidi_Control (U+061C, U+200E/F, U+202A–E, U+2066–9): ⍰, since where they were matters
  (they can make text read in another order than it is stored);
- other Default_Ignorable_Code_Point characters (zero-width space and joiner, word joiner,
  BOM, soft hyphen, U+180E, Hangul fillers, tag characters, variation selectors, ...):
  removed, except where they are part of a picture: a ZWJ between two emoji, a variation
  selector after the symbol it selects a picture of (❤️), tag characters after 🏴
  (subdivision flags);
- other format characters (Cf that are not ignorable: U+FFF9–U+FFFB interlinear annotation,
  prepended concatenation marks): ⍰;
- lone surrogates (file names that are not valid UTF-8): �, which no terminal can carry.

Carriage returns are normalised by the file reader before this runs. `for_search` is the
same text as the search sees it: every ignorable character and placeholder left out, so
`美\\u200b联储` and `美\\u200e联储` are found by 美联储.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable
from functools import cache
from typing import Any

#: Shown in place of a control character that has no Unicode "control picture".
PLACEHOLDER = "⍰"
TAB_SIZE = 4

# -- character classes, derived from Unicode properties -----------------------------------------
#
# Python's unicodedata has the General_Category and the Bidi_Class, not the derived properties,
# so Default_Ignorable_Code_Point is derived here by its published definition
# (DerivedCoreProperties.txt): Other_Default_Ignorable_Code_Point + Cf + Variation_Selector
# - White_Space - U+FFF9..U+FFFB - U+13430..U+1343F - Prepended_Concatenation_Mark.
# Bidi_Control (PropList.txt) is the ignorable Cf characters whose Bidi_Class is an explicit
# embedding, override, isolate or mark class.

_OTHER_DEFAULT_IGNORABLE = (
    (0x034F, 0x034F),
    (0x115F, 0x1160),
    (0x17B4, 0x17B5),
    (0x2065, 0x2065),
    (0x3164, 0x3164),
    (0xFFA0, 0xFFA0),
    (0xFFF0, 0xFFF8),
    (0xE0000, 0xE0000),
    (0xE0002, 0xE001F),
    (0xE0080, 0xE00FF),
    (0xE01F0, 0xE0FFF),
)
_VARIATION_SELECTORS = ((0x180B, 0x180D), (0x180F, 0x180F), (0xFE00, 0xFE0F), (0xE0100, 0xE01EF))
_NOT_IGNORABLE_FORMAT = ((0xFFF9, 0xFFFB), (0x13430, 0x1343F))
_PREPENDED_CONCATENATION_MARKS = (
    (0x0600, 0x0605),
    (0x06DD, 0x06DD),
    (0x070F, 0x070F),
    (0x0890, 0x0891),
    (0x08E2, 0x08E2),
    (0x110BD, 0x110BD),
    (0x110CD, 0x110CD),
)
_BIDI_CONTROL_CLASSES = {"LRE", "RLE", "PDF", "LRO", "RLO", "LRI", "RLI", "FSI", "PDI"}
_BIDI_MARK_CLASSES = {"L", "R", "AL"}
#: The planes that hold format characters (Cf): the BMP, plane 1 and plane 14. A test checks
#: this against a scan of every code point, so a newer Unicode cannot slip one past.
_FORMAT_PLANES = ((0x0000, 0x1FFFF), (0xE0000, 0xE0FFF))
_ZWJ = "\u200d"
_CANCEL_TAG = "\U000e007f"
_BLACK_FLAG = "\U0001f3f4"


def _expand(ranges: tuple[tuple[int, int], ...]) -> set[int]:
    return {code for low, high in ranges for code in range(low, high + 1)}


Ranges = tuple[tuple[int, int], ...]
#: What `_scanned_classes` finds, by the Unicode version of `unicodedata` (a scan of 135,000
#: code points costs a CLI command or the reader's first frame about 50 ms); another version
#: is scanned. A test checks the table against the scan.
_KNOWN_CLASSES: dict[str, tuple[Ranges, Ranges, Ranges]] = {
    "14.0.0": (
        (
            (0xAD, 0xAD),
            (0x34F, 0x34F),
            (0x115F, 0x1160),
            (0x17B4, 0x17B5),
            (0x180B, 0x180F),
            (0x200B, 0x200D),
            (0x2060, 0x2065),
            (0x206A, 0x206F),
            (0x3164, 0x3164),
            (0xFE00, 0xFE0F),
            (0xFEFF, 0xFEFF),
            (0xFFA0, 0xFFA0),
            (0xFFF0, 0xFFF8),
            (0x1BCA0, 0x1BCA3),
            (0x1D173, 0x1D17A),
            (0xE0000, 0xE0FFF),
        ),
        ((0x61C, 0x61C), (0x200E, 0x200F), (0x202A, 0x202E), (0x2066, 0x2069)),
        (
            (0x600, 0x605),
            (0x6DD, 0x6DD),
            (0x70F, 0x70F),
            (0x890, 0x891),
            (0x8E2, 0x8E2),
            (0xFFF9, 0xFFFB),
            (0x110BD, 0x110BD),
            (0x110CD, 0x110CD),
            (0x13430, 0x13438),
        ),
    ),
}


@cache
def _classes() -> tuple[frozenset[int], frozenset[int], frozenset[int]]:
    """(ignorable, bidi controls, other format characters), as code points."""
    known = _KNOWN_CLASSES.get(unicodedata.unidata_version)
    if known is None:
        return _scanned_classes()
    ignorable, bidi, other = (frozenset(_expand(ranges)) for ranges in known)
    return ignorable, bidi, other


def _scanned_classes() -> tuple[frozenset[int], frozenset[int], frozenset[int]]:
    """`_classes` worked out from the Unicode properties of every code point that can be a
    format character."""
    formats = {
        code
        for low, high in _FORMAT_PLANES
        for code in range(low, high + 1)
        if unicodedata.category(chr(code)) == "Cf"
    }
    ignorable = formats | _expand(_OTHER_DEFAULT_IGNORABLE) | _expand(_VARIATION_SELECTORS)
    ignorable -= _expand(_NOT_IGNORABLE_FORMAT) | _expand(_PREPENDED_CONCATENATION_MARKS)
    ignorable = {c for c in ignorable if not chr(c).isspace()}  # White_Space stays
    bidi = {
        c
        for c in ignorable & formats
        if unicodedata.bidirectional(chr(c)) in _BIDI_CONTROL_CLASSES | _BIDI_MARK_CLASSES
    }
    return frozenset(ignorable - bidi), frozenset(bidi), frozenset(formats - ignorable)


def _char_class(codes: frozenset[int]) -> str:
    """A regex character class body for a set of code points, as ranges."""
    parts: list[str] = []
    ordered = sorted(codes)
    start = previous = ordered[0]
    for code in [*ordered[1:], -1]:
        if code == previous + 1:
            previous = code
            continue
        parts.append(
            re.escape(chr(start)) + ("-" + re.escape(chr(previous)) if previous > start else "")
        )
        start = previous = code
    return "".join(parts)


@cache
def _patterns() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    """(everything `clean` acts on, what JSON escapes, what the search leaves out)."""
    ignorable, bidi, other = _classes()
    special = _char_class(ignorable | bidi | other)
    controls = "\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff"
    return (
        re.compile(f"[\t{controls}{special}]"),
        re.compile(f"[\x7f-\x9f\u2028\u2029\ud800-\udfff{special}]"),
        re.compile(f"[{_char_class(ignorable | bidi)}{PLACEHOLDER}]"),
    )


# -- what each character becomes ---------------------------------------------------------------


def _is_picture(char: str) -> bool:
    """A character an emoji sequence is made of (a symbol, a skin tone, a keycap base)."""
    return unicodedata.category(char) in ("So", "Sk") or char in "#*0123456789\ufe0f\u20e3"


def _keeps(text: str, at: int, char: str) -> bool:
    """Whether the ignorable `char` at `at` is part of a picture (an emoji sequence)."""
    before = text[at - 1] if at else ""
    if char == _ZWJ:
        after = text[at + 1] if at + 1 < len(text) else ""
        return bool(before and after) and _is_picture(before) and _is_picture(after)
    code = ord(char)
    if 0xFE00 <= code <= 0xFE0F or 0xE0100 <= code <= 0xE01EF or 0x180B <= code <= 0x180F:
        # a variation selector right after the symbol it selects a picture of (VS16: ❤️)
        return bool(before) and _is_picture(before) and before not in "\ufe0f\u20e3"
    if 0xE0020 <= code <= 0xE007F:  # a tag sequence: 🏴 then tags (a subdivision flag)
        run = at
        while run and 0xE0020 <= ord(text[run - 1]) <= 0xE007E:
            run -= 1
        return run > 0 and text[run - 1] == _BLACK_FLAG and (char != _CANCEL_TAG or run < at)
    return False


def _replace(match: re.Match[str], one_line: bool) -> str:
    char = match.group(0)
    code = ord(char)
    if char == "\n":
        return " " if one_line else char
    if char == "\t":
        return " " if one_line else char  # expanded by the caller
    if char in "\u2028\u2029":
        return " " if one_line else "\n"
    if code < 0x20:
        return chr(0x2400 + code)  # ␀ … ␟ (ESC -> ␛)
    if code == 0x7F:
        return "\u2421"  # ␡
    if 0xD800 <= code <= 0xDFFF:
        return "\ufffd"
    if code in _classes()[0]:
        return char if _keeps(match.string, match.start(), char) else ""
    return PLACEHOLDER  # C1, bidi controls, other format characters


def clean(text: str) -> str:
    """Return `text` safe for a terminal (see the module docstring). Keeps \\n; tabs expanded."""
    if not text:
        return text
    special = _patterns()[0]
    if not special.search(text):
        return text
    text = special.sub(lambda m: _replace(m, False), text)
    return text.expandtabs(TAB_SIZE) if "\t" in text else text


def clean_line(text: str) -> str:
    """Like `clean`, but for one-line places (titles, tags, file names): newlines too."""
    if not text:
        return text
    special = _patterns()[0]
    if "\n" not in text and not special.search(text):
        return text
    return re.sub("[\n\t]", " ", special.sub(lambda m: _replace(m, True), text))


def has_controls(text: str) -> bool:
    """True when `clean` would change `text`."""
    return clean(text) != text


def for_search(text: str) -> str:
    """`text` as the search sees it: every ignorable character (even one that is part of an
    emoji) and every placeholder of a control left out, so words split by them are found."""
    if not text:
        return text
    return _patterns()[2].sub("", text)


def dumps_json(data: Any, indent: int | None = 2) -> str:
    """JSON text for printing: readable CJK, but nothing that could drive a terminal.

    json.dumps escapes C0 controls itself; C1, line separators, bidi controls, every other
    format or ignorable character and lone surrogates (a file name that is not UTF-8) are
    escaped here as \\uXXXX (a surrogate pair above the BMP), so the values are exact.
    """
    text = json.dumps(data, ensure_ascii=False, indent=indent)
    return _patterns()[1].sub(_json_escape, text)


def dumps_json_joined(records: Iterable[Any], separator: str) -> str:
    """`dumps_json(record, indent=None)` of every record, joined by `separator` (a JSON
    separator such as ",\n"): the same text, with one encoder and one escaping pass."""
    encode = json.JSONEncoder(ensure_ascii=False).encode
    text = separator.join(map(encode, records))
    return _patterns()[1].sub(_json_escape, text)


def _json_escape(match: re.Match[str]) -> str:
    code = ord(match.group(0))
    if code > 0xFFFF:
        code -= 0x10000
        return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"
    return f"\\u{code:04x}"


# -- a form whose width every terminal agrees on ---------------------------------------------
#
# Terminals disagree on how wide an emoji sequence is: a ZWJ family (👨‍👩‍👧‍👦) is 2 cells where
# the font joins it and 8 where it does not, ❤️ (a narrow heart made wide by VS16) 1 or 2, a
# skin tone 2 or 4, a flag 1, 2 or 4. Rich counts each such cluster one way; the terminal may
# draw it another, and every border after it shifts. What the reader and `show` draw is the
# sequence in a form of certain width: its parts without the joiners, selectors, modifiers and
# tags that make them one picture (each part is a character whose width all terminals know),
# and a flag as its two letters. The stored text, the JSON and the search keep the sequence.

_UNCERTAIN_RE = re.compile(
    "[\u200d\ufe0e\ufe0f\u20e3\U0001f3fb-\U0001f3ff\U000e0020-\U000e007f\U0001f1e6-\U0001f1ff]"
)
_REGIONAL_A = 0x1F1E6


def _certain(match: re.Match[str]) -> str:
    code = ord(match.group(0))
    if _REGIONAL_A <= code <= _REGIONAL_A + 25:  # a flag's regional indicator: its letter
        return chr(ord("A") + code - _REGIONAL_A)
    return ""


def certain_width(text: str) -> str:
    """`text` with every emoji sequence in a form of certain width (see above)."""
    if not text or not _UNCERTAIN_RE.search(text):
        return text
    return _UNCERTAIN_RE.sub(_certain, text)


def display(text: str) -> str:
    """`clean`, in a form of certain width: for what the terminal draws (the reader, `show`)."""
    return certain_width(clean(text))


def display_line(text: str) -> str:
    """`clean_line`, in a form of certain width: for one-line places the terminal draws."""
    return certain_width(clean_line(text))


def certain_width_offsets(text: str) -> tuple[str, list[int]]:
    """`certain_width(text)`, and for each offset 0..len(text) of `text` the offset it has
    in the result (so highlights found in `text` can be shown on the result)."""
    shown: list[str] = []
    offsets: list[int] = []
    at = 0
    for char in text:
        offsets.append(at)
        special = _UNCERTAIN_RE.match(char)
        kept = _certain(special) if special else char
        shown.append(kept)
        at += len(kept)
    offsets.append(at)
    return "".join(shown), offsets
