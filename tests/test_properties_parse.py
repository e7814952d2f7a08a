"""Property tests for the parser: whatever markdown and frontmatter a post holds, `parse_text`
returns a Post (never raises), whose shown fields carry no control character and whose JSON is
the contract's shape."""

from __future__ import annotations

import json

from digest_tui.index.model import STANCES
from digest_tui.index.parse.post import parse_text
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

BUDGET = settings(
    max_examples=300,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

CONTROLS = set(chr(c) for c in range(0x00, 0xA0) if c < 0x20 or c >= 0x7F)
CONTROLS |= set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
#: Tabs are harmless to a terminal (they are expanded); newlines only in multi-line text.
MULTILINE_OK = {"\n", "\t"}
ONE_LINE_OK = {"\t"}

# The building blocks of the layouts real digests use (headings, labels, impact lines),
# mixed with CJK, Latin, markup, control characters and markdown punctuation.
LINE_STARTS = [
    "",
    "# ",
    "## ",
    "### ",
    "#### ",
    "- ",
    "* ",
    "1. ",
    "> ",
    "  - ",
    "    ",
    "| ",
    "```",
    "---",
    "***",
    "<div>",
    "> - ",
    "- > ",
]
LABELS = [
    "**时间：**",
    "事件时间：",
    "**核心要点：**",
    "- **核心要点：**",
    "**深度解读 & 洞察：**",
    "**深度解读&洞察：**",
    "**深度解读：**",
    "**影响：**",
    "### 影响",
    "> 投资启示：",
    "**技术架构：**",
    "**影响**：",
    "更多动态",
    "## 更多动态",
    "**投资启示：**",
]
IMPACTS = [
    "对股市：利多。",
    "**对美元**：利空。",
    "**黄金：** 利多，",
    "石油：",
    "**原油（利多）：**",
    "**利多：** 黄金、白银",
    "对BTC：中性偏多",
    "对美债：温和利空",
    "短期",
    "中期",
    "长期",
    "利多/利空",
    "严重利空",
    "结构性利好",
    "对：",
    "：利多",
    "（）：",
    "承压",
    "受益",
]
WORDS = [
    "黄金",
    "原油",
    "美元",
    "股市",
    "BTC",
    "降息",
    "美联储",
    "GPT-5",
    "AI",
    "2026-02-05",
    "08:00",
    "[标题](https://example.com)",
    "[x](javascript:alert(1))",
    "**粗**",
    "`代码`",
    "*",
    "**",
    "_",
    "[",
    "]",
    "(",
    ")",
    "|",
    "---",
    "<script>",
    "&amp;",
    "\\",
    "！",
    "。",
    "[@click=app.quit]q[/]",
    "[/]",
    "[bold red]",
    "\x1b]52;c;eA==\x07",
    "\x9b2J",
    "\u202e",
    "\x00",
    "\x07",
    "\x7f",
    "\t",
    "\u3000",
    "\ufeff",
    "e\u0301",
    "😀",
]

text_piece = st.one_of(
    st.sampled_from(LABELS), st.sampled_from(IMPACTS), st.sampled_from(WORDS), st.text(max_size=6)
)
line = st.builds(
    lambda start, parts: start + " ".join(parts),
    st.sampled_from(LINE_STARTS),
    st.lists(text_piece, max_size=6),
)
body = st.lists(line, max_size=40).map("\n".join)

yaml_value = st.one_of(
    st.sampled_from(
        [
            "no",
            "yes",
            "~",
            "2024-13-45",
            "2026-02-30",
            "[]",
            "[a, b]",
            "{a: 1}",
            '"\\e]0;t\\a"',
            "'引号'",
            "经济日报",
            "|\n  - 一\n  - 二",
            "&x a",
            "*x",
            "- a\n- b",
            '"- 一\\n- 二"',
            "[unclosed",
            "0001-01-01",
            "9999-12-31",
        ]
    ),
    st.text(max_size=12).map(lambda t: t.replace("\n", " ")),
)
frontmatter = st.one_of(
    st.just(""),
    st.lists(
        st.tuples(
            st.sampled_from(
                [
                    "title",
                    "date",
                    "tags",
                    "category",
                    "summary",
                    "content",
                    "1",
                    "seo",
                    "coverImage",
                ]
            ),
            yaml_value,
        ),
        max_size=7,
    ).map(lambda kv: "---\n" + "".join(f"{k}: {v}\n" for k, v in kv) + "---\n"),
    st.text(max_size=40).map(lambda t: "---\n" + t + "\n---\n"),
)


def _assert_shown(text: str | None, *, multiline: bool) -> None:
    if text is None:
        return
    bad = CONTROLS - (MULTILINE_OK if multiline else ONE_LINE_OK)
    assert not bad & set(text), [f"U+{ord(c):04X}" for c in set(text) & bad]


def check_post(text: str) -> None:
    post = parse_text(text, root="/r", path="2026-02-05-p.md")
    for one_line in (post.title, post.category, *post.tags, *post.summary, *post.warnings):
        _assert_shown(one_line, multiline=False)
        assert one_line is None or "\n" not in one_line
    _assert_shown(post.body, multiline=True)
    _assert_shown(post.text, multiline=True)
    ids = [item.id for item in post.items]
    assert len(ids) == len(set(ids)), ids
    for item in post.items:
        for one_line in (item.title, *item.section, item.time, item.link):
            _assert_shown(one_line, multiline=False)
        for text_field in (
            item.text,
            item.analysis,
            item.advice,
            *item.points,
            item.markdown,
            *(f.text for f in item.fields),
            *(f.label for f in item.fields),
        ):
            _assert_shown(text_field, multiline=True)
        for impact in item.impacts:
            assert impact.stance in STANCES
            assert impact.horizon is None or impact.horizon in ("short", "medium", "long")
            assert all(isinstance(a, str) and a for a in impact.assets)
            _assert_shown(impact.target, multiline=False)
            _assert_shown(impact.text, multiline=True)
    json.dumps(post.to_json(), ensure_ascii=False)


@BUDGET
@given(frontmatter, body)
def test_parser_never_raises_on_layout_like_posts(fm: str, text: str) -> None:
    check_post(fm + text)


@BUDGET
@given(st.text(max_size=400))
def test_parser_never_raises_on_any_text(text: str) -> None:
    check_post(text)


@settings(max_examples=60, deadline=None, derandomize=True, database=None)
@given(st.sampled_from(["- ", "> ", "1. ", "  ", "* > "]), st.integers(50, 400))
def test_parser_survives_deep_nesting(prefix: str, depth: int) -> None:
    nested = "".join("  " * i + prefix + f"层{i}\n" for i in range(depth))
    check_post("---\ntitle: 深\n---\n" + nested + prefix * depth + "底\n")


def test_every_control_character_in_every_field() -> None:
    """A fuzz-ish sweep: each control and bidi character in every place a post has text."""
    for char in sorted(CONTROLS):
        c = char
        esc = f"\\x{ord(c):02x}" if ord(c) < 0x100 else f"\\u{ord(c):04x}"
        check_post(
            f'---\ntitle: "t{esc}t"\ncategory: "c{esc}"\ntags: ["g{esc}"]\n'
            f'summary: "- s{esc}s"\n---\n# h{c}h\n\n## 栏目{c}\n\n### 条目{c}标题\n\n'
            f"**时间：** 08:{c}00\n\n- **核心要点：** 点{c}点\n\n**深度解读 & 洞察：** 析{c}\n\n"
            f"**影响：**\n- 对黄{c}金：利多。因为{c}\n- **对美元{c}**：利空。\n\n"
            f"> 投资启示：启{c}示\n\n**技术{c}架构：** 字段{c}\n\n[链{c}接](https://x/{c})\n"
        )
