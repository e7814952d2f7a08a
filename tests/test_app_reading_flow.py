"""Reading keys: escape's one rule at every width, `/` with the last query, `T`, `p`."""

from __future__ import annotations

from pathlib import Path

import pytest
from digest_tui.tui.screens.browse import BrowseScreen
from digest_tui.tui.screens.pickers import Picker
from digest_tui.tui.screens.search import SearchScreen
from textual.widgets import Input
from tui_helpers import back_to, date_rows, make_app, open_screen, settle, small_archive


def active_pane(app) -> str:
    return next(p.id for p in app.screen.panes if p.has_class("-active"))


@pytest.mark.parametrize("width", [80, 120, 200])
async def test_escape_backs_a_pane_first_then_clears_the_filters(
    tmp_path: Path, width: int
) -> None:
    app = make_app(small_archive(tmp_path))
    async with app.run_test(size=(width, 40)) as pilot:
        await settle(app, pilot)
        await open_screen(pilot, "t", Picker)
        await pilot.press(*"能源", "enter")
        await back_to(pilot, BrowseScreen)
        await settle(app, pilot)
        assert len(date_rows(app)) == 1
        await pilot.press("tab", "tab")
        await settle(app, pilot)
        assert active_pane(app) == "detail"
        await pilot.press("escape")
        await settle(app, pilot)
        assert (active_pane(app), len(date_rows(app))) == ("sections", 1)
        await pilot.press("escape")
        await settle(app, pilot)
        assert (active_pane(app), len(date_rows(app))) == ("dates", 1)
        await pilot.press("escape")
        await settle(app, pilot)
        assert (active_pane(app), len(date_rows(app))) == ("dates", 3)


async def test_slash_reopens_with_the_last_query_typed(tmp_path: Path) -> None:
    app = make_app(small_archive(tmp_path))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await open_screen(pilot, "slash", SearchScreen)
        await pilot.press(*"库存", "enter")
        await back_to(pilot, BrowseScreen)
        await settle(app, pilot)
        await open_screen(pilot, "slash", SearchScreen)
        field = app.screen.query_one(Input)
        assert field.value == "库存"
        field.value = "黄金"
        await settle(app, pilot)
        await pilot.press("escape")  # closed without opening a result
        await back_to(pilot, BrowseScreen)
        await open_screen(pilot, "slash", SearchScreen)
        assert app.screen.query_one(Input).value == "黄金"


ARTICLE = """---
title: 自建还是调用 API
date: 2026-03-05
category: 技术分享
---
# 自建还是调用 API

开头的一段引言。

## 先拆成三个数字

这一节的引言，只在这里。

### 机器成本

GPU 租金或折旧。{filler}

### 吞吐量

取决于模型大小，吞吐量决定成本。{filler}

## 结论

按实测值算，吞吐量最要紧。
"""
FILLER = "\n\n这是一段填充的正文，让文章比屏幕长。" * 12


def article_archive(tmp_path: Path) -> Path:
    root = small_archive(tmp_path)
    (root / "2026-03-05-article.md").write_text(ARTICLE.format(filler=FILLER), encoding="utf-8")
    return root


async def test_an_article_is_read_whole_with_the_tree_as_its_contents(tmp_path: Path) -> None:
    app = make_app(article_archive(tmp_path))
    async with app.run_test(size=(160, 40)) as pilot:
        await settle(app, pilot)
        screen = app.screen
        text = screen.detail.visible_text
        for heading in ("先拆成三个数字", "机器成本", "结论"):
            assert text.count(heading) == 1, heading  # one document, each heading once
        assert text.count("吞吐量") == 3  # its heading and two mentions
        assert text.index("开头的一段引言") < text.index("机器成本") < text.index("按实测值算")
        labels = []
        node = screen.section_tree.root

        def walk(node) -> None:
            for child in node.children:
                labels.append(child.label.plain)
                walk(child)

        walk(node)
        assert sum(label.startswith("先拆成三个数字") for label in labels) == 1, labels
        # choosing a heading in the tree scrolls the one document to it
        await pilot.press("tab")
        before = screen.detail.scroll_y
        screen.section_tree.select_item(screen.current_post.items[-1].id)
        await settle(app, pilot)
        assert screen.detail.scroll_y > before
        lines = [line.plain for line in screen.detail._layout.lines]
        heading = lines.index("结论")
        top = int(screen.detail.scroll_y)
        assert top <= heading < top + screen.detail.size.height  # 结论 is on screen
        # `p`: one item at a time instead, and back
        await pilot.press("p")
        await settle(app, pilot)
        assert "开头的一段引言" not in screen.detail.visible_text
        await pilot.press("p")
        await settle(app, pilot)
        assert "开头的一段引言" in screen.detail.visible_text


async def test_search_matches_and_n_run_across_the_whole_post(tmp_path: Path) -> None:
    app = make_app(article_archive(tmp_path))
    async with app.run_test(size=(160, 40)) as pilot:
        await settle(app, pilot)
        await open_screen(pilot, "slash", SearchScreen)
        await pilot.press(*"吞吐量", "enter")
        await back_to(pilot, BrowseScreen)
        await settle(app, pilot)
        view = app.screen.detail
        assert "开头的一段引言" in view.visible_text  # the whole post
        assert len(view.matches) == 3  # every 吞吐量 of the post, not of one item
        seen = set()
        for _ in range(len(view.matches)):
            seen.add(view.current_match)
            await pilot.press("n")
        assert len(seen) == len(view.matches)


async def test_a_digest_post_can_be_read_whole_with_p(tmp_path: Path) -> None:
    app = make_app(small_archive(tmp_path))
    async with app.run_test(size=(160, 40)) as pilot:
        await settle(app, pilot)
        assert "原油库存意外下降" not in app.screen.detail.visible_text.splitlines()[0]
        await pilot.press("p")
        await settle(app, pilot)
        text = app.screen.detail.visible_text
        assert text.index("金价再创新高") < text.index("原油库存意外下降")
        assert app.screen.detail.border_title.startswith("Post · reading")


async def test_T_opens_the_newest_economy_daily_with_content(tmp_path: Path) -> None:
    root = small_archive(tmp_path)
    (root / "2026-03-09-placeholder.md").write_text(
        "---\ntitle: 经济日报 3月9日\ndate: 2026-03-09\ncategory: 经济日报\n---\n内容生成中…\n",
        encoding="utf-8",
    )
    (root / "2026-03-10-ai.md").write_text(
        "---\ntitle: AI 日报\ndate: 2026-03-10\ncategory: AI 日报\n---\n## 条目\n\n正文。\n",
        encoding="utf-8",
    )
    app = make_app(root)
    async with app.run_test(size=(160, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("G")  # somewhere else first
        await settle(app, pilot)
        await pilot.press("T")
        await settle(app, pilot)
        assert app.screen.date_list.highlighted_key == (str(root), "2026-03-02-c.md")
        assert app.screen.detail.visible_text.startswith("周一晚报：油价企稳")
