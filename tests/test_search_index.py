"""Search over a real index: every query form and filter, exact against a brute-force scan."""

from __future__ import annotations

import datetime as dt
import os
import shutil
from pathlib import Path

import pytest
from conftest import SAMPLE_POSTS
from digest_tui.index.library import Library
from digest_tui.index.paths import Config, Roots
from digest_tui.index.search.query import QueryError
from search_archive import truth, write_archive


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("search") / "archive"
    shutil.copytree(SAMPLE_POSTS, root / "samples")
    return write_archive(root)


@pytest.fixture(scope="module")
def library(archive: Path, tmp_path_factory: pytest.TempPathFactory) -> Library:
    lib = Library(Roots((archive,), "--archive"), Config(), cache=tmp_path_factory.mktemp("cache"))
    report = lib.update()
    assert report.rebuilt and report.added == len(list(archive.rglob("*.md")))
    return lib


def posts(result) -> set[str]:
    return {hit.path for hit in result.hits}


def items(result) -> set[tuple[str, str | None]]:
    return {(hit.path, hit.item_title) for hit in result.hits}


ORACLE_QUERIES = [
    "黄金",
    "金",
    "油价",
    "美联储",
    "降息",
    "霍尔木兹海峡",
    "美联储 降息",
    "特朗普 关税",
    "OpenAI",
    "openai",
    "OPENAI",
    "GPT-5",
    "gpt-5.2",
    "gpt-4o",
    "5000美元",
    "15000美元",
    "claude",
    "ai",
    "AI 芯片",
    "gold",
    "1",
    "3",
    "习惯",
    "先改变环境",
    "example",
    "https",
    "实际利率",
    "央行 购金",
    "黄金 白银 美元",
    "不存在的词",
    "x",
]


@pytest.mark.parametrize("query", ORACLE_QUERIES)
def test_finds_exactly_the_posts_a_brute_force_scan_finds(
    library: Library, archive: Path, query: str
) -> None:
    expected = {p.relative_to(archive).as_posix() for p in archive.rglob("*.md") if truth(p, query)}
    result = library.search(query, limit=0)
    assert posts(result) == expected
    assert result.total == len(result.hits)


def test_single_character_and_case(library: Library) -> None:
    assert "econ/2026-02-05-fed.md" in posts(library.search("金", limit=0))
    upper, lower = library.search("OPENAI", limit=0), library.search("openai", limit=0)
    assert items(upper) == items(lower) and upper.total > 0


def test_mixed_chinese_and_latin(library: Library) -> None:
    hits = items(library.search("5000美元", limit=0))
    # a substring: the 15000美元 of the GPT-5 item matches as well as 5000美元
    assert ("econ/2026-02-05-fed.md", "霍尔木兹海峡再起波澜") in hits
    assert ("econ/2026-02-05-fed.md", "OpenAI 发布 GPT-5") in hits
    gpt = items(library.search("GPT-5", limit=0))
    assert ("econ/2026-02-05-fed.md", "OpenAI 发布 GPT-5") in gpt
    assert not any(path.startswith("ai/") for path, _ in gpt)  # GPT-4o is not GPT-5


def test_urls_are_not_searched(library: Library) -> None:
    assert library.search("example", limit=0).total == 0


def test_phrase_across_punctuation(library: Library) -> None:
    result = library.search('"美联储 降息"', limit=0)
    assert ("econ/2026-02-05-fed.md", "美联储释放降息信号，美元走弱") in items(result)
    assert library.search('"降息 美联储"', limit=0).total < result.total


def test_prefix(library: Library) -> None:
    found = items(library.search("gpt*", limit=0))
    assert ("econ/2026-02-05-fed.md", "OpenAI 发布 GPT-5") in found
    assert ("ai/2026-02-10-claude.md", "Gold prices and the AI trade") in found


def test_or_and_not(library: Library) -> None:
    claude = items(library.search("claude", limit=0))
    gold_en = items(library.search("gold", limit=0))
    assert items(library.search("claude OR gold", limit=0)) == claude | gold_en
    both = items(library.search("黄金 美元", limit=0))
    without = items(library.search("黄金 -美元", limit=0))
    assert without == items(library.search("黄金 NOT 美元", limit=0))
    assert not both & without
    assert items(library.search("黄金", limit=0)) >= both | without


def test_words_spread_over_items_give_one_post_level_hit(library: Library) -> None:
    result = library.search("特朗普 关税", limit=0)
    ai_hits = [h for h in result.hits if h.path == "ai/2026-02-10-claude.md"]
    assert len(ai_hits) == 1
    assert ai_hits[0].item_id is None and ai_hits[0].item_title is None


