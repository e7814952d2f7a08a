"""The safe core over a hostile archive: finding, reading and sanitising never fail or leak."""

from __future__ import annotations

import os
import re
import time
import unicodedata
from pathlib import Path

import pytest
from digest_tui.index.archive import find_all, find_posts, resolve_post_argument
from digest_tui.index.parse.source import MAX_POST_BYTES, meta_date, meta_list, meta_text, read_post
from digest_tui.index.sanitize import clean, clean_line, dumps_json, has_controls
from hostile import BIDI, ESCAPES, make_hostile_archive

#: Every character the sanitiser must never let through (newline and tab aside).
DANGEROUS = [chr(c) for c in range(0x00, 0xA0) if c < 0x20 or c >= 0x7F] + list(BIDI)


_DANGEROUS_RE = re.compile("[" + re.escape("".join(DANGEROUS)) + "]")


def dangerous_in(text: str, *, allow: str = "\n\t") -> list[str]:
    return [
        f"U+{ord(m.group()):04X}" for m in _DANGEROUS_RE.finditer(text) if m.group() not in allow
    ]


@pytest.fixture
def hostile(tmp_path: Path):
    return make_hostile_archive(tmp_path / "root", huge_bytes=1_200_000)


@pytest.mark.timeout(20)
def test_finding_posts_lists_exactly_the_posts_and_never_blocks(hostile) -> None:
    start = time.monotonic()
    found = [pf.path for pf in find_posts(hostile.root)]
    assert time.monotonic() - start < 5  # a FIFO opened for reading would block forever
    assert sorted(found) == sorted(hostile.posts)
    for skipped in hostile.skipped:
        assert skipped not in found
    assert found == sorted(found)  # stable order, run after run
    assert [pf.path for pf in find_all([hostile.root])] == found


def test_names_that_are_not_utf8_are_skipped_with_a_warning(hostile) -> None:
    skipped: list[str] = []
    found = [pf.path for pf in find_posts(hostile.root, skipped)]
    assert hostile.undecodable and not set(hostile.undecodable) & set(found)
    assert len(skipped) == len(hostile.undecodable)
    for warning in skipped:
        warning.encode("utf-8")  # printable, storable
        assert "not valid UTF-8" in warning and not dangerous_in(warning, allow="")


@pytest.mark.timeout(30)
def test_reading_every_post_never_raises_and_never_leaks_controls(hostile) -> None:
    for post_file in find_posts(hostile.root):
        start = time.monotonic()
        source = read_post(post_file.full_path)
        assert time.monotonic() - start < 3, post_file.path
        assert not dangerous_in(source.body), post_file.path
        assert len(source.body.encode("utf-8", "surrogatepass")) <= 3 * MAX_POST_BYTES
        for key in source.metadata:
            for text in (
                meta_text(source.metadata, str(key)) or "",
                *meta_list(source.metadata, str(key)),
            ):
                assert not dangerous_in(text, allow=""), (post_file.path, key)
        for warning in source.warnings:
            assert not dangerous_in(warning, allow=""), (post_file.path, warning)
        meta_date(source.metadata)  # whatever the value, a date or None


def test_broken_files_are_read_with_a_warning(hostile) -> None:
    def read(rel: str):
        return read_post(hostile.root / rel)

    assert meta_text(read("broken/2026-05-01-bom.md").metadata, "title") == "BOM hxbom"
    gbk = read("broken/2026-05-02-gbk.md")
    assert "编码测试甲" in gbk.body and gbk.warnings
    utf16 = read("broken/2026-05-03-utf16.md")
    assert "编码测试乙" in utf16.body and utf16.warnings
    nul = read("broken/2026-05-04-nul.md")
    assert "正文" in nul.body and "NUL bytes removed" in nul.warnings
    for rel in ("broken/2026-05-05-crlf.md", "broken/2026-05-06-cr.md"):
        src = read(rel)
        assert "\r" not in src.body and meta_text(src.metadata, "title"), rel
    assert meta_date(read("broken/2026-05-07-baddate.md").metadata) is None
    keys = read("broken/2026-05-08-keys.md").metadata
    assert keys["content"] == "内容键" and meta_text(keys, "title") == "怪键 hxkeys"
    assert meta_text(read("broken/2026-05-09-no.md").metadata, "title") == "no"
    for rel in (
        "broken/2026-05-10-bomb.md",
        "broken/2026-05-11-recursive.md",
        "broken/2026-05-12-fmlist.md",
        "broken/2026-05-13-fmscalar.md",
        "broken/2026-05-14-unclosed.md",
        "broken/2026-05-17-fmnotyaml.md",
        "broken/2026-05-18-rawyaml.md",
    ):
        src = read(rel)
        assert src.metadata == {} and src.warnings, rel
        assert "hx" in src.body, rel  # the body survives broken frontmatter
    assert read("broken/2026-05-15-empty.md").body == ""
    weird = read("broken/2026-05-21-weirdvalues.md").metadata
    assert meta_date(weird) is None and meta_list(weird, "tags") == []
    assert meta_text(weird, "title") is None


