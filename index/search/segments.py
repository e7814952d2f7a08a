"""The Whoosh-Reloaded side of the index: schema and a fast segment writer.

Each searchable unit is one Whoosh document with two scored fields, `title` and `body`
(term frequencies, no positions; terms come from `analysis.terms`). Whoosh's generic writer
spends ~7 µs per posting in Python; `UnitWriter` takes the term counts we already computed,
keeps an in-memory inverted index and writes each term's posting blocks (or inline postings)
in one go, which is several times faster and writes ordinary Whoosh (W3 codec) segments.
Segments are never merged by Whoosh: compaction re-adds the live units of dropped segments
instead (update.py). Reading is in view.py.

Besides the scored fields, a unit carries filter terms in `facet` (t:tag, c:category,
d:YYYY-MM-DD, a:asset, k:header) and columns: uid, pid, day (date ordinal) and its text.
"""

from __future__ import annotations

import struct
from array import array
from collections import deque
from collections.abc import Callable, Iterable, Mapping
from functools import partial
from hashlib import md5
from itertools import chain, repeat
from operator import sub
from pathlib import Path
from pickle import dumps
from typing import Any
from zlib import DEFLATED, compressobj

from . import lean_whoosh  # noqa: F401  # before any Whoosh module (see there)

# isort: split
from whoosh import fields, formats
from whoosh.codec.whoosh3 import WHOOSH3_HEADER_MAGIC, W3Codec
from whoosh.columns import NumericColumn, VarBytesColumn
from whoosh.filedb.filestore import FileStorage
from whoosh.system import pack_int, pack_long
from whoosh.util.numeric import _length_byte_cache, length_to_byte
from whoosh.writing import SegmentWriter

from . import safe_pickle
from .runs import Postings

safe_pickle.install()

UID_COLUMN = NumericColumn("I")
PID_COLUMN = NumericColumn("I")
DAY_COLUMN = NumericColumn("I")
#: Offsets always written: opening the column reads them in one piece (else derived in Python).
TEXT_COLUMN = VarBytesColumn(write_offsets_cutoff=0)
INDEXED_FIELDS = ("body", "facet", "title")
#: Terms with fewer postings than this are stored inside the term table (no block).
INLINE_LIMIT = 6
BLOCK_LIMIT = 512
#: zlib level of posting blocks (W3 keeps it in each block's header; its reader inflates):
#: pickled small ints shrink to about a fifth. Blocks this small or smaller stay as they are
#: (little to gain, and each compression costs a zlib stream set up).
COMPRESSION = 1
_COMPRESS_FROM = 128
#: Blocks are at most a few kB: a small window and little memory make a stream cheap to set up.
_WINDOW_BITS = 10
_MEMORY_LEVEL = 1
_LENGTHS = struct.Struct("!ii")  # whoosh.filedb.filetables: key and value lengths
_TERM_INFO = struct.Struct("!BfIBBfII")  # W3TermInfo._struct
_INT = struct.Struct("!i")
_POINTER = struct.Struct("!Iq")  # whoosh.filedb.filetables: a hash table slot
_consume: Callable[[Iterable[object]], None] = deque[object](maxlen=0).extend
_extend = array.extend


def _length_bytes(count: int) -> list[int]:
    """length_to_byte of 0 .. count - 1, from Whoosh's table of the length each byte stands
    for (each byte covers the lengths above the previous byte's): no bisection per length."""
    table = [0]  # length 0 (and byte 0 stands for 0)
    for byte in range(1, len(_length_byte_cache)):
        table += repeat(byte, _length_byte_cache[byte] - _length_byte_cache[byte - 1])
        if len(table) >= count:
            break
    return table[:count]


#: length_to_byte of the usual field lengths, looked up rather than bisected.
_LENGTH_BYTES: list[int] = _length_bytes(1 << 14)


