"""The Whoosh-Reloaded side of the index: schema and a fast segment writer.

Each searchable unit is one Whoosh document with two scored fields, `title` and `body`
(term frequencies, no positions; terms come from `analysis.terms`). Whoosh's generic writer
spends ~7 µs per posting in Python; `UnitWriter` takes the term counts we already computed,
holds its postings (runs.py) and writes each term's posting blocks (or inline postings)
in one go, which is several times faster and writes ordinary Whoosh (W3 codec) segments.
Segments are never merged by Whoosh: compaction re-adds the live units of dropped segments
instead (update.py). Reading is in view.py.

Besides the scored fields, a unit carries filter terms in `facet` (t:tag, c:category,
d:YYYY-MM-DD, a:asset, k:header, j:junction) and columns: uid, pid, day (date ordinal) and its text.
"""

from __future__ import annotations

import struct
from array import array
from collections.abc import Iterable, Mapping
from functools import partial
from hashlib import md5
from itertools import accumulate, chain, repeat
from operator import add
from pathlib import Path
from typing import Any

from . import lean_whoosh  # noqa: F401  # before any Whoosh module (see there)

# isort: split
from whoosh import fields, formats
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, W3Codec
from whoosh.columns import NumericColumn, VarBytesColumn
from whoosh.filedb.filestore import FileStorage
from whoosh.writing import SegmentWriter

from . import safe_pickle
from .analysis import junctions, lower
from .blocks import BLOCK_LIMIT, INLINE_LIMIT, inline_value, length_byte, write_blocks
from .keyed_terms import KeyedTerms
from .runs import Postings, Terms

safe_pickle.install()

UID_COLUMN = NumericColumn("I")
PID_COLUMN = NumericColumn("I")
DAY_COLUMN = NumericColumn("I")
#: Offsets always written: opening the column reads them in one piece (else derived in Python).
TEXT_COLUMN = VarBytesColumn(write_offsets_cutoff=0)
INDEXED_FIELDS = ("body", "facet", "title")
_NUMBERS = {"uid": UID_COLUMN, "pid": PID_COLUMN, "day": DAY_COLUMN}
#: A build writes block terms in batches of about this many postings (bulk_blocks, numpy);
#: fewer (a small update's segment) are written a term at a time in plain Python (blocks).
BULK_POSTINGS = 65_536
_LENGTHS = struct.Struct("!ii")  # whoosh.filedb.filetables: key and value lengths
_POINTER = struct.Struct("!Iq")  # whoosh.filedb.filetables: a hash table slot
#: The largest place each type of Whoosh's GrowableArray holds (beyond: it changes type).
_LARGEST = {"B": 1 << 8, "H": 1 << 16, "i": 1 << 31, "I": 1 << 32, "q": 1 << 63}


def _md5_hash(key: bytes) -> int:
    """whoosh.filedb.filetables.md5_hash: the low 32 bits of the key's MD5."""
    return int.from_bytes(md5(key, usedforsecurity=False).digest()[12:], "big")


class UnitTerms(fields.FieldType):  # type: ignore[misc]  # whoosh is untyped
    """A field whose value is a ready-made {term: frequency} mapping (no analyzer)."""

    def __init__(self) -> None:
        self.format = formats.Frequency()
        self.analyzer = None
        self.scorable = True
        self.stored = False
        self.unique = False
        self.vector = None
        self.column_type = None

    def index(self, value: Mapping[str, int], **kwargs: object) -> Any:
        return ((t.encode("utf-8"), n, float(n), b"") for t, n in value.items())


class FacetTerms(UnitTerms):
    """Filter terms (t:tag, c:category, d:date, a:asset, k:header); not scored."""

    def __init__(self) -> None:
        super().__init__()
        self.format = formats.Existence()
        self.scorable = False


def make_schema() -> fields.Schema:
    return fields.Schema(
        title=UnitTerms(),
        body=UnitTerms(),
        facet=FacetTerms(),
        uid=fields.COLUMN(UID_COLUMN),
        pid=fields.COLUMN(PID_COLUMN),
        day=fields.COLUMN(DAY_COLUMN),
        text=fields.COLUMN(TEXT_COLUMN),
    )


