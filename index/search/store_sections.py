"""The side store's reads of section paths: the units of the sections a `section:` filter
names, through the units_section index (issue 14). A part of `Store` (index/search/store.py),
kept apart so each module stays small."""

from __future__ import annotations

import sqlite3
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt


def _int_list(text: str | None) -> npt.NDArray[np.int64]:
    """The integers of SQLite's group_concat ("1,2,3"; None: none), parsed in C (numpy is
    imported here: the reader's lists never need it)."""
    import numpy as np

    if not text:
        return np.zeros(0, dtype=np.int64)
    return np.fromstring(text, dtype=np.int64, sep=",")


def _concatenate(parts: list[npt.NDArray[np.int64]]) -> npt.NDArray[np.int64]:
    import numpy as np

    return np.concatenate(parts)


class SectionReads:
    """Reads of `units` by section path; `Store` provides the connection."""

    db: sqlite3.Connection

    def uids_in_section(self, text: str) -> npt.NDArray[np.int64]:
        """Units whose section path contains `text` (case-insensitive), as an array. Through
        the units_section index: its few distinct section paths, one seek each, then the
        units of those that match (without the index, one scan of every unit)."""
        low = text.lower()
        if not self._has_index("units_section"):
            (found,) = self.db.execute(  # one string, not a row per unit (sections are broad)
                "SELECT group_concat(uid) FROM units WHERE instr(section_low, ?) > 0", (low,)
            ).fetchone()
            return _int_list(found)
        parts = [
            _int_list(
                self.db.execute(
                    "SELECT group_concat(uid) FROM units WHERE section_low = ?", (section,)
                ).fetchone()[0]
            )
            for section in self._sections()
            if low in section
        ]
        if len(parts) == 1:
            return parts[0]
        return _int_list(None) if not parts else _concatenate(parts)

    def _sections(self) -> list[str]:
        """Every distinct section path (lowercased), read one index seek at a time (the seeks
        run inside SQLite: a recursive query)."""
        rows = self.db.execute(
            "WITH RECURSIVE seen(section) AS ("
            " SELECT min(section_low) FROM units"
            " UNION ALL"
            " SELECT (SELECT min(section_low) FROM units WHERE section_low > seen.section)"
            " FROM seen WHERE seen.section IS NOT NULL"
            ") SELECT section FROM seen WHERE section IS NOT NULL"
        ).fetchall()
        return [section for (section,) in rows]

    def _has_index(self, name: str) -> bool:
        row = self.db.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'index' AND name = ?", (name,)
        ).fetchone()
        return row is not None
