"""What a key press costs the reader: it redraws what changed, not the whole screen's widgets.

At 5,000 posts every key must answer within 100 ms (tests/benchmarks/bench_startup.py
measures it); these tests pin the work that made keys slow, so it does not come back.
"""

from __future__ import annotations

import datetime as dt
import gc
import time
from pathlib import Path
from typing import Any

import pytest
from digest_tui.index.reading_view import ReadingView
from digest_tui.tui.widgets.date_rows import PostRow
from textual.widget import Widget
from textual.widgets._footer import FooterKey
from textual.widgets.tree import TreeNode
from tui_helpers import date_rows, make_app, settle, small_archive, wait_until, write_post


async def test_moving_between_panes_keeps_the_footer_keys(tmp_path: Path) -> None:
    """Textual's Footer rebuilt its dozens of keys on every focus move (most of `tab`'s time
    at 5,000 posts); the reader's footer rebuilds only when the keys it shows change."""
    app = make_app(small_archive(tmp_path))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        before = list(app.screen.query(FooterKey))
        assert [k.description for k in before][:3] == ["Search", "Tag", "Asset"]
        for key in ("tab", "tab", "tab", "shift+tab", "a", "escape"):
            await pilot.press(key)
            await settle(app, pilot)
        assert list(app.screen.query(FooterKey)) == before, "the same widgets: not rebuilt"


async def test_the_footer_follows_a_narrowed_terminal(tmp_path: Path) -> None:
    """The palette's key leaves the footer under 80 columns, at once (no key needed)."""
    app = make_app(small_archive(tmp_path))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        palette = [k for k in app.screen.query(FooterKey) if k.has_class("-command-palette")]
        assert palette, "the palette's key is shown at 120 columns"
        await pilot.resize_terminal(70, 40)
        await settle(app, pilot)
        keys = list(app.screen.query(FooterKey))
        assert keys and not [k for k in keys if k.has_class("-command-palette")]


