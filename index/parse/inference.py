"""A stance read from an impact's words when it states none (`航空板块：燃油成本下降，直接受益`).

The words after a target are split into clauses; each direction word (Lexicon.inferred) that
is about the target (it opens its clause, or acts on the target's asset, or no other asset is
named right before it) votes. Negations turn a word round (`难以大幅回落`); a clause stated
only as a possibility (`若…`) or a warning (`但需警惕回调`) weakens instead of deciding; both
directions in main clauses make the stance mixed. No direction word: no stance (unknown).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from .stances import Lexicon, StanceHit, mask_brackets

if TYPE_CHECKING:
    from .assets import AssetTable

_SENTENCE_END_RE = re.compile(r"[。！!？?\n]")
_CLAUSE_RE = re.compile(r"[^，,。；;！!？?\n]+")
_UP = ("bullish", "leaning_bullish")
_DOWN = ("bearish", "leaning_bearish")
_WEAK = {"bullish": "leaning_bullish", "bearish": "leaning_bearish"}
_CONTRAST_RE = re.compile(r"^\s*(?:但是|但|不过|然而|可是|只是)")

_YIELD_RE = re.compile(r"收益率(?:将|或|可能|继续|进一步|震荡|大幅|小幅|明显)*$")
_INVERSE = {
    "bullish": "bearish",
    "leaning_bullish": "leaning_bearish",
    "bearish": "bullish",
    "leaning_bearish": "leaning_bullish",
}
_PRICE_RE = re.compile(r"价格|电价|油价|房价|物价|费用|成本|账单|价$")
_AGENT = ("带动", "推动", "拖累", "影响", "提振")
_SCENE_RE = re.compile(r"后|之后|以后|以来")


def _direction(stance: str) -> int:
    return 1 if stance in _UP else -1 if stance in _DOWN else 0


def infer_stance(
    body: str, own: set[str], assets: AssetTable, lexicon: Lexicon, *, sentences: int = 2
) -> StanceHit | None:
    """The stance the words of `body` give a target whose assets are `own` (see module).

    `assets` says which assets a piece of text names. Only the
    first `sentences` sentences count: what follows is usually background."""
    text = "。".join(_SENTENCE_END_RE.split(body)[:sentences])
    masked = mask_brackets(text)
    main: list[StanceHit] = []
    weak: list[StanceHit] = []
    in_condition = False
    for clause_match in _CLAUSE_RE.finditer(masked):
        clause = clause_match.group(0)
        offset = clause_match.start()
        if offset and masked[offset - 1] in "。；;！!？?\n":
            in_condition = False  # a new sentence: the condition is over
        if _CONTRAST_RE.match(clause):
            in_condition = False
        if lexicon.is_conditional(_CONTRAST_RE.sub("", clause)):
            in_condition = True  # `若需求改善，价格或走强`: the consequence is a possibility too
        conditional = in_condition
        caveat = lexicon.is_caveat(clause) and bool(_CONTRAST_RE.match(clause) or main)
        for hit in lexicon.inferred_hits(clause):
            if not _about_target(clause, hit, own, assets, lexicon):
                continue
            stance = hit.stance
            if "债券" in own and _YIELD_RE.search(clause[: hit.start]):
                stance = _INVERSE.get(stance, stance)  # `收益率下行`: bond prices rise
            placed = StanceHit(stance, hit.word, hit.start + offset, hit.end + offset, True)
            (weak if conditional or caveat else main).append(placed)
    if main:
        directions = {_direction(h.stance) for h in main} - {0}
        if directions == {1, -1}:
            first = main[0]
            return StanceHit("mixed", first.word, first.start, first.end, inferred=True)
        strongest = next((h for h in main if h.stance in ("bullish", "bearish")), main[0])
        opposed = any(_direction(h.stance) == -_direction(strongest.stance) for h in weak)
        if opposed:
            return _weakened(strongest)
        return strongest
    if weak:
        directions = {_direction(h.stance) for h in weak} - {0}
        if len(directions) == 1:
            return _weakened(weak[0])
    return None


def _weakened(hit: StanceHit) -> StanceHit:
    return StanceHit(_WEAK.get(hit.stance, hit.stance), hit.word, hit.start, hit.end, True)


def _about_target(
    clause: str, hit: StanceHit, own: set[str], assets: AssetTable, lexicon: Lexicon
) -> bool:
    """Whether a direction word in a clause is said of the target: the last asset named
    before it (its subject), or after a transitive word (its object), is the target's; or
    none is named, so the clause is about the target itself (`直接受益`). A word after a
    scene (`在油价回落后改善`) is about something else."""
    if hit.word in lexicon.transitive:
        obj = clause[hit.end : hit.end + 10]
        after = set(assets.resolve(obj))
        if after:
            return not own or bool(own & after)
        if _PRICE_RE.search(obj):
            return False  # `推高终端产品价格`: a price moves, not the target
        return True  # `构成中期压制`: it acts on the target, whatever the cause
    window = clause[: hit.start]
    if not own and _PRICE_RE.search(window):
        return False  # `对普通人：云服务价格可能上涨`: the price moves, not the target
    spans = [  # `受白银带动上涨`: 白银 drives the target, it is not the subject
        (start, end, named)
        for start, end, named in assets.mentions(window)
        if not (window[:start].endswith("受") or window.startswith(_AGENT, end))
    ]
    if not spans:
        return True
    start, end, _ = spans[-1]
    if _SCENE_RE.search(window[end:]):
        return False
    return bool(own & set(assets.resolve(window[start:end])))
