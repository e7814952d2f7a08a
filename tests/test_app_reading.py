"""The reader's memory, driven by keys: unread marks in every list and the header, opening
an item marks it read, r / R / u / space / s / e / S / E / y, saved searches, a post that
arrives while it runs, and what is new at the next launch."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
from digest_tui.index.state.store import StateStore, default_state_path
from digest_tui.tui.app import DigestApp
from digest_tui.tui.screens.confirm import Confirm
from digest_tui.tui.screens.saved_searches import SavedSearches
from digest_tui.tui.screens.search import SearchScreen
from digest_tui.tui.screens.starred import StarredScreen
from digest_tui.tui.screens.text_prompt import TextPrompt
from textual.widgets import Input, OptionList, Static
from tui_helpers import (
    back_to,
    date_rows,
    detail_text,
    make_app,
    open_screen,
    settle,
    small_archive,
    wait_until,
    write_post,
)

B, C, A = "2026-03-02-b.md", "2026-03-02-c.md", "2026-03-01-a.md"


def header_reading(app: DigestApp) -> str:
    return str(app.screen.query_one("#header-reading", Static).content)


def row_of(app: DigestApp, path: str) -> str:
    posts = app.screen.date_list.posts
    return next(row for row, post in zip(date_rows(app), posts, strict=True) if post.path == path)


def tree_labels(app: DigestApp) -> list[str]:
    tree = app.screen.section_tree
    return [str(node.label) for node in tree.item_nodes.values()]


def stored_marks() -> dict[tuple[str, str], bool]:
    store = StateStore(default_state_path())
    try:
        return store.read_state().marks
    finally:
        store.close()


async def ready(app: DigestApp, pilot) -> None:  # type: ignore[no-untyped-def]
    await settle(app, pilot)
    await wait_until(pilot, lambda: app.reading.loaded, "the reading state")
    await wait_until(pilot, lambda: header_reading(app), "the header's counts")
    await settle(app, pilot)


async def go_to_post(app: DigestApp, pilot, path: str) -> None:  # type: ignore[no-untyped-def]
    screen = app.screen
    screen.date_list.highlight_key(next(p.key for p in screen.date_list.posts if p.path == path))
    await settle(app, pilot)


async def test_unread_posts_and_items_are_marked_and_counted(tmp_path: Path) -> None:
    app = make_app(small_archive(tmp_path))
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(app, pilot)
        # a first run: reading starts at the newest day
        assert header_reading(app) == "4 unread in 2 posts"
        assert "• 周一早报：美元回落" in row_of(app, B) and "2 unread" in row_of(app, B)
        assert "•" not in row_of(app, A) and "unread" not in row_of(app, A)
        await go_to_post(app, pilot, B)
        assert all(label.startswith("• ") for label in tree_labels(app))


async def open_item(app: DigestApp, pilot, path: str, title: str) -> str:  # type: ignore[no-untyped-def]
    """Open the item titled `title` of post `path` (as a search result would); its id."""
    screen = app.screen
    key = next(p.key for p in screen.date_list.posts if p.path == path)
    post = app.library.load_post(*key)  # type: ignore[union-attr]
    item_id = next(i.id for i in post.items if i.title == title)
    screen.open_item(key, item_id)
    await settle(app, pilot)
    return item_id


async def test_opening_an_item_marks_it_read_in_every_list_and_in_the_database(
    tmp_path: Path,
) -> None:
    app = make_app(small_archive(tmp_path))
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(app, pilot)
        await go_to_post(app, pilot, B)
        await pilot.press("enter")  # into the section tree
        await pilot.press("j", "j")  # its section, then its first item: shown, so read
        await settle(app, pilot)
        assert detail_text(app).splitlines()[0] == "金价再创新高"
        assert "1 unread" in row_of(app, B)
        labels = tree_labels(app)
        assert not labels[0].startswith("•") and labels[1].startswith("• ")
        gold = app.screen.section_tree.current.item_id  # type: ignore[union-attr]
        await wait_until(pilot, lambda: stored_marks().get((B, gold)) is True, "the mark written")
        await wait_until(pilot, lambda: header_reading(app) == "3 unread in 2 posts", "header")


async def test_r_toggles_the_item_or_the_whole_post(tmp_path: Path) -> None:
    app = make_app(small_archive(tmp_path))
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(app, pilot)
        gold = await open_item(app, pilot, B, "金价再创新高")
        assert app.reading.is_read(B, gold)  # opened: read
        await pilot.press("r")
        await settle(app, pilot)
        assert not app.reading.is_read(B, gold) and tree_labels(app)[0].startswith("• ")
        app.screen.activate(app.screen.date_list)  # the post is selected: r marks it whole
        await pilot.press("r")
        await settle(app, pilot)
        assert "•" not in row_of(app, B) and app.reading.unread_ids(app.screen.current_key) == []
        await pilot.press("r")
        await settle(app, pilot)
        assert "2 unread" in row_of(app, B)
        await wait_until(pilot, lambda: stored_marks().get((B, gold)) is False, "unread written")


async def test_R_marks_everything_listed_read_after_a_confirm(tmp_path: Path) -> None:
    app = make_app(small_archive(tmp_path))
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(app, pilot)
        await open_screen(pilot, "R", Confirm)
        assert "Mark 4 unread items in 2 posts read?" in str(
            app.screen.query_one("#confirm-question", Static).content
        )
        await pilot.press("n")
        await back_to(pilot, type(app.screen_stack[1]))
        assert "2 unread" in row_of(app, B)
        await open_screen(pilot, "R", Confirm)
        await pilot.press("y")
        await settle(app, pilot)
        assert not any("•" in row for row in date_rows(app))
        await wait_until(pilot, lambda: header_reading(app) == "0 unread in 0 posts", "header")
        await wait_until(pilot, lambda: len(stored_marks()) == 4, "4 marks written")


async def test_u_shows_only_the_unread_posts_with_a_chip(tmp_path: Path) -> None:
    app = make_app(small_archive(tmp_path))
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(app, pilot)
        await pilot.press("u")
        await settle(app, pilot)
        assert [p.path for p in app.screen.date_list.posts] == [C, B]
        chips = [str(chip.content) for chip in app.screen.query("Chip")]
        assert chips == ["unread only ✕"]
        assert app.screen.date_list.border_title == "Posts 2 of 3"
        await go_to_post(app, pilot, B)
        await pilot.press("r")  # read now, but it stays listed until unread-only is asked again
        await settle(app, pilot)
        assert [p.path for p in app.screen.date_list.posts] == [C, B]
        await pilot.press("u", "u")
        await settle(app, pilot)
        assert [p.path for p in app.screen.date_list.posts] == [C]
        await pilot.press("u")
        await settle(app, pilot)
        assert len(app.screen.date_list.posts) == 3 and not list(app.screen.query("Chip"))


async def test_space_goes_to_the_next_unread_item_across_posts(tmp_path: Path) -> None:
    app = make_app(small_archive(tmp_path))
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(app, pilot)
        seen = []
        for _ in range(4):
            await pilot.press("space")
            await settle(app, pilot)
            seen.append((app.screen.current_key[1], detail_text(app).splitlines()[0]))  # type: ignore[index]
        assert seen == [
            (C, "金价再创新高"),
            (C, "原油库存意外下降"),
            (B, "金价再创新高"),
            (B, "原油库存意外下降"),
        ]
        await wait_until(pilot, lambda: header_reading(app) == "0 unread in 0 posts", "header")
        await pilot.press("space")
        await settle(app, pilot)
        assert any("No unread item left" in n.message for n in app._notifications)


async def test_s_stars_e_notes_and_S_lists_the_starred_items(tmp_path: Path) -> None:
    app = make_app(small_archive(tmp_path))
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(app, pilot)
        crude = await open_item(app, pilot, A, "原油库存意外下降")
        await pilot.press("s")
        await settle(app, pilot)
        assert "★" in tree_labels(app)[1] and "★" in row_of(app, A)
        await open_screen(pilot, "e", TextPrompt)
        await pilot.press(*"周三再看", "enter")
        await settle(app, pilot)

        def stored() -> tuple[str, str] | None:
            store = StateStore(default_state_path())
            star = store.star_of(A, crude)
            store.close()
            return None if star is None else (star.item_id, star.note)

        await wait_until(pilot, lambda: stored() == (crude, "周三再看"), "the note written")
        app.screen.activate(app.screen.date_list)
        await go_to_post(app, pilot, C)
        await open_screen(pilot, "S", StarredScreen)
        starred = app.screen
        await wait_until(pilot, lambda: len(starred.shown) == 1, "the starred list")
        text = str(starred.query_one(OptionList).get_option_at_index(0).prompt)
        assert "★ 原油库存意外下降" in text and "周三再看" in text and "三月开局" in text
        await pilot.press(*"zzz")
        await settle(app, pilot)
        assert starred.shown == []
        await pilot.press("backspace", "backspace", "backspace", *"周三", "enter")
        await back_to(pilot, type(app.screen_stack[1]))
        await settle(app, pilot)
        assert app.screen.current_key[1] == A  # type: ignore[index]
        assert detail_text(app).splitlines()[0] == "原油库存意外下降"
        await pilot.press("s")  # unstar
        await settle(app, pilot)
        await wait_until(pilot, lambda: stored() is None, "the star removed")


async def test_saved_searches_are_saved_run_edited_and_deleted(tmp_path: Path) -> None:
    app = make_app(small_archive(tmp_path))
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(app, pilot)
        await open_screen(pilot, "slash", SearchScreen)
        search = app.screen
        await pilot.press(*"现货黄金")
        await wait_until(pilot, lambda: search.hits, "results")
        await open_screen(pilot, "ctrl+s", TextPrompt)
        await pilot.press(*"gold", "enter")
        await back_to(pilot, SearchScreen)

        def saved() -> list[tuple[str, str]]:
            store = StateStore(default_state_path())
            found = [(s.name, s.query) for s in store.saved_searches()]
            store.close()
            return found

        assert saved() == [("gold", "现货黄金")]
        search.query_one(Input).value = ""
        await settle(app, pilot)
        await open_screen(pilot, "ctrl+o", SavedSearches)
        assert "gold" in str(app.screen.query_one(OptionList).get_option_at_index(0).prompt)
        await pilot.press("enter")
        await back_to(pilot, SearchScreen)
        assert search.query_one(Input).value == "现货黄金"
        await wait_until(pilot, lambda: len(search.hits) == 3, "the saved search's results")
        assert all("• " in str(o.prompt) for o in search.query_one(OptionList).options[:2])
        await open_screen(pilot, "ctrl+o", SavedSearches)
        await open_screen(pilot, "e", TextPrompt)
        app.screen.query_one(Input).value = "原油"
        await pilot.press("enter")
        await back_to(pilot, SavedSearches)
        assert saved() == [("gold", "原油")]
        await open_screen(pilot, "r", TextPrompt)
        app.screen.query_one(Input).value = "oil"
        await pilot.press("enter")
        await back_to(pilot, SavedSearches)
        assert saved() == [("oil", "原油")]
        await pilot.press("d")
        await settle(app, pilot)
        assert saved() == []


async def test_E_opens_the_post_in_the_editor_at_the_item(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = small_archive(tmp_path)
    record = tmp_path / "editor-args.txt"
    editor = tmp_path / "fake-editor"
    editor.write_text(f'#!/bin/sh\nprintf "%s\\n" "$@" > {record}\n', encoding="utf-8")
    editor.chmod(editor.stat().st_mode | stat.S_IEXEC)
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.setenv("EDITOR", str(editor))
    app = make_app(root)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(app, pilot)
        await open_item(app, pilot, B, "原油库存意外下降")
        await pilot.press("E")
        await wait_until(pilot, record.exists, "the editor to run")
        lines = (root / B).read_text(encoding="utf-8").splitlines()
        expected = lines.index("### 原油库存意外下降") + 1
        assert record.read_text(encoding="utf-8").splitlines() == [f"+{expected}", str(root / B)]


async def test_y_copies_the_item_as_markdown(tmp_path: Path) -> None:
    app = make_app(small_archive(tmp_path))
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(app, pilot)
        await open_item(app, pilot, B, "金价再创新高")
        await pilot.press("y")
        await settle(app, pilot)
        copied = app.clipboard
        assert copied.startswith("### [金价再创新高](https://example.com/gold)\n")
        assert "- 现货黄金升至每盎司5100美元。" in copied
        assert "▲ " in copied and "黄金" in copied and "▼ " in copied
        assert "周一早报：美元回落" in copied


async def test_a_post_that_arrives_while_reading_is_unread_and_counted(tmp_path: Path) -> None:
    root = small_archive(tmp_path)
    app = make_app(root, watch=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(app, pilot)
        await wait_until(
            pilot, lambda: any(w.group == "watch" and w.is_running for w in app.workers), "watcher"
        )
        write_post(root, "2026-02-15-late.md", title="补发：二月的一篇", date="2026-02-15")
        await wait_until(
            pilot, lambda: header_reading(app) == "6 unread in 3 posts", "the arrival counted"
        )
        assert "• 补发：二月的一篇" in row_of(app, "2026-02-15-late.md")


async def test_the_next_launch_says_what_is_new_and_only_that_is_unread(tmp_path: Path) -> None:
    root = small_archive(tmp_path)
    first = make_app(root)
    async with first.run_test(size=(120, 40)) as pilot:
        await ready(first, pilot)
        await open_screen(pilot, "R", Confirm)  # the morning's posts, read
        await pilot.press("y")
        await settle(first, pilot)
    write_post(root, "2026-03-03-d.md", title="周二早报：新的一篇", date="2026-03-03")
    second = make_app(root, watch=True)
    async with second.run_test(size=(120, 40)) as pilot:
        await ready(second, pilot)
        assert header_reading(second).startswith("1 new · 2 items since today ")
        unread = [
            p.path for p in second.screen.date_list.posts if second.reading.unread_count(p.key)
        ]
        assert unread == ["2026-03-03-d.md"]
        assert "• 周二早报：新的一篇" in row_of(second, "2026-03-03-d.md")
        await wait_until(
            pilot,
            lambda: any(w.group == "watch" and w.is_running for w in second.workers),
            "watcher",
        )
        write_post(root, "2026-03-04-e.md", title="周三早报：又一篇", date="2026-03-04")
        await wait_until(
            pilot, lambda: header_reading(second).startswith("2 new · 4 items"), "the arrival"
        )


async def test_help_and_footer_list_the_reading_keys(tmp_path: Path) -> None:
    from digest_tui.tui.screens.help import HelpScreen

    app = make_app(small_archive(tmp_path))
    async with app.run_test(size=(160, 40)) as pilot:
        await ready(app, pilot)
        footer = " ".join(str(w.render()) for w in app.screen.query("FooterKey"))
        for label in ("Unread", "Star", "Starred"):
            assert label in footer
        await open_screen(pilot, "question_mark", HelpScreen)
        text = "\n".join(str(w.content) for w in app.screen.query(Static))
        for key, words in [
            ("r", "Toggle read"),
            ("R", "Mark everything in the list read"),
            ("u", "only posts with unread items"),
            ("space", "Next unread item"),
            ("s", "Star or unstar"),
            ("e", "note"),
            ("S", "Every starred item"),
            ("E", "$VISUAL/$EDITOR"),
            ("y", "Copy the item as markdown"),
            ("ctrl+s", "Save the query"),
            ("ctrl+o", "saved searches"),
        ]:
            assert any(
                line.strip().startswith(key + " ") and words in line for line in text.splitlines()
            ), (key, words)


async def test_a_damaged_state_file_is_kept_and_the_reader_goes_on(tmp_path: Path) -> None:
    state = default_state_path()
    state.parent.mkdir(parents=True, exist_ok=True)
    state.write_bytes(b"not a database, damaged" * 100)
    app = make_app(small_archive(tmp_path))
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(app, pilot)
        assert any("kept it as state.db.damaged-" in str(n.message) for n in app._notifications)
        assert header_reading(app) == "4 unread in 2 posts"  # a fresh state
        gold = await open_item(app, pilot, B, "金价再创新高")
        await wait_until(pilot, lambda: stored_marks().get((B, gold)) is True, "a mark written")
    kept = [p for p in state.parent.iterdir() if p.name.startswith("state.db.damaged-")]
    assert len(kept) == 1 and kept[0].read_bytes().startswith(b"not a database")


async def test_a_state_from_a_newer_version_turns_the_memory_off_not_the_reader(
    tmp_path: Path,
) -> None:
    import sqlite3

    from digest_tui.index.state.schema import LATEST

    state = default_state_path()
    state.parent.mkdir(parents=True, exist_ok=True)
    db = sqlite3.connect(state)
    db.execute(f"PRAGMA user_version = {LATEST + 1}")
    db.close()
    app = make_app(small_archive(tmp_path))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await wait_until(pilot, lambda: app.state_unusable, "the state refused")
        messages = [str(n.message) for n in app._notifications]
        assert sum("Read marks and stars are off" in m for m in messages) == 1
        await open_item(app, pilot, B, "金价再创新高")  # reading goes on, nothing is written
        await pilot.press("s")
        await settle(app, pilot)
        assert detail_text(app).splitlines()[0] == "金价再创新高"
        assert sum("Reading state" == n.title for n in app._notifications) == 1
    assert sqlite3.connect(state).execute("PRAGMA user_version").fetchone()[0] == LATEST + 1
