"""The "today" post: the newest economy daily that has content.

Some days the digest publishes a placeholder first (a title and a line or two, "内容生成中"),
then the real post later or never. `T` opens the newest economy daily that has digest items,
or, for one without that structure, a body of more than a few lines.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from .model import Post, PostSummary

ECONOMY_DAILY = "经济日报"
#: A post with fewer non-blank body lines than this (and no items) is a placeholder.
MIN_CONTENT_LINES = 6


def is_economy_daily(summary: PostSummary) -> bool:
    """Category or a tag says 经济日报."""
    names = [summary.category or "", *summary.tags]
    return any(ECONOMY_DAILY in name for name in names)


def has_content(post: Post) -> bool:
    """Digest items (points, analysis, impacts), or a body of more than a few lines: not a
    placeholder (which the parser may still make one item of)."""
    if any(item.points or item.analysis or item.impacts for item in post.items):
        return True
    lines = [line for line in post.body.splitlines() if line.strip()]
    return len(lines) >= MIN_CONTENT_LINES


def newest_daily(
    posts: Iterable[PostSummary], load: Callable[[PostSummary], Post | None], tries: int = 30
) -> PostSummary | None:
    """The newest economy daily whose post has content (`load` reads one; None: unreadable),
    trying at most `tries` of the newest; None when there is none."""
    dailies = sorted(
        (p for p in posts if is_economy_daily(p)),
        key=lambda p: (p.date, p.root, p.path),
        reverse=True,
    )
    for summary in dailies[:tries]:
        if summary.stance_tally:  # impacts: it has items, no need to read it
            return summary
        post = load(summary)
        if post is not None and has_content(post):
            return summary
    return None
