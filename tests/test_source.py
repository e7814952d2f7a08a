"""Reading post files: encodings, frontmatter safety and size caps never cost a post."""

from __future__ import annotations

import codecs
import time
from pathlib import Path

from digest_tui.index.parse.source import (
    MAX_POST_BYTES,
    meta_date,
    meta_list,
    meta_text,
    read_post,
)

POST = "---\ntitle: 金价走高\ndate: 2026-11-02\ntags: [经济日报, 黄金]\n---\n# 金价走高\n\n正文。\n"


def write(tmp_path: Path, data: bytes, name: str = "2026-11-02-post.md") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_plain_utf8_post(tmp_path: Path) -> None:
    src = read_post(write(tmp_path, POST.encode()))
    assert meta_text(src.metadata, "title") == "金价走高"
    assert meta_list(src.metadata, "tags") == ["经济日报", "黄金"]
    assert str(meta_date(src.metadata)) == "2026-11-02"
    assert src.body.startswith("# 金价走高")
    assert src.warnings == ()


def test_utf8_bom_keeps_frontmatter(tmp_path: Path) -> None:
    src = read_post(write(tmp_path, codecs.BOM_UTF8 + POST.encode()))
    assert meta_text(src.metadata, "title") == "金价走高"
    assert "title:" not in src.body


def test_utf16_with_bom_is_read(tmp_path: Path) -> None:
    src = read_post(write(tmp_path, POST.encode("utf-16")))
    assert meta_text(src.metadata, "title") == "金价走高"
    assert any("UTF-16" in w for w in src.warnings)


def test_gb18030_is_detected(tmp_path: Path) -> None:
    src = read_post(write(tmp_path, POST.encode("gb18030")))
    assert meta_text(src.metadata, "title") == "金价走高"
    assert any("GB18030" in w for w in src.warnings)


def test_crlf_and_lone_cr_are_normalised(tmp_path: Path) -> None:
    src = read_post(write(tmp_path, POST.replace("\n", "\r\n").encode()))
    assert meta_text(src.metadata, "title") == "金价走高"
    assert "\r" not in src.body
    src = read_post(write(tmp_path, POST.replace("\n", "\r").encode(), "cr.md"))
    assert meta_text(src.metadata, "title") == "金价走高"


def test_nul_bytes_removed_with_warning(tmp_path: Path) -> None:
    src = read_post(write(tmp_path, POST.replace("正文", "正\x00文").encode()))
    assert "正文" in src.body
    assert "NUL bytes removed" in src.warnings


def test_yaml_values_stay_text(tmp_path: Path) -> None:
    text = "---\ntitle: no\ndate: 2024-13-45\ncontent: x\n1: one\n---\nbody\n"
    src = read_post(write(tmp_path, text.encode()))
    assert meta_text(src.metadata, "title") == "no"
    assert meta_date(src.metadata) is None  # impossible date: not a crash, not a date
    assert src.metadata["content"] == "x"


def test_yaml_alias_bomb_is_refused_quickly(tmp_path: Path) -> None:
    bomb = (
        "---\na: &a [x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\n"
        "c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\n"
        "title: [*d,*d,*d,*d,*d,*d,*d,*d,*d]\n---\nbody\n"
    )
    start = time.monotonic()
    src = read_post(write(tmp_path, bomb.encode()))
    assert time.monotonic() - start < 5  # generous: it must not expand, not be fast per se
    assert src.metadata == {}
    assert any("aliases" in w for w in src.warnings)
    assert src.body.strip() == "body"


def test_broken_yaml_is_a_warning_and_body_survives(tmp_path: Path) -> None:
    src = read_post(write(tmp_path, b"---\ntitle: [unclosed\n---\nthe body\n"))
    assert src.metadata == {}
    assert any("not valid YAML" in w for w in src.warnings)
    assert src.body.strip() == "the body"


def test_unclosed_frontmatter_is_shown_as_text(tmp_path: Path) -> None:
    src = read_post(write(tmp_path, b"---\ntitle: x\nno closing line\n"))
    assert "no closing line" in src.body
    assert any("not closed" in w for w in src.warnings)


def test_huge_post_is_truncated_with_notice(tmp_path: Path) -> None:
    data = POST.encode() + ("黄金" * (MAX_POST_BYTES // 3)).encode()
    src = read_post(write(tmp_path, data))
    assert src.truncated
    assert len(src.body.encode()) <= MAX_POST_BYTES
    assert any("larger than" in w for w in src.warnings)


def test_escape_sequences_become_visible(tmp_path: Path) -> None:
    src = read_post(write(tmp_path, (POST + "\x1b]52;c;ZXZpbA==\x07 \x9b2J\u202e").encode()))
    assert "\x1b" not in src.body and "\x07" not in src.body and "\x9b" not in src.body
    assert "\u202e" not in src.body
    assert "␛" in src.body


def test_list_values_and_quotes_are_coerced(tmp_path: Path) -> None:
    text = "---\ntitle: \"引号标题\"\ncategory: '经济日报'\ntags: 黄金, 原油\n---\nx\n"
    src = read_post(write(tmp_path, text.encode()))
    assert meta_text(src.metadata, "title") == "引号标题"
    assert meta_text(src.metadata, "category") == "经济日报"
    assert meta_list(src.metadata, "tags") == ["黄金", "原油"]
