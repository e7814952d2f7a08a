"""A markdown table's rows, fitted to the pane: every row one line, its cells in columns.

A table is built once with each column as wide as its widest cell (up to a cap); a pane
narrower than that narrows the widest columns first, and a cell longer than its column is
cut with an ellipsis. A row is never wrapped onto the next line: the cells would no longer
line up. Each character of a fitted row remembers where it came from in the row's text, so
that search matches are highlighted on the right characters.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.cells import split_graphemes
from textual.content import Content

#: The separator between two cells, and its width in cells.
SEPARATOR = " │ "
#: The narrowest a column is made to fit a pane (one character and the ellipsis).
NARROWEST = 3


@dataclass(frozen=True)
class TableRow:
    """One row of a table: the natural width of every column, and where each cell's text
    is in the row's content (start, end); a rule (the line under the header) has none."""

    columns: tuple[int, ...]
    cells: tuple[tuple[int, int], ...] = ()
    style: str = ""
    """The separators' and the rule's style."""


def cut_to(line: Content, width: int) -> tuple[Content, list[int]]:
    """`line` within `width` cells, and the offset in `line` of each character kept (-1:
    the ellipsis). Where it is wider, it is cut between whole characters and ended with
    "…" right after the last character shown (never after a gap)."""
    if line.cell_length <= width:
        return line, list(range(len(line.plain)))
    room = max(width - 1, 0)
    end = 0
    for _start, cluster_end, cells in split_graphemes(line.plain)[0]:
        if room < cells:
            break
        room -= cells
        end = cluster_end
    kept = line[:end].rstrip()
    return kept + Content("…"), [*range(len(kept.plain)), -1]


def fitted_widths(columns: tuple[int, ...], width: int) -> list[int]:
    """The columns' widths for a row of `width` cells: the widest narrowed first."""
    widths = list(columns)
    room = width - len(SEPARATOR) * (len(widths) - 1)
    while sum(widths) > room:
        widest = max(range(len(widths)), key=lambda number: widths[number])
        if widths[widest] <= NARROWEST:
            break
        widths[widest] -= 1
    return widths


def fit_row(content: Content, row: TableRow, width: int) -> tuple[Content, list[int]]:
    """The row `content` laid out in `width` cells, and each character's offset in it (-1
    for what the fitting added: padding, separators, ellipses)."""
    widths = fitted_widths(row.columns, width)
    if not row.cells:
        rule = "─┼─".join("─" * w for w in widths)
        line, offsets = Content.styled(rule, row.style), [-1] * len(rule)
    else:
        parts: list[Content] = []
        offsets = []
        for number, column in enumerate(widths):
            if number:
                parts.append(Content.styled(SEPARATOR, row.style))
                offsets.extend([-1] * len(SEPARATOR))
            start, end = row.cells[number] if number < len(row.cells) else (0, 0)
            cell, kept = cut_to(content[start:end], column)
            parts.append(cell.pad_right(column - cell.cell_length))
            offsets.extend(start + at if at >= 0 else -1 for at in kept)
            offsets.extend([-1] * (column - cell.cell_length))
        line = Content("").join(parts).rstrip()
        offsets = offsets[: len(line.plain)]
    if line.cell_length > width:  # columns at their narrowest still too wide: cut the row
        line, kept = cut_to(line, width)
        offsets = [offsets[at] if at >= 0 else -1 for at in kept]
    return line, offsets
