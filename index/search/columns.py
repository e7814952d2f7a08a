"""The per-document columns of a snapshot for search: uid, pid and day values, and the
stored texts, read straight from the Whoosh column files (IndexView's part, issue 14).

Numeric columns are big-endian uint32 arrays per segment; a first page needs a few values,
so those are read one by one, and whole columns only for set operations over posts. The text
column's offsets and lengths are read in place from its trailer (Whoosh's reader would load
them all for every snapshot), so a text is a slice of the mapped file.
"""

from __future__ import annotations

import mmap
import struct
from bisect import bisect_right
from collections.abc import Callable, Iterable, Sequence
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt

from .arrays import DocIds, DocMask, frozen
from .scans import passing
from .segments import DAY_COLUMN, PID_COLUMN, TEXT_COLUMN, UID_COLUMN

#: Up to how many documents' column values are read one by one rather than whole columns.
_FEW_VALUES = 64

#: Per segment: (the text column file's bytes, base, offsets, lengths, the column reader).
_TextReader = tuple["mmap.mmap | None", int, npt.NDArray[Any], npt.NDArray[Any], Any]


class Segment(Protocol):
    reader: Any
    base: int
    count: int


class Columns:
    """The columns of the segments `leaves` (`size` document numbers in all)."""

    def __init__(
        self, leaves: Sequence[Segment], size: int, live_mask: Callable[[], DocMask]
    ) -> None:
        self._leaves = leaves
        self._size = size
        self._live_mask = live_mask
        self._has_deleted = any(getattr(leaf, "deleted", ()) for leaf in leaves)
        self._bases = [leaf.base for leaf in leaves]
        self._texts: list[_TextReader] | None = None
        self._arrays: dict[str, npt.NDArray[np.int64]] = {}
        self._parts: dict[str, list[npt.NDArray[Any] | None]] = {}
        self._files: dict[str, list[tuple[Any, int, int] | None]] = {}

    def close(self) -> None:
        mapped = [data for data, *_rest in self._texts or () if data is not None]
        self._texts = None  # the offset and length arrays are views of the mapped files
        for data in mapped:
            try:
                data.close()
            except BufferError:  # a view still held somewhere: closed when it is dropped
                pass

    def _column_files(self, name: str) -> list[tuple[Any, int, int] | None]:
        """Per segment, (file, position, count) of the column `uid`, `pid` or `day` (None:
        the segment has no such column)."""
        found = self._files.get(name)
        if found is None:
            column = {"uid": UID_COLUMN, "pid": PID_COLUMN, "day": DAY_COLUMN}[name]
            found = []
            for leaf in self._leaves:
                perdoc = leaf.reader._perdoc
                if not perdoc.has_column(name):
                    found.append(None)
                    continue
                reader = perdoc.column_reader(name, column)
                found.append((reader._dbfile, reader._basepos, min(reader._count, leaf.count)))
            self._files[name] = found
        return found

    def _column_parts(self, name: str) -> list[npt.NDArray[Any] | None]:
        """Per segment, the column `uid`, `pid` or `day` as an array over its bytes (None:
        the segment has no such column)."""
        found = self._parts.get(name)
        if found is None:
            found = [
                None if file is None else np.frombuffer(file[0].get(file[1], file[2] * 4), ">u4")
                for file in self._column_files(name)
            ]
            self._parts[name] = found
        return found

    def column_array(self, name: str) -> npt.NDArray[np.int64]:
        """The column `uid`, `pid` or `day` for every document number (0 for deleted
        documents) as an array."""
        found = self._arrays.get(name)
        if found is None:
            found = np.zeros(self._size, dtype=np.int64)
            for leaf, part in zip(self._leaves, self._column_parts(name), strict=True):
                if part is not None:
                    found[leaf.base : leaf.base + len(part)] = part
            if self._has_deleted:
                found[~self._live_mask()] = 0
            found = self._arrays[name] = frozen(found)
        return found

    def column_values(self, name: str, docs: DocIds) -> npt.NDArray[np.int64]:
        """`column_array(name)[docs]`, reading only the given documents' values."""
        whole = self._arrays.get(name)
        if whole is not None:
            return whole[docs]
        if name not in self._parts and len(docs) <= _FEW_VALUES:  # a read for each
            return np.array([self._column_value(name, doc) for doc in docs.tolist()], np.int64)
        found = np.zeros(len(docs), dtype=np.int64)
        ascending = bool((docs[1:] >= docs[:-1]).all())
        for leaf, part in zip(self._leaves, self._column_parts(name), strict=True):
            if part is None:
                continue
            if ascending:  # each segment's docs are one stretch of them
                low, high = np.searchsorted(docs, (leaf.base, leaf.base + len(part)))
                found[low:high] = part[docs[low:high] - leaf.base]
                continue
            inside = (docs >= leaf.base) & (docs < leaf.base + len(part))
            found[inside] = part[docs[inside] - leaf.base]
        if self._has_deleted:
            found[~self._live_mask()[docs]] = 0
        return found

    def docs_of_uids(self, uids: npt.NDArray[np.int64]) -> DocMask:
        """The mask of the live documents of the given units (uids of no document are
        ignored): looked up in each segment's uid column, whose uids ascend (else sorted
        first)."""
        mask = np.zeros(self._size, dtype=np.bool_)
        if not len(uids):
            return mask
        for leaf, part in zip(self._leaves, self._column_parts("uid"), strict=True):
            if part is None or not len(part):
                continue
            first, last = int(part[0]), int(part[-1])
            if last - first == len(part) - 1 and len(uids) > len(part) // 8:
                # consecutive uids (a segment as built): a doc is its uid less the first
                inside = uids[(uids >= first) & (uids <= last)] - first
                if (np.diff(part.astype(np.int64)) == 1).all():
                    mask[leaf.base + inside] = True
                    continue
            column = part.astype(np.int64)
            order: npt.NDArray[np.int64] | None = None
            if not (column[1:] > column[:-1]).all():
                order = np.argsort(column, kind="stable")
                column = column[order]
            at = np.minimum(np.searchsorted(column, uids), len(column) - 1)
            found = at[column[at] == uids]
            mask[leaf.base + (found if order is None else order[found])] = True
        if self._has_deleted:
            mask &= self._live_mask()
        return mask

    def _column_value(self, name: str, doc: int) -> int:
        if not self._live_mask()[doc]:
            return 0
        index = bisect_right(self._bases, doc) - 1
        leaf, file = self._leaves[index], self._column_files(name)[index]
        if file is None or doc - leaf.base >= file[2]:
            return 0
        return int.from_bytes(file[0].get(file[1] + 4 * (doc - leaf.base), 4), "big")

    def _readers(self) -> list[_TextReader]:
        """Per segment: (the text column file's bytes, base, offsets, lengths, a Whoosh
        reader when the file cannot be mapped). The offsets and lengths are read in place
        from the column's trailer (Whoosh's reader would load them all for every snapshot)."""
        if self._texts is None:
            readers: list[_TextReader] = []
            for leaf in self._leaves:
                perdoc = leaf.reader._perdoc
                if "text" not in perdoc._colfiles:
                    perdoc._colfiles["text"] = perdoc._get_column_file("text")
                colfile, base, length = perdoc._colfiles["text"]
                try:
                    data = mmap.mmap(colfile.file.fileno(), 0, access=mmap.ACCESS_READ)
                    offsets, lengths = _column_tables(data, base, length, leaf.count)
                except (AttributeError, OSError, ValueError):
                    column = perdoc.column_reader("text", TEXT_COLUMN)
                    offsets = np.frombuffer(column._offsets, dtype=column._offsets.typecode)
                    lengths = np.frombuffer(column._lengths, dtype=column._lengths.typecode)
                    readers.append((None, 0, offsets, lengths, column))
                    continue
                readers.append((data, base, offsets, lengths, None))
            self._texts = readers
        return self._texts

    def texts(self, docs: Iterable[int]) -> Iterable[tuple[int, str]]:
        """(doc, text) for the given documents, in document order."""
        ordered = sorted(docs)
        index = 0
        for leaf, (data, base, offsets, lengths, column) in zip(
            self._leaves, self._readers(), strict=True
        ):
            end = leaf.base + leaf.count
            while index < len(ordered) and ordered[index] < end:
                doc = ordered[index]
                local = doc - leaf.base
                if data is None:
                    raw = column[local]
                else:
                    start = base + int(offsets[local])
                    raw = data[start : start + int(lengths[local])]
                yield doc, raw.decode("utf-8", "replace")
                index += 1

    def matching(self, docs: DocIds, test: Callable[[Any, int, int], bool]) -> list[int]:
        """The documents among `docs` (ascending) whose stored text passes `test(data, start,
        end)`: its UTF-8 bytes are `data[start:end]` (the text column's own bytes: nothing
        is copied or decoded)."""
        found: list[int] = []
        at = 0
        for leaf, (data, base, offsets, lengths, column) in zip(
            self._leaves, self._readers(), strict=True
        ):
            stop = int(np.searchsorted(docs, leaf.base + leaf.count))
            if stop == at:
                continue
            part = docs[at:stop]
            at = stop
            if data is None:
                for doc in part.tolist():
                    raw = column[doc - leaf.base]
                    if test(raw, 0, len(raw)):
                        found.append(doc)
                continue
            local = part - leaf.base
            starts = offsets[local].astype(np.int64) + base
            ends = starts + lengths[local]
            spans = zip(part.tolist(), starts.tolist(), ends.tolist(), strict=True)
            needle = getattr(test, "needle", None)
            scan = getattr(test, "scan", None)
            if isinstance(needle, bytes):  # a search for these bytes: one call for each
                find = data.find
                found += [doc for doc, start, end in spans if find(needle, start, end) >= 0]
            elif scan is not None:  # one search in C for most texts
                found += passing(test, data, spans)
            else:
                found += [doc for doc, start, end in spans if test(data, start, end)]
        return found


