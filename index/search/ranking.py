"""Ranking: BM25F over the `title` and `body` fields, titles weighted above bodies, and the
first page of a ranked list chosen without a sort key for every hit.

Scores are computed term by term as `K1`/`B` BM25F over Whoosh's byte-coded field lengths,
vectorised (numpy float64 performs the same IEEE operations in the same order as the plain
formula on Python floats, term after term, so the scores are the same floats). The first page
is chosen by array operations; only the few docs near its last score are rounded in Python
(`round`, which numpy's rounding does not equal).
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
import numpy.typing as npt

from .analysis import WordMatcher
from .arrays import EMPTY_IDS, DocIds, DocMask
from .view import IndexView, length_table

K1 = 1.2
B = 0.75
FIELD_WEIGHTS = {"title": 3.0, "body": 1.0}

Scores = npt.NDArray[np.float64]
#: A term's titled docs are found among its docs by search when they are fewer than 1/this
#: of them, else through a table of every doc (filled and cleared: cheaper for many).
_DENSE_FROM = 8
#: Scores are summed in a table as long as the matched docs, each term's docs found among
#: them by search, when those are fewer than 1/this of every doc; else in a table of every
#: doc (7 MB at 900,000 docs), which costs less than the searches for many matches (a*).
_COMPACT_FROM = 16
Postings = tuple[DocIds, npt.NDArray[np.int64]]
_NONE: Postings = (EMPTY_IDS, EMPTY_IDS)


def bm25f_scores(
    view: IndexView, matched: DocMask, docs: DocIds, words: list[WordMatcher]
) -> Scores:
    """BM25F score of each of `docs` (the docs of `matched`, ascending) for the positive
    words of the query."""
    if not words or not len(docs):
        return np.zeros(len(docs), dtype=np.float64)
    compact = len(docs) * _COMPACT_FROM < view.size
    scores = np.zeros(len(docs) if compact else view.size, dtype=np.float64)
    n = max(view.doc_count, 1)
    body_bytes, title_bytes = view.length_array("body"), view.length_array("title")
    body_average = max(view.average_length("body"), 1.0)
    title_average = max(view.average_length("title"), 1.0)
    # a field's length is one of 256 values (Whoosh stores it as a byte): its normalisation
    # is looked up, computed as `1 - B + B * length / average` would be for each doc
    body_norm = np.array([1 - B + B * length / body_average for length in length_table()])
    title_norm = np.array([1 - B + B * length / title_average for length in length_table()])
    title_weight = FIELD_WEIGHTS["title"]
    terms: list[str] = []
    #: the posting lists of prefix terms, read in one walk of each field's term table (the
    #: titles' of the sample only)
    expanded: dict[str, tuple[Postings, Postings]] = {}
    for matcher in words:
        terms.extend(matcher.plan.terms)
        for prefix in matcher.plan.prefixes:
            in_body = view.range_postings("body", prefix)
            sample = sorted(in_body)[:64]  # ranking only: a sample
            terms.extend(sample)
            wanted = {term.encode("utf-8") for term in sample if len(in_body[term][0])}
            in_title = view.range_postings("title", prefix, accept=wanted.__contains__)
            for term in sample:
                expanded[term] = (in_body[term], in_title.get(term, _NONE))
    scored = False
    dense: Scores | None = None
    for term in dict.fromkeys(terms):
        if term in expanded:
            (body_ids, body_tf), (title_ids, title_tf) = expanded[term]
        else:
            body_ids, body_tf = view.postings("body", term)
            title_ids, title_tf = view.postings("title", term) if len(body_ids) else _NONE
        if not len(body_ids):
            continue
        idf = math.log(1 + (n - len(body_ids) + 0.5) / (len(body_ids) + 0.5))
        inside = matched[body_ids]
        if inside.all():  # a word of the query alone: every doc of its postings matched
            found, tf = body_ids, body_tf
        else:  # (the places once, then two reads: see arrays.select)
            at = np.flatnonzero(inside)
            found, tf = body_ids[at], body_tf[at]
        by_table = len(title_ids) * _DENSE_FROM >= len(found) > 0
        if len(title_ids) and len(found) and (not by_table or len(found) < len(title_ids)):
            # only matched titled docs can be among `found` (a matched doc's check is one read
            # each: cheaper than searching every titled doc among `found`, or than a table of
            # every doc when most titles are of docs not matched, as AI's are in AI 芯片)
            keep = matched[title_ids]
            if not keep.all():
                kept = np.flatnonzero(keep)
                title_ids, title_tf = title_ids[kept], title_tf[kept]
                by_table = len(title_ids) * _DENSE_FROM >= len(found)
        if not by_table:
            ntf = tf / body_norm[body_bytes[found]]
            if len(title_ids) and len(found):
                at = np.minimum(np.searchsorted(found, title_ids), len(found) - 1)
                titled = found[at] == title_ids
                at, title_ids, title_tf = at[titled], title_ids[titled], title_tf[titled]
                ntf[at] += title_weight * title_tf / title_norm[title_bytes[title_ids]]
        else:  # many titled docs: each doc's ntf built in a doc-sized table, not searched for
            # (only `found` is read back, each set first: what earlier terms left is unread)
            if dense is None:
                dense = np.zeros(view.size, dtype=np.float64)
            dense[found] = tf / body_norm[body_bytes[found]]
            dense[title_ids] += title_weight * title_tf / title_norm[title_bytes[title_ids]]
            ntf = dense[found]
        # idf * ntf * (K1 + 1) / (K1 + ntf), the same operations in the same order, in place
        term_scores = np.multiply(ntf, idf)
        term_scores *= K1 + 1
        ntf += K1
        term_scores /= ntf
        at = np.searchsorted(docs, found) if compact else found  # (found: among docs)
        if scored:
            scores[at] += term_scores
        else:  # nothing scored yet: 0 + score is the score
            scores[at] = term_scores
            scored = True
    return scores if compact else scores[docs]


def first_page(
    values: Scores,
    docs: DocIds,
    limit: int,
    column: Callable[[str, DocIds], npt.NDArray[np.int64]],
) -> list[int]:
    """The `limit` best of `docs` (all of them when `limit` <= 0), in order: best score
    (`values`, one for each of `docs`) rounded to 6 places first, then the newest post, then
    the post, then the doc. Only docs whose score reaches the limit-th best one (less the
    rounding) are rounded and ordered; `column(name, docs)` gives their "day" and "pid"."""
    cut: float | None = None
    if 0 < limit < len(docs):
        kth = float(np.partition(values, len(values) - limit)[len(values) - limit])
        cut = round(kth, 6)  # the limit-th best rounded score (rounding keeps the order)
        # every doc whose rounded score reaches the cut's
        near = np.flatnonzero(values >= cut - 1e-6)
        docs, values = docs[near], values[near]
    rounded = _rounded(values)
    if cut is not None and len(docs) > 2 * limit:
        # many docs tie at the cut (no words to score, or equal scores): of those, only the
        # newest days can be on the page, after the docs scored above the cut
        tied = rounded == cut
        wanted = limit - int(np.count_nonzero(rounded > cut))
        tied_days = column("day", docs[tied])
        if wanted < len(tied_days):
            keep = ~tied
            keep[tied] = _on_newest_days(tied_days, wanted)
            docs, rounded = docs[keep], rounded[keep]
    return _ordered(docs, -rounded, limit, column)


def newest_first(
    docs: DocIds, limit: int, column: Callable[[str, DocIds], npt.NDArray[np.int64]]
) -> list[int]:
    """`first_page` of docs that all score the same (a query without words to score): the
    newest post first, then the post, then the doc. Only the docs of the days that can be on
    the page are ordered."""
    if 0 < limit < len(docs):
        docs = docs[_on_newest_days(column("day", docs), limit)]
    return _ordered(docs, np.zeros(len(docs)), limit, column)


def _on_newest_days(days: npt.NDArray[np.int64], wanted: int) -> npt.NDArray[np.bool_]:
    """Which of `days` are among the newest days holding `wanted` of them (ties included)."""
    newest = np.partition(days, len(days) - wanted)[len(days) - wanted]
    return np.asarray(days >= newest, dtype=np.bool_)


def _ordered(
    docs: DocIds,
    worst_first: Scores,
    limit: int,
    column: Callable[[str, DocIds], npt.NDArray[np.int64]],
) -> list[int]:
    """The first `limit` of `docs` (all when `limit` <= 0) by `worst_first` ascending (minus
    the rounded score), then the newest post, then the post, then the doc."""
    order = np.lexsort((docs, column("pid", docs), -column("day", docs), worst_first))
    if limit > 0:
        order = order[:limit]
    return [int(doc) for doc in docs[order]]


def _rounded(values: Scores) -> Scores:
    """Python's `round(value, 6)` of every value (numpy's rounding is not the same), one
    call per distinct value."""
    if not len(values):
        return values
    low, high = float(values.min()), float(values.max())
    if low == high:  # one score for all (a query without words: all 0)
        return np.full(len(values), round(low, 6))
    distinct, where = np.unique(values, return_inverse=True)
    return np.array([round(value, 6) for value in distinct.tolist()])[where]
