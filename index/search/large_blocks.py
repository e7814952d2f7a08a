"""A build worker gives the memory of its large arrays back to the system when it frees them.

glibc's malloc serves a request of 128 kB or more with a mapping of its own, unmapped when it
is freed; but after each such free it raises that threshold to the freed size (up to 32 MB),
and its heap's trim threshold to twice that. A worker frees a spill's arrays (tens of MB)
every few seconds, so from its first spill on they come from the heap, and the heap, which
only shrinks from its top and only by more than the raised threshold, keeps them: the
worker's RSS climbs with every spill whose arrays land elsewhere (one writer adding 25,000
posts: RssAnon 87 MB at the end, 52 with the threshold fixed). Fixing the threshold turns
that adjustment off, so every large array is a mapping again and its memory is the system's
again when it is freed.

Linux with glibc only (the build's workers are forked there); elsewhere it does nothing.
"""

from __future__ import annotations

import sys

#: mallopt's parameter numbers (glibc malloc.h).
_M_TRIM_THRESHOLD = -1
_M_MMAP_THRESHOLD = -3
#: glibc's own default for both, which it would otherwise raise.
THRESHOLD = 128 * 1024


def give_back_large_blocks() -> bool:
    """Keep glibc's mmap and trim thresholds at THRESHOLD for the rest of this process (see
    the module docstring); whether they were set (False: not glibc)."""
    if not sys.platform.startswith("linux"):
        return False
    import ctypes

    try:
        libc = ctypes.CDLL(None)
        libc.gnu_get_libc_version  # noqa: B018  # glibc only: musl's mallopt does nothing
        mallopt = libc.mallopt
    except (OSError, AttributeError):
        return False
    mallopt.argtypes = (ctypes.c_int, ctypes.c_int)
    mallopt.restype = ctypes.c_int
    return bool(mallopt(_M_MMAP_THRESHOLD, THRESHOLD)) and bool(
        mallopt(_M_TRIM_THRESHOLD, THRESHOLD)
    )
