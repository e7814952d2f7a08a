"""From a parsed post to what the index stores: searchable units, term counts, impact rows.

Runs in worker processes during big builds, so it only returns plain data (picklable, small
to send back): the store rows and, per unit, the term counts of its title and whole text.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..archive import PostFile, open_inside
from ..model import STANCES, Post
from .analysis import SECTION, lower, searchable, terms
from .keyed_terms import KeyedTerms, keyed_terms

if TYPE_CHECKING:
    from ..parse.assets import AssetTable

# Set once per process (before forking workers): the asset table the parser resolves with.
_ASSETS: AssetTable | None = None


@dataclass(frozen=True)
class UnitData:
    """One searchable unit, ready for the store and the Whoosh writer."""

    item_id: str | None
    item_title: str | None
    section: tuple[str, ...]
    text: str
    title_terms: dict[str, int] | KeyedTerms
    body_terms: dict[str, int] | KeyedTerms
    impacts: tuple[StoredImpact, ...]
    """Each asset of each impact of the item, as the store keeps it."""
    facets: tuple[str, ...] = ()
    """Filter terms of the unit itself (k:header, a:asset); the post's are added on write."""
    link: str | None = None
    analysis: str | None = None
    """The first lines of the item's analysis (what the market view's flips quote)."""


@dataclass(frozen=True)
class StoredImpact:
    """One asset of one impact, as the side store keeps it (the market view reads these)."""

    asset: str
    stance: str
    seq: int
    """The impact's position among the item's impacts."""
    target: str
    inferred: bool
    horizon: str | None
    text: str


@dataclass(frozen=True)
class PostData:
    """A post reduced to what the index keeps, with its file's identity and hash."""

    root: str
    path: str
    size: int
    mtime_ns: int
    hash: str
    date: str
    title: str
    category: str | None
    tags: tuple[str, ...]
    tally: tuple[tuple[str, int], ...]
    assets: tuple[str, ...]
    warnings: tuple[str, ...]
    units: tuple[UnitData, ...]


def file_hash(path: Path, root: Path | None = None) -> str:
    """Content hash of a post file (BLAKE2b, 128 bits); opened inside `root` when given."""
    digest = hashlib.blake2b(digest_size=16)
    with open(path, "rb") if root is None else open_inside(path, root) as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def unit_data(
    item_id: str | None,
    title: str,
    section: tuple[str, ...],
    text: str,
    impacts: tuple[StoredImpact, ...] = (),
    link: str | None = None,
    analysis: str | None = None,
    counted: tuple[dict[str, int] | KeyedTerms, dict[str, int] | KeyedTerms] | None = None,
) -> UnitData:
    """Index terms and stored text of one unit, `text` already made searchable (`searchable`:
    URLs are not searched, so not stored); `counted`: the term counts of its title and text
    when they are known already."""
    title_terms, body_terms = unit_terms(title, text) if counted is None else counted
    return UnitData(
        item_id,
        title if item_id is not None else None,
        section,
        text,
        title_terms,
        body_terms,
        impacts,
        unit_facets(item_id, (impact.asset for impact in impacts), section),
        link,
        analysis_excerpt(analysis),
    )


#: How much of an item's analysis the store keeps: its first lines, this many characters.
ANALYSIS_EXCERPT = 400


def analysis_excerpt(analysis: str | None) -> str | None:
    """The first lines of an analysis (at most ANALYSIS_EXCERPT characters, cut at a line
    end when there is one), None when there is none."""
    if not analysis or not analysis.strip():
        return None
    text = analysis.strip()
    if len(text) <= ANALYSIS_EXCERPT:
        return text
    cut = text.rfind("\n", 0, ANALYSIS_EXCERPT)
    return text[: cut if cut > 0 else ANALYSIS_EXCERPT].rstrip() + "…"


def unit_terms(title: str, text: str) -> tuple[dict[str, int], dict[str, int]]:
    """The term counts of a unit's title and of its (searchable) text."""
    return terms(lower(searchable(title))), terms(lower(text))


def section_key(section: tuple[str, ...]) -> str:
    """A section path as `section:` filters match it (lowercased, parts joined by " › ")."""
    return " › ".join(section).lower()


def section_facets(key: str) -> tuple[str, ...]:
    """The facet term of a unit in the section `key` (`section_key`; none for no section)."""
    return (SECTION + key,) if key else ()


def unit_facets(
    item_id: str | None, assets: Iterable[str], section: tuple[str, ...] = ()
) -> tuple[str, ...]:
    """Filter terms of the unit itself: k:header for a post's header, a:ASSET for each asset
    an item's impacts are on, s:SECTION for its section path (given here or, when a merge
    adds a unit again, with the post's facets: `Store.reindex_rows`)."""
    if item_id is None:
        return ("k:header",)
    facets = dict.fromkeys(f"a:{asset}" for asset in assets)
    return tuple([*facets, *section_facets(section_key(section))])


