"""The one sanitiser for every piece of post-derived text that reaches a terminal.

Post text is untrusted input. Textual and Rich pass escape sequences through to the terminal,
so anything that could drive it is replaced here by a visible placeholder:

- C0 controls other than newline and tab (ESC becomes ␛, others their U+24xx picture),
- DEL (␡),
- C1 controls U+0080–U+009F (shown as ⍰, e.g. the 8-bit CSI U+009B),
- bidi controls U+202A–U+202E and U+2066–U+2069 (shown as ⍰),
- lone surrogates (from file names that are not valid UTF-8; shown as �), which no terminal
  encoding can carry.

Newlines and tabs are kept (tabs only where `keep_tabs`), carriage returns are normalised
by the file reader before this runs.
"""

from __future__ import annotations

import json
import re
from typing import Any

#: Shown in place of a control character that has no Unicode "control picture".
PLACEHOLDER = "⍰"

_CONTROL_RE = re.compile("[\x00-\x08\x0b-\x1f\x7f\x80-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
_CONTROL_NO_NEWLINE_RE = re.compile(
    "[\x00-\x1f\x7f\x80-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]"
)
#: What JSON text may still carry raw after json.dumps(ensure_ascii=False): C1, bidi, line
#: separators and lone surrogates. They can only occur inside JSON strings, where \uXXXX is
#: an exact, valid spelling, so escaping them keeps the data and the terminal safe.
_JSON_UNSAFE_RE = re.compile("[\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def _picture(match: re.Match[str]) -> str:
    char = match.group(0)
    code = ord(char)
    if code < 0x20:
        return chr(0x2400 + code)  # ␀ … ␟ (ESC -> ␛)
    if code == 0x7F:
        return "\u2421"  # ␡
    if 0xD800 <= code <= 0xDFFF:
        return "\ufffd"
    return PLACEHOLDER


def clean(text: str) -> str:
    """Return `text` with every terminal-driving character made visible. Keeps \\n and \\t."""
    if not text:
        return text
    return _CONTROL_RE.sub(_picture, text)


def clean_line(text: str) -> str:
    """Like `clean`, but for one-line places (titles, tags, file names): newlines too."""
    if not text:
        return text
    return _CONTROL_NO_NEWLINE_RE.sub(lambda m: " " if m.group(0) in "\n\t" else _picture(m), text)


def has_controls(text: str) -> bool:
    """True when `clean` would change `text`."""
    return bool(_CONTROL_RE.search(text))


def dumps_json(data: Any, indent: int | None = 2) -> str:
    """JSON text for printing: readable CJK, but nothing that could drive a terminal.

    json.dumps escapes C0 controls itself; C1, bidi controls and lone surrogates (a file name
    that is not UTF-8) are escaped here as \\uXXXX, so the values a script reads back are exact.
    """
    text = json.dumps(data, ensure_ascii=False, indent=indent)
    return _JSON_UNSAFE_RE.sub(lambda m: f"\\u{ord(m.group(0)):04x}", text)
