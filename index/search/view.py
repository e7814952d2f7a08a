"""Reading the Whoosh index in bulk: `IndexView`, one generation's postings and columns.

Whoosh's matchers deliver one posting per Python call; search needs whole posting lists (to
intersect them as sets) and whole columns (uid, pid, date, field lengths), so this reads
posting blocks and column bytes directly. Deleted documents are skipped everywhere.
"""

from __future__ import annotations

import struct
from array import array
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from . import lean_whoosh  # noqa: F401  # before any Whoosh module (see there)

# isort: split
from whoosh.columns import NumericColumn

from .segments import DAY_COLUMN, PID_COLUMN, UID_COLUMN
from .term_table import MappedTerms
from .update_view import column_part

if TYPE_CHECKING:  # numpy is imported by the methods search uses, not by an update's
    import numpy as np
    import numpy.typing as npt

    from .arrays import Counts, DocIds, DocMask
    from .columns import Columns

_BYTE_TO_LENGTH: list[int] | None = None
#: How many bytes of decoded posting lists a snapshot keeps for the next queries.
CACHE_BYTES = 64 << 20


def length_table() -> list[int]:
    """The field length each length byte stands for (Whoosh's byte_to_length, as a table)."""
    global _BYTE_TO_LENGTH
    if _BYTE_TO_LENGTH is None:
        from whoosh.util.numeric import byte_to_length

        _BYTE_TO_LENGTH = [byte_to_length(b) for b in range(256)]
    return _BYTE_TO_LENGTH


@dataclass
class _Leaf:
    """One segment as search reads it: its documents are numbered from `base`."""

    reader: Any
    """A whoosh SegmentReader (untyped)."""
    base: int
    count: int
    deleted: frozenset[int]


_Entry = tuple[_Leaf, Any, bytes, Any]
"""A term's entry in one segment: the segment, its terms reader, the packed W3TermInfo and
the segment's postings file mapped."""


