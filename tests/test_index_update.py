"""Staying current: only what changed is parsed again, and results follow the files."""

from __future__ import annotations

import datetime as dt
import os
import threading
from pathlib import Path

import pytest
from digest_tui.index.library import Library
from digest_tui.index.paths import Config, Roots
from digest_tui.index.search import update
from search_archive import AI, write_archive


@pytest.fixture
def archive(tmp_path: Path) -> Path:
    return write_archive(tmp_path / "archive")


@pytest.fixture
def library(archive: Path, tmp_path: Path) -> Library:
    lib = Library(Roots((archive,), "--archive"), Config(), cache=tmp_path / "cache")
    first = lib.update()
    assert first.rebuilt and first.added == 3
    return lib


def found(lib: Library, query: str) -> set[str]:
    return {h.path for h in lib.search(query, limit=0).hits}


def counts(report) -> tuple[int, int, int, int]:
    return report.added, report.changed, report.removed, report.unchanged


def test_nothing_changed_parses_nothing(library: Library) -> None:
    report = library.update()
    assert counts(report) == (0, 0, 0, 3) and not report.rebuilt


def test_a_new_post_is_the_only_one_indexed(library: Library, archive: Path) -> None:
    (archive / "ai" / "2026-02-11-new.md").write_text(
        AI.replace("2026-02-10", "2026-02-11").replace("Claude", "Gemini"), encoding="utf-8"
    )
    report = library.update()
    assert counts(report) == (1, 0, 0, 3)
    assert found(library, "gemini") == {"ai/2026-02-11-new.md"}
    assert found(library, "claude") == {"ai/2026-02-10-claude.md"}


def test_a_changed_post_is_reindexed_and_its_old_words_are_gone(
    library: Library, archive: Path
) -> None:
    path = archive / "ai" / "2026-02-10-claude.md"
    path.write_text(AI.replace("Claude", "Mistral"), encoding="utf-8")
    report = library.update()
    assert counts(report) == (0, 1, 0, 2)
    assert found(library, "claude") == set()
    assert found(library, "mistral") == {"ai/2026-02-10-claude.md"}
    assert len(library.stored_posts()) == 3


def test_a_touched_but_identical_post_is_not_parsed_again(library: Library, archive: Path) -> None:
    path = archive / "ai" / "2026-02-10-claude.md"
    info = path.stat()
    os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns + 5_000_000_000))
    assert counts(library.update()) == (0, 0, 0, 3)
    assert counts(library.update()) == (0, 0, 0, 3)  # the new mtime was recorded
    assert found(library, "claude") == {"ai/2026-02-10-claude.md"}


def test_a_removed_post_is_no_longer_found(library: Library, archive: Path) -> None:
    (archive / "ai" / "2026-02-10-claude.md").unlink()
    report = library.update()
    assert counts(report) == (0, 0, 1, 2)
    assert found(library, "claude") == set()
    assert {p.path for p in library.stored_posts()} == {
        "econ/2026-02-05-fed.md",
        "notes/2026-01-20-habits.md",
    }
    assert "AI" not in dict(library.tags())


def test_many_small_updates_stay_correct_and_compact(library: Library, archive: Path) -> None:
    for n in range(9):
        (archive / "ai" / f"2026-03-{n + 1:02d}-extra.md").write_text(
            AI.replace("2026-02-10", f"2026-03-{n + 1:02d}").replace("Claude", f"Modelo{n}"),
            encoding="utf-8",
        )
        assert counts(library.update())[0] == 1
    (archive / "ai" / "2026-03-01-extra.md").unlink()
    library.update()
    store, view = update.open_checked(library.paths, library.roots)
    try:
        assert len(view.segment_stats()) <= 7  # small segments are folded together
    finally:
        store.close()
        view.close()
    assert found(library, "modelo0") == set()
    for n in range(1, 9):
        assert found(library, f"modelo{n}") == {f"ai/2026-03-{n + 1:02d}-extra.md"}
    assert found(library, "claude") == {"ai/2026-02-10-claude.md"}
    assert library.search("tag:AI", limit=0).total == 9 * 4


