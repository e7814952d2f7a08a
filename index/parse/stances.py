"""Stance and horizon words: which direction a phrase gives a target, and over what time.

The lexicon is data (stances.toml, extended by the config's `[stances]`): the contract's
stated words (利多/利好 bullish; 中性偏多, 偏多, 温和利多, 间接利多, 结构性利好, 中性偏高
leaning_bullish; 中性 neutral; 中性偏空, 偏空, 温和利空, 承压 leaning_bearish; 利空, 严重利空
bearish; both directions for one target mixed), matched longest first, plus close spellings;
and the words a direction is inferred from (受益, 支撑, 走强…, arrows ↑ ↓), which count only
when no stated word is present, turned round by a negation (难以回落, 压力缓解). Horizons come
from 短期 / 中期 / 长期 and their synonyms, when they are the stance's own (`短期利多`, `利多
（短期）`, `利空，短线趋势转弱`), not a caveat's (`利多，但短线追高…`).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..startup_cache import parse_toml

if TYPE_CHECKING:
    from ..paths import Config

_LEXICON_FILE = Path(__file__).with_name("stances.toml")
_FLIPPED = {
    "bullish": "leaning_bearish",
    "leaning_bullish": "leaning_bearish",
    "bearish": "leaning_bullish",
    "leaning_bearish": "leaning_bullish",
}
"""A negated direction word (`难以回落`, `未引发贬值压力`) turns round, and is weaker."""
_STATED_NEGATIONS = ("不", "非", "难言", "谈不上", "未必", "不构成", "不算", "算不上", "并无")
_CLAUSE_ENDS = "，,。；;！!？?：:\n"


def _alternation(words: Iterable[str]) -> re.Pattern[str]:
    ordered = sorted(set(words), key=lambda word: (-len(word), word))
    return re.compile("|".join(re.escape(w) for w in ordered) or r"(?!x)x")


class Lexicon:
    """The stance words: stated ones (the contract's table), the words a direction is
    inferred from, and the words that turn an inferred one round or weaken it."""

    def __init__(self, data: Mapping[str, Any]) -> None:
        self.stated: dict[str, str] = {str(k): str(v) for k, v in data.get("stated", {}).items()}
        self.inferred: dict[str, str] = {
            str(k): str(v) for k, v in data.get("inferred", {}).items()
        }
        words = {
            k: tuple(str(w) for w in v.get("words", ()))
            for k, v in data.items()
            if isinstance(v, dict) and "words" in v
        }
        self.transitive = words.get("transitive", ())
        self.negations = words.get("negations", ())
        self.released = words.get("released", ())
        self.conditions = words.get("conditions", ())
        self.caveats = words.get("caveats", ())
        audiences = data.get("audiences", {})
        self.audiences: frozenset[str] = frozenset(words.get("audiences", ()))
        self.audience_suffixes = tuple(str(w) for w in audiences.get("suffixes", ()))
        self.movable = tuple(str(w) for w in audiences.get("movable", ()))
        self.audience_modifiers = tuple(str(w) for w in audiences.get("modifiers", ()))
        self.stated_re = _alternation(self.stated)
        self.inferred_re = _alternation(self.inferred)
        self._negation_re = re.compile(
            "(?:" + _alternation(self.negations).pattern + r")[^，,。；;！!？?：:\n]{0,4}$"
        )
        self._data = data

    def extended(
        self,
        stated: Mapping[str, str],
        inferred: Mapping[str, str],
        audiences: Iterable[str] = (),
    ) -> Lexicon:
        """This lexicon with more stated and inferred words and audiences (the config's
        `[stances]`, `[stances.inferred]` and `[stances.audiences]`)."""
        data = dict(self._data)
        data["stated"] = {**self._data.get("stated", {}), **stated}
        data["inferred"] = {**self._data.get("inferred", {}), **inferred}
        base = dict(self._data.get("audiences", {}))
        base["words"] = [*base.get("words", ()), *audiences]
        data["audiences"] = base
        return Lexicon(data)

    @classmethod
    def load(cls, config: Config | None = None) -> Lexicon:
        """The built-in lexicon, plus the `[stances]` table of the user's config if any."""
        stated = getattr(config, "stances", None) or {}
        inferred = getattr(config, "inferred_stances", None) or {}
        audiences = getattr(config, "audiences", None) or ()
        if not stated and not inferred and not audiences:
            return builtin_lexicon()
        return builtin_lexicon().extended(stated, inferred, audiences)

    def is_audience(self, phrase: str) -> bool:
        """Whether a phrase (without 对, 而言…) names who a digest talks to (`开发者`,
        `普通人`, `企业用户`, `学生/研究者`), by the words alone: not whether it names a market."""
        parts = [p for p in _AUDIENCE_JOIN_RE.split(phrase) if p]
        return bool(parts) and all(self._one_audience(p) for p in parts)

    def _one_audience(self, phrase: str) -> bool:
        if phrase.endswith(self.movable):
            return False
        bare = phrase
        for modifier in self.audience_modifiers:  # 普通投资者, 中小企业主
            if phrase.startswith(modifier) and len(phrase) > len(modifier):
                bare = phrase[len(modifier) :]
                break
        if phrase in self.audiences or bare in self.audiences:
            return True
        return len(phrase) >= 2 and phrase.endswith(self.audience_suffixes)

    def stated_hits(self, text: str) -> list[StanceHit]:
        """Every stated stance word in `text`, except negated ones (`不利好`, `并非利空`,
        `难言利好`): a stance said not to hold is no stance."""
        hits = []
        for m in self.stated_re.finditer(text):
            word = m.group(0)
            if text.endswith(_STATED_NEGATIONS, 0, m.start()):
                continue
            hits.append(StanceHit(self.stated[word], word, m.start(), m.end()))
        return hits

    def inferred_hits(self, text: str) -> list[StanceHit]:
        """Every direction word in `text`, turned round when negated (`难以大幅回落`, `压力
        缓解`), except those that only set the scene (`在油价回落后`: what came before)."""
        hits = []
        for m in self.inferred_re.finditer(text):
            word, stance = m.group(0), self.inferred[m.group(0)]
            if not stance or text.startswith(_AFTERWARDS, m.end()):
                continue
            negated = bool(self._negation_re.search(text, max(0, m.start() - 8), m.start()))
            if not negated and stance in (
                "bearish",
                "leaning_bearish",
                "bullish",
                "leaning_bullish",
            ):
                negated = text.startswith(self.released, m.end())
            if negated and stance in _FLIPPED:
                stance = _FLIPPED[stance]
            hits.append(StanceHit(stance, word, m.start(), m.end(), inferred=True))
        return hits

    def is_conditional(self, clause: str) -> bool:
        """Whether a clause states only a possibility (`若冲突升级`, `如果…`)."""
        return clause.lstrip("，, 但而且则").startswith(self.conditions)

    def is_caveat(self, clause: str) -> bool:
        """Whether a clause is a warning (`但需警惕获利了结`), not the main direction."""
        return any(word in clause for word in self.caveats)


@functools.lru_cache(maxsize=1)
def builtin_lexicon() -> Lexicon:
    """The lexicon of index/parse/stances.toml, read once per process."""
    return Lexicon(parse_toml(_LEXICON_FILE.read_text(encoding="utf-8")))


_BUILTIN = builtin_lexicon()
CORE: dict[str, str] = _BUILTIN.stated
"""The stated stance words (contract)."""
PROSE: dict[str, str] = _BUILTIN.inferred
"""Words of prose that imply a direction; used only when no stated word is present."""
TRANSITIVE: tuple[str, ...] = _BUILTIN.transitive
"""Stance words whose target usually follows them (利好黄金), not precedes (黄金受益)."""
CORE_RE = _BUILTIN.stated_re
PROSE_RE = _BUILTIN.inferred_re
_DIRECTION = {
    "bullish": 1,
    "leaning_bullish": 1,
    "neutral": 0,
    "leaning_bearish": -1,
    "bearish": -1,
}

HORIZON_RE = re.compile(r"中长期|中短期|短中期|短期|短线|近期|中期|长期|长线|远期|长远")
_BRACKETED_HORIZON_RE = re.compile(r"\s*[（(]\s*(" + HORIZON_RE.pattern + ")")  # `（短期）`
_FIRST_CLAUSES_RE = re.compile(r"[^。；;！!？?\n]*")  # a sentence, up to its end
_COMMA_RE = re.compile(r"[，,]")
_AUDIENCE_JOIN_RE = re.compile(r"[/／、和与及]")  # `学生/研究者`, `开发者和企业`
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
    "(" + HORIZON_RE.pattern + ")(?:内|里)?(?=" + _alternation([*CORE, *PROSE]).pattern + ")"
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
    inferred: bool = False
    """True for a direction word (受益, 担忧), not a stated stance word (利多)."""


def hits_of(pattern: re.Pattern[str], table: dict[str, str], text: str) -> list[StanceHit]:
    """Every stance word of the built-in `table` (CORE or PROSE) in `text` (see Lexicon)."""
    if table is PROSE:
        return _BUILTIN.inferred_hits(text)
    return _BUILTIN.stated_hits(text)


def find_stance(text: str, lexicon: Lexicon | None = None) -> StanceHit | None:
    """The stance a phrase states: stated words first (both directions: mixed), then the
    words a direction is inferred from (the hit says `inferred`).

    Words inside brackets count only when there are none outside them, so that
    `利空成长股（高利率压制估值）` is bearish, but `推动金价创新高（利多）` bullish.
    """
    lexicon = lexicon or _BUILTIN
    for candidate in (mask_brackets(text), text):
        hits = lexicon.stated_hits(candidate)
        if len(hits) > 1 and any(h.word not in _WEAK_MIXED for h in hits):
            hits = [h for h in hits if h.word not in _WEAK_MIXED]  # `政策分化有利于…，利好`
        if hits:
            directions = {_DIRECTION.get(h.stance, 2) for h in hits} - {0}
            if 2 in directions or directions == {1, -1}:
                first = hits[0]
                return StanceHit("mixed", first.word, first.start, first.end)
            return hits[0]
    for candidate in (mask_brackets(text), text):
        found = lexicon.inferred_hits(candidate)
        if found:
            return found[0]
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
    after = _BRACKETED_HORIZON_RE.match(text[hit.end :])
    return _HORIZONS[after.group(1)] if after else None


def body_horizon(text: str) -> str | None:
    """The horizon the words after a stance give it: a clause of their first sentence that
    opens with a horizon word (`利空，短线趋势转弱`, `短期看，…`) or puts one right before a
    stance word (`相关公司短期受益`), unless that clause turns against the rest (`利多，趋势
    仍在，但短线追高…`: the horizon of a caveat)."""
    text = _LEADING_STANCE_RE.sub("", text.strip())
    sentence = _FIRST_CLAUSES_RE.match(text)
    for clause in _COMMA_RE.split(sentence.group(0) if sentence else ""):
        clause = clause.strip()
        if clause.startswith(_CONTRASTS):
            continue
        found = _OPENING_HORIZON_RE.match(clause) or _TIED_HORIZON_RE.search(clause)
        if found:
            return _HORIZONS[found.group(1)]
    return None
