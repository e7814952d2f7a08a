"""The computed stances over time kept on disk between runs: `SeriesCache`.

One JSON file per part (`market-days.json`: the day tallies, as columns; `market-flips.json`:
every flip with its item and analysis) in the index's own folder in the cache directory
(never inside an archive root; a rebuild, which replaces the folder, takes them along). Each
file records the key of the index it was computed from (its format, generation and files);
a file of another key, or one that cannot be read back exactly, is ignored and computed
again. JSON, not pickle: a damaged or planted file can only fail to load.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from .rows import SCORED_STANCES, SCORES, StanceRow
from .series import DIRECTIONS, Flip, PeriodNet
from .tallies import DayTally

#: Bump when what a part holds changes (older files are then ignored).
CACHE_VERSION = 2
_WIDTH = len(SCORED_STANCES)


class SeriesCache:
    """The cached parts of one index (`folder`), valid for `key`."""

    def __init__(self, folder: Path, key: str) -> None:
        self.folder = folder
        self.key = key

    def _path(self, part: str) -> Path:
        return self.folder / f"market-{part}.json"

    def _load(self, part: str) -> Any:
        try:
            data = json.loads(self._path(part).read_bytes())
        except (OSError, ValueError):
            return None
        if not isinstance(data, dict) or data.get("version") != CACHE_VERSION:
            return None
        return data.get("data") if data.get("key") == self.key else None

    def _save(self, part: str, payload: Any) -> None:
        """Write a part atomically (a temp file renamed); a cache that cannot be written
        (read-only, full, the folder replaced meanwhile) is simply not kept."""
        text = json.dumps(
            {"version": CACHE_VERSION, "key": self.key, "data": payload},
            ensure_ascii=False,
            separators=(",", ":"),
        )
        import tempfile  # only when a part is written

        temp = None
        try:
            fd, temp = tempfile.mkstemp(prefix=f".market-{part}-", dir=self.folder)
            with os.fdopen(fd, "w", encoding="utf-8") as out:
                out.write(text)
            os.replace(temp, self._path(part))
            temp = None
        except OSError:
            pass
        finally:
            if temp is not None:
                try:
                    os.unlink(temp)
                except OSError:
                    pass

    # -- the day tallies -------------------------------------------------------------------
    def days(self) -> list[DayTally] | None:
        try:
            return _days_from(self._load("days"))
        except (KeyError, TypeError, ValueError, IndexError, AttributeError):
            return None

    def save_days(self, days: Sequence[DayTally]) -> None:
        self._save(
            "days",
            {
                "date": [d.date.isoformat() for d in days],
                "asset": [d.asset for d in days],
                "counts": [n for d in days for n in d.counts],
                "inferred": [d.inferred for d in days],
                "items": [d.items for d in days],
                "net": [d.net for d in days],
            },
        )

    # -- the nets per period of every asset over the whole archive ---------------------------
    def nets(self, by: str) -> list[PeriodNet] | None:
        try:
            return _nets_from(self._load(f"nets-{by}"))
        except (KeyError, TypeError, ValueError, IndexError, AttributeError):
            return None

    def save_nets(self, by: str, nets: Sequence[PeriodNet]) -> None:
        self._save(
            f"nets-{by}",
            {
                "period": [n.period for n in nets],
                "asset": [n.asset for n in nets],
                "net": [n.net for n in nets],
                "counts": [c for n in nets for c in n.counts],
                "items": [n.items for n in nets],
                "inferred": [n.inferred for n in nets],
            },
        )

    # -- the flips -------------------------------------------------------------------------
    def flips(self) -> list[Flip] | None:
        try:
            return _flips_from(self._load("flips"))
        except (KeyError, TypeError, ValueError, IndexError, AttributeError):
            return None

    def save_flips(self, flips: Sequence[Flip]) -> None:
        self._save(
            "flips",
            [
                [
                    f.asset,
                    f.date.isoformat(),
                    f.before,
                    f.after,
                    f.previous_date.isoformat(),
                    f.net,
                    f.analysis,
                    *_row_fields(f.item),
                ]
                for f in flips
            ],
        )


def _str(value: Any) -> str:
    if not isinstance(value, str):
        raise TypeError("not a string")
    return value


def _opt_str(value: Any) -> str | None:
    return None if value is None else _str(value)


def _int(value: Any) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        raise TypeError("not an integer")
    return value


def _check(kind: type, *columns: Sequence[Any]) -> None:
    """Every value of every column is exactly of `kind` (not a bool for an int)."""
    for column in columns:
        if not set(map(type, column)) <= {kind}:
            raise TypeError(f"not all {kind.__name__}")


def _check_lengths(
    keys: Sequence[Any], columns: Sequence[Sequence[Any]], counts: Sequence[Any]
) -> None:
    """Every column as long as `keys`, and `counts` _WIDTH values per key."""
    if any(len(column) != len(keys) for column in columns) or len(counts) != _WIDTH * len(keys):
        raise ValueError("columns of different lengths")


def _days_from(data: Any) -> list[DayTally] | None:
    if data is None:
        return None
    dates, assets, counts = data["date"], data["asset"], data["counts"]
    inferred, items, nets = data["inferred"], data["items"], data["net"]
    _check(str, dates, assets)
    _check(int, counts, inferred, items, nets)
    _check_lengths(dates, (assets, inferred, items, nets), counts)
    days = {day: dt.date.fromisoformat(day) for day in set(dates)}
    rows = zip(
        map(days.__getitem__, dates),
        assets,
        zip(*[iter(counts)] * _WIDTH, strict=True),
        inferred,
        items,
        nets,
        strict=True,
    )
    return list(map(DayTally._make, rows))


def _nets_from(data: Any) -> list[PeriodNet] | None:
    if data is None:
        return None
    periods, assets, counts = data["period"], data["asset"], data["counts"]
    nets, items, inferred = data["net"], data["items"], data["inferred"]
    _check(str, periods, assets)
    _check(int, nets, counts, items, inferred)
    _check_lengths(periods, (assets, nets, items, inferred), counts)
    counted = zip(*[iter(counts)] * _WIDTH, strict=True)
    rows = zip(periods, assets, nets, counted, items, inferred, strict=True)
    return [PeriodNet(*row) for row in rows]


def _row_fields(row: StanceRow) -> list[Any]:
    return [
        row.date.isoformat(),
        row.root,
        row.path,
        row.post_title,
        row.item_id,
        row.item_title,
        row.link,
        row.uid,
        row.asset,
        row.target,
        row.stance,
        row.inferred,
        row.horizon,
        row.text,
    ]


def _row_from(fields: Sequence[Any]) -> StanceRow:
    (date, root, path, title, item_id, item_title, link, uid, asset, target, stance) = fields[:11]
    inferred, horizon, text = fields[11:]
    if stance not in SCORES or not isinstance(inferred, bool):
        raise ValueError("not a scored row")
    return StanceRow(
        dt.date.fromisoformat(_str(date)),
        _str(root),
        _str(path),
        _str(title),
        _str(item_id),
        _str(item_title),
        _opt_str(link),
        _int(uid),
        _str(asset),
        _str(target),
        stance,
        inferred,
        _opt_str(horizon),
        _str(text),
    )


def _flips_from(data: Any) -> list[Flip] | None:
    if data is None:
        return None
    result = []
    for fields in data:
        asset, date, before, after, previous, net, analysis = fields[:7]
        if before not in DIRECTIONS or after not in DIRECTIONS:
            raise ValueError("not a direction")
        result.append(
            Flip(
                _str(asset),
                dt.date.fromisoformat(_str(date)),
                before,
                after,
                dt.date.fromisoformat(_str(previous)),
                _int(net),
                _row_from(fields[7:]),
                _opt_str(analysis),
            )
        )
    return result