SCHEMA = make_schema()


def codec() -> W3Codec:
    return W3Codec(blocklimit=BLOCK_LIMIT, compression=0)


def create(folder: Path) -> Any:
    """Create an empty Whoosh index in `folder` (which must exist and be empty)."""
    return FileStorage(str(folder)).create_index(SCHEMA)


def open_index(folder: Path) -> Any:
    """Open the Whoosh index in `folder` with our schema (the stored schema is never read)."""
    return FileStorage(str(folder)).open_index(schema=SCHEMA)


class UnitWriter(SegmentWriter):  # type: ignore[misc]  # whoosh is untyped
    """A Whoosh segment writer fed with precomputed term counts, writing postings in bulk.

    `lock=False` is for the workers of a parallel build: each writes its own segment and
    hands it (`finish_segment`) to the parent, which commits them all in one table of contents.
    """

    def __init__(self, ix: Any, *, lock: bool = True) -> None:  # a FileIndex
        super().__init__(ix, codec=codec(), limitmb=16, compound=False, _lk=lock)
        self.ix = ix
        # term -> doc, freq, doc, freq, ... for each indexed field, spilled past a limit
        self._postings = Postings(INDEXED_FIELDS, ix.storage.folder)
        # each unit's length per field: an array, not a list of int objects (a worker holds
        # 450,000 units' at 50,000 posts, and such small long-lived objects pin the memory
        # that spilled postings free)
        self._lengths: dict[str, array[int]] = {name: array("I") for name in INDEXED_FIELDS}
        # the numeric columns' values, written in one piece with the segment (_write_columns)
        self._numbers: dict[str, array[int]] = {name: array("I") for name in _NUMBERS}
        self._text_column: Any = None  # the text column's writer, once the first unit made it

    def add_unit(
        self,
        uid: int,
        pid: int,
        day: int,
        title_terms: Terms,
        body_terms: Terms,
        facets: Iterable[str],
        text: str,
    ) -> None:
        """Add one unit: ids, date (ordinal), term counts of title and text, filter terms
        and the text itself (kept in a column for exact checks and snippets). The text's
        junctions (analysis.junctions) join the filter terms here, where every unit written
        passes (builds, updates, compactions)."""
        docnum = self.docnum
        perdoc = self.perdocwriter
        perdoc.start_doc(docnum)
        postings = self._postings
        held = 0
        for name, counts in (
            ("body", body_terms),
            ("title", title_terms),
            ("facet", dict.fromkeys([*facets, *junctions(lower(text))], 1)),
        ):
            postings.add(name, docnum, counts)
            if isinstance(counts, KeyedTerms):
                held += len(counts.words) + len(counts.keys) // 8
                self._lengths[name].append(counts.total)
            else:
                held += len(counts)
                self._lengths[name].append(sum(counts.values()))
        numbers = self._numbers
        numbers["uid"].append(uid)
        numbers["pid"].append(pid)
        numbers["day"].append(day)
        if self._text_column is None:
            perdoc.add_column_value("text", TEXT_COLUMN, text.encode("utf-8"))
            self._text_column = perdoc._get_column("text")
        else:
            self._text_column.add(docnum, text.encode("utf-8"))
        perdoc.finish_doc()
        self._added = True
        self.docnum += 1
        self._postings.added(held)

    def finish_segment(self) -> Any:  # a whoosh Segment
        """Write the segment without committing a table of contents (parallel builds; the
        temporary folder is shared by the workers and removed by the parent's commit)."""
        segment = self._finalize_segment()
        self.is_closed = True
        return segment

    def _flush_segment(self) -> None:
        self._write_columns()
        self.perdocwriter.close()
        writer = self.fieldwriter
        try:
            self._postings.finish()
            for name in self._postings.fields:
                self._write_field(writer, name)
        finally:
            self._postings.close()
        writer.close()

    def _write_columns(self) -> None:
        """The length columns of title and body and the uid, pid and day columns, each in one
        piece, byte for byte what Whoosh's per-document calls write: each unit's value, none
        after the last that is not the column's default (0), no column at all when every
        length is 0; and the fields' total lengths, in the order Whoosh would have met them."""
        perdoc = self.perdocwriter
        first_seen: list[tuple[int, int, str]] = []
        for order, name in enumerate(("body", "title")):
            lengths = self._lengths[name]
            total = sum(lengths)
            if total:
                first = next(i for i, length in enumerate(lengths) if length)
                first_seen.append((first, order, name))
                self._write_column(f"_{name}_len", LENGTHS_COLUMN, bytes(map(length_byte, lengths)))
        for _first, _order, name in sorted(first_seen):
            perdoc._fieldlengths[name] += sum(self._lengths[name])
        for name, column in _NUMBERS.items():
            values = self._numbers[name]
            if values:
                big_endian = array("I", values)
                if big_endian.itemsize != 4:
                    raise RuntimeError("array('I') is not 4 bytes on this platform")
                big_endian.byteswap()
                self._write_column(name, column, big_endian.tobytes())

    def _write_column(self, name: str, column: Any, data: bytes) -> None:
        """Write a column of fixed-size values (`data`, default values at its end dropped)."""
        perdoc = self.perdocwriter
        if name not in perdoc._colwriters:
            perdoc._create_column(name, column)
        writer = perdoc._colwriters[name]
        size = writer._fixedlen
        default = writer._defaultbytes
        end = len(data)
        while end and data[end - size : end] == default:
            end -= size
        writer._dbfile.write(data[:end])
        writer._count = end // size

    def cancel(self) -> None:
        self._postings.close()
        super().cancel()

    def _write_field(self, writer: Any, name: str) -> None:  # W3FieldWriter
        """Write one field's terms: small posting lists inline in the term table, longer
        ones as blocks in the postings file (in batches: `_TermTable.add_blocks`); both in
        exactly W3's format."""
        terms = self._postings.field_terms(name)
        first = next(terms, None)
        if first is None:
            return
        lengths = self._lengths[name]
        writer.start_field(name, self.schema[name])
        fixed = writer._format.fixed_value_size()
        values = None if fixed == 0 else (b"" if fixed and fixed > 0 else ())
        table = _TermTable(writer, lengths, values)
        prefix = writer._fieldid.to_bytes(2, "big")
        for term, entry in chain((first,), terms):
            key = prefix + term.encode("utf-8")
            if len(entry) < 2 * INLINE_LIMIT:
                table.add(key, inline_value(entry, lengths))
            else:
                table.add_blocks(key, entry)
        table.close()
        writer.finish_field()


