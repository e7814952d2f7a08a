"""The two readings of a body's markdown give the same blocks: markdown-it-pyrs's tree (what
the parser uses where that wheel is installed) and markdown-it-py's tokens (the fallback). A
difference would change items, impacts and search results depending on the platform."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from digest_tui.index.parse.markdown import parse_blocks
from digest_tui.index.parse.token_blocks import token_blocks
from digest_tui.index.parse.tree_blocks import Unsure, tree_blocks
from digest_tui.index.paths import sample_posts_dir
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

BUDGET = settings(
    max_examples=400,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

# Line openings and inline pieces of the posts the parser reads, and hostile ones.
LINE_STARTS = [
    "",
    "",
    "# ",
    "## ",
    "### ",
    "- ",
    "* ",
    "+ ",
    "1. ",
    "2) ",
    "01. ",
    "> ",
    "> > ",
    "  - ",
    "    - ",
    "   ",
    "    ",
    "\t",
    "\t- ",
    "| ",
    "|---|---|",
    "| :-- | --: |",
    "```",
    "~~~",
    "---",
    "***",
    "===",
    "<div>",
    "</div>",
    "<!-- ",
    "> - ",
    "- > ",
    "- 1. ",
    "[ref]: ",
]
PIECES = [
    "**时间：**",
    "**核心要点：**",
    "**对美元**：利空",
    "对股市：利多。",
    "**[标题](https://example.com/a)**",
    "[链接](https://例子.中国/路径)",
    "[x](javascript:alert(1))",
    "[ref]",
    "[ref][]",
    "<https://example.com/ü>",
    "<a@b.co>",
    "![图](a.png)",
    '![alt *em* `c`](b.png "t")',
    "![](c.png)",
    "[![i](j.png)](k)",
    "**",
    "*",
    "__",
    "_",
    "~~",
    "~~删~~",
    "`代码`",
    "`` ` ``",
    "`",
    "|",
    "\\|",
    "`a|b`",
    "[",
    "]",
    "](",
    "<span>",
    "</span>",
    "<br/>",
    "<!-- c -->",
    "&amp;",
    "&copy;",
    "&#x4e2d;",
    "&#0;",
    "&bogus;",
    "\\*",
    "\\",
    "  ",
    "\t",
    "\r",
    "\r\n",
    "\x00",
    "\x0c",
    "\x1b[31m",
    "\u3000",
    "\ufeff",
    "中文",
    "黄金",
    "GPT-5",
    "😀",
    "📈",
    "¥",
    "\u2028",
    "\xa0",
    "e\u0301",
    "[t](http://a.com/&#x20;)",
    '[t](<a b> "t")',
    "[t](http://a.com/?a=1&b=2)",
    "![多\n行](u.png)",
    "`跨\n  行`",
]
piece = st.one_of(st.sampled_from(PIECES), st.text(max_size=5))
line = st.builds(
    lambda start, parts: start + "".join(parts),
    st.sampled_from(LINE_STARTS),
    st.lists(piece, max_size=6),
)
body = st.lists(line, max_size=30).map("\n".join)


@BUDGET
@given(body)
def test_the_tree_reads_any_markdown_as_the_tokens_do(text: str) -> None:
    assert parse_blocks(text) == token_blocks(text)


# What posts are made of, without the hostile pieces: the bodies the tree reads itself.
POST_LINE_STARTS = ["", "", "## ", "### ", "- ", "  - ", "1. ", "2. ", "> ", "| ", "|---|---|"]
POST_PIECES = [
    "**时间：**",
    "**核心要点：**",
    "**对美元**：利空",
    "对股市：利多。",
    "**[标题](https://example.com/a)**",
    "[链接](https://example.com/路径?a=1&b=2)",
    "<https://example.com/x>",
    "![图](a.png)",
    "`代码`",
    "~~删~~",
    "*斜*",
    "中文",
    "黄金",
    "GPT-5",
    "2026-02-05 08:00",
    " | ",
    "，",
    "。",
]
post_line = st.builds(
    lambda start, parts: start + "".join(parts),
    st.sampled_from(POST_LINE_STARTS),
    st.lists(st.sampled_from(POST_PIECES), min_size=1, max_size=6),
)
post_body = st.lists(post_line, max_size=30).map("\n".join)


@BUDGET
@given(post_body)
def test_the_tree_reads_post_like_markdown_itself_and_alike(text: str) -> None:
    """Here the tree's own reading is compared (the hostile tests above mostly reach the
    fallback); a rare disagreement (`> a` over `2. b`) is left out, and if many were,
    Hypothesis would fail the test for filtering too much."""
    try:
        got = tree_blocks(text)
    except Unsure:
        assume(False)
    assert got == token_blocks(text)


@BUDGET
@given(st.lists(st.sampled_from(LINE_STARTS[:20]), max_size=12), st.sampled_from(PIECES))
def test_nested_containers_read_alike(starts: list[str], word: str) -> None:
    text = "".join(starts) + word + "\n" + "".join(starts) + "\n\n" + word
    assert parse_blocks(text) == token_blocks(text)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "\n\n",
        "- a\n- b\n\n\n\n段落",  # a list's end takes in the blank lines after it
        "> - a\n> - b\n>\n> 段落",
        "1. 一\n02) 二\n\n10. 十",
        "- 一\n  - 二\n\n  三\n- 四\n\n# 标题",
        "a\r\nb\r\n\r\n# h\r\n- x\r\n\r\n- y",
        "| a \\| b | `c|d` |\n|:-|-:|\n| 1 | 2 | 3 |\n|4",
        "**粗\n体** 与 ![图 *斜* `码`\n二行](u.png) <span>x</span>",
        "> " * 30 + "深",  # deeper than markdown-it-py reads
        "[" * 25 + "a" + "]" * 25 + "(u)",
        "[国际化](http://例子.com/路径)",
        "> ![图\n> 二行](u.png)",  # an alt text over lines of a quote or an item
        "- ![图\n  二行](u.png)",
        "> 见 `代码\n  懒行`",  # code running on to a lazy line of a quote
    ],
)
def test_corner_cases_read_alike(text: str) -> None:
    assert parse_blocks(text) == token_blocks(text)


@pytest.mark.parametrize(
    "text", ["[`", "见 [`代码", "- [`a\n- `", "| [` | ` |\n|---|---|", "[\\` `"]
)
def test_an_open_backtick_after_a_bracket_is_read_without_a_panic(
    text: str, capfd: pytest.CaptureFixture[str]
) -> None:
    """markdown-it-pyrs 0.4 panics on these (and prints the panic on stderr, over the
    reader's screen): the parser must read them all the same, quietly."""
    assert parse_blocks(text) == token_blocks(text)
    assert capfd.readouterr().err == ""


def test_the_tree_reads_most_sample_posts_itself() -> None:
    """The posts the project ships are read alike, and mostly by the tree (the fallback to
    markdown-it-py is for rare constructs, not for ordinary posts)."""
    from digest_tui.index.parse.source import source_from_text

    posts = sorted(sample_posts_dir().rglob("*.md"))
    assert posts
    by_tree = 0
    for path in posts:
        text = path.read_text(encoding="utf-8")
        body = source_from_text(text, size=len(text), mtime=0.0).body
        try:
            got = tree_blocks(body)
        except Unsure:
            continue
        by_tree += 1
        assert got == token_blocks(body), path.name
    assert by_tree >= 0.8 * len(posts)


def test_without_markdown_it_pyrs_posts_parse_the_same() -> None:
    """Where markdown-it-pyrs has no wheel, markdown-it-py reads the same posts."""
    code = (
        "import json, sys\n"
        "if sys.argv[1] == 'without': sys.modules['markdown_it_pyrs'] = None\n"
        "from digest_tui.index.paths import sample_posts_dir\n"
        "from digest_tui.index.parse.post import parse_text\n"
        "from digest_tui.index.parse import markdown\n"
        "out = [repr(parse_text(p.read_text(encoding='utf-8'), root='/', path=p.name))\n"
        "       for p in sorted(sample_posts_dir().rglob('*.md'))]\n"
        "print(json.dumps({'tree': markdown.HAVE_TREE, 'posts': out}))\n"
    )
    runs = {
        mode: json.loads(
            subprocess.run(
                [sys.executable, "-c", code, mode], capture_output=True, text=True, check=True
            ).stdout
        )
        for mode in ("with", "without")
    }
    assert runs["with"]["tree"] is True and runs["without"]["tree"] is False
    assert runs["with"]["posts"] == runs["without"]["posts"]
    assert len(runs["with"]["posts"]) > 10
