"""Many terms' posting blocks at once: the bytes blocks.write_blocks writes, worked out with
numpy for a whole batch of terms (a build writes millions of postings: a Python step for each
one was most of writing a segment).

Every block's figures (its size, last document, lightest and heaviest weight, shortest and
longest field length) are reductions over slices of the batch's postings, and the pickled
tuples of document deltas and weights are made from the pickle opcodes of their ints
(BININT1, BININT2, BININT: what the pickler writes for an int of that size), encoded for all
postings in one pass; a block's pickle is its slice of those bytes between the tuple's opcodes.
What stays in Python is one step per block (compression, its header) and per term.
"""

from __future__ import annotations

import struct
from array import array
from collections.abc import Sequence
from pickle import dumps
from typing import Any

import numpy as np
import numpy.typing as npt
from whoosh.util.numeric import _length_byte_cache

from .blocks import BLOCK_LENGTH, BLOCK_LIMIT, MAGIC, compress, term_info

Ints = npt.NDArray[np.int64]

_PROTO = b"\x80\x02"
_MARK, _TUPLE = b"(", b"t"
_SMALL_TUPLES = (b"", b"\x85", b"\x86", b"\x87")  # TUPLE1, TUPLE2, TUPLE3
_NONE = b"N"
_FLOAT = struct.Struct(">d")
_BININT1, _BININT2, _BININT = 0x4B, 0x4D, 0x4A
#: Byte n of Whoosh's length table is the first length at or below _LENGTH_CACHE[n].
_LENGTH_CACHE = np.array(list(_length_byte_cache), dtype=np.int64)
_LONGEST = 106374  # whoosh.util.numeric.length_to_byte: this long or longer is byte 255


_PUTS = (b"q\x00", b"q\x01")  # BINPUT 0 and 1: the memo entries of the two tuples


def _tuple_pickle(items: bytes, size: int, memo: int) -> bytes:
    """A tuple of `size` ints pickled (protocol 2) as the memo's entry `memo`, from its
    items' opcodes `items`."""
    parts: list[bytes | memoryview] = []
    _add_tuple(parts, items, size, memo)
    return b"".join(parts)


def _add_tuple(
    parts: list[bytes | memoryview], items: bytes | memoryview, size: int, memo: int
) -> None:
    """Append to `parts` the pickle of a tuple of `size` ints whose opcodes are `items`."""
    if size > 3:
        parts += (_MARK, items, _TUPLE, _PUTS[memo])
    else:
        parts += (items, _SMALL_TUPLES[size], _PUTS[memo])


def _tails(values: object) -> tuple[bytes, bytes]:
    """What follows the weights in a block's pickle (the values, the outer tuple, STOP): when
    the weights are None or a float, and when they are a tuple (one memo entry more)."""
    deltas = (1, 2, 3, 4)
    head = _PROTO + _tuple_pickle(b"K\x01K\x02K\x03K\x04", 4, 0)
    plain = dumps((deltas, None, values), 2)
    weights = dumps((deltas, deltas[:3], values), 2)
    weights_part = _tuple_pickle(b"K\x01K\x02K\x03", 3, 1)
    assert plain.startswith(head + _NONE) and weights.startswith(head + weights_part)
    return plain[len(head) + 1 :], weights[len(head) + len(weights_part) :]


def _int_opcodes(values: Ints) -> tuple[bytes, Ints]:
    """Each of `values` (0 <= v < 2**31) as the pickler writes an int, all in one buffer, and
    where each one's bytes start (one more offset: the end), as an array: a list would be
    about 40 bytes a posting, for the few offsets a block's bounds need (memory)."""
    sizes = np.where(values < 256, 2, np.where(values < 65536, 3, 5)).astype(np.uint8)
    offsets = np.zeros(len(values) + 1, dtype=np.int64)
    np.cumsum(sizes, out=offsets[1:])
    starts = offsets[:-1]
    out = np.zeros(int(offsets[-1]), dtype=np.uint8)
    out[starts] = np.where(sizes == 2, _BININT1, np.where(sizes == 3, _BININT2, _BININT))
    out[starts + 1] = values & 255
    wide = sizes > 2
    out[starts[wide] + 2] = (values[wide] >> 8) & 255
    widest = sizes > 3
    out[starts[widest] + 3] = (values[widest] >> 16) & 255
    out[starts[widest] + 4] = (values[widest] >> 24) & 255
    return out.tobytes(), offsets


def _length_bytes(lengths: Ints) -> list[int]:
    """whoosh.util.numeric.length_to_byte of each of `lengths`."""
    found = np.searchsorted(_LENGTH_CACHE, lengths, side="left")
    found[lengths >= _LONGEST] = 255
    result: list[int] = found.tolist()
    return result


