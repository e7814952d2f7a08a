"""The postings a segment writer holds, spilled to temporary runs and merged back in order.

A build adds units one by one; their postings are inverted in memory (term -> one array of
doc, frequency, doc, frequency, ...: 8 bytes a posting). Past `SPILL_POSTINGS` they are
written, term by term in sorted order, to an anonymous temporary file (a run) beside the
index, and memory starts again. When the segment is written, each field's terms come back in
order (`field_terms`), every term's postings the runs' in the order they were written, then
those still in memory: since document numbers only grow, that is the one sorted posting list
a writer holding everything in memory would have had. So a build's memory does not grow with
the archive, and a worker writes one segment however many posts it indexes (fewer, larger
segments: each term's table entry and block headers written once, not once per segment).

A spill writes the long posting lists only, when the short ones hold few postings: they stay
in memory, growing, until a later spill finds them long (or the last write takes them). Every
term of a run costs a Python step to write and another to merge back, and most terms are
rare: a run of the long lists alone has a fraction of the records, for most of the postings.
A term's postings still come back in document order: those of each run it was written to,
in run order, then those in memory, all added after them.
"""

from __future__ import annotations

import heapq
import struct
import tempfile
from array import array
from collections import defaultdict
from collections.abc import Iterator
from functools import partial
from operator import itemgetter
from typing import IO

#: Postings held in memory before they are spilled to a run (about 20 MB with their terms).
SPILL_POSTINGS = 2_000_000
#: A spill leaves in memory the terms with fewer postings than this, if they hold at most
#: half of SPILL_POSTINGS and are at most KEEP_TERMS terms, else it writes everything. The
#: postings kept count towards the next spill, so memory stays as bounded as before.
SHORT_POSTINGS = 24
KEEP_TERMS = 100_000
#: A spill writes its records this many parts at a time (not all of a field's in one piece:
#: up to SPILL_POSTINGS * 8 bytes more memory at every spill, the build's peak).
_WRITE_PARTS = 3 * 1024
_RECORD = struct.Struct("=BHI")  # field index, term length in bytes, items of its array
_new_postings = partial(array, "I")
_first = itemgetter(0)


class Postings:
    """The inverted postings of one segment being written, for each of `fields` (sorted)."""

    def __init__(self, fields: tuple[str, ...], folder: str | None) -> None:
        self.fields = tuple(sorted(fields))
        self.inverted: dict[str, defaultdict[str, array[int]]] = {}
        self.held = 0
        """Postings in memory (since the last spill)."""
        self._folder = folder
        self._runs: list[tuple[IO[bytes], list[int]]] = []
        """Each run with the offset where each field's records start (and its end)."""
        self._reset()

    def _reset(self) -> None:
        self.inverted = {name: defaultdict(_new_postings) for name in self.fields}
        self.held = 0

    def added(self, count: int) -> None:
        """Count `count` more postings in memory; spill them all past SPILL_POSTINGS."""
        self.held += count
        if self.held >= SPILL_POSTINGS:
            self.spill()

    def empty(self, name: str) -> bool:
        """Whether field `name` has no postings at all (in memory or in a run)."""
        return not self.inverted[name] and not self._runs

    def spill(self, everything: bool = False) -> None:
        """Write the postings in memory to a new run (in field, then term order): those of
        the long posting lists only when the short ones are few (see the module docstring),
        else (or with `everything`) all of them."""
        short = 2 * SHORT_POSTINGS  # items of an array: a doc and a frequency per posting
        kept_terms = kept = 0
        for inverted in self.inverted.values():
            sizes = [n for n in map(len, inverted.values()) if n < short]
            kept_terms += len(sizes)
            kept += sum(sizes) // 2
        if everything or kept > SPILL_POSTINGS // 2 or kept_terms > KEEP_TERMS:
            short, kept = 0, 0
        run = tempfile.TemporaryFile(dir=self._folder)
        offsets = [0]
        try:
            pack = _RECORD.pack
            for index, name in enumerate(self.fields):
                inverted = self.inverted[name]
                parts: list[bytes] = []
                written = [term for term, postings in inverted.items() if len(postings) >= short]
                written.sort()
                for term in written:
                    key = term.encode("utf-8")
                    postings = inverted.pop(term)
                    parts += (pack(index, len(key), len(postings)), key, postings.tobytes())
                    if len(parts) >= _WRITE_PARTS:  # a few hundred kB at a time
                        run.write(b"".join(parts))
                        parts = []
                run.write(b"".join(parts))
                offsets.append(run.tell())
            run.flush()
        except BaseException:
            run.close()
            raise
        self._runs.append((run, offsets))
        if short:
            self.held = kept
        else:
            self._reset()

    def finish(self) -> None:
        """Before the segment is written: when postings were spilled, spill the rest too, so
        that the memory they took is free again for writing the segment (the merge reads
        runs a record at a time; numpy and the batches of blocks take that memory)."""
        if self._runs and self.held:
            self.spill(everything=True)

    def field_terms(self, name: str) -> Iterator[tuple[str, array[int]]]:
        """(term, doc, frequency, doc, frequency, ...) of field `name`, in term order, each
        term once with all its postings in document order. Fields are asked in order."""
        inverted = self.inverted[name]
        in_memory = ((term, inverted[term]) for term in sorted(inverted))
        if not self._runs:
            yield from in_memory
            return
        index = self.fields.index(name)
        sources = [
            _field_records(run, offsets[index], offsets[index + 1]) for run, offsets in self._runs
        ]
        term: str | None = None
        joined = _new_postings()
        for found, postings in heapq.merge(*sources, in_memory, key=_first):
            if found != term:
                if term is not None:
                    yield term, joined
                term, joined = found, postings
            else:
                joined.extend(postings)
        if term is not None:
            yield term, joined

    def close(self) -> None:
        """Remove the runs (anonymous files: closing them frees their space)."""
        for run, _offsets in self._runs:
            run.close()
        self._runs = []


def _field_records(run: IO[bytes], start: int, end: int) -> Iterator[tuple[str, array[int]]]:
    """The records of `run` between offsets `start` and `end` (one field's), in order. Only
    one field of a run is read at a time, so the run's position is this reader's."""
    run.seek(start)
    read, unpack, size = run.read, _RECORD.unpack, _RECORD.size
    position = start
    while position < end:
        _field, length, count = unpack(read(size))
        term = read(length).decode("utf-8")
        postings = _new_postings()
        postings.frombytes(read(count * postings.itemsize))
        position += size + length + count * postings.itemsize
        yield term, postings
