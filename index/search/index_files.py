"""Stats and checksums of the index's own files (what the store records after each commit and
checks on each opening), apart from the build so that checking needs no Whoosh."""

from __future__ import annotations

import os
import zlib
from pathlib import Path

CHECKSUM_WHOLE = 4 << 20
CHECKSUM_EDGE = 64 << 10


def file_stats(path: Path) -> list[int] | None:
    """[size, mtime_ns, checksum] of a file, None if it is gone. The checksum is a CRC-32 of
    the whole file up to 4 MiB, of its first and last 64 KiB beyond: damage that keeps a
    file's size and mtime is noticed too."""
    try:
        info = os.stat(path, follow_symlinks=False)
        return [info.st_size, info.st_mtime_ns, _checksum(path, info.st_size)]
    except OSError:
        return None


def file_size_mtime(path: Path) -> list[int] | None:
    """[size, mtime_ns] of a file (what `file_stats` gives, less the checksum), None if it
    is gone."""
    try:
        info = os.stat(path, follow_symlinks=False)
    except OSError:
        return None
    return [info.st_size, info.st_mtime_ns]


def _checksum(path: Path, size: int) -> int:
    with open(path, "rb") as handle:
        if size <= CHECKSUM_WHOLE:
            return zlib.crc32(handle.read())
        head = handle.read(CHECKSUM_EDGE)
        handle.seek(size - CHECKSUM_EDGE)
        return zlib.crc32(handle.read(CHECKSUM_EDGE), zlib.crc32(head))


def toc_generation(folder: Path) -> int:
    """The generation of the newest table of contents in a Whoosh folder (`_MAIN_<n>.toc`,
    as Whoosh's FileIndex.latest_generation finds it), -1 when there is none."""
    newest = -1
    try:
        names = os.listdir(folder)
    except OSError:
        return newest
    for name in names:
        if name.startswith("_MAIN_") and name.endswith(".toc") and name[6:-4].isdigit():
            newest = max(newest, int(name[6:-4]))
    return newest