class _TermTable:
    """One field's entries of a segment's term table, written in term order: inline ones at
    once, block ones in batches of BULK_POSTINGS (their blocks written with numpy, then their
    entries, in order with the inline ones that came between)."""

    def __init__(self, writer: Any, lengths: array[int], values: object) -> None:
        self.table = writer._tindex  # a whoosh HashWriter
        self.postfile = writer._postfile.file
        self.lengths = lengths
        self.values = values
        self.hashes, self.places = _term_slots(self.table)
        self.position: int = self.table.dbfile.tell()
        self.pending: tuple[list[bytes], list[bytes]] = ([], [])
        """Keys and values of the entries to write (`_flush`), in order."""
        self.key = b""
        self.waiting: list[tuple[bytes, bytes | None]] = []
        """Entries after the first block term of the batch: (key, value or None: blocks)."""
        self.batch: list[array[int]] = []
        self.held = 0

    def add(self, key: bytes, value: bytes) -> None:
        if self.waiting:
            self.waiting.append((key, value))
        else:
            self._write(key, value)

    def add_blocks(self, key: bytes, entry: array[int]) -> None:
        self.waiting.append((key, None))
        self.batch.append(entry)
        self.held += len(entry) // 2
        if self.held >= BULK_POSTINGS:
            self._write_batch()

    def close(self) -> None:
        self._write_batch()
        self._flush()
        self.table.lastkey = self.key
        self.table._write_hashes = partial(_write_hashes, self.table)

    def _write_batch(self) -> None:
        if not self.batch:
            return
        if self.held >= BULK_POSTINGS:
            from .bulk_blocks import write_terms  # numpy: only for a build's many postings

            infos = iter(write_terms(self.postfile, self.batch, self.lengths, self.values))
        else:
            infos = (write_blocks(self.postfile, e, self.lengths, self.values) for e in self.batch)
        waiting = self.waiting
        self.waiting, self.batch, self.held = [], [], 0
        for key, value in waiting:
            self._write(key, next(infos) if value is None else value)

    def _write(self, key: bytes, value: bytes) -> None:
        keys, values = self.pending
        keys.append(key)
        values.append(value)
        if len(keys) >= 4096:  # a few hundred kB at a time, not the whole table
            self._flush()

    def _flush(self) -> None:
        """Write the entries waiting (`pending`), with their hashes and places in the table,
        each step for all of them at once."""
        keys, values = self.pending
        if not keys:
            return
        self.pending = ([], [])
        key_lengths = list(map(len, keys))
        value_lengths = list(map(len, values))
        heads = map(_LENGTHS.pack, key_lengths, value_lengths)
        self.table.dbfile.write(
            b"".join(chain.from_iterable(zip(heads, keys, values, strict=True)))
        )
        sizes = map(add, map(add, key_lengths, value_lengths), repeat(8))
        places = list(accumulate(sizes, initial=self.position))
        self.position = places.pop()
        hashes, slots = self.hashes, self.places
        for hashed, place in zip(map(_md5_hash, keys), places, strict=True):
            hashes[hashed & 255].append(hashed)
            slots[hashed & 255].append(place)
        index = self.table.index  # a whoosh GrowableArray: its type fits its largest place
        if isinstance(index.array, array) and places[-1] < _LARGEST[index.array.typecode]:
            index.array.extend(places)
        else:
            index.extend(places)
        self.key = keys[-1]


