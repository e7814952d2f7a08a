"""Search in the reader: results as you type, opening a result, n/N, errors, not ready yet."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from digest_tui.index.model import SearchHit
from digest_tui.tui.cli.index_progress import IndexProcess
from digest_tui.tui.screens.browse import BrowseScreen
from digest_tui.tui.screens.search import RESULT_LIMIT, SearchScreen, hit_content
from textual.widgets import Input, Static
from tui_helpers import (
    back_to,
    detail_text,
    make_app,
    open_screen,
    settle,
    small_archive,
    wait_until,
    write_post,
)


def status(app) -> str:  # the app under test
    return str(app.screen.query_one("#search-status", Static).content)


def result_texts(app) -> list[str]:
    results = app.screen.query_one("#search-results")
    return [results.get_option_at_index(i).prompt.plain for i in range(results.option_count)]


async def test_typing_shows_results_and_enter_opens_the_item_with_matches_highlighted(
    tmp_path: Path,
) -> None:
    app = make_app(small_archive(tmp_path))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await open_screen(pilot, "slash", SearchScreen)
        await pilot.press(*"库存")
        await settle(app, pilot)
        results = result_texts(app)
        assert len(results) == 3 and status(app).startswith("3 matches")
        date, title, snippet = results[0].split("\n")
        # (an unread result has a dot before its title: tests/test_app_reading.py)
        assert date.startswith("2026-03-02") and title.removeprefix("• ") == "原油库存意外下降  △"
        assert "库存" in snippet
        hit_match = [
            s
            for s in app.screen.query_one("#search-results").get_option_at_index(0).prompt.spans
            if s.style == ".search-screen--match"
        ]
        assert hit_match, "the match in the snippet is highlighted"
        await pilot.press("down", "enter")  # the second result
        await back_to(pilot, BrowseScreen)
        await settle(app, pilot)
        view = app.screen.detail
        assert detail_text(app).splitlines()[0] == "原油库存意外下降"
        assert app.focused is view
        assert len(view.matches) == 2 and view.current_match == 0
        assert view.border_subtitle == "match 1/2 · n/N"
        assert app.screen.section_tree.current.kind == "item"
        await pilot.press("n")
        await settle(app, pilot)
        assert view.current_match == 1 and view.border_subtitle == "match 2/2 · n/N"
        await pilot.press("n")
        await settle(app, pilot)
        assert view.current_match == 0
        await pilot.press("N")
        await settle(app, pilot)
        assert view.current_match == 1
        await pilot.press("escape")  # clears the highlights
        await settle(app, pilot)
        assert view.matches == [] and view.border_subtitle == ""


async def test_the_first_result_opens_when_enter_is_pressed_at_once(tmp_path: Path) -> None:
    app = make_app(small_archive(tmp_path))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await open_screen(pilot, "slash", SearchScreen)
        await pilot.press(*"gold")  # Latin words match whole tokens: none here
        await settle(app, pilot)
        assert result_texts(app) == [] and status(app).startswith("0 matches")
        for _ in "gold":
            await pilot.press("backspace")
        await pilot.press(*"三月开局", "enter")  # before the results are in, maybe
        await back_to(pilot, BrowseScreen)
        await settle(app, pilot)
        assert detail_text(app).splitlines()[0] == "三月开局：金价走强"
        assert app.screen.date_list.highlighted_key[1] == "2026-03-01-a.md"


async def test_a_malformed_query_shows_its_message_inline(tmp_path: Path) -> None:
    app = make_app(small_archive(tmp_path))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await open_screen(pilot, "slash", SearchScreen)
        await pilot.press(*"NOT OR 黄金")
        await settle(app, pilot)
        assert status(app).startswith("Cannot search: ")
        assert app.screen.query_one("#search-status").has_class("-error")
        assert result_texts(app) == []
        await pilot.press("enter")  # nothing to open: stays
        await settle(app, pilot)
        assert isinstance(app.screen, SearchScreen)
        await pilot.press("escape")
        await back_to(pilot, BrowseScreen)


async def test_search_says_when_the_first_index_is_not_ready_and_then_answers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    release = threading.Event()
    original = IndexProcess.events

    def slow_indexer(self: IndexProcess, *args: object, **kwargs: object):
        release.wait(30)  # the first index takes its time
        yield from original(self, *args, **kwargs)

    monkeypatch.setattr(IndexProcess, "events", slow_indexer)
    app = make_app(small_archive(tmp_path))
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_until(pilot, lambda: app.posts, "the quick scan")
        assert len(app.posts) == 3  # the quick scan lists the posts before any index exists
        await open_screen(pilot, "slash", SearchScreen)
        await pilot.press(*"黄金")
        await wait_until(pilot, lambda: "not ready yet" in status(app), "the not-ready message")
        release.set()
        await settle(app, pilot)
        await wait_until(pilot, lambda: status(app).startswith("3 matches"), "the results")
        assert app.screen.query_one(Input).value == "黄金"


async def test_slash_again_reopens_with_the_last_query(tmp_path: Path) -> None:
    app = make_app(small_archive(tmp_path))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await open_screen(pilot, "slash", SearchScreen)
        await pilot.press(*"美元")
        await settle(app, pilot)
        first = result_texts(app)
        await pilot.press("enter")
        await back_to(pilot, BrowseScreen)
        await settle(app, pilot)
        await open_screen(pilot, "slash", SearchScreen)
        await settle(app, pilot)
        assert app.screen.query_one(Input).value == "美元"
        assert result_texts(app) == first and len(first) == 6  # 3 post headers, 3 items


def matched(content) -> list[str]:
    """The highlighted stretches of a result row, as text."""
    return [
        content.plain[span.start : span.end]
        for span in content.spans
        if span.style == ".search-screen--match"
    ]


def test_a_result_row_does_not_repeat_the_title_its_snippet_starts_with() -> None:
    snippet = "金价再创新高 现货黄金升至每盎司5100美元，金价走强。"
    hit = SearchHit(
        "p.md",
        "/r",
        "2026-03-01",
        "三月开局",
        "01-abc",
        "金价再创新高",
        (),
        1.0,
        snippet,
        ((0, 2), (snippet.rindex("金价"), snippet.rindex("金价") + 2)),
    )
    date, title, text = hit_content(hit).plain.split("\n")
    assert title == "金价再创新高"
    assert text == "现货黄金升至每盎司5100美元，金价走强。"
    assert matched(hit_content(hit)) == ["金价", "金价"]  # in the title line, in the text
    assert hit.to_json()["snippet"] == snippet  # the contract's JSON keeps the snippet

    elsewhere = SearchHit(
        "p.md",
        "/r",
        "2026-03-01",
        "三月开局",
        "01-abc",
        "金价再创新高",
        (),
        1.0,
        "…资金流入黄金，金价走强。",
        ((8, 10),),
    )
    assert hit_content(elsewhere).plain.split("\n")[2] == "…资金流入黄金，金价走强。"
    assert matched(hit_content(elsewhere)) == ["金价"]

    header = SearchHit(
        "p.md",
        "/r",
        "2026-03-01",
        "三月开局",
        None,
        None,
        (),
        1.0,
        "三月开局 金价走高 美元走弱",
        ((5, 7),),
    )
    assert hit_content(header).plain.split("\n")[1:] == [
        "三月开局  · the post",
        "金价走高 美元走弱",
    ]
    assert matched(hit_content(header)) == ["金价"]


async def test_more_results_come_when_the_last_one_shown_is_reached(tmp_path: Path) -> None:
    root = tmp_path / "many"
    for n in range(30):  # each post: its header and its first item mention 金价
        write_post(root, f"2026-01-{n + 1:02d}-p.md", title=f"第{n}篇", date=f"2026-01-{n + 1:02d}")
    app = make_app(root)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await open_screen(pilot, "slash", SearchScreen)
        await pilot.press(*"金价")
        await settle(app, pilot)
        screen = app.screen
        assert len(screen.hits) == RESULT_LIMIT and screen.total == 60
        assert status(app) == "60 matches (showing 50; more below the last)"
        await pilot.press(*["pagedown"] * 9, *["down"] * 4)  # 45 + 4: the 50th, the last
        await wait_until(pilot, lambda: len(screen.hits) == 60, "the next results")
        await settle(app, pilot)
        assert status(app) == "60 matches"
        assert screen.query_one("#search-results").highlighted == RESULT_LIMIT - 1


async def test_the_status_follows_the_result_shown_not_a_late_timer(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The slow-search timer's callback may already be queued when the result comes (so
    Timer.stop() cannot cancel it, simulated here): the status must still be the result's."""
    from textual.timer import Timer

    monkeypatch.setattr(Timer, "stop", lambda self: None)
    app = make_app(small_archive(tmp_path))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await open_screen(pilot, "slash", SearchScreen)
        await pilot.press(*"库存")
        await settle(app, pilot)
        await pilot.pause(0.4)  # every slow-search timer has fired by now
        assert status(app).startswith("3 matches"), status(app)
        assert len(result_texts(app)) == 3


