"""A build counts terms as numbers (keyed_terms.py): exactly the terms and counts that
`analysis.terms` gives for every text, whatever its characters, and a unit's field length."""

from __future__ import annotations

from pathlib import Path

from digest_tui.index.archive import find_all
from digest_tui.index.search.analysis import lower, terms
from digest_tui.index.search.keyed_terms import KeyedTerms, keyed_terms
from digest_tui.index.search.units import post_data
from hypothesis import given, settings
from hypothesis import strategies as st

SAMPLES = Path(__file__).resolve().parents[1] / "sample_posts"

TRICKY = [
    "",
    "a",
    "金",
    "黄金 abc 金x 5000美元 gpt-5 3.5",
    "İstanbul ǅ ß ﬁ",  # characters whose lowercase is longer, kept as they are
    "a\u3000b　金金金\t\n金",  # CJK spaces break pairs; repeated pairs are counted
    "x_y 金_金 ＡＢＣ１２３",  # _ never pairs; full-width letters and digits do
    "٣٤ 金٣ ①② ½",  # other digits and numerals
    "，。！？——《金》",  # punctuation: single terms, never pairs
]


def _check(texts: list[str]) -> None:
    lows = [lower(text) for text in texts]
    for low, found in zip(lows, keyed_terms(lows), strict=True):
        expected = terms(low)
        counts = found.as_dict() if isinstance(found, KeyedTerms) else found
        assert counts == expected
        if isinstance(found, KeyedTerms):
            assert found.total == sum(expected.values())


def test_keyed_terms_are_the_terms_of_tricky_texts() -> None:
    _check(TRICKY)
    assert all(isinstance(found, KeyedTerms) for found in keyed_terms(TRICKY))


def test_texts_it_does_not_read_are_counted_as_strings() -> None:
    """A character outside the BMP, a NUL or a lone surrogate in any text of a post: that
    post's terms come from `terms` (still the same counts)."""
    for odd in ("😀金金", "金\x00金", "金\ud800金"):
        texts = ["黄金", odd, "b"]
        _check(texts)
        assert not any(isinstance(found, KeyedTerms) for found in keyed_terms(texts))


@settings(max_examples=300, deadline=None, derandomize=True, database=None)
@given(
    st.lists(
        st.text(
            alphabet=st.one_of(
                st.sampled_from("金黄油价美元 \n\t　，。-._aAzZ09０ＡİǅßΣσ٣½"),
                st.characters(max_codepoint=0xFFFF, exclude_categories=("Cs",)),
            ),
            max_size=40,
        ),
        max_size=6,
    )
)
def test_keyed_terms_equal_terms_on_any_text(texts: list[str]) -> None:
    _check(texts)


def test_a_build_counts_the_sample_posts_terms_as_an_update_does() -> None:
    """post_data(keyed=True) (a build) and post_data() (an update) give the same counts."""
    for post_file in find_all([SAMPLES]):
        keyed, _ = post_data(post_file, keyed=True)
        plain, _ = post_data(post_file)
        assert keyed is not None and plain is not None
        for a, b in zip(keyed.units, plain.units, strict=True):
            for mine, theirs in ((a.title_terms, b.title_terms), (a.body_terms, b.body_terms)):
                assert isinstance(mine, KeyedTerms)
                assert mine.as_dict() == theirs
