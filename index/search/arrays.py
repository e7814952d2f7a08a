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

from . import lean_whoosh  # noqa: F401  # before any Whoosh module (see there)

# isort: split
from whoosh.codec.whoosh3 import WHOOSH3_HEADER_MAGIC

from . import safe_pickle

DocMask = npt.NDArray[np.bool_]
"""One flag per document number of a snapshot: is the document in the set."""
DocIds = npt.NDArray[np.int64]
"""Document numbers, ascending."""
Counts = npt.NDArray[np.int64]

_TERM_INFO_SIZE = struct.calcsize("!BfIBBfII")  # W3TermInfo._struct
_DOC_COUNT = struct.Struct("!BfI")  # W3TermInfo's head: inline?, weight, document count
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
    terms: Any,
    info: bytes,
    tbytes: bytes,
    postings: Any = None,
    out: tuple[DocIds, Counts] | None = None,
) -> tuple[DocIds, Counts]:
    """(ids, weights) of the term whose packed W3TermInfo is `info` (W3TermsReader `terms`),
    as arrays: ids are the segment's document numbers, ascending; weights term counts.
    `postings`: the postings file mapped, if it is (else read through Whoosh). `out`: two
    arrays as long as the term's document count, written and returned when the blocks hold
    that many postings (else new arrays are)."""
    if info[0]:  # postings inline in the term table: (ids, weights, values)
        inline_ids, inline_weights, _values = _load_block(info[_TERM_INFO_SIZE:])
        id_array = np.array(inline_ids, dtype=np.int64)
        if not inline_weights:
            weight_array = np.ones(len(id_array), dtype=np.int64)
        else:
            weight_array = np.array(list(map(int, inline_weights)), dtype=np.int64)
        if out is not None and len(out[0]) == len(id_array) == len(weight_array):
            out[0][:] = id_array
            out[1][:] = weight_array
            return out
        return id_array, weight_array
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
    last_ids: list[int] = []
    position = 4
    while True:
        (size,) = _BLOCK_LENGTH.unpack_from(raw, position)
        stream.seek(position + 4)
        count, last_id, _maxweight, compression, _short, _long = header()
        data = raw[stream.tell() : position + 4 + abs(size)]
        blocks.append(zlib.decompress(data) if compression else data)
        counts.append(count)
        last_ids.append(last_id)
        if size < 0:
            break
        position += 4 + size
    return _assembled(blocks, counts, tbytes, last_ids, out)


def doc_count(info: bytes) -> int:
    """How many postings a packed W3TermInfo says its term has (its document count)."""
    return int(_DOC_COUNT.unpack_from(info)[2])


def _assembled(
    blocks: list[bytes],
    counts: list[int],
    tbytes: bytes,
    last_ids: Sequence[int] = (),
    out: tuple[DocIds, Counts] | None = None,
) -> tuple[DocIds, Counts]:
    """(ids, weights) of a term's decompressed posting blocks. A block pickled as our
    writers and Whoosh write them (protocol 2: its deltas, then its weights, as tuples of
    small ints) is read from its pickle's bytes by array slices (`_block_values`; blocks of
    one layout together, `_same_layout`), any other one is unpickled (restricted).
    `last_ids`: each block's last document as its header gives it (if known). `out`: the
    arrays to fill, used when they are as long as the blocks' postings."""
    total = sum(counts)
    if out is not None and len(out[0]) == len(out[1]) == total:
        deltas, weights = out
    else:
        deltas = np.empty(total, dtype=np.int64)
        weights = np.empty(total, dtype=np.int64)
    at = 0
    index = 0
    while index < len(blocks):
        # the blocks from here of one size and count: most of a term's, as most hold 512
        # postings whose first delta is their one wide int
        same = index + 1
        size, count = len(blocks[index]), counts[index]
        while same < len(blocks) and counts[same] == count and len(blocks[same]) == size:
            same += 1
        end = at + count * (same - index)
        if same - index > 1 and _same_layout(
            blocks[index:same], count, deltas[at:end], weights[at:end]
        ):
            at, index = end, same
            continue
        for data in blocks[index:same]:
            end = at + count
            if not _block_values(data, count, deltas[at:end], weights[at:end]):
                deltas[at:end], weights[at:end] = _pickled_block(data, count, tbytes)
            at = end
        index = same
    return _undelta(deltas, counts, last_ids), weights


