"""The search query language: our own small parser, from a query string to a tree.

    黄金 美元            both words (AND is the default; `AND` may also be written)
    黄金 OR 白银         either (OR binds tighter than the implicit AND: a b OR c = a (b OR c))
    -美元, NOT 美元      excludes
    "美联储 降息"        an exact phrase (spaces and punctuation in it match any)
    gpt*                 a Latin prefix
    tag:X asset:X category:X section:X    filters (a value with spaces in quotes: tag:"AI 日报")
    date:2026-02-05, date:2026-02, date:2026, date:2026-02-01..2026-02-28, date:..2026-02-28

Operators are upper case; `or`/`not` in lower case are words. A malformed query raises
QueryError with a message that says what is wrong; nothing else ever escapes from `parse`.
An asset the alias table does not know is not malformed: `asset:X` then matches nothing
(whether X is known depends on the user's config, and the TUI searches while one types);
the command line says so in a notice.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass

from ..sanitize import for_search
from .analysis import WordMatcher, phrase_matcher, prefix_matcher, word_matcher
from .query_error import QueryError as QueryError  # its home; importable from here too

FILTER_KINDS = ("tag", "asset", "category", "section", "date", "is")
#: What `is:` takes: reading state, resolved outside the index (see searcher.StateKeys).
IS_VALUES = ("unread", "read", "starred")
_FILTER_RE = re.compile(rf"^({'|'.join(FILTER_KINDS)})[:：](.*)$", re.I | re.S)
_DATE_RE = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$")
MAX_QUERY_CHARS = 2000


@dataclass(frozen=True)
class Word:
    """A word, prefix or phrase to find in a unit's text."""

    matcher: WordMatcher


@dataclass(frozen=True)
class Filter:
    """A condition on a unit's metadata: tag, asset, category, section, date range, or its
    reading state (`is:unread`, `is:read`, `is:starred`)."""

    kind: str
    value: str
    start: dt.date | None = None
    end: dt.date | None = None


@dataclass(frozen=True)
class And:
    """Units that match every child."""

    children: tuple[Node, ...]


@dataclass(frozen=True)
class Or:
    """Units that match any child."""

    children: tuple[Node, ...]


@dataclass(frozen=True)
class Not:
    """Units that do not match the child."""

    child: Node


Node = Word | Filter | And | Or | Not


@dataclass(frozen=True)
class _Token:
    """A word of the query as the parser reads it: an atom (its node) or an operator."""

    kind: str  # "atom", "OR", "NOT", "AND"
    text: str
    node: Node | None = None


def parse(query: str) -> Node:
    """Parse a query string into a tree; raises QueryError when it is malformed."""
    if len(query) > MAX_QUERY_CHARS:
        raise QueryError(f"query is too long (more than {MAX_QUERY_CHARS} characters)")
    tokens = _tokenize(for_search(query))  # a word split by an invisible character is the word
    if not tokens:
        raise QueryError("empty query: give a word to search for")
    clauses: list[Node] = []
    i = 0
    while i < len(tokens):
        node, i = _parse_or(tokens, i)
        clauses.append(node)
        while i < len(tokens) and tokens[i].kind == "AND":
            i += 1
            if i == len(tokens):
                raise QueryError("AND needs a word after it")
    return clauses[0] if len(clauses) == 1 else And(tuple(clauses))


def _parse_or(tokens: list[_Token], i: int) -> tuple[Node, int]:
    node, i = _parse_unary(tokens, i)
    options = [node]
    while i < len(tokens) and tokens[i].kind == "OR":
        if i + 1 == len(tokens):
            raise QueryError("OR needs a word on each side")
        node, i = _parse_unary(tokens, i + 1)
        options.append(node)
    return (options[0] if len(options) == 1 else Or(tuple(options))), i


