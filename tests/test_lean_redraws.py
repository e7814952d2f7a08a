"""Redraws make and throw away less (tui/lean_redraws.py): strips make their caches when first
used, a widget's component styles are worked out on nodes kept for it; what is drawn is the
same, and a change of a component's rules still redraws the widget."""

from __future__ import annotations

import gc
from pathlib import Path

from digest_tui.tui import lean_redraws
from rich.segment import Segment
from rich.style import Style
from textual.app import App, ComposeResult
from textual.dom import DOMNode
from textual.strip import Strip
from textual.widgets import OptionList
from tui_helpers import make_app, settle, small_archive, source_digest

#: The Textual code replaced, as it was written against (Textual 8.2.8): if one changes, read
#: the new code and tui/lean_redraws.py again, then update.
REPLACED_SOURCE_SHA256 = {
    "Strip.__init__": "ce1d8154dca8cfd78cd46aa14a40b23436c94696447efbe74eb17f0e0a4a550d",
    "Stylesheet._process_component_classes": (
        "852b5e4b93c6fc25fa6f081923063399ddb6ac9d45f2365079cb825529926c02"
    ),
    "ScrollbarColorProperty.__set__": (
        "4f3149b8a3321551d126b4ec2acf6d7697fb2b2a2da7057b2ea94368c4abbec0"
    ),
}


def test_the_replaced_textual_code_is_the_code_it_was_written_against() -> None:
    found = {
        "Strip.__init__": source_digest(lean_redraws.ORIGINAL_STRIP_INIT),
        "Stylesheet._process_component_classes": source_digest(
            lean_redraws.ORIGINAL_COMPONENT_CLASSES
        ),
        "ScrollbarColorProperty.__set__": source_digest(lean_redraws.ORIGINAL_SCROLLBAR_COLOR_SET),
    }
    assert found == REPLACED_SOURCE_SHA256, "Textual changed: check tui/lean_redraws.py"


def test_every_cache_textual_gives_a_strip_is_made_on_first_use() -> None:
    lean_redraws.install()
    made = Strip.__new__(Strip)
    lean_redraws.ORIGINAL_STRIP_INIT(made, [Segment("x")])
    original = {
        name: getattr(made, name)._maxsize
        for name in Strip.__slots__
        if type(getattr(made, name, None)).__name__ == "FIFOCache"
    }
    assert original == lean_redraws.STRIP_CACHES


def test_a_strip_is_small_until_it_is_cut_and_draws_the_same() -> None:
    lean_redraws.install()
    red = Style(color="red")
    strip = Strip([Segment("黄金走高", red), Segment(" gold up")], 16)
    made = [type(o).__name__ for o in gc.get_referents(strip)]
    assert "FIFOCache" not in made, "its segments, not seven caches"
    pieces = strip.divide([4, 8, 16])
    assert [piece.text for piece in pieces] == ["黄金", "走高", " gold up"]
    assert strip.divide([4, 8, 16]) is pieces, "the division is cached once made"
    assert strip.crop(2, 6).text == "金走"
    assert strip.crop(2, 6) is strip.crop(2, 6)
    assert strip.apply_style(Style(bold=True)).text == strip.text
    assert strip.crop_extend(0, 20, None).cell_length == 20
    assert strip.extend_cell_length(18).cell_length == 18


def test_an_attribute_a_strip_does_not_have_is_still_an_error() -> None:
    lean_redraws.install()
    strip = Strip([Segment("x")])
    try:
        strip.no_such_thing  # type: ignore[attr-defined]  # noqa: B018
    except AttributeError:
        pass
    else:
        raise AssertionError("an unknown attribute must raise AttributeError")


class Lists(App[None]):
    CSS = """
    OptionList > .option-list--option-highlighted { background: blue; }
    OptionList:focus > .option-list--option-highlighted { background: red; }
    """

    def compose(self) -> ComposeResult:
        yield OptionList("黄金", "白银", id="first")
        yield OptionList("原油", id="second")


async def test_a_lists_highlight_follows_the_focus_on_kept_component_nodes() -> None:
    """The focused list's highlighted row is red, the other's blue, however often the focus
    moves; the component nodes are the same ones each time (none made per restyle)."""
    lean_redraws.install()
    app = Lists()
    async with app.run_test(size=(40, 10)) as pilot:
        first = app.query_one("#first", OptionList)
        second = app.query_one("#second", OptionList)
        first.highlighted = second.highlighted = 0

        def highlight(option_list: OptionList) -> str:
            color = option_list.get_component_rich_style("option-list--option-highlighted")
            assert color.bgcolor is not None
            return color.bgcolor.name

        first.focus()
        await pilot.pause()
        kept = dict(getattr(first, "_lean_component_nodes"))  # noqa: B009
        for _ in range(3):
            assert (highlight(first), highlight(second)) == ("#ff0000", "#0000ff")
            second.focus()
            await pilot.pause()
            assert (highlight(first), highlight(second)) == ("#0000ff", "#ff0000")
            first.focus()
            await pilot.pause()
        assert getattr(first, "_lean_component_nodes") == kept  # noqa: B009
        assert all(isinstance(node, DOMNode) for node in kept.values())


async def test_tab_in_the_reader_makes_no_new_component_nodes(tmp_path: Path) -> None:
    """A tab restyles the panes it moves between: on the nodes kept for them."""
    app = make_app(small_archive(tmp_path))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        for _ in range(3):
            await pilot.press("tab")
            await settle(app, pilot)
        panes = app.screen.panes
        kept = [dict(getattr(pane, "_lean_component_nodes", {})) for pane in panes]
        assert any(kept), "the lists' component styles are worked out on kept nodes"
        for _ in range(3):
            await pilot.press("tab")
            await settle(app, pilot)
        assert [dict(getattr(pane, "_lean_component_nodes", {})) for pane in panes] == kept


async def test_a_scrollbar_is_redrawn_when_its_colour_changes_not_on_every_restyle(
    tmp_path: Path,
) -> None:
    """Textual redrew a scrolling widget's scrollbars on each restyle (the detail pane's, 35
    lines, on every tab into or out of it); a new colour still redraws them."""
    app = make_app(small_archive(tmp_path))
    async with app.run_test(size=(120, 9)) as pilot:  # low: the date list scrolls
        await settle(app, pilot)
        dates = app.screen.date_list  # type: ignore[attr-defined]
        assert dates.show_vertical_scrollbar
        for key in ("tab", "shift+tab"):  # (the scrollbar's own styles are set the first time)
            await pilot.press(key)
            await settle(app, pilot)
        bar = dates.vertical_scrollbar
        redrawn: list[object] = []
        render = bar.render

        def counting() -> object:
            redrawn.append(bar)
            return render()

        bar.render = counting  # type: ignore[method-assign]
        for key in ("tab", "shift+tab"):  # out of the list and back: restyled, same colours
            await pilot.press(key)
            await settle(app, pilot)
        assert app.focused is dates and redrawn == []
        dates.styles.scrollbar_color = "red"
        await settle(app, pilot)
        assert redrawn, "a new scrollbar colour is drawn"
