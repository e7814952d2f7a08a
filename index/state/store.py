"""The state database: `StateStore`, one SQLite file in WAL mode under the user data folder.

Every write is one short `BEGIN IMMEDIATE` transaction (a batch of marks is cut into chunks),
so several readers and commands can write at once and none loses a mark; a writer killed
mid-batch leaves every chunk it committed. A file SQLite cannot read is moved aside (kept,
renamed with a timestamp), `notice` is told in one line, and a fresh database starts.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from ..paths import data_dir, private_dir
from .marks import ReadState
from .preferences import Preferences, now_stamp
from .schema import NewerSchema, migrate

STATE_FILE = "state.db"
#: Marks written per transaction: short enough never to hold other writers long.
CHUNK = 500
BUSY_TIMEOUT_S = 15.0
#: The setting that records when the reader last showed the archive's posts.
READER_SEEN_KEY = "reader.posts_shown_at"


class StateError(Exception):
    """The state cannot be used (a newer schema, an unwritable folder, a bad import file);
    the message says why in one line."""


@dataclass(frozen=True)
class Star:
    """A starred item and the reader's note on it."""

    path: str
    item_id: str
    note: str
    starred_at: str
    updated_at: str


@dataclass(frozen=True)
class Launch:
    """What the reader's start needs to say what is new: when it last started, and the
    last time it showed the posts then (posts first seen after that are new)."""

    previous: str | None
    shown_until: str | None


def default_state_path() -> Path:
    """Where the state lives: `user_data_path("digest-tui")/state.db` (XDG_DATA_HOME)."""
    return data_dir() / STATE_FILE


def normal_stamp(text: str) -> str:
    """A timestamp from an import, in the state's own form (ValueError when it is none)."""
    moment = dt.datetime.fromisoformat(text)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(dt.UTC).isoformat(timespec="microseconds")


def _is_damage(exc: BaseException) -> bool:
    """A DatabaseError that is not a busy/locked/disk condition: the file is not a database."""
    if not isinstance(exc, sqlite3.DatabaseError):
        return False
    if isinstance(exc, sqlite3.OperationalError):
        text = str(exc)
        return "malformed" in text or "not a database" in text
    return True


