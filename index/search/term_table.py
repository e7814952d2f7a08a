"""Reading a segment's term table faster than Whoosh does (issue 14): one term's record with
two reads, and the records whose key ends with given bytes, found without a Python step per
record.

A Whoosh OrderedHashReader holds its records (key length, value length, key, value) in key
order, and an index array of every record's position. A query word that may begin inside a
Latin token (`5000美元` in `15000美元`) needs the tokens ending with `5000`: one test per
token of the table. Here the lengths and the key endings of a range of records are read
with a few numpy gathers over the range's bytes; only the records that pass are yielded.
"""

from __future__ import annotations

import mmap
import struct
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # numpy is imported by the functions that use it (an update needs none)
    import numpy as np
    import numpy.typing as npt


def _big_endian_ints(
    data: npt.NDArray[np.uint8], at: npt.NDArray[np.int64]
) -> npt.NDArray[np.int64]:
    """The big-endian signed 32-bit ints at `at` in `data`."""
    import numpy as np

    found = (
        (data[at].astype(np.int64) << 24)
        | (data[at + 1].astype(np.int64) << 16)
        | (data[at + 2].astype(np.int64) << 8)
        | data[at + 3].astype(np.int64)
    )
    return np.where(found >= 1 << 31, found - (1 << 32), found)


def items_ending(
    table: Any, low: bytes, high: bytes, ending: bytes
) -> Iterator[tuple[bytes, bytes]]:
    """(key, value) of the records of the OrderedHashReader `table` whose key is between `low`
    and `high` (both included) and ends with `ending`, in key order."""
    import numpy as np

    first = table.closest_key_pos(low)
    if first is None:
        return
    last = table.closest_key_pos(high + b"\x00")  # the first record past the range
    typecode = table.extras["indextype"]
    dtype = np.dtype(typecode).newbyteorder(">")
    positions = np.frombuffer(
        table.dbfile.get(table.indexbase, table.indexlen * table.indexsize), dtype
    ).astype(np.int64)
    start = int(np.searchsorted(positions, first))
    stop = len(positions) if last is None else int(np.searchsorted(positions, last))
    if stop <= start:
        return
    begin = int(positions[start])
    end = table.endofdata if stop == len(positions) else int(positions[stop])
    raw = table.dbfile.get(begin, end - begin)
    data = np.frombuffer(raw, dtype=np.uint8)
    at = positions[start:stop] - begin
    key_lengths = _big_endian_ints(data, at)
    value_lengths = _big_endian_ints(data, at + 4)
    key_ends = at + 8 + key_lengths
    if (at + 8 > len(data)).any() or (key_ends + value_lengths > len(data)).any():
        raise ValueError("a term table record runs past its table")
    passing = key_lengths >= len(ending)
    tail = np.where(passing, key_ends - len(ending), 0)
    for offset, byte in enumerate(ending):
        passing &= data[tail + offset] == byte
    for index in np.flatnonzero(passing).tolist():
        key_start = int(at[index]) + 8
        key_end = int(key_ends[index])
        yield raw[key_start:key_end], raw[key_end : key_end + int(value_lengths[index])]


_POINTER = struct.Struct("!Iq")  # a hash table slot: the key's hash, the record's position
_LENGTHS = struct.Struct("!ii")  # a record: key length, value length
#: How many bytes of a record are read at once: most keys and values are shorter.
_RECORD_READ = 256


def mapped(dbfile: Any) -> Any:
    """The bytes of a Whoosh StructFile's file, mapped (None if it cannot be: then read
    through the file). A mapped file is read by slicing, without a seek and a read call."""
    try:
        if getattr(dbfile, "_offset", 0):  # a part of a compound file
            return None
        return mmap.mmap(dbfile.file.fileno(), 0, access=mmap.ACCESS_READ)
    except (AttributeError, OSError, ValueError):
        return None


def term_info(table: Any, key: bytes, data: Any = None) -> bytes | None:
    """`table.get(key)` of a Whoosh HashReader, with a read for the slot and one for the
    record (Whoosh reads the slot, the lengths, the key and the value in turn, each through
    a few calls), from `data`, the table's file mapped (`mapped`), when given: the value
    stored under `key`, or None."""
    keyhash = table.hashfn(key)
    tablestart, numslots = table.tables[keyhash & 255]
    if not numslots:
        return None
    get = table.dbfile.get if data is None else _slicer(data)
    size = _POINTER.size
    end = tablestart + numslots * size
    slotpos = tablestart + ((keyhash >> 8) % numslots) * size
    for _ in range(numslots):
        slothash, itempos = _POINTER.unpack(get(slotpos, size))
        if not itempos:
            return None
        if slothash == keyhash:
            record = get(itempos, _RECORD_READ)
            keylen, datalen = _LENGTHS.unpack_from(record)
            if keylen == len(key):
                stop = 8 + keylen + datalen
                if stop > len(record):
                    record = get(itempos, stop)
                if record[8 : 8 + keylen] == key:
                    value: bytes = record[8 + keylen : stop]
                    if len(value) != datalen:
                        raise ValueError("a term table record runs past its file")
                    return value
        slotpos += size
        if slotpos == end:
            slotpos = tablestart
    return None


def _slicer(data: Any) -> Any:
    def get(position: int, length: int) -> bytes:
        found: bytes = data[position : position + length]
        return found

    return get


class MappedTerms:
    """The term table and postings files of a snapshot's segments, mapped (`mapped`) as
    they are first read; closed with the snapshot."""

    def __init__(self) -> None:
        self._files: dict[int, tuple[Any, Any]] = {}

    def of(self, terms: Any) -> tuple[Any, Any]:
        """(term table, postings) of a W3TermsReader, mapped (each None if it cannot be)."""
        found = self._files.get(id(terms))
        if found is None:
            found = (mapped(terms._tindex.dbfile), mapped(terms._postfile))
            self._files[id(terms)] = found
        return found

    def close(self) -> None:
        for files in self._files.values():
            for data in files:
                if data is not None:
                    try:
                        data.close()
                    except BufferError:  # a view still held: closed when it is dropped
                        pass
        self._files.clear()
