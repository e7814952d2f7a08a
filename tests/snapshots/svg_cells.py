"""Make a Rich/Textual SVG screenshot draw wide (CJK) characters in their two cells.

Rich gives each `<text>` a textLength of one cell per character, so a browser squeezes a run
of Chinese (two cells a character in the terminal) into half its width and the characters
overlap (and a CJK fallback font draws ▲ ● … wider than their one cell). Here every text
run that is not plain ASCII gets a textLength of its width in cells, with the glyphs fitted
to it (lengthAdjust="spacingAndGlyphs"), and the font stack names CJK monospace fonts, so the
picture looks like the terminal in any browser.
"""

from __future__ import annotations

import html
import re

from rich.cells import cell_len

_TEXT = re.compile(r'(<text\b[^>]*?\btextLength=")([0-9.]+)("[^>]*>)([^<]*)(</text>)')
_FONT = re.compile(r"font-family: Fira Code, monospace;")
CJK_MONO = (
    'font-family: "Fira Code", "Noto Sans Mono CJK SC", "Noto Sans CJK SC", '
    '"Sarasa Mono SC", "Source Han Mono SC", "PingFang SC", "Microsoft YaHei Mono", monospace;'
)


def fit_cells(svg: str) -> str:
    """`svg` with every text run as wide as its cells (see the module's docstring)."""

    def fit(match: re.Match[str]) -> str:
        head, length, rest, body, tail = match.groups()
        text = html.unescape(body)
        cells = cell_len(text)
        # fonts draw ▲ ● … wide too: fit every run that is not ASCII (once)
        if not text or text.isascii() or "lengthAdjust" in rest:
            return match.group(0)
        cell_width = float(length) / len(text)
        fitted = f"{cell_width * cells:.1f}"
        rest = rest.replace(">", ' lengthAdjust="spacingAndGlyphs">', 1)
        return f"{head}{fitted}{rest}{body}{tail}"

    svg = svg.replace("font-variant-east-asian: full-width;", "")  # it widens Latin too
    return _FONT.sub(CJK_MONO, _TEXT.sub(fit, svg))
