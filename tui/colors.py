"""Impact colours: the stance -> colour convention shared by the reader and the CLI.

`cn` (default): red is bullish (up), green bearish (down), as on Chinese market screens;
`us`: the reverse. Neutral is yellow, mixed magenta, unknown grey; a leaning stance is a
dimmer shade of its direction. Every stance also has a glyph (model.STANCE_GLYPHS), so
nothing depends on colour alone, and NO_COLOR turns colour off entirely.
Imports rich only (not textual), so the command line can use it.
"""

from __future__ import annotations

import os

from rich.style import Style

from ..index.model import STANCE_GLYPHS

UP_RED, DOWN_GREEN = "#ff5f5f", "#5fd75f"
LEAN_RED, LEAN_GREEN = "#d78787", "#87af87"

_COLOURS: dict[str, dict[str, str]] = {
    "cn": {
        "bullish": UP_RED,
        "leaning_bullish": LEAN_RED,
        "bearish": DOWN_GREEN,
        "leaning_bearish": LEAN_GREEN,
    },
    "us": {
        "bullish": DOWN_GREEN,
        "leaning_bullish": LEAN_GREEN,
        "bearish": UP_RED,
        "leaning_bearish": LEAN_RED,
    },
}
_SHARED = {"neutral": "#d7d75f", "mixed": "#d75fd7", "unknown": "#8a8a8a"}

STANCE_LABELS: dict[str, str] = {
    "bullish": "利多",
    "leaning_bullish": "偏多",
    "neutral": "中性",
    "leaning_bearish": "偏空",
    "bearish": "利空",
    "mixed": "多空交织",
    "unknown": "未表态",
}


def no_color() -> bool:
    """True when the NO_COLOR convention asks for no colour (any non-empty value)."""
    return bool(os.environ.get("NO_COLOR"))


def stance_colour(stance: str, convention: str = "cn") -> str:
    """The colour (hex) of a stance under a convention."""
    table = _COLOURS.get(convention, _COLOURS["cn"])
    return table.get(stance) or _SHARED.get(stance, _SHARED["unknown"])


def stance_style(stance: str, convention: str = "cn", *, colour: bool | None = None) -> Style:
    """The rich Style for a stance; bold for a firm stance; plain under NO_COLOR."""
    firm = stance in ("bullish", "bearish")
    if colour is None:
        colour = not no_color()
    if not colour:
        return Style(bold=firm)
    return Style(color=stance_colour(stance, convention), bold=firm)


def stance_glyph(stance: str) -> str:
    return STANCE_GLYPHS.get(stance, "?")


def stance_style_spec(
    stance: str, convention: str = "cn", *, colour: bool | None = None, inferred: bool = False
) -> str:
    """The same style as `stance_style`, as a style string ("bold #ff5f5f") that both Rich
    and Textual's Content parse; "" or "bold" under NO_COLOR. An inferred stance (read from
    the words, not stated) is never bold and is dimmed, also under NO_COLOR."""
    parts = ["bold"] if stance in ("bullish", "bearish") and not inferred else []
    if inferred:
        parts.append("dim")
    if colour is None:
        colour = not no_color()
    if colour:
        parts.append(stance_colour(stance, convention))
    return " ".join(parts)


INFERRED_MARK = "≈"
"""Put before the label of a stance the parser read from the words (`≈ 偏多`)."""


def stance_label(stance: str, inferred: bool = False) -> str:
    """The stance in words (利多, 偏空…); `≈ 利多` when it was inferred, not stated."""
    label = STANCE_LABELS.get(stance, stance)
    return f"{INFERRED_MARK} {label}" if inferred and stance != "unknown" else label


def other_convention(convention: str) -> str:
    """The convention `c` switches to: cn <-> us."""
    return "us" if convention == "cn" else "cn"


#: Before the title of a post or item with something unread (bold too: not colour alone).
UNREAD_DOT = "•"
#: After a starred item (and in a post's row, how many of its items are starred).
STAR = "★"
