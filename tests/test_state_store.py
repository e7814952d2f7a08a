"""The reading-state store: marks, stars, saved searches, settings, watchlist, damage,
migrations, export/import, and several processes writing at once."""

from __future__ import annotations

import datetime as dt
import json
import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from digest_tui.index.state.schema import LATEST
from digest_tui.index.state.store import StateError, StateStore, default_state_path
from digest_tui.index.state.transfer import export_state, import_state

DAY = dt.date(2026, 2, 5)


@pytest.fixture
def store(tmp_path: Path) -> StateStore:
    return StateStore(tmp_path / "state" / "state.db")


def test_lives_under_xdg_data_home_in_wal_mode(isolated_dirs: dict[str, Path]) -> None:
    path = default_state_path()
    assert path.parent == isolated_dirs["data"] / "digest-tui"
    store = StateStore()
    store.mark([("a.md", "x")])
    store.close()
    db = sqlite3.connect(path)
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("PRAGMA user_version").fetchone()[0] == LATEST


def test_marks_read_and_unread_later_wins(store: StateStore) -> None:
    store.see_posts([("p.md", DAY)])
    assert not store.read_state().is_read("p.md", "a")
    store.mark([("p.md", "a"), ("p.md", "b")])
    state = store.read_state()
    assert state.is_read("p.md", "a") and state.is_read("p.md", "b")
    assert not state.is_read("p.md", "c")
    store.mark([("p.md", "a")], read=False)
    assert store.read_state().unread_ids("p.md", ["a", "b", "c"]) == ["a", "c"]


def test_first_run_starts_reading_at_the_newest_day(store: StateStore) -> None:
    older, newest = DAY - dt.timedelta(days=1), DAY
    fresh = store.see_posts([("old.md", older), ("new.md", newest), ("new2.md", newest)])
    assert fresh == {"old.md", "new.md", "new2.md"}
    state = store.read_state()
    assert state.is_read("old.md", "x") and not state.is_read("new.md", "x")
    # a post seen later is unread whatever its date, and a baseline post can be marked unread
    assert store.see_posts([("new.md", newest), ("late.md", older - dt.timedelta(days=9))]) == {
        "late.md"
    }
    store.mark([("old.md", "x")], read=False)
    state = store.read_state()
    assert not state.is_read("late.md", "x") and not state.is_read("old.md", "x")
    assert state.is_read("old.md", "y")


def test_launches_say_when_the_reader_last_started(store: StateStore) -> None:
    assert store.record_launch().previous is None
    first = store.last_launch()
    assert first is not None
    store.see_posts([("a.md", DAY)], reader=True)  # the reader shows the posts
    store.see_posts([("b.md", DAY)])  # a command sees one more after the reader quit
    launch = store.record_launch()
    assert launch.previous == first
    seen = store.first_seen()
    assert launch.shown_until is not None and seen["a.md"] <= launch.shown_until < seen["b.md"]


def test_stars_with_notes(store: StateStore) -> None:
    store.star("p.md", "a", "look again")
    store.star("q.md", "b")
    assert [(s.path, s.note) for s in store.stars()] == [("q.md", ""), ("p.md", "look again")]
    starred_at = store.star_of("p.md", "a").starred_at  # type: ignore[union-attr]
    store.star("p.md", "a", "replaced")
    star = store.star_of("p.md", "a")
    assert star is not None and star.note == "replaced" and star.starred_at == starred_at
    store.star("p.md", "a")  # no note given: the note stays
    assert store.star_of("p.md", "a").note == "replaced"  # type: ignore[union-attr]
    assert store.unstar("p.md", "a") and not store.unstar("p.md", "a")
    assert [s.path for s in store.stars()] == ["q.md"]


def test_saved_searches_settings_watchlist(store: StateStore) -> None:
    store.save_search("gold", "黄金 OR 金价")
    store.save_search("ai", "asset:英伟达")
    store.save_search("gold", "黄金")
    assert [(s.name, s.query) for s in store.saved_searches()] == [
        ("ai", "asset:英伟达"),
        ("gold", "黄金"),
    ]
    assert store.delete_search("ai") and not store.delete_search("ai")
    store.set_setting("colors", "us")
    assert store.setting("colors") == "us" and store.setting("theme", "x") == "x"
    store.set_setting("colors", None)
    assert store.setting("colors") is None
    store.set_watched("黄金", True)
    store.set_watched("原油", True)
    store.set_watched("黄金", True)
    assert store.watched_assets() == ["黄金", "原油"]
    store.set_watched("黄金", False)
    assert store.watched_assets() == ["原油"]


def test_state_survives_reopening(tmp_path: Path) -> None:
    path = tmp_path / "s.db"
    first = StateStore(path)
    first.mark([("p.md", "a")])
    first.star("p.md", "a", "n")
    first.close()
    again = StateStore(path)
    assert again.read_state().is_read("p.md", "a")
    assert again.star_of("p.md", "a") is not None


def test_a_damaged_file_is_kept_aside_and_a_fresh_one_starts(tmp_path: Path) -> None:
    path = tmp_path / "s.db"
    path.write_bytes(b"this is not a database at all" * 200)
    notices: list[str] = []
    store = StateStore(path, notice=notices.append)
    assert len(notices) == 1 and "\n" not in notices[0] and "kept it as" in notices[0]
    kept = [p for p in tmp_path.iterdir() if p.name.startswith("s.db.damaged-")]
    assert len(kept) == 1 and kept[0].read_bytes().startswith(b"this is not a database")
    store.mark([("p.md", "a")])
    assert store.read_state().is_read("p.md", "a")