class IndexView:
    """A read snapshot of the Whoosh index (one generation), read in bulk.

    Document numbers are the multi-segment ones; deleted documents never appear in postings
    or in `live`, and have uid/pid 0 in the column arrays.
    """

    def __init__(self, ix: Any) -> None:  # a whoosh FileIndex
        self.ix = ix
        self.reader = ix.reader()
        self.generation = ix.latest_generation()
        self._leaves = [  # an empty index has a reader without a segment: no leaves
            _Leaf(r, base, r.doc_count_all(), frozenset(r.segment().deleted_docs()))
            for r, base in self.reader.leaf_readers()
            if r.segment() is not None
        ]
        self.doc_count = self.reader.doc_count()
        self._has_deleted = any(leaf.deleted for leaf in self._leaves)
        self._columns: dict[str, array[int]] = {}
        self._columns_of: Columns | None = None
        self._live: set[int] | None = None
        self._uid_to_doc: dict[int, int] | None = None
        self._length_bytes: dict[str, bytes] = {}
        self._postings_cache: dict[tuple[str, str], tuple[DocIds, Counts]] = {}
        self._range_cache: dict[tuple[str, str, str | None], dict[str, tuple[DocIds, Counts]]] = {}
        self._cached_bytes = 0
        self._live_mask: DocMask | None = None
        self._deleted: dict[int, DocIds] = {}  # a segment's base -> its deleted docs, sorted
        self._mapped = MappedTerms()

    def close(self) -> None:
        self._mapped.close()
        if self._columns_of is not None:
            self._columns_of.close()
        self.reader.close()

    def segment_stats(self) -> list[tuple[str, int, int]]:
        """(segment id, documents, deleted documents) for each segment, in order."""
        return [
            (leaf.reader.segment().segment_id(), leaf.count, len(leaf.deleted))
            for leaf in self._leaves
        ]

    def _column(self, name: str, column: NumericColumn) -> array[int]:
        """A numeric column for every document number (0 for deleted documents)."""
        if name not in self._columns:
            result = array("I")
            for leaf in self._leaves:
                result.extend(column_part(leaf.reader, name, column, leaf.count, leaf.deleted))
            self._columns[name] = result
        return self._columns[name]

    def uids(self) -> array[int]:
        return self._column("uid", UID_COLUMN)

    def pids(self) -> array[int]:
        return self._column("pid", PID_COLUMN)

    def days(self) -> array[int]:
        """The post date (proleptic ordinal) of every document."""
        return self._column("day", DAY_COLUMN)

    @property
    def live(self) -> set[int]:
        """Every live (not deleted) document number."""
        if self._live is None:
            live: set[int] = set()
            for leaf in self._leaves:
                live.update(range(leaf.base, leaf.base + leaf.count))
                live.difference_update(leaf.base + d for d in leaf.deleted)
            self._live = live
        return self._live

    def uid_to_doc(self) -> dict[int, int]:
        if self._uid_to_doc is None:
            self._uid_to_doc = dict(zip(self.uids(), range(len(self.uids())), strict=True))
            self._uid_to_doc.pop(0, None)  # deleted documents have uid 0
        return self._uid_to_doc

    def length_bytes(self, name: str) -> bytes:
        """The length of field `name` of every document as Whoosh stores it: one byte per
        document (`length_table()` turns a byte into a length), 0 for a missing one."""
        raw = self._length_bytes.get(name)
        if raw is None:
            from whoosh.codec.whoosh3 import LENGTHS_COLUMN

            parts: list[bytes] = []
            for leaf in self._leaves:
                perdoc = leaf.reader._perdoc
                column_name = f"_{name}_L"
                part = b""
                if perdoc.has_column(column_name):
                    column = perdoc.column_reader(column_name, LENGTHS_COLUMN)
                    part = column._dbfile.get(column._basepos, column._count)[: leaf.count]
                parts += (part, bytes(leaf.count - len(part)))
            raw = self._length_bytes[name] = b"".join(parts)
        return raw

    def field_lengths(self, name: str) -> list[int]:
        """The length (number of term occurrences) of field `name` for every document."""
        return list(map(length_table().__getitem__, self.length_bytes(name)))

    def average_length(self, name: str) -> float:
        total = sum(leaf.reader.field_length(name) for leaf in self._leaves)
        return total / self.doc_count if self.doc_count else 1.0

    @property
    def size(self) -> int:
        """How many document numbers the snapshot has (deleted ones included)."""
        return sum(leaf.count for leaf in self._leaves)

    def live_mask(self) -> DocMask:
        """The mask of every live document."""
        import numpy as np

        from .arrays import frozen

        if self._live_mask is None:
            mask = np.ones(self.size, dtype=np.bool_)
            for leaf in self._leaves:
                if leaf.deleted:
                    mask[np.array(sorted(leaf.deleted), dtype=np.int64) + leaf.base] = False
            self._live_mask = frozen(mask)
        return self._live_mask

    def column_array(self, name: str) -> npt.NDArray[np.int64]:
        """The column `uid`, `pid` or `day` for every document number (0 for deleted
        documents)."""
        return self._doc_columns().column_array(name)

    def column_values(self, name: str, docs: DocIds) -> npt.NDArray[np.int64]:
        """`column_array(name)[docs]`, reading only the given documents' values."""
        return self._doc_columns().column_values(name, docs)

    def texts(self, docs: Iterable[int]) -> Iterable[tuple[int, str]]:
        """(doc, text) for the given documents, in document order."""
        return self._doc_columns().texts(docs)

    def matching(self, docs: DocIds, test: Callable[[Any, int, int], bool]) -> list[int]:
        """The documents among `docs` (ascending) whose stored text's UTF-8 bytes,
        `data[start:end]`, pass `test(data, start, end)` (see Columns.matching)."""
        return self._doc_columns().matching(docs, test)

    def text(self, doc: int) -> str:
        """The stored text of a unit."""
        for _doc, text in self.texts((doc,)):
            return text
        raise IndexError(doc)

    def _doc_columns(self) -> Columns:
        from .columns import Columns

        if self._columns_of is None:
            self._columns_of = Columns(self._leaves, self.size, self.live_mask)
        return self._columns_of

    def uid_mask(self, uids: npt.NDArray[np.int64]) -> DocMask:
        """The mask of the live documents of the given units (uids of no document are
        ignored)."""
        return self._doc_columns().docs_of_uids(uids)

    def length_array(self, name: str) -> npt.NDArray[np.uint8]:
        """`length_bytes(name)` as an array."""
        import numpy as np

        return np.frombuffer(self.length_bytes(name), dtype=np.uint8)

    def postings(self, name: str, term: str) -> tuple[DocIds, Counts]:
        """Every live document containing `term` in field `name` (ascending) and the term's
        frequency in each."""
        from .arrays import EMPTY_IDS, decode_postings

        key = (name, term)
        cached = self._postings_cache.get(key)
        if cached is not None:
            return cached
        tbytes = term.encode("utf-8")
        found = self._entries(name, tbytes)
        result = self._in_one(found, tbytes) if len(found) > 1 else None
        if result is None:
            parts = [
                self._live_part(leaf, *decode_postings(terms, info, tbytes, postings))
                for leaf, terms, info, postings in found
            ]
            result = self._merged(parts) if parts else (EMPTY_IDS, EMPTY_IDS)
        self._keep(result[0].nbytes + result[1].nbytes)
        self._postings_cache[key] = result
        return result

    def _entries(self, name: str, tbytes: bytes) -> list[_Entry]:
        """The term's entry in each segment that has it: (segment, its terms reader, the
        packed W3TermInfo, its postings file mapped)."""
        from .term_table import term_info

        found: list[_Entry] = []
        for leaf in self._leaves:
            terms = leaf.reader._terms
            table, postings = self._mapped.of(terms)
            info = term_info(terms._tindex, terms._keycoder(name, tbytes), table)
            if info is not None:
                found.append((leaf, terms, info, postings))
        return found

    def _in_one(self, found: list[_Entry], tbytes: bytes) -> tuple[DocIds, Counts] | None:
        """A term's postings in several segments without deleted documents, decoded into
        one pair of arrays, each segment's into its part (no arrays joined afterwards: less
        memory to copy and to touch). None when a segment has deleted documents or its
        blocks do not hold as many postings as its term table says (then decoded apart)."""
        import numpy as np

        from .arrays import decode_postings, doc_count, frozen

        if any(leaf.deleted for leaf, _terms, _info, _postings in found):
            return None
        sizes = [doc_count(info) for _leaf, _terms, info, _postings in found]
        ids = np.empty(sum(sizes), dtype=np.int64)
        weights = np.empty(sum(sizes), dtype=np.int64)
        at = 0
        for (leaf, terms, info, postings), size in zip(found, sizes, strict=True):
            part = (ids[at : at + size], weights[at : at + size])
            decoded = decode_postings(terms, info, tbytes, postings, out=part)
            if decoded[0] is not part[0] or decoded[1] is not part[1]:
                return None
            self._global_ids(leaf, part[0])
            at += size
        return frozen(ids), frozen(weights)

    def _live_part(self, leaf: _Leaf, ids: DocIds, weights: Counts) -> tuple[DocIds, Counts]:
        """A segment's part of a posting list as the snapshot's document numbers, its deleted
        documents out. A segment has few deleted documents, if any: they are looked up in the
        part (one search each) rather than the part in the live mask (a read per posting)."""
        import numpy as np

        ids = self._global_ids(leaf, ids)
        if not leaf.deleted or not len(ids):
            return ids, weights
        gone = self._deleted.get(leaf.base)
        if gone is None:
            gone = self._deleted[leaf.base] = np.array(sorted(leaf.deleted), np.int64) + leaf.base
        if len(gone) * 8 > len(ids):
            alive = np.flatnonzero(self.live_mask()[ids])  # (places: see arrays.select)
            return ids[alive], weights[alive]
        at = np.searchsorted(ids, gone)
        inside = at < len(ids)
        at = at[inside]
        drop = at[ids[at] == gone[inside]]
        if not len(drop):
            return ids, weights
        keep = np.ones(len(ids), dtype=np.bool_)
        keep[drop] = False
        return ids[keep], weights[keep]

    def postings_to_read(self, name: str, term: str) -> int:
        """How many postings `postings(name, term)` would decode (0: none, or they are
        decoded already): the term's document counts in its segments' term tables."""
        from .arrays import doc_count

        if (name, term) in self._postings_cache:
            return 0
        return sum(
            doc_count(info)
            for _leaf, _terms, info, _postings in self._entries(name, term.encode("utf-8"))
        )

    def _global_ids(self, leaf: _Leaf, ids: DocIds) -> DocIds:
        """A segment's document numbers as the snapshot's (checked: a damaged block must not
        name a document of another segment). In place: `ids` were just decoded for this (a
        new array would be new memory to touch, in a process that searches once)."""
        if len(ids) and (int(ids[0]) < 0 or int(ids[-1]) >= leaf.count):  # ids ascend
            raise ValueError("a posting names a document outside its segment")
        if leaf.base:
            ids += leaf.base
        return ids

    def terms_between(
        self, name: str, low: str, high: str | None = None, limit: int | None = None
    ) -> list[str]:
        """Terms of field `name` from `low` on, while they start with `low` (high None) or
        are <= `high`; at most `limit` of them (None: all - what decides results must never
        be cut, or a NOT and a total would be wrong)."""
        found: set[str] = set()
        lbytes = low.encode("utf-8")
        hbytes = None if high is None else high.encode("utf-8")
        for leaf in self._leaves:
            for fieldname, tbytes in leaf.reader._terms.terms_from(name, lbytes):
                if fieldname != name:
                    break
                if hbytes is None and not tbytes.startswith(lbytes):
                    break
                if hbytes is not None and tbytes > hbytes:
                    break
                found.add(tbytes.decode("utf-8"))
                if limit is not None and len(found) >= limit:
                    break
        return sorted(found)

    def union_terms(
        self,
        name: str,
        low: str,
        high: str | None = None,
        accept: Callable[[bytes], bool] | None = None,
        ending: bytes = b"",
    ) -> DocMask:
        """Every live document with a term of field `name` from `low` on, while the terms
        start with `low` (high None) or are <= `high` (and pass `accept`, if given): the
        union of their postings, read in one walk along the term table."""
        import numpy as np

        found = np.zeros(self.size, dtype=np.bool_)
        for ids, _weights in self.range_postings(name, low, high, accept, ending).values():
            found[ids] = True
        return found

    def range_postings(
        self,
        name: str,
        low: str,
        high: str | None = None,
        accept: Callable[[bytes], bool] | None = None,
        ending: bytes = b"",
    ) -> dict[str, tuple[DocIds, Counts]]:
        """`postings` of every term of field `name` from `low` on, while the terms start
        with `low` (high None) or are <= `high` (and pass `accept`, if given), read in one
        walk along each segment's term table (a term whose documents are all deleted is
        there too, with none). With `ending` (and `high`), only the terms ending with those
        bytes are looked at, found by array operations (term_table.py)."""
        from .arrays import decode_postings

        key = (name, low, high)
        cached = self._range_cache.get(key) if accept is None and not ending else None
        if cached is not None:
            return cached
        parts: dict[str, list[tuple[DocIds, Counts]]] = {}
        lbytes = low.encode("utf-8")
        hbytes = None if high is None else high.encode("utf-8")
        for leaf in self._leaves:
            terms = leaf.reader._terms
            postings = self._mapped.of(terms)[1]  # blocks read from the mapped file
            start = terms._keycoder(name, lbytes)
            field = start[:2]
            if ending and hbytes is not None:  # only the terms ending so (term_table.py)
                from .term_table import items_ending

                records = items_ending(terms._tindex, start, field + hbytes, ending)
            else:
                records = _items_from(terms._tindex, start)
            for record, info in records:
                if record[:2] != field:
                    break
                tbytes = record[2:]
                if hbytes is None and not tbytes.startswith(lbytes):
                    break
                if hbytes is not None and tbytes > hbytes:
                    break
                if accept is not None and not accept(tbytes):
                    continue
                parts.setdefault(tbytes.decode("utf-8"), []).append(
                    self._live_part(leaf, *decode_postings(terms, info, tbytes, postings))
                )
        result = {term: self._merged(found) for term, found in parts.items()}
        if accept is None and not ending:
            self._keep(sum(ids.nbytes + weights.nbytes for ids, weights in result.values()))
            self._range_cache[key] = result
        return result

    def _merged(self, parts: list[tuple[DocIds, Counts]]) -> tuple[DocIds, Counts]:
        """One posting list from the live parts of consecutive segments (`_live_part`)."""
        import numpy as np

        from .arrays import frozen

        if len(parts) == 1:
            ids, weights = parts[0]
        else:
            ids = np.concatenate([ids for ids, _weights in parts])
            weights = np.concatenate([weights for _ids, weights in parts])
        return frozen(ids), frozen(weights)

    def _keep(self, size: int) -> None:
        """Count `size` more bytes of kept posting lists; past CACHE_BYTES, forget them all."""
        self._cached_bytes += size
        if self._cached_bytes > CACHE_BYTES:
            self._postings_cache.clear()
            self._range_cache.clear()
            self._cached_bytes = size

    def expand_prefix(self, name: str, prefix: str, limit: int | None = None) -> list[str]:
        """Terms of field `name` starting with `prefix` (all of them, or at most `limit`)."""
        return self.terms_between(name, prefix, None, limit)


_RECORD = struct.Struct("!ii")  # a term table record: key length, value length, key, value
_CHUNK = 1 << 16


def _items_from(table: Any, key: bytes) -> Iterator[tuple[bytes, bytes]]:
    """(key, value) of the records of a Whoosh OrderedHashReader from `key` on, in order,
    read in large chunks (Whoosh reads each record with three seeks and reads)."""
    position = table.closest_key_pos(key)
    if position is None:
        return
    end = table.endofdata
    dbfile = table.dbfile
    size = _RECORD.size
    while position < end:
        chunk = dbfile.get(position, min(_CHUNK, end - position))
        at = 0
        while at + size <= len(chunk):
            key_length, value_length = _RECORD.unpack_from(chunk, at)
            stop = at + size + key_length + value_length
            if stop > len(chunk):
                break
            start = at + size + key_length
            yield chunk[at + size : start], chunk[start:stop]
            at = stop
        if at == 0:  # one record longer than a chunk
            key_length, value_length = _RECORD.unpack(dbfile.get(position, size))
            start = position + size + key_length
            yield dbfile.get(position + size, key_length), dbfile.get(start, value_length)
            at = size + key_length + value_length
        position += at
