"""A word of CJK characters proven from its terms' counts (adjacency.py, issue 14): a unit
proven to hold it really does, units proven need no read of their text, and searches find
the same units with the proof as with a check of every candidate's text."""

from __future__ import annotations

import numpy as np
import pytest
from digest_tui.index.library import Library
from digest_tui.index.search import searcher
from digest_tui.index.search.adjacency import proven, proving_run
from digest_tui.index.search.analysis import lower, phrase_matcher, terms, word_matcher
from hypothesis import given, settings
from hypothesis import strategies as st
from search_archive import texts_checked, updated_library


class _CountsView:
    """The postings of the `body` field of `texts` (one document each), as IndexView gives
    them; every posting counted as read already (so no proof is given up for its cost)."""

    def __init__(self, texts: list[str]) -> None:
        self._counts = [terms(lower(text)) for text in texts]

    def postings(self, name: str, term: str) -> tuple[np.ndarray, np.ndarray]:
        assert name == "body"
        docs = [doc for doc, counts in enumerate(self._counts) if term in counts]
        weights = [self._counts[doc][term] for doc in docs]
        return np.array(docs, dtype=np.int64), np.array(weights, dtype=np.int64)

    def postings_to_read(self, name: str, term: str) -> int:
        return 0


_CHARS = list("美联储降息哈，")
_TEXTS = st.lists(st.text(st.sampled_from([*_CHARS, " ", "a"]), max_size=30), min_size=1)
_RUNS = st.text(st.sampled_from(_CHARS[:-1]), min_size=2, max_size=5)


@settings(max_examples=400, deadline=None, derandomize=True, database=None)
@given(texts=_TEXTS, run=_RUNS)
def test_a_unit_proven_to_hold_a_run_holds_it(texts: list[str], run: str) -> None:
    docs = np.arange(len(texts), dtype=np.int64)
    sure = proven(_CountsView(texts), run, docs)  # type: ignore[arg-type]
    assert [run in text for text, yes in zip(texts, sure, strict=True) if yes] == [True] * int(
        sure.sum()
    )


@pytest.mark.parametrize(
    ("text", "run"),
    [
        ("美联储宣布降息", "美联储"),  # one 联
        ("联合声明：美联储与美联储官员", "美联储"),  # every 联储 after a 美, 联合 too
        ("美联储降息，降息预期", "美联储降息"),
        ("人形机器人和机器人", "人形机器人"),
    ],
)
def test_a_run_whose_counts_leave_no_other_way_is_proven(text: str, run: str) -> None:
    assert proven(_CountsView([text]), run, np.array([0], dtype=np.int64)).tolist() == [True]  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("text", "run"),
    [
        ("美联合，联储", "美联储"),  # both pairs, not the word
        ("美联储降低，下降息", "美联储降息"),  # every pair, not the word
        ("人形机器，机器人", "人形机器人"),  # the same counts as 人形机器人，机器
        ("哈哈哈", "哈哈哈哈"),
    ],
)
def test_a_unit_without_the_run_is_not_proven(text: str, run: str) -> None:
    assert proven(_CountsView([text]), run, np.array([0], dtype=np.int64)).tolist() == [False]  # type: ignore[arg-type]


def test_only_words_and_phrases_of_ideographs_have_a_proving_run() -> None:
    assert proving_run(word_matcher("美联储")) == "美联储"
    assert proving_run(word_matcher("人形机器人")) == "人形机器人"
    assert proving_run(phrase_matcher("美联储 降息")) == "美联储降息"  # type: ignore[arg-type]
    assert proving_run(word_matcher("黄金")) is None  # its terms decide it alone
    assert proving_run(word_matcher("5000美元")) is None
    assert proving_run(word_matcher("gpt-5")) is None
    assert proving_run(phrase_matcher("ai 芯片")) is None  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def library(tmp_path_factory: pytest.TempPathFactory) -> Library:
    """The sample posts and the search archive, then one post edited and one added."""
    return updated_library(
        tmp_path_factory,
        "adjacency",
        "新增：美联储降息，英伟达",
        ("美联储与美联合会，联储降息", "人形机器人，霍尔木兹海峡"),
    )


_QUERIES = [
    "美联储",
    "美联储 降息",
    '"美联储 降息"',
    '"美联储降息"',
    "英伟达",
    "人形机器人",
    "霍尔木兹海峡",
    '"实际利率"',
    "人工智能 -美联储",
    "美联储 OR 英伟达",
    '"霍尔木兹 海峡"',
]


@pytest.mark.parametrize("query", _QUERIES)
def test_a_search_finds_with_the_proof_what_checking_every_text_finds(
    library: Library, query: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    proved = library.search(query, limit=0)
    monkeypatch.setattr(searcher, "proving_run", lambda matcher: None)
    checked = library.search(query, limit=0)
    assert proved.total == checked.total
    assert [hit.to_json() for hit in proved.hits] == [hit.to_json() for hit in checked.hits]


def test_units_whose_counts_prove_a_word_are_not_read(
    library: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    read = texts_checked(monkeypatch)
    result = library.search("美联储", limit=0)
    assert result.total > 0
    assert len(read) < result.total
