"""The reader's three panes, driven by keys: dates, sections, item; colours; layouts."""

from __future__ import annotations

from pathlib import Path

import pytest
from digest_tui.index.paths import Config, Roots
from digest_tui.tui.app import DigestApp
from digest_tui.tui.colors import stance_colour
from digest_tui.tui.screens.browse import BrowseScreen
from digest_tui.tui.screens.help import HelpScreen
from textual.command import CommandList, CommandPalette
from textual.widgets import Static
from tui_helpers import (
    back_to,
    date_rows,
    detail_text,
    glyph_colour,
    make_app,
    open_screen,
    settle,
    small_archive,
    wait_until,
    write_post,
)


async def test_first_run_shows_the_newest_sample_post_and_says_how_to_open_an_archive() -> None:
    app = make_app(None)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        rows = date_rows(app)
        assert len(rows) == 22  # 20 posts, plus 2 added for issue 9 (impact forms)
        assert "降息预期卷土重来，金价重返5000美元" in rows[0]
        assert rows[0].startswith("2026-11-25")
        hint = str(app.screen.query_one("#header-hint", Static).content)
        assert "bundled sample posts" in hint
        assert "--archive" in hint and "DIGEST_TUI_ARCHIVE" in hint and "config.toml" in hint
        assert "index ready" in str(app.screen.query_one("#header-status", Static).content)
        # the newest post is open: its header in the detail, its sections in the tree
        assert "降息预期卷土重来" in detail_text(app).splitlines()[0]
        assert app.screen.section_tree.root.children


async def test_moving_through_the_dates_opens_each_post_and_same_day_posts_have_rows(
    tmp_path: Path,
) -> None:
    app = make_app(small_archive(tmp_path))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        rows = date_rows(app)
        assert [row.split("\n")[0][:10] for row in rows] == [
            "2026-03-02",
            "2026-03-02",
            "2026-03-01",
        ]
        assert "▲2 ▼1" in rows[0]  # the stance tally: bullish 黄金, leaning-bullish 原油, 美元 down
        assert "经济日报" in rows[0]
        first_title = detail_text(app).splitlines()[0]
        await pilot.press("j")
        await settle(app, pilot)
        second_title = detail_text(app).splitlines()[0]
        await pilot.press("j")
        await settle(app, pilot)
        assert {first_title, second_title, detail_text(app).splitlines()[0]} == {
            "周一早报：美元回落",
            "周一晚报：油价企稳",
            "三月开局：金价走强",
        }


async def test_keys_that_arrive_together_open_the_post_they_end_on(tmp_path: Path) -> None:
    app = make_app(small_archive(tmp_path))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        dates = app.screen.date_list
        dates.action_cursor_down()  # two presses read from the terminal at once: the
        dates.action_cursor_down()  # highlight moves twice before either is handled
        await settle(app, pilot)
        assert dates.highlighted == 2
        assert detail_text(app).splitlines()[0] == "三月开局：金价走强"
        assert "三月开局" in app.screen.section_tree.root.label.plain
        dates.action_cursor_up()  # and back up past the post on screen, to the first
        dates.action_cursor_up()
        await settle(app, pilot)
        assert detail_text(app).splitlines()[0] == dates.posts[0].title


async def test_the_tree_lists_sections_and_items_and_choosing_an_item_shows_it(
    tmp_path: Path,
) -> None:
    app = make_app(small_archive(tmp_path))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        tree = app.screen.section_tree
        section = tree.root.children[0]
        assert section.label.plain == "贵金属 2"
        # (unread items have a dot before their title: tests/test_app_reading.py)
        assert [child.label.plain.removeprefix("• ") for child in section.children] == [
            "▲▼ 金价再创新高",
            "△ 原油库存意外下降",
        ]
        await pilot.press("enter")  # the date list: go to the tree
        await pilot.press("j", "j")  # post node -> section -> first item
        await settle(app, pilot)
        text = detail_text(app)
        assert text.splitlines()[0] == "金价再创新高"
        for part in (
            "核心要点",
            "现货黄金升至每盎司5100美元。",
            "深度解读",
            "影响",
            "▲ 黄金  利多  避险需求与降息预期共振。",
            "▼ 美元指数  利空  美元承压回落。",
        ):
            assert part in text
        await pilot.press("enter")
        await settle(app, pilot)
        assert app.focused is app.screen.detail
        await pilot.press("right_square_bracket")
        await settle(app, pilot)
        assert detail_text(app).splitlines()[0] == "原油库存意外下降"
        assert "△ 原油  偏多  库存下降支撑油价。" in detail_text(app)


