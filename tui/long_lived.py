"""Long-lived data kept out of the garbage collector's full passes.

The reader holds tens of thousands of objects for as long as it runs (5,000 posts and their
rows, the read marks, the market's stance rows). CPython's full collection walks them all:
at 5,000 posts one pass took 75-100 ms, on a key press that happened to trigger it (several
times that on a busy machine). Once such data is loaded it is frozen (`gc.freeze`): later
passes look only at what was made since. Frozen objects are still freed when nothing refers
to them (reference counting); only a cycle that was already garbage at the freeze would stay,
so freezes happen only when such data arrives (a new listing, a fresh read-state snapshot, the
market's rows, the filters worked out ahead): a few times per launch and per archive change,
never per key.

Freezing leaves the rest: what Textual and the panes make as the reader runs (styles, strips,
widgets). At 5,000 posts a full pass over it took 20-50 ms about once a second, on whatever
key it fell. `FullCollections` moves the full passes to when the reader is idle: the
generation-2 threshold is raised out of reach, and a timer runs the pass once the keys and
the mouse have been quiet for IDLE_S (or when none has run for LONGEST_S, so a held key
cannot grow memory without bound). The young generations are collected as before.

A pass that runs while keys come (LONGEST_S) does fall on a key. Its cost is what was made
since the last pass, live or garbage (a key's styles, strips and rows): after 10 s of keys at
5,000 posts it took about 75 ms (200 ms on a loaded machine), the slowest press of a round;
after 3 s of keys, 10-40 ms.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

#: How long the keys and the mouse must have been quiet before a full collection runs.
IDLE_S = 0.5
#: A full collection runs after this long without one, quiet or not.
LONGEST_S = 3.0
#: How often the reader looks whether a full collection is due.
TICK_S = 0.25
_OUT_OF_REACH = 1 << 30


def keep_out_of_collections() -> None:
    """Freeze every object alive now (see the module's doc)."""
    gc.freeze()


@contextmanager
def collections_paused() -> Iterator[None]:
    """No collection while the block makes a mass of long-lived objects (a worker reading
    50,000 posts): each full pass would walk them all holding the GIL, and so hold up the UI
    thread, several times over; freeze them (`keep_out_of_collections`) before it ends."""
    paused = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if paused:
            gc.enable()


class FullCollections:
    """Full garbage collections run when the reader is idle, never on a key (module doc).
    `start` when the app mounts, `input_came` on every key and mouse event, `tick` every
    TICK_S, `stop` when it ends (Python's thresholds back)."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._thresholds = gc.get_threshold()
        self._last_input = self._last_full = clock()

    def start(self) -> None:
        self._thresholds = gc.get_threshold()
        young, middle, _full = self._thresholds
        gc.set_threshold(young, middle, _OUT_OF_REACH)

    def stop(self) -> None:
        gc.set_threshold(*self._thresholds)

    def input_came(self) -> None:
        self._last_input = self._clock()

    def tick(self) -> bool:
        """Run a full collection if one is due (as many young passes as Python would have
        waited for) and the reader is idle, or none ran for LONGEST_S; True if it ran. Not
        while collections are paused (a worker is making a mass of long-lived objects)."""
        if not gc.isenabled() or gc.get_count()[2] < self._thresholds[2]:
            return False
        now = self._clock()
        if now - self._last_input < IDLE_S and now - self._last_full < LONGEST_S:
            return False
        gc.collect()
        self._last_full = self._clock()
        return True
