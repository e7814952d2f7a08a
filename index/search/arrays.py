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


def decode_postings(
    terms: Any, info: bytes, tbytes: bytes, postings: Any = None
) -> tuple[DocIds, Counts]:
    """(ids, weights) of the term whose packed W3TermInfo is `info` (W3TermsReader `terms`),
    as arrays: ids are the segment's document numbers, ascending; weights term counts.
    `postings`: the postings file mapped, if it is (else read through Whoosh)."""
    if info[0]:  # postings inline in the term table: (ids, weights, values)
        inline_ids, inline_weights, _values = _load_block(info[_TERM_INFO_SIZE:])
        id_array = np.array(inline_ids, dtype=np.int64)
        if not inline_weights:
            return id_array, np.ones(len(id_array), dtype=np.int64)
        return id_array, np.array(list(map(int, inline_weights)), dtype=np.int64)
    offset, length = _EXTENT.unpack_from(info, _TERM_INFO_SIZE)
    if postings is None:
        raw = terms._postfile.get(offset, length)
    else:
        raw = postings[offset : offset + length]
        if len(raw) != length:
            raise ValueError(f"posting blocks of {tbytes!r} run past their file")
    if raw[:4] != WHOOSH3_HEADER_MAGIC:
        raise ValueError(f"posting blocks of {tbytes!r} have no W3 header")
    stream = io.BytesIO(raw)
    header = safe_pickle.RestrictedUnpickler(stream).load
    blocks: list[bytes] = []
    counts: list[int] = []
    position = 4
    while True:
        (size,) = _BLOCK_LENGTH.unpack_from(raw, position)
        stream.seek(position + 4)
        count, _maxid, _maxweight, compression, _short, _long = header()
        data = raw[stream.tell() : position + 4 + abs(size)]
        blocks.append(zlib.decompress(data) if compression else data)
        counts.append(count)
        if size < 0:
            break
        position += 4 + size
    return _assembled(blocks, counts, tbytes)


def _assembled(blocks: list[bytes], counts: list[int], tbytes: bytes) -> tuple[DocIds, Counts]:
    """(ids, weights) of a term's decompressed posting blocks. A block whose deltas and
    weights are all below 256 (the common case) is read from its pickle's bytes by array
    slices (`_layout` says where its values lie; the opcodes between them are checked at
    once at the end), any other one is unpickled (restricted)."""
    total = sum(counts)
    deltas = np.empty(total, dtype=np.int64)
    weights = np.empty(total, dtype=np.int64)
    opcodes: list[npt.NDArray[np.uint8]] = []
    at = 0
    for data, count in zip(blocks, counts, strict=True):
        end = at + count
        layout = _layout(data, count)
        if layout is None:
            deltas[at:end], weights[at:end] = _pickled_block(data, count, tbytes)
        else:
            first, start, weight_kind, weight, weight_start = layout
            stop = start + 2 * (count - 1)
            raw = np.frombuffer(data, dtype=np.uint8)
            deltas[at] = first
            deltas[at + 1 : end] = raw[start + 1 : stop : 2]
            opcodes.append(raw[start:stop:2])
            if weight_kind == _MARK:
                weights[at] = weight
                weight_stop = weight_start + 2 * (count - 1)
                weights[at + 1 : end] = raw[weight_start + 1 : weight_stop : 2]
                opcodes.append(raw[weight_start:weight_stop:2])
            else:
                weights[at:end] = weight
        at = end
    if len(opcodes) > 1:
        opcodes = [np.concatenate(opcodes)]
    if opcodes and not (opcodes[0] == _BININT1).all():
        return _unpickled(blocks, counts, tbytes)  # not what _layout took them for
    return _undelta(deltas, counts), weights


def _unpickled(blocks: list[bytes], counts: list[int], tbytes: bytes) -> tuple[DocIds, Counts]:
    """(ids, weights) of posting blocks, every one unpickled (restricted)."""
    decoded = [
        _pickled_block(data, count, tbytes) for data, count in zip(blocks, counts, strict=True)
    ]
    deltas = np.concatenate([block[0] for block in decoded])
    return _undelta(deltas, counts), np.concatenate([block[1] for block in decoded])


def _small_int_run(data: bytes, at: int, count: int) -> tuple[int, int, int] | None:
    """For a pickled tuple of `count` (> 3) ints starting at `at` (after its MARK), all
    below 256 but the first (a block's first delta is from 0: any int): (the first value,
    where the BININT1 opcodes of the others start, where the tuple ends past its memo
    opcode), or None when it cannot be one (the opcodes between are checked by the caller)."""
    width = _WIDTHS.get(data[at]) if at < len(data) else None
    if width is None or at + 1 + width > len(data):
        return None
    first = int.from_bytes(data[at + 1 : at + 1 + width], "little", signed=width == 4)
    start = at + 1 + width
    stop = start + 2 * (count - 1)
    if len(data) < stop + 3 or data[stop] != _TUPLE:
        return None
    memo = data[stop + 1]
    if memo == _BINPUT:
        return first, start, stop + 3
    if memo == _LONG_BINPUT:
        return first, start, stop + 6
    return None


def _layout(data: bytes, count: int) -> tuple[int, int, int, int, int] | None:
    """Where a block's values lie in its pickle when its deltas and weights are all below
    256 but the first: (first delta, start of the other deltas' BININT1 opcodes, the kind
    of weights (NONE: all 1, BINFLOAT: all equal, MARK: a tuple), the weight (all equal) or
    the first weight, start of the other weights' BININT1 opcodes); None for any other
    block. The block is (deltas, weights, values) pickled with protocol 2: MARK, the deltas,
    TUPLE, its memo; then NONE, a BINFLOAT or the weights as the deltas; the values are not
    needed."""
    if count <= 3 or not data.startswith(_PROTO_2_MARK):
        return None
    deltas = _small_int_run(data, 3, count)
    if deltas is None:
        return None
    first, start, at = deltas
    kind = data[at] if at < len(data) else -1
    if kind == _NONE:
        return first, start, _NONE, 1, 0
    if kind == _BINFLOAT and at + 9 <= len(data):
        (weight,) = _DOUBLE.unpack_from(data, at + 1)
        return first, start, _BINFLOAT, int(weight), 0
    if kind == _MARK:
        weights = _small_int_run(data, at + 1, count)
        if weights is not None:
            return first, start, _MARK, weights[0], weights[1]
    return None


_BININT1, _TUPLE, _BINPUT, _LONG_BINPUT, _NONE, _BINFLOAT, _MARK = b"KtqrNG("
_PROTO_2_MARK = b"\x80\x02("
_DOUBLE = struct.Struct(">d")
#: The argument width of pickle's BININT1, BININT2 and BININT (signed) opcodes.
_WIDTHS = {ord("K"): 1, ord("M"): 2, ord("J"): 4}


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
