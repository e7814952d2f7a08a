"""The picker, a box over the three panes, shows its Chinese names whole at every width, in a
full redraw and in the partial redraws that typing into it makes (tui/whole_characters.py:
Textual's compositor cut each line at the edges of the panes under the box, Textual #6357)."""

from __future__ import annotations

import os
import subprocess

import pytest
from conftest import console_script
from digest_tui.tui import whole_characters
from digest_tui.tui.screens.pickers import Picker
from hostile_pty import run_in_pty
from rich.cells import cell_len
from rich.style import Style
from textual._compositor import ChopsUpdate
from textual.strip import Strip
from textual.widgets import OptionList
from tui_helpers import make_app, open_screen, settle, source_digest, wait_until

#: The Textual code the override replaces or leans on, as it was written against (Textual
#: 8.2.8): if one changes, read the new code and tui/whole_characters.py again, then update.
REPLACED_SOURCE_SHA256 = {
    "Compositor.cuts": "205385a66fdabffe2808167c29c1b47ae240edb54aaea0b27cc4dc506ffe01d9",
    "Compositor._render_chops": "ca8c3359d7afd0171bda158ab5b846fec5144539e438de5113d76f11eb357f0f",
    "ChopsUpdate.__rich_console__": (
        "c45d5804ef810b783d2ca82c6c04a1a0621cc4fc0c3bd4fa55c72693e3cee317"
    ),
    "ChopsUpdate.render_segments": (
        "4c1cdb567e0b8354bd70cb129da78a42314c39eb8aacd5bf21951cbd5aaba0ef"
    ),
}


def test_the_replaced_textual_code_is_the_code_it_was_written_against() -> None:
    found = {
        "Compositor.cuts": source_digest(whole_characters.ORIGINAL_CUTS.fget),
        "Compositor._render_chops": source_digest(whole_characters.ORIGINAL_RENDER_CHOPS),
        "ChopsUpdate.__rich_console__": source_digest(ChopsUpdate.__rich_console__),
        "ChopsUpdate.render_segments": source_digest(whole_characters.ORIGINAL_RENDER_SEGMENTS),
    }
    assert found == REPLACED_SOURCE_SHA256, "Textual changed: check tui/whole_characters.py"


def shown_names(app) -> list[str]:
    """The picker's names on screen (the list's rows in view)."""
    option_list = app.screen.query_one("#picker-list", OptionList)
    first = round(option_list.scroll_y)
    return app.screen.picker.shown[first : first + option_list.scrollable_content_region.height]


def screen_lines(app) -> list[str]:
    """The screen as a full redraw draws it."""
    return [strip.text for strip in app.screen._compositor.render_strips()]


def assert_names_whole(app, width: int) -> None:
    lines = screen_lines(app)
    assert all(cell_len(line) == width for line in lines), "a line drawn shorter or longer"
    names = shown_names(app)
    assert names
    cut = [name for name in names if not any(f"  {name}  " in line for line in lines)]
    assert not cut, f"names not drawn whole at {width} columns: {cut}"


@pytest.mark.parametrize("width", [80, 100, 110, 120, 160, 200, 320])
async def test_the_pickers_names_are_whole_over_the_panes(width: int) -> None:
    app = make_app(None)
    async with app.run_test(size=(width, 35)) as pilot:
        await settle(app, pilot)
        before = screen_lines(app)
        for key, narrowing in (("a", "金"), ("t", "宏")):
            await open_screen(pilot, key, Picker)
            await settle(app, pilot)
            assert_names_whole(app, width)
            await pilot.press(narrowing)
            await wait_until(pilot, lambda: len(app.screen.picker.shown) < 8, "narrowed")
            await settle(app, pilot)
            assert_names_whole(app, width)
            await pilot.press("escape")
            await wait_until(pilot, lambda: not app.screen.picker_open, "the picker closed")
            await settle(app, pilot)
            assert screen_lines(app)[1:] == before[1:]  # the panes again, as they were


def cells(strip: Strip) -> list[tuple[str, Style | None]]:
    return [(char, segment.style) for segment in strip for char in segment.text]


@pytest.mark.parametrize("width", [100, 120, 200])
async def test_the_panes_are_drawn_as_textual_draws_them(width: int) -> None:
    """With no box over them (no cut falls inside a wide character), the override draws
    every cell as Textual's own compositor does."""
    app = make_app(None)
    async with app.run_test(size=(width, 35)) as pilot:
        await settle(app, pilot)
        await pilot.press("tab")  # the sections pane focused: its rows styled
        await settle(app, pilot)
        compositor = app.screen._compositor
        compositor._cuts = None
        whole_characters.ORIGINAL_CUTS.fget(compositor)  # Textual's cuts (kept as the cache)
        chops = whole_characters.ORIGINAL_RENDER_CHOPS(
            compositor, compositor.size.region, lambda y: True
        )
        textuals = [cells(Strip.join(chop.values())) for chop in chops]
        compositor._cuts = None
        ours = [cells(strip) for strip in compositor.render_strips()]
        assert ours == textuals


@pytest.mark.timeout(90)
@pytest.mark.parametrize("width", [100, 110, 120])
def test_a_terminal_shows_the_names_whole_after_partial_redraws(width: int) -> None:
    """The real console script on a pseudo-terminal: opening the picker, typing into it and
    closing it are partial redraws; the names the terminal shows are whole."""
    subprocess.run([console_script(), "index"], check=True, capture_output=True, timeout=60)
    keys = ["a", "金", "\x1b", "t", "宏", "\x1b", "q"]  # the index ready when the reader opens
    run = run_in_pty(
        [console_script()],
        env=dict(os.environ),
        keys=keys,
        size=(35, width),
        started=lambda screen: "index ready" in screen and " items" in screen,
    )
    assert run.status == 0, run.output[-2000:]
    screens = run.screen_text.split("\n\n")
    assert len(screens) == len(keys) + 1
    start, assets, gold, closed, tags, macro = screens[:6]

    def shows(screen: str, names: list[str]) -> None:
        cut = [name for name in names if f"│  {name}  " not in screen]
        assert not cut, f"not whole at {width} columns: {cut}\n{screen}"

    shows(assets, ["股市", "科技股", "芯片股", "黄金", "原油", "A股", "债券", "加密货币", "白银"])
    shows(gold, ["黄金"])
    shows(tags, ["宏观经济", "经济日报", "AI 日报", "实际利率", "技术分享"])
    shows(macro, ["宏观经济", "宏观"])
    assert closed.splitlines()[1:] == start.splitlines()[1:]
