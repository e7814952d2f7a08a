"""Importing `hashlib` without OpenSSL: the command line's hashes come from Python's own.

`hashlib` loads OpenSSL (`_hashlib`) when it is imported, and makes its constructors from it:
9.5M instructions measured with callgrind, 1.2% of a one-post `digest-tui index`, for what
the index hashes, which Python's built-in modules hash as well: small keys with MD5 (Whoosh's
term tables, where the built-in one is faster: 0.19 µs against 0.33 µs a key), the roots with
SHA-256 (a few bytes) and post files with BLAKE2b (always the built-in one).

Importing this module first imports `hashlib` with `_hashlib` hidden, so it takes the
built-in constructors (as on a Python built without OpenSSL), then shows `_hashlib` again
for whoever imports it directly (`hmac`, `ssl`). Import it before anything imports `hashlib`
(startup_cache.py, the command line's first import, does).
"""

from __future__ import annotations

import sys


def load() -> None:
    """Import `hashlib` on the built-in hashes (a no-op when it is imported already)."""
    if "hashlib" in sys.modules or "_hashlib" in sys.modules:
        return
    sys.modules["_hashlib"] = None  # type: ignore[assignment]  # `import _hashlib` fails
    try:
        import hashlib  # noqa: F401
    finally:
        if sys.modules.get("_hashlib", False) is None:
            del sys.modules["_hashlib"]


load()
