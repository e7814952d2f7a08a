"""The README's pictures draw each wide character in its two cells, as the terminal does."""

from __future__ import annotations

import html
import re
import sys
from pathlib import Path

import pytest
from rich.cells import cell_len

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests" / "snapshots"))
from svg_cells import fit_cells  # noqa: E402

_RUN = re.compile(r'<text\b[^>]*?\btextLength="([0-9.]+)"([^>]*)>([^<]*)</text>')


def runs(svg: str) -> list[tuple[float, str, str]]:
    return [(float(n), attrs, html.unescape(t)) for n, attrs, t in _RUN.findall(svg)]


@pytest.mark.parametrize("name", ["screenshot.svg", "market.svg"])
def test_the_readme_pictures_fit_every_wide_character_to_two_cells(name: str) -> None:
    assert f"](docs/{name})" in (REPO / "README.md").read_text(encoding="utf-8")
    svg = (REPO / "docs" / name).read_text(encoding="utf-8")
    cell = min(length / len(text) for length, _a, text in runs(svg) if text.isascii() and text)
    wide = [(length, attrs, text) for length, attrs, text in runs(svg) if not text.isascii()]
    assert any(cell_len(text) > len(text) for _l, _a, text in wide), "the picture has Chinese"
    for length, attrs, text in wide:
        assert abs(length - cell * cell_len(text)) < 0.2, text
        assert 'lengthAdjust="spacingAndGlyphs"' in attrs, text
    assert "Noto Sans Mono CJK SC" in svg and "full-width" not in svg


def test_fitting_is_idempotent_and_leaves_ascii_alone() -> None:
    svg = (
        '<text class="r1" x="0" y="1" textLength="48.8" clip-path="u">金价&#160;&#160;</text>'
        '<text class="r2" x="0" y="1" textLength="24.4" clip-path="u">ab</text>'
    )
    once = fit_cells(svg)
    assert 'textLength="73.2" clip-path="u" lengthAdjust="spacingAndGlyphs">金价' in once
    assert 'textLength="24.4" clip-path="u">ab<' in once
    assert fit_cells(once).count("lengthAdjust") == 1
