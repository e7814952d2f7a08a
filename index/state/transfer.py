"""The whole state as JSON, and back: `export_state`, `import_state`.

Import merges: a mark or star present on both sides keeps the later one (by its timestamp),
entries for posts this archive does not have are kept (they apply when the post appears),
saved searches keep the later save, settings and the watchlist are added where missing.
"""

from __future__ import annotations

from typing import Any

from .preferences import SavedSearch
from .store import Star, StateError, StateStore, normal_stamp

FORMAT = "digest-tui-state"
VERSION = 1


def export_state(store: StateStore) -> dict[str, Any]:
    """Everything the state holds, as plain JSON values."""
    marks = store._rows("SELECT path, item_id, read, at FROM marks ORDER BY path, item_id")
    seen = store._rows("SELECT path, first_seen, baseline FROM posts_seen ORDER BY path")
    watch = store._rows("SELECT asset, added_at FROM watchlist ORDER BY added_at, asset")
    return {
        "format": FORMAT,
        "version": VERSION,
        "marks": [{"path": p, "item_id": i, "read": bool(r), "at": at} for p, i, r, at in marks],
        "stars": [
            {
                "path": s.path,
                "item_id": s.item_id,
                "note": s.note,
                "starred_at": s.starred_at,
                "updated_at": s.updated_at,
            }
            for s in store.stars()
        ],
        "saved_searches": [
            {"name": s.name, "query": s.query, "saved_at": s.saved_at}
            for s in store.saved_searches()
        ],
        "settings": store.settings(),
        "watchlist": [{"asset": a, "added_at": at} for a, at in watch],
        "posts_seen": [{"path": p, "first_seen": at, "baseline": bool(b)} for p, at, b in seen],
    }


def _text(entry: dict[str, Any], key: str, where: str) -> str:
    value = entry.get(key)
    if not isinstance(value, str):
        raise StateError(f"{where}: '{key}' must be a string")
    return value


def _stamp(entry: dict[str, Any], key: str, where: str) -> str:
    try:
        return normal_stamp(_text(entry, key, where))
    except ValueError:
        raise StateError(f"{where}: '{key}' is not a date and time: {entry.get(key)!r}") from None


def _entries(data: dict[str, Any], key: str) -> list[dict[str, Any]]:
    value = data.get(key, [])
    if not isinstance(value, list) or not all(isinstance(e, dict) for e in value):
        raise StateError(f"'{key}' must be a list of objects")
    return value


def import_state(store: StateStore, data: object) -> dict[str, int]:
    """Merge an exported state into `store`; returns how many entries of each kind were
    read. The file is checked whole first, so a bad one changes nothing."""
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise StateError(f'not a digest-tui state file (no "format": "{FORMAT}")')
    if not isinstance(data.get("version"), int) or data["version"] > VERSION:
        raise StateError(
            f"state file version {data.get('version')!r} is not one this digest-tui reads"
        )
    marks = []
    for n, e in enumerate(_entries(data, "marks")):
        where = f"marks[{n}]"
        if not isinstance(e.get("read"), bool):
            raise StateError(f"{where}: 'read' must be true or false")
        marks.append(
            (
                _text(e, "path", where),
                _text(e, "item_id", where),
                int(e["read"]),
                _stamp(e, "at", where),
            )
        )
    stars = []
    for n, e in enumerate(_entries(data, "stars")):
        where = f"stars[{n}]"
        starred_at = _stamp(e, "starred_at", where)
        updated = _stamp(e, "updated_at", where) if "updated_at" in e else starred_at
        stars.append(
            Star(
                _text(e, "path", where),
                _text(e, "item_id", where),
                _text(e, "note", where),
                starred_at,
                updated,
            )
        )
    searches = []
    for n, e in enumerate(_entries(data, "saved_searches")):
        where = f"saved_searches[{n}]"
        searches.append(
            SavedSearch(
                _text(e, "name", where), _text(e, "query", where), _stamp(e, "saved_at", where)
            )
        )
    settings = data.get("settings", {})
    if not isinstance(settings, dict) or not all(isinstance(v, str) for v in settings.values()):
        raise StateError("'settings' must be an object of strings")
    watch = [
        (_text(e, "asset", f"watchlist[{n}]"), _stamp(e, "added_at", f"watchlist[{n}]"))
        for n, e in enumerate(_entries(data, "watchlist"))
    ]
    seen = []
    for n, e in enumerate(_entries(data, "posts_seen")):
        where = f"posts_seen[{n}]"
        seen.append(
            (_text(e, "path", where), _stamp(e, "first_seen", where), int(bool(e.get("baseline"))))
        )

    store.put_marks(marks)
    store.put_stars(stars)
    for search in searches:
        store.save_search(search.name, search.query, search.saved_at)

    def write() -> None:
        with store._write() as db:
            db.executemany(
                "INSERT OR IGNORE INTO settings (key, value) VALUES (?, ?)", list(settings.items())
            )
            db.executemany("INSERT OR IGNORE INTO watchlist (asset, added_at) VALUES (?, ?)", watch)
            db.executemany(
                "INSERT INTO posts_seen (path, first_seen, baseline) VALUES (?, ?, ?)"
                " ON CONFLICT (path) DO UPDATE SET"
                " first_seen = min(first_seen, excluded.first_seen)",
                seen,
            )

    store._run(write)
    return {
        "marks": len(marks),
        "stars": len(stars),
        "saved_searches": len(searches),
        "settings": len(settings),
        "watchlist": len(watch),
        "posts_seen": len(seen),
    }
