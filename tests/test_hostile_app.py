"""The reader over a hostile archive, driven with Pilot: every post shown, every visible row,
tree node, option and clickable cell clicked, search, filters and links tried. Nothing
escapes, nothing hangs, no markup or action takes effect, text is shown literally, and the
archive is byte for byte the same afterwards.

What reaches the terminal is checked where Textual builds it: the composited screen rendered
to the escape sequences a real driver would write (a headless app writes nothing itself).
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from digest_tui.tui.screens.link_confirm import LinkConfirm
from hostile import BAD_LINKS, iter_forbidden, make_hostile_archive, snapshot
from hostile_driver import (
    SIZE,
    Checker,
    Recorder,
    click_everything,
    dismiss_modals,
    press,
    quick_settle,
    started,
    until,
)
from textual.widgets import Input, OptionList
from tui_helpers import make_app

pytestmark = pytest.mark.timeout(120)


@pytest.fixture
def hostile(tmp_path: Path):
    return make_hostile_archive(tmp_path / "root", huge_bytes=1_100_000)


async def test_every_post_of_a_hostile_archive(hostile, monkeypatch) -> None:
    before = snapshot(hostile.root)
    recorder = Recorder(monkeypatch)
    app = make_app(hostile.root)
    app.animation_level = "none"  # what is checked is text, not motion; keys answer at once
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        check = Checker(app, hostile, recorder)
        await started(app, pilot)
        check("start")
        browse = app.screen
        keys = list(browse.date_list.keys)
        assert sorted(path for _root, path in keys) == sorted(hostile.posts)
        interesting = {*hostile.markup_posts, *hostile.escape_posts, hostile.link_post}
        # clicked all over: the posts whose text would run an action if read as markup
        clicked = {
            *(p for p, title in hostile.literal_titles.items() if "@click" in title),
            hostile.link_post,
        }
        for number, (_root, path) in enumerate(keys):
            asked = time.monotonic()
            browse.date_list.highlighted = number
            await until(
                lambda path=path: (
                    browse.current_post is not None and browse.current_post.path == path
                ),
                app,
                pilot,
                path,
            )
            if path in hostile.slow_posts:  # shown in a cheaper form, never a hang; how fast
                # is bench_layout.py's to say (a shared machine makes a tight limit flaky)
                assert time.monotonic() - asked < 30.0, f"{path} took too long to show"
            text = check(path)
            post = browse.current_post
            if path in hostile.literal_titles:
                literal = hostile.literal_titles[path].split(" hxmarkup")[0]
                assert literal[:20] in text, f"{path}: title not shown literally"
            if path not in interesting:
                continue
            for item in post.items[:1]:  # its first item, in the detail pane
                browse.section_tree.select_item(item.id)
                await quick_settle(app, pilot)
                check(f"{path} item {item.id}")
            if path in clicked:
                await click_everything(pilot, check, path)
            if app.screen is not browse or browse.picker_open:
                await dismiss_modals(pilot, check, type(browse))
    assert recorder.of("bell", "open_url", "webbrowser.open") == []
    assert snapshot(hostile.root) == before


async def test_search_filters_and_links_over_a_hostile_archive(tmp_path: Path, monkeypatch) -> None:
    # the posts whose text search results, tag and asset lists and link lists show
    hostile = make_hostile_archive(
        tmp_path / "root", groups=("escapes", "markup", "links", "names")
    )
    before = snapshot(hostile.root)
    recorder = Recorder(monkeypatch)
    app = make_app(hostile.root)
    app.animation_level = "none"  # what is checked is text, not motion; keys answer at once
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        check = Checker(app, hostile, recorder)
        await started(app, pilot)
        browse = app.screen
        for query in ("hxmarkupa", "[/]", '"\x1b]52"', "NOT OR foobar", "hxlinks"):
            await press(pilot, "slash")
            await quick_settle(app, pilot)
            app.screen.query_one(Input).value = query
            await quick_settle(app, pilot)
            check(f"search {query!r}")
            await click_everything(pilot, check, f"search results for {query!r}")
            while app.screen is not browse or browse.picker_open:
                await press(pilot, "escape")
                await quick_settle(app, pilot)
        for key in ("t", "a"):
            await press(pilot, key)
            await quick_settle(app, pilot)
            text = check(f"picker {key}")
            if key == "t":
                assert "[bold red]red[/bold red]" in text or "[/]" in text
            await click_everything(pilot, check, f"picker {key}")
            while app.screen is not browse or browse.picker_open:
                await press(pilot, "escape")
                await quick_settle(app, pilot)
            await press(pilot, "x")
            await quick_settle(app, pilot)
        # every link of the link post: shown in full first; only http(s) can be opened
        keys = browse.date_list.keys
        browse.date_list.highlighted = [p for _r, p in keys].index(hostile.link_post)
        await until(
            lambda: (
                browse.current_post is not None and browse.current_post.path == hostile.link_post
            ),
            app,
            pilot,
            "links post",
        )
        shown: list[str] = []
        for item in browse.current_post.items:
            browse.section_tree.select_item(item.id)
            await quick_settle(app, pilot)
            number = 0
            while True:
                await press(pilot, "l")
                if not browse.picker_open:
                    break  # the item has no links
                options = browse.picker.query_one(OptionList)
                if number >= options.option_count:
                    await press(pilot, "escape")
                    break
                options.highlighted = number
                await press(pilot, "enter")
                confirm = app.screen
                assert isinstance(confirm, LinkConfirm), type(confirm)
                await until(  # built and focused (its Cancel), before it is looked at
                    lambda: app.focused is not None and app.focused.id == "cancel",
                    app,
                    pilot,
                    "the link dialog",
                )
                shown.append(confirm.url)
                assert confirm.openable == confirm.url.startswith(("http://", "https://"))
                assert bool(confirm.query("#open")) == confirm.openable
                check(f"link {confirm.url!r}")
                await dismiss_modals(pilot, check, type(browse))
                number += 1
        text = browse.current_post.body
        for url in BAD_LINKS:  # a link, or (markdown-it refuses javascript: and file:) text
            assert any(url in link for link in shown) or url in text, f"{url} not shown"
        assert recorder.of("bell", "open_url", "webbrowser.open") == []
        # and an http(s) link opens, once the reader says so
        assert "https://example.com/good" in shown
        for item in browse.current_post.items:
            browse.section_tree.select_item(item.id)
            await quick_settle(app, pilot)
            await press(pilot, "l")
            if not browse.picker_open:
                continue
            options = browse.picker.query_one(OptionList)
            texts = [
                str(options.get_option_at_index(i).prompt) for i in range(options.option_count)
            ]
            match = [i for i, text in enumerate(texts) if "https://example.com/good" in text]
            if not match:
                await press(pilot, "escape")
                continue
            options.highlighted = match[0]
            await press(pilot, "enter", "y")
            break
        assert recorder.of("open_url", "webbrowser.open") == [
            ("open_url", ("https://example.com/good",))
        ]
    assert recorder.of("bell") == []
    assert snapshot(hostile.root) == before


async def test_notifications_about_hostile_files_are_clean(tmp_path: Path, monkeypatch) -> None:
    """A post appearing while the reader runs, whose name is its title and carries escape
    sequences, is announced in a notification: made visible, never sent raw."""
    hostile = make_hostile_archive(tmp_path / "root", groups=("escapes",))
    recorder = Recorder(monkeypatch)
    app = make_app(hostile.root, watch=True)
    app.animation_level = "none"
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        check = Checker(app, hostile, recorder)
        await started(app, pilot)
        await until(
            lambda: any(w.group == "watch" for w in app.workers), app, pilot, "the archive watcher"
        )
        await pilot.pause(0.3)
        (hostile.root / "2026-05-01-\x1b]0;PWNNEW\x07[@click=app.quit]x.md").write_text(
            "hxnew 正文\n", encoding="utf-8"
        )
        (hostile.root / "escapes" / "2026-01-01-osc52.md").unlink()
        await until(
            lambda: any("New post" in n.message for n in app._notifications),
            app,
            pilot,
            "the new-post notification",
            timeout=15,
        )
        await until(
            lambda: any("PWNNEW" in str(toast.render()) for toast in app.screen.query("Toast")),
            app,
            pilot,
            "the notification on screen",
        )
        await pilot.pause(0.1)
        text = check("notification")
        assert "␛]0;PWNNEW␇[@click=app.quit]x" in text, text
        await click_everything(pilot, check, "the notification")


async def test_a_whole_session_leaves_the_archive_as_it_was(
    tmp_path: Path, capfdbinary: pytest.CaptureFixture[bytes], monkeypatch
) -> None:
    """Index, search, show, tags and a reading session, over the hostile files (the slow ones
    aside): every file in the root keeps its bytes and mode; none is added or removed."""
    from digest_tui.tui.cli.main import main

    hostile = make_hostile_archive(tmp_path / "root", big=False)
    (hostile.root / "README.md").write_text("# 这个归档\n", encoding="utf-8")
    before = snapshot(hostile.root)
    archive = ["--archive", str(hostile.root)]
    for argv in (
        ["index"],
        ["search", "--limit", "0", "hxmarkupa"],
        ["tags"],
        ["assets"],
        ["search", "--json", "--limit", "0", "条目 OR 正文"],
        ["show", *hostile.posts],
        ["show", "--json", "2026-01-20"],
        ["search", "NOT OR foobar"],
        ["show", "special/fifo.md"],
    ):
        status = main([*archive, *argv])
        out, err = capfdbinary.readouterr()
        assert status in (0, 1, 2), argv
        assert not list(iter_forbidden(out + err)), argv
        assert b"Traceback" not in err, argv
    recorder = Recorder(monkeypatch)
    app = make_app(hostile.root, watch=True)
    app.animation_level = "none"
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        check = Checker(app, hostile, recorder)
        await started(app, pilot)
        for keys in (
            ("j", "j", "tab", "j", "enter"),
            ("tab", "j", "l"),
            ("escape",),
            ("slash", *"hxlinks", "enter"),
            ("t",),
            ("escape",),
            ("a",),
            ("escape",),
            ("c",),
            ("question_mark",),
            ("escape",),
        ):
            await press(pilot, *keys)
            check(f"after {keys}")
    assert snapshot(hostile.root) == before
