"""The reader's snapshot of the reading state (headless): counts, overlay, next unread,
what the header says, and `Reading.view` over a real library."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from digest_tui.index.library import Library
from digest_tui.index.model import PostSummary
from digest_tui.index.paths import Config, Roots
from digest_tui.index.reading_view import ReadingView
from digest_tui.index.state.marks import ReadState
from tui_helpers import write_post


def summary(path: str, day: str) -> PostSummary:
    return PostSummary(path, "/r", dt.date.fromisoformat(day), path, None, (), ())


POSTS = [summary("b.md", "2026-03-02"), summary("a.md", "2026-03-01")]
ITEMS = {("/r", "b.md"): ("b1", "b2"), ("/r", "a.md"): ("a1", "a2", "a3")}


def view(**marks: bool) -> ReadingView:
    read = ReadState({(k.split("_")[0] + ".md", k.split("_")[1]): v for k, v in marks.items()})
    return ReadingView(read=read, items=ITEMS, loaded=True, previous_launch=None)


def test_counts_and_overlay() -> None:
    state = view(b_b1=True)
    assert state.unread_count(("/r", "b.md")) == 1 and state.unread_count(("/r", "a.md")) == 3
    assert state.unread_count(("/r", "zzz.md")) is None
    marked = state.with_marks([("b.md", "b2"), ("a.md", "a1")], True)
    assert marked.unread_count(("/r", "b.md")) == 0 and marked.unread_count(("/r", "a.md")) == 2
    assert state.unread_count(("/r", "b.md")) == 1  # the snapshot itself is unchanged
    assert [p.path for p in marked.unread_posts(POSTS)] == ["a.md"]
    assert marked.with_marks([("b.md", "b1")], False).unread_ids(("/r", "b.md")) == ["b1"]


def test_counts_stay_right_when_worked_out_before_each_change() -> None:
    """Counts are remembered per post and carried over by a change for the posts it did not
    touch (the header recounts every post after each mark): never a stale count."""
    b, a = ("/r", "b.md"), ("/r", "a.md")
    state = view(b_b1=True)
    assert [p.path for p in state.unread_posts(POSTS)] == ["b.md", "a.md"]  # both counted
    marked = state.with_marks([("a.md", "a1")], True)
    assert (marked.unread_count(b), marked.unread_count(a)) == (1, 2)
    starred = marked.with_star(("a.md", "a2"), None)
    assert (starred.unread_count(b), starred.unread_count(a)) == (1, 2)
    grown = starred.with_items(b, ("b1", "b2", "b3"))
    assert (grown.unread_count(b), grown.unread_count(a)) == (2, 2)
    on_top = state.with_overlay({("b.md", "b1"): False, ("b.md", "b2"): True})
    assert (on_top.unread_count(b), on_top.unread_count(a)) == (1, 3)
    assert (state.unread_count(b), state.unread_count(a)) == (1, 3)  # unchanged itself


def test_next_unread_goes_through_the_posts_newest_first_and_wraps() -> None:
    state = view(b_b2=True, a_a1=True)
    b, a = ("/r", "b.md"), ("/r", "a.md")
    assert state.next_unread(POSTS, b, None) == (b, "b1")
    assert state.next_unread(POSTS, b, "b1") == (a, "a2")
    assert state.next_unread(POSTS, a, "a2") == (a, "a3")
    assert state.next_unread(POSTS, a, "a3") == (b, "b1")  # wraps to the top
    done = state.with_marks([("b.md", "b1"), ("a.md", "a2"), ("a.md", "a3")], True)
    assert done.next_unread(POSTS, a, "a3") is None


def test_header_text() -> None:
    now = dt.datetime(2026, 3, 4, 9, 0).astimezone()
    first = view()
    assert first.header_text(POSTS, now) == "5 unread in 2 posts"
    monday = dt.datetime(2026, 3, 2, 8, 10).astimezone().isoformat()
    later = ReadingView(
        read=ReadState(),
        items=ITEMS,
        loaded=True,
        previous_launch=monday,
        new=frozenset({("/r", "b.md")}),
    )
    assert later.header_text(POSTS, now) == "1 new · 2 items since Mon 08:10"
    quiet = ReadingView(read=ReadState(), items=ITEMS, loaded=True, previous_launch=monday)
    assert quiet.header_text(POSTS, now).startswith("nothing new since Mon 08:10")


def test_a_new_post_alone_is_new_at_the_next_launch(tmp_path: Path) -> None:
    root = tmp_path / "archive"
    write_post(root, "2026-03-01-a.md", title="旧的一篇", date="2026-03-01")
    write_post(root, "2026-03-02-b.md", title="新的一篇", date="2026-03-02")

    def launch() -> tuple[Library, ReadingView]:
        library = Library(Roots((root,), "--archive"), Config())
        library.update()
        reading = library.reading
        return library, reading.view(library.stored_posts(), reading.store.record_launch())

    library, first = launch()
    b = (str(root), "2026-03-02-b.md")
    assert first.new == frozenset() and first.previous_launch is None
    assert first.unread_count((str(root), "2026-03-01-a.md")) == 0  # before the first day
    assert first.unread_count(b) == 2
    library.reading.mark(("2026-03-02-b.md", i) for i in first.items[b])
    library.close()
    write_post(root, "2026-02-20-late.md", title="补发的一篇", date="2026-02-20")
    library, second = launch()
    late = (str(root), "2026-02-20-late.md")
    assert second.new == frozenset({late})
    assert [p.path for p in second.unread_posts(library.stored_posts())] == ["2026-02-20-late.md"]
    assert second.header_text(library.stored_posts()).startswith("1 new · 2 items since")
    library.close()
    library, third = launch()
    assert third.new == frozenset()  # shown at the last launch: no longer new