def _same_layout(
    blocks: list[bytes], count: int, deltas: npt.NDArray[np.int64], weights: npt.NDArray[np.int64]
) -> bool:
    """`_block_values` of blocks of one size and count, read as the rows of one array when
    all have the first one's layout: the first delta of any width, then BININT1 opcodes only
    (deltas, then weights if any), the same tuple ends. Every opcode of every block is
    compared with that layout, so each is read as `_block_values` would read it (False: not
    so, nothing written that counts; read them one by one)."""
    first = blocks[0]
    if count <= 3 or not first.startswith(_PROTO_2_MARK) or first[3] not in _WIDTHS:
        return False
    width = _WIDTHS[first[3]]
    wide = int(width > 1)  # the first delta is wide: the others follow its bytes
    run = 4 + width if wide else 3
    ends = run + 2 * (count - wide)  # the deltas' TUPLE, then its memo
    kind_at = ends + _MEMO_SKIP.get(first[ends + 1 : ends + 2], len(first))
    if kind_at >= len(first) or first[ends] != _TUPLE or first[kind_at] not in (_NONE, _MARK):
        return False
    rows = np.frombuffer(b"".join(blocks), dtype=np.uint8).reshape(len(blocks), len(first))
    same = bool((rows[:, :4] == rows[0, :4]).all()) and bool((rows[:, run:ends:2] == 75).all())
    same = same and bool((rows[:, ends : ends + 2] == rows[0, ends : ends + 2]).all())
    same = same and bool((rows[:, kind_at] == first[kind_at]).all())
    counted = first[kind_at] == _MARK  # weights as BININT1 opcodes, their TUPLE and memo
    weights_end = kind_at + 1 + 2 * count
    if counted:
        if len(first) < weights_end + 3 or first[weights_end] != _TUPLE:
            return False
        if first[weights_end + 1 : weights_end + 2] not in _MEMO_SKIP:
            return False
        same = same and bool((rows[:, kind_at + 1 : weights_end : 2] == 75).all())
        same = same and bool(
            (rows[:, weights_end : weights_end + 2] == rows[0, weights_end : weights_end + 2]).all()
        )
    if not same:
        return False
    out = deltas.reshape(len(blocks), count)
    if width == 2:  # BININT2: unsigned, little-endian
        out[:, 0] = rows[:, 4] | rows[:, 5].astype(np.int64) << 8
    elif width == 4:  # BININT: signed, little-endian
        out[:, 0] = rows[:, 4:8].copy().view("<i4")[:, 0]
    out[:, wide:] = rows[:, run + 1 : ends : 2]
    if counted:
        weights.reshape(len(blocks), count)[:] = rows[:, kind_at + 2 : weights_end : 2]
    else:
        weights[:] = 1
    return True


#: How many ints of a tuple may be wider than a byte for `_int_run` to read it (beyond, the
#: block is unpickled: each one costs the run a few array operations).
_WIDE_INTS = 24


def _int_run(
    data: bytes, raw: npt.NDArray[np.uint8], at: int, count: int, out: npt.NDArray[np.int64]
) -> int:
    """Read the `count` ints of a pickled tuple starting at `at` (after its MARK) into
    `out`: runs of BININT1 opcodes by array slices, each wider int (BININT2, BININT) on its
    own. Returns where the tuple ends past its memo opcode, or -1 when it is not such a
    tuple (or has more than `_WIDE_INTS` wide ints)."""
    done = 0
    wide = 0
    while done < count:
        left = count - done
        opcodes = data[at : at + 2 * left : 2]
        if len(opcodes) < left:
            return -1
        run = left - len(opcodes.lstrip(b"K"))  # BININT1 opcodes up to the first other one
        out[done : done + run] = raw[at + 1 : at + 2 * run : 2]
        done += run
        at += 2 * run
        if done == count:
            break
        width = _WIDTHS.get(data[at])
        wide += 1
        if width is None or width == 1 or wide > _WIDE_INTS or at + 1 + width > len(data):
            return -1
        out[done] = int.from_bytes(data[at + 1 : at + 1 + width], "little", signed=width == 4)
        done += 1
        at += 1 + width
    if len(data) < at + 3 or data[at] != _TUPLE:
        return -1
    memo = data[at + 1]
    if memo == _BINPUT:
        return at + 3
    if memo == _LONG_BINPUT:
        return at + 6
    return -1


