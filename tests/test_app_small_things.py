"""Small things a daily reader notices: the link dialog's focus, the help screen's keys."""

from __future__ import annotations

from pathlib import Path

import pytest
from digest_tui.tui.screens.browse import BrowseScreen
from digest_tui.tui.screens.help import HelpScreen
from digest_tui.tui.screens.link_confirm import LinkConfirm
from textual.containers import VerticalScroll
from tui_helpers import back_to, make_app, open_screen, settle, small_archive, wait_until


async def test_the_link_dialog_focuses_cancel_so_enter_opens_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = make_app(small_archive(tmp_path))
    opened: list[str] = []
    monkeypatch.setattr(app, "open_url", lambda url, **_kw: opened.append(url))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("tab", "j", "j")  # the first item: it has a link
        await settle(app, pilot)
        await open_screen(pilot, "o", LinkConfirm)
        assert app.focused is not None and app.focused.id == "cancel"
        await pilot.press("enter")
        await back_to(pilot, BrowseScreen)
        await settle(app, pilot)
        assert opened == []


async def test_the_help_screen_scrolls_with_j_k_g_and_G(tmp_path: Path) -> None:
    app = make_app(small_archive(tmp_path))
    async with app.run_test(size=(100, 20)) as pilot:
        await settle(app, pilot)
        await open_screen(pilot, "question_mark", HelpScreen)
        box = app.screen.query_one("#help-box", VerticalScroll)
        assert box.max_scroll_y > 3, "the help is longer than the screen"
        await pilot.press("j", "j")
        await wait_until(pilot, lambda: box.scroll_y >= 2, "j scrolls down")
        await pilot.press("k")
        await wait_until(pilot, lambda: box.scroll_y == 1, "k scrolls up")
        await pilot.press("G")
        await wait_until(pilot, lambda: box.scroll_y == box.max_scroll_y, "G: the end")
        await pilot.press("g")
        await wait_until(pilot, lambda: box.scroll_y == 0, "g: the top")


async def test_colours_and_theme_are_remembered_across_launches(tmp_path: Path) -> None:
    root = small_archive(tmp_path)
    app = make_app(root)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        assert app.convention == "cn"
        await pilot.press("c")
        await pilot.pause()
        app.theme = "nord"  # as the command palette's "Change theme" does
        await pilot.pause()
    again = make_app(root)
    async with again.run_test(size=(120, 40)) as pilot:
        await settle(again, pilot)
        assert again.convention == "us"
        assert again.theme == "nord"


async def test_a_notification_does_not_cover_the_search_results(tmp_path: Path) -> None:
    from digest_tui.tui.screens.search import SearchScreen
    from textual.widgets._toast import Toast

    app = make_app(small_archive(tmp_path))
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await settle(app, pilot)
        await open_screen(pilot, "slash", SearchScreen)
        await pilot.press(*"金")
        await settle(app, pilot)
        app.notify("Archive changed\nNew: 一篇新文章", timeout=10)
        await pilot.pause(0.3)
        results = app.screen.query_one("#search-results").region
        toasts = list(app.screen.query(Toast))
        assert toasts, "the notification is there"
        assert not [t for t in toasts if t.region.overlaps(results)]


@pytest.mark.parametrize("width", [60, 80, 120])
async def test_the_footer_keys_are_whole_at_every_width(tmp_path: Path, width: int) -> None:
    from textual.widgets import Footer
    from textual.widgets._footer import FooterKey

    app = make_app(small_archive(tmp_path))
    async with app.run_test(size=(width, 30)) as pilot:
        await settle(app, pilot)
        keys = [k for k in app.screen.query_one(Footer).query(FooterKey) if k.display]
        assert [k.description for k in keys][:3] == ["Search", "Tag", "Asset"]
        regions = sorted((k.region for k in keys), key=lambda r: r.x)
        for left, right in zip(regions, regions[1:], strict=False):
            assert left.right <= right.x, (left, right)  # none covers the next
        assert all(r.right <= width for r in regions)


async def test_the_match_count_follows_the_item_shown(tmp_path: Path) -> None:
    from digest_tui.tui.screens.search import SearchScreen

    app = make_app(small_archive(tmp_path))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await open_screen(pilot, "slash", SearchScreen)
        await pilot.press(*"黄金", "enter")
        await back_to(pilot, BrowseScreen)
        await settle(app, pilot)
        view = app.screen.detail
        count = len(view.matches)
        assert count >= 2
        for _ in range(count - 1):
            await pilot.press("n")
        assert view.border_subtitle.startswith(f"match {count}/{count}")
        await pilot.press("right_square_bracket")  # the next item: 原油库存意外下降
        await settle(app, pilot)
        assert "原油" in view.visible_text.splitlines()[0]
        assert f"{count}/{count}" not in str(view.border_subtitle)
        assert str(view.border_subtitle) == (
            f"match 1/{len(view.matches)} · n/N" if view.matches else ""
        )


