"""Search's short cuts give what the long way gives (issue 14): the first page of a query
whose hits tie, the Latin tokens ending with a word's first digits, the docs of a section's
units after updates, and date filters read from the day column."""

from __future__ import annotations

import numpy as np
import pytest
from digest_tui.index.library import Library
from digest_tui.index.search import searcher
from digest_tui.index.search.query import parse
from digest_tui.index.search.searcher import Snapshot
from digest_tui.index.search.term_table import items_ending
from digest_tui.index.search.view import _items_from
from search_archive import add_compacting_all, updated_library


@pytest.fixture(scope="module")
def library(tmp_path_factory: pytest.TempPathFactory) -> Library:
    """The sample posts and the search archive, then one post edited and one added (an
    update: a second segment, deleted documents in the first)."""
    return updated_library(
        tmp_path_factory,
        "shortcuts",
        "新增：15000美元的芯片订单",
        ("芯片价格25000美元", "黄金走强"),
    )


def _snapshot(library: Library) -> Snapshot:
    found: list[Snapshot] = []
    library._read(found.append, None)
    assert found
    return found[0]


@pytest.mark.parametrize("query", ["tag:AI", "date:2026", "section:更多动态", "的", "芯片 -黄金"])
@pytest.mark.parametrize("limit", [1, 2, 3, 5])
def test_a_first_page_is_the_start_of_the_whole_list(library: Library, query: str, limit: int):
    whole = library.search(query, limit=0)
    page = library.search(query, limit=limit)
    assert page.total == whole.total
    assert [h.to_json() for h in page.hits] == [h.to_json() for h in whole.hits[:limit]]


def test_tokens_ending_with_digits_are_those_a_walk_of_every_token_finds(library: Library):
    snap = _snapshot(library)
    for leaf in snap.view._leaves:
        terms = leaf.reader._terms
        field = terms._keycoder("body", b"")
        low, high = field + b"0", field + "z\uffff".encode()
        for ending in (b"5000", b"0", b"ai", b"zzz"):
            walked = [
                (key, value)
                for key, value in _items_from(terms._tindex, low)
                if key[:2] == field[:2] and key <= high and key.endswith(ending)
            ]
            assert list(items_ending(terms._tindex, low, high, ending)) == walked


def test_a_word_beginning_inside_a_number_is_found_after_an_update(library: Library) -> None:
    found = {hit.snippet for hit in library.search("5000美元", limit=0).hits}
    assert any("15000美元" in text for text in found)
    assert any("25000美元" in text for text in found)


def _section_docs_in_store(snap: Snapshot, text: str) -> np.ndarray:
    """The mask of the live docs whose unit's section path, as the side store keeps it,
    contains `text` (every unit read)."""
    uids = [
        uid
        for uid, low in snap.store.db.execute("SELECT uid, section_low FROM units")
        if text.lower() in low
    ]
    column = snap.view.column_array("uid")  # 0 for deleted documents
    return np.isin(column, np.array(uids, dtype=np.int64)) & (column > 0)


@pytest.mark.parametrize("section", ["更多动态", "宏观", "AI", "›", "不存在的栏目"])
def test_a_sections_units_are_their_live_documents(library: Library, section: str) -> None:
    snap = _snapshot(library)
    assert not snap.view.live_mask().all()  # the update deleted the edited post's old units
    expected = _section_docs_in_store(snap, section)
    found = searcher.eval_docs(snap, parse(f"section:{section}"), None)
    assert np.array_equal(found, expected)
    assert section == "不存在的栏目" or found.any()


