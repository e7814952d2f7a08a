"""The side store beside the Whoosh index: posts, units, tags and impacts in SQLite.

Whoosh holds the terms; this holds everything a result list, the date list, the tag and asset
lists and exact verification need, so none of them reopens a post file:

- `posts`: the manifest (root, path, size, mtime_ns, content hash), what the date list
  shows (date, title, category, tags, stance tally, assets) and its item ids (for read
  marks);
- `units`: one row per searchable unit (a post header or an item), keyed by `uid`, the same
  number the Whoosh document carries in its `uid` column, with its title and section (the
  unit's text lives in a Whoosh column, beside its terms);
- `tags`, `impacts`: for filters, counts and the asset timeline;
- `meta`: format version, roots, and the Whoosh generation this store matches.

Written only by the process holding the index lock; read concurrently (WAL mode).
"""

from __future__ import annotations

import datetime as dt
import errno
import json
import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from ..model import PostSummary
from .store_impacts import ImpactReads

if TYPE_CHECKING:
    from .units import StoredImpact

SCHEMA_SQL = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS posts (
    pid INTEGER PRIMARY KEY,
    root TEXT NOT NULL, path TEXT NOT NULL,
    size INTEGER NOT NULL, mtime_ns INTEGER NOT NULL, hash TEXT NOT NULL,
    date TEXT NOT NULL, title TEXT NOT NULL, category TEXT,
    tags TEXT NOT NULL, tally TEXT NOT NULL, assets TEXT NOT NULL,
    items TEXT NOT NULL DEFAULT '',
    UNIQUE (root, path));
CREATE INDEX IF NOT EXISTS posts_newest ON posts (date DESC, root DESC, path DESC);
CREATE TABLE IF NOT EXISTS units (
    uid INTEGER PRIMARY KEY, pid INTEGER NOT NULL, item_id TEXT, item_title TEXT,
    section TEXT NOT NULL, section_low TEXT NOT NULL, link TEXT, analysis TEXT);
