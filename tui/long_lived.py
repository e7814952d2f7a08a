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
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


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
