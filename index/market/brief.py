"""A period as markdown a person can paste into a note: nets, flips, most discussed items."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Sequence

from ..model import STANCE_GLYPHS
from .rows import SCORED_STANCES, StanceRow
from .series import Flip, net_of

#: Chinese stance words, as the digests write them.
STANCE_WORDS: dict[str, str] = {
    "bullish": "利多",
    "leaning_bullish": "偏多",
    "neutral": "中性",
    "mixed": "多空交织",
    "leaning_bearish": "偏空",
    "bearish": "利空",
}
DIRECTION_GLYPHS: dict[str, str] = {"up": "▲", "down": "▼", "flat": "●"}
DIRECTION_WORDS: dict[str, str] = {"up": "利多", "down": "利空", "flat": "中性"}

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>|#!~])")
_SAFE_LINK = re.compile(r"^https?://[^\s()<>]+$")
TOP_ITEMS = 10


def escape(text: str) -> str:
    """Untrusted text as literal markdown on one line: special characters escaped."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", " ".join(text.split()))


def linked(title: str, link: str | None) -> str:
    """An item title, linked when its link is a plain http(s) URL."""
    text = escape(title) or "(untitled)"
    if link and _SAFE_LINK.match(link):
        return f"[{text}]({link})"
    return text


def brief(
    rows: Sequence[StanceRow],
    flips: Sequence[Flip],
    since: dt.date | None,
    until: dt.date | None,
) -> str:
    """The brief of `rows` (already limited to since…until) and the flips in that range."""
    dates = [row.date for row in rows]
    first = since or (min(dates) if dates else None)
    last = until or (max(dates) if dates else None)
    span = f"{first} – {last}" if first and last else "the whole archive"
    lines = [f"# Market brief: {span}", ""]
    if not rows:
        lines.append("No impact on any asset in this period.")
        return "\n".join(lines) + "\n"
    lines += _net_table(rows)
    lines += ["", f"## Flips ({len(flips)})", ""]
    if not flips:
        lines.append("No asset changed direction in this period.")
    for flip in flips:
        lines.append(
            f"- {flip.date} **{escape(flip.asset)}** {DIRECTION_GLYPHS[flip.before]} "
            f"{DIRECTION_WORDS[flip.before]} → {DIRECTION_GLYPHS[flip.after]} "
            f"{DIRECTION_WORDS[flip.after]} (net {flip.net:+d}, before: {flip.previous_date}): "
            f"{linked(flip.item.item_title, flip.item.link)} — {escape(flip.item.post_title)}"
        )
        if flip.analysis:
            lines.append(f"  > {escape(flip.analysis)}")
    lines += ["", "## Most discussed items", ""]
    lines += _top_items(rows)
    return "\n".join(lines) + "\n"


def _net_table(rows: Sequence[StanceRow]) -> list[str]:
    by_asset: dict[str, list[StanceRow]] = {}
    for row in rows:
        by_asset.setdefault(row.asset, []).append(row)
    heads = [f"{STANCE_GLYPHS[s]} {STANCE_WORDS[s]}" for s in SCORED_STANCES]
    lines = [
        "| asset | net | " + " | ".join(heads) + " | items |",
        "|---|---:|" + "---:|" * len(heads) + "---:|",
    ]
    nets = [net_of("", asset, group) for asset, group in by_asset.items()]
    for net in sorted(nets, key=lambda n: (-n.rows, n.asset)):
        glyph = STANCE_GLYPHS[net.look]
        counts = " | ".join(str(n) if n else "" for n in net.counts)
        lines.append(f"| {escape(net.asset)} | {glyph} {net.net:+d} | {counts} | {net.items} |")
    return lines


def _top_items(rows: Sequence[StanceRow]) -> list[str]:
    counts = Counter(row.item_key for row in rows)
    first: dict[tuple[str, str, str], StanceRow] = {}
    stances: dict[tuple[str, str, str], list[str]] = {}
    for row in rows:
        first.setdefault(row.item_key, row)
        stances.setdefault(row.item_key, []).append(
            f"{escape(row.asset)} {STANCE_GLYPHS[row.stance]}"
        )
    ranked = sorted(counts, key=lambda k: (-counts[k], -first[k].date.toordinal(), k))
    lines = []
    for number, key in enumerate(ranked[:TOP_ITEMS], 1):
        row = first[key]
        assets = ", ".join(dict.fromkeys(stances[key]))
        lines.append(
            f"{number}. {row.date} {linked(row.item_title, row.link)} — "
            f"{escape(row.post_title)} ({assets})"
        )
    return lines
