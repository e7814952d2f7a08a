"""Chinese names in a box over the panes (the picker, a notification) drawn whole.

Textual's compositor cuts every screen line at the edges of every widget on it, those hidden
under a box included, and divides each widget's line at those cuts; a double-width character
across a cut becomes spaces (Textual issue #6357). So the asset picker, a box over the three
panes, showed 股市, 黄金, 白银 blank and 加密货币 as 货币 at 100 to 120 columns: the edges
of the panes (their borders, rows and scrollbars) under the box ran through the names.

`install` makes the compositor cut a line only where what is shown changes hands: a cut is
kept where the widget on top to its left differs from the one on top to its right, so a cut
never falls inside the one widget seen there. Each widget's line is then divided at the kept
cuts within it (its own start and end added when another widget covers them); a piece under a
cut that is not kept is covered by the widget on top and is dropped.

A partial redraw (`ChopsUpdate.render_segments`, what the app writes to the terminal) writes
each piece of a line that a changed region touches, cut at that region's end: with fewer
cuts, a piece of the box can run on past the end of a pane under it, and Textual cut it there
even inside a double-width character, writing a space for its first half, which makes the
terminal clear the whole character: the tag picker opened during the first index showed
宏观经济 as "宏  经济" once the posts pane under it was redrawn at "index ready" (at 120
columns the pane's end falls inside 观). `render_segments_whole` cuts such a piece after the
character instead (one cell more, of the same piece, freshly drawn). Both full and partial
redraws thus show what the full redraw of the original shows, less the blanked characters.

Three private methods of Textual 8 are replaced; tests/test_whole_characters.py checks that the
originals are still those this was written against (their source), and the picker's names.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from rich.cells import get_character_cell_size
from rich.console import Console
from rich.control import Control
from textual._compositor import ChopsUpdate, Compositor
from textual.geometry import Region
from textual.strip import Strip

ORIGINAL_CUTS: Any = Compositor.cuts
ORIGINAL_RENDER_CHOPS: Callable[..., Any] = Compositor._render_chops
ORIGINAL_RENDER_SEGMENTS: Callable[..., str] = ChopsUpdate.render_segments


def shown_cuts(self: Compositor) -> list[list[int]]:
    """Compositor.cuts: per line, the points where the widget on top changes (and its ends)."""
    if self._cuts is not None:
        return self._cuts
    width, height = self.size
    edges: list[list[int]] = [[0, width] for _ in range(height)]
    spans: list[list[tuple[int, int, int]]] = [[] for _ in range(height)]
    for rank, (region, clip) in enumerate(self.visible_widgets.values()):  # the top one first
        x, y, region_width, region_height = region.intersection(clip)
        if region_width and region_height:
            end = x + region_width
            for line_edges, line_spans in zip(
                edges[y : y + region_height], spans[y : y + region_height], strict=False
            ):
                line_edges.append(x)
                line_edges.append(end)
                line_spans.append((x, end, rank))
    cuts: list[list[int]] = []
    for line_edges, line_spans in zip(edges, spans, strict=True):
        line_cuts = sorted(set(line_edges))
        last = len(line_cuts) - 1
        on_top: list[int] = [-1] * last  # the widget on top between each cut and the next
        for x, end, rank in line_spans:
            index = bisect_left(line_cuts, x)
            while index < last and line_cuts[index] < end:
                if on_top[index] < 0:
                    on_top[index] = rank
                index += 1
        kept = [line_cuts[0]]
        kept.extend(line_cuts[i] for i in range(1, last) if on_top[i] != on_top[i - 1])
        kept.append(line_cuts[last])
        cuts.append(kept)
    self._cuts = cuts
    return cuts


def render_chops_at_shown_cuts(
    self: Compositor, crop: Region, is_rendered_line: Callable[[int], bool]
) -> Sequence[Mapping[int, Strip]]:
    """Compositor._render_chops over `shown_cuts`: a widget's start or end that is not a cut
    (another widget covers it) is still where its line is divided; the pieces keyed by no cut
    are covered and dropped."""
    cuts = self.cuts
    chops: list[dict[int, Strip | None]] = [dict.fromkeys(cut_set[:-1]) for cut_set in cuts]
    for region, clip, strips in self._get_renders(crop):
        render_region = region.intersection(clip)
        render_x = render_region.x
        first_cut, last_cut = render_region.column_span
        for y, strip in zip(render_region.line_range, strips, strict=False):
            if not is_rendered_line(y):
                continue
            line = chops[y]
            final_cuts = [cut for cut in cuts[y] if last_cut >= cut >= first_cut]
            if not final_cuts or final_cuts[0] != first_cut:
                final_cuts.insert(0, first_cut)
            if final_cuts[-1] != last_cut:
                final_cuts.append(last_cut)
            pieces = strip.divide([cut - render_x for cut in final_cuts[1:]])
            for cut, piece in zip(final_cuts, pieces, strict=False):
                if cut in line and line[cut] is None:
                    line[cut] = piece
    return chops  # type: ignore[return-value]


def whole_end(strip: Strip, cells: int) -> int:
    """Where to cut `strip` to keep its first `cells` cells: `cells`, or one cell more when a
    double-width character starts on the last of them."""
    position = 0
    for segment in strip:
        length = segment.cell_length
        if position + length <= cells:
            position += length
            continue
        for char in segment.text:
            width = get_character_cell_size(char)
            if position + width > cells:
                return cells if position == cells else position + width
            position += width
    return cells


def render_segments_whole(self: ChopsUpdate, console: Console) -> str:
    """ChopsUpdate.render_segments, a piece of a line that runs on past the changed span cut
    after the character at the span's end, not inside it."""
    sequences: list[str] = []
    append = sequences.append
    move_to = Control.move_to
    chops, chop_ends = self.chops, self.chop_ends
    last_y = self.spans[-1][0]
    for y, x1, x2 in self.spans:
        line, ends = chops[y], chop_ends[y]
        for end, (x, strip) in zip(ends, line.items(), strict=False):
            if strip is None or x > x2 or end <= x1:
                continue
            if not (x2 > x >= x1 and end <= x2):
                strip = strip.crop(0, whole_end(strip, min(end, x2) - x))
            append(move_to(x, y).segment.text)
            append(strip.render(console))
        if y != last_y:
            append("\n")
    return "".join(sequences)


def install() -> None:
    """Make every screen's compositor cut lines only where what is shown changes hands, and
    its partial redraws write the characters at their ends whole."""
    Compositor.cuts = property(shown_cuts)  # type: ignore[assignment,method-assign]
    Compositor._render_chops = render_chops_at_shown_cuts  # type: ignore[method-assign]
    ChopsUpdate.render_segments = render_segments_whole  # type: ignore[method-assign]