class StateStore(Preferences):
    """The reading state of one user (thread-safe: one connection behind a lock)."""

    def __init__(
        self,
        path: Path | None = None,
        *,
        notice: Callable[[str], None] | None = None,
        timeout: float = BUSY_TIMEOUT_S,
    ) -> None:
        self.path = path or default_state_path()
        self.notice = notice or (lambda message: None)
        self.timeout = timeout
        self._lock = threading.RLock()
        try:
            private_dir(self.path.parent)
        except OSError as exc:
            raise StateError(f"cannot use the state folder {self.path.parent}: {exc}") from None
        self.db = self._open()

    # -- opening ------------------------------------------------------------------------------

    def _connect(self) -> sqlite3.Connection:
        db = sqlite3.connect(
            str(self.path), timeout=self.timeout, isolation_level=None, check_same_thread=False
        )
        try:
            db.execute(f"PRAGMA busy_timeout = {int(self.timeout * 1000)}")
            if db.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
                db.execute("PRAGMA journal_mode = WAL")
            db.execute("PRAGMA synchronous = NORMAL")
            check = db.execute("PRAGMA quick_check").fetchone()[0]
            if check != "ok":
                raise sqlite3.DatabaseError(f"database disk image is malformed ({check})")
            migrate(db)
        except BaseException:
            db.close()
            raise
        return db

    def _connect_when_free(self) -> sqlite3.Connection:
        """`_connect`, waiting (up to the busy timeout) while another connection holds the lock:
        switching a new file to WAL and creating its tables take it at once, and SQLite's busy
        handler does not cover the first (two processes opening a fresh state at once)."""
        deadline = time.monotonic() + self.timeout
        while True:
            try:
                return self._connect()
            except sqlite3.OperationalError as exc:
                busy = "locked" in str(exc) or "busy" in str(exc)
                if not busy or time.monotonic() > deadline:
                    raise
                time.sleep(0.05)

    def _open(self) -> sqlite3.Connection:
        try:
            return self._connect_when_free()
        except NewerSchema as exc:
            raise StateError(str(exc)) from None
        except sqlite3.DatabaseError as exc:
            if not _is_damage(exc):
                raise StateError(f"cannot open the state database {self.path}: {exc}") from None
            self._move_aside(exc)
            try:
                return self._connect_when_free()
            except sqlite3.DatabaseError as again:
                raise StateError(f"cannot open the state database {self.path}: {again}") from None

    def _move_aside(self, exc: BaseException) -> None:
        """Keep the damaged file (renamed with a timestamp) and say so in one line."""
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
        kept = self.path.with_name(f"{self.path.name}.damaged-{stamp}")
        serial = 1
        while kept.exists():
            serial += 1
            kept = self.path.with_name(f"{self.path.name}.damaged-{stamp}-{serial}")
        self.path.replace(kept)
        for suffix in ("-wal", "-shm"):
            extra = self.path.with_name(self.path.name + suffix)
            if extra.exists():
                extra.replace(kept.with_name(kept.name + suffix))
        reason = str(exc).splitlines()[0][:80] if str(exc) else type(exc).__name__
        self.notice(
            f"the reading state {self.path} could not be read ({reason}); "
            f"kept it as {kept.name} and started a fresh one"
        )

    def _recover(self, exc: BaseException) -> None:
        with self._lock:
            try:
                self.db.close()
            except sqlite3.Error:
                pass
            self._move_aside(exc)
            self.db = self._connect()

    def close(self) -> None:
        with self._lock:
            self.db.close()

    # -- transactions -------------------------------------------------------------------------

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One short write transaction (BEGIN IMMEDIATE: waits up to the busy timeout)."""
        with self._lock:
            self.db.execute("BEGIN IMMEDIATE")
            try:
                yield self.db
            except BaseException:
                self.db.execute("ROLLBACK")
                raise
            self.db.execute("COMMIT")

    def _run(self, action: Callable[[], object]) -> object:
        """Run a read or write; damage found meanwhile moves the file aside, then retries."""
        try:
            return action()
        except sqlite3.DatabaseError as exc:
            if not _is_damage(exc):
                raise StateError(f"the state database {self.path}: {exc}") from None
            self._recover(exc)
            return action()

    def _rows(self, sql: str, params: tuple[object, ...] = ()) -> list[tuple[object, ...]]:
        def read() -> list[tuple[object, ...]]:
            with self._lock:
                return list(self.db.execute(sql, params))

        return self._run(read)  # type: ignore[return-value]

    # -- read marks ---------------------------------------------------------------------------

    def mark(self, keys: Iterable[tuple[str, str]], read: bool = True) -> int:
        """Mark items ((post path, item id) pairs) read or unread; returns how many."""
        rows = [(path, item_id, int(read), now_stamp()) for path, item_id in keys]
        self.put_marks(rows)
        return len(rows)

    def put_marks(self, rows: list[tuple[str, str, int, str]]) -> None:
        """Write (path, item id, read, at) marks; where one exists the later `at` wins."""

        def write() -> None:
            for start in range(0, len(rows), CHUNK):
                with self._write() as db:
                    db.executemany(
                        "INSERT INTO marks (path, item_id, read, at) VALUES (?, ?, ?, ?)"
                        " ON CONFLICT (path, item_id) DO UPDATE SET read = excluded.read,"
                        " at = excluded.at WHERE excluded.at >= marks.at",
                        rows[start : start + CHUNK],
                    )

        self._run(write)

    def read_state(self) -> ReadState:
        """A snapshot of every mark and baseline post."""
        marks = {
            (str(path), str(item_id)): bool(read)
            for path, item_id, read in self._rows("SELECT path, item_id, read FROM marks")
        }
        baseline = frozenset(
            str(row[0]) for row in self._rows("SELECT path FROM posts_seen WHERE baseline = 1")
        )
        return ReadState(marks, baseline)

    # -- posts seen, launches -----------------------------------------------------------------

    def see_posts(self, posts: Iterable[tuple[str, dt.date]], *, reader: bool = False) -> set[str]:
        """Record the posts ((path, date) pairs) now in the archive; returns the paths seen
        for the first time. The very first time any post is seen, the posts older than the
        newest date are the baseline: reading starts at the newest day. `reader`: the
        reader is showing them (what it has shown is not new at its next launch)."""
        posts = list(posts)

        def write() -> set[str]:
            with self._write() as db:
                known = {row[0] for row in db.execute("SELECT path FROM posts_seen")}
                first_run = (
                    not known and db.execute("SELECT 1 FROM marks LIMIT 1").fetchone() is None
                )
                fresh = [(path, day) for path, day in posts if path not in known]
                newest = max((day for _, day in posts), default=None)
                stamp = now_stamp()
                db.executemany(
                    "INSERT OR IGNORE INTO posts_seen (path, first_seen, baseline)"
                    " VALUES (?, ?, ?)",
                    (
                        (path, stamp, int(first_run and newest is not None and day < newest))
                        for path, day in fresh
                    ),
                )
                if reader:
                    db.execute(
                        "INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)",
                        (READER_SEEN_KEY, now_stamp()),
                    )
                return {path for path, _ in fresh}

        return self._run(write)  # type: ignore[return-value]

    def first_seen(self) -> dict[str, str]:
        """Post path -> when the state first saw it."""
        return {str(p): str(at) for p, at in self._rows("SELECT path, first_seen FROM posts_seen")}

    def record_launch(self) -> Launch:
        """Record that the reader starts now; returns when it last started and until when
        it showed posts then (None, None: this is its first launch)."""

        def write() -> Launch:
            with self._write() as db:
                row = db.execute("SELECT at FROM launches ORDER BY id DESC LIMIT 1").fetchone()
                seen = db.execute(
                    "SELECT value FROM settings WHERE key = ?", (READER_SEEN_KEY,)
                ).fetchone()
                db.execute("INSERT INTO launches (at) VALUES (?)", (now_stamp(),))
                db.execute("DELETE FROM launches WHERE id <= (SELECT MAX(id) - 50 FROM launches)")
                previous = None if row is None else str(row[0])
                return Launch(
                    previous, None if seen is None else str(seen[0]) if previous else None
                )

        return self._run(write)  # type: ignore[return-value]

    def last_launch(self) -> str | None:
        rows = self._rows("SELECT at FROM launches ORDER BY id DESC LIMIT 1")
        return str(rows[0][0]) if rows else None

    # -- stars --------------------------------------------------------------------------------

    def star(self, path: str, item_id: str, note: str | None = None) -> None:
        """Star an item; starring it again replaces its note (None keeps the note)."""
        stamp = now_stamp()

        def write() -> None:
            with self._write() as db:
                db.execute(
                    "INSERT INTO stars (path, item_id, note, starred_at, updated_at)"
                    " VALUES (?, ?, ?, ?, ?) ON CONFLICT (path, item_id) DO UPDATE SET"
                    " note = coalesce(?, stars.note), updated_at = excluded.updated_at",
                    (path, item_id, note or "", stamp, stamp, note),
                )

        self._run(write)

    def unstar(self, path: str, item_id: str) -> bool:
        """Remove a star; False when the item was not starred."""

        def write() -> bool:
            with self._write() as db:
                cursor = db.execute(
                    "DELETE FROM stars WHERE path = ? AND item_id = ?", (path, item_id)
                )
                return cursor.rowcount > 0

        return self._run(write)  # type: ignore[return-value]

    def stars(self) -> list[Star]:
        """Every star, newest first."""
        return [
            Star(*map(str, row))
            for row in self._rows(
                "SELECT path, item_id, note, starred_at, updated_at FROM stars"
                " ORDER BY starred_at DESC, path, item_id"
            )
        ]

    def star_of(self, path: str, item_id: str) -> Star | None:
        rows = self._rows(
            "SELECT path, item_id, note, starred_at, updated_at FROM stars"
            " WHERE path = ? AND item_id = ?",
            (path, item_id),
        )
        return Star(*map(str, rows[0])) if rows else None

    def put_stars(self, stars: Iterable[Star]) -> None:
        """Merge stars (from an import): where one exists the later `updated_at` wins."""
        rows = [(s.path, s.item_id, s.note, s.starred_at, s.updated_at) for s in stars]

        def write() -> None:
            with self._write() as db:
                db.executemany(
                    "INSERT INTO stars (path, item_id, note, starred_at, updated_at)"
                    " VALUES (?, ?, ?, ?, ?) ON CONFLICT (path, item_id) DO UPDATE SET"
                    " note = excluded.note, starred_at = excluded.starred_at,"
                    " updated_at = excluded.updated_at"
                    " WHERE excluded.updated_at > stars.updated_at",
                    rows,
                )

        self._run(write)
