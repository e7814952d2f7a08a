"""Walking a segment's term table by array operations (issue 14): the records whose key ends
with given bytes, found without a Python step per record.

A Whoosh OrderedHashReader holds its records (key length, value length, key, value) in key
order, and an index array of every record's position. A query word that may begin inside a
Latin token (`5000美元` in `15000美元`) needs the tokens ending with `5000`: one test per
token of the table. Here the lengths and the key endings of a range of records are read
with a few numpy gathers over the range's bytes; only the records that pass are yielded.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np
import numpy.typing as npt


def _big_endian_ints(
    data: npt.NDArray[np.uint8], at: npt.NDArray[np.int64]
) -> npt.NDArray[np.int64]:
    """The big-endian signed 32-bit ints at `at` in `data`."""
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
