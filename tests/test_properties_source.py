"""Property tests: whatever bytes a post file holds, reading it never raises and never leaks."""

from __future__ import annotations

import codecs
import tempfile
from pathlib import Path

from digest_tui.index.parse.source import (
    meta_date,
    meta_list,
    meta_text,
    read_post,
    split_frontmatter,
)
from digest_tui.index.sanitize import clean, clean_line, dumps_json
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

BUDGET = settings(
    max_examples=150,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)

DANGEROUS = set(chr(c) for c in range(0x00, 0xA0) if c < 0x20 or c >= 0x7F) - {"\n", "\t"}
DANGEROUS |= set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")

yaml_bits = st.sampled_from(
    [
        "---\n",
        "---",
        "title: ",
        "date: ",
        "tags: ",
        "summary: ",
        "category: ",
        "&a ",
        "*a",
        "[",
        "]",
        "{",
        "}",
        ": ",
        "- ",
        '"',
        "'",
        "|\n",
        ">\n",
        "  ",
        "\n",
        "2026-02-30",
        "2024-13-45",
        "no",
        "yes",
        "~",
        "null",
        "1:",
        "content:",
        "!!python/object:os.system",
        "\\e]52;c;x\\a",
        "\x1b]0;t\x07",
        "\x9b",
        "\u202e",
        "黄金",
        "\ufeff",
        "\r\n",
        "\r",
        "\x00",
        "%YAML 1.1\n",
        "--- !tag\n",
        "...\n",
        "? ",
        "<<: *a\n",
    ]
)
frontmatter_text = st.lists(st.one_of(yaml_bits, st.text(max_size=8)), max_size=40).map("".join)


_FOLDER = tempfile.TemporaryDirectory(prefix="prop-source-")


def _write(data: bytes) -> Path:
    path = Path(_FOLDER.name) / "p.md"
    path.write_bytes(data)
    return path


def _check(source) -> None:
    assert not DANGEROUS & set(source.body)
    for key in list(source.metadata):
        text = meta_text(source.metadata, str(key)) or ""
        assert not DANGEROUS & set(text) and "\n" not in text
        for part in meta_list(source.metadata, str(key)):
            assert not DANGEROUS & set(part)
    meta_date(source.metadata)
    for warning in source.warnings:
        assert not DANGEROUS & set(warning) and "\n" not in warning


@BUDGET
@given(st.binary(max_size=2000))
def test_any_bytes_read_without_error(data: bytes) -> None:
    _check(read_post(_write(data)))


@BUDGET
@given(frontmatter_text, st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "gb18030"]))
def test_any_frontmatter_read_without_error(text: str, encoding: str) -> None:
    try:
        data = ("---\n" + text + "\n---\nbody\n").encode(encoding)
    except UnicodeEncodeError:
        data = ("---\n" + text + "\n---\nbody\n").encode("utf-8", "surrogatepass")
    _check(read_post(_write(data)))


@BUDGET
@given(frontmatter_text)
def test_split_frontmatter_never_raises(text: str) -> None:
    metadata, body, warnings = split_frontmatter(text)
    assert isinstance(metadata, dict) and isinstance(body, str)


@BUDGET
@given(st.text())
def test_sanitised_text_has_no_control_left(text: str) -> None:
    assert not DANGEROUS & set(clean(text))
    line = clean_line(text)
    assert not DANGEROUS & set(line) and "\n" not in line
    dumps_json({"t": text}).encode("utf-8")
    assert clean(clean(text)) == clean(text)


def test_bom_variants_all_keep_frontmatter() -> None:
    text = "---\ntitle: 标题\n---\n正文\n"
    for data in (
        codecs.BOM_UTF8 + text.encode(),
        text.encode("utf-16"),
        codecs.BOM_UTF32_LE + text.encode("utf-32-le"),
    ):
        assert meta_text(read_post(_write(data)).metadata, "title") == "标题"
