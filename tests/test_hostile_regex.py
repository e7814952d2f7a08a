"""Hostile archives, round two: every pattern family that runs on post text is linear (issue
12, point 1). Each family's adversarial input is timed at two sizes, 4x apart; the time may
grow about 4x, never 16x (quadratic). A ratio between sizes, not a wall-clock limit, so a slow
or busy machine does not fail it; the best of a few runs, so one hiccup does not either."""

from __future__ import annotations

import gc
import time
from collections.abc import Callable

import pytest
from digest_tui.index.parse.impacts import clean_target
from digest_tui.index.parse.post import parse_text
from digest_tui.index.sanitize import clean, clean_line, for_search
from digest_tui.index.search.analysis import lower, phrase_matcher, terms, word_matcher
from digest_tui.tui.detail.document import wrap_offsets
from regex_families import FAMILIES

#: Sizes start here and double until one run takes long enough to time reliably.
START, ENOUGH_S, MAX_SIZE = 1_000, 0.02, 64_000
#: 4x the input may take at most this many times as long (linear: ~4, quadratic: ~16).
MAX_RATIO = 8.0

pytestmark = pytest.mark.timeout(300)


def _best(run: Callable[[], object], number: int = 1, enough: float = float("inf")) -> float:
    """The shortest of 5 timings of `number` runs (stopping once one is longer than `enough`),
    without the garbage collector, whose pauses are noise here."""
    times: list[float] = []
    gc.disable()
    try:
        for _ in range(5):
            started = time.perf_counter()
            for _ in range(number):
                run()
            times.append(time.perf_counter() - started)
            if times[-1] > enough:
                break
    finally:
        gc.enable()
    return min(times)


def _ratio(make: Callable[[int], object], run: Callable[[object], object]) -> float:
    """How much longer 4x the input takes; measured again once when it looks too long (a busy
    machine), since a quadratic shape is too long every time."""
    first = _measure(make, run)
    return first if first < MAX_RATIO else min(first, _measure(make, run))


def _measure(make: Callable[[int], object], run: Callable[[object], object]) -> float:
    """How much longer 4x the input takes, at a size (and a number of runs per timing, as
    timeit does) where a timing is long enough to be reliable."""
    size, number = START, 1
    run(make(size))  # warm up (compiled patterns, character tables)
    small_input = make(size)
    while (small := _best(lambda: run(small_input), number)) < ENOUGH_S:  # noqa: B023
        if size < MAX_SIZE:
            size *= 2
            small_input = make(size)
        else:
            number *= 2
    large_input = make(4 * size)
    large = _best(lambda: run(large_input), number, enough=small * MAX_RATIO * 2)
    return large / small


@pytest.mark.parametrize("family", sorted(FAMILIES))
def test_parsing_a_post_grows_linearly_with_each_adversarial_shape(family: str) -> None:
    _what, make = FAMILIES[family]
    ratio = _ratio(make, lambda text: parse_text(str(text), root="/r", path="2026-01-05-a.md"))
    assert ratio < MAX_RATIO, f"{family}: 4x the input took {ratio:.1f}x as long"


SHAPES: dict[str, tuple[Callable[[int], object], Callable[[object], object]]] = {
    "clean_target spaces": (lambda n: "黄金" + " " * n + "x", lambda t: clean_target(str(t))),
    "clean_target filler": (lambda n: "黄金" + "将会" * n + "x", lambda t: clean_target(str(t))),
    "clean_target symbols": (lambda n: "黄金" + "—" * n + "x", lambda t: clean_target(str(t))),
    "clean_target bracket": (
        lambda n: "黄金" + " " * n + "（短期）x",
        lambda t: clean_target(str(t)),
    ),
    "sanitizer": (
        lambda n: "\u200b\u200d❤️\t\u2028\U000e0041\u202e黄金" * (n // 10),
        lambda t: (clean(str(t)), clean_line(str(t)), for_search(str(t))),
    ),
    "index terms": (lambda n: "黄金 gpt-5.5 " * (n // 12), lambda t: terms(lower(str(t)))),
    "phrase gaps": (
        lambda n: ("美联储" + " ，" * 50) * (n // 103) + "降息",
        lambda t: phrase_matcher("美联储 降息").search(str(t)),  # type: ignore[union-attr]
    ),
    "latin token": (lambda n: "gpt-" * (n // 4), lambda t: word_matcher("gpt-5").search(str(t))),
    "wrap long word": (lambda n: "x" * n, lambda t: wrap_offsets(str(t), 40)),
    "wrap blanks": (lambda n: "黄" + " " * n + "金", lambda t: wrap_offsets(str(t), 40)),
}


@pytest.mark.parametrize("shape", sorted(SHAPES))
def test_each_pattern_family_grows_linearly(shape: str) -> None:
    make, run = SHAPES[shape]
    ratio = _ratio(make, run)
    assert ratio < MAX_RATIO, f"{shape}: 4x the input took {ratio:.1f}x as long"
