"""The reader indexes in a child process (`digest-tui index --progress-json`): progress in the
header, any number of rebuilds, and nothing left running when it quits mid-build."""

from __future__ import annotations

import datetime as dt
import multiprocessing
import os
from pathlib import Path

import pytest
from digest_tui.index.library import Library
from digest_tui.index.paths import Config, Roots
from digest_tui.tui.app import DigestApp
from textual.widgets import Static
from tui_helpers import date_rows, make_app, settle, small_archive, wait_until, write_post

PROC = Path("/proc")


def many_posts(root: Path, count: int) -> Path:
    """`count` small posts of our own, one a day (enough for a parallel build: >= 48)."""
    first = dt.date(2024, 1, 1)
    for n in range(count):
        day = (first + dt.timedelta(days=n)).isoformat()
        write_post(root, f"{day[:4]}/{day}-p{n:04d}.md", title=f"第{n}篇：金价与美元", date=day)
    return root


def process_group(leader: int) -> set[int]:
    """The live processes of the group `leader` leads (zombies count as gone)."""
    found = set()
    for entry in PROC.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2 :].split()  # after "pid (name) "
        if fields[0] != "Z" and int(fields[2]) == leader:
            found.add(int(entry.name))
    return found


async def test_the_index_is_built_by_a_child_and_rebuilt_as_often_as_needed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = many_posts(tmp_path / "many", 60)
    totals: list[int] = []
    original = DigestApp.on_index_progress

    def record(self: DigestApp, message) -> None:
        totals.append(message.total)
        original(self, message)

    monkeypatch.setattr(DigestApp, "on_index_progress", record)
    app = make_app(root)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        assert app.index_state.phase == "ready" and len(date_rows(app)) == 60
        assert 60 in totals  # the child's progress reached the header
        found = app.library.search("金价", limit=0).total
        assert found >= 60
        for _ in range(2):  # the index is lost: each update rebuilds it, in a new child
            Library(app.roots, Config()).paths.folder.rename(tmp_path / f"lost-{_}")
            totals.clear()
            app.start_update()
            await settle(app, pilot)
            assert app.index_state.phase == "ready", app.index_state
            assert 60 in totals
            assert app.library.search("金价", limit=0).total == found
        errors = [n.message for n in app._notifications if n.severity == "error"]
        assert errors == []
    assert multiprocessing.active_children() == []  # no worker process ever ran in the app


@pytest.mark.skipif(not PROC.is_dir(), reason="needs /proc to list processes")
async def test_quitting_mid_build_leaves_no_process_behind(tmp_path: Path) -> None:
    root = many_posts(tmp_path / "many", 600)
    app = make_app(root)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_until(
            pilot,
            lambda: (
                app.index_state.phase == "indexing"
                and 0 < app.index_state.done < app.index_state.total
            ),
            "the first build to be under way",
            timeout=60,
        )
        run = app.keeper._indexing
        assert run is not None and run.process is not None
        leader = run.process.pid
        group = process_group(leader)
        assert leader in group and len(group) >= 2, group  # the indexer and its workers
        await pilot.press("q")
        await wait_until(pilot, lambda: not app.is_running, "the app to quit")
    assert process_group(leader) == set()
    assert not [child for child in multiprocessing.active_children()]
    # the killed build held the index lock: the next update gets it and builds the index
    report = Library(Roots((root,), "--archive"), Config(), lock_wait=5).update()
    assert report.busy is None and report.added == 600
    assert sorted(os.listdir(root)) == ["2024", "2025"]  # nothing was written inside the archive


async def test_an_indexer_that_fails_is_an_error_in_the_header_and_the_list_stays(
    tmp_path: Path, isolated_dirs: dict[str, Path]
) -> None:
    (isolated_dirs["cache"] / "digest-tui").write_text("not a folder")  # nowhere to write
    app = make_app(small_archive(tmp_path))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        assert app.index_state.phase == "error"
        status = str(app.screen.query_one("#header-status", Static).content)
        assert status.startswith("index error: cannot write the search index"), status
        assert any(
            "failed" in n.message and "cannot write the search index" in n.message
            for n in app._notifications
        ), [n.message for n in app._notifications]
        assert len(date_rows(app)) == 3  # the posts are still listed (from the quick scan)