def _length_byte(length: int) -> int:
    if length < len(_LENGTH_BYTES):
        return _LENGTH_BYTES[length]
    found: int = length_to_byte(length)
    return found


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

    def add_unit(
        self,
        uid: int,
        pid: int,
        day: int,
        title_terms: Mapping[str, int],
        body_terms: Mapping[str, int],
        facets: Iterable[str],
        text: str,
    ) -> None:
        """Add one unit: ids, date (ordinal), term counts of title and text, filter terms
        and the text itself (kept in a column for exact checks and snippets)."""
        docnum = self.docnum
        perdoc = self.perdocwriter
        perdoc.start_doc(docnum)
        inverted = self._postings.inverted
        held = 0
        for name, counts in (
            ("body", body_terms),
            ("title", title_terms),
            ("facet", dict.fromkeys(facets, 1)),
        ):
            # inverted[term] += (docnum, n) for every term, in C (no Python-level loop)
            _consume(
                map(
                    _extend,
                    map(inverted[name].__getitem__, counts),
                    zip(repeat(docnum), counts.values()),
                )
            )
            length = sum(counts.values())
            held += len(counts)
            self._lengths[name].append(length)
            if name != "facet":
                perdoc.add_field(name, self.schema[name], None, length)
        perdoc.add_column_value("uid", UID_COLUMN, uid)
        perdoc.add_column_value("pid", PID_COLUMN, pid)
        perdoc.add_column_value("day", DAY_COLUMN, day)
        perdoc.add_column_value("text", TEXT_COLUMN, text.encode("utf-8"))
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
        self.perdocwriter.close()
        writer = self.fieldwriter
        try:
            for name in self._postings.fields:
                self._write_field(writer, name)
        finally:
            self._postings.close()
        writer.close()

    def cancel(self) -> None:
        self._postings.close()
        super().cancel()

    def _write_field(self, writer: Any, name: str) -> None:  # W3FieldWriter
        """Write one field's terms: small posting lists inline in the term table, longer
        ones as blocks in the postings file; both in exactly W3's format."""
        terms = self._postings.field_terms(name)
        first = next(terms, None)
        if first is None:
            return
        lengths = self._lengths[name]
        writer.start_field(name, self.schema[name])
        fixed = writer._format.fixed_value_size()
        values = None if fixed == 0 else (b"" if fixed and fixed > 0 else ())
        table = writer._tindex
        dbfile, positions = table.dbfile, table.index
        hashes, places = _term_slots(table)
        postfile = writer._postfile.file
        prefix = writer._fieldid.to_bytes(2, "big")
        pack_lengths, pack_info = _LENGTHS.pack, _TERM_INFO.pack
        position = dbfile.tell()
        out: list[bytes] = []
        key = b""
        for term, entry in chain((first,), terms):
            if len(entry) == 2:  # one posting (most terms of a large archive): inline
                doc, weight = entry
                length_byte = _length_byte(lengths[doc])
                value = pack_info(
                    1, float(weight), 1, length_byte, length_byte, float(weight), doc, doc
                ) + dumps(((doc,), (weight,), ()), 2)
            elif len(entry) < 2 * INLINE_LIMIT:
                ids, weights = entry[0::2], entry[1::2]
                count = len(ids)
                doc_lengths = [lengths[d] for d in ids]
                value = pack_info(
                    1,
                    float(sum(weights)),
                    count,
                    _length_byte(min(doc_lengths)),
                    _length_byte(max(doc_lengths)),
                    float(max(weights)),
                    ids[0],
                    ids[-1],
                ) + dumps((tuple(ids), tuple(weights), ()), 2)
            else:
                value = _write_blocks(postfile, entry[0::2], entry[1::2], lengths, values)
            key = prefix + term.encode("utf-8")
            out += (pack_lengths(len(key), len(value)), key, value)
            if len(out) >= 3 * 4096:  # a few hundred kB at a time, not the whole table
                dbfile.write(b"".join(out))
                out = []
            hashed = _md5_hash(key)
            hashes[hashed & 255].append(hashed)
            places[hashed & 255].append(position)
            positions.append(position)
            position += 8 + len(key) + len(value)
        dbfile.write(b"".join(out))
        table.lastkey = key
        table._write_hashes = partial(_write_hashes, table)
        writer.finish_field()


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


def _write_blocks(
    postfile: Any,
    ids: array[int],
    weights: array[int],
    lengths: array[int],
    values: object,
) -> bytes:
    """Write a posting list as W3 blocks (as W3PostingsWriter would, without its per-posting
    calls; weights are kept as ints, which W3's reader takes as they are); returns the packed
    W3TermInfo pointing at them."""
    start = postfile.tell()
    parts = [WHOOSH3_HEADER_MAGIC]
    count = len(ids)
    shortest_all, longest_all, heaviest_all = 1 << 31, 0, 0
    length_of = lengths.__getitem__
    for first in range(0, count, BLOCK_LIMIT):
        block_ids = ids[first : first + BLOCK_LIMIT]
        block_weights = weights[first : first + BLOCK_LIMIT]
        size = len(block_ids)
        doc_lengths = list(map(length_of, block_ids))
        deltas = tuple(map(sub, block_ids, [0, *block_ids[:-1]]))
        heaviest = max(block_weights)
        if heaviest == 1:  # weights are term counts: all 1
            mini_weights: object = None
        elif min(block_weights) == heaviest:
            mini_weights = float(heaviest)
        else:
            mini_weights = tuple(block_weights)
        data = dumps((deltas, mini_weights, values), 2)
        compression = 0
        if len(data) > _COMPRESS_FROM:
            deflate = compressobj(COMPRESSION, DEFLATED, _WINDOW_BITS, _MEMORY_LEVEL)
            packed = deflate.compress(data) + deflate.flush()
            if len(packed) < len(data):
                data, compression = packed, COMPRESSION
        shortest, longest = min(doc_lengths), max(doc_lengths)
        header = dumps(
            (
                size,
                block_ids[-1],
                heaviest,  # an int (2 bytes pickled, a float takes 9): W3 only compares it
                compression,
                _length_byte(shortest),
                _length_byte(longest),
            ),
            2,
        )
        length = len(header) + len(data)
        if first + BLOCK_LIMIT >= count:
            length = -length
        parts += (_INT.pack(length), header, data)
        shortest_all = min(shortest_all, shortest)
        longest_all = max(longest_all, longest)
        heaviest_all = max(heaviest_all, heaviest)
    postfile.write(b"".join(parts))
    extent: bytes = pack_long(start) + pack_int(postfile.tell() - start)
    return (
        _TERM_INFO.pack(
            0,
            float(sum(weights)),
            count,
            _length_byte(shortest_all),
            _length_byte(longest_all),
            float(heaviest_all),
            ids[0],
            ids[-1],
        )
        + extent
    )


def keep_segments(keep: Iterable[str], extra: Iterable[object] = ()) -> Any:
    """A Whoosh merge policy keeping the segments whose ids are in `keep` (plus `extra`
    segments written by parallel workers)."""
    wanted = set(keep)
    added = list(extra)

    def policy(writer: Any, segments: list[Any]) -> list[Any]:  # whoosh's callback
        return [s for s in segments if s.segment_id() in wanted] + added

    return policy
