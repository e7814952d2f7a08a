"""What an update reads of the index it writes: `SegmentsView`.

An update needs the segments (to choose what to merge), the uid of every document (to delete
a changed post's units) and, for the segments it merges, their dates and texts: a few columns,
no postings. This reads them straight from Whoosh's column files, without what search needs
(view.py and its bulk posting readers, and whatever they import), so adding one post loads
only the writer's side of the index.
"""

from __future__ import annotations

import sys
from array import array
from typing import TYPE_CHECKING, Any

from .segments import DAY_COLUMN, TEXT_COLUMN, UID_COLUMN

if TYPE_CHECKING:  # Whoosh is imported through segments (lean_whoosh first)
    from whoosh.columns import NumericColumn


def column_part(
    reader: Any, name: str, column: NumericColumn, count: int, deleted: frozenset[int]
) -> array[int]:
    """One segment's numeric column `name` (its leaf `reader`), one value per document number
    (0 for the deleted ones and where the column ends early), read straight from the file."""
    perdoc = reader._perdoc
    part = array("I")
    if perdoc.has_column(name):
        column_reader = perdoc.column_reader(name, column)
        part.frombytes(column_reader._dbfile.get(column_reader._basepos, column_reader._count * 4))
        if sys.byteorder == "little":
            part.byteswap()  # Whoosh writes them big-endian
    part.extend([0] * (count - len(part)))
    for docnum in deleted:
        part[docnum] = 0
    return part


class SegmentsView:
    """One generation of the Whoosh index, as an update reads it. Document numbers are the
    multi-segment ones (segment after segment, as Whoosh numbers them); deleted documents
    have uid 0 in `uids`."""

    def __init__(self, ix: Any) -> None:  # a whoosh FileIndex
        self.ix = ix
        self.reader = ix.reader()
        self.generation: int = ix.latest_generation()
        self._leaves: list[tuple[Any, int, int, frozenset[int]]] = [
            (reader, base, reader.doc_count_all(), frozenset(reader.segment().deleted_docs()))
            for reader, base in self.reader.leaf_readers()
            if reader.segment() is not None  # an empty index has a reader without a segment
        ]
        self._columns: dict[str, array[int]] = {}
        self._uid_to_doc: dict[int, int] | None = None
        self._texts: dict[int, Any] = {}
        """Segment base -> its text column reader (opened when a text is read)."""

    def close(self) -> None:
        self.reader.close()

    def segment_stats(self) -> list[tuple[str, int, int]]:
        """(segment id, documents, deleted documents) for each segment, in order."""
        return [
            (reader.segment().segment_id(), count, len(deleted))
            for reader, _base, count, deleted in self._leaves
        ]

    def _column(self, name: str, column: NumericColumn) -> array[int]:
        """A numeric column for every document number (0 for deleted documents)."""
        if name not in self._columns:
            result = array("I")
            for reader, _base, count, deleted in self._leaves:
                result.extend(column_part(reader, name, column, count, deleted))
            self._columns[name] = result
        return self._columns[name]

    def uids(self) -> array[int]:
        return self._column("uid", UID_COLUMN)

    def days(self) -> array[int]:
        """The post date (proleptic ordinal) of every document."""
        return self._column("day", DAY_COLUMN)

    def uid_to_doc(self) -> dict[int, int]:
        if self._uid_to_doc is None:
            uids = self.uids()
            self._uid_to_doc = dict(zip(uids, range(len(uids)), strict=True))
            self._uid_to_doc.pop(0, None)  # deleted documents have uid 0
        return self._uid_to_doc

    def text(self, doc: int) -> str:
        """The stored text of a unit."""
        for reader, base, count, _deleted in self._leaves:
            if base <= doc < base + count:
                column = self._texts.get(base)
                if column is None:
                    column = self._texts[base] = reader._perdoc.column_reader("text", TEXT_COLUMN)
                raw: bytes = column[doc - base]
                return raw.decode("utf-8", "replace")
        raise IndexError(doc)