async def test_a_result_shows_its_items_impact_glyphs_after_the_title(tmp_path: Path) -> None:
    app = make_app(small_archive(tmp_path))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await open_screen(pilot, "slash", SearchScreen)
        await pilot.press(*"现货黄金")
        await settle(app, pilot)
        titles = [row.split("\n")[1] for row in result_texts(app)]
        assert titles and all(t.removeprefix("• ") == "金价再创新高  ▲▼" for t in titles), titles


LEAD_POST = """---
title: 二月市场回顾
date: 2026-02-01
category: 经济日报
---
# 二月市场回顾

## 宏观

### 新主席提名公布

白银一度重挫35%至73美元下方，国内金饰克价一夜大跌60-170元，各地金店门口排起长队，部分品牌暂停回购业务，
交易所随即上调保证金比例。连锁反应机制：市场此前押注美联储今年累计降息超50个基点，如今预期面临修正。
"""


@pytest.mark.parametrize("width", [80, 120])
async def test_a_result_row_shows_the_matched_words_at_every_width(
    tmp_path: Path, width: int
) -> None:
    """The snippet is cut at the list's width: the words found must be on the row, not only
    the text that leads to them (the item's title holds neither word)."""
    root = tmp_path / "archive"
    root.mkdir()
    (root / "2026-02-01-review.md").write_text(LEAD_POST, encoding="utf-8")
    app = make_app(root)
    async with app.run_test(size=(width, 30)) as pilot:
        await settle(app, pilot)
        await open_screen(pilot, "slash", SearchScreen)
        await pilot.press(*"美联储 降息")
        await settle(app, pilot)
        assert status(app).startswith("1 match")
        results = app.screen.query_one("#search-results")
        rows = [results.render_line(y).text for y in range(results.size.height)]
        title_row = next(n for n, row in enumerate(rows) if "新主席提名公布" in row)
        snippet_row = rows[title_row + 1]
        assert "美联储" in snippet_row and "降息" in snippet_row, snippet_row
        assert snippet_row.strip().startswith("…")  # cut before, and said so
