"""Where an index lives and which version it is, in a module of its own: reading the date
list from the store (index/listing.py) finds and checks the index without importing the
index writer and Whoosh.

Layout under the cache folder (0700, owner checked), one index per set of roots:

    index-<hash of the sorted roots>/        whoosh/ (segments, TOC)  store.sqlite
    index-<hash>.lock                         the writer lock (locking.py)
    index-<hash>.build-<pid>/                 a full build in progress (renamed into place)
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from ..paths import Roots, cache_dir, is_inside, private_dir

#: Bump when what we store or how we analyse text changes: older indexes are rebuilt.
FORMAT_VERSION = "digest-tui-index-7"  # 4: item ids from titles; 5: item links, analyses;
# 6: impacts read as issue 9 has them (inferred stances, audiences are fields); postings
# written in one piece with int weights; 7: invisible characters left out of the terms


@dataclass(frozen=True)
class IndexPaths:
    """The files of one index (one set of roots) in the cache folder."""

    folder: Path
    lock: Path
    cache: Path

    @property
    def whoosh(self) -> Path:
        return self.folder / "whoosh"

    @property
    def store(self) -> Path:
        return self.folder / "store.sqlite"


def roots_key(roots: Roots) -> str:
    """A short hash of the sorted roots: the name of their index, whatever their order."""
    joined = "\0".join(sorted(str(p) for p in roots.paths))
    return hashlib.sha256(joined.encode("utf-8", "surrogateescape")).hexdigest()[:16]


def index_paths(cache: Path, roots: Roots) -> IndexPaths:
    """Where the index of `roots` lives in `cache`."""
    key = roots_key(roots)
    return IndexPaths(cache / f"index-{key}", cache / f"index-{key}.lock", cache)


def roots_json(roots: Roots) -> str:
    """The roots as the store records them (an index made for other roots is not used)."""
    return json.dumps(sorted(str(p) for p in roots.paths), ensure_ascii=False)


def locate(roots: Roots, cache: Path | None = None) -> IndexPaths:
    """Where the index of `roots` lives (in `cache`, default platformdirs' user cache, which
    is created if need be); an OSError when that folder lies inside an archive root, where
    nothing is written."""
    cache = cache or cache_dir()
    if is_inside(cache, roots.paths):
        raise OSError(
            f"the cache folder {cache} is inside an archive folder, and nothing "
            "is ever written there (set XDG_CACHE_HOME to move it)"
        )
    return index_paths(private_dir(cache), roots)
