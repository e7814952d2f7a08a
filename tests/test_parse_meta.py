"""Frontmatter to a post's header: dates with their fallbacks, title, category, tags, summary,
warnings; and the parser's promise that nothing but OSError leaves it."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
from digest_tui.index.archive import PostFile
from digest_tui.index.parse import structure
from digest_tui.index.parse.post import parse_post, parse_text, split_summary


def parse(
    frontmatter: str,
    body: str = "## 条目\n\n正文。\n",
    path: str = "posts/p.md",
    mtime: float = 0.0,
):
    text = f"---\n{frontmatter}\n---\n{body}" if frontmatter is not None else body
    return parse_text(text, root="/r", path=path, mtime=mtime)


@pytest.mark.parametrize(
    "value",
    [
        "2031-03-04",
        "2031-03-04 08:30:00",
        '"2031-03-04"',
        "2031-03-04T08:30:00+08:00",
        "'2031-3-4'",
        "2031/03/04",
        "2031.3.4",
        "2031年3月4日",
        "2031年3月4日 08:30",
    ],
)
def test_frontmatter_date_in_any_form(value: str) -> None:
    post = parse(f"title: t\ndate: {value}")
    assert post.date == dt.date(2031, 3, 4)
    assert post.warnings == ()


def test_a_date_in_another_spelling_must_still_be_a_date() -> None:
    post = parse("title: t\ndate: 2031/02/30", path="2031-03-05-abc.md")
    assert post.date == dt.date(2031, 3, 5)
    assert "'2031/02/30' is not a valid date" in post.warnings[0]


@pytest.mark.parametrize("value", ["[经济日报, 宏观]", "经济日报", "\n  - 经济日报\n  - 宏观"])
def test_category_from_a_categories_list(value: str) -> None:
    assert parse(f"title: t\ndate: 2031-03-04\ncategories: {value}").category == "经济日报"
    both = parse(f"title: t\ndate: 2031-03-04\ncategory: AI 日报\ncategories: {value}")
    assert both.category == "AI 日报"  # `category` itself wins


def test_file_name_date_when_frontmatter_has_none() -> None:
    post = parse("title: t", path="econ/2031-03-05-abc.md")
    assert post.date == dt.date(2031, 3, 5)
    assert post.warnings == ("no date in frontmatter; using the file name's date 2031-03-05",)


def test_file_name_date_when_frontmatter_date_is_invalid() -> None:
    post = parse("title: t\ndate: 2031-13-45", path="2031-03-05-abc.md")
    assert post.date == dt.date(2031, 3, 5)
    assert "'2031-13-45' is not a valid date" in post.warnings[0]


def test_mtime_date_as_last_resort() -> None:
    mtime = dt.datetime(2030, 6, 7, 12, 0).timestamp()
    post = parse("title: t", path="notes.md", mtime=mtime)
    assert post.date == dt.date(2030, 6, 7)
    assert "modification date 2030-06-07" in post.warnings[0]


def test_frontmatter_date_wins_over_the_file_name() -> None:
    post = parse("title: t\ndate: 2031-03-04", path="2031-03-05-abc.md")
    assert post.date == dt.date(2031, 3, 4) and post.warnings == ()


def test_title_from_frontmatter_then_h1_then_file_name() -> None:
    assert parse("title: '带引号的标题'\ndate: 2031-01-01").title == "带引号的标题"
    from_h1 = parse("date: 2031-01-01", body="# 一级**标题**\n\n## 条目\n\n正文。\n")
    assert from_h1.title == "一级标题" and from_h1.warnings == ()
    assert [i.title for i in from_h1.items] == ["条目"]  # the H1 is not an item
    from_name = parse("date: 2031-01-01", path="posts/my-note.md")
    assert from_name.title == "my-note"
    assert from_name.warnings == ("no title in frontmatter or heading; using the file name",)


@pytest.mark.parametrize(
    ("line", "category"),
    [("category: 经济日报", "经济日报"), ('category: "AI 日报"', "AI 日报"), ("", None)],
)
def test_category_quoted_unquoted_or_missing(line: str, category: str | None) -> None:
    assert parse(f"title: t\ndate: 2031-01-01\n{line}").category == category


@pytest.mark.parametrize(
    ("line", "tags"),
    [
        ("tags: []", ()),
        ('tags: ["经济日报","宏观经济"]', ("经济日报", "宏观经济")),
        ("tags:\n  - AI\n  - 模型", ("AI", "模型")),
        ("", ()),
    ],
)
def test_tags(line: str, tags: tuple[str, ...]) -> None:
    assert parse(f"title: t\ndate: 2031-01-01\n{line}").tags == tags


@pytest.mark.parametrize(
    "value",
    [
        '"- 第一条\\n- 第二条"',  # YAML escapes: real newlines
        "'- 第一条\\n- 第二条'",  # single quotes: a literal backslash-n
        "第一条\\n第二条",  # plain scalar with a literal \n
        "|\n  1. 第一条\n  2. 第二条",  # block scalar, numbered
        "\n  - 第一条\n  - 第二条",  # a YAML list
        '"* 第一条\\n\\n* 第二条\\n"',
    ],
)
def test_summary_is_split_into_its_bullets(value: str) -> None:
    assert parse(f"title: t\ndate: 2031-01-01\nsummary: {value}").summary == ("第一条", "第二条")


def test_summary_absent_or_one_sentence() -> None:
    assert parse("title: t\ndate: 2031-01-01").summary == ()
    assert split_summary("只有一句话。") == ("只有一句话。",)


def test_bad_frontmatter_is_a_warning_and_the_body_still_parses() -> None:
    post = parse("title: [unclosed\ndate: 2031-01-01", path="2031-03-05-x.md")
    assert any("not valid YAML" in w for w in post.warnings)
    assert [i.title for i in post.items] == ["条目"]


def test_unexpected_failure_shows_the_body_as_one_item(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: object) -> None:
        raise ZeroDivisionError("boom")

    monkeypatch.setattr(structure.Structure, "__init__", broken)
    post = parse("title: t\ndate: 2031-01-01")
    assert "could not be parsed: ZeroDivisionError; shown as plain text" in post.warnings
    assert [i.title for i in post.items] == ["t"]
    assert "正文。" in post.items[0].text


def test_digest_post_with_content_always_has_items() -> None:
    post = parse(
        "title: 占位\ndate: 2031-01-01\ncategory: 经济日报",
        body="# 占位\n\n只有一句正文。\n\n---\n\n<div>卡片</div>\n",
    )
    assert [i.title for i in post.items] == ["占位"]
    assert "只有一句正文。" in post.items[0].text and "卡片" not in post.items[0].text


def test_empty_post_has_no_items() -> None:
    assert parse("title: 空\ndate: 2031-01-01", body="").items == ()


def test_parse_post_reads_the_file_and_raises_only_oserror(tmp_path: Path) -> None:
    file = tmp_path / "2031-03-04-x.md"
    file.write_text("---\ntitle: 文件\n---\n## 条目\n\n正文。\n", encoding="utf-8")
    info = os.stat(file)
    post = parse_post(PostFile(tmp_path, file.name, info.st_size, info.st_mtime_ns))
    assert (post.title, post.path, post.root, post.date) == (
        "文件",
        file.name,
        str(tmp_path),
        dt.date(2031, 3, 4),
    )
    assert post.size == info.st_size
    file.unlink()
    with pytest.raises(OSError):
        parse_post(PostFile(tmp_path, file.name, 0, 0))
