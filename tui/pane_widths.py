"""How wide the three panes are: proportions that read well from 100 to 320 columns.

The detail pane gets a little under half the width, up to what its text measure needs (the text is
capped near 100 cells, so more width there is only blank); everything else goes to the date
list and the section tree, whose titles are what gets cut. `<` and `>` move the share the
detail pane takes; the share is remembered across launches (index.settings).
"""

from __future__ import annotations

#: The detail pane's text is never wider than this many cells (a readable measure).
TEXT_MEASURE = 100
#: Border (2), padding (2) and scrollbar (1) around the detail pane's text.
DETAIL_FRAME = 5
DEFAULT_SHARE = 0.45
SHARE_STEP = 0.05
MIN_SHARE, MAX_SHARE = 0.25, 0.75
#: Of the width left to the lists, the date list's part.
DATES_PART = 0.55
MIN_LIST = 28


def clamp_share(share: float) -> float:
    return round(min(MAX_SHARE, max(MIN_SHARE, share)), 2)


def pane_widths(total: int, share: float | None = None) -> tuple[int, int, int]:
    """(date list, section tree, detail) widths in cells for a screen `total` wide. With no
    `share` chosen, the detail pane takes half, up to its text measure."""
    if share is None:
        detail = min(round(total * DEFAULT_SHARE), TEXT_MEASURE + DETAIL_FRAME)
    else:
        detail = round(total * clamp_share(share))
    detail = max(min(detail, total - 2 * MIN_LIST), 20)
    rest = total - detail
    dates = max(round(rest * DATES_PART), MIN_LIST)
    return dates, rest - dates, detail


def share_of(total: int, detail: int) -> float:
    """The share of `total` a detail pane `detail` wide takes."""
    return clamp_share(detail / total) if total > 0 else DEFAULT_SHARE
