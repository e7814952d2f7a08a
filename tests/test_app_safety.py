"""Untrusted post text in the reader: literal markup, visible controls, confirmed links,
and posts too big to lay out shown cheaply while keys keep answering."""

from __future__ import annotations

from pathlib import Path

import pytest
from digest_tui.tui.detail.item_view import ItemView
from digest_tui.tui.screens.browse import BrowseScreen
from digest_tui.tui.screens.link_confirm import LinkConfirm, can_open
from digest_tui.tui.screens.pickers import Picker
from hostile import BAD_LINKS, ESCAPES, MARKUP, econ_post
from rich.cells import cell_len
from textual.widgets import Button, Static
from tui_helpers import (
    back_to,
    date_rows,
    detail_text,
    make_app,
    open_screen,
    settle,
    wait_until,
)


def markup_archive(tmp_path: Path) -> tuple[Path, Path, list[str]]:
    root = tmp_path / "hostile"
    markers = tmp_path / "markers"
    markers.mkdir()
    titles = [m.replace("{markers}", str(markers)) for m in MARKUP]
    for n, title in enumerate(titles, 1):
        path = root / f"2026-02-{n:02d}-m.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(
            econ_post(
                title=title,
                date=f"2026-02-{n:02d}",
                tags=[title, "经济日报"],
                category="经济日报",
                summary=[title],
                section=title,
                item_title=f"条目 {title}",
                point=title,
                analysis=title,
                impact=title,
                advice=title,
            ),
            encoding="utf-8",
        )
    return root, markers, titles


async def test_markup_in_posts_is_shown_literally_and_never_acts(tmp_path: Path) -> None:
    root, markers, titles = markup_archive(tmp_path)
    app = make_app(root)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        rows = date_rows(app)
        # (unread posts' titles have a dot before them: tests/test_app_reading.py)
        shown = [row.split("\n")[1].removeprefix("• ") for row in rows]
        assert shown == list(reversed(titles))
        for row_number in range(len(rows)):
            app.screen.date_list.highlighted = row_number
            await settle(app, pilot)
            assert app.screen.detail.document.blocks[0].content.plain == titles[-1 - row_number]
            if "@click" in titles[-1 - row_number]:
                # click the row, the tree labels and the detail: nothing may run
                await pilot.click("#dates", offset=(4, 1 + 2 * row_number))
                await pilot.click("#sections", offset=(6, 1))
                await pilot.click("#detail", offset=(4, 1))
                await settle(app, pilot)
            tree = app.screen.section_tree
            post = app.screen.current_post
            for item in post.items:
                label = tree.item_nodes[item.id].label.plain.lstrip("•★▲▼△▽●◆?… ")
                assert label.startswith(item.title)
            labels = [tree.root.label.plain] + [n.label.plain for n in tree.root.children]
            assert any(titles[-1 - row_number] in label for label in labels)
        assert app.is_running and app.return_code is None
        assert list(markers.iterdir()) == []


async def test_control_characters_become_visible_placeholders(tmp_path: Path) -> None:
    root = tmp_path / "escapes"
    root.mkdir()
    payload = ESCAPES["osc52"] + ESCAPES["c1csi"] + ESCAPES["rlo"]
    (root / "2026-02-01-e.md").write_text(
        econ_post(
            title=f"{payload} 标题",
            date="2026-02-01",
            tags=["经济日报"],
            category="经济日报",
            summary=["摘要"],
            section="栏目",
            item_title=f"{payload} 条目",
            point=payload,
            analysis=payload,
            impact=payload,
            advice=payload,
        ),
        encoding="utf-8",
    )
    app = make_app(root)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        shown = "\n".join(date_rows(app)) + detail_text(app)
        await pilot.press("tab", "j", "j")
        await settle(app, pilot)
        shown += detail_text(app)
        assert "␛]52;c;" in shown and "⍰" in shown
        assert not any(ch in shown for ch in ("\x1b", "\x9b", "\u202e", "\x07"))


def link_archive(tmp_path: Path) -> Path:
    root = tmp_path / "links"
    root.mkdir()
    body = "".join(f"\n[坏链接{n}]({url})\n" for n, url in enumerate(BAD_LINKS))
    (root / "2026-02-01-l.md").write_text(
        "---\ntitle: 链接测试\ndate: 2026-02-01\n---\n# 链接测试\n\n"
        "## 新闻\n\n### [好链接条目](https://example.com/good?a=1&b=2)\n\n- **时间：** 今天\n"
        f"\n正文里的[来源](https://example.com/source)。\n{body}",
        encoding="utf-8",
    )
    return root