def _block_values(
    data: bytes, count: int, deltas: npt.NDArray[np.int64], weights: npt.NDArray[np.int64]
) -> bool:
    """Fill `deltas` and `weights` with a block's values read from its pickle's bytes, when
    the block is (deltas, weights, values) pickled with protocol 2: MARK, the deltas as ints,
    TUPLE, its memo; then NONE (all weights 1), a BINFLOAT (all equal) or the weights as the
    deltas (the values are not needed). False for any other block (nothing to trust)."""
    if count <= 3 or not data.startswith(_PROTO_2_MARK):
        return False
    raw = np.frombuffer(data, dtype=np.uint8)
    at = _int_run(data, raw, 3, count, deltas)
    if at < 0 or at >= len(data):
        return False
    kind = data[at]
    if kind == _NONE:
        weights[:] = 1
        return True
    if kind == _BINFLOAT and at + 9 <= len(data):
        (weight,) = _DOUBLE.unpack_from(data, at + 1)
        weights[:] = int(weight)
        return True
    return kind == _MARK and _int_run(data, raw, at + 1, count, weights) >= 0


_BININT1, _TUPLE, _BINPUT, _LONG_BINPUT, _NONE, _BINFLOAT, _MARK = b"KtqrNG("
_PROTO_2_MARK = b"\x80\x02("
_DOUBLE = struct.Struct(">d")
#: How far a tuple's memo opcode (BINPUT, LONG_BINPUT) and its argument reach past TUPLE.
_MEMO_SKIP = {b"q": 3, b"r": 6}
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


def _undelta(deltas: Counts, counts: Sequence[int], last_ids: Sequence[int] = ()) -> DocIds:
    """Document numbers from the deltas of consecutive blocks (each block's first delta is
    from 0), summed in place. With the blocks' last documents (their headers'), each block's
    first delta is made relative to the block before it, and one running sum gives every
    document; what the sum reaches at each block's end is compared with its header's last
    document, and on any difference (a header not of these blocks) the deltas are summed
    block by block: one running sum, less the sum reached before each block. `deltas` is
    summed in place (and returned)."""
    if len(counts) < 2:  # one block: its deltas are from 0
        return np.cumsum(deltas, out=deltas)
    ends = np.cumsum(np.array(counts, dtype=np.int64))
    starts = ends[:-1]
    if len(last_ids) == len(counts):
        firsts = deltas[starts]  # a copy (fancy indexing): the deltas as they were
        known = np.array(last_ids, dtype=np.int64)
        deltas[starts] -= known[:-1]
        np.cumsum(deltas, out=deltas)
        if np.array_equal(deltas[ends - 1], known):
            return deltas
        deltas[1:] -= deltas[:-1].copy()  # the deltas back, as they were read
        deltas[starts] = firsts
    np.cumsum(deltas, out=deltas)
    before = np.concatenate(([0], deltas[starts - 1]))
    deltas -= np.repeat(before, counts)
    return deltas


def select(values: npt.NDArray[Any], mask: DocMask) -> npt.NDArray[Any]:
    """`values[mask]`, read at the mask's places: numpy's boolean selection branches on every
    flag (about 3x slower on a mask a third set at random, 900,000 long: 4.6 ms against
    1.3), finding the places first does not."""
    return values[np.flatnonzero(mask)]


def mask_of(ids: DocIds, size: int) -> DocMask:
    """The mask of `size` documents holding `ids`."""
    mask = np.zeros(size, dtype=np.bool_)
    mask[ids] = True
    return mask


def frozen(array: npt.NDArray[Any]) -> npt.NDArray[Any]:
    """`array`, made read-only (kept in a cache that many queries share)."""
    array.flags.writeable = False
    return array
