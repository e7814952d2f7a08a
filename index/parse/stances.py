"""Stance and horizon words: which direction a phrase gives a target, and over what time.

The contract's table (利多/利好 bullish; 中性偏多, 偏多, 温和利多, 间接利多, 结构性利好, 中性偏高
leaning_bullish; 中性 neutral; 中性偏空, 偏空, 温和利空, 承压 leaning_bearish; 利空, 严重利空
bearish; both directions for one target mixed), matched longest first, plus close spellings;
and the words prose uses for a direction (受益, 支撑, 走强…, arrows ↑ ↓), which count only when
no contract word is present. Horizons come from 短期 / 中期 / 长期 and their synonyms, when they
are the stance's own (`短期利多`, `利多（短期）`, `利空，短线趋势转弱`), not a caveat's
(`利多，但短线追高…`); a mixed stance over two horizons has none.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# The contract's stance words (and close spellings). Both directions in one phrase: mixed.
CORE: dict[str, str] = {
    "利多": "bullish",
    "利好": "bullish",
    "严重利空": "bearish",
    "利空": "bearish",
    "看多": "bullish",
    "看涨": "bullish",
    "看空": "bearish",
    "看跌": "bearish",
    "中性": "neutral",
    "中立": "neutral",
    "中性偏多": "leaning_bullish",
    "偏多": "leaning_bullish",
    "温和利多": "leaning_bullish",
    "间接利多": "leaning_bullish",
    "结构性利好": "leaning_bullish",
    "中性偏高": "leaning_bullish",
    "中性偏利多": "leaning_bullish",
    "中性偏利好": "leaning_bullish",
    "偏利多": "leaning_bullish",
    "偏利好": "leaning_bullish",
    "潜在利多": "leaning_bullish",
    "潜在利好": "leaning_bullish",
    "轻微利多": "leaning_bullish",
    "小幅利多": "leaning_bullish",
    "边际利多": "leaning_bullish",
    "温和利好": "leaning_bullish",
    "间接利好": "leaning_bullish",
    "边际利好": "leaning_bullish",
    "结构性利多": "leaning_bullish",
    "中性偏空": "leaning_bearish",
    "偏空": "leaning_bearish",
    "温和利空": "leaning_bearish",
    "承压": "leaning_bearish",
    "中性偏利空": "leaning_bearish",
    "偏利空": "leaning_bearish",
    "潜在利空": "leaning_bearish",
    "轻微利空": "leaning_bearish",
    "小幅利空": "leaning_bearish",
    "边际利空": "leaning_bearish",
    "间接利空": "leaning_bearish",
    "结构性利空": "leaning_bearish",
    "中性偏低": "leaning_bearish",
    "多空交织": "mixed",
    "喜忧参半": "mixed",
    "利弊参半": "mixed",
    "有利有弊": "mixed",
    "短多长空": "mixed",
    "短空长多": "mixed",
    "分化": "mixed",
}
# Words of prose that imply a direction; used only when no contract word is present.
PROSE: dict[str, str] = {
    "受益": "bullish",
    "提振": "bullish",
    "推高": "bullish",
    "推升": "bullish",
    "走强": "bullish",
    "上涨": "bullish",
    "大涨": "bullish",
    "升值": "bullish",
    "走高": "bullish",
    "飙升": "bullish",
    "反弹": "bullish",
    "正面": "bullish",
    "暴涨": "bullish",
    "走软": "leaning_bearish",
    "支撑": "leaning_bullish",
    "有利于": "leaning_bullish",
    "有利": "leaning_bullish",
    "偏正面": "leaning_bullish",
    "压制": "leaning_bearish",
    "拖累": "leaning_bearish",
    "走弱": "leaning_bearish",
    "不利于": "leaning_bearish",
    "不利": "leaning_bearish",
    "偏负面": "leaning_bearish",
    "削弱": "leaning_bearish",
    "贬值压力": "leaning_bearish",
    "下行压力": "leaning_bearish",
    "压力": "leaning_bearish",
    "下跌": "bearish",
    "贬值": "bearish",
    "打压": "bearish",
    "重挫": "bearish",
    "暴跌": "bearish",
    "负面": "bearish",
    "走低": "bearish",
    "回落": "bearish",
    "↑": "bullish",
    "⬆": "bullish",
    "📈": "bullish",
    "↓": "bearish",
    "⬇": "bearish",
    "📉": "bearish",
}
# Stance words whose target usually follows them (利好黄金), not precedes (黄金受益).
TRANSITIVE = (
    "利多",
    "利好",
    "利空",
    "支撑",
    "提振",
    "推高",
    "推升",
    "压制",
    "打压",
    "拖累",
    "利于",
    "削弱",
)


def _alternation(words: dict[str, str]) -> re.Pattern[str]:
    return re.compile("|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)))


CORE_RE = _alternation(CORE)
PROSE_RE = _alternation(PROSE)
_DIRECTION = {
    "bullish": 1,
    "leaning_bullish": 1,
    "neutral": 0,
    "leaning_bearish": -1,
    "bearish": -1,
}

HORIZON_RE = re.compile(r"中长期|中短期|短中期|短期|短线|近期|中期|长期|长线|远期|长远")
_HORIZONS = {
    "短期": "short",
    "短线": "short",
    "近期": "short",
    "短中期": "short",
    "中期": "medium",
    "中长期": "medium",
    "中短期": "medium",
    "长期": "long",
    "长线": "long",
    "远期": "long",
    "长远": "long",
}
_WEAK_MIXED = ("分化",)
"""Mixed words that often describe something else (`政策分化`): they count only alone."""
_AFTERWARDS = ("后", "之后", "以后", "以来")
_CONTRASTS = ("但", "不过", "然而", "而", "只是", "可是", "虽然", "尽管")
_OPENING_HORIZON_RE = re.compile(r"^(?:从|在|就|对)?(" + HORIZON_RE.pattern + ")")
_TIED_HORIZON_RE = re.compile(
    "(" + HORIZON_RE.pattern + ")(?:内|里)?(?=" + _alternation({**CORE, **PROSE}).pattern + ")"
)
_SENTENCE_ENDS = "。；;！!？?\n"
_LEADING_STANCE_RE = re.compile(r"^(?:(?:" + CORE_RE.pattern + r")[\s，,。；;、]*)+")
BRACKETS_RE = re.compile(r"（[^（）]*）|\([^()]*\)|【[^【】]*】|\[[^\[\]]*\]")


def mask_brackets(text: str) -> str:
    """`text` with bracketed asides blanked out (same length, so positions still match)."""
    return BRACKETS_RE.sub(lambda m: " " * len(m.group(0)), text)


@dataclass(frozen=True, slots=True)
class StanceHit:
    """Where a stance word was found in a phrase."""

    stance: str
    word: str
    start: int
    end: int


def hits_of(pattern: re.Pattern[str], table: dict[str, str], text: str) -> list[StanceHit]:
    """Every stance word of `table` in `text`, except negated ones (`不利好`) and prose words
    that only set the scene (`在油价回落后`: what happened before, not the impact)."""
    hits = []
    for m in pattern.finditer(text):
        word = m.group(0)
        if word in ("利好", "利多", "利空") and m.start() > 0 and text[m.start() - 1] == "不":
            continue
        if table is PROSE and text.startswith(_AFTERWARDS, m.end()):
            continue
        hits.append(StanceHit(table[word], word, m.start(), m.end()))
    return hits


def find_stance(text: str) -> StanceHit | None:
    """The stance a phrase states: contract words first (both directions: mixed), then prose.

    Words inside brackets count only when there are none outside them, so that
    `利空成长股（高利率压制估值）` is bearish, but `推动金价创新高（利多）` bullish.
    """
    for candidate in (mask_brackets(text), text):
        hits = hits_of(CORE_RE, CORE, candidate)
        if len(hits) > 1 and any(h.word not in _WEAK_MIXED for h in hits):
            hits = [h for h in hits if h.word not in _WEAK_MIXED]  # `政策分化有利于…，利好`
        if hits:
            directions = {_DIRECTION.get(h.stance, 2) for h in hits} - {0}
            if 2 in directions or directions == {1, -1}:
                first = hits[0]
                return StanceHit("mixed", first.word, first.start, first.end)
            return hits[0]
    for candidate in (mask_brackets(text), text):
        hits = hits_of(PROSE_RE, PROSE, candidate)
        if hits:
            return hits[0]
    return None


def find_horizon(text: str, hit: StanceHit | None = None) -> str | None:
    """short / medium / long: the horizon word right before the stance, else the first one;
    none for a mixed stance over several horizons (`短期利多，中期利空`)."""
    matches = list(HORIZON_RE.finditer(text))
    if not matches:
        return None
    if (
        hit is not None
        and hit.stance == "mixed"
        and len({_HORIZONS[m.group(0)] for m in matches}) > 1
    ):
        return None
    if hit is not None:
        tied = [m for m in matches if m.end() <= hit.start and hit.start - m.end() <= 4]
        if tied:
            return _HORIZONS[tied[-1].group(0)]
    return _HORIZONS[matches[0].group(0)]


def _sentence_at(text: str, hit: StanceHit) -> tuple[int, str]:
    """The sentence of `text` that holds a stance word, with its start offset."""
    start = max(text.rfind(c, 0, hit.start) for c in _SENTENCE_ENDS) + 1
    ends = [i for i in (text.find(c, hit.end) for c in _SENTENCE_ENDS) if i >= 0]
    return start, text[start : min(ends) if ends else len(text)]


def over_horizons(text: str, hit: StanceHit) -> bool:
    """Whether a mixed stance is one direction per horizon (`短期利多，中期利空`)."""
    found = HORIZON_RE.findall(_sentence_at(text, hit)[1])
    return hit.stance == "mixed" and len({_HORIZONS[w] for w in found}) > 1


def stance_horizon(text: str, hit: StanceHit) -> str | None:
    """The horizon word tied to a stance word in `text`: just before it (`短期利多`) or in
    brackets just after it (`利多（短期）`)."""
    start, _ = _sentence_at(text, hit)
    before = [m for m in HORIZON_RE.finditer(text, start, hit.start) if hit.start - m.end() <= 4]
    if before:
        return _HORIZONS[before[-1].group(0)]
    after = re.match(r"\s*[（(]\s*(" + HORIZON_RE.pattern + ")", text[hit.end :])
    return _HORIZONS[after.group(1)] if after else None


def body_horizon(text: str) -> str | None:
    """The horizon the words after a stance give it: a clause of their first sentence that
    opens with a horizon word (`利空，短线趋势转弱`, `短期看，…`) or puts one right before a
    stance word (`相关公司短期受益`), unless that clause turns against the rest (`利多，趋势
    仍在，但短线追高…`: the horizon of a caveat)."""
    text = _LEADING_STANCE_RE.sub("", text.strip())
    sentence = re.match(r"[^。；;！!？?\n]*", text)
    for clause in re.split(r"[，,]", sentence.group(0) if sentence else ""):
        clause = clause.strip()
        if clause.startswith(_CONTRASTS):
            continue
        found = _OPENING_HORIZON_RE.match(clause) or _TIED_HORIZON_RE.search(clause)
        if found:
            return _HORIZONS[found.group(1)]
    return None