def test_asset_filter_resolves_aliases_and_keeps_items_with_that_impact(library: Library) -> None:
    by_alias = library.search("asset:金价", limit=0)
    by_name = library.search("asset:黄金", limit=0)
    assert items(by_alias) == items(by_name)
    assert ("econ/2026-02-05-fed.md", "美联储释放降息信号，美元走弱") in items(by_name)
    assert ("econ/2026-02-05-fed.md", "霍尔木兹海峡再起波澜") not in items(by_name)
    assert all(h.item_id is not None for h in by_name.hits)
    assert items(library.search("", assets=["金价"], limit=0)) == items(by_name)


def test_tag_category_and_section_filters(library: Library) -> None:
    ai = library.search("tag:AI", limit=0)
    assert "ai/2026-02-10-claude.md" in posts(ai)
    assert "econ/2026-02-05-fed.md" not in posts(ai)
    early = "date:..2026-06-30"  # leaves out the sample posts
    assert posts(library.search(f"tag:ai 开源 {early}", limit=0)) == {"ai/2026-02-10-claude.md"}
    assert posts(library.search("", tags=["AI"], limit=0)) == posts(ai)
    econ = library.search(f"category:经济日报 OpenAI {early}", limit=0)
    assert items(econ) == {("econ/2026-02-05-fed.md", "OpenAI 发布 GPT-5")}
    tech = items(library.search(f"section:科技 gpt* {early}", limit=0))
    assert tech == {("econ/2026-02-05-fed.md", "OpenAI 发布 GPT-5")}


def test_date_filters_and_options(library: Library) -> None:
    day = posts(library.search("date:2026-02-05", limit=0))
    assert day == {"econ/2026-02-05-fed.md"}
    february = posts(library.search("date:2026-02-01..2026-02-28", limit=0))
    assert february == {"econ/2026-02-05-fed.md", "ai/2026-02-10-claude.md"}
    assert posts(library.search("date:..2026-01-31 习惯", limit=0)) == {
        "notes/2026-01-20-habits.md"
    }
    assert posts(library.search("date:2026-02-06.. 编程测试中领先", limit=0)) == {
        "ai/2026-02-10-claude.md"
    }
    assert (
        posts(library.search("", since=dt.date(2026, 2, 1), until=dt.date(2026, 2, 28), limit=0))
        == february
    )
    assert posts(library.search("", since=dt.date(2026, 2, 6), limit=0)) >= {
        "ai/2026-02-10-claude.md"
    }
    with pytest.raises(QueryError):
        library.search("黄金", since=dt.date(2026, 3, 1), until=dt.date(2026, 2, 1))


def test_total_counts_every_hit_whatever_the_limit(library: Library) -> None:
    everything = library.search("黄金", limit=0)
    assert everything.total == len(everything.hits) > 3
    some = library.search("黄金", limit=2)
    assert len(some.hits) == 2 and some.total == everything.total


def test_title_matches_rank_above_body_matches(library: Library) -> None:
    result = library.search("GPT-5 category:经济日报 date:..2026-06-30", limit=0)
    assert [h.item_title for h in result.hits][0] == "OpenAI 发布 GPT-5"
    assert result.hits[0].score > result.hits[-1].score


def test_newer_posts_first_on_equal_scores(tmp_path: Path) -> None:
    root = write_archive(tmp_path / "twins")
    text = (root / "notes/2026-01-20-habits.md").read_text(encoding="utf-8")
    for day in ("2025-03-01", "2025-05-01"):
        (root / f"notes/{day}-copy.md").write_text(
            text.replace("2026-01-20", day), encoding="utf-8"
        )
    lib = Library(Roots((root,), "--archive"), Config(), cache=tmp_path / "cache")
    lib.update()
    hits = lib.search("习惯 date:..2025-12-31", limit=0).hits
    # each copy has a header and an item hit; copies score the same, the newer comes first
    assert [h.date for h in hits] == ["2025-05-01", "2025-05-01", "2025-03-01", "2025-03-01"]
    assert hits[0].score == hits[2].score


def test_highlights_are_offsets_into_the_snippet(library: Library) -> None:
    for query, word in (
        ("霍尔木兹海峡", "霍尔木兹海峡"),
        ("GPT-5", "gpt-5"),
        ("金", "金"),
        ('"美联储 降息"', None),
    ):
        result = library.search(query, limit=0)
        assert result.hits
        for hit in result.hits:
            assert hit.highlights, (query, hit.snippet)
            for start, end in hit.highlights:
                marked = hit.snippet[start:end].lower()
                if word is None:
                    assert marked.startswith("美联储") and marked.endswith("降息")
                else:
                    assert marked == word


