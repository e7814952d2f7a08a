"""The query language: what each form means, and a clear error for every malformed query."""

from __future__ import annotations

import datetime as dt

import pytest
from digest_tui.index.search.analysis import phrase_matcher, prefix_matcher, terms, word_matcher
from digest_tui.index.search.query import And, Filter, Not, Or, QueryError, Word, parse
from hypothesis import given, settings
from hypothesis import strategies as st


def words(node) -> list[str]:
    return [node.matcher.text] if isinstance(node, Word) else []


def test_words_are_anded_and_or_binds_tighter() -> None:
    tree = parse("黄金 美元 OR 日元")
    assert isinstance(tree, And)
    first, second = tree.children
    assert words(first) == ["黄金"]
    assert isinstance(second, Or)
    assert [c.matcher.text for c in second.children] == ["美元", "日元"]


def test_exclusions_and_explicit_and() -> None:
    tree = parse("黄金 -美元 AND NOT 原油")
    assert isinstance(tree, And)
    kinds = [type(c).__name__ for c in tree.children]
    assert kinds == ["Word", "Not", "Not"]
    assert tree.children[2].child.matcher.text == "原油"


def test_lower_case_or_and_not_are_words() -> None:
    tree = parse("or not")
    assert [c.matcher.text for c in tree.children] == ["or", "not"]


def test_phrases_prefixes_and_filters() -> None:
    tree = parse('"美联储 降息" gpt* tag:"AI 日报" asset:金价 category:经济日报 section:宏观')
    phrase, prefix, *filters = tree.children
    assert phrase.matcher.kind == "phrase"
    assert prefix.matcher.kind == "prefix"
    assert [(f.kind, f.value) for f in filters] == [
        ("tag", "AI 日报"),
        ("asset", "金价"),
        ("category", "经济日报"),
        ("section", "宏观"),
    ]


@pytest.mark.parametrize(
    ("value", "start", "end"),
    [
        ("2026-02-05", dt.date(2026, 2, 5), dt.date(2026, 2, 5)),
        ("2026-02", dt.date(2026, 2, 1), dt.date(2026, 2, 28)),
        ("2024", dt.date(2024, 1, 1), dt.date(2024, 12, 31)),
        ("2026-02-01..2026-02-28", dt.date(2026, 2, 1), dt.date(2026, 2, 28)),
        ("2026-02-01..", dt.date(2026, 2, 1), None),
        ("..2026-02", None, dt.date(2026, 2, 28)),
    ],
)
def test_date_filters(value: str, start: dt.date | None, end: dt.date | None) -> None:
    node = parse(f"date:{value}")
    assert isinstance(node, Filter)
    assert (node.start, node.end) == (start, end)


@pytest.mark.parametrize(
    ("query", "says"),
    [
        ('"美联储 降息', "unbalanced quote"),
        ('黄"金', "quote"),
        ("tag:", "tag: needs a value"),
        ("asset:  美元", "asset: needs a value"),
        ("date:2026-02-30", "not a valid date"),
        ("date:2026-13", "not a valid date"),
        ("date:yesterday", "not a date"),
        ("date:2026-03-01..2026-02-01", "impossible date range"),
        ("date:..", "at least one side"),
        ("NOT OR foobar", "NOT needs a word"),
        ("NOT NOT NOT", "NOT needs a word"),
        ("黄金 NOT", "NOT needs a word"),
        ("OR 黄金", "OR needs a word on each side"),
        ("黄金 OR", "OR needs a word on each side"),
        ("", "empty query"),
        ("   ", "empty query"),
        ("*", "a * needs a word"),
        ("--黄金", "only one '-'"),
        ('"，。"', "no letters or digits"),
    ],
)
def test_malformed_queries_say_what_is_wrong(query: str, says: str) -> None:
    with pytest.raises(QueryError) as caught:
        parse(query)
    message = str(caught.value)
    assert says in message
    assert "\n" not in message


def test_latin_words_are_whole_tokens() -> None:
    gpt5 = word_matcher("GPT-5")
    assert gpt5.kind == "token"
    assert gpt5.search("openai 发布 gpt-5.2 版本")
    assert gpt5.search("（gpt-5）")
    assert not gpt5.search("gpt-50")
    assert not gpt5.search("xgpt-5")
    assert word_matcher("ai").search("ai 日报")
    assert not word_matcher("ai").search("openai")


def test_other_words_are_substrings() -> None:
    assert word_matcher("金").search("黄金")
    assert word_matcher("5000美元").search("年费15000美元")
    assert word_matcher("霍尔木兹海峡").search("在霍尔木兹海峡附近")
    assert not word_matcher("霍尔木兹海峡").search("霍尔木兹 海峡")


def test_phrases_match_across_spaces_and_punctuation() -> None:
    phrase = phrase_matcher("美联储 降息")
    assert phrase is not None
    assert phrase.search("美联储，降息预期升温")
    assert phrase.search("美联储降息")
    assert not phrase.search("美联储官员反对降息")
    gpt = phrase_matcher("gpt 5")
    assert gpt is not None and gpt.search("gpt-5 发布") and not gpt.search("gpt5")


def test_prefix_is_the_start_of_a_latin_token() -> None:
    prefix = prefix_matcher("gpt")
    assert prefix.search("新的gpt4o模型") and prefix.search("chatgpt 与 gpt-5") is True
    assert not prefix_matcher("gpt").search("chatgpt")


def test_spans_are_offsets_of_each_occurrence() -> None:
    text = "黄金涨，黄金跌"
    assert word_matcher("黄金").spans(text) == [(0, 2), (4, 6)]


_TEXT = st.text(
    alphabet=st.sampled_from(list("黄金美元油价 gpt-5.ai，。0123456789xyz\n")), max_size=60
)


@settings(max_examples=300, deadline=None)
@given(text=_TEXT, data=st.data())
def test_index_terms_never_miss_a_word_that_occurs(text: str, data: st.DataObject) -> None:
    """Soundness of the coarse index: whatever word occurs in a text, the terms its plan asks
    for are among the text's terms (so candidates never miss); exact plans decide alone."""
    low = text.lower()
    if not low.strip():
        return
    start = data.draw(st.integers(0, len(low) - 1))
    end = data.draw(st.integers(start + 1, len(low)))
    piece = low[start:end].split()
    if not piece:
        return
    matcher = word_matcher(piece[0])
    present = terms(low)
    has_terms = all(t in present for t in matcher.plan.terms)
    if matcher.search(low):
        assert has_terms
        for prefix in matcher.plan.prefixes:
            assert any(t.startswith(prefix) for t in present)
        for suffix in matcher.plan.suffixes:
            assert any(t.endswith(suffix) for t in present)
    if matcher.plan.exact:
        assert has_terms == matcher.search(low)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=40))
def test_any_string_parses_or_raises_query_error(query: str) -> None:
    try:
        parse(query)
    except QueryError as exc:
        assert str(exc) and "\n" not in str(exc)


def test_not_cannot_wrap_an_exclusion() -> None:
    with pytest.raises(QueryError):
        parse("NOT -黄金")
    assert isinstance(parse("-tag:AI 黄金").children[0], Not)
