"""Adversarial inputs, one family per backtracking shape, each a function of a size `n`: the
post text that makes a pattern of that family work hardest (used by test_hostile_regex and the
audit in docs/regex-audit.md)."""

from __future__ import annotations

from collections.abc import Callable

HEAD = "---\ntitle: 测试\ndate: 2026-01-05\n---\n"


def _item(body: str) -> str:
    return f"{HEAD}## 要闻\n\n### 金价走高\n\n{body}\n"


def _impacts(bullet: str) -> str:
    return _item(f"**影响：**\n\n{bullet}\n")


#: name -> (what it attacks, post text of size n)
FAMILIES: dict[str, tuple[str, Callable[[int], str]]] = {
    "impact-trailing-filler": (
        "impacts._TRAILING_FILLER_RE / _LIGHT_EDGES_RE / _EDGE_SYMBOLS_RE: (…|\\s)+$",
        lambda n: _impacts("- 黄金" + " " * n + "x：利多"),
    ),
    "impact-trailing-words": (
        "impacts._TRAILING_FILLER_RE with words, not spaces",
        lambda n: _impacts("- 黄金" + "将会" * (n // 2) + "x：利多"),
    ),
    "impact-edge-symbols": (
        "impacts._EDGE_SYMBOLS_RE: [^\\w…]+$",
        lambda n: _impacts("- 黄金" + "—" * n + "x：利多"),
    ),
    "impact-trailing-bracket": (
        "impacts._TRAILING_BRACKET_RE: \\s*(…)\\s*$",
        lambda n: _impacts("- 黄金" + " " * n + "（短期）x：利多"),
    ),
    "impact-open-brackets": (
        "impacts._TRAILING_BRACKET_RE, stances.BRACKETS_RE: runs of opening brackets",
        lambda n: _impacts("- 黄金" + "（(" * (n // 2) + "：利多"),
    ),
    "impact-dui": (
        "impacts._DUI_RE / _DUI_TOPIC_RE: 对(.+?)(…|$)",
        lambda n: _impacts("- " + "对" * n + "：利多"),
    ),
    "impact-stance-words": (
        "stances CORE_RE/PROSE_RE hits, horizon lookups per hit",
        lambda n: _impacts("- 黄金：" + "利多短期" * (n // 4)),
    ),
    "impact-prose": (
        "impacts.from_prose: sentences and clauses of stance words",
        lambda n: _item("**影响：**\n\n" + "对黄金利多，" * (n // 6)),
    ),
    "first-h1": (
        "post._first_h1: ^ {0,3}#[ \\t]+(.+?)[ \\t#]*$",
        lambda n: "# a" + " " * n + "x\n\n正文\n",
    ),
    "title-links": (
        "post._first_h1 link removal: \\[([^\\]]*)\\]\\([^)]*\\)",
        lambda n: "# " + "[](" * (n // 3) + "\n\n正文\n",
    ),
    "heading-edges": (
        "labels.is_more_news: ^[\\W_]+|[\\W_]+$",
        lambda n: f"{HEAD}## -" + " " * n + "x\n\n正文\n",
    ),
    "time-bar": (
        "items._BAR_RE: \\s*[|｜丨]\\s*",
        lambda n: _item("- **时间：** 2026-01-05" + " " * n + "x"),
    ),
    "frontmatter-close": (
        "source: ^---[ \\t]*$ (re.M)",
        lambda n: "---\ntitle: t\n" + ("---" + " " * 50 + "x\n") * (n // 55) + "---\n正文\n",
    ),
    "bullets": (
        "post._BULLET_RE, labels._NUMBERING_RE: ^\\s*(…)\\s*",
        lambda n: _item("- **核心要点：**\n  - " + " " * n + "x"),
    ),
    "urls": (
        "blocks._URL_RE: www\\.[A-Za-z0-9-]+\\.…",
        lambda n: _item("www." + "a" * n + " " + "www.www." * (n // 8)),
    ),
    "invisible": (
        "sanitize: every invisible and control character",
        lambda n: _item(("\u200b\u200d\ufe0f\t\u2028\U000e0041\u202e" * (n // 7))),
    ),
}
