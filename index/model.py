"""The reader's model of an archive: frozen dataclasses for posts, items and impacts.

Everything the parser produces and the index and the app consume is one of these. They are
immutable so that a parsed post can be shared between the UI thread and workers freely.
`to_json()` gives exactly the shapes of the outside contract (../shared/CONTRACT.md).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

#: Stances in the order a reader thinks of them, most bullish first.
STANCES: tuple[str, ...] = (
    "bullish",
    "leaning_bullish",
    "neutral",
    "leaning_bearish",
    "bearish",
    "mixed",
    "unknown",
)

#: One glyph per stance, so nothing depends on colour alone.
STANCE_GLYPHS: dict[str, str] = {
    "bullish": "▲",
    "leaning_bullish": "△",
    "neutral": "●",
    "leaning_bearish": "▽",
    "bearish": "▼",
    "mixed": "◆",
    "unknown": "?",
}


#: A post as the reader and the state know it: (root, path relative to the root).
PostKey = tuple[str, str]


@dataclass(frozen=True, slots=True)
class Impact:
    """What an item says it means for one target (an asset, a sector, a market)."""

    target: str
    """The target as written, without 对, bold, colon or a bracketed stance."""
    assets: tuple[str, ...]
    """Canonical asset names the target resolves to through the alias table."""
    stance: str
    """One of STANCES."""
    horizon: str | None
    """short / medium / long when the text says 短期 / 中期 / 长期."""
    text: str
    """The impact's own words."""
    inferred: bool = False
    """True when no stance word was given and the stance was read from the impact's words."""

    def to_json(self) -> dict[str, Any]:
        return {
            "target": self.target,
            "assets": list(self.assets),
            "stance": self.stance,
            "inferred": self.inferred,
            "horizon": self.horizon,
            "text": self.text,
        }


@dataclass(frozen=True, slots=True)
class LabelledText:
    """A labelled block of an item that is not one of the known ones (e.g. 技术架构)."""

    label: str
    text: str
    reported: bool = False
    """Read before the item's commentary (深度解读, 影响, 投资启示) began: part of the report
    (核心事实：…, 市场反应：…), so its source is in `Item.rest`, where the reader shows it in
    source order. Not part of the contract's JSON."""

    def to_json(self) -> dict[str, Any]:
        return {"label": self.label, "text": self.text}


@dataclass(frozen=True, slots=True)
class Item:
    """One news entry of a post: a heading or bold title line with its own body."""

    id: str
    """Unique within the post and stable when the post changes elsewhere: a hash of the
    normalised title, `-2`, `-3`... for later items of the same title."""
    title: str
    section: tuple[str, ...]
    """The headings above the item, outermost first."""
    link: str | None
    time: str | None
    points: tuple[str, ...]
    analysis: str | None
    impacts: tuple[Impact, ...]
    advice: str | None
    fields: tuple[LabelledText, ...]
    text: str
    """Plain text of the whole item (what search sees)."""
    markdown: str = ""
    """The item's own markdown source (sanitised)."""
    rest: str = ""
    """Markdown of the item's report beyond its time and points, in source order: the blocks
    no part took and the labelled fields read before the commentary (`LabelledText.reported`),
    what the reader shows before the analysis. Not part of the contract's JSON."""

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "section": list(self.section),
            "link": self.link,
            "time": self.time,
            "points": list(self.points),
            "analysis": self.analysis,
            "impacts": [impact.to_json() for impact in self.impacts],
            "advice": self.advice,
            "fields": [f.to_json() for f in self.fields],
            "text": self.text,
        }


@dataclass(frozen=True, slots=True)
class Post:
    """One markdown file of the archive, parsed."""

    path: str
    """Relative to its root, with forward slashes."""
    root: str
    """Absolute path of the archive root the post was found under."""
    date: dt.date
    title: str
    category: str | None
    tags: tuple[str, ...]
    summary: tuple[str, ...]
    warnings: tuple[str, ...]
    items: tuple[Item, ...]
    body: str = ""
    """The markdown body (sanitised, possibly truncated), for showing a post as text."""
    text: str = ""
    """Plain text of the body outside every item (H1, intro, section headings, closing
    notes), so that no word of a post is unsearchable. Not part of the contract's JSON."""
    truncated: bool = False
    """True when the file was larger than the size cap and only its start was read."""
    mtime: float = 0.0
    size: int = 0

    @property
    def impacts(self) -> tuple[Impact, ...]:
        """Every impact of every item, in reading order."""
        return tuple(impact for item in self.items for impact in item.impacts)

    def stance_tally(self) -> dict[str, int]:
        """How many impacts of each stance the post has (only stances that occur)."""
        tally: dict[str, int] = {}
        for impact in self.impacts:
            tally[impact.stance] = tally.get(impact.stance, 0) + 1
        return tally

    def to_json(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "root": self.root,
            "date": self.date.isoformat(),
            "title": self.title,
            "category": self.category,
            "tags": list(self.tags),
            "summary": list(self.summary),
            "warnings": list(self.warnings),
            "items": [item.to_json() for item in self.items],
        }


@dataclass(frozen=True, slots=True)
class SearchHit:
    """One matching unit (a post header or an item) of a search."""

    path: str
    root: str
    date: str
    post_title: str
    item_id: str | None
    item_title: str | None
    section: tuple[str, ...]
    score: float
    snippet: str
    highlights: tuple[tuple[int, int], ...]
    category: str | None = None
    stances: tuple[str, ...] = ()
    """The stances of the item's impacts, in its order (for the reader's glyphs; not part of
    the contract's JSON)."""

    def to_json(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "root": self.root,
            "date": self.date,
            "post_title": self.post_title,
            "item_id": self.item_id,
            "item_title": self.item_title,
            "section": list(self.section),
            "score": round(self.score, 4),
            "snippet": self.snippet,
            "highlights": [list(h) for h in self.highlights],
        }


@dataclass(frozen=True, slots=True)
class SearchResult:
    """A whole search: its hits (up to the limit) and the total number of matches."""

    query: str
    took_ms: float
    total: int
    hits: tuple[SearchHit, ...] = field(default_factory=tuple)

    def to_json(self) -> dict[str, Any]:
        return {
            "query": self.query,
            "took_ms": round(self.took_ms, 3),
            "total": self.total,
            "hits": [hit.to_json() for hit in self.hits],
        }


@dataclass(frozen=True, slots=True)
class PostSummary:
    """What the date list needs of a post, without its items: from the index or a scan."""

    path: str
    root: str
    date: dt.date
    title: str
    category: str | None
    tags: tuple[str, ...]
    stance_tally: tuple[tuple[str, int], ...]
    assets: tuple[str, ...] = ()

    @property
    def key(self) -> PostKey:
        return (self.root, self.path)
