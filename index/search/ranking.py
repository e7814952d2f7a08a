"""Ranking: BM25F over the `title` and `body` fields, titles weighted above bodies, and the
first page of a ranked list chosen without a sort key for every hit.

Scores are computed term by term as `K1`/`B` BM25F over Whoosh's byte-coded field lengths;
the way they are computed (tables per length byte, a memo per frequency and length) gives the
same floats as the plain formula, so results never move with it.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Callable, Sequence
from itertools import compress
from operator import neg

from .analysis import WordMatcher
from .view import IndexView, length_table

K1 = 1.2
B = 0.75
FIELD_WEIGHTS = {"title": 3.0, "body": 1.0}


def bm25f_scores(view: IndexView, docs: set[int], words: list[WordMatcher]) -> dict[int, float]:
    """BM25F score of each doc for the positive words of the query."""
    scores = dict.fromkeys(docs, 0.0)
    if not words or not docs:
        return scores
    n = max(view.doc_count, 1)
    body_bytes, title_bytes = view.length_bytes("body"), view.length_bytes("title")
    body_average = max(view.average_length("body"), 1.0)
    title_average = max(view.average_length("title"), 1.0)
    # a field's length is one of 256 values (Whoosh stores it as a byte): its normalisation
    # is looked up, computed as `1 - B + B * length / average` would be for each doc
    body_norm = [1 - B + B * length / body_average for length in length_table()]
    title_norm = [1 - B + B * length / title_average for length in length_table()]
    title_weight = FIELD_WEIGHTS["title"]
    terms: list[str] = []
    for matcher in words:
        terms.extend(matcher.plan.terms)
        for prefix in matcher.plan.prefixes:
            terms.extend(view.expand_prefix("body", prefix)[:64])  # ranking only: a sample
    first = True  # no score yet: the first term's parts are assigned, not added
    for term in dict.fromkeys(terms):
        body = view.postings("body", term)
        if not body:
            continue
        title = view.postings("title", term)
        idf = math.log(1 + (n - len(body) + 0.5) / (len(body) + 0.5))
        every = first and len(body) <= len(docs) and docs.issuperset(body)
        found = body.keys() if every else docs.intersection(body)
        titled = title.keys() & found if title else set()
        # without a title match, a doc's score for the term depends only on its frequency
        # and length byte: looked up for a frequency of 1, else computed once per pair
        once = [idf * ntf * (K1 + 1) / (K1 + ntf) for ntf in (1 / norm for norm in body_norm)]
        memo: dict[int, float] = {}
        get = memo.get
        if every:  # every posting is a match: walk them
            for doc, tf in body.items():
                if tf == 1:
                    scores[doc] = once[body_bytes[doc]]
                    continue
                length = body_bytes[doc]
                part = get(tf << 8 | length)
                if part is None:
                    ntf = tf / body_norm[length]
                    part = memo[tf << 8 | length] = idf * ntf * (K1 + 1) / (K1 + ntf)
                scores[doc] = part
        else:
            for doc in found - titled if titled else found:
                tf = body[doc]
                if tf == 1:
                    scores[doc] += once[body_bytes[doc]]
                    continue
                length = body_bytes[doc]
                part = get(tf << 8 | length)
                if part is None:
                    ntf = tf / body_norm[length]
                    part = memo[tf << 8 | length] = idf * ntf * (K1 + 1) / (K1 + ntf)
                scores[doc] += part
        for doc in titled:
            ntf = body[doc] / body_norm[body_bytes[doc]]
            ntf += title_weight * title[doc] / title_norm[title_bytes[doc]]
            if first:
                scores[doc] = idf * ntf * (K1 + 1) / (K1 + ntf)
            else:
                scores[doc] += idf * ntf * (K1 + 1) / (K1 + ntf)
        first = False
    return scores


def first_page(
    scores: dict[int, float],
    limit: int,
    order: Callable[[int], tuple[float, int, int, int]],
    days: Sequence[int],
    doc_pid: Sequence[int],
) -> list[int]:
    """The `limit` best docs in `order` (best score rounded to 6 places first, then the
    newest post, then the post, then the doc), without a sort key for every doc: those above
    the limit-th best rounded score are in; the ties at it are chosen by date, post and doc."""
    if len(scores) <= limit:
        return sorted(scores, key=order)
    docs, values = list(scores), list(scores.values())
    kth = heapq.nlargest(limit, values)[-1]
    cut = round(kth, 6)
    # every doc whose rounded score reaches the cut scores above `floor`
    floor = cut - 1e-6
    near = list(map(floor.__le__, values))
    docs, values = list(compress(docs, near)), list(compress(values, near))
    rounding = {value: round(value, 6) for value in set(values)}  # few distinct scores
    rounded = list(map(rounding.__getitem__, values))
    above = list(compress(docs, map(cut.__lt__, rounded)))
    tied = list(compress(docs, map(cut.__eq__, rounded)))
    best = heapq.nsmallest(
        limit - len(above),
        zip(
            map(neg, map(days.__getitem__, tied)), map(doc_pid.__getitem__, tied), tied, strict=True
        ),
    )
    return sorted(above + [doc for _day, _pid, doc in best], key=order)
