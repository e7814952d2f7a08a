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
        inline_ids, inline_weights, _values = _load_block(info[_TERM_INFO_SIZE:])
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
    delta_parts: list[Counts] = []
    weight_parts: list[Counts] = []
    counts: list[int] = []
    position = 4
    while True:
        (size,) = _BLOCK_LENGTH.unpack_from(raw, position)
        stream.seek(position + 4)
        count, _maxid, _maxweight, compression, _short, _long = header()
        data = raw[stream.tell() : position + 4 + abs(size)]
        if compression:
            data = zlib.decompress(data)
        block = _small_block(data, count)
        if block is None:
            block = _pickled_block(data, count, tbytes)
        delta_parts.append(block[0])
        weight_parts.append(block[1])
        counts.append(count)
        if size < 0:
            break
        position += 4 + size
    deltas = np.concatenate(delta_parts) if len(delta_parts) > 1 else delta_parts[0]
    weights = np.concatenate(weight_parts) if len(weight_parts) > 1 else weight_parts[0]
    return _undelta(deltas, counts), weights


_BININT1, _TUPLE, _BINPUT, _LONG_BINPUT, _NONE, _BINFLOAT, _MARK = b"KtqrNG("
_PROTO_2_MARK = b"\x80\x02("
_DOUBLE = struct.Struct(">d")
#: The argument width of pickle's BININT1, BININT2 and BININT (signed) opcodes.
_WIDTHS = {ord("K"): 1, ord("M"): 2, ord("J"): 4}


def _small_ints(data: npt.NDArray[np.uint8], at: int, count: int) -> tuple[Counts, int] | None:
    """A pickled tuple of `count` (> 3) ints starting at `at` (after its MARK), all below 256
    but the first (a block's first delta is from 0: any int): its values and where it ends
    (past its memo opcode), or None when it is not one."""
    first_op = data[at] if at < len(data) else -1
    width = _WIDTHS.get(int(first_op))
    if width is None or at + 1 + width > len(data):
        return None
    first = int.from_bytes(data[at + 1 : at + 1 + width].tobytes(), "little", signed=width == 4)
    start = at + 1 + width
    stop = start + 2 * (count - 1)
    if len(data) < stop + 3 or data[stop] != _TUPLE or not (data[start:stop:2] == _BININT1).all():
        return None
    values = np.empty(count, dtype=np.int64)
    values[0] = first
    values[1:] = data[start + 1 : stop : 2]
    memo = data[stop + 1]
    if memo == _BINPUT:
        return values, stop + 3
    if memo == _LONG_BINPUT:
        return values, stop + 6
    return None


def _small_block(raw: bytes, count: int) -> tuple[Counts, Counts] | None:
    """(deltas, weights) of a block whose deltas and weights are all below 256 (the common
    case: frequent terms), read from the pickle's bytes with array operations; None for any
    other block (then unpickled). The block is (deltas, weights, values) pickled with
    protocol 2: MARK, BININT1 per delta, TUPLE, its memo; then NONE (all weights 1), a
    BINFLOAT (all equal) or the weights as the deltas; the values are not needed."""
    if count <= 3 or not raw.startswith(_PROTO_2_MARK):
        return None
    data = np.frombuffer(raw, dtype=np.uint8)
    deltas = _small_ints(data, 3, count)
    if deltas is None:
        return None
    at = deltas[1]
    kind = data[at] if at < len(data) else -1
    if kind == _NONE:
        return deltas[0], np.ones(count, dtype=np.int64)
    if kind == _BINFLOAT and at + 9 <= len(raw):
        (weight,) = _DOUBLE.unpack_from(raw, at + 1)
        return deltas[0], np.full(count, int(weight), dtype=np.int64)
    if kind == _MARK:
        weights = _small_ints(data, at + 1, count)
        if weights is not None:
            return deltas[0], weights[0]
    return None


def _pickled_block(data: bytes, count: int, tbytes: bytes) -> tuple[Counts, Counts]:
    """(deltas, weights) of a block, unpickled (restricted)."""
    block = _load_block(data)
    block_deltas, block_weights = block[0], block[1]
    if len(block_deltas) != count:
        raise ValueError(f"a posting block of {tbytes!r} does not hold {count} ids")
    deltas = np.array(block_deltas, dtype=np.int64)
    if block_weights is None:
        return deltas, np.ones(count, dtype=np.int64)
    if isinstance(block_weights, float):  # all the block's weights are equal
        return deltas, np.full(count, int(block_weights), dtype=np.int64)
    return deltas, np.array(block_weights, dtype=np.int64)  # ints, or Whoosh's floats


def _undelta(deltas: Counts, counts: Sequence[int]) -> DocIds:
    """Document numbers from the deltas of consecutive blocks (each block's first delta is
    from 0): one running sum, less the sum reached before each block."""
    summed = np.cumsum(deltas)
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
