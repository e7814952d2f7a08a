"""Words of CJK characters proven to occur from term counts alone, without reading their text.

The index keeps no positions, but it keeps each term's count in each unit: how many times
each CJK character occurs, and each pair of adjacent ones (analysis.terms, exactly). That
proves some adjacency, by counting. Take 美联储 and a unit's 联s: count(美联) of them come
right after a 美, count(联储) of them right before a 储. When the two together are more than
count(联), some 联 does both: the unit holds 美联储. So every 联 following a 美 and one 联储
is enough, as is one 联 in all with both pairs present.

A longer run c1..cn extends the same way, one character at a time. Of the places where
c1..cj occurs (at least t of them, told apart by where their cj is), at least t +
count(cj cj+1) - count(cj) go on with cj+1. Starting from t = count(c1 c2), the bound after
the last step is the sum of the counts of the run's pairs less the sum of the counts of its
inner characters c2..cn-1, and as no step raises it (a pair occurs at most as often as its
characters), the run surely occurs when that last bound is 1 or more.

A unit proven so matches; the others are checked on their text as before (searcher._check).
The proof only spares checks: it never finds a unit the check would not, nor misses one.
"""

from __future__ import annotations

import re

import numpy as np
import numpy.typing as npt

from .analysis import WordMatcher
from .arrays import DocIds
from .view import IndexView

_WORDS_RE = re.compile(r"[\W_]+")


def _ideograph(char: str) -> bool:
    """A CJK ideograph (a letter that lowercasing leaves alone, indexed alone and in pairs
    with its neighbours)."""
    return ("\u3400" <= char <= "\u4dbf" or "\u4e00" <= char <= "\u9fff") and char.isalnum()


def proving_run(matcher: WordMatcher) -> str | None:
    """The run of CJK ideographs whose occurrence in a unit's text makes `matcher` match it
    (None: there is none, or the terms decide the word alone): a word of ideographs itself;
    for a phrase of such words, the words written together (the gap between two words of a
    phrase may be empty)."""
    if matcher.plan.exact:
        return None
    if matcher.kind == "substring":
        run = matcher.text
    elif matcher.kind == "phrase":
        run = "".join(part for part in _WORDS_RE.split(matcher.text) if part)
    else:
        return None
    if len(run) < 2 or not all(map(_ideograph, run)):
        return None
    return run


def _counts_at(view: IndexView, term: str, docs: DocIds) -> npt.NDArray[np.int64]:
    """The count of `term` in each of `docs` (ascending; 0 where it does not occur)."""
    ids, weights = view.postings("body", term)
    if not len(ids):
        return np.zeros(len(docs), dtype=np.int64)
    at = np.minimum(np.searchsorted(ids, docs), len(ids) - 1)
    return np.where(ids[at] == docs, weights[at], 0)


#: How many postings decode in about the CPU time one unit's text takes to check, with a
#: margin: at 7,300 posts a posting decodes in ~60 ns and a check in a fresh process takes
#: ~2 us (18.7 ms for 美联储's 9,561 candidates, most of it the first touch of their pages of
#: the text column), and a proof proves fewer units than it may. A proof reads the counts
#: it needs only when they are at most this many times the units it may prove.
CHECKS_PER_POSTING = 4


def _pairs(run: str) -> list[str]:
    return [run[i : i + 2] for i in range(len(run) - 1)]


def proven(view: IndexView, run: str, docs: DocIds) -> npt.NDArray[np.bool_]:
    """For each of `docs` (ascending document numbers), whether its text surely holds `run`
    (a run of two or more ideographs, `proving_run`), from the counts of its pairs and its
    inner characters (see the module docstring). False means not proven, not absent.

    Nothing is proven when reading the counts would cost more than checking every unit.
    Inner characters are read rarest first. Until it is read, a character occurs at least
    as often as each pair it is in, so the units the proof may still prove are known before
    each read; the proof is given up (nothing proven) when reading the characters left would
    cost more than checking those units."""
    inner = run[1:-1]
    to_read = {term: view.postings_to_read("body", term) for term in {*_pairs(run), *inner}}
    if sum(to_read.values()) > CHECKS_PER_POSTING * len(docs):
        return np.zeros(len(docs), dtype=np.bool_)  # dearer than checking every unit
    pairs = [_counts_at(view, pair, docs) for pair in _pairs(run)]
    bound: npt.NDArray[np.int64] = np.sum(pairs, axis=0, dtype=np.int64)
    least: dict[str, npt.NDArray[np.int64]] = {}  # an inner character's count is at least
    for i, char in enumerate(inner, start=1):  # that of each pair it is in
        most = np.maximum(pairs[i - 1], pairs[i])
        least[char] = np.maximum(least[char], most) if char in least else most
    unread = sorted(least, key=to_read.__getitem__)
    for at, char in enumerate(unread):
        possible = bound.copy()
        for later in unread[at:]:
            possible -= inner.count(later) * least[later]
        left = sum(to_read[later] for later in unread[at:])
        if left > CHECKS_PER_POSTING * np.count_nonzero(possible > 0):
            return np.zeros(len(docs), dtype=np.bool_)
        bound -= inner.count(char) * _counts_at(view, char, docs)
    return bound > 0
