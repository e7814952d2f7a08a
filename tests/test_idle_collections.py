"""Full garbage collections wait for the reader to pause (tui/long_lived.FullCollections):
a key never pays for a pass over everything, and garbage is still freed."""

from __future__ import annotations

import gc
import weakref
from collections.abc import Iterator

import pytest
from digest_tui.tui.long_lived import (
    FRAME_GAP_S,
    HELD_LONGEST_S,
    IDLE_S,
    LONGEST_S,
    FullCollections,
)


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


@pytest.fixture
def running() -> Iterator[tuple[Clock, FullCollections]]:
    """Full collections started on a clock the test moves; stopped after it."""
    clock = Clock()
    collections = FullCollections(clock)
    collections.start()
    try:
        yield clock, collections
    finally:
        collections.stop()


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
    running: tuple[Clock, FullCollections],
) -> None:
    clock, collections = running
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


def test_a_held_key_gets_its_full_pass_just_after_a_frame(
    full_passes: list[int], running: tuple[Clock, FullCollections]
) -> None:
    """Keys every 0.1 s, each answered by a frame: the pass due after LONGEST_S runs in the
    gap after a frame (never from the tick while keys come), and not if a key came first."""
    clock, collections = running
    gone = old_garbage()
    young_garbage(300_000)
    full_passes.clear()
    ran_after: list[float] = []
    for _ in range(int(LONGEST_S / 0.1) + 5):
        clock.now += 0.1
        collections.input_came()
        assert not collections.tick(), "never on the tick while keys come"
        clock.now += 0.03  # the key's frame
        after_frame = collections.frame_drawn()
        if after_frame is not None:
            clock.now += FRAME_GAP_S
            if after_frame():
                ran_after.append(clock.now)
    assert gone() is None and 2 in full_passes
    assert len(ran_after) == 1, "one pass: the next is not due yet"
    young_garbage(300_000)
    clock.now += LONGEST_S
    after_frame = collections.frame_drawn()
    assert after_frame is not None
    collections.input_came()  # a key came before the gap's end: the pass waits
    assert not after_frame()


def test_keys_that_draw_nothing_still_get_a_full_pass_now_and_then(
    full_passes: list[int],
    running: tuple[Clock, FullCollections],
) -> None:
    clock, collections = running
    gone = old_garbage()
    young_garbage(300_000)
    for _ in range(int(HELD_LONGEST_S / 0.1) + 2):  # a key every 0.1 s, no frame
        clock.now += 0.1
        collections.input_came()
        collections.tick()
    assert gone() is None and 2 in full_passes


def test_python_s_thresholds_come_back_when_the_reader_ends() -> None:
    before = gc.get_threshold()
    collections = FullCollections()
    collections.start()
    assert gc.get_threshold()[:2] == before[:2]
    collections.stop()
    assert gc.get_threshold() == before