CREATE INDEX IF NOT EXISTS units_pid ON units (pid);
CREATE TABLE IF NOT EXISTS tags (pid INTEGER NOT NULL, tag TEXT NOT NULL, tag_low TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS tags_pid ON tags (pid);
CREATE INDEX IF NOT EXISTS tags_low ON tags (tag_low);
CREATE TABLE IF NOT EXISTS impacts (
    pid INTEGER NOT NULL, uid INTEGER NOT NULL, asset TEXT NOT NULL, stance TEXT NOT NULL,
    seq INTEGER NOT NULL, target TEXT NOT NULL, inferred INTEGER NOT NULL, horizon TEXT,
    text TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS impacts_pid ON impacts (pid);
CREATE INDEX IF NOT EXISTS impacts_asset ON impacts (asset);
"""

#: The version of SCHEMA_SQL a store was made with (its `PRAGMA user_version`; change it with
#: the schema). A store at this version has every table and index, so opening it runs no DDL:
#: every `index` opens the store, and a background merge opens it again under the writers'
#: lock. A store made before the version was recorded (0) runs the schema once and records it.
SCHEMA_VERSION = 1


@dataclass(frozen=True)
class UnitRow:
    """One searchable unit as the store keeps it."""

    uid: int
    pid: int
    item_id: str | None
    item_title: str | None
    section: tuple[str, ...]
    link: str | None = None
    analysis: str | None = None
    """The first lines of the item's analysis (units.analysis_excerpt)."""


@dataclass(frozen=True)
class PostRow:
    """One post as the store keeps it (manifest + what lists show)."""

    pid: int
    root: str
    path: str
    size: int
    mtime_ns: int
    hash: str
    date: dt.date
    title: str
    category: str | None
    tags: tuple[str, ...]
    tally: tuple[tuple[str, int], ...]
    assets: tuple[str, ...]


_INT64_MAX = (1 << 63) - 1


def stored_mtime(mtime_ns: int) -> int:
    """A file's mtime as the manifest keeps it: within SQLite's 64-bit integers (a file
    stamped after the year 2262 must not stop the whole archive from being indexed)."""
    return max(-_INT64_MAX - 1, min(mtime_ns, _INT64_MAX))


_POST_COLUMNS = "pid, root, path, size, mtime_ns, hash, date, title, category, tags, tally, assets"


def _post_row(row: tuple[Any, ...]) -> PostRow:
    return PostRow(
        row[0],
        row[1],
        row[2],
        row[3],
        row[4],
        row[5],
        dt.date.fromisoformat(row[6]),
        row[7],
        row[8],
        tuple(json.loads(row[9])),
        tuple((s, n) for s, n in json.loads(row[10])),
        tuple(json.loads(row[11])),
    )


def is_write_failure(exc: BaseException) -> bool:
    """Whether `exc` is the disk refusing a write (full, over quota or a file size limit,
    read-only), which rebuilding the index cannot mend, rather than damage to the index."""
    if isinstance(exc, OSError):
        return exc.errno in _WRITE_ERRNOS
    if isinstance(exc, sqlite3.OperationalError):
        return any(words in str(exc) for words in ("disk is full", "disk I/O error", "readonly"))
    return False


_WRITE_ERRNOS = {errno.ENOSPC, errno.EFBIG, errno.EDQUOT, errno.EROFS}


#: The posts table's columns a `PostSummary` is made of, in `summary_from_row`'s order.
SUMMARY_COLUMNS = "path, root, date, title, category, tags, tally, assets"


def summary_from_row(
    path: str, root: str, date: str, title: str, category: str, tags: str, tally: str, assets: str
) -> PostSummary:
    """A `PostSummary` from a posts row's SUMMARY_COLUMNS (lists stored as JSON)."""
    return PostSummary(
        path,
        root,
        dt.date.fromisoformat(date),
        title,
        category,
        tuple(json.loads(tags)),
        tuple(map(tuple, json.loads(tally))),
        tuple(json.loads(assets)),
    )


class Store(ImpactReads):
    """A connection to one index's side store.

    `frozen` reads the file as it is on disk, without SQLite's shared-memory file: for a
    reader when the disk is full (that file cannot be made); complete once its writer closed.
    """

    def __init__(self, path: Path, *, frozen: bool = False) -> None:
        self.path = path
        if frozen:
            uri = f"file:{quote(str(path))}?mode=ro&immutable=1"
            self.db = sqlite3.connect(uri, uri=True, check_same_thread=False, timeout=10)
            self.db.execute("PRAGMA query_only=1")
        else:
            self.db = sqlite3.connect(str(path), check_same_thread=False, timeout=30)
            self.db.execute("PRAGMA journal_mode=WAL")
            # No syncs: the store holds rebuildable data, a killed process loses nothing (the
            # system has every write), and what an OS crash could leave is found as any damage
            # is (`update.check`), as for the Whoosh files, which are never synced either.
            # With NORMAL every `index` waited for four syncs: of the new WAL at the first
            # commit, then the WAL and the file when the last connection checkpoints on close.
            self.db.execute("PRAGMA synchronous=OFF")
            if self.db.execute("PRAGMA user_version").fetchone()[0] != SCHEMA_VERSION:
                self.db.executescript(f"{SCHEMA_SQL}PRAGMA user_version = {SCHEMA_VERSION};")

    def close(self) -> None:
        self.db.close()

    # -- meta --------------------------------------------------------------------------------

    def get_meta(self, key: str) -> str | None:
        row = self.db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return None if row is None else row[0]

    def set_meta(self, key: str, value: str) -> None:
        self.db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (key, value))

    # -- writing -----------------------------------------------------------------------------

    def next_ids(self) -> tuple[int, int]:
        """The next free (pid, uid)."""
        pid = self.db.execute("SELECT MAX(pid) FROM posts").fetchone()[0] or 0
        uid = self.db.execute("SELECT MAX(uid) FROM units").fetchone()[0] or 0
        return (
            max(pid + 1, int(self.get_meta("next_pid") or 1)),
            max(uid + 1, int(self.get_meta("next_uid") or 1)),
        )

    def delete_post(self, pid: int) -> list[int]:
        """Remove a post and its units; returns the uids removed."""
        uids = [r[0] for r in self.db.execute("SELECT uid FROM units WHERE pid = ?", (pid,))]
        for table in ("units", "tags", "impacts", "posts"):
            self.db.execute(f"DELETE FROM {table} WHERE pid = ?", (pid,))
        return uids

    def add_post(
        self, row: PostRow, units: Iterable[UnitRow], impacts: Iterable[tuple[int, StoredImpact]]
    ) -> None:
        """Insert a post (with its pid), its units and its impacts (uid, impact)."""
        from .units import section_key

        pid = row.pid
        units = list(units)
        item_ids = [u.item_id for u in units if u.item_id is not None]
        self.db.execute(
            "INSERT INTO posts (pid, root, path, size, mtime_ns, hash, date, title, category,"
            " tags, tally, assets, items) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                pid,
                row.root,
                row.path,
                row.size,
                stored_mtime(row.mtime_ns),
                row.hash,
                row.date.isoformat(),
                row.title,
                row.category,
                json.dumps(list(row.tags), ensure_ascii=False),
                json.dumps([list(t) for t in row.tally]),
                json.dumps(list(row.assets), ensure_ascii=False),
                " ".join(item_ids),  # ids are hex digits and -N: never a space
            ),
        )
        self.db.executemany(
            "INSERT INTO units (uid, pid, item_id, item_title, section, section_low, link,"
            " analysis) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                (
                    u.uid,
                    pid,
                    u.item_id,
                    u.item_title,
                    json.dumps(list(u.section), ensure_ascii=False),
                    section_key(u.section),
                    u.link,
                    u.analysis,
                )
                for u in units
            ),
        )
        tag_names = list(dict.fromkeys([*row.tags, *([row.category] if row.category else [])]))
        self.db.executemany(
            "INSERT INTO tags (pid, tag, tag_low) VALUES (?, ?, ?)",
            ((pid, t, t.lower()) for t in tag_names),
        )
        self.db.executemany(
            "INSERT INTO impacts (pid, uid, asset, stance, seq, target, inferred, horizon, text)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                (pid, uid, i.asset, i.stance, i.seq, i.target, int(i.inferred), i.horizon, i.text)
                for uid, i in impacts
            ),
        )

    def touch_post(self, pid: int, size: int, mtime_ns: int) -> None:
        """Record a new size/mtime for a post whose content hash did not change."""
        self.db.execute(
            "UPDATE posts SET size = ?, mtime_ns = ? WHERE pid = ?",
            (size, stored_mtime(mtime_ns), pid),
        )

    def commit(self) -> None:
        self.db.commit()

    # -- reading -----------------------------------------------------------------------------

    def summaries(self, limit: int = -1) -> list[PostSummary]:
        """What the date list shows of every post (or of the `limit` newest), newest first
        (then by root and path, descending: UTF-8 order is code point order, as Python
        sorts). The newest page is read through the posts_newest index, whatever the size
        of the archive."""
        rows = self.db.execute(
            f"SELECT {SUMMARY_COLUMNS} FROM posts ORDER BY date DESC, root DESC, path DESC LIMIT ?",
            (limit,),
        )
        return [summary_from_row(*row) for row in rows]

    def post_count(self) -> int:
        return int(self.db.execute("SELECT COUNT(*) FROM posts").fetchone()[0])

    def post_keys(self, pids: Iterable[int] | None = None) -> set[tuple[str, str]]:
        """(root, path) of the given posts (None: of every post)."""
        if pids is None:
            return set(self.db.execute("SELECT root, path FROM posts"))
        return set(self._in("SELECT root, path FROM posts WHERE pid IN", pids))

    def posts_by_pid(self, pids: Iterable[int]) -> dict[int, PostRow]:
        return {
            r.pid: r
            for r in (
                _post_row(row)
                for row in self._in(f"SELECT {_POST_COLUMNS} FROM posts WHERE pid IN", pids)
            )
        }

    def units(self, uids: Iterable[int]) -> dict[int, UnitRow]:
        return {
            r[0]: UnitRow(r[0], r[1], r[2], r[3], tuple(json.loads(r[4])))
            for r in self._in(
                "SELECT uid, pid, item_id, item_title, section FROM units WHERE uid IN", uids
            )
        }

    def reindex_rows(
        self, uids: Iterable[int]
    ) -> Iterator[tuple[int, int, dt.date, str, list[str], str | None]]:
        """(uid, pid, date, title, facets, item_id) of units to add to Whoosh again: the
        facets of the post and of the unit's section (`unit_facets` gives the others)."""
        from .units import post_facets, section_facets

        for uid, pid, item_id, item_title, section, date, title, category, tags in self._in(
            "SELECT u.uid, u.pid, u.item_id, u.item_title, u.section_low, p.date, p.title,"
            " p.category, p.tags FROM units u JOIN posts p ON p.pid = u.pid WHERE u.uid IN",
            uids,
        ):
            facets = post_facets(date, tuple(json.loads(tags)), category)
            facets += section_facets(section)
            yield (uid, pid, dt.date.fromisoformat(date), item_title or title, facets, item_id)

    def unit_assets(self, uids: Iterable[int]) -> dict[int, list[str]]:
        """uid -> assets of the item's impacts."""
        result: dict[int, list[str]] = {}
        for uid, asset in self._in("SELECT uid, asset FROM impacts WHERE uid IN", uids):
            result.setdefault(uid, []).append(asset)
        return result

    def manifest_stats(self) -> set[tuple[str, str, int, int]]:
        """(root, path, size, mtime_ns) of every indexed post: compared as a whole with the
        files found (what differs is then read with `manifest`)."""
        return set(self.db.execute("SELECT root, path, size, mtime_ns FROM posts"))

    def manifest(
        self, keys: Iterable[tuple[str, str]]
    ) -> dict[tuple[str, str], tuple[int, int, int, str, str]]:
        """(root, path) -> (pid, size, mtime_ns, hash, date) of the given indexed posts."""
        found: dict[tuple[str, str], tuple[int, int, int, str, str]] = {}
        for root, path in keys:
            row = self.db.execute(
                "SELECT pid, size, mtime_ns, hash, date FROM posts WHERE root = ? AND path = ?",
                (root, path),
            ).fetchone()
            if row is not None:
                found[(root, path)] = row
        return found

    def items_by_post(self) -> dict[tuple[str, str], list[tuple[str, str]]]:
        """(root, path) -> (item id, item title) of every item of every post, in reading
        order (what reading state needs: which items a post has)."""
        result: dict[tuple[str, str], list[tuple[str, str]]] = {}
        for root, path, item_id, title in self.db.execute(
            "SELECT p.root, p.path, u.item_id, u.item_title FROM units u"
            " JOIN posts p ON p.pid = u.pid WHERE u.item_id IS NOT NULL ORDER BY u.uid"
        ):
            result.setdefault((root, path), []).append((item_id, title or ""))
        return result

    def item_ids_by_post(self) -> dict[tuple[str, str], list[str]]:
        """(root, path) -> the ids of every post's items, in reading order (no titles: what
        unread counts need, read fast)."""
        return {
            (root, path): items.split()
            for root, path, items in self.db.execute("SELECT root, path, items FROM posts")
        }

    def post_heads(self) -> list[PostSummary]:
        """Every post's path, root, date, title and category, newest first (as `summaries`,
        without the tags, tally and assets: for lists that do not show them)."""
        return [
            PostSummary(path, root, dt.date.fromisoformat(date), title, category, (), ())
            for path, root, date, title, category in self.db.execute(
                "SELECT path, root, date, title, category FROM posts"
                " ORDER BY date DESC, root DESC, path DESC"
            )
        ]

    def unit_keys(self) -> dict[int, tuple[str, str | None]]:
        """uid -> (post path, item id; None for a post header) of every unit."""
        return {
            uid: (path, item_id)
            for uid, path, item_id in self.db.execute(
                "SELECT u.uid, p.path, u.item_id FROM units u JOIN posts p ON p.pid = u.pid"
            )
        }

    def pids_with_tag(self, tag: str) -> set[int]:
        return {
            r[0] for r in self.db.execute("SELECT pid FROM tags WHERE tag_low = ?", (tag.lower(),))
        }

    def pids_with_asset(self, asset: str) -> set[int]:
        return {r[0] for r in self.db.execute("SELECT pid FROM impacts WHERE asset = ?", (asset,))}

    def tag_counts(self) -> list[tuple[str, int]]:
        rows = self.db.execute("SELECT tag, COUNT(DISTINCT pid) FROM tags GROUP BY tag")
        return sorted(rows, key=lambda r: (-r[1], r[0]))

    def asset_counts(self) -> list[tuple[str, int]]:
        rows = self.db.execute("SELECT asset, COUNT(*) FROM impacts GROUP BY asset")
        return sorted(rows, key=lambda r: (-r[1], r[0]))

    def _in(self, sql: str, keys: Iterable[int]) -> Iterator[tuple[Any, ...]]:
        keys = list(keys)
        for start in range(0, len(keys), 900):
            chunk = keys[start : start + 900]
            marks = ",".join("?" * len(chunk))
            yield from self.db.execute(f"{sql} ({marks})", chunk)
