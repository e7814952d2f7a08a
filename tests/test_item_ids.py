"""Item ids stay put when the post changes elsewhere (the contract; marks and stars rely on it)."""

from __future__ import annotations

from digest_tui.index.parse.post import parse_text

HEAD = "---\ntitle: 测试日报\ndate: 2026-02-05\n---\n# 测试日报\n\n## 要闻\n\n"


def item(title: str, body: str = "正文一句。") -> str:
    return f"### {title}\n\n**核心要点：**\n\n- {body}\n\n**深度解读：**\n\n一段分析。\n\n"


def ids(*items: str) -> dict[str, str]:
    post = parse_text(HEAD + "".join(items), root="/a", path="p.md", mtime=0.0)
    return {i.title: i.id for i in post.items}


def test_ids_survive_items_added_removed_moved_and_the_body_edited() -> None:
    before = ids(item("金价新高"), item("油价回落"), item("芯片扩产"))
    assert len(set(before.values())) == 3
    assert ids(item("新增一条"), item("金价新高"), item("油价回落"), item("芯片扩产")) == {
        "新增一条": ids(item("新增一条"))["新增一条"],
        **before,
    }
    assert ids(item("芯片扩产"), item("金价新高")) == {
        "芯片扩产": before["芯片扩产"],
        "金价新高": before["金价新高"],
    }
    edited = ids(item("金价新高", "完全不同的正文，更长。"), item("油价回落"), item("芯片扩产"))
    assert edited == before
    respaced = ids(item("金价 新高"), item("油价回落"))
    assert respaced["金价 新高"] == before["金价新高"]


def test_items_with_one_title_are_told_apart_by_their_order() -> None:
    post = parse_text(
        HEAD + item("央行宣布降准", "第一条") + item("金价新高") + item("央行宣布降准", "第二条"),
        root="/a",
        path="p.md",
        mtime=0.0,
    )
    first, gold, second = post.items
    assert first.id != second.id and second.id == f"{first.id}-2"
    inserted = parse_text(
        HEAD + item("新增") + item("央行宣布降准", "第一条") + item("央行宣布降准", "第二条"),
        root="/a",
        path="p.md",
        mtime=0.0,
    )
    assert [i.id for i in inserted.items[1:]] == [first.id, second.id]
