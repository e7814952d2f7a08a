"""Filtering the post list by tag and asset: what the reader's date list shows under filters.

Headless and shared: the reader calls these through `Library` (in a worker), and tests call them
without Textual. Before the first index exists, filtering falls back to the posts' own summaries.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from .model import PostKey, PostSummary

FILTER_KINDS = ("tag", "asset")


@dataclass(frozen=True)
class Filters:
    """The active filters: at most one tag and one asset (None: not filtered by it)."""

    tag: str | None = None
    asset: str | None = None

    def __bool__(self) -> bool:
        return self.tag is not None or self.asset is not None

    @property
    def tags(self) -> tuple[str, ...]:
        return (self.tag,) if self.tag is not None else ()

    @property
    def assets(self) -> tuple[str, ...]:
        return (self.asset,) if self.asset is not None else ()

    def get(self, kind: str) -> str | None:
        return self.tag if kind == "tag" else self.asset if kind == "asset" else None

    def with_value(self, kind: str | None, value: str | None) -> Filters:
        """These filters with `kind` set to `value` (None clears it); kind None clears all."""
        if kind is None:
            return Filters()
        if kind not in FILTER_KINDS:
            raise ValueError(f"unknown filter kind {kind!r}")
        return Filters(**{**self.as_dict(), kind: value})

    def as_dict(self) -> dict[str, str]:
        """The set filters as {kind: value}, in display order."""
        return {k: v for k in FILTER_KINDS if (v := self.get(k)) is not None}

    def describe(self) -> str:
        return ", ".join(f"{k}: {v}" for k, v in self.as_dict().items())


@dataclass(frozen=True)
class FilteredPosts:
    """The posts that pass `filters`, and under an asset filter that asset's stance per post."""

    filters: Filters
    keys: frozenset[PostKey] | None = None
    """None: no filter, every post passes."""
    stances: Mapping[PostKey, str] | None = field(default=None)
    _listed: list[tuple[Sequence[PostSummary], tuple[PostSummary, ...]]] = field(
        default_factory=list, compare=False, hash=False, repr=False
    )
    """The last `listed` answer: (the posts it was asked of, those that pass)."""

    def passes(self, post: PostSummary) -> bool:
        return self.keys is None or post.key in self.keys

    def listed(self, posts: Sequence[PostSummary]) -> Sequence[PostSummary]:
        """The posts of `posts` that pass, in their order; kept for the last `posts` asked of
        (the same listing object), so that the reader's worker works the list out ahead and
        the key that sets the filter (5,000 posts tested one by one) does not."""
        keys = self.keys
        if keys is None:
            return posts
        kept = self._listed[-1] if self._listed else None
        if kept is not None and kept[0] is posts:
            return kept[1]
        passed = tuple(post for post in posts if post.key in keys)
        self._listed[:] = [(posts, passed)]
        return passed


def combined_stance(stances: Sequence[str]) -> str:
    """One stance for a post's several impacts on an asset: agreed, mixed, or the firmest."""
    if not stances:
        return "unknown"
    up = any(s in ("bullish", "leaning_bullish") for s in stances)
    down = any(s in ("bearish", "leaning_bearish") for s in stances)
    if (up and down) or "mixed" in stances:
        return "mixed"
    for stance in ("bullish", "bearish", "leaning_bullish", "leaning_bearish", "neutral"):
        if stance in stances:
            return stance
    return "unknown"


def summary_matches(post: PostSummary, filters: Filters) -> bool:
    """Whether a post's own summary passes the filters (used before an index exists)."""
    return all(t in post.tags or t == post.category for t in filters.tags) and all(
        a in post.assets for a in filters.assets
    )


def summary_choices(posts: Iterable[PostSummary], kind: str) -> list[tuple[str, int]]:
    """Tags (with categories) or assets of `posts` with their post counts, most first."""
    counts: dict[str, int] = {}
    for post in posts:
        names: Iterable[str] = (
            post.tags + ((post.category,) if post.category else ())
            if kind == "tag"
            else post.assets
        )
        for name in set(names):
            counts[name] = counts.get(name, 0) + 1
    return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
