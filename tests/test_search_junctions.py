"""Where a phrase's words meet (analysis.junctions, issue 14): a unit holding a phrase has,
where each two of its words meet, the pair written together or a junction across the gap,
so a phrase checks only the units where its words touch, and finds every one of them, in
a build, after an update and after a compaction re-adds the units."""

from __future__ import annotations

import pytest
from digest_tui.index.library import Library
from digest_tui.index.search import searcher
from digest_tui.index.search.analysis import JUNCTION, junctions, lower, phrase_matcher, terms
from hypothesis import given, settings
from hypothesis import strategies as st
from search_archive import add_compacting_all, texts_checked, updated_library

_TEXTS = st.text(st.sampled_from([*"美联储降息股指", "，", " ", "a", "5", "_", "-"]), max_size=40)
_PHRASES = st.lists(
    st.text(st.sampled_from([*"美联储降息股指a5"]), min_size=1, max_size=3), min_size=2, max_size=3
)


@settings(max_examples=500, deadline=None, derandomize=True, database=None)
@given(_TEXTS, _PHRASES)
def test_a_text_holding_a_phrase_has_its_meetings_written_together_or_across_a_gap(
    text: str, words: list[str]
) -> None:
    matcher = phrase_matcher(" ".join(words))
    assert matcher is not None
    low = lower(text)
    if not matcher.search(low):
        return
    counts, joined = terms(low), set(junctions(low))
    for pair in matcher.plan.junctions:
        assert pair in counts or JUNCTION + pair in joined


def test_a_junction_is_two_letters_with_only_non_word_characters_between() -> None:
    assert junctions(lower("美联储，降息。A股 指数 gpt-5 央行_购金 储 a 降")) == [
        "j:储降",
        "j:股指",
        "j:行购",
        "j:金储",  # but not 储降 again: "a" is a word character
    ]
    assert phrase_matcher("美联储 降息").plan.junctions == ("储降",)  # type: ignore[union-attr]
    assert phrase_matcher("gpt 5").plan.junctions == ()  # type: ignore[union-attr]


@pytest.fixture(scope="module")
def library(tmp_path_factory: pytest.TempPathFactory) -> Library:
    """The sample posts and the search archive, then one post edited and one added, each
    with the phrase across punctuation and its words apart."""
    return updated_library(
        tmp_path_factory,
        "junctions",
        "新增：美联储——降息",  # the edited post's
        ("美联储 & 降息预期", "降息之后美联储观望"),
    )


def _items(result: object) -> set[str | None]:
    return {hit.item_title for hit in result.hits}  # type: ignore[attr-defined]


def test_a_phrase_across_punctuation_is_found_after_an_update(library: Library) -> None:
    found = _items(library.search('"美联储 降息"', limit=0))
    assert "美联储 & 降息预期" in found
    assert "降息之后美联储观望" not in found


def test_units_whose_words_do_not_meet_are_not_read(
    library: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    read = texts_checked(monkeypatch)
    monkeypatch.setattr(searcher, "proving_run", lambda matcher: None)
    both = library.search("美联储 降息", limit=0)
    library.drop_snapshot()  # nothing checked yet
    read.clear()
    phrase = library.search('"美联储 降息"', limit=0)
    assert phrase.total < both.total
    assert len(read) == phrase.total  # every unit read holds the phrase


def test_a_compaction_keeps_the_junctions_of_the_units_it_re_adds(
    library: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = library.search('"美联储 降息"', limit=0)
    add_compacting_all(library, monkeypatch, "美联储：降息在望")
    after = library.search('"美联储 降息"', limit=0)
    assert after.total == before.total + 1
    assert _items(before) | {"美联储：降息在望"} == _items(after)
