"""The side store's reads of stored impacts: an item's stances (the search results' glyphs),
an asset's timeline, and the rows and tallies the market view computes stances over time from.
A part of `Store` (index/search/store.py), kept apart so each module stays small."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator
from typing import Any


class ImpactReads:
    """Reads of the `impacts` table (with `posts` and `units`); `Store` provides the rest."""

    db: sqlite3.Connection

    def _in(self, sql: str, keys: Iterable[int]) -> Iterator[tuple[Any, ...]]:
        raise NotImplementedError

    def item_stances(self, root: str, path: str, item_id: str) -> tuple[str, ...]:
        """The stances of an item's impacts, in the item's order (one per impact, however
        many assets it names)."""
        rows = self.db.execute(
            # found from the post (its unique key), then by pid: impacts has no uid index
            "SELECT DISTINCT i.seq, i.stance FROM posts p JOIN units u ON u.pid = p.pid"
            " JOIN impacts i ON i.pid = p.pid AND i.uid = u.uid"
            " WHERE p.root = ? AND p.path = ? AND u.item_id = ? ORDER BY i.seq",
            (root, path, item_id),
        )
        return tuple(stance for _seq, stance in rows)

    def asset_impacts(self, asset: str) -> list[tuple[str, str, str, str | None, str | None]]:
        """(date, stance, path, item_id, item_title) of every impact on `asset`."""
        return list(
            self.db.execute(
                "SELECT p.date, i.stance, p.path, u.item_id, u.item_title FROM impacts i"
                " JOIN posts p ON p.pid = i.pid JOIN units u ON u.uid = i.uid"
                " WHERE i.asset = ? ORDER BY p.date, p.path, i.seq",
                (asset,),
            )
        )

    def asset_stances_by_post(self, asset: str) -> dict[tuple[str, str], list[str]]:
        """(root, path) -> the stances of its impacts on `asset`, of every post with one:
        what an asset filter needs, in one pass over the asset's impacts."""
        found: dict[tuple[str, str], list[str]] = {}
        for root, path, stances in self.db.execute(
            "SELECT p.root, p.path, group_concat(i.stance, ' ') FROM impacts i"
            " JOIN posts p ON p.pid = i.pid WHERE i.asset = ? GROUP BY i.pid",
            (asset,),
        ):
            found[(root, path)] = stances.split(" ")
        return found

    def stance_rows(self) -> list[tuple[Any, ...]]:
        """Every impact on an asset with its post and item, oldest first: (date, root, path,
        post title, item_id, item_title, link, uid, asset, target, stance, inferred, horizon,
        text). What the market view reads (market.rows.StanceRow)."""
        return list(
            self.db.execute(
                "SELECT p.date, p.root, p.path, p.title, u.item_id, u.item_title, u.link,"
                " i.uid, i.asset, i.target, i.stance, i.inferred, i.horizon, i.text"
                " FROM impacts i JOIN posts p ON p.pid = i.pid JOIN units u ON u.uid = i.uid"
                " ORDER BY p.date, p.root, p.path, i.uid, i.seq"
            )
        )

    def impact_tally(self) -> tuple[dict[int, str], list[tuple[int, int, str, str, int]]]:
        """(pid -> date, [(pid, uid, asset, stance, inferred)]) of every impact with a
        stance: what nets per period need, without the joins and texts of `stance_rows`."""
        dates = dict(self.db.execute("SELECT pid, date FROM posts"))
        tally = self.db.execute(
            "SELECT pid, uid, asset, stance, inferred FROM impacts WHERE stance != 'unknown'"
        ).fetchall()
        return dates, tally

    def unit_analyses(self, uids: Iterable[int]) -> dict[int, str | None]:
        """uid -> the first lines of the item's analysis (None when it has none)."""
        return {
            uid: analysis
            for uid, analysis in self._in("SELECT uid, analysis FROM units WHERE uid IN", uids)
        }