def _parse_unary(tokens: list[_Token], i: int) -> tuple[Node, int]:
    token = tokens[i]
    if token.kind == "NOT":
        if i + 1 == len(tokens):
            raise QueryError("NOT needs a word after it")
        following = tokens[i + 1]
        if following.kind != "atom":
            raise QueryError(f"NOT needs a word after it, not {following.text}")
        assert following.node is not None
        if isinstance(following.node, Not):
            raise QueryError("NOT cannot exclude an exclusion")
        return Not(following.node), i + 2
    if token.kind == "atom":
        assert token.node is not None
        return token.node, i + 1
    if token.kind == "OR":
        raise QueryError("OR needs a word on each side")
    raise QueryError("AND needs a word on each side")


def _tokenize(query: str) -> list[_Token]:
    """Split the query into words, quoted phrases, operators and filters."""
    tokens: list[_Token] = []
    i, n = 0, len(query)
    while i < n:
        if query[i].isspace():
            i += 1
            continue
        start = i
        negated = False
        if query[i] == "-" and i + 1 < n and not query[i + 1].isspace():
            negated = True
            i += 1
            if query[i] == "-":
                raise QueryError(f"{_word_at(query, start)!r}: only one '-' can exclude a word")
        if query[i] == '"':
            close = query.find('"', i + 1)
            if close < 0:
                raise QueryError('unbalanced quote: a phrase opened with " is never closed')
            node = _phrase(query[i + 1 : close])
            i = close + 1
            if i < n and not query[i].isspace():
                raise QueryError(f'put a space after the closing quote of "{query[start:i]}"')
        else:
            word, i = _read_word(query, i)
            if not negated and word in ("OR", "NOT", "AND"):
                tokens.append(_Token(word, word))
                continue
            node = _atom(word)
        tokens.append(_Token("atom", query[start:i], Not(node) if negated else node))
    return tokens


def _word_at(query: str, i: int) -> str:
    match = re.match(r"\S+", query[i:])
    return match.group(0) if match else query[i:]


def _read_word(query: str, i: int) -> tuple[str, int]:
    """A word runs to the next space; a filter's quoted value may contain spaces."""
    n = len(query)
    start = i
    while i < n and not query[i].isspace():
        if query[i] == '"':
            head = query[start:i]
            if _FILTER_RE.match(head) and head[-1] in ":：" and i == start + len(head):
                close = query.find('"', i + 1)
                if close < 0:
                    raise QueryError(f"unbalanced quote in {head}: the value is never closed")
                i = close + 1
                continue
            raise QueryError(f'unbalanced quote: {_word_at(query, start)!r} has a " inside')
        i += 1
    return query[start:i], i


def _phrase(text: str) -> Node:
    matcher = phrase_matcher(text)
    if matcher is None:
        raise QueryError(f'the phrase "{text}" has no letters or digits to search for')
    return Word(matcher)


def _atom(word: str) -> Node:
    match = _FILTER_RE.match(word)
    if match:
        kind, value = match.group(1).lower(), match.group(2)
        if len(value) >= 2 and value[0] == value[-1] == '"':
            value = value[1:-1]
        value = value.strip()
        if not value:
            raise QueryError(f"{kind}: needs a value, e.g. {_EXAMPLES[kind]}")
        if kind == "is":
            if value.lower() not in IS_VALUES:
                raise QueryError(f"is:{value} is not a filter: is: takes unread, read or starred")
            return Filter("is", value.lower())
        if kind == "date":
            start, end = parse_date_range(value)
            return Filter("date", value, start, end)
        return Filter(kind, value)
    if word.endswith("*"):
        stem = word.rstrip("*")
        if not stem or not any(c.isalnum() for c in stem):
            raise QueryError(f"{word!r}: a * needs a word before it, e.g. gpt*")
        return Word(prefix_matcher(stem))
    if not word.strip("-"):
        raise QueryError(f"{word!r} is not a word to search for")
    return Word(word_matcher(word))


