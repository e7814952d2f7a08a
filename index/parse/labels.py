"""Recognising the labelled blocks of an item, in every spelling the digests use.

A label starts a part of an item: `**时间：** 2026-…`, `**时间**：…`, `- **核心要点：**`,
`事件时间：…` on a plain line, `【影响】…` in brackets, `### 影响` as a heading, `> 投资启示：…`
in a quote, and the typos of 深度解读 & 洞察 (洪察, 洯察, 洞陷, 梦想…). Known labels map to the
item's parts (time, points, analysis, impacts, advice); any other bold label is a free field.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .blocks import Block, Run, plain, strip_urls
from .linear import Edges, TrailingRun

TIME, POINTS, ANALYSIS, IMPACTS, ADVICE, FIELD = (
    "time",
    "points",
    "analysis",
    "impacts",
    "advice",
    "field",
)

_COLONS = "：:"
_TIME_RE = re.compile(r"^(?:事件|发布|发生|公布|报道|更新|消息|新闻|会议)?(?:时间|日期)$")
_POINTS_RE = re.compile(r"^(?:核心|关键|主要|事件|内容)?要点(?:速览|概览|摘要|回顾|总结)?$")
_ANALYSIS_RE = re.compile(  # 深度解读 & 洞察 and its typos (洪察, 洞陷…), 深度评析…
    r"^(?:深度解读.{0,8}|深度\s*[^\s&＆]{2}\s*[&＆和与及]\s*\S{2}|深度(?:分析|洞察|点评|解析|评析)"
    r"|解读|洞察|点评|分析|简析|评论|评析|解读与洞察|分析与洞察|洞察与解读)$"
)
_LOOSE_ANALYSIS_RE = re.compile(  # 专家解读：, 解读 & 洞察：… (with a colon: surely a label)
    r"^(?!.*影响)\S{0,4}\s*(?:解读|洞察|洞见)(?:\s*[&＆和与及]\s*\S{2,4})?$"
)
_IMPACTS_RE = re.compile(
    r"^(?:市场|潜在|可能的?|经济|行业|投资|对市场的?|对(?P<target>.{1,10}?)的?"
    r"(?:间接|直接|潜在|主要|深远|短期|长期)?)?影响"
    r"(?:分析|评估|解读|与启示|及启示)?$"
)
_ADVICE_RE = re.compile(
    r"^(?:投资|操作|交易|配置|投资者)?(?:启示|建议|提示)(?:与(?:建议|启示))?$|^(?:投资|操作)策略$"
)
_NOTE_RE = re.compile(
    r"^(?:风险|风险提示|风险因素|风险点|主要风险|潜在风险|风险与机会|提示|温馨提示|提醒|注意|注意事项|"
    r"操作建议|交易建议|配置建议|建议|策略|应对策略|关注点|关注|重点关注|值得关注|后续关注|"
    r"关注重点|观察|观察点|观察指标|看点|总结|结论|小结|一句话总结|备注|说明|潜在机会|机会|机会点|"
    r"数据来源|来源|免责声明)$"
)
"""Labels that head a bullet among the impacts without being a target (`- **风险提示：** …`)."""
_NUMBERING_RE = re.compile(r"^\s*(?:\d{1,3}\s*[.、．)）](?!\d)|[（(]\d{1,3}[)）]|[①-⑳])\s*")
_LEADING_SYMBOLS_RE = re.compile(r"^[^\w\s【\[（(]+\s*")
"""Emoji and marks before a label's words (`📅 时间`, `💡 投资启示`, `▶ 影响`)."""
_BRACKET_LABEL_RE = re.compile(r"^\s*【([^【】\n]{1,12})】")
_SENTENCE_PUNCT = re.compile(r"[。，,；;！!？?、]")
_SPACES_RE = re.compile(r"\s+")


@dataclass(frozen=True, slots=True)
class Label:
    """A recognised label: its kind, its words as written, and the text after it."""

    kind: str
    name: str
    rest: str
    """Plain text following the label in the same paragraph ('' when it stands alone)."""
    target: str | None = None
    """For `对黄金的影响`: the target the label names."""

    @property
    def standalone(self) -> bool:
        return not self.rest


def without_numbering(title: str) -> str:
    """A title without the `1. `, `2、`, `（3）` or `④` of its place in a list."""
    return _NUMBERING_RE.sub("", title, count=1) or title