def test_other_roots_get_their_own_index(library: Library, archive: Path, tmp_path: Path) -> None:
    other = write_archive(tmp_path / "other")
    (other / "ai" / "2026-02-10-claude.md").unlink()
    lib = Library(Roots((other,), "--archive"), Config(), cache=tmp_path / "cache")
    report = lib.update()
    assert report.rebuilt and report.added == 2
    assert found(lib, "claude") == set()
    assert found(library, "claude") == {"ai/2026-02-10-claude.md"}
    assert counts(library.update()) == (0, 0, 0, 3)  # the first index is untouched


def test_an_index_of_another_format_is_rebuilt(
    library: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    notices: list[str] = []
    library.notice = notices.append
    monkeypatch.setattr(update, "FORMAT_VERSION", "digest-tui-index-older")
    monkeypatch.setattr("digest_tui.index.library_update.FORMAT_VERSION", "digest-tui-index-older")
    report = library.update()
    assert report.rebuilt and report.added == 3
    assert notices == [
        "rebuilding the search index (it was written by another version of digest-tui)"
    ]
    assert counts(library.update()) == (0, 0, 0, 3)


def test_rebuild_on_request(library: Library) -> None:
    report = library.update(rebuild=True)
    assert report.rebuilt and report.added == 3 and report.notice is None
    assert found(library, "claude") == {"ai/2026-02-10-claude.md"}


def test_an_unreadable_post_is_a_warning_not_an_error(library: Library, archive: Path) -> None:
    broken = archive / "notes" / "2026-02-01-broken.md"
    broken.write_bytes(b"---\ntitle: [unclosed\n---\n\xff\xfe body \x00 text")
    report = library.update()
    assert report.added == 1
    assert any(w.startswith("notes/2026-02-01-broken.md: ") for w in report.warnings)


def test_stopping_an_update_keeps_the_last_index(library: Library, archive: Path) -> None:
    (archive / "ai" / "2026-02-11-new.md").write_text(
        AI.replace("Claude", "Gemini"), encoding="utf-8"
    )
    report = library.update(should_stop=lambda: True)
    assert report.cancelled
    assert found(library, "gemini") == set()
    assert counts(library.update()) == (1, 0, 0, 3)


def test_searching_while_an_update_runs_in_another_thread(library: Library, archive: Path) -> None:
    for n in range(60):  # enough posts for a parallel build
        (archive / "ai" / f"2025-06-{n % 28 + 1:02d}-more-{n}.md").write_text(
            AI.replace("Claude", f"Gemini{n}"), encoding="utf-8"
        )
    before = library.search("claude", limit=0).total
    errors: list[BaseException] = []

    def rebuild() -> None:
        try:
            library.update(rebuild=True)
        except BaseException as exc:  # reported by the assertion below
            errors.append(exc)

    worker = threading.Thread(target=rebuild)
    worker.start()
    totals = []
    while worker.is_alive():
        totals.append(library.search("claude", limit=0).total)
    worker.join()
    assert not errors
    assert set(totals) <= {before}
    assert found(library, "gemini59") == {"ai/2025-06-04-more-59.md"}


def test_an_empty_archive_and_an_archive_emptied(tmp_path: Path) -> None:
    root = tmp_path / "empty"
    root.mkdir()
    lib = Library(Roots((root,), "--archive"), Config(), cache=tmp_path / "cache")
    assert lib.update().rebuilt
    assert lib.search("黄金").total == 0 and lib.search("tag:AI").total == 0
    (root / "2026-02-01-one.md").write_text("---\ntitle: 一\n---\n黄金\n", encoding="utf-8")
    assert counts(lib.update()) == (1, 0, 0, 0)
    assert lib.search("黄金").total == 1
    (root / "2026-02-01-one.md").unlink()
    assert counts(lib.update()) == (0, 0, 1, 0)
    assert lib.search("黄金").total == 0 and lib.stored_posts() == []


def test_a_post_dated_by_its_mtime_follows_a_touch(library: Library, archive: Path) -> None:
    """A post without a date of its own is dated by its file's mtime: touching it (same
    content) moves it in the date list, as `show` would date it."""
    note = archive / "notes" / "undated.md"
    note.write_text("---\ntitle: 无日期\n---\n## 条目\n\n正文。\n", encoding="utf-8")
    os.utime(note, (1_700_000_000, 1_700_000_000))  # November 2023: the oldest post
    library.update()
    assert [s.path for s in library.stored_posts()][-1] == "notes/undated.md"
    os.utime(note, (1_800_000_000, 1_800_000_000))  # January 2027: the newest
    assert counts(library.update()) == (0, 1, 0, 3)
    newest = library.stored_posts()[0]
    assert newest.path == "notes/undated.md"
    assert newest.date == dt.date.fromtimestamp(1_800_000_000)
    assert newest.date == library.load_post(str(archive), "notes/undated.md").date


def test_a_file_stamped_centuries_ahead_is_indexed(library: Library, archive: Path) -> None:
    """An mtime beyond SQLite's integers (after 2262) neither stops the archive from being
    indexed nor makes the post look changed on every update."""
    path = archive / "ai" / "2026-02-10-claude.md"
    os.utime(path, (1e10, 1e10))  # the year 2286
    assert counts(library.update()) == (0, 0, 0, 3)
    assert counts(library.update()) == (0, 0, 0, 3)
    path.write_text(path.read_text(encoding="utf-8") + "\n新词gemini\n", encoding="utf-8")
    os.utime(path, (2e10, 2e10))
    assert counts(library.update()) == (0, 1, 0, 2)
    assert found(library, "gemini") == {"ai/2026-02-10-claude.md"}
    assert library.update(rebuild=True).added == 3


def test_an_index_is_never_written_inside_an_archive(tmp_path: Path) -> None:
    """A cache folder inside an archive root (say `--archive ~` with ~/.cache) is refused
    with a clear error before anything is created there."""
    home = write_archive(tmp_path / "home")
    before = sorted(home.rglob("*"))
    lib = Library(Roots((home,), "--archive"), Config(), cache=home / ".cache" / "digest-tui")
    with pytest.raises(OSError, match="inside an archive folder"):
        lib.update()
    assert lib.stored_posts() == []
    with pytest.raises(OSError, match="inside an archive folder"):
        lib.search("黄金")
    assert sorted(home.rglob("*")) == before


def test_a_check_that_finds_nothing_changed_is_remembered_until_the_index_changes(
    library: Library, archive: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A command that only reads (unread, search) finds nothing changed from a digest of the
    files' sizes and mtimes, without reading the manifest; files that come back to a set seen
    before, after the index changed, are still compared with the manifest."""
    assert library.update(reading=True).unchanged == 3  # compared, and remembered
    compared = update.diff

    def not_again(*args: object) -> object:
        raise AssertionError("the manifest was read again")

    monkeypatch.setattr(update, "diff", not_again)
    assert library.update(reading=True).unchanged == 3
    monkeypatch.setattr(update, "diff", compared)
    extra = archive / "2026-03-09-extra.md"
    extra.write_text("---\ntitle: 临时\n---\n## 条目\n\n黄金。\n", encoding="utf-8")
    assert counts(library.update(reading=True)) == (1, 0, 0, 3)
    extra.unlink()  # the files are those seen first again; the index is not
    assert counts(library.update(reading=True)) == (0, 0, 1, 3)
    assert library.update(reading=True).unchanged == 3
    assert all(p.path != "2026-03-09-extra.md" for p in library.stored_posts())
