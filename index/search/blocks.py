"""A term's postings in Whoosh's W3 format: inline in the term table, or as posting blocks.

Terms with fewer than INLINE_LIMIT postings are stored inside the term table; longer ones as
blocks of up to BLOCK_LIMIT postings in the postings file, each a pickled tuple of document
number deltas, weights and values, zlib-compressed when that pays (W3 keeps the level in the
block's header and its reader inflates). This module writes one term at a time in plain
Python (what a small update writes); bulk_blocks.py writes the same bytes for many terms at
once with numpy (a build).
"""

from __future__ import annotations

import struct
from array import array
from itertools import repeat
from operator import sub
from pickle import dumps
from typing import Any
from zlib import DEFLATED, compressobj

from . import lean_whoosh  # noqa: F401  # before any Whoosh module (see there)

# isort: split
from whoosh.codec.whoosh3 import WHOOSH3_HEADER_MAGIC
from whoosh.util.numeric import _length_byte_cache, length_to_byte

#: Terms with fewer postings than this are stored inside the term table (no block).
INLINE_LIMIT = 6
BLOCK_LIMIT = 512
#: zlib level of posting blocks (W3 keeps it in each block's header; its reader inflates):
#: pickled small ints shrink to about a fifth. Blocks this small or smaller stay as they are
#: (little to gain, and each compression costs a zlib stream set up).
COMPRESSION = 1
COMPRESS_FROM = 128
#: Blocks are at most a few kB: a small window and little memory make a stream cheap to set up.
_WINDOW_BITS = 10
_MEMORY_LEVEL = 1
TERM_INFO = struct.Struct("!BfIBBfII")  # W3TermInfo._struct
BLOCK_LENGTH = struct.Struct("!i")
_EXTENT = struct.Struct("!qi")  # whoosh.system pack_long, pack_int: where, how long
MAGIC: bytes = WHOOSH3_HEADER_MAGIC


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


def length_byte(length: int) -> int:
    if length < len(_LENGTH_BYTES):
        return _LENGTH_BYTES[length]
    found: int = length_to_byte(length)
    return found


def compress(data: bytes) -> tuple[bytes, int]:
    """A block's pickled data, compressed when it is long enough and that makes it shorter;
    with the compression level its header records (0: as it is)."""
    if len(data) > COMPRESS_FROM:
        deflate = compressobj(COMPRESSION, DEFLATED, _WINDOW_BITS, _MEMORY_LEVEL)
        packed = deflate.compress(data) + deflate.flush()
        if len(packed) < len(data):
            return packed, COMPRESSION
    return data, 0


def inline_value(entry: array[int], lengths: array[int]) -> bytes:
    """The term table value of a term with fewer than INLINE_LIMIT postings (`entry`: doc,
    frequency, doc, frequency, ...), its postings pickled inside it."""
    if len(entry) == 2:  # one posting (most terms of a large archive)
        doc, weight = entry
        byte = length_byte(lengths[doc])
        return TERM_INFO.pack(1, float(weight), 1, byte, byte, float(weight), doc, doc) + dumps(
            ((doc,), (weight,), ()), 2
        )
    ids, weights = entry[0::2], entry[1::2]
    doc_lengths = [lengths[d] for d in ids]
    return TERM_INFO.pack(
        1,
        float(sum(weights)),
        len(ids),
        length_byte(min(doc_lengths)),
        length_byte(max(doc_lengths)),
        float(max(weights)),
        ids[0],
        ids[-1],
    ) + dumps((tuple(ids), tuple(weights), ()), 2)


def write_blocks(postfile: Any, entry: array[int], lengths: array[int], values: object) -> bytes:
    """Write a posting list (`entry`: doc, frequency, ...) as W3 blocks (as W3PostingsWriter
    would, without its per-posting calls; weights are kept as ints, which W3's reader takes
    as they are); returns the packed W3TermInfo pointing at them."""
    ids, weights = entry[0::2], entry[1::2]
    start = postfile.tell()
    parts = [MAGIC]
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
        data, compression = compress(dumps((deltas, mini_weights, values), 2))
        shortest, longest = min(doc_lengths), max(doc_lengths)
        header = dumps(
            (
                size,
                block_ids[-1],
                heaviest,  # an int (2 bytes pickled, a float takes 9): W3 only compares it
                compression,
                length_byte(shortest),
                length_byte(longest),
            ),
            2,
        )
        length = len(header) + len(data)
        if first + BLOCK_LIMIT >= count:
            length = -length
        parts += (BLOCK_LENGTH.pack(length), header, data)
        shortest_all = min(shortest_all, shortest)
        longest_all = max(longest_all, longest)
        heaviest_all = max(heaviest_all, heaviest)
    postfile.write(b"".join(parts))
    return term_info(
        sum(weights),
        count,
        length_byte(shortest_all),
        length_byte(longest_all),
        heaviest_all,
        ids[0],
        ids[-1],
        start,
        postfile.tell() - start,
    )


def term_info(
    weight: int,
    count: int,
    shortest: int,
    longest: int,
    heaviest: int,
    first: int,
    last: int,
    start: int,
    extent: int,
) -> bytes:
    """A W3TermInfo of a term written as blocks: totals, length bytes, first and last doc,
    where its blocks start in the postings file and how many bytes they take."""
    info = TERM_INFO.pack(0, float(weight), count, shortest, longest, float(heaviest), first, last)
    return info + _EXTENT.pack(start, extent)
