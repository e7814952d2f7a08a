"""The one sanitiser for every piece of post-derived text that reaches a terminal.

Post text is untrusted input. Textual and Rich pass escape sequences through to the terminal,
so anything that could drive it is replaced here by a visible placeholder:

- C0 controls other than newline and tab (ESC becomes ␛, others their U+24xx picture),
- DEL (␡),
- C1 controls U+0080–U+009F (shown as ⍰, e.g. the 8-bit CSI U+009B),
- bidi controls U+202A–U+202E and U+2066–U+2069 (shown as ⍰).

Newlines and tabs are kept (tabs only where `keep_tabs`), carriage returns are normalised
by the file reader before this runs.
"""

from __future__ import annotations

import re

#: Shown in place of a control character that has no Unicode "control picture".
PLACEHOLDER = "⍰"

_CONTROL_RE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f\x80-\x9f\u202a-\u202e\u2066-\u2069]"
)
_CONTROL_NO_NEWLINE_RE = re.compile(
    "[\x00-\x1f\x7f\x80-\x9f\u202a-\u202e\u2066-\u2069]"
)


def _picture(match: re.Match[str]) -> str:
    char = match.group(0)
    code = ord(char)
    if code < 0x20:
        return chr(0x2400 + code)  # ␀ … ␟ (ESC -> ␛)
    if code == 0x7F:
        return "\u2421"  # ␡
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
    return _CONTROL_NO_NEWLINE_RE.sub(
        lambda m: " " if m.group(0) in "\n\t" else _picture(m), text
    )


def has_controls(text: str) -> bool:
    """True when `clean` would change `text`."""
    return bool(_CONTROL_RE.search(text))
