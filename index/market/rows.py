"""One asset of one impact, as the market view reads it from the store: `StanceRow`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

#: The contract's scores; `unknown` has none and is left out of everything.
SCORES: dict[str, int] = {
    "bullish": 2,
    "leaning_bullish": 1,
    "neutral": 0,
    "mixed": 0,
    "leaning_bearish": -1,
    "bearish": -2,
}

#: The scored stances, in the contract's column order.
SCORED_STANCES: tuple[str, ...] = (
    "bullish",
    "leaning_bullish",
    "neutral",
    "mixed",
    "leaning_bearish",
    "bearish",
)


def score(stance: str) -> int | None:
    """A stance's score (+2 … -2), None for `unknown` (or anything else)."""
    return SCORES.get(stance)


@dataclass(frozen=True, slots=True)
class StanceRow:
    """What one impact says about one asset, with the post and item it comes from."""

    date: dt.date
    root: str
    path: str
    post_title: str
    item_id: str
    item_title: str
    link: str | None
    uid: int
    """The item's unit number in the index (to find its analysis)."""
    asset: str
    target: str
    stance: str
    inferred: bool
    horizon: str | None
    text: str

    @property
    def score(self) -> int:
        return SCORES[self.stance]

    @property
    def item_key(self) -> tuple[str, str, str]:
        """What tells the row's item apart from every other: (root, path, item_id)."""
        return (self.root, self.path, self.item_id)

    def to_json(self) -> dict[str, Any]:
        """The contract's `stances --by item` object."""
        return {
            "date": self.date.isoformat(),
            "path": self.path,
            "root": self.root,
            "item_id": self.item_id,
            "item_title": self.item_title,
            "asset": self.asset,
            "target": self.target,
            "stance": self.stance,
            "inferred": self.inferred,
            "score": self.score,
            "horizon": self.horizon,
            "text": self.text,
        }


def rows_from_store(records: Iterable[tuple[Any, ...]]) -> list[StanceRow]:
    """StanceRows from the store's `stance_rows()` tuples; impacts without a score
    (`unknown`) are left out, as the contract says."""
    result = []
    days: dict[str, dt.date] = {}
    for (
        date,
        root,
        path,
        post_title,
        item_id,
        item_title,
        link,
        uid,
        asset,
        target,
        stance,
        inferred,
        horizon,
        text,
    ) in records:
        if stance not in SCORES:
            continue
        day = days.get(date)
        if day is None:
            day = days[date] = dt.date.fromisoformat(date)
        result.append(
            StanceRow(
                day,
                root,
                path,
                post_title,
                item_id or "",
                item_title or "",
                link,
                uid,
                asset,
                target,
                stance,
                bool(inferred),
                horizon,
                text,
            )
        )
    return result


def in_range(
    rows: Iterable[StanceRow],
    since: dt.date | None = None,
    until: dt.date | None = None,
    assets: Iterable[str] | None = None,
) -> list[StanceRow]:
    """The rows dated since…until (both inclusive) on the given assets (None: every asset)."""
    wanted = None if assets is None else set(assets)
    return [
        row
        for row in rows
        if (since is None or row.date >= since)
        and (until is None or row.date <= until)
        and (wanted is None or row.asset in wanted)
    ]