def classify(name: str, *, loose: bool = False) -> tuple[str, str | None]:
    """The kind of a label name (FIELD when it is none of the known ones), and its target.

    `loose` also reads names like 专家解读 as analysis: for labels that a colon or brackets
    mark as labels, not for headings or bold lines that may be titles (`## 政策解读`)."""
    key = _SPACES_RE.sub(" ", name).strip().strip(_COLONS).strip()
    key = without_numbering(_LEADING_SYMBOLS_RE.sub("", key.strip("*_ ")))
    key = key.strip("【】[]").strip()
    if _TIME_RE.match(key):
        return TIME, None
    if _POINTS_RE.match(key):
        return POINTS, None
    if _ANALYSIS_RE.match(key) or (loose and _LOOSE_ANALYSIS_RE.match(key)):
        return ANALYSIS, None
    impacts = _IMPACTS_RE.match(key)
    if impacts:
        return IMPACTS, impacts.group("target")
    if _ADVICE_RE.match(key):
        return ADVICE, None
    return FIELD, None


def is_note_label(name: str) -> bool:
    """Whether a bullet's head among the impacts is a label of a note, advice or a caveat
    (风险提示, 操作建议, 关注点…): a field of the item, never an impact's target."""
    key = without_numbering(_LEADING_SYMBOLS_RE.sub("", name.strip("*_ ：:"))).strip("【】[] ")
    return bool(_NOTE_RE.match(key))


_TARGET_COLUMN_RE = re.compile(
    r"^(?:资产|资产类别|大类资产|标的|品种|板块|行业|市场|对象|领域|类别|影响对象)$"
)
_STANCE_COLUMN_RE = re.compile(r"^(?:影响|方向|影响方向|观点|判断|立场|评级|多空|态度|倾向|结论)$")


def impact_columns(header: str) -> tuple[int, int] | None:
    """For a table's header row (cells joined by ` | `), the columns of the target and of
    the stance when it is a summary of impacts (`| 资产 | 影响 | 理由 |`), else None."""
    cells = [c.strip().strip("*") for c in header.split(" | ")]
    target = next((n for n, c in enumerate(cells) if _TARGET_COLUMN_RE.match(c)), None)
    stance = next((n for n, c in enumerate(cells) if _STANCE_COLUMN_RE.match(c)), None)
    if target is None or stance is None or target == stance:
        return None
    return target, stance


def is_impact_table(raw: str) -> bool:
    """Whether a table (its rows, cells joined by ` | `) is a list of impacts by its header."""
    return impact_columns(raw.split("\n", 1)[0]) is not None


def heading_label(block: Block) -> Label | None:
    """A heading that is a known label (`### 影响`, `### 深度解读 & 洞察`), else None."""
    name = block.inline_text.strip().rstrip(_COLONS).strip()
    if not name or len(name) > 16:
        return None
    kind, target = classify(name)
    if kind == FIELD:
        return None
    return Label(kind, name, "", target)


def _good_name(name: str) -> bool:
    """Whether `name` can be a label: short, one phrase, not a sentence or a URL."""
    return (
        0 < len(name) <= 20
        and "\n" not in name
        and not _SENTENCE_PUNCT.search(name)
        and "://" not in name
    )


def paragraph_label(runs: list[Run], *, free: bool = True) -> Label | None:
    """The label a paragraph starts with, if any.

    Bold labels may carry their colon inside or outside the bold (`**时间：**`, `**时间**：`),
    or be a whole bold `**标签：内容**`. A plain `名称：…` line is a label only when the name
    is a known one (事件时间, 影响, 投资启示…), so ordinary sentences with a colon stay text.
    With `free=False` only known labels are returned.
    """
    if not runs:
        return None
    first = runs[0]
    if first.bold and first.link is None and first.text.strip():
        return _bold_label(first.text.strip(), plain(runs[1:]) if len(runs) > 1 else "", free)
    return _plain_label(plain(runs), free)


def _bold_label(bold: str, after: str, free: bool) -> Label | None:
    """A label in bold (`bold`), followed by the paragraph's plain text `after`."""
    if bold[-1] in _COLONS:  # `**时间：** …`
        name, rest = bold[:-1].strip(), after
    elif bold[0] == "【" and bold[-1] == "】":  # `**【影响】** …`
        name, rest = bold[1:-1].strip(), after.lstrip(_COLONS)
    elif after[:1] and after[:1] in _COLONS:  # `**时间**：…`
        name, rest = bold, after[1:]
    elif any(c in bold for c in _COLONS):  # `**标签：内容**`
        cut = min(bold.find(c) for c in _COLONS if c in bold)
        name = bold[:cut].strip()
        rest = (bold[cut + 1 :] + ("\n" + after if after else "")).strip()
    elif not after:  # a bold known label without a colon
        kind, target = classify(bold)
        return Label(kind, bold, "", target) if kind != FIELD else None
    else:
        return None
    if not _good_name(name):
        return None
    kind, target = classify(name, loose=True)
    if kind == FIELD and not free:
        return None
    return Label(kind, name, strip_urls(rest).strip(), target)