def _term_slots(table: Any) -> tuple[list[array[int]], list[array[int]]]:
    """The hash and the position of every term written to the term table `table` (a whoosh
    HashWriter), in its 256 buckets: arrays, where Whoosh keeps a tuple per term (120 bytes
    each, about 13 MB per worker at 50,000 posts, held until the table is closed)."""
    slots: tuple[list[array[int]], list[array[int]]] | None = getattr(table, "_term_slots", None)
    if slots is None:
        slots = ([array("I") for _ in range(256)], [array("q") for _ in range(256)])
        table._term_slots = slots
    return slots


def _write_hashes(table: Any) -> None:  # a whoosh HashWriter
    """HashWriter._write_hashes (the 256 open-addressing tables), writing each in one piece;
    a bucket's entries are Whoosh's own (if any), then ours (`_term_slots`), in order."""
    dbfile = table.dbfile
    null = (0, 0)
    pack = _POINTER.pack
    hashes, places = _term_slots(table)
    for index, whooshs in enumerate(table.buckets):
        entries = [*whooshs, *zip(hashes[index], places[index], strict=True)]
        numslots = 2 * len(entries)
        table.directory.append((dbfile.tell(), numslots))
        hashtable = [null] * numslots
        for hashval, position in entries:
            slot = (hashval >> 8) % numslots
            while hashtable[slot] is not null:
                slot = (slot + 1) % numslots
            hashtable[slot] = (hashval, position)
        dbfile.write(b"".join([pack(h, p) for h, p in hashtable]))


def keep_segments(keep: Iterable[str], extra: Iterable[object] = ()) -> Any:
    """A Whoosh merge policy keeping the segments whose ids are in `keep` (plus `extra`
    segments written by parallel workers)."""
    wanted = set(keep)
    added = list(extra)

    def policy(writer: Any, segments: list[Any]) -> list[Any]:  # whoosh's callback
        return [s for s in segments if s.segment_id() in wanted] + added

    return policy