def post_facets(date: str, tags: tuple[str, ...], category: str | None) -> list[str]:
    """Filter terms every unit of a post carries: its date, tags and category."""
    facets = [f"d:{date}"]
    facets += [f"t:{tag.lower()}" for tag in tags]
    if category:
        facets += [f"t:{category.lower()}", f"c:{category.lower()}"]
    return list(dict.fromkeys(facets))


def unit_texts(post: Post) -> list[tuple[str | None, str, tuple[str, ...], str]]:
    """(item id, title, section, text) of the post's searchable units: its header (title,
    summary, tags, category and the text outside items), then each item."""
    header_parts = [post.title, *post.summary, *post.tags]
    if post.category:
        header_parts.append(post.category)
    if post.text:
        header_parts.append(post.text)
    units: list[tuple[str | None, str, tuple[str, ...], str]] = [
        (None, post.title, (), "\n".join(p for p in header_parts if p))
    ]
    for item in post.items:
        text = (
            item.text
            if item.title and item.text.startswith(item.title)
            else (f"{item.title}\n{item.text}" if item.title else item.text)
        )
        units.append((item.id, item.title, tuple(item.section), text))
    return units


def post_units(post: Post, keyed: bool = False) -> tuple[UnitData, ...]:
    """The post's units with their index terms and impacts; `keyed`: their terms counted
    all at once (keyed_terms.py: a build; numpy)."""
    impacts_of = {
        item.id: tuple(
            StoredImpact(
                asset,
                impact.stance,
                seq,
                impact.target,
                impact.inferred,
                impact.horizon,
                impact.text,
            )
            for seq, impact in enumerate(item.impacts)
            for asset in impact.assets
        )
        for item in post.items
    }
    items = {item.id: item for item in post.items}
    texts = [(i, title, section, searchable(text)) for i, title, section, text in unit_texts(post)]
    counted: list[tuple[dict[str, int] | KeyedTerms, dict[str, int] | KeyedTerms] | None]
    if keyed and texts:
        lows = [lower(searchable(title)) for _id, title, _section, _text in texts]
        lows += [lower(text) for _id, _title, _section, text in texts]
        found = keyed_terms(lows)
        counted = list(zip(found[: len(texts)], found[len(texts) :], strict=True))
    else:
        counted = [None] * len(texts)
    return tuple(
        unit_data(
            item_id,
            title,
            section,
            text,
            impacts_of.get(item_id, ()) if item_id else (),
            items[item_id].link if item_id in items else None,
            items[item_id].analysis if item_id in items else None,
            counts,
        )
        for (item_id, title, section, text), counts in zip(texts, counted, strict=True)
    )


def post_data(post_file: PostFile, keyed: bool = False) -> tuple[PostData | None, tuple[str, ...]]:
    """Parse one post file into what the index keeps, with its warnings; (None, warnings)
    when it cannot be read or parsed at all: one bad post never stops a build. `keyed`: the
    terms counted as keyed_terms.py does (a build: many posts, numpy)."""
    try:
        return _post_data(post_file, keyed)
    except Exception as exc:  # untrusted content; OSError is handled inside
        return None, (f"{post_file.path}: could not be parsed ({type(exc).__name__})",)


def _post_data(post_file: PostFile, keyed: bool) -> tuple[PostData | None, tuple[str, ...]]:
    from ..parse.post import parse_post

    digest = hashlib.blake2b(digest_size=16)  # as file_hash: the bytes parsed, read once
    try:
        post = parse_post(post_file, _assets(), digest)
    except OSError as exc:
        return None, (f"{post_file.path}: cannot be read: {exc.strerror or exc}",)
    tally = post.stance_tally()
    ordered = tuple((s, tally[s]) for s in STANCES if s in tally)
    assets = tuple(dict.fromkeys(a for impact in post.impacts for a in impact.assets))
    data = PostData(
        root=str(post_file.root),
        path=post_file.path,
        size=post_file.size,
        mtime_ns=post_file.mtime_ns,
        hash=digest.hexdigest(),
        date=post.date.isoformat(),
        title=post.title,
        category=post.category,
        tags=tuple(post.tags),
        tally=ordered,
        assets=assets,
        warnings=tuple(f"{post_file.path}: {w}" for w in post.warnings),
        units=post_units(post, keyed),
    )
    return data, data.warnings


def set_assets(table: AssetTable | None) -> None:
    """Use `table` (an AssetTable) for parsing in this process and in forked workers."""
    global _ASSETS
    _ASSETS = table


def _assets() -> AssetTable:
    global _ASSETS
    if _ASSETS is None:
        from ..parse.assets import AssetTable

        _ASSETS = AssetTable.load(None)
    return _ASSETS