async def test_under_an_asset_filter_a_post_shows_that_assets_impacts_first(
    tmp_path: Path,
) -> None:
    from digest_tui.tui.screens.pickers import Picker
    from tui_helpers import sample_copy

    app = make_app(sample_copy(tmp_path))
    async with app.run_test(size=(160, 40)) as pilot:
        await settle(app, pilot)
        await open_screen(pilot, "a", Picker)
        await pilot.press(*"黄金", "enter")
        await back_to(pilot, BrowseScreen)
        await settle(app, pilot)
        assert app.screen.date_list.highlighted == 0
        lines = app.screen.detail.visible_text.splitlines()
        first_group = lines[lines.index("影响 · by asset") + 1]
        assert first_group.startswith("黄金  "), first_group


@pytest.mark.parametrize("width", [60, 80])
async def test_a_cut_archive_name_keeps_a_space_before_the_reading_status(
    tmp_path: Path, width: int
) -> None:
    """At 80 columns the archive's name is cut ("/work/shar…"): what the header says next
    ("12 unread in 2 posts") must not run straight on from the "…"."""
    from textual.widgets import Static

    app = make_app(small_archive(tmp_path / ("a-long-folder-name-for-the-archive" * 2)))
    async with app.run_test(size=(width, 30)) as pilot:
        await settle(app, pilot)
        archive = app.screen.query_one("#header-archive", Static)
        reading = app.screen.query_one("#header-reading", Static)
        await wait_until(pilot, lambda: bool(str(reading.content)))
        assert str(archive.content) and archive.region.width < len(str(archive.content))
        assert archive.region.right < reading.region.x, (archive.region, reading.region)


def help_lines(app: object) -> list[str]:
    """The help's key rows as the reader sees them (the text of #help-keys, line by line)."""
    from textual.widgets import Static

    keys = app.screen.query_one("#help-keys", Static)  # type: ignore[attr-defined]
    return [strip.text.rstrip() for strip in keys.render_lines(keys.content_region.reset_offset)]


@pytest.mark.parametrize("width", [80, 120])
async def test_the_help_names_every_key_as_it_is_typed_and_hangs_long_descriptions(
    tmp_path: Path, width: int
) -> None:
    """`<` and `>` were listed as "less_than_sign" and "greater_than_sign"; a description
    too long for its row went on at the box's left edge, under the keys, instead of under
    its own first line."""
    app = make_app(small_archive(tmp_path))
    async with app.run_test(size=(width, 40)) as pilot:
        await settle(app, pilot)
        await open_screen(pilot, "question_mark", HelpScreen)
        await pilot.pause()
        lines = help_lines(app)
        text = "\n".join(lines)
        assert "less_than_sign" not in text and "greater_than_sign" not in text
        for key, words in (("<", "Wider lists"), (">", "Wider detail")):
            assert any(line.split() == [key, *words.split()] for line in lines), (key, text)
        headings = {title for title, _bindings in app.screen.sections}
        continued = 0
        for line in lines:
            indent = len(line) - len(line.lstrip())
            if not line or line in headings or (indent == 2 and line[2:20].rstrip()):
                continue  # a blank, a heading, or a key row ("  key   what it does")
            assert indent >= 20, f"a description goes on under the keys: {line!r}"
            continued += 1
        assert continued, "some description is long enough to go on a second line"


def _contrast(one: tuple[int, int, int], other: tuple[int, int, int]) -> float:
    """The WCAG contrast ratio of two colours (1: the same, 21: black on white)."""

    def luminance(rgb: tuple[int, int, int]) -> float:
        parts = [c / 255 for c in rgb]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in parts]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    high, low = sorted((luminance(one), luminance(other)), reverse=True)
    return (high + 0.05) / (low + 0.05)


async def test_the_readers_name_in_the_header_is_readable(tmp_path: Path) -> None:
    """The name at the top left was drawn near-black on the header's dark panel (its style was
    named inside the archive line's text and never resolved): it must stand out as a label."""
    from textual.widgets import Static

    app = make_app(small_archive(tmp_path))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        drawn = [
            segment
            for part in app.screen.query("#header-top Static").results(Static)
            for line in part.render_lines(part.content_region.reset_offset)[:1]
            for segment in line
            if segment.text.strip() == "digest-tui"
        ]
        assert drawn, "the header names the reader"
        style = drawn[0].style
        assert style is not None and style.color is not None and style.bgcolor is not None
        text, back = style.color.triplet, style.bgcolor.triplet
        assert text is not None and back is not None
        assert _contrast(tuple(text), tuple(back)) >= 4.5, (text, back)
        panel = app.screen.query_one("#header").styles.background.rgb
        assert tuple(back) != panel, "the name is a label on the accent, not the bar's colour"