FACTS_POST = """---
title: 美联储换帅
date: 2026-03-02
category: 经济日报
---
# 美联储换帅

## 美联储

### 提名新主席

**核心事实：**
- 正式宣布提名前理事接任。

- **市场反应：** 美元指数走强

**深度解读 & 洞察：**

政策转向预期升温。

**影响：**

- 对美元：利多，利率维持高位。
"""


async def test_an_items_labelled_facts_come_before_its_analysis_in_the_detail_pane(
    tmp_path: Path,
) -> None:
    """The economy daily's 核心事实 / 市场反应 are the news: read before the commentary."""
    root = tmp_path / "archive"
    root.mkdir()
    (root / "2026-03-02-fed.md").write_text(FACTS_POST, encoding="utf-8")
    app = make_app(root)
    async with app.run_test(size=(160, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("enter", "j", "j")  # the tree: post node -> section -> the item
        await settle(app, pilot)
        text = detail_text(app)
        assert text.splitlines()[0] == "提名新主席"
        facts, reaction = text.index("正式宣布提名前理事接任"), text.index("美元指数走强")
        assert facts < reaction < text.index("深度解读") < text.index("利率维持高位")
        assert text.count("核心事实") == 1 and text.count("美元指数走强") == 1


async def test_the_post_node_shows_the_header_with_summary_and_impacts_by_asset(
    tmp_path: Path,
) -> None:
    app = make_app(small_archive(tmp_path))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        text = detail_text(app)
        assert "#经济日报  #外汇" in text or "#经济日报  #能源" in text
        assert "• 金价走高" in text and "• 美元走弱" in text
        assert "影响 · by asset" in text
        for asset in ("黄金  ▲", "美元  ▼", "原油  △"):
            assert asset in text


@pytest.mark.parametrize("convention", ["cn", "us"])
async def test_impacts_are_coloured_by_the_convention_and_c_switches_it(
    tmp_path: Path, convention: str
) -> None:
    app = make_app(small_archive(tmp_path), colors=convention)
    other = "us" if convention == "cn" else "cn"
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("tab", "j", "j")
        await settle(app, pilot)
        assert glyph_colour(app, "▲ 黄金") == stance_colour("bullish", convention).lower()
        assert glyph_colour(app, "▼ 美元指数") == stance_colour("bearish", convention).lower()
        assert stance_colour("bullish", "cn") == "#ff5f5f"  # red is up in China
        await pilot.press("c")
        await settle(app, pilot)
        assert app.convention == other
        assert glyph_colour(app, "▲ 黄金") == stance_colour("bullish", other).lower()
        assert detail_text(app).splitlines()[0] == "金价再创新高"  # still on the same item


async def test_no_color_keeps_the_glyphs_and_drops_the_colours(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    app = make_app(small_archive(tmp_path))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("tab", "j", "j")
        await settle(app, pilot)
        assert glyph_colour(app, "▲ 黄金") is None
        assert glyph_colour(app, "▼ 美元指数") is None
        assert "▲2 ▼1" in date_rows(app)[0]


async def test_a_narrow_terminal_shows_one_pane_at_a_time_and_nothing_is_cut(
    tmp_path: Path,
) -> None:
    app = make_app(small_archive(tmp_path))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        screen = app.screen
        assert screen.has_class("-narrow")
        assert [p.display for p in screen.panes] == [True, False, False]
        assert screen.date_list.region.width == 80
        await pilot.press("enter", "j", "j", "enter")
        await settle(app, pilot)
        assert [p.display for p in screen.panes] == [False, False, True]
        assert screen.detail.region.width == 80
        lines = screen.detail._layout.lines
        assert all(
            line.cell_length <= screen.detail.scrollable_content_region.width for line in lines
        )
        await pilot.press("escape")
        await settle(app, pilot)
        assert [p.display for p in screen.panes] == [False, True, False]
        await pilot.resize_terminal(120, 40)
        await settle(app, pilot)
        assert not screen.has_class("-narrow")
        assert all(p.display for p in screen.panes)


async def test_help_lists_every_binding(tmp_path: Path) -> None:
    app = make_app(small_archive(tmp_path))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await open_screen(pilot, "question_mark", HelpScreen)
        text = str(app.screen.query_one("#help-keys", Static).content)
        for key, words in [
            ("q", "Quit"),
            ("?", "Help"),
            ("/", "Search every post"),
            ("t", "Filter the posts by a tag"),
            ("a", "Filter by asset"),
            ("c", "Switch colours"),
            ("tab", "Next pane"),
            ("shift+tab", "Previous pane"),
            ("esc", "back a pane"),
            ("n", "Next match"),
            ("N", "Previous match"),
            ("j / down", "Down"),
            ("ctrl+p", "Command palette"),
            ("o", "Open the item's link"),
            ("x", "Clear the filters"),
        ]:
            assert any(
                line.strip().startswith(key) and words in line for line in text.splitlines()
            ), (key, words)
        await pilot.press("escape")
        await back_to(pilot, BrowseScreen)


async def test_the_command_palette_offers_the_main_actions(tmp_path: Path) -> None:
    app = make_app(small_archive(tmp_path))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        titles = [command.title for command in app.get_system_commands(app.screen)]
        for title in (
            "Search",
            "Filter by tag",
            "Filter by asset",
            "Clear filters",
            "Switch colour convention",
            "Help",
            "Quit",
        ):
            assert title in titles
        await open_screen(pilot, "ctrl+p", CommandPalette)
        await pilot.press(*"colour")
        await wait_until(
            pilot, lambda: app.screen.query_one(CommandList).option_count, "the palette's commands"
        )
        await pilot.press("enter")
        await wait_until(pilot, lambda: app.convention == "us", "the colours to switch")


async def test_a_post_that_cannot_be_read_any_more_is_a_notice_not_a_crash(tmp_path: Path) -> None:
    root = small_archive(tmp_path)
    app = make_app(root)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        (root / "2026-03-01-a.md").unlink()
        assert app.library is not None
        app.library.forget_posts(["2026-03-01-a.md"])
        await pilot.press("j", "j")
        await settle(app, pilot)
        messages = [n.message for n in app._notifications]
        assert any("loading a post failed" in m for m in messages)
        write_post(root, "2026-03-01-a.md", title="回来了", date="2026-03-01")
        assert app.is_running


async def test_a_click_on_a_row_opens_that_post(tmp_path: Path) -> None:
    app = make_app(small_archive(tmp_path))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await pilot.click("#dates", offset=(6, 5))  # the third row (two lines each)
        await settle(app, pilot)
        assert app.screen.date_list.highlighted == 2
        assert detail_text(app).splitlines()[0] == "三月开局：金价走强"


@pytest.mark.parametrize(("theme", "applied"), [("nord", "nord"), ("no-such-theme", None)])
async def test_the_config_theme_is_used_and_a_wrong_one_is_a_warning(
    tmp_path: Path, theme: str, applied: str | None
) -> None:
    roots = Roots((small_archive(tmp_path),), "config")
    app = DigestApp(roots, Config(theme=theme), watch=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        if applied:
            assert app.theme == applied
        else:
            assert app.theme == "textual-dark"
            assert any("Unknown theme 'no-such-theme'" in n.message for n in app._notifications)


async def burst(app: DigestApp, pilot: object, *keys: str) -> None:
    """Keys typed faster than the reader answers: all of them queued before the first is
    handled (Pilot's `press` waits for the app between keys, a fast typist does not)."""
    from textual import events

    for key in keys:
        app.post_message(events.Key(key, key if len(key) == 1 else None))
    await settle(app, pilot)  # type: ignore[arg-type]


@pytest.mark.parametrize("width", [80, 120])
async def test_keys_typed_after_enter_go_to_the_pane_it_opens(tmp_path: Path, width: int) -> None:
    app = make_app(small_archive(tmp_path))
    async with app.run_test(size=(width, 40)) as pilot:
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, BrowseScreen)
        dates, tree = screen.date_list, screen.section_tree
        await burst(app, pilot, "enter", "j", "j")  # open the post's sections, two down
        assert app.focused is tree
        assert dates.highlighted == 0  # the list stayed on the post that was opened
        assert tree.cursor_line == 2  # post node -> section -> its first item
        assert detail_text(app).splitlines()[0] == "金价再创新高"
        await burst(app, pilot, "enter", "j")  # read the item: j scrolls it, not the tree
        assert app.focused is screen.detail
        assert tree.cursor_line == 2