async def test_a_post_slow_to_load_says_loading_and_a_quick_one_does_not(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The tree says "Loading…" only for a post that takes a while (a new top label redraws
    every line of the tree: done for each j, it doubled the key's drawing), and is never
    covered by Textual's loading spinner (mounted and removed again, the whole screen laid
    out twice, for each post that came quickly)."""
    app = make_app(small_archive(tmp_path))
    labels: list[str] = []
    covers: list[object] = []
    original_cover = Widget._cover

    def cover(widget: Widget, over: Widget) -> None:
        covers.append(over)
        original_cover(widget, over)

    monkeypatch.setattr(Widget, "_cover", cover)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        library = app.library
        assert library is not None
        tree = app.screen.section_tree
        load = library.load_post
        monkeypatch.setattr(library, "cached_post", lambda key: None)
        original_set_label = TreeNode.set_label

        def set_label(node: TreeNode[object], label: object) -> None:
            if node is node.tree.root:
                labels.append(str(label))
            original_set_label(node, label)  # type: ignore[arg-type]

        monkeypatch.setattr(TreeNode, "set_label", set_label)
        await pilot.press("j")  # a quick load
        await settle(app, pilot)
        assert "Loading…" not in labels and tree.post is not None
        assert covers == [], "no spinner over the tree"
        shown = tree.post.path

        def slow(root: str, path: str) -> object:
            time.sleep(1.0)
            return load(root, path)

        monkeypatch.setattr(library, "load_post", slow)
        await pilot.press("j")
        await wait_until(pilot, lambda: "Loading…" in labels, "the tree to say Loading…")
        await settle(app, pilot)
        assert tree.post is not None and tree.post.path != shown
        assert "Loading…" not in str(tree.root.label)
        assert covers == [], "the tree says so itself, with no spinner over it"


async def test_the_listed_posts_are_left_out_of_full_collections(tmp_path: Path) -> None:
    """Thousands of posts and rows live as long as the list: frozen, so that a collection
    triggered by a key press does not walk them all (75-100 ms at 5,000 posts)."""
    gc.unfreeze()
    app = make_app(small_archive(tmp_path))
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(app, pilot)
            assert app.listing.posts
            frozen = gc.get_freeze_count()
            assert frozen > 0
            live = {id(o) for o in gc.get_objects()}  # what full collections walk
            assert not [p for p in app.listing.posts if id(p) in live]
    finally:
        gc.unfreeze()


async def test_a_list_reload_reads_the_marks_of_the_rows_drawn_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Counting every post's unread items on each reload (a filter, x, the watcher) took
    most of a filter's time at 5,000 posts: a row reads its marks when it is drawn."""
    root = tmp_path / "many"
    for n in range(80):
        day = f"2026-{1 + n // 28:02d}-{1 + n % 28:02d}"
        write_post(root, f"{day}-{n}.md", title=f"第{n}篇", date=day)
    app = make_app(root)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        assert app.reading.loaded and len(app.listing.posts) == 80
        counted: list[object] = []
        count = ReadingView.unread_count
        monkeypatch.setattr(
            ReadingView, "unread_count", lambda self, key: counted.append(key) or count(self, key)
        )
        app.screen.date_list.show_posts(app.listing.posts, "us")  # every row made anew
        await settle(app, pilot)
        assert 0 < len(counted) < 40, len(counted)  # the rows on screen (19), not all 80
        assert "unread" in date_rows(app)[0]  # and they do show their marks
        counted.clear()
        app.screen.date_list.show_posts(app.listing.posts, "us")  # the same rows again
        await settle(app, pilot)
        assert counted == []  # reused, marks and all
        assert "unread" in date_rows(app)[0]


async def test_a_filter_set_and_cleared_never_moves_the_panes(tmp_path: Path) -> None:
    """The header keeps its chip line without a filter: a chip appearing used to push every
    pane down a line (a whole-screen layout and redraw, the slowest frame of a filter)."""
    from digest_tui.tui.screens.browse import BrowseScreen
    from digest_tui.tui.screens.pickers import Picker
    from digest_tui.tui.widgets.filter_chips import Chip
    from tui_helpers import back_to, open_screen

    app = make_app(small_archive(tmp_path))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        screen = app.screen
        regions = [pane.region for pane in screen.panes]
        await open_screen(pilot, "t", Picker)
        await pilot.press(*"外汇", "enter")
        await back_to(pilot, BrowseScreen)
        await settle(app, pilot)
        assert [str(chip.content) for chip in screen.query(Chip)] == ["tag 外汇 ✕"]
        assert len(date_rows(app)) == 1
        assert [pane.region for pane in screen.panes] == regions
        await pilot.press("x")
        await settle(app, pilot)
        assert not list(screen.query(Chip)) and len(date_rows(app)) == 3
        assert [pane.region for pane in screen.panes] == regions


async def test_the_picker_is_a_box_over_the_panes_that_keeps_its_keys(tmp_path: Path) -> None:
    """The picker is shown over the panes, not a screen of its own (one composed and drawn
    whole over a tinted copy of the panes for each `a` was most of the key's time): what is
    typed goes into it, space and tab included, and a click on a pane closes it."""
    from digest_tui.tui.screens.pickers import Picker
    from textual.widgets import Input
    from tui_helpers import open_screen, sample_copy

    app = make_app(sample_copy(tmp_path))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        browse = app.screen
        footer = list(browse.query(FooterKey))
        await open_screen(pilot, "t", Picker)
        assert app.screen is browse and browse.picker.is_open
        await pilot.press(*"AI", "space", "日")
        field = browse.picker.query_one(Input)
        assert field.value == "AI 日"
        await wait_until(pilot, lambda: browse.picker.shown == ["AI 日报"], "narrowed to AI 日报")
        await pilot.press("tab")  # to the list, still in the picker
        assert browse.picker.is_open and app.focused is browse.picker.query_one("#picker-list")
        assert list(browse.query(FooterKey)) == footer  # the footer was left as it was
        await pilot.click("#detail")
        await settle(app, pilot)
        assert not browse.picker.is_open and app.focused is browse.detail
        await open_screen(pilot, "t", Picker)  # opened again: every tag, the field empty
        assert field.value == "" and "AI 日报" in browse.picker.shown
        assert len(browse.picker.shown) > 1
        await pilot.press("escape")
        await settle(app, pilot)
        assert not browse.picker.is_open and app.focused is browse.detail


async def test_the_pickers_first_filters_are_worked_out_ahead(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Once the list is in, the filters of the assets and tags the pickers list first are
    worked out in the background: choosing one narrows the list at once, with no read of
    the index after the key (35-90 ms at 5,000 posts on a first use)."""
    from digest_tui.tui.screens.browse import BrowseScreen
    from digest_tui.tui.screens.pickers import Picker
    from tui_helpers import back_to, open_screen

    app = make_app(small_archive(tmp_path))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        library = app.library
        assert library is not None
        asked: list[object] = []
        monkeypatch.setattr(library, "filter_posts", lambda *args: asked.append(args))
        for key, value, rows in (("a", "黄金", 3), ("t", "能源", 1)):
            await open_screen(pilot, key, Picker)
            await pilot.press(*value, "enter")
            await back_to(pilot, BrowseScreen)
            await settle(app, pilot)
            assert len(date_rows(app)) == rows, (value, date_rows(app))
            await pilot.press("x")
            await settle(app, pilot)
        assert asked == []  # every answer was known before the key


async def test_a_long_list_makes_only_the_rows_it_draws(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Making a row for every post on each reload took half a second of the UI thread at
    50,000 posts: a row is made when it is drawn or moved to, and the whole list still reads
    from the newest to the oldest post (G, page up, g)."""
    root = tmp_path / "long"
    first = dt.date(2025, 1, 1)
    for n in range(120):
        day = (first + dt.timedelta(days=n)).isoformat()
        write_post(root, f"{day}-{n}.md", title=f"长列表第{n}篇", date=day)
    app = make_app(root)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        dates = app.screen.date_list
        assert len(app.listing.posts) == 120
        made: list[object] = []
        make_row = PostRow.__init__

        def counted(row: PostRow, *args: Any) -> None:
            made.append(row)
            make_row(row, *args)

        monkeypatch.setattr(PostRow, "__init__", counted)
        dates.show_posts(app.listing.posts, "us")  # every row anew (another convention)
        await settle(app, pilot)
        assert 0 < len(made) < 40, len(made)  # the rows on screen (19), not all 120
        assert dates.option_count == 120 and "长列表第119篇" in date_rows(app)[0]
        app.screen.activate(dates)
        await pilot.press("G")
        await wait_until(pilot, lambda: dates.highlighted == 119, "G: the oldest post")
        assert dates.highlighted_key == app.listing.posts[-1].key
        assert "长列表第0篇" in dates.get_option_at_index(119).prompt.plain
        await pilot.press("pageup")
        await wait_until(pilot, lambda: dates.highlighted is not None and dates.highlighted < 119)
        assert dates.highlighted is not None and dates.highlighted > 119 - 30  # one page up
        await pilot.press("g")
        await wait_until(pilot, lambda: dates.highlighted == 0, "g: the newest post")
        await settle(app, pilot)
        assert app.screen.current_key == app.listing.posts[0].key


async def test_a_focus_move_redraws_the_section_tree_without_laying_it_out_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Textual's Tree laid out every line of the post's tree again on any style change, a
    focus move too (most of `l`'s time from the sections at 5,000 posts): only its lines are
    drawn again, with the cursor's look following the focus."""
    from textual.widgets import Tree

    app = make_app(small_archive(tmp_path))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("tab", "j")  # into the sections, onto a section
        await settle(app, pilot)
        tree = app.screen.section_tree
        row = tree.cursor_line - tree.scroll_offset.y

        def cursor_look() -> object:
            return [segment.style for segment in tree.render_line(row)]

        focused = cursor_look()
        built: list[object] = []
        build = Tree._build
        monkeypatch.setattr(Tree, "_build", lambda self: built.append(self) or build(self))
        await pilot.press("tab")  # to the detail: the tree's cursor looks blurred
        await settle(app, pilot)
        assert app.focused is app.screen.detail and cursor_look() != focused
        await pilot.press("shift+tab")
        await settle(app, pilot)
        assert app.focused is tree and cursor_look() == focused
        assert built == []  # drawn again, never laid out again


async def test_tab_styles_each_pane_it_moves_between_once(tmp_path: Path) -> None:
    """Textual styled the panes a tab moves between three times each (the screen's focus
    update, the class, the pane's own Focus/Blur), with all their component classes: a
    tab's most costly part, and most of the garbage a full collection then walked."""
    from textual.css.stylesheet import Stylesheet

    app = make_app(small_archive(tmp_path))
    styled: list[str] = []
    apply = Stylesheet.apply

    def counting(self: Stylesheet, node: Any, **kwargs: Any) -> None:
        if node in app.screen.panes:
            styled.append(node.id)
        apply(self, node, **kwargs)

    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        Stylesheet.apply = counting  # type: ignore[method-assign]
        try:
            for key, left, came in (
                ("tab", "dates", "sections"),
                ("shift+tab", "sections", "dates"),
            ):
                styled.clear()
                await pilot.press(key)
                await settle(app, pilot)
                assert sorted(styled) == sorted([left, came]), key
                assert app.focused is not None and app.focused.id == came
                # and what the focus looks like follows: the border of the pane with it
                assert app.screen.query_one(f"#{came}").has_pseudo_class("focus")
                assert not app.screen.query_one(f"#{left}").has_pseudo_class("focus")
        finally:
            Stylesheet.apply = apply  # type: ignore[method-assign]


async def test_narrow_tab_still_shows_the_next_pane(tmp_path: Path) -> None:
    """Under 100 columns the class shows the pane (its styles follow at once)."""
    app = make_app(small_archive(tmp_path))
    async with app.run_test(size=(80, 30)) as pilot:
        await settle(app, pilot)
        screen = app.screen
        await pilot.press("tab")
        await settle(app, pilot)
        assert screen.section_tree.display and not screen.date_list.display
        assert app.focused is screen.section_tree
        await pilot.press("shift+tab")
        await settle(app, pilot)
        assert screen.date_list.display and not screen.section_tree.display


async def test_rows_drawn_for_a_list_are_drawn_again_only_when_changed(tmp_path: Path) -> None:
    """A row of the last lists shown comes back drawn (a filter cleared), its lines pointing
    at its place in the list shown now (a click opens that post), and drawn anew when its
    marks change."""
    from digest_tui.tui.screens.browse import BrowseScreen
    from digest_tui.tui.screens.pickers import Picker
    from tui_helpers import back_to, open_screen

    def drawn_text(row: PostRow) -> str:
        style = date_list.get_visual_style("option-list--option")
        lines = date_list._get_option_render(row, style)
        return "\n".join("".join(segment.text for segment in line) for line in lines)

    app = make_app(small_archive(tmp_path))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        date_list = app.screen.date_list
        oldest = date_list.posts[2].key  # tagged 宏观, the only one
        drawn = set(date_list._drawn_rows.keys())
        assert drawn, "the rows on screen were drawn"
        await open_screen(pilot, "t", Picker)
        await pilot.press(*"宏观", "enter")  # that post alone: the first row now
        await back_to(pilot, BrowseScreen)
        await settle(app, pilot)
        assert [post.key for post in date_list.posts] == [oldest]
        await pilot.press("x")
        await settle(app, pilot)
        assert date_list.posts[2].key == oldest
        kept = [key for key in date_list._drawn_rows.keys() if key in drawn]
        assert len(kept) >= 3, "the rows of the list before the filter were drawn again"
        # a click on its row (the third) opens it: the drawn lines say where it is now
        await pilot.click(date_list, offset=(5, 2 * 2 + 1))
        await settle(app, pilot)
        assert date_list.highlighted_key == oldest
        # its marks changed (r: read / unread): its row is drawn anew, with them
        row = date_list.get_option_at_index(2)
        assert isinstance(row, PostRow)
        before = drawn_text(row)
        await pilot.press("r")
        await settle(app, pilot)
        after = drawn_text(row)
        assert after != before
        dot = "\u2022"  # an unread post's title has a dot before it (bold)
        assert (dot in after) == (dot in date_rows(app)[2]) != (dot in before)


async def test_the_date_list_scrollbar_follows_the_list_and_is_not_redrawn_for_nothing(
    tmp_path: Path,
) -> None:
    """A scrollbar is drawn again when what it shows changes (a filter shortens the list,
    clearing it lengthens it again), not on every layout of the screen (Textual redrew every
    scrolling pane's scrollbars whole each time: the largest share of typing into a picker)."""
    from digest_tui.tui.screens.browse import BrowseScreen
    from digest_tui.tui.screens.pickers import Picker
    from textual.scrollbar import ScrollBar
    from tui_helpers import back_to, open_screen

    root = tmp_path / "many"
    for day in range(1, 31):
        tag = "外汇" if day % 5 == 0 else "宏观"
        write_post(
            root, f"2026-03-{day:02d}.md", title=f"三月{day}日", date=f"2026-03-{day:02d}", tag=tag
        )
    app = make_app(root)
    redrawn: list[ScrollBar] = []
    render = ScrollBar.render

    def counting(self: ScrollBar) -> Any:
        redrawn.append(self)  # (called to draw it anew: its drawn lines are kept otherwise)
        return render(self)

    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        date_list = app.screen.date_list
        bar = date_list.vertical_scrollbar

        def drawn() -> list[str]:
            return ["".join(s.text for s in strip) for strip in bar.render_lines(bar.size.region)]

        assert date_list.show_vertical_scrollbar and bar.window_virtual_size == 60
        long_list = drawn()
        ScrollBar.render = counting  # type: ignore[method-assign]
        try:
            await open_screen(pilot, "t", Picker)
            redrawn.clear()
            await pilot.press(*"外汇")  # the picker narrows: nothing scrolls in the panes
            await settle(app, pilot)
            assert not [
                b for b in redrawn if b.parent is not app.screen.picker.query_one("#picker-list")
            ]
            await pilot.press("enter")
            await back_to(pilot, BrowseScreen)
            await settle(app, pilot)
            assert len(date_list.posts) == 6
            assert not date_list.show_vertical_scrollbar or bar.window_virtual_size == 12
            await pilot.press("x")
            await settle(app, pilot)
        finally:
            ScrollBar.render = render  # type: ignore[method-assign]
        assert date_list.show_vertical_scrollbar and bar.window_virtual_size == 60
        assert drawn() == long_list
        await pilot.press("G")  # to the end: the thumb moves down
        await settle(app, pilot)
        assert drawn() != long_list


async def test_an_asset_filter_redraws_a_posts_detail_only_when_it_reorders_it(
    tmp_path: Path,
) -> None:
    """Under an asset filter a post's impacts by asset put that asset first: a filter whose
    asset is first already (or absent) shows the same detail, so it is not built and laid out
    again when the filter is set or cleared (a third of `x`'s work at 5,000 posts)."""
    from digest_tui.tui.detail.documents import impacts_by_asset
    from digest_tui.tui.screens.browse import BrowseScreen
    from digest_tui.tui.screens.pickers import Picker
    from tui_helpers import back_to, open_screen

    app = make_app(small_archive(tmp_path))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        screen = app.screen
        post = screen.current_post
        assert post is not None and screen.detail.border_title == "Post"
        names = [name for name, _pairs in impacts_by_asset(post)]
        assert len(names) >= 2, names
        shown: list[object] = []
        show = screen.detail.show
        screen.detail.show = lambda *args, **kw: (shown.append(args[0]), show(*args, **kw))[1]

        async def filter_by(asset: str) -> list[str]:
            await open_screen(pilot, "a", Picker)
            await pilot.press(*asset, "enter")
            await back_to(pilot, BrowseScreen)
            await settle(app, pilot)
            assert screen.current_post is post and screen.filters.get("asset") == asset
            lines = screen.detail.visible_text.splitlines()
            return [line for line in lines[lines.index("影响 · by asset") + 1 :] if line]

        assert (await filter_by(names[0]))[0].startswith(names[0])
        await pilot.press("x")
        await settle(app, pilot)
        assert shown == [], "the same detail: not shown again"
        assert (await filter_by(names[1]))[0].startswith(names[1])
        assert len(shown) == 1, "reordered: shown again"
        await pilot.press("x")
        await settle(app, pilot)
        assert len(shown) == 2
        lines = screen.detail.visible_text.splitlines()
        assert lines[lines.index("影响 · by asset") + 1].startswith(names[0])


async def test_the_picker_opened_again_draws_none_of_its_rows_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`a` after a narrowed list shows the whole list again: its rows as drawn the first time
    (the same options in the same places), not drawn anew; a resize draws them again at
    the new width."""
    from digest_tui.tui.screens.browse import BrowseScreen
    from digest_tui.tui.screens.pickers import Picker
    from textual.visual import Visual
    from textual.widgets import OptionList
    from tui_helpers import back_to, open_screen, sample_copy

    app = make_app(sample_copy(tmp_path))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        browse = app.screen
        await open_screen(pilot, "a", Picker)
        await settle(app, pilot)
        whole = list(browse.picker.shown)
        choices = browse.picker.query_one("#picker-list", OptionList)
        first_rows = [choices.render_line(y).text for y in range(3)]
        assert "黄金" in whole and len(whole) > 3
        drawn: list[object] = []
        to_strips = Visual.to_strips

        def counted(widget: object, *args: Any, **kwargs: Any) -> Any:
            if widget is choices:
                drawn.append(args[0])
            return to_strips(widget, *args, **kwargs)

        monkeypatch.setattr(Visual, "to_strips", staticmethod(counted))
        await pilot.press(*"黄金", "enter")
        await back_to(pilot, BrowseScreen)
        await settle(app, pilot)
        await pilot.press("x")  # (else 黄金, the filter's, is highlighted: two rows change)
        await settle(app, pilot)
        drawn.clear()
        await open_screen(pilot, "a", Picker)
        await settle(app, pilot)
        assert browse.picker.shown == whole
        assert [choices.render_line(y).text for y in range(3)] == first_rows
        assert drawn == [], "the whole list's rows were kept"
        await pilot.press("escape")
        await pilot.resize_terminal(50, 40)  # a narrower box
        await settle(app, pilot)
        await open_screen(pilot, "a", Picker)
        await settle(app, pilot)
        assert drawn, "drawn again at the new width"
        width = choices.scrollable_content_region.width
        assert all(choices.render_line(y).cell_length >= width for y in range(3))


async def test_a_click_on_a_post_chooses_it_once_and_leaving_the_list_blurs_it_once(
    tmp_path: Path,
) -> None:
    """Textual calls each class's `_on_click` / `_on_blur` in turn: the date list calling its
    base's as well chose a clicked post twice and told the screen of each blur twice."""
    from textual import events
    from textual.widgets import OptionList

    app = make_app(small_archive(tmp_path))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        screen = app.screen
        chosen: list[int | None] = []
        blurred: list[object] = []
        screen.date_list.when_chosen = lambda: chosen.append(screen.date_list.highlighted)
        original = screen.post_message

        def seen(message: object) -> bool:
            if isinstance(message, events.DescendantBlur):
                blurred.append(message.widget)
            return original(message)  # type: ignore[arg-type]

        screen.post_message = seen  # type: ignore[method-assign]
        await pilot.press("tab")
        await settle(app, pilot)
        assert blurred.count(screen.date_list) == 1
        selected: list[int] = []
        screen.date_list.post_message = lambda m: (  # type: ignore[method-assign]
            selected.append(m.option_index) if isinstance(m, OptionList.OptionSelected) else None,
            OptionList.post_message(screen.date_list, m),
        )[1]
        await pilot.click("#dates", offset=(3, 2))
        await settle(app, pilot)
        assert len(chosen) == 1 and len(selected) == 1, (chosen, selected)