def test_a_truncated_database_is_kept_aside(tmp_path: Path) -> None:
    path = tmp_path / "s.db"
    store = StateStore(path)
    store.mark([(f"p{n}.md", "a") for n in range(2000)])
    store.close()
    for suffix in ("-wal", "-shm"):
        Path(str(path) + suffix).unlink(missing_ok=True)
    data = path.read_bytes()
    path.write_bytes(data[:4096] + b"\x00garbage" * 512 + data[8192 : len(data) // 2])
    notices: list[str] = []
    fresh = StateStore(path, notice=notices.append)
    assert len(notices) == 1
    fresh.mark([("q.md", "b")])
    assert fresh.read_state().marks == {("q.md", "b"): True}


def test_a_newer_schema_is_refused_not_overwritten(tmp_path: Path) -> None:
    path = tmp_path / "s.db"
    db = sqlite3.connect(path)
    db.execute(f"PRAGMA user_version = {LATEST + 1}")
    db.close()
    with pytest.raises(StateError, match="version"):
        StateStore(path)
    assert sqlite3.connect(path).execute("PRAGMA user_version").fetchone()[0] == LATEST + 1


def test_export_import_round_trip_and_merge(tmp_path: Path) -> None:
    a = StateStore(tmp_path / "a.db")
    a.see_posts([("old.md", DAY - dt.timedelta(days=1)), ("new.md", DAY)])
    a.mark([("new.md", "x"), ("gone.md", "y")])
    a.star("gone.md", "y", "a post this machine lacks")
    a.save_search("s", "q")
    a.set_watched("黄金", True)
    a.set_setting("colors", "us")
    exported = export_state(a)
    b = StateStore(tmp_path / "b.db")
    import_state(b, json.loads(json.dumps(exported)))
    assert export_state(b) == exported
    # merging: the later mark wins, whichever side it is on
    b.mark([("new.md", "x")], read=False)
    import_state(b, exported)
    assert not b.read_state().is_read("new.md", "x")
    a.mark([("new.md", "x")])
    import_state(b, export_state(a))
    assert b.read_state().is_read("new.md", "x")


@pytest.mark.parametrize(
    "data, message",
    [
        ([], "not a digest-tui state"),
        ({"format": "digest-tui-state", "version": 99}, "version"),
        (
            {"format": "digest-tui-state", "version": 1, "marks": [{"path": "p", "item_id": "i"}]},
            "read",
        ),
        (
            {
                "format": "digest-tui-state",
                "version": 1,
                "stars": [{"path": "p", "item_id": "i", "note": "", "starred_at": "yesterday"}],
            },
            "starred_at",
        ),
    ],
)
def test_a_bad_import_changes_nothing(store: StateStore, data: object, message: str) -> None:
    store.mark([("p.md", "a")])
    before = export_state(store)
    with pytest.raises(StateError, match=message):
        import_state(store, data)
    assert export_state(store) == before


_MARKER = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from digest_tui.index.state.store import StateStore
    store = StateStore(Path(sys.argv[1]))
    name, count, batch = sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    sys.stdout.write("ready\\n"); sys.stdout.flush()
    sys.stdin.readline()
    for start in range(0, count, batch):
        store.mark([(f"{name}-{n // 10}.md", str(n)) for n in range(start, start + batch)])
        sys.stdout.write(f"{start + batch}\\n"); sys.stdout.flush()
    """
)


def _marker(tmp_path: Path, db: Path, name: str, count: int, batch: int) -> subprocess.Popen[str]:
    script = tmp_path / "marker.py"
    script.write_text(_MARKER, encoding="utf-8")
    process = subprocess.Popen(
        [sys.executable, str(script), str(db), name, str(count), str(batch)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None and process.stdout.readline() == "ready\n"
    return process


def test_two_processes_marking_at_once_lose_no_mark(tmp_path: Path) -> None:
    db = tmp_path / "state.db"
    StateStore(db).close()
    writers = [_marker(tmp_path, db, name, 500, 1) for name in ("left", "right")]
    for writer in writers:  # start both together: one transaction per mark, interleaved
        assert writer.stdin is not None
        writer.stdin.write("go\n")
        writer.stdin.flush()
    for writer in writers:
        writer.communicate(timeout=120)
        assert writer.returncode == 0
    marks = StateStore(db).read_state().marks
    assert len(marks) == 1000
    assert all(
        marks[(f"{name}-{n // 10}.md", str(n))] for name in ("left", "right") for n in range(500)
    )


def test_sigkill_mid_batch_keeps_every_committed_mark(tmp_path: Path) -> None:
    db = tmp_path / "state.db"
    StateStore(db).close()
    writer = _marker(tmp_path, db, "k", 1_000_000, 50)
    assert writer.stdin is not None and writer.stdout is not None
    writer.stdin.write("go\n")
    writer.stdin.flush()
    committed = 0
    while committed < 2000:
        committed = int(writer.stdout.readline())
    os.kill(writer.pid, signal.SIGKILL)
    writer.wait(timeout=30)
    store = StateStore(db)
    marks = store.read_state().marks
    assert len(marks) >= committed
    assert all(marks[(f"k-{n // 10}.md", str(n))] for n in range(committed))
    store.mark([("after.md", "1")])  # and it is writable
    assert StateStore(db).read_state().is_read("after.md", "1")