def _column_tables(
    data: mmap.mmap, base: int, length: int, count: int
) -> tuple[npt.NDArray[Any], npt.NDArray[Any]]:
    """(offsets, lengths) of a Whoosh VarBytesColumn of `count` documents in `data[base:
    base + length]`, as arrays over its bytes (big-endian, as Whoosh writes them): the
    trailer ends with the lengths' typecode, or with the lengths' and offsets' typecodes
    and "X" when the offsets were written (else they are the lengths' running sum)."""
    last = base + length - 1
    if last < base:
        raise ValueError("an empty text column")
    offsets: npt.NDArray[Any] | None = None
    if data[last] == ord("X"):
        lengths_code, offsets_code = chr(data[last - 2]), chr(data[last - 1])
        last -= 2 + count * struct.calcsize(offsets_code)
        offsets = np.frombuffer(data, _big_endian(offsets_code), count, last)
    else:
        lengths_code = chr(data[last])
    start = last - count * struct.calcsize(lengths_code)
    if start < base:
        raise ValueError("a text column shorter than its tables")
    lengths = np.frombuffer(data, _big_endian(lengths_code), count, start)
    if offsets is None:
        offsets = np.concatenate(([0], np.cumsum(lengths, dtype=np.int64)[:-1]))
    return offsets, lengths


def _big_endian(typecode: str) -> np.dtype[Any]:
    """The numpy type of an `array` typecode as Whoosh writes it (big-endian)."""
    return np.dtype(typecode).newbyteorder(">")