def _plain_label(text: str, free: bool) -> Label | None:
    """A label in plain text: `【影响】…` (a label by its brackets), or a known name before a
    colon near the start of the line (`事件时间：…`)."""
    bracketed = _BRACKET_LABEL_RE.match(text)
    if bracketed:
        name = bracketed.group(1).strip()
        kind, target = classify(name, loose=True)
        if _good_name(name) and (kind != FIELD or free):
            return Label(kind, name, text[bracketed.end() :].lstrip(_COLONS + " ").strip(), target)
        return None
    for index, char in enumerate(text[:24]):
        if char in _COLONS:
            name = text[:index].strip().lstrip(">").strip()
            kind, target = classify(name, loose=True)
            if kind != FIELD and _good_name(name):
                return Label(kind, name, text[index + 1 :].strip(), target)
            return None
        if char in "\n。，,；;":
            return None
    return None


def block_label(block: Block, *, free: bool = True) -> Label | None:
    """The label a paragraph or heading block starts with, if any."""
    if block.kind == "heading":
        return heading_label(block)
    if block.kind == "paragraph":
        return paragraph_label(block.runs, free=free)
    return None


_MORE_NEWS_RE = re.compile(
    r"^(?:更多|其他|其它|其余|一般|另外)|(?:快讯|速览|简讯|速递|短讯|一句话新闻|新闻速读)$"
    r"|(?:其他|其它|更多)\S{0,4}(?:动态|事件|新闻|要闻|消息|进展|亮点|资讯)$"
    r"|^(?:more|other)\b|\bin brief$|^briefs?$",
    re.I,
)


def is_more_news(title: str) -> bool:
    """Whether a heading or bold line introduces a list of short news (更多动态, 其他事件…)."""
    key = _TITLE_EDGES.strip(without_numbering(title.strip()))
    return bool(key) and len(key) <= 16 and bool(_MORE_NEWS_RE.search(key))


_TITLE_EDGES = Edges(r"[\W_]", TrailingRun(chars=r"\W_"))
_SOURCE_LINK_RE = re.compile(
    r"^(?:阅读原文|查看原文|原文链接|原文|链接|来源|详情|全文|source|link|read more|more|🔗)$", re.I
)
_EMPTY_BRACKETS_RE = re.compile(r"[（(\[【]\s*[）)\]】]")


def without_source_links(runs: list[Run]) -> tuple[list[Run], str | None]:
    """A title's runs without the links that only point to its source (`标题 [原文](url)`,
    `标题（[来源](url)）`), and the first such link; unchanged when nothing else is left."""
    kept = [r for r in runs if not (r.link and _SOURCE_LINK_RE.match(r.text.strip()))]
    if len(kept) == len(runs) or not plain(kept):
        return runs, None
    link = next(r.link for r in runs if r.link and r not in kept)
    merged: list[Run] = []
    for run in kept:  # the brackets around a removed link meet, and go with it
        if merged and not run.link and not merged[-1].link and merged[-1].bold == run.bold:
            merged[-1] = Run(merged[-1].text + run.text, run.bold, None)
        else:
            merged.append(Run(run.text, run.bold, run.link))
    cleaned = [Run(_EMPTY_BRACKETS_RE.sub("", r.text), r.bold, r.link) for r in merged]
    return [r for r in cleaned if r.text.strip()], link


def title_line(block: Block) -> tuple[str, str | None, str] | None:
    """A paragraph that starts an item by itself: (title, link, text after the title) or None.

    `**美国政府月底面临停摆风险**` alone on a line, and `**[标题](url)**` / `[**标题**](url)`
    (possibly followed by a short description) start items; bold labels (`**影响：**`),
    questions and more-news lines (`**更多动态**`) do not.
    """
    if block.kind != "paragraph" or not block.runs:
        return None
    runs, source = without_source_links([r for r in block.runs if r.text.strip()])
    runs = [r for r in runs if r.text.strip()]
    if not runs:
        return None
    first = runs[0]
    if first.link is not None and first.bold:
        title = plain([first])
        rest = plain(runs[1:]).lstrip(_COLONS + "—-–|｜ ").strip()
        return (title, first.link, rest) if title else None
    if len(runs) != 1 or not first.bold or first.link is not None:
        return None
    title = first.text.strip()
    if not (2 <= len(title) <= 100) or "\n" in title:
        return None
    if title[-1] in _COLONS + "？?" or is_more_news(title):
        return None
    if classify(title)[0] != FIELD:
        return None
    return title, source, ""