def write_terms(
    postfile: Any,
    entries: Sequence[array[int]],
    field_lengths: array[int],
    values: object,
) -> list[bytes]:
    """Write the posting lists `entries` (each doc, frequency, doc, frequency, ..., at least
    two postings) one after the other as W3 blocks; returns each one's packed W3TermInfo,
    byte for byte what blocks.write_blocks writes and returns for each in turn."""
    pairs = np.frombuffer(b"".join(entries), dtype=np.uint32).reshape(-1, 2)
    docs = pairs[:, 0].astype(np.int64)
    weights = pairs[:, 1].astype(np.int64)
    del pairs  # (and the joined bytes it views)
    lengths = np.frombuffer(field_lengths, dtype=np.uint32)[docs].astype(np.int64)
    counts = np.array([len(entry) // 2 for entry in entries], dtype=np.int64)
    term_starts = np.cumsum(counts) - counts
    blocks_of = (counts + BLOCK_LIMIT - 1) // BLOCK_LIMIT
    first_blocks = np.cumsum(blocks_of) - blocks_of
    block_term = np.repeat(np.arange(len(counts)), blocks_of)
    starts = term_starts[block_term] + BLOCK_LIMIT * (
        np.arange(len(block_term)) - first_blocks[block_term]
    )
    ends = np.minimum(starts + BLOCK_LIMIT, (term_starts + counts)[block_term])
    previous = np.empty_like(docs)
    previous[0] = 0
    previous[1:] = docs[:-1]
    previous[starts] = 0
    previous -= docs
    previous *= -1  # the deltas, in place (memory: a long term has 400,000 postings)
    delta_bytes, delta_at = _int_opcodes(previous)
    del previous
    delta_from, delta_to = delta_at[starts].tolist(), delta_at[ends].tolist()
    del delta_at
    lightest = np.minimum.reduceat(weights, starts)
    heaviest = np.maximum.reduceat(weights, starts)
    shortest = np.minimum.reduceat(lengths, starts)
    longest = np.maximum.reduceat(lengths, starts)
    del lengths
    sizes = ends - starts
    varied = np.flatnonzero((lightest != heaviest) & (heaviest != 1))
    if len(varied):  # the weights of these blocks are pickled as tuples
        varied_sizes = sizes[varied]
        varied_ends = np.cumsum(varied_sizes)
        within = np.arange(int(varied_ends[-1])) - np.repeat(
            varied_ends - varied_sizes, varied_sizes
        )
        within += np.repeat(starts[varied], varied_sizes)
        weight_bytes, weight_at = _int_opcodes(weights[within])
        del within
        # each varied block's opcodes, in block order: from the end of the one before
        weight_bounds: list[int] = weight_at[np.concatenate(([0], varied_ends))].tolist()
        del weight_at
    else:
        weight_bytes, weight_bounds = b"", [0]
    plain_tail, tuple_tail = _tails(values)
    delta_view, weight_view = memoryview(delta_bytes), memoryview(weight_bytes)
    short_bytes, long_bytes = _length_bytes(shortest), _length_bytes(longest)
    term_weights: list[int] = np.add.reduceat(weights, term_starts).tolist()
    first_docs: list[int] = docs[term_starts].tolist()
    last_docs: list[int] = docs[ends - 1].tolist()
    del docs, weights
    parts: list[bytes | memoryview] = []
    position = postfile.tell()
    infos: list[bytes] = []
    weight_next = 0
    size_list = sizes.tolist()
    heavy_list, light_list = heaviest.tolist(), lightest.tolist()
    block = 0
    for term, count in enumerate(counts.tolist()):
        term_bytes = len(MAGIC)
        parts.append(MAGIC)
        after = block + (count + BLOCK_LIMIT - 1) // BLOCK_LIMIT
        for index in range(block, after):
            size, heavy = size_list[index], heavy_list[index]
            pickled: list[bytes | memoryview] = [_PROTO]
            _add_tuple(pickled, delta_view[delta_from[index] : delta_to[index]], size, 0)
            if heavy == 1:
                pickled += (_NONE, plain_tail)
            elif light_list[index] == heavy:
                pickled += (b"G" + _FLOAT.pack(float(heavy)), plain_tail)
            else:
                _add_tuple(
                    pickled,
                    weight_view[weight_bounds[weight_next] : weight_bounds[weight_next + 1]],
                    size,
                    1,
                )
                weight_next += 1
                pickled.append(tuple_tail)
            data, compression = compress(b"".join(pickled))
            header = dumps(
                (size, last_docs[index], heavy, compression, short_bytes[index], long_bytes[index]),
                2,
            )
            length = len(header) + len(data)
            parts += (BLOCK_LENGTH.pack(-length if index == after - 1 else length), header, data)
            term_bytes += 4 + length
        infos.append(
            term_info(
                term_weights[term],
                count,
                min(short_bytes[block:after]),
                max(long_bytes[block:after]),
                max(heavy_list[block:after]),
                first_docs[term],
                last_docs[after - 1],
                position,
                term_bytes,
            )
        )
        position += term_bytes
        block = after
    postfile.write(b"".join(parts))
    return infos