def test_filter_only_and_exclusion_only_queries(library: Library) -> None:
    all_units = library.search("tag:AI", limit=0).total
    assert library.search("tag:AI -claude", limit=0).total == all_units - len(
        [h for h in library.search("tag:AI claude", limit=0).hits]
    )
    with pytest.raises(QueryError):
        library.search("")


def test_tags_and_assets_counts(library: Library) -> None:
    tags = dict(library.tags())
    assert tags["AI"] >= 1 and tags["经济日报"] >= 1 and tags["读书"] == 1
    ordered = [count for _, count in library.tags()]
    assert ordered == sorted(ordered, reverse=True)
    assets = dict(library.assets())
    assert assets["黄金"] >= 1 and "原油" in assets


def test_asset_timeline_and_filters_for_the_date_list(library: Library) -> None:
    timeline = library.asset_timeline("金价")
    assert timeline == sorted(timeline, key=lambda row: row[0])
    assert (dt.date(2026, 2, 5), "bullish", "econ/2026-02-05-fed.md") in {
        row[:3] for row in timeline
    }
    keys = library.posts_matching_filters(tags=["宏观经济"], assets=["原油"])
    assert any(path == "econ/2026-02-05-fed.md" for _, path in keys)
    assert not any("/ai/" in path or path.startswith("ai/") for _, path in keys)


def test_stored_posts_and_quick_scan_agree_on_the_posts(library: Library) -> None:
    stored = library.stored_posts()
    scanned = library.quick_scan()
    assert {s.key for s in stored} == {s.key for s in scanned}
    econ = next(s for s in stored if s.path == "econ/2026-02-05-fed.md")
    assert econ.date == dt.date(2026, 2, 5) and econ.category == "经济日报"
    assert dict(econ.stance_tally)["bullish"] == 3 and "黄金" in econ.assets


def test_load_post_reads_from_disk(library: Library, archive: Path) -> None:
    post = library.load_post(str(archive), "econ/2026-02-05-fed.md")
    assert post.title == "美联储转向与油价波动"
    assert library.load_post(str(archive), "econ/2026-02-05-fed.md") is post
    with pytest.raises(OSError):
        library.load_post(str(archive), "econ/missing.md")


def test_no_index_yet_means_empty_lists(tmp_path: Path) -> None:
    lib = Library(
        Roots((write_archive(tmp_path / "a"),), "--archive"), Config(), cache=tmp_path / "cache"
    )
    assert lib.stored_posts() == [] and lib.tags() == []
    assert len(lib.quick_scan()) == 3


def test_segments_are_ordinary_whoosh(library: Library) -> None:
    """Our bulk writer writes segments Whoosh's own searcher reads."""
    from digest_tui.index.search.segments import open_index
    from whoosh.query import Term

    ix = open_index(library.paths.whoosh)
    with ix.searcher() as searcher:
        found = searcher.search(Term("body", "霍尔"), limit=None)
        assert len(found) == library.search("霍尔", limit=0).total


def test_quick_scan_lists_posts_as_the_index_will(tmp_path: Path) -> None:
    """The first-run list (frontmatter only) shows the date, title and category the parsed
    post will have, however they are written; a wild mtime does not stop it."""
    root = tmp_path / "odd"
    root.mkdir()
    (root / "a.md").write_text(
        "---\ndate: 2026年2月10日\ncategories: [经济日报]\n---\n# 标题在正文里\n\n正文。\n",
        encoding="utf-8",
    )
    (root / "b.md").write_text("---\ntitle: '  两个   空格 '\n---\n正文。\n", encoding="utf-8")
    (root / "c.md").write_text("没有头信息。\n", encoding="utf-8")
    os.utime(root / "c.md", (1e14, 1e14))  # the year 3170000: not a date Python has
    lib = Library(Roots((root,), "--archive"), Config(), cache=tmp_path / "cache")
    scanned = sorted((s.path, s.date, s.title, s.category) for s in lib.quick_scan())
    lib.update()
    stored = sorted((s.path, s.date, s.title, s.category) for s in lib.stored_posts())
    assert scanned == stored
    assert scanned[0][1:] == (dt.date(2026, 2, 10), "标题在正文里", "经济日报")


