"""Property tests for the query language: any string is a query tree or a QueryError with a
one-line message, never another exception, both when parsing and when searching an index."""

from __future__ import annotations

from pathlib import Path

import pytest
from digest_tui.index.library import Library
from digest_tui.index.paths import Config, Roots
from digest_tui.index.sanitize import clean_line
from digest_tui.index.search.query import QueryError, parse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

BUDGET = settings(
    max_examples=300,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)

KNOWN_BAD = [
    "NOT OR foobar",
    "NOT NOT NOT",
    '"',
    "tag:",
    "date:2026-02-30..",
    "((",
    "OR",
    "AND",
    "NOT",
    "-",
    "--x",
    "*",
    "**",
    "a OR",
    "OR a",
    "NOT -a",
    '""',
    '" "',
    "date:..",
    "date:2026-13",
    "date:0000",
    "date:9999-12-31..0001-01-01",
    'tag:"unclosed',
    'x"y',
    "date:2026..2025..2024",
    "asset:",
    "section:",
    "category:",
    "a AND",
    "AND AND",
    "-OR",
    "-NOT",
    "NOT \x1b]52;c;eA==\x07",
    "\x00",
    "\u202e",
    "date:२०२६-०२-०५",
    "date:2026-02-05T00:00",
    "日期：2026",
    "tag：黄金",
    "x" * 3000,
]

pieces = st.one_of(
    st.sampled_from(
        [
            "OR",
            "AND",
            "NOT",
            "-",
            "*",
            '"',
            "(",
            ")",
            "tag:",
            "asset:",
            "date:",
            "category:",
            "section:",
            "..",
            "2026-02-30",
            "2026-02",
            "黄金",
            "gpt",
            "a",
            " ",
            "  ",
            "\t",
            "\n",
            "：",
            "\x1b",
            "\u202e",
            "[/]",
            "'",
            "\\",
        ]
    ),
    st.text(max_size=5),
)
queries = st.one_of(
    st.lists(pieces, max_size=12).map("".join),
    st.lists(pieces, max_size=8).map(" ".join),
    st.text(max_size=30),
)


def _check_message(exc: QueryError) -> None:
    message = str(exc)
    assert message.strip(), "a QueryError must say what is wrong"
    assert "\n" not in clean_line(message)


@pytest.mark.parametrize("query", KNOWN_BAD)
def test_known_malformed_queries_raise_query_error_only(query: str) -> None:
    try:
        parse(query)
    except QueryError as exc:
        _check_message(exc)


@BUDGET
@given(queries)
def test_random_queries_parse_or_raise_query_error(query: str) -> None:
    try:
        parse(query)
    except QueryError as exc:
        _check_message(exc)


def test_random_queries_against_a_real_index(tmp_path: Path, sample_archive: Path) -> None:
    """Evaluating any query on an index (words, filters, dates) raises only QueryError."""
    notices: list[str] = []
    library = Library(Roots((sample_archive,), "--archive"), Config(), notice=notices.append)
    library.update()

    @BUDGET
    @given(queries, st.sampled_from([0, 1, 5]))
    def search(query: str, limit: int) -> None:
        try:
            result = library.search(query, limit=limit)
        except QueryError as exc:
            _check_message(exc)
            return
        assert result.total >= len(result.hits)
        for hit in result.hits:
            for start, end in hit.highlights:
                assert 0 <= start <= end <= len(hit.snippet)

    try:
        search()
        for query in KNOWN_BAD:
            try:
                library.search(query, limit=0)
            except QueryError as exc:
                _check_message(exc)
    finally:
        library.close()
    assert notices == []  # no query may damage the index
