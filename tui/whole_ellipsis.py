"""A line cut at a width ends with "…" right after its last whole character.

Textual's `Content.truncate` (every `text-overflow: ellipsis`: the date list, the header,
search results, the pickers) cuts at `width - 1` cells with Rich's `set_cell_size`, which
pads a double-width character that would straddle the edge with a space, then adds "…":
"金融市场震 …", a gap a Chinese reader takes for a break between words. `install` replaces
it with the same cut, the padding moved after the ellipsis ("金融市场震… "): the same width,
the same styles. tests/test_whole_ellipsis.py pins the original's source.
"""

from __future__ import annotations

from typing import Any

from rich.cells import set_cell_size
from rich.text import Text
from textual.content import Content

ORIGINAL_TRUNCATE: Any = Content.truncate


def truncate(
    self: Content, max_width: int, *, ellipsis: bool = False, pad: bool = False
) -> Content:
    """Content.truncate, with the ellipsis against the last character shown."""
    if not (ellipsis and max_width and self.cell_length > max_width):
        return ORIGINAL_TRUNCATE(self, max_width, ellipsis=ellipsis, pad=pad)
    text = ellipsized(self.plain, max_width)
    return Content(text, self._trim_spans(text, self._spans), max_width, strip_control_codes=False)


def ellipsized(plain: str, width: int) -> str:
    """`plain` (wider than `width`) in exactly `width` cells, ending "…" (or "… " when the
    last character shown is followed by the half of a wide one that did not fit)."""
    text = set_cell_size(plain, width - 1)
    kept = len(text) - 1
    if text.endswith(" ") and kept < len(plain) and plain[kept] != " ":
        return text[:kept] + "… "  # the space stood for a cut wide character: move it
    return text + "…"


def cut_text(text: Text, width: int) -> None:
    """Rich `Text.truncate(width, overflow="ellipsis")`, with the ellipsis against the
    last character shown (the section tree's labels); the styles of what is kept stay."""
    if width < 1 or text.cell_len <= width:
        return
    plain = ellipsized(text.plain, width)
    padded = plain.endswith("… ")
    keep = len(plain) - (2 if padded else 1)
    text.right_crop(len(text.plain) - keep)
    text.append("… " if padded else "…")


def install() -> None:
    """Make every `text-overflow: ellipsis` keep the ellipsis against the text."""
    Content.truncate = truncate  # type: ignore[method-assign]
