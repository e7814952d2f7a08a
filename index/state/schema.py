"""The state database's schema and its migrations, one step per version (PRAGMA user_version).

A migration is a list of SQL statements run in one transaction with the version bump, so a
database is always at one whole version. Add a step at the end; never edit an old one.
"""

from __future__ import annotations

import sqlite3

MIGRATIONS: tuple[tuple[str, ...], ...] = (
    # version 1
    (
        "CREATE TABLE marks (path TEXT NOT NULL, item_id TEXT NOT NULL,"
        " read INTEGER NOT NULL, at TEXT NOT NULL, PRIMARY KEY (path, item_id))",
        "CREATE TABLE stars (path TEXT NOT NULL, item_id TEXT NOT NULL,"
        " note TEXT NOT NULL DEFAULT '', starred_at TEXT NOT NULL, updated_at TEXT NOT NULL,"
        " PRIMARY KEY (path, item_id))",
        "CREATE TABLE saved_searches (name TEXT PRIMARY KEY, query TEXT NOT NULL,"
        " saved_at TEXT NOT NULL)",
        "CREATE TABLE launches (id INTEGER PRIMARY KEY AUTOINCREMENT, at TEXT NOT NULL)",
        "CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
        "CREATE TABLE watchlist (asset TEXT PRIMARY KEY, added_at TEXT NOT NULL)",
        # posts the state has seen: when first, and whether it predates the first run
        # (`baseline`: its items count as read unless marked otherwise)
        "CREATE TABLE posts_seen (path TEXT PRIMARY KEY, first_seen TEXT NOT NULL,"
        " baseline INTEGER NOT NULL DEFAULT 0)",
    ),
)

LATEST = len(MIGRATIONS)


class NewerSchema(Exception):
    """The database was written by a newer digest-tui (its version is above LATEST)."""


def migrate(db: sqlite3.Connection) -> int:
    """Bring `db` (autocommit mode) to LATEST; returns the version it had."""
    found = int(db.execute("PRAGMA user_version").fetchone()[0])
    if found > LATEST:
        raise NewerSchema(f"the state database has version {found}; this digest-tui knows {LATEST}")
    if found == LATEST:
        return found
    db.execute("BEGIN IMMEDIATE")
    try:
        current = int(db.execute("PRAGMA user_version").fetchone()[0])  # another process?
        for version in range(current + 1, LATEST + 1):
            for statement in MIGRATIONS[version - 1]:
                db.execute(statement)
            db.execute(f"PRAGMA user_version = {version}")
        db.execute("COMMIT")
    except BaseException:
        db.execute("ROLLBACK")
        raise
    return found
