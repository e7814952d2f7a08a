"""The index terms of many texts at once, the ones of one character or two as numbers (a build).

`analysis.terms` counts a text's terms in a dict of strings: one string made and hashed for
every character of CJK text and every pair of them, most of a build's own CPU after parsing.
Here the texts of a post are read as code points (numpy) and every such term is a number, its
first character's code point times 2**16 plus its second's (0 for a single character), so the
numbers sort as the strings do; they are counted in one sort, and a segment writer inverts
them as numbers (runs.py), making each term's string once per segment. Latin tokens are
counted as strings, as `terms` does. The terms are exactly `terms`' (tests/test_keyed_terms.py);
a text with a character outside the Basic Multilingual Plane, a NUL or a lone surrogate is
counted by `terms` itself.
"""

from __future__ import annotations

from collections import _count_elements  # type: ignore[attr-defined]
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

from .analysis import ALNUM_RE, terms

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

#: A term's number: first character's code point << SHIFT | second's (0: none). Code points
#: of the Basic Multilingual Plane only: every number fits in 32 bits, so a segment writer
#: packs it with a posting's document and frequency into one number to sort (runs.py).
SHIFT = 16
_TEXT_SHIFT = 32  # (text index << _TEXT_SHIFT) | term number: one sort for all of a post's
_PLANE = 0x10000


@dataclass(frozen=True)
class KeyedTerms:
    """A text's term counts: Latin tokens by string (`words`), the terms of one or two other
    characters by number (`keys`, uint64, ascending, with `counts`, uint32, as bytes)."""

    words: dict[str, int]
    keys: bytes
    counts: bytes
    total: int
    """The sum of all counts (the text's field length)."""

    def as_dict(self) -> dict[str, int]:
        """The same counts as `analysis.terms` gives them (tests, checks)."""
        import numpy as np

        found = dict(self.words)
        keys = np.frombuffer(self.keys, dtype=np.uint64).tolist()
        counts = np.frombuffer(self.counts, dtype=np.uint32).tolist()
        found.update(zip(key_strings(keys), counts, strict=True))
        return found


def key_strings(keys: Sequence[int] | npt.NDArray[np.uint64]) -> list[str]:
    """The term each number stands for: their code points laid out with a newline after each
    (no term has one: a newline is whitespace), decoded and split in one piece each, not a
    string made per term in Python (a segment writer asks for every keyed term it holds at
    every spill)."""
    import numpy as np

    values = np.asarray(keys, dtype=np.uint64)
    if not len(values):
        return []
    points = np.full((len(values), 3), ord("\n"), dtype=np.uint32)
    points[:, 0] = values >> np.uint64(SHIFT)
    points[:, 1] = values & np.uint64((1 << SHIFT) - 1)
    laid_out = points.ravel()
    text: str = laid_out[laid_out != 0].tobytes().decode("utf-32-le")  # 0: no second one
    return text.split("\n")[:-1]


def sorted_counts(
    values: npt.NDArray[np.uint64],
) -> tuple[npt.NDArray[np.uint64], npt.NDArray[np.int64]]:
    """The distinct `values`, ascending, with how many times each occurs (np.unique with
    return_counts, by one sort: numpy's own unique can be slower by far)."""
    import numpy as np

    ordered = np.sort(values)
    if not len(ordered):
        return ordered, np.zeros(0, dtype=np.int64)
    firsts = np.flatnonzero(np.concatenate(([True], ordered[1:] != ordered[:-1])))
    return ordered[firsts], np.diff(np.append(firsts, len(ordered)))