_EXAMPLES = {
    "tag": "tag:AI",
    "asset": "asset:黄金",
    "category": "category:经济日报",
    "section": "section:宏观",
    "date": "date:2026-02-05",
    "is": "is:unread",
}


def parse_date(text: str, *, end: bool = False) -> dt.date:
    """YYYY, YYYY-MM or YYYY-MM-DD as a date: the first day of the span, or the last if `end`."""
    match = _DATE_RE.match(text.strip())
    if not match:
        raise QueryError(f"{text!r} is not a date (use YYYY-MM-DD, YYYY-MM or YYYY)")
    year, month, day = match.group(1), match.group(2), match.group(3)
    try:
        y = int(year)
        if month is None:
            return dt.date(y, 12, 31) if end else dt.date(y, 1, 1)
        m = int(month)
        if day is None:
            return dt.date(y, m, calendar.monthrange(y, m)[1] if end else 1)
        return dt.date(y, m, int(day))
    except (ValueError, calendar.IllegalMonthError):
        raise QueryError(f"{text!r} is not a valid date") from None


def parse_date_range(value: str) -> tuple[dt.date | None, dt.date | None]:
    """`2026-02-05`, `2026-02`, `a..b`, `a..` or `..b` as (first, last) dates, None = open."""
    if ".." in value:
        left, _, right = value.partition("..")
        if ".." in right:
            raise QueryError(f"date:{value} has more than one '..'")
        start = parse_date(left) if left.strip() else None
        end = parse_date(right, end=True) if right.strip() else None
        if start is None and end is None:
            raise QueryError("date:.. needs a date on at least one side")
    else:
        start, end = parse_date(value), parse_date(value, end=True)
    if start is not None and end is not None and start > end:
        raise QueryError(f"impossible date range {value}: it ends before it starts")
    return start, end


def filter_values(node: Node, kind: str) -> list[str]:
    """The values of every filter of `kind` in the tree (`asset:黄金` -> 黄金), negated too."""
    if isinstance(node, Filter):
        return [node.value] if node.kind == kind else []
    if isinstance(node, (And, Or)):
        return [v for child in node.children for v in filter_values(child, kind)]
    if isinstance(node, Not):
        return filter_values(node.child, kind)
    return []


def positive_words(node: Node) -> list[WordMatcher]:
    """The words a matching unit contains (those not under a NOT), for highlights and scores."""
    if isinstance(node, Word):
        return [node.matcher]
    if isinstance(node, (And, Or)):
        return [m for child in node.children for m in positive_words(child)]
    return []


def date_filter(since: dt.date | None, until: dt.date | None) -> Filter | None:
    """The filter of `--since` / `--until` (either may be open), or None without either."""
    if since is None and until is None:
        return None
    label = f"{since.isoformat() if since else ''}..{until.isoformat() if until else ''}"
    return Filter("date", label, since, until)


def build_query(
    query: str,
    tags: Iterable[str] = (),
    assets: Iterable[str] = (),
    categories: Iterable[str] = (),
    since: dt.date | None = None,
    until: dt.date | None = None,
    states: Iterable[str] = (),
) -> Node:
    """The query tree for a query string plus the filters given as options (`states`:
    is: filters, "unread", "read" or "starred")."""
    filters: list[Node] = [Filter("tag", t) for t in tags if t.strip()]
    filters += [Filter("is", state) for state in states]
    filters += [Filter("asset", a) for a in assets if a.strip()]
    filters += [Filter("category", c) for c in categories if c.strip()]
    if since is not None and until is not None and since > until:
        raise QueryError(f"impossible date range: --since {since} is after --until {until}")
    dates = date_filter(since, until)
    if dates is not None:
        filters.append(dates)
    if not query.strip():
        if not filters:
            raise QueryError("empty query: give a word to search for")
        return filters[0] if len(filters) == 1 else And(tuple(filters))
    tree = parse(query)
    if not filters:
        return tree
    children = tree.children if isinstance(tree, And) else (tree,)
    return And((*children, *filters))
