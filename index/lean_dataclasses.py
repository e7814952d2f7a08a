"""Importing `dataclasses` without loading `inspect`, which it needs for one rare case.

`dataclasses` imports `inspect` when it is imported, for a single call: `inspect.signature`,
made only for a dataclass without a docstring (to write one from its fields). `inspect` loads
`ast`, `dis`, `tokenize` and `linecache` with it: 35M instructions measured with callgrind,
4% of a one-post `digest-tui index`, for a call that no class of the index makes (each has a
docstring).

Importing this module first imports `dataclasses` with a stand-in for `inspect` in
`sys.modules`: a `LaterModule`, which imports the real `inspect` the first time one of its
names is used. The stand-in is taken out of `sys.modules` at once, so anything importing
`inspect` later gets the real module, as with lean_whoosh.py.
Import it before anything imports `dataclasses` (startup_cache.py, the command line's first
import, does).
"""

from __future__ import annotations

import sys

from .later_module import LaterModule


def load() -> None:
    """Import `dataclasses` with the stand-in (a no-op when it or `inspect` is imported)."""
    if "dataclasses" in sys.modules or "inspect" in sys.modules:
        return
    stand_in = LaterModule("inspect")
    sys.modules["inspect"] = stand_in
    try:
        import dataclasses  # noqa: F401
    finally:
        if sys.modules.get("inspect") is stand_in:
            del sys.modules["inspect"]


load()
