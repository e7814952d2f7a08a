"""The postings a segment writer holds, spilled to temporary runs and merged back in order.

A build adds units one by one; their postings are held in memory as three flat arrays per
field, appended to in C (no Python step per posting): each posting's term number (terms are
numbered as first met), document and frequency, 12 bytes a posting. They are inverted only
when written: the term numbers ranked by term and sorted together with the postings' places
(numpy, one sort), which gives every term's postings in document order.

Past `SPILL_POSTINGS` they are written, term by term in sorted order, to an anonymous
temporary file (a run) beside the index, and memory starts again. When the segment is
written, each field's terms come back in order (`field_terms`), every term's postings the
runs' in the order they were written, then those still in memory: since document numbers only
grow, that is the one sorted posting list a writer holding everything in memory would have
had. So a build's memory does not grow with
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
import sys
import tempfile
from array import array
from collections import defaultdict
from collections.abc import Iterator, Mapping
from functools import partial
from itertools import count, repeat
from operator import itemgetter
from typing import IO, TYPE_CHECKING, Any, Union

from .keyed_terms import KeyedTerms

if TYPE_CHECKING:  # numpy is imported where many postings are inverted (a one-post update: none)
    import numpy as np
    import numpy.typing as npt

#: Postings held in memory before they are spilled to a run (about 16 MB, and as much again
#: while they are sorted).
SPILL_POSTINGS = 1_000_000
#: A spill leaves in memory the terms with fewer postings than this, if they hold at most
#: half of SPILL_POSTINGS and are at most KEEP_TERMS terms, else it writes everything. The
#: postings kept count towards the next spill, so memory stays as bounded as before.
SHORT_POSTINGS = 24
KEEP_TERMS = 100_000
#: Fewer postings than this in memory are inverted in plain Python (a small update's segment:
#: numpy not even imported); more with numpy.
NUMPY_FROM = 50_000
#: Postings are sorted as one number each when rank, document and frequency fit in this many
#: bits (else their places are sorted: more memory and time).
PACKED_BITS = 64
#: A spill writes its records this many parts at a time (not all of a field's in one piece:
#: up to SPILL_POSTINGS * 8 bytes more memory at every spill, the build's peak).
_WRITE_PARTS = 3 * 1024
_RECORD = struct.Struct("=BHI")  # field index, term length in bytes, items of its array
_new_postings = partial(array, "I")
_first = itemgetter(0)
#: What a posting list is given back as: doc, frequency, doc, frequency, ... (an array or a
#: memoryview of 'I' items: both have len, indexing and slicing, and are bytes-like).
Entry = Any
#: A unit's terms in a field: term -> frequency, or keyed (a build: keyed_terms.py).
Terms = Union[Mapping[str, int], KeyedTerms]


class _Held:
    """One field's postings in memory: term numbers (`vocabulary`: term -> number, in the
    order first met), and per posting its term's number, its document and its frequency;
    and the postings of keyed terms (keyed_terms.py: a term's key, its document and its
    frequency)."""

    __slots__ = (
        "_ranked",
        "docs",
        "frequencies",
        "key_docs",
        "key_frequencies",
        "keys",
        "terms",
        "vocabulary",
    )

    def __init__(self, kept: list[str] | None = None) -> None:
        kept = kept or []
        self.vocabulary: defaultdict[str, int] = defaultdict(
            count(len(kept)).__next__, zip(kept, range(len(kept)), strict=True)
        )
        self.terms = _new_postings()
        self.docs = _new_postings()
        self.frequencies = _new_postings()
        self.keys = array("Q")
        self.key_docs = _new_postings()
        self.key_frequencies = _new_postings()
        self._ranked: Any = None

    def add(self, doc: int, counts: Terms) -> None:
        if isinstance(counts, KeyedTerms):
            self.keys.frombytes(counts.keys)
            self.key_frequencies.frombytes(counts.counts)
            self.key_docs.frombytes(doc.to_bytes(4, sys.byteorder) * (len(counts.keys) // 8))
            counts = counts.words
        self.terms.extend(map(self.vocabulary.__getitem__, counts))
        self.frequencies.extend(counts.values())
        self.docs.extend(repeat(doc, len(counts)))

    def __len__(self) -> int:
        return len(self.terms) + len(self.keys)

    def clear(self) -> None:
        """Let go of the postings (the vocabulary stays)."""
        for name in ("terms", "docs", "frequencies", "key_docs", "key_frequencies"):
            setattr(self, name, _new_postings())
        self.keys = array("Q")
        self._ranked = None

    def key_groups(self) -> Any:
        """The keyed postings grouped by key, worked out once for a spill's choice and its
        inversion: (distinct keys ascending, each one's number of postings, the postings as
        numbers sorted (key, document, frequency) or None, each posting's place among the
        distinct keys or None, doc_bits, frequency_bits). Where a key (or a term's rank), a
        document and a frequency fit in PACKED_BITS (keys have 32 bits: always, but for
        absurd frequencies), one sort of those numbers groups them, every key's in document
        order (they were added in that order); the keys, documents and frequencies held are
        then let go of (memory): only `_inverted_numpy` may follow. Else a stable argsort of
        the keys gives each posting's place."""
        if self._ranked is None:
            import numpy as np

            from .keyed_terms import ranked_keys

            most_doc = max(_most(self.docs), _most(self.key_docs))
            most_frequency = max(_most(self.frequencies), _most(self.key_frequencies))
            doc_bits, frequency_bits = most_doc.bit_length(), most_frequency.bit_length()
            keys = np.frombuffer(self.keys, dtype=np.uint64)
            # the keys' bits, or the ranks' (at most a rank for each term and each key held)
            high_bits = max(
                int(keys.max()).bit_length() if len(keys) else 0,
                (len(self.vocabulary) + len(keys)).bit_length(),
            )
            if len(keys) and high_bits + doc_bits + frequency_bits <= PACKED_BITS:
                low = np.uint64(doc_bits + frequency_bits)
                ordered = keys << low
                ordered |= np.frombuffer(self.key_docs, dtype=np.uint32).astype(
                    np.uint64
                ) << np.uint64(frequency_bits)
                ordered |= np.frombuffer(self.key_frequencies, dtype=np.uint32)
                del keys
                self.keys = array("Q")
                self.key_docs, self.key_frequencies = _new_postings(), _new_postings()
                ordered.sort()
                grouped = ordered >> low
                first = np.empty(len(grouped), dtype=np.bool_)
                first[0] = True
                np.not_equal(grouped[1:], grouped[:-1], out=first[1:])
                starts = np.flatnonzero(first)
                distinct = grouped[starts]
                del grouped, first
                counts = np.diff(np.append(starts, len(ordered)))
                self._ranked = (distinct, counts, ordered, None, doc_bits, frequency_bits)
            else:
                distinct, counts, places = ranked_keys(keys)
                self._ranked = (distinct, counts, None, places, doc_bits, frequency_bits)
        return self._ranked

    def terms_held(self) -> int:
        return len(self.vocabulary) + len(set(self.keys))

    def inverted(self) -> tuple[list[str], list[int], Entry]:
        """(terms in order, each one's number of postings, all postings as doc, frequency,
        doc, frequency, ... in term order, each term's in document order)."""
        if len(self.terms) >= NUMPY_FROM or self.keys:
            terms, counts, inverted = self._inverted_numpy()
            return terms, counts.tolist(), memoryview(inverted.data)
        names = list(self.vocabulary)
        entries = [_new_postings() for _ in names]
        for term, doc, frequency in zip(self.terms, self.docs, self.frequencies, strict=True):
            entries[term].extend((doc, frequency))
        order = sorted(range(len(names)), key=names.__getitem__)
        pairs = _new_postings()
        for number in order:
            pairs.extend(entries[number])
        return (
            [names[number] for number in order],
            [len(entries[number]) // 2 for number in order],
            memoryview(pairs),
        )

    def _inverted_numpy(
        self,
    ) -> tuple[list[str], npt.NDArray[np.int64], npt.NDArray[np.uint32]]:
        """Every term (both kinds, each once: a kept short list may be a keyed term's) ranked
        in term order; the postings sorted by (rank, document): unique, as a unit's terms are
        all of one kind or of the other for each term. Empties what is held."""
        import numpy as np

        from .keyed_terms import key_strings

        named = list(self.vocabulary)
        distinct, key_counts, ordered, places, doc_bits, frequency_bits = self.key_groups()
        self._ranked = None
        keyed = key_strings(distinct)
        # the keyed terms are in order already: one merge with the others (sorted), not a sort
        names = sorted([*keyed, *sorted(set(named).difference(keyed))])
        rank_of = dict(zip(names, range(len(names)), strict=True))
        by_number = np.fromiter(map(rank_of.__getitem__, named), np.uint64, len(named))
        by_key = np.fromiter(map(rank_of.__getitem__, keyed), np.uint64, len(keyed))
        del rank_of, keyed, named
        numbered = len(self.terms)
        keyed_count = len(ordered) if ordered is not None else len(places)
        # each posting as one number, (rank, document, frequency) in as many bits as they
        # need: one sort in place inverts them (a sort of the places when they do not fit)
        packed = doc_bits + frequency_bits + len(names).bit_length() <= PACKED_BITS
        doc_shift = np.uint64(frequency_bits if packed else 0)
        rank_shift = np.uint64(doc_bits + frequency_bits if packed else 32)
        order = np.empty(numbered + keyed_count, dtype=np.uint64)
        named_part = order[:numbered]
        named_part[:] = by_number[np.frombuffer(self.terms, dtype=np.uint32)] << rank_shift
        named_part |= np.frombuffer(self.docs, dtype=np.uint32).astype(np.uint64) << doc_shift
        frequencies = None
        if ordered is not None:  # (then the ranks fit: see key_groups)
            # the keyed postings are sorted already (by key, whose ranks are in key order):
            # their ranks replace their keys, the others are sorted, and the two sorted
            # parts merged (a stable sort of two runs is a merge)
            named_part |= np.frombuffer(self.frequencies, dtype=np.uint32)
            self.clear()
            named_part.sort()
            keyed_part = order[numbered:]
            keyed_part[:] = np.repeat(by_key, key_counts)
            keyed_part <<= rank_shift
            ordered &= np.uint64((1 << (doc_bits + frequency_bits)) - 1)
            keyed_part |= ordered
            del ordered, keyed_part, named_part
            order.sort(kind="stable")
        else:
            keyed_part = order[numbered:]
            key_docs = np.frombuffer(self.key_docs, dtype=np.uint32).astype(np.uint64)
            key_frequencies = np.frombuffer(self.key_frequencies, dtype=np.uint32)
            keyed_part[:] = by_key[places] << rank_shift
            del places
            keyed_part |= key_docs << doc_shift
            del key_docs
            if packed:
                named_part |= np.frombuffer(self.frequencies, dtype=np.uint32)
                keyed_part |= key_frequencies
            else:
                frequencies = np.concatenate(
                    (np.frombuffer(self.frequencies, dtype=np.uint32), key_frequencies)
                )
            del key_frequencies, keyed_part, named_part
            self.clear()  # what is held is in `order` (and `frequencies`) now (memory)
            places = None if packed else np.argsort(order)
            order.sort()  # in place (order[places], without a copy)
        counts = np.bincount((order >> rank_shift).view(np.int64), minlength=len(names))
        pairs = np.empty(2 * len(order), dtype=np.uint32)
        if frequencies is None:
            pairs[1::2] = order & np.uint64((1 << frequency_bits) - 1)
        else:
            pairs[1::2] = frequencies[places]
            del frequencies, places
        order >>= doc_shift
        order &= np.uint64((1 << doc_bits) - 1)
        pairs[0::2] = order
        del order
        return names, counts, pairs

    def keep(self, terms: list[str], counts: npt.NDArray[np.int64], pairs: Any) -> _Held:
        """A new _Held with only the postings of `terms` whose count is below SHORT_POSTINGS
        (`terms`, `counts`, `pairs`: what `_inverted_numpy` gave)."""
        import numpy as np

        short = counts < SHORT_POSTINGS
        kept = _Held(
            [term for term, is_short in zip(terms, short.tolist(), strict=True) if is_short]
        )
        of_posting = np.repeat(short, counts)
        renumbered = (np.cumsum(short) - 1).astype(np.uint32)
        numbers = np.repeat(renumbered, counts)[of_posting]
        kept.terms.frombytes(numbers.tobytes())
        kept.docs.frombytes(pairs[0::2][of_posting].tobytes())
        kept.frequencies.frombytes(pairs[1::2][of_posting].tobytes())
        return kept


class Postings:
    """The postings of one segment being written, for each of `fields` (sorted)."""

    def __init__(self, fields: tuple[str, ...], folder: str | None) -> None:
        self.fields = tuple(sorted(fields))
        self._held: dict[str, _Held] = {}
        self.held = 0
        """Postings in memory (since the last spill)."""
        self._folder = folder
        self._runs: list[tuple[IO[bytes], list[int]]] = []
        """Each run with the offset where each field's records start (and its end)."""
        self._reset()

    def _reset(self) -> None:
        self._held = {name: _Held() for name in self.fields}
        self.held = 0

    def add(self, name: str, doc: int, counts: Terms) -> None:
        """Add document `doc`'s `counts` (term -> frequency) to field `name`; documents are
        added in increasing order (`added` then counts them)."""
        self._held[name].add(doc, counts)

    def terms_held(self) -> int:
        """How many terms have postings in memory."""
        return sum(held.terms_held() for held in self._held.values())

    def added(self, count: int) -> None:
        """Count `count` more postings in memory; spill them all past SPILL_POSTINGS."""
        self.held += count
        if self.held >= SPILL_POSTINGS:
            self.spill()

    def empty(self, name: str) -> bool:
        """Whether field `name` has no postings at all (in memory or in a run)."""
        return not self._held[name] and not self._runs

    def spill(self, everything: bool = False) -> None:
        """Write the postings in memory to a new run (in field, then term order): those of
        the long posting lists only when the short ones are few (see the module docstring),
        else (or with `everything`) all of them. One field is inverted at a time."""
        import numpy as np

        kept_terms = kept = 0
        for held in self._held.values():
            for found in (
                np.bincount(np.frombuffer(held.terms, dtype=np.uint32)),
                held.key_groups()[1],
            ):
                short = found[(found > 0) & (found < SHORT_POSTINGS)]
                kept_terms += len(short)
                kept += int(short.sum())
        keep = not (everything or kept > SPILL_POSTINGS // 2 or kept_terms > KEEP_TERMS)
        run = tempfile.TemporaryFile(dir=self._folder)
        offsets = [0]
        try:
            for index, name in enumerate(self.fields):
                terms, counts, pairs = self._held[name]._inverted_numpy()
                _write_records(run, index, terms, counts.tolist(), pairs, keep)
                offsets.append(run.tell())
                self._held[name] = self._held[name].keep(terms, counts, pairs) if keep else _Held()
                del terms, counts, pairs
            run.flush()
        except BaseException:
            run.close()
            raise
        self._runs.append((run, offsets))
        self.held = kept if keep else 0

    def finish(self) -> None:
        """Before the segment is written: when postings were spilled, spill the rest too, so
        that the memory they took is free again for writing the segment (the merge reads
        runs a record at a time; numpy and the batches of blocks take that memory)."""
        if self._runs and self.held:
            self.spill(everything=True)

    def field_terms(self, name: str) -> Iterator[tuple[str, Entry]]:
        """(term, doc, frequency, doc, frequency, ...) of field `name`, in term order, each
        term once with all its postings in document order. Fields are asked in order."""
        held = self._held[name]
        self._held[name] = _Held()
        in_memory = _in_memory(held) if len(held) else iter(())
        del held
        if not self._runs:
            yield from in_memory
            return
        index = self.fields.index(name)
        sources = [
            _field_records(run, offsets[index], offsets[index + 1]) for run, offsets in self._runs
        ]
        term: str | None = None
        joined: Entry = _new_postings()
        for found, postings in heapq.merge(*sources, in_memory, key=_first):
            if found != term:
                if term is not None:
                    yield term, joined
                term, joined = found, postings
            else:
                if not isinstance(joined, array):
                    joined = _new_postings(joined.tobytes())
                if isinstance(postings, array):
                    joined.extend(postings)
                else:
                    joined.frombytes(postings.cast("B"))
        if term is not None:
            yield term, joined

    def close(self) -> None:
        """Remove the runs (anonymous files: closing them frees their space)."""
        for run, _offsets in self._runs:
            run.close()
        self._runs = []


def _most(values: array[int]) -> int:
    import numpy as np

    return int(np.frombuffer(values, dtype=np.uint32).max()) if values else 0


def _in_memory(held: _Held) -> Iterator[tuple[str, Entry]]:
    """The postings of `held` inverted: (term, its postings) in term order."""
    terms, counts, pairs = held.inverted()
    start = 0
    for term, found in zip(terms, counts, strict=True):
        end = start + 2 * found
        yield term, pairs[start:end]
        start = end


def _write_records(
    run: IO[bytes], index: int, terms: list[str], counts: list[int], pairs: Any, keep: bool
) -> None:
    """Write field `index`'s records to `run`: each term's postings (the long ones only when
    `keep`: the short ones stay in memory)."""
    pack = _RECORD.pack
    data = memoryview(pairs.data).cast("B")
    parts: list[bytes | memoryview] = []
    start = 0
    for term, found in zip(terms, counts, strict=True):
        end = start + 8 * found
        if not keep or found >= SHORT_POSTINGS:
            key = term.encode("utf-8")
            parts += (pack(index, len(key), 2 * found), key, data[start:end])
            if len(parts) >= _WRITE_PARTS:  # a few hundred kB at a time
                run.write(b"".join(parts))
                parts = []
        start = end
    run.write(b"".join(parts))


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
