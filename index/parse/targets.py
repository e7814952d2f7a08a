"""What can be an impact's target, and how a written target splits into targets.

A target is a market, an asset, a sector, a company or a group of them that can move. A
clause before a colon (`但风险仍在`, `对整个行业构成警示`) or an audience (`投资者`, `对普通投资
者的启示`) is not one; when the real target is inside (`某某值得关注` -> 某某) it is taken.
Joined targets (`黄金和原油`) are one impact each when each part is an asset of its own;
target groups (`铜、铝（基建预期）；家电板块（补贴加码）`) are read group by group. A target is
written without 对, bold, colon, edge horizons or the note in brackets after it (`白银（避险）`).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from .linear import Edges, TrailingRun, trailing_bracket
from .stances import BRACKETS_RE

if TYPE_CHECKING:
    from .assets import AssetTable
    from .stances import Lexicon

TRAILING_BRACKET_RE = re.compile(r"\s*(?:（([^（）]*)）|\(([^()]*)\))\s*$")
# Trailing runs are found from the end (index/parse/linear.py): `(…)+$` searched from every
# start is quadratic on a long run of spaces or filler words (issue 12).
_EDGE_SYMBOLS = Edges(r"[^\w（(【\[]", TrailingRun(chars=r"^\w）)】\]%"))
_HORIZON_WORDS = r"中长期|中短期|短中期|短期|短线|近期|中期|长期|长线|远期"
_CLAUSE_BREAK_RE = re.compile(r"[，,。；;：:\n]")
_FIRST_SENTENCE_RE = re.compile(r"[^。！!？?\n]*")
_ENDS_WITH_REASON_RE = re.compile(r"(?:（[^（）]+）|\([^()]+\))\s*$")  # `铜、铝（基建预期）`
_BRACKETED_RE = re.compile(r"（[^（）]*）|\([^()]*\)")
_LIST_BREAK_RE = re.compile(r"[、/]")
_LEADING_FILLER_RE = re.compile(
    r"^(?:但是|但|不过|限制|抑制|而且|而|且|并且|并|同时|尤其是|尤其|特别是|若|如果|如|则|将会|将|或将|或|"
    r"可能|也|仍然|仍|还|更|进一步|继续|有望|预计|整体|总体|显著|明显|强烈|极度|大幅|小幅|"
    rf"非常|较为|对于|对|再度|再次|持续|均|都|{_HORIZON_WORDS}|\s|[，,、：:；;—\-·*])+"
)
_TRAILING_FILLER = TrailingRun(
    "将会|将|或将|或受|或|可能|也|仍然|仍有|仍|还有|还|有望|继续|面临|迎来|出现|获得|"
    "难以|不会|不再|无法|未能|若|如果|一旦|假如|倘若|波动加剧|牛市|熊市|行情|走势|避险|"
    "带来|构成|形成|产生|受到|受|整体|总体|显著|明显|强烈|极度|大幅|小幅|均|都|等|进一步|随之|"
    f"再度|持续|{_HORIZON_WORDS}".split("|"),
    r"\s，,、：:；;。—\-·*",
)
_LIGHT_EDGES = Edges(rf"{_HORIZON_WORDS}|\s", TrailingRun(_HORIZON_WORDS.split("|"), r"\s"))
_CHANGE_RE = re.compile(r"(?:波动加剧|波动性上升|波动率上升|波动性加大|避险需求减弱)$")
"""A change written into a target (`日元波动性上升`): what happens to it, not its name."""
_DUI_WORDS = ("对冲", "对手", "对话", "对象", "对策", "对应", "对等")
"""Words that start with 对 without it meaning "for": a target `对冲基金` keeps its 对."""

_AUDIENCE_RE = re.compile(
    r"^(?:对于?)?(?:普通|个人|散户|中小|机构|长期|短线|广大)?(?:投资者|投资人|散户|交易者|持仓者|"
    r"股民|基民|读者)(?:们)?(?:的(?:启示|建议|提示|影响|意义))?(?:而言|来说)?$"
)
"""Who a digest talks to, not something that moves."""
_AUDIENCE_DOES_RE = re.compile(
    r"^(?:普通|个人)?(?:投资者|投资人|散户|交易者)(?:可|应|需|宜|要|不妨)"
)
_CLAUSE_START_RE = re.compile(
    r"^(?:但是|但|而且|而|不过|然而|同时|此外|另外|因此|所以|这|此|其|该|总之|总体|整体来看|"
    r"可见|也就是说|换言之|值得|关注|注意|警惕|留意)"
)
_CLAUSE_VERB_RE = re.compile(
    r"仍在|值得|构成|显示|表明|意味着|说明|预示|反映|提醒|警示|导致|引发|存在|需要关注|需警惕"
)
_WORTH_RE = re.compile(r"^(?:对)?(.{2,20}?)(?:尤其)?(?:值得|需要|需)(?:重点|密切|持续)?关注$")
_DUI_VERB_RE = re.compile(r"^对(.{2,12}?)(?:构成|形成|带来|产生|造成)")
_ROLE_RE = re.compile(r"^(.{2,10}?)作为.{2,12}$")
_JOIN_RE = re.compile(r"以及|和|与|及|跟|同")
_GROUP_SEPARATORS = "；;"
_WHOLE_ENTIRE_RE = re.compile(r"^(?:整个|全体|所有|整体)")
_SENTENCE_WORDS_RE = re.compile(r"[将会可能需是了着过]|[0-9０-９]{2,}|%|％")


def real_target(target: str, assets: AssetTable) -> str | None:
    """The target a written one names: itself, the target inside a clause (`某某值得关注`
    -> 某某, `加密货币作为避险资产` -> 加密货币), or None for a clause or an audience."""
    target = target.strip()
    if not target:
        return target
    if _AUDIENCE_RE.match(target) or _AUDIENCE_DOES_RE.match(target) or target.endswith("的"):
        return None
    worth = _WORTH_RE.match(target)
    if worth:
        return worth.group(1).strip("，,、 ")
    dui = _DUI_VERB_RE.match(target)
    if dui:
        return _WHOLE_ENTIRE_RE.sub("", dui.group(1)) or None
    role = _ROLE_RE.match(target)
    if role and assets.mentions(role.group(1)):
        return role.group(1)
    if _CLAUSE_START_RE.match(target):
        return None
    if _CLAUSE_VERB_RE.search(target) and not assets.mentions(target):
        return None
    return target


_AUDIENCE_EDGES_RE = re.compile(
    r"^(?:对于|对)|(?:的(?:启示|建议|提示|影响|意义))?(?:而言|来说|层面)?(?:的)?$"
)


def is_audience(head: str, assets: AssetTable, lexicon: Lexicon) -> bool:
    """Whether a bullet's head (`对开发者`, `普通人`, `对创作者/开发者`, `对投资者的启示`)
    addresses a reader rather than naming a target: an audience by the lexicon's words
    (stances.toml [audiences]) that names no market of the asset table (`黄金投资者` is
    about gold, `开发商` and `航空公司` are sectors, `机器人` moves)."""
    phrase = _EDGE_SYMBOLS.strip(head.strip()).strip("*_：:，,。；; ")
    phrase = BRACKETS_RE.sub("", phrase).strip()
    phrase = _AUDIENCE_EDGES_RE.sub("", phrase).strip()
    if not phrase or len(phrase) > 16 or assets.mentions(phrase):
        return False
    return lexicon.is_audience(phrase)


def named_inside(text: str) -> str | None:
    """The target a clause of `text` names as worth watching (`…公司值得关注` -> …公司)."""
    for clause in _CLAUSE_BREAK_RE.split(BRACKETS_RE.sub("", text)):
        worth = _WORTH_RE.match(clause.strip())
        if worth:
            return worth.group(1).strip("，,、 ")
    return None


def split_joined(target: str, assets: AssetTable) -> list[str]:
    """`黄金和原油` -> [黄金, 原油]: parts joined by 和/与/及 that each name an asset of their
    own; the target unchanged otherwise (`航运与保险`, `美国股市能源消费板块`)."""
    parts = [p.strip() for p in _JOIN_RE.split(target)]
    if len(parts) < 2 or any(not p or len(p) > 10 for p in parts):
        return [target]
    resolved = [assets.resolve(p) for p in parts]
    if any(not r for r in resolved) or len({r for r in resolved}) < len(resolved):
        return [target]
    return parts


def target_groups(text: str) -> list[str]:
    """`铜、铝等工业金属（基建预期）；家电、汽车板块（补贴加码）` -> its groups: split at ；/;
    (and at ，/, when the groups carry their reasons in brackets), each a list of targets;
    [] when the parts are not all lists of targets."""
    first = _sentence(text)
    groups = split_outside_brackets(first, _GROUP_SEPARATORS)
    if len(groups) < 2:
        comma = split_outside_brackets(first, "，,")
        if len(comma) >= 2 and all(_has_reason(g) for g in comma[:-1]):
            groups = comma
    groups = [g.strip() for g in groups if g.strip()]
    if len(groups) < 2 or not all(_is_target_list(g) for g in groups):
        return []
    return groups


def _sentence(text: str) -> str:
    match = _FIRST_SENTENCE_RE.match(text.strip())
    return match.group(0) if match else ""


def _has_reason(group: str) -> bool:
    return bool(_ENDS_WITH_REASON_RE.search(group.strip()))


def _is_target_list(group: str) -> bool:
    """Whether a group is targets (with an optional reason in brackets), not a sentence."""
    bare = _BRACKETED_RE.sub("", group).strip()
    if not bare:
        return False
    return all(
        0 < len(part.strip()) <= 14 and not _SENTENCE_WORDS_RE.search(part)
        for part in _LIST_BREAK_RE.split(bare)
    )


def clean_target(text: str) -> str:
    """A target as written, without 对, bold, colon, edge horizons or a bracketed stance."""
    target = _EDGE_SYMBOLS.strip(text.strip()).strip("*_：:，,。；; ").strip()
    bracket = trailing_bracket(TRAILING_BRACKET_RE, target)
    if bracket and bracket.start() > 0:  # a stance, a horizon, or a reason: not the target
        target = target[: bracket.start()]
    if target.startswith("对") and len(target) > 1 and not target.startswith(_DUI_WORDS):
        target = target[1:]
    target = _CHANGE_RE.sub("", target) or target  # `油价波动加剧` -> 油价
    for suffix in ("而言", "来说", "方面", "的影响"):
        if target.endswith(suffix) and len(target) > len(suffix):
            target = target[: -len(suffix)]
    return _LIGHT_EDGES.strip(target).strip("*_：:，,。；; ")


def prose_target(text: str) -> str:
    """A target taken from a clause of prose: connectives and modal words trimmed too."""
    target = BRACKETS_RE.sub("", clean_target(text))
    target = _LEADING_FILLER_RE.sub("", target)
    target = _TRAILING_FILLER.strip(target)
    return target.strip()


def split_outside_brackets(text: str, separators: str) -> list[str]:
    """`text` split at the `separators` that are not inside brackets, parts trimmed."""
    parts: list[str] = []
    depth, current = 0, ""
    for char in text:
        if char in "（([【":
            depth += 1
        elif char in "）)]】":
            depth = max(0, depth - 1)
        if char in separators and depth == 0:
            parts.append(current)
            current = ""
        else:
            current += char
    parts.append(current)
    return [p.strip() for p in parts if p.strip()]


def split_targets(clause: str) -> list[str]:
    """`黄金、白银（矿业股）、原油` -> its targets, brackets kept with their target."""
    return split_outside_brackets(clause, "、")