def test_date_ranges_across_months_and_years(library: Library) -> None:
    """Range ends are inclusive days, whichever month or year they fall in; a month or a
    year stands for all its days."""
    assert posts(library.search("date:2026-01-20..2026-02-05", limit=0)) == {
        "notes/2026-01-20-habits.md",
        "econ/2026-02-05-fed.md",
    }
    assert posts(library.search("date:2026-01..2026-02", limit=0)) == {
        "notes/2026-01-20-habits.md",
        "econ/2026-02-05-fed.md",
        "ai/2026-02-10-claude.md",
    }
    samples = posts(library.search("date:2026-10-31..2026-11-01", limit=0))
    assert {p.rsplit("/", 1)[-1][:10] for p in samples} == {"2026-10-31", "2026-11-01"}
    assert posts(library.search("date:2025-12-31..2026-01-20", limit=0)) == {
        "notes/2026-01-20-habits.md"
    }


def test_a_query_of_only_an_exclusion(library: Library) -> None:
    """`-word` or `NOT word` alone: every unit that does not contain the word."""
    everything = library.search("date:2000..2100", limit=0).total
    with_word = library.search("claude", limit=0)
    for query in ("-claude", "NOT claude"):
        without = library.search(query, limit=0)
        assert without.total == everything - with_word.total
        assert not {(h.path, h.item_id) for h in without.hits} & {
            (h.path, h.item_id) for h in with_word.hits
        }
        assert all("claude" not in h.snippet.lower() and not h.highlights for h in without.hits)


def test_equal_hits_keep_the_archive_order_whoever_indexed_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Hits with the same score and date come in the archive's order, also after a parallel
    build (where each worker writes its share of the posts in its own order)."""
    from digest_tui.index.search import build

    monkeypatch.setattr(build, "PARALLEL_FROM", 2)
    root = tmp_path / "same-day"
    root.mkdir()
    for n in range(12):  # the later the name, the larger the file: shards take large first
        (root / f"2026-03-01-p{n:02d}.md").write_text(
            f"---\ntitle: 同日{n}\ndate: 2026-03-01\ntags: [同日]\n---\n## 条目\n\n"
            + "正文。" * (50 * n + 1)
            + "\n",
            encoding="utf-8",
        )
    lib = Library(Roots((root,), "--archive"), Config(), cache=tmp_path / "cache")
    lib.update()
    paths = [h.path for h in lib.search("tag:同日", limit=0).hits]
    assert list(dict.fromkeys(paths)) == sorted(set(paths)) and len(set(paths)) == 12


@pytest.mark.parametrize(
    "query",
    ["金", "黄金", "美元", "降息 美元", "tag:AI", "category:经济日报", "section:动态", "-黄金"]
    + ["a*"],
)
def test_a_first_page_is_the_head_of_the_whole_list(library: Library, query: str) -> None:
    """The first page is chosen without ranking every hit: it must still be the whole ranked
    list's head, ties (a filter alone scores every hit the same) broken the same way."""
    every = library.search(query, limit=0)
    assert every.total > 3
    for limit in (1, 3, every.total - 1):
        page = library.search(query, limit=limit)
        assert page.total == every.total
        assert page.hits == every.hits[:limit]


def test_a_first_page_of_equal_scores_is_the_newest(tmp_path: Path) -> None:
    root = write_archive(tmp_path / "copies")
    text = (root / "notes/2026-01-20-habits.md").read_text(encoding="utf-8")
    days = ["2024-05-01", "2025-03-01", "2023-01-09", "2025-11-30", "2024-12-24"]
    for day in days:
        (root / f"notes/{day}-copy.md").write_text(
            text.replace("2026-01-20", day), encoding="utf-8"
        )
    lib = Library(Roots((root,), "--archive"), Config(), cache=tmp_path / "cache")
    lib.update()
    for query in ("习惯 date:..2025-12-31", "date:..2025-12-31"):
        every = lib.search(query, limit=0)
        assert [h.date for h in every.hits[::2]] == sorted(days, reverse=True)
        for limit in range(1, every.total):
            assert lib.search(query, limit=limit).hits == every.hits[:limit]


