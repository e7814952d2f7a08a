"""Impacts written as prose: `能源板块受益，航运股承压。` -> one impact per clause that states a
stance, each with the target around its stance word (`对X构成利好` -> X; `利好黄金` -> 黄金; the
subject before it, `航运股承压` -> 航运股), else the sentence's subject.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ..model import Impact
from .stances import Lexicon, StanceHit, find_horizon, find_stance, mask_brackets
from .targets import prose_target, real_target, split_outside_brackets

if TYPE_CHECKING:
    from .impacts import ImpactReader

_SENTENCE_RE = re.compile(r"[^。；;！!？?\n]+")
_NOUN_END_RE = re.compile(
    r"(?:股|板块|行业|产业链|产业|市场|价格|公司|企业|厂商|运营商|资产|货币|债|指数|运价|成本)$"
)
"""How the name of something an impact can be on ends (`公用事业和化工股`, `即期运价`)."""
_PROSE_CUT_RE = re.compile(
    r"将|可能|或将|也|仍|会|面临|受到|已经|已|正在|难以|无法|不再|若|如果|一旦|假如|倘若|作为"
)
_DUI_TOPIC_RE = re.compile(r"^\s*对于?(.+?)(?:而言|来说)\s*$")
_DUI_RE = re.compile(r"对(.+?)(?:而言|来说|构成|形成|带来|产生|有|是|的|整体|均|都|$)")


def read_prose(reader: ImpactReader, text: str, default_target: str | None = None) -> list[Impact]:
    """Impacts of a sentence or paragraph: one per clause that names a stance.

    A clause without a target of its own (`但中长期仍有支撑`) takes the sentence's
    subject (`对黄金而言，…`, or the asset an earlier clause mentions), else the label's
    target (`对黄金的影响：…`). When no clause states a stance, the whole text is one
    impact of unknown stance.
    """
    impacts: list[Impact] = []
    for sentence in _SENTENCE_RE.findall(text):
        subject: tuple[str, str] | None = None
        explicit = False
        for clause in clauses(sentence):
            hit = last_stance(clause, reader.lexicon)
            if hit is None:
                dui = _DUI_TOPIC_RE.match(clause)
                if dui and prose_target(dui.group(1)):
                    subject, explicit = (prose_target(dui.group(1)), dui.group(1)), True
                elif not explicit:
                    subject = subject_of(reader, clause) or subject
                continue
            target, written = _clause_target(reader, clause, hit)
            fallback = subject or ((default_target, default_target) if default_target else None)
            own_dui = _DUI_RE.search(clause[: hit.start])
            if (
                fallback
                and not own_dui
                and (explicit or _borrows_subject(reader, target, clause, hit))
            ):
                target, written = fallback
            if not target:
                continue
            if real_target(target, reader.assets) is not None:
                subject = subject or (target, written)  # a clause is no subject
            horizon = find_horizon(clause, hit)
            if hit.inferred and reader.lexicon.is_conditional(clause):
                hit = weaker(hit)  # `若油价继续上涨`: a possibility
            impacts.extend(reader.impacts(target, hit, horizon, clause, written))
    if impacts:
        return impacts
    if default_target:
        return [reader.impact(default_target, "unknown", find_horizon(text), text)]
    mention = subject_of(reader, text)
    target = mention[0] if mention else ""
    return [reader.impact(target, "unknown", find_horizon(text), text)]


def _borrows_subject(reader: ImpactReader, target: str, clause: str, hit: StanceHit) -> bool:
    """Whether a clause's own target is too vague to stand (none, or a long phrase that
    names no asset), so the sentence's subject is used; a phrase before the stance word
    that names a thing (`公用事业和化工股承压`) stands."""
    if not target:
        return True
    if len(target) <= 6 or reader.assets.mentions(target):
        return False
    return not (_NOUN_END_RE.search(target) and 0 <= clause.find(target) < hit.start)


def subject_of(reader: ImpactReader, clause: str) -> tuple[str, str] | None:
    """The first asset a clause without a stance names (what the sentence is about)."""
    spans = reader.assets.mentions(clause)
    if not spans:
        return None
    start, end, _ = spans[0]
    return clause[start:end], clause[start:end]


def _clause_target(reader: ImpactReader, clause: str, hit: StanceHit) -> tuple[str, str]:
    """The target around a clause's stance word: `对X构成利好` -> X; after a transitive
    word (`利好黄金`) the words after it; else the subject before it (`航运股承压`)."""
    before, after = clause[: hit.start], clause[hit.end :]
    dui = _DUI_RE.search(before)
    if dui and prose_target(dui.group(1)):
        return prose_target(dui.group(1)), dui.group(1)
    after_target = prose_target(after)
    before_target = prose_target(cut_at_modal(before))
    if before_target and "、" in before_target:
        before_target = _named_tail(reader, before_target)
    spans = reader.assets.mentions(before_target)
    if len(before_target) > 8 and spans and not _NOUN_END_RE.search(before_target):
        before_target = before_target[: spans[-1][1]]
    if (
        after_target
        and hit.word.endswith(reader.lexicon.transitive)
        and (reader.assets.mentions(after_target) or not reader.assets.mentions(before_target))
    ):
        return after_target, after
    if before_target and len(before_target) >= 2:
        return before_target, before_target
    if after_target and len(after_target) >= 2:
        return after_target, after
    return "", ""


def _named_tail(reader: ImpactReader, phrase: str) -> str:
    """`地缘冲突频发、美元` -> `美元`: the trailing list members that name assets."""
    parts = phrase.split("、")
    tail: list[str] = []
    for part in reversed(parts):
        if not reader.assets.mentions(part):
            break
        tail.insert(0, part)
    return "、".join(tail) if tail else phrase


def cut_at_modal(text: str) -> str:
    """`下游企业将面临更高的成本` -> `下游企业`: the subject before its first modal word."""
    match = _PROSE_CUT_RE.search(text)
    if match and match.start() >= 2:
        return text[: match.start()]
    return text


def last_stance(clause: str, lexicon: Lexicon) -> StanceHit | None:
    """The stance of a clause of prose: its last stance word, the predicate, decides
    (stated words first; both directions: mixed)."""
    hit = find_stance(clause, lexicon)
    if hit is None or hit.stance == "mixed":
        return hit
    masked = mask_brackets(clause)
    for hits in (lexicon.stated_hits(masked), lexicon.inferred_hits(masked)):
        if hits:
            return hits[-1]
    return hit


def weaker(hit: StanceHit) -> StanceHit:
    """The same direction, less firm (a stance stated only as a possibility)."""
    weaker = {"bullish": "leaning_bullish", "bearish": "leaning_bearish"}
    return StanceHit(weaker.get(hit.stance, hit.stance), hit.word, hit.start, hit.end, True)


def clauses(sentence: str) -> list[str]:
    """A sentence split at commas that are not inside brackets."""
    return split_outside_brackets(sentence, "，,")
