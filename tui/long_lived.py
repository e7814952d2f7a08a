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

While keys keep coming, the pass due after LONGEST_S runs just after a frame has been
drawn (`frame_drawn`: FRAME_GAP_S later, once the frame is out, if no key came since): between
a key's answer and the next key, not during one. Its cost is what was made since the last
pass, live or garbage (a key's styles, strips and rows): 10-35 ms after 3 s of keys at 5,000
posts. Only if no frame comes for HELD_LONGEST_S (keys that change nothing) does it run on
the tick, wherever it falls.
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
#: A full collection due while keys come waits this long after a frame (for it to be out).
FRAME_GAP_S = 0.005
#: ... or runs on the tick when no frame came for this long (keys that change nothing).
HELD_LONGEST_S = 10.0
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

    def _due(self) -> bool:
        """As many young passes as Python would have waited for ran since the last full one
        (and collections are not paused: a worker is making a mass of long-lived objects)."""
        return gc.isenabled() and gc.get_count()[2] >= self._thresholds[2]

    def _collect(self) -> bool:
        gc.collect()
        self._last_full = self._clock()
        return True

    def tick(self) -> bool:
        """Run a full collection if one is due and the reader is idle (or none ran for
        HELD_LONGEST_S); True if it ran."""
        if not self._due():
            return False
        now = self._clock()
        if now - self._last_input < IDLE_S and now - self._last_full < HELD_LONGEST_S:
            return False
        return self._collect()

    def frame_drawn(self) -> Callable[[], bool] | None:
        """A frame was drawn: if a full collection is due and none ran for LONGEST_S, what
        to call FRAME_GAP_S later (it runs unless a key or a click came in between)."""
        if not self._due() or self._clock() - self._last_full < LONGEST_S:
            return None
        drawn_after = self._last_input

        def after_frame() -> bool:
            if self._last_input != drawn_after or not self._due():
                return False
            return self._collect()

        return after_frame