def test_a_compaction_keeps_the_sections_of_the_units_it_re_adds(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    library = updated_library(tmp_path_factory, "sections", "新增：一条", ("又一条", "再一条"))
    before = {hit.item_id for hit in library.search("section:更多动态", limit=0).hits}
    add_compacting_all(library, monkeypatch, "新的一条动态")
    after = library.search("section:更多动态", limit=0).hits
    added = {hit.item_id for hit in after if hit.path.endswith("2026-03-02-more.md")}
    assert len(added) == 1
    assert {hit.item_id for hit in after} == before | added
    snap = _snapshot(library)
    found = searcher.eval_docs(snap, parse("section:更多动态"), None)
    assert np.array_equal(found, _section_docs_in_store(snap, "更多动态"))


@pytest.mark.parametrize("value", ["2026", "2026-02", "2026-02-05", "..2026-01-31", "2026-02-06.."])
def test_a_date_filter_is_the_posts_of_those_days(library: Library, value: str) -> None:
    from digest_tui.index.search.query import parse_date_range

    start, end = parse_date_range(value)
    hits = library.search(f"date:{value}", limit=0).hits
    whole = library.search("的 OR 黄金 OR 芯片 OR ai OR -的", limit=0).hits
    days = {hit.date for hit in whole}
    inside = {d for d in days if (start is None or d >= start.isoformat())}
    inside = {d for d in inside if end is None or d <= end.isoformat()}
    assert {hit.date for hit in hits} == inside


@pytest.mark.parametrize(
    ("field", "term"), [("body", "的"), ("body", "芯片"), ("facet", "k:header")]
)
def test_a_terms_postings_after_an_update_are_its_live_documents(
    library: Library, field: str, term: str
) -> None:
    """Read in bulk, a posting list leaves out the deleted documents (the edited post's old
    units), whether the term has a few postings or many: the same ids and frequencies as
    Whoosh's own matchers over the live documents."""
    view = _snapshot(library).view
    expected: list[tuple[int, int]] = []
    deleted = 0
    for reader, base in view.reader.leaf_readers():
        if (field, term) not in reader:
            continue
        every = reader._terms.matcher(field, term.encode(), reader.schema[field].format)
        while every.is_active():  # every posting, deleted documents' too
            if reader.is_deleted(every.id()):
                deleted += 1
            else:
                expected.append((base + every.id(), int(every.weight())))
            every.next()
    ids, weights = view.postings(field, term)
    assert list(zip(ids.tolist(), weights.tolist(), strict=True)) == expected
    assert deleted  # the edited post's old units had the term
    ranged = view.range_postings(field, term)[term]
    assert np.array_equal(ranged[0], ids) and np.array_equal(ranged[1], weights)


@pytest.fixture(scope="module")
def added_to(tmp_path_factory: pytest.TempPathFactory) -> Library:
    """The sample posts and the search archive, indexed, then one post added and nothing
    edited: a second segment, and no deleted documents in either."""
    import shutil

    from conftest import SAMPLE_POSTS
    from digest_tui.index.paths import Config, Roots
    from search_archive import write_archive

    root = tmp_path_factory.mktemp("added") / "archive"
    shutil.copytree(SAMPLE_POSTS, root / "samples")
    write_archive(root)
    lib = Library(Roots((root,), "--archive"), Config(), cache=tmp_path_factory.mktemp("cache"))
    lib.update()
    added = root / "2026" / "2026-03-02-added.md"
    added.parent.mkdir(parents=True, exist_ok=True)
    added.write_text(
        "---\ntitle: 再加一篇\ndate: 2026-03-02\ntags: [AI]\n---\n\n## 更多动态\n\n"
        "- 芯片的订单增加\n- 新词汇独有一次\n",
        encoding="utf-8",
    )
    report = lib.update()
    assert (report.added, report.changed, report.rebuilt) == (1, 0, False)
    return lib


@pytest.mark.parametrize(
    ("field", "term"),
    [("body", "的"), ("body", "芯片"), ("facet", "k:header"), ("body", "独有"), ("title", "ai")],
)
def test_a_terms_postings_in_several_segments_are_each_segments_in_turn(
    added_to: Library, field: str, term: str
) -> None:
    """A term in segments without deleted documents is decoded into one list, each segment's
    part in its place: the same ids and frequencies, in order, as Whoosh's own matchers."""
    view = _snapshot(added_to).view
    leaves = view.reader.leaf_readers()
    assert len(leaves) >= 2 and not any(r.segment().deleted_docs() for r, _base in leaves)
    expected: list[tuple[int, int]] = []
    for reader, base in leaves:
        if (field, term) not in reader:
            continue
        every = reader._terms.matcher(field, term.encode(), reader.schema[field].format)
        while every.is_active():
            expected.append((base + every.id(), int(every.weight())))
            every.next()
    ids, weights = view.postings(field, term)
    assert expected and list(zip(ids.tolist(), weights.tolist(), strict=True)) == expected
    ranged = view.range_postings(field, term)[term]
    assert np.array_equal(ranged[0], ids) and np.array_equal(ranged[1], weights)
