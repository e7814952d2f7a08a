"""Full garbage collections wait for the reader to pause (tui/long_lived.FullCollections):
a key never pays for a pass over everything, and garbage is still freed."""

from __future__ import annotations

import gc
import weakref
from collections.abc import Iterator

import pytest
from digest_tui.tui.long_lived import IDLE_S, LONGEST_S, FullCollections


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


class Cycle:
    def __init__(self) -> None:
        self.me = self


@pytest.fixture
def full_passes() -> Iterator[list[int]]:
    """The generations of the collections that run while the test does."""
    seen: list[int] = []

    def record(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            seen.append(info["generation"])

    thresholds = gc.get_threshold()
    gc.callbacks.append(record)
    try:
        yield seen
    finally:
        gc.callbacks.remove(record)
        gc.set_threshold(*thresholds)


def old_garbage() -> weakref.ref[Cycle]:
    """A cycle made old, then let go: only a full pass can free it."""
    first = Cycle()
    gone = weakref.ref(first)
    gc.collect()  # `first` survives it: now in the oldest generation
    del first
    return gone


def young_garbage(count: int) -> None:
    """As much as many keys' work makes: objects that live a while (past the young passes),
    then become garbage. With Python's own thresholds this runs full passes (3 here)."""
    kept = [Cycle() for _ in range(count)]
    del kept


def test_no_full_pass_while_keys_come_and_the_garbage_is_freed_at_the_pause(
    full_passes: list[int],
) -> None:
    clock = Clock()
    collections = FullCollections(clock)
    collections.start()
    try:
        gone = old_garbage()
        full_passes.clear()  # (the one that made the cycle old)
        young_garbage(300_000)
        collections.input_came()
        clock.now += IDLE_S / 2
        assert not collections.tick()  # a key came just now: not yet
        assert 2 not in full_passes
        assert gone() is not None
        clock.now += IDLE_S
        assert collections.tick()  # quiet for IDLE_S: the full pass runs
        assert gone() is None
    finally:
        collections.stop()


def test_a_held_key_still_gets_a_full_pass_now_and_then(full_passes: list[int]) -> None:
    clock = Clock()
    collections = FullCollections(clock)
    collections.start()
    try:
        gone = old_garbage()
        young_garbage(300_000)
        for _ in range(int(LONGEST_S / 0.1)):  # a key every 0.1 s for LONGEST_S
            clock.now += 0.1
            collections.input_came()
            collections.tick()
        assert gone() is None and 2 in full_passes
    finally:
        collections.stop()


def test_python_s_thresholds_come_back_when_the_reader_ends() -> None:
    before = gc.get_threshold()
    collections = FullCollections()
    collections.start()
    assert gc.get_threshold()[:2] == before[:2]
    collections.stop()
    assert gc.get_threshold() == before
