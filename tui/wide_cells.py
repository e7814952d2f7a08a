"""Chinese characters in a box drawn over the panes (a picker, a notification) drawn whole.

Textual's compositor cuts each screen line at the edges of every widget on it, those hidden
under a box included, and divides every widget's line at those cuts; a double-width character
across a cut becomes two spaces (Textual issue #6357). So the asset picker, opened over the
three panes at 100 to 120 columns, showed 股市, 白银, 原油... with characters missing: the
panes' edges ran through the names.

`install` makes the compositor divide a widget's line only where another widget, above it,
takes over: the cuts it covers alone get an empty strip (so that no widget below claims them),
and a partial update writes each strip to its own end rather than to the next cut. What is on
screen is otherwise the same; lines with no box over them are divided as before.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from textual._compositor import ChopsUpdate, Compositor
from textual.geometry import Region
from textual.strip import Strip

_EMPTY = Strip([], 0)


def _render_chops(
    self: Compositor, crop: Region, is_rendered_line: Callable[[int], bool]
) -> Sequence[Mapping[int, Strip]]:
    """Compositor._render_chops, dividing a widget's line only where it stops being shown."""
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
            starts = final_cuts[:-1]
            free = [line.get(cut) is None for cut in starts]
            if all(free):  # nothing above it on this line: one piece
                pieces = strip.divide([final_cuts[-1] - render_x]) if starts else []
                for index, cut in enumerate(starts):
                    line[cut] = pieces[0] if index == 0 and pieces else _EMPTY
                continue
            if not any(free):
                continue
            # the pieces between the places where "free" changes, each whole
            ends = [
                final_cuts[index] - render_x
                for index in range(1, len(final_cuts))
                if index == len(starts) or free[index] != free[index - 1]
            ]
            pieces = iter(strip.divide(ends))
            piece: Strip | None = None
            for index, cut in enumerate(starts):
                if index == 0 or free[index] != free[index - 1]:
                    piece = next(pieces, None)
                    if free[index]:
                        line[cut] = piece
                    continue
                if free[index]:
                    line[cut] = _EMPTY
    return chops  # type: ignore[return-value]


def _render_partial_update(self: Compositor) -> ChopsUpdate | None:
    """Compositor.render_partial_update, each chop written to its own end (a chop may now
    cover the cuts after it)."""
    screen_region = self.size.region
    update_regions = self._dirty_regions.copy()
    self._dirty_regions.clear()
    if not update_regions:
        return None
    crop = Region.from_union(update_regions).intersection(screen_region)
    spans = list(self._regions_to_spans(update_regions))
    rendered = {y for y, _, _ in spans}
    chops = _render_chops(self, crop, rendered.__contains__)
    chop_ends = [cut_set[1:] for cut_set in self.cuts]
    for y in rendered:
        chop_ends[y] = [
            x + strip.cell_length if strip is not None else end
            for (x, strip), end in zip(chops[y].items(), chop_ends[y], strict=True)
        ]
    return ChopsUpdate(chops, spans, chop_ends)


def install() -> bool:
    """Use the whole-character division in every compositor (once); False when this Textual
    lacks the parts it replaces (the characters are then cut as before)."""
    compositor: Any = Compositor
    if getattr(compositor, "_wide_cells", False):
        return True
    needed = ("_render_chops", "render_partial_update", "_get_renders", "_regions_to_spans")
    if not all(hasattr(compositor, name) for name in needed):
        return False
    compositor._render_chops = _render_chops
    compositor.render_partial_update = _render_partial_update
    compositor._wide_cells = True
    return True
