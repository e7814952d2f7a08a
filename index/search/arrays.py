"""Posting lists and columns as numpy arrays, for search (issue 14).

Search works on sets of document numbers: a posting list is a sorted array of live document
numbers with their term frequencies, and a set of documents is a boolean mask over every
document number of the snapshot (`DocMask`), so intersections, unions and exclusions are one
vectorised step each, whatever the number of matches.

Posting blocks are decoded without a Python call per posting: each block's pickled tuples are
loaded at C speed (the restricted unpickler reading one in-memory frame, `safe_pickle`'s rules
unchanged) and the deltas of all blocks are summed in one numpy pass.
"""

from __future__ import annotations

import io
import struct
import zlib
from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt
from whoosh.codec.whoosh3 import WHOOSH3_HEADER_MAGIC

from . import safe_pickle

DocMask = npt.NDArray[np.bool_]
"""One flag per document number of a snapshot: is the document in the set."""
DocIds = npt.NDArray[np.int64]
"""Document numbers, ascending."""
Counts = npt.NDArray[np.int64]

_TERM_INFO_SIZE = struct.calcsize("!BfIBBfII")  # W3TermInfo._struct
_EXTENT = struct.Struct("!qi")  # offset and length of a term's posting blocks
_BLOCK_LENGTH = struct.Struct("!i")
_FRAME = struct.Struct("<BQ")  # pickle's FRAME opcode and the frame's length
_FRAME_OPCODE = 0x95
EMPTY_IDS: DocIds = np.zeros(0, dtype=np.int64)


def _load_block(data: bytes) -> Any:
    """A pickled block (protocol 2, as Whoosh and our writer write them) loaded by the
    restricted unpickler from one in-memory frame: the C unpickler then parses it from its
    buffer instead of calling `read` on a file object for every opcode."""
    framed = _FRAME.pack(_FRAME_OPCODE, len(data)) + data
    return safe_pickle.RestrictedUnpickler(io.BytesIO(framed)).load()


def decode_postings(terms: Any, info: bytes, tbytes: bytes) -> tuple[DocIds, Counts]:
    """(ids, weights) of the term whose packed W3TermInfo is `info` (W3TermsReader `terms`),
    as arrays: ids are the segment's document numbers, ascending; weights term counts."""
    if info[0]:  # postings inline in the term table: (ids, weights, values)
        inline_ids, inline_weights, _values = safe_pickle.loads(info[_TERM_INFO_SIZE:])
        id_array = np.array(inline_ids, dtype=np.int64)
        if not inline_weights:
            return id_array, np.ones(len(id_array), dtype=np.int64)
        return id_array, np.array(list(map(int, inline_weights)), dtype=np.int64)
    offset, length = _EXTENT.unpack_from(info, _TERM_INFO_SIZE)
    raw = terms._postfile.get(offset, length)
    if raw[:4] != WHOOSH3_HEADER_MAGIC:
        raise ValueError(f"posting blocks of {tbytes!r} have no W3 header")
    stream = io.BytesIO(raw)
    header = safe_pickle.RestrictedUnpickler(stream).load
    deltas: list[int] = []
    weights: list[int] = []
    counts: list[int] = []
    position = 4
    while True:
        (size,) = _BLOCK_LENGTH.unpack_from(raw, position)
        stream.seek(position + 4)
        count, _maxid, _maxweight, compression, _short, _long = header()
        data = raw[stream.tell() : position + 4 + abs(size)]
        block = _load_block(zlib.decompress(data) if compression else data)
        block_deltas, block_weights = block[0], block[1]
        if len(block_deltas) != count:
            raise ValueError(f"a posting block of {tbytes!r} does not hold {count} ids")
        deltas += block_deltas
        counts.append(count)
        if block_weights is None:
            weights += [1] * count
        elif isinstance(block_weights, float):  # all the block's weights are equal
            weights += [int(block_weights)] * count
        else:
            weights += map(int, block_weights)
        if size < 0:
            break
        position += 4 + size
    return _undelta(deltas, counts), np.array(weights, dtype=np.int64)


def _undelta(deltas: Sequence[int], counts: Sequence[int]) -> DocIds:
    """Document numbers from the deltas of consecutive blocks (each block's first delta is
    from 0): one running sum, less the sum reached before each block."""
    summed = np.cumsum(np.array(deltas, dtype=np.int64))
    if len(counts) > 1:
        ends = np.cumsum(np.array(counts, dtype=np.int64))
        before = np.concatenate(([0], summed[ends[:-1] - 1]))
        summed -= np.repeat(before, counts)
    return summed


def mask_of(ids: DocIds, size: int) -> DocMask:
    """The mask of `size` documents holding `ids`."""
    mask = np.zeros(size, dtype=np.bool_)
    mask[ids] = True
    return mask


def frozen(array: npt.NDArray[Any]) -> npt.NDArray[Any]:
    """`array`, made read-only (kept in a cache that many queries share)."""
    array.flags.writeable = False
    return array
