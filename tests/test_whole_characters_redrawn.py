"""The picker's names stay whole on the terminal when a pane under the box is redrawn (the
posts pane at "index ready", with the tag picker opened during the first index): the partial
redraw the app writes, played into a terminal emulator (tui/whole_characters.py)."""

from __future__ import annotations

import pyte
import pytest
from digest_tui.tui.screens.pickers import Picker
from rich.cells import cell_len
from test_whole_characters import shown_names
from textual._compositor import CompositorUpdate
from tui_helpers import make_app, open_screen, settle


class Terminal:
    """A terminal emulator fed what the app writes (its full and partial redraws)."""

    def __init__(self, width: int, height: int) -> None:
        self.screen = pyte.Screen(width, height)
        self.stream = pyte.ByteStream(self.screen)

    def play(self, data: str) -> None:
        self.stream.feed(data.encode("utf-8"))

    @property
    def lines(self) -> list[str]:
        """The lines shown; a double-width character with either half written over is shown
        as two blanks, as xterm and tmux show it (pyte keeps the other half)."""
        width = self.screen.columns
        lines: list[str] = []
        for y in range(self.screen.lines):
            row = self.screen.buffer[y]
            cells: list[str] = []
            x = 0
            while x < width:
                char = row[x].data
                if cell_len(char) == 2:
                    whole = x + 1 < width and row[x + 1].data == ""
                    cells.append(char if whole else "  ")
                    x += 2 if whole else 1
                    continue
                cells.append(char or " ")  # (the second half of a cleared one: blank)
                x += 1
            lines.append("".join(cells))
        return lines


def record_writes(app) -> list[str]:
    """What the app would write to a terminal from now on (a headless app writes nothing)."""
    written: list[str] = []
    display = app._display

    def recording(screen, renderable) -> None:
        if screen is app.screen and isinstance(renderable, CompositorUpdate):
            written.append(renderable.render_segments(app.console))
        display(screen, renderable)

    app._display = recording
    return written


@pytest.mark.parametrize("width", [100, 110, 120, 140])
async def test_a_pane_redrawn_under_the_picker_leaves_its_names_whole(width: int) -> None:
    app = make_app(None)
    async with app.run_test(size=(width, 40)) as pilot:
        await settle(app, pilot)
        await open_screen(pilot, "t", Picker)
        await settle(app, pilot)
        terminal = Terminal(width, 40)
        terminal.play(app.screen._compositor.render_full_update().render_segments(app.console))
        names = shown_names(app)
        assert names and all(any(f"  {n}  " in line for line in terminal.lines) for n in names)
        written = record_writes(app)
        app.screen.query_one("#dates").refresh()  # as at "index ready": the posts pane redrawn
        await settle(app, pilot)
        assert written, "no partial redraw"
        for data in written:
            terminal.play(data)
        cut = [n for n in names if not any(f"  {n}  " in line for line in terminal.lines)]
        assert not cut, f"names not whole at {width} columns: {cut}\n" + "\n".join(terminal.lines)
