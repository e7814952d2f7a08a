"""The reader's memory, headless: read marks, stars with notes, saved searches, launches,
settings and the watchlist in one SQLite file under the user data folder, keyed by a post's
path relative to its root and an item's id (never by the root, so a moved archive keeps them).
"""

from __future__ import annotations

from .marks import ReadState
from .store import SavedSearch, Star, StateError, StateStore, default_state_path

__all__ = [
    "ReadState",
    "SavedSearch",
    "Star",
    "StateError",
    "StateStore",
    "default_state_path",
]
