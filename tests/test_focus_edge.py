"""A focus move redraws only the rows that show the focus, and the screen is still right.

The panes show the focus on their top edge and cursor row (tui/focus_edge.py): a tab draws
those rows again, not the two panes' every line. What a terminal shows after each move (the
frames written, played into a terminal emulator) must be what a full redraw shows.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pyte
import pytest
from digest_tui.tui.app import DigestApp
from textual._compositor import CompositorUpdate
from textual._styles_cache import StylesCache
from textual.widget import Widget
from textual.widgets import Input
from tui_helpers import make_app, settle, small_archive

SIZE = (120, 32)


class Terminal:
    """The frames the app writes, played into a pyte screen (headless Textual writes none)."""

    def __init__(self, app: DigestApp, size: tuple[int, int] = SIZE) -> None:
        self.app = app
        self.size = size
        self.screen = pyte.Screen(*size)
        self.stream = pyte.Stream(self.screen)

    def show(self, update: object) -> None:
        if isinstance(update, CompositorUpdate):
            self.stream.feed(update.render_segments(self.app.console))

    def cells(self) -> list[list[tuple[str, str, str, bool]]]:
        """Every cell: its character, colours and boldness."""
        width, height = self.size
        return [
            [(c.data, c.fg, c.bg, c.bold) for c in (row[x] for x in range(width))]
            for row in (self.screen.buffer[y] for y in range(height))
        ]

    def row(self, y: int) -> str:
        return "".join(self.screen.buffer[y][x].data for x in range(SIZE[0]))


def played(
    monkeypatch: pytest.MonkeyPatch, app: DigestApp, size: tuple[int, int] = SIZE
) -> Terminal:
    terminal = Terminal(app, size)
    display = DigestApp._display

    def shown(self: DigestApp, screen: Any, update: Any) -> None:
        if update is not None and not self._batch_count and screen is self.screen:
            terminal.show(update)
        display(self, screen, update)

    monkeypatch.setattr(DigestApp, "_display", shown)
    return terminal


async def redrawn_whole(app: DigestApp, pilot: Any) -> None:
    for widget in app.screen.walk_children(Widget, with_self=True):
        widget.refresh()
    await settle(app, pilot)


@pytest.mark.parametrize(
    ("size", "keys"),
    [
        (SIZE, ("j", "tab", "j", "tab", "tab", "shift+tab", "shift+tab", "a", "escape", "l")),
        # low: the date list scrolls as the highlight moves (a move redraws its two rows)
        ((120, 9), ("j", "j", "j", "k", "G", "k", "g", "tab", "shift+tab", "j")),
    ],
)
async def test_each_focus_or_highlight_move_shows_what_a_full_redraw_shows(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, size: tuple[int, int], keys: tuple[str, ...]
) -> None:
    app = make_app(small_archive(tmp_path))
    monkeypatch.setattr(Input, "_toggle_cursor", lambda self: None)  # (a blink is no redraw)
    terminal = played(monkeypatch, app, size)
    async with app.run_test(size=size) as pilot:
        await settle(app, pilot)
        await redrawn_whole(app, pilot)
        for key in keys:
            await pilot.press(key)
            await settle(app, pilot)
            shown = terminal.cells()
            await redrawn_whole(app, pilot)
            full = terminal.cells()
            differ = [
                (y, x, shown[y][x], full[y][x])
                for y in range(size[1])
                for x in range(size[0])
                if shown[y][x] != full[y][x]
            ]
            assert not differ, f"after {key!r} these cells differ from a full redraw: {differ[:6]}"


async def test_a_tab_draws_the_top_edges_and_cursor_rows_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two panes' every line were drawn again for a tab (their borders and the lists' tint
    followed the focus); now their top edges and cursor rows are, and the focus still shows
    (the top edge's colour and the title's weight)."""
    app = make_app(small_archive(tmp_path))
    drawn: list[int] = []
    render_line = StylesCache.render_line

    def counting(self: StylesCache, styles: Any, y: int, *args: Any) -> Any:
        drawn.append(y)
        return render_line(self, styles, y, *args)

    terminal = played(monkeypatch, app)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        screen: Any = app.screen
        top = screen.date_list.region.y
        edge_before = terminal.cells()[top]
        monkeypatch.setattr(StylesCache, "render_line", counting)
        for key, came in (("tab", screen.section_tree), ("shift+tab", screen.date_list)):
            drawn.clear()
            await pilot.press(key)
            await settle(app, pilot)
            assert app.focused is came
            assert len(drawn) <= 8, f"{key}: {len(drawn)} lines drawn (the edges, the cursors)"
        edge = terminal.cells()[top]
        assert edge == edge_before  # back where it started
        await pilot.press("tab")
        await settle(app, pilot)
        focused_edge = terminal.cells()[top]
        tree_x = screen.section_tree.region.x
        dates_x = screen.date_list.region.x
        # the focused pane's top edge is coloured, the other's not; the title is bold
        assert focused_edge[tree_x + 1][1] != focused_edge[dates_x + 1][1]
        assert focused_edge[tree_x + 1][1] == edge_before[dates_x + 1][1]
        title = terminal.row(top).index("Sections")
        assert focused_edge[title][3] and not focused_edge[terminal.row(top).index("Posts")][3]
        # the sides stay as they are
        side = top + 3
        assert terminal.cells()[side][tree_x] == terminal.cells()[side][dates_x]
