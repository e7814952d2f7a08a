"""A box drawn over the panes (the tag and asset pickers) shows its Chinese characters whole,
at every width: the panes' edges under it must not cut them (Textual issue #6357)."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import OptionList
from tui_helpers import make_app, settle, small_archive


def screen_lines(app) -> list[str]:  # the app under test
    """The screen as it is drawn: every widget, the boxes over the panes included."""
    return [strip.text for strip in app.screen._compositor.render_strips()]


@pytest.mark.parametrize("width", [100, 110, 120, 160])
@pytest.mark.parametrize("key", ["t", "a"])
async def test_the_pickers_names_are_drawn_whole_over_the_panes(
    tmp_path: Path, key: str, width: int
) -> None:
    app = make_app(small_archive(tmp_path))
    async with app.run_test(size=(width, 36)) as pilot:
        await settle(app, pilot)
        await pilot.press(key)
        await settle(app, pilot)
        choices = app.screen.query_one("#picker-list", OptionList)
        names = [
            choices.get_option_at_index(n).prompt.plain.split("  ")[0]
            for n in range(choices.option_count)
        ]
        assert names and all(any("\u4e00" <= c <= "\u9fff" for c in n) for n in names)
        top = choices.region.y
        drawn = screen_lines(app)[top : top + len(names)]
        missing = [name for name, line in zip(names, drawn, strict=True) if name not in line]
        assert missing == [], drawn
        await pilot.press("escape")  # closed again: the panes under it are whole too
        await settle(app, pilot)
        assert "贵金属" in "".join(screen_lines(app))