def test_huge_post_is_capped(hostile) -> None:
    src = read_post(hostile.root / hostile.huge_post)
    assert src.truncated and src.size > MAX_POST_BYTES
    assert "hxhugehead" in src.body and "hxhugetail" not in src.body
    assert any("larger than" in w for w in src.warnings)


@pytest.mark.parametrize("encoding", ["utf-8", "gb18030", "utf-16"])
def test_the_size_cap_never_splits_a_character_into_a_decoding_error(
    tmp_path: Path, encoding: str
) -> None:
    """Cut at 1 MiB, a Chinese post stays itself: no mojibake, no spurious encoding notice."""
    for shift in range(4):  # the cut falls at every offset within a character
        text = "---\ntitle: 巨大\n---\n" + "x" * shift + "黄金原油美元" * 200_000
        path = tmp_path / f"{encoding}-{shift}.md"
        path.write_bytes(text.encode(encoding))
        source = read_post(path)
        assert source.truncated
        assert "�" not in source.body and source.body.rstrip().endswith(tuple("黄金原油美元"))
        assert not [w for w in source.warnings if "not valid" in w], source.warnings
        assert meta_text(source.metadata, "title") == "巨大"


def test_a_file_that_vanished_after_the_scan_is_an_oserror_only(hostile) -> None:
    found = list(find_posts(hostile.root))
    os.unlink(found[0].full_path)
    with pytest.raises(FileNotFoundError):
        read_post(found[0].full_path)


def test_unreadable_file_is_an_oserror_only(tmp_path: Path) -> None:
    """chmod 000 does not stop root; a folder in place of the file stands in for EACCES."""
    (tmp_path / "x.md").mkdir()
    with pytest.raises(OSError):
        read_post(tmp_path / "x.md")


def test_post_arguments_never_resolve_to_special_files(hostile) -> None:
    roots = (hostile.root,)
    for rel in hostile.skipped:
        found = resolve_post_argument(rel, roots)
        if found is not None:  # a symlink inside the root to a regular file is a post
            assert os.path.isfile(found.full_path), rel
            assert not rel.startswith("special/fifo"), rel
    assert resolve_post_argument("special/fifo.md", roots) is None
    assert resolve_post_argument("special/dev-zero.md", roots) is None


# -- the sanitiser, character by character -------------------------------------------------


def test_every_control_and_bidi_character_becomes_visible() -> None:
    for char in DANGEROUS:
        text = f"a{char}b"
        shown, line = clean(text), clean_line(text)
        if char == "\n":
            assert shown == text and " " in line
            continue
        if char == "\t":  # expanded to spaces: a raw tab would leave stale cells (issue 12)
            assert "\t" not in shown and shown.replace(" ", "") == "ab" and line == "a b"
            continue
        assert char not in shown and char not in line, f"U+{ord(char):04X}"
        assert len(shown) == 3 and unicodedata.category(shown[1])[0] in "S", f"U+{ord(char):04X}"
        assert has_controls(text)
    assert clean("\x1b]52;c;SE9TVElMRQ==\x07") == "␛]52;c;SE9TVElMRQ==␇"
    assert clean_line("a\nb\tc") == "a b c"


def test_payloads_keep_their_printable_parts_visible() -> None:
    for payload in ESCAPES.values():
        shown = clean_line(payload)
        assert not dangerous_in(shown, allow="")
        printable = "".join(c for c in payload if c not in DANGEROUS)
        assert "".join(c for c in shown if c in printable) == printable


def test_lone_surrogates_from_undecodable_names_become_replacement_chars() -> None:
    name = os.fsdecode(b"\xff\xfe.md")
    assert clean_line(name).encode("utf-8") == "��.md".encode()


def test_json_output_is_exact_and_terminal_safe() -> None:
    import json

    data = {"path": os.fsdecode(b"a\xff.md"), "title": "x\x9b\u202e\x1b\u2028y 黄金"}
    text = dumps_json(data)
    assert json.loads(text) == data
    assert "黄金" in text
    text.encode("utf-8")  # no surrogate left to break the output
    for char in ("\x9b", "\u202e", "\x1b", "\u2028"):
        assert char not in text