def ranked_keys(
    values: npt.NDArray[np.uint64],
) -> tuple[npt.NDArray[np.uint64], npt.NDArray[np.int64], npt.NDArray[np.uint32]]:
    """The distinct `values`, ascending, how many times each occurs, and each value's place
    among them (np.unique with return_counts and return_inverse, by one stable argsort: a
    sort and a search of every value again cost twice that)."""
    import numpy as np

    if not len(values):
        return values[:0], np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.uint32)
    order = np.argsort(values, kind="stable")
    ordered = values[order]
    first = np.empty(len(ordered), dtype=np.bool_)
    first[0] = True
    np.not_equal(ordered[1:], ordered[:-1], out=first[1:])
    starts = np.flatnonzero(first)
    distinct = ordered[starts]
    del ordered
    places = np.empty(len(values), dtype=np.uint32)
    places[order] = np.cumsum(first, dtype=np.uint32) - np.uint32(1)
    return distinct, np.diff(np.append(starts, len(values))), places


@cache
def _tables() -> tuple[npt.NDArray[np.bool_], npt.NDArray[np.bool_]]:
    """For each code point of the Basic Multilingual Plane: whether it is a term of its own
    (not whitespace, not [0-9a-z]: `analysis._NOT_SINGLE_RE`), and whether it pairs with a
    neighbour (`analysis._PAIRABLE_RUN_RE`: a letter or digit, not _, not [0-9a-z])."""
    import numpy as np

    latin = set(range(ord("0"), ord("9") + 1)) | set(range(ord("a"), ord("z") + 1))
    single = np.array([not (chr(c).isspace() or c in latin) for c in range(_PLANE)], dtype=np.bool_)
    pairable = np.array(
        [chr(c).isalnum() and c not in latin for c in range(_PLANE)], dtype=np.bool_
    )
    return single, pairable


def keyed_terms(lows: list[str]) -> list[KeyedTerms | dict[str, int]]:
    """The terms of each of the lowercased texts `lows` (as `analysis.terms` counts them):
    KeyedTerms, or a dict from `terms` when the post has a character this does not read."""
    import numpy as np

    joined = "\n".join(lows)  # a newline: no term, and no pair across two texts
    try:
        points = np.frombuffer(joined.encode("utf-32-le"), dtype=np.uint32)
    except UnicodeEncodeError:  # a lone surrogate
        return [terms(low) for low in lows]
    if len(points) and (int(points.max()) >= _PLANE or not points.all()):
        return [terms(low) for low in lows]
    single, pairable = _tables()
    sizes = np.fromiter(map(len, lows), dtype=np.int64, count=len(lows)) + 1
    text_of = np.repeat(np.arange(len(lows), dtype=np.uint64), sizes)[: len(points)]
    wide = points.astype(np.uint64)
    paired = pairable[points]
    at = np.flatnonzero(paired[:-1] & paired[1:])
    alone = np.flatnonzero(single[points])
    numbers = np.concatenate(
        (
            (text_of[alone] << np.uint64(_TEXT_SHIFT)) | (wide[alone] << np.uint64(SHIFT)),
            (text_of[at] << np.uint64(_TEXT_SHIFT)) | (wide[at] << np.uint64(SHIFT)) | wide[at + 1],
        )
    )
    found, counts = sorted_counts(numbers)
    bounds = np.searchsorted(
        found, np.arange(len(lows) + 1, dtype=np.uint64) << np.uint64(_TEXT_SHIFT)
    ).tolist()
    # each text's keys and counts: slices of one bytes object each (not two arrays sliced
    # and copied out per text), and its keyed terms' total from the running sum at its bounds
    key_bytes = (found & np.uint64((1 << _TEXT_SHIFT) - 1)).tobytes()
    count_bytes = counts.astype(np.uint32).tobytes()
    running = np.concatenate(([0], np.cumsum(counts, dtype=np.int64)))[bounds]
    keyed_totals = np.diff(running).tolist()
    result: list[KeyedTerms | dict[str, int]] = []
    for index, low in enumerate(lows):
        start, end = bounds[index], bounds[index + 1]
        words: dict[str, int] = {}
        _count_elements(words, ALNUM_RE.findall(low))
        total = sum(words.values()) + keyed_totals[index]
        result.append(
            KeyedTerms(
                words, key_bytes[8 * start : 8 * end], count_bytes[4 * start : 4 * end], total
            )
        )
    return result
