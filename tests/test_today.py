"""`T`'s choice: the newest economy daily with content, placeholders skipped."""

from __future__ import annotations

import datetime as dt

from digest_tui.index.model import Post, PostSummary
from digest_tui.index.today import newest_daily


def summary(day: int, category: str = "经济日报", tally: tuple = ()) -> PostSummary:
    return PostSummary(f"p{day}.md", "/r", dt.date(2026, 3, day), f"第{day}天", category, (), tally)


def post(body: str, items: tuple = ()) -> Post:
    return Post("p.md", "/r", dt.date(2026, 3, 1), "t", None, (), (), (), items, body=body)


def test_placeholders_and_other_digests_are_skipped() -> None:
    posts = [
        summary(1, tally=(("bullish", 2),)),
        summary(2),  # a real post without impacts: a long body
        summary(3),  # the newest daily: a placeholder of two lines
        summary(4, category="AI 日报"),
    ]
    bodies = {"p2.md": "# 第2天\n\n" + "段落。\n\n" * 10, "p3.md": "内容生成中…\n"}
    loaded: list[str] = []

    def load(s: PostSummary) -> Post:
        loaded.append(s.path)
        return post(bodies[s.path])

    chosen = newest_daily(posts, load)
    assert chosen is not None and chosen.path == "p2.md"
    assert loaded == ["p3.md", "p2.md"]
    assert newest_daily([summary(4, category="AI 日报")], load) is None