def test_an_exclusion_beside_a_word_in_another_item(tmp_path: Path) -> None:
    """黄金 in one item, 白银 in another: `黄金 -白银` finds the 黄金 item (no post-level
    hit), `黄金 白银` finds the post as a whole (its header), `"金价 走强"` both spellings."""
    root = tmp_path / "split"
    (root / "2026").mkdir(parents=True)
    (root / "2026/2026-03-02-metals.md").write_text(
        "---\ntitle: 贵金属早报\ndate: 2026-03-02\ncategory: 经济日报\n---\n# 贵金属早报\n\n"
        "## 市场\n\n### 金市\n\n- 黄金小幅上涨，金价，走强\n\n### 银市\n\n- 白银回落 金价ABC走强\n",
        encoding="utf-8",
    )
    lib = Library(Roots((root,), "--archive"), Config(), cache=tmp_path / "cache")
    lib.update()
    alone = lib.search("黄金 -白银", limit=0)
    assert [(h.item_title, h.item_id is None) for h in alone.hits] == [("金市", False)]
    together = lib.search("黄金 白银", limit=0)
    assert [(h.item_title, h.item_id is None) for h in together.hits] == [(None, True)]
    phrase = lib.search('"金价 走强"', limit=0)  # punctuation may sit between, letters not
    assert [h.item_title for h in phrase.hits] == ["金市"]


def test_a_build_spilling_its_postings_to_runs_finds_the_same(
    archive: Path, library: Library, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A build holding only a few thousand postings in memory (the rest spilled to temporary
    runs, merged back when its segment is written) finds exactly what the ordinary build
    finds, with the same scores, in one segment, and leaves no temporary file behind."""
    from digest_tui.index.search import build, runs
    from digest_tui.index.search.segments import open_index
    from whoosh.query import Term

    monkeypatch.setattr(runs, "SPILL_POSTINGS", 3000)
    monkeypatch.setattr(build, "PARALLEL_FROM", 10**6)  # serial: one writer, many runs
    lib = Library(Roots((archive,), "--archive"), Config(), cache=tmp_path / "cache")
    try:
        assert lib.update().rebuilt
        for query in [*ORACLE_QUERIES, "的", "，", "tag:AI", "section:更多动态"]:
            ours = lib.search(query, limit=0)
            theirs = library.search(query, limit=0)
            assert [(h.path, h.item_id, h.score) for h in ours.hits] == [
                (h.path, h.item_id, h.score) for h in theirs.hits
            ], query
        ix = open_index(lib.paths.whoosh)
        with ix.searcher() as searcher:
            assert len(list(ix.reader().leaf_readers())) == 1
            found = searcher.search(Term("body", "黄金"), limit=None)
            assert 0 < len(found) == lib.search("黄金", limit=0).total
        kinds = {p.suffix for p in lib.paths.whoosh.iterdir()}
        assert kinds <= {".toc", ".trm", ".pst", ".col", ""}, kinds  # "": the write lock
    finally:
        lib.close()


@pytest.mark.parametrize("query", ["黄金", "GPT-5", "美联储 降息", "AI", "a*", "OpenAI OR 油价"])
def test_scores_are_the_same_whichever_way_titles_are_matched(
    library: Library, query: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A term's title matches are found among its body matches by search or, when there
    are many, through a table of every doc; scores are summed in a table of the matched
    docs or, when they are many, of every doc: the scores and the order must not differ."""
    from digest_tui.index.search import ranking

    def scored(dense_from: int, compact_from: int) -> list[tuple[str, str | None, float]]:
        monkeypatch.setattr(ranking, "_DENSE_FROM", dense_from)
        monkeypatch.setattr(ranking, "_COMPACT_FROM", compact_from)
        result = library.search(query, limit=0)
        return [(hit.path, hit.item_id, hit.score) for hit in result.hits]

    by_search = scored(0, 0)
    assert by_search
    for dense_from, compact_from in ((10**9, 0), (0, 10**9), (10**9, 10**9)):
        assert scored(dense_from, compact_from) == by_search, (dense_from, compact_from)


def test_the_readers_look_ups_never_wait_on_a_store_read(library: Library) -> None:
    """The UI thread asks for the shown post and the known filter result while a worker
    reads the store (a list, the market view): the answers come at once, not after it."""
    import threading

    from digest_tui.index.filters import Filters

    key = library.stored_posts()[0].key
    library.load_post(*key)  # parsed once: now cached
    filters = Filters(tag="AI")
    library.filter_posts(filters, [])
    reading, release = threading.Event(), threading.Event()

    def long_read(store: object) -> None:
        reading.set()
        release.wait(30)

    worker = threading.Thread(target=library._read_store, args=(long_read, None))
    worker.start()
    try:
        assert reading.wait(10)
        answers: list[object] = []
        lookups = threading.Thread(
            target=lambda: answers.extend(
                [library.cached_post(key), library.known_filtered(filters), library.load_post(*key)]
            )
        )
        lookups.start()
        lookups.join(5)  # the read holds on for 30 s: waiting on it would miss this
        assert len(answers) == 3 and all(answer is not None for answer in answers)
    finally:
        release.set()
        worker.join()