async def test_links_open_only_after_a_confirm_and_only_http(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = make_app(link_archive(tmp_path))
    opened: list[str] = []
    monkeypatch.setattr(app, "open_url", lambda url, **_kw: opened.append(url))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("tab", "j", "j")
        await settle(app, pilot)
        assert detail_text(app).splitlines()[0] == "好链接条目"
        for url in BAD_LINKS:  # shown in full in the links list, never opened
            assert url in detail_text(app).replace("\n", "")
        await open_screen(pilot, "o", LinkConfirm)  # the item's own link
        assert (
            str(app.screen.query_one("#link-url", Static).content)
            == "https://example.com/good?a=1&b=2"
        )
        assert opened == []
        await pilot.press("y")
        await wait_until(
            pilot, lambda: opened == ["https://example.com/good?a=1&b=2"], "the link to open"
        )
        await back_to(pilot, BrowseScreen)

        await open_screen(pilot, "l", Picker)  # every link of the item, to choose from
        await pilot.press(*"vscode", "enter")
        await wait_until(
            pilot,
            lambda: isinstance(app.screen, LinkConfirm) and app.screen.query("#link-refused"),
            "the refusal",
        )
        assert not app.screen.query(Button).filter("#open")
        assert "Only http and https" in str(app.screen.query_one("#link-refused", Static).content)
        await pilot.press("y", "enter")
        await back_to(pilot, BrowseScreen)
        await settle(app, pilot)
        assert opened == ["https://example.com/good?a=1&b=2"]


async def test_clicking_a_link_number_in_the_text_asks_first(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = make_app(link_archive(tmp_path))
    monkeypatch.setattr(app, "open_url", lambda url, **_kw: None)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("tab", "j", "j")
        await settle(app, pilot)
        view = app.screen.query_one(ItemView)
        lines = [line.plain for line in view._layout.lines]
        y = next(n for n, line in enumerate(lines) if "来源[2]" in line)
        x = cell_len(lines[y][: lines[y].index("[2]")])
        region = view.content_region
        await pilot.click(offset=(region.x + x + 1, region.y + y - int(view.scroll_y)))
        await wait_until(pilot, lambda: isinstance(app.screen, LinkConfirm), "the dialog")
        assert app.screen.url == "https://example.com/source"


def test_only_http_and_https_urls_can_be_opened() -> None:
    assert can_open("https://example.com/x") and can_open("HTTP://example.com")
    for url in (*BAD_LINKS, "https://", "http:example.com", "//example.com", "data:text/html,x"):
        assert not can_open(url), url


async def test_a_post_too_big_to_lay_out_is_shown_as_plain_text_and_keys_answer(
    tmp_path: Path,
) -> None:
    root = tmp_path / "big"
    root.mkdir()
    table = "| " + " | ".join(f"列{i}" for i in range(40)) + " |\n|" + "---|" * 40 + "\n"
    table += ("| " + " | ".join("数据" for _ in range(40)) + " |\n") * 200
    (root / "2026-02-03-table.md").write_text(
        f"---\ntitle: 大表格\ndate: 2026-02-03\n---\n# 大表格\n\n{table}", encoding="utf-8"
    )
    (root / "2026-02-02-line.md").write_text(
        "---\ntitle: 一行一兆\ndate: 2026-02-02\n---\n# 一行一兆\n\n" + "长" * 1_000_000,
        encoding="utf-8",
    )
    (root / "2026-02-01-small.md").write_text(
        "---\ntitle: 小文章\ndate: 2026-02-01\n---\n# 小文章\n\n正文。\n", encoding="utf-8"
    )
    app = make_app(root)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        for row, title in enumerate(("大表格", "一行一兆")):
            app.screen.date_list.highlighted = row
            await wait_until(
                pilot,
                lambda: title in app.screen.section_tree.root.label.plain,  # noqa: B023
                title,
            )
            await pilot.press("right_square_bracket")  # its first item (the whole text)
            await wait_until(pilot, lambda: "Shown as plain text" in detail_text(app), title)
            assert title in app.screen.section_tree.root.label.plain
            app.screen.activate(app.screen.detail)
            await pilot.press("G")  # keys answer: the view scrolls down and up again
            await wait_until(pilot, lambda: app.screen.detail.scroll_y > 0, "scrolled down")
            await pilot.press("g")
            await wait_until(pilot, lambda: app.screen.detail.scroll_y == 0, "scrolled up")
            app.screen.activate(app.screen.date_list)
        app.screen.date_list.highlighted = 2
        await settle(app, pilot)
        assert detail_text(app).splitlines()[0] == "小文章"
