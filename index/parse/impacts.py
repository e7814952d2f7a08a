"""Impacts: what an item says it means for a target, with a stance and a horizon.

Every form the digests use: `对股市：利多。…`, `**对美元**：利空。…`, `**黄金：** 利多，…`,
`石油：…` (no stance: unknown), `**原油（利多）：** …`, `**利多：** 黄金、白银` (stance first:
one impact per target; also `【利空】航空股、化工股`), `**利多日元**：…`, `黄金、白银短期承压：…`,
`黄金 ↑`, table rows, and prose (`能源板块受益，航运股承压。`: split into clauses, each with a
target and a stance word).
Stance words are matched longest first (中性偏多 before 中性 and 利多).
"""

from __future__ import annotations

import re

from ..model import Impact
from .assets import AssetTable
from .blocks import Run, plain
from .labels import ADVICE, classify
from .linear import Edges, TrailingRun, trailing_bracket
from .stances import (
    BRACKETS_RE,
    CORE,
    CORE_RE,
    HORIZON_RE,
    PROSE,
    PROSE_RE,
    TRANSITIVE,
    StanceHit,
    body_horizon,
    find_horizon,
    find_stance,
    hits_of,
    mask_brackets,
    over_horizons,
    stance_horizon,
)

_TRAILING_BRACKET_RE = re.compile(r"\s*(?:（([^（）]*)）|\(([^()]*)\))\s*$")
_HORIZON_WORDS = r"中长期|中短期|短中期|短期|短线|近期|中期|长期|长线|远期"
# Trailing runs are found from the end (index/parse/linear.py): `(…)+$` searched from every
# start is quadratic on a long run of spaces or filler words (issue 12).
_EDGE_SYMBOLS = Edges(r"[^\w（(【\[]", TrailingRun(chars=r"^\w）)】\]%"))
_LEADING_FILLER_RE = re.compile(
    r"^(?:但是|但|而且|而|且|并且|并|同时|尤其是|尤其|特别是|若|如果|如|则|将会|将|或将|或|"
    r"可能|也|仍然|仍|还|更|进一步|继续|有望|预计|整体|总体|显著|明显|强烈|极度|大幅|小幅|"
    rf"非常|较为|对于|对|再度|再次|持续|均|都|{_HORIZON_WORDS}|\s|[，,、：:；;—\-·*])+"
)
_TRAILING_FILLER = TrailingRun(
    "将会|将|或将|或受|或|可能|也|仍然|仍有|仍|还有|还|有望|继续|面临|迎来|出现|获得|"
    "带来|构成|形成|产生|受到|受|整体|总体|显著|明显|强烈|极度|大幅|小幅|均|都|等|进一步|随之|"
    f"再度|持续|{_HORIZON_WORDS}".split("|"),
    r"\s，,、：:；;。—\-·*",
)
_LIGHT_EDGES = Edges(rf"{_HORIZON_WORDS}|\s", TrailingRun(_HORIZON_WORDS.split("|"), r"\s"))
_DUI_WORDS = ("对冲", "对手", "对话", "对象", "对策", "对应", "对等")
"""Words that start with 对 without it meaning "for": a target `对冲基金` keeps its 对."""
_COLON_SPACE_RE = re.compile(r"：[ \t]+")
"""`**黄金：** 利多` reads `黄金：利多` once the bold is gone."""
_NOUN_END_RE = re.compile(
    r"(?:股|板块|行业|产业链|产业|市场|价格|公司|企业|厂商|运营商|资产|货币|债|指数|运价|成本)$"
)
"""How the name of something an impact can be on ends (`公用事业和化工股`, `即期运价`)."""
_PROSE_CUT_RE = re.compile(r"将|可能|或将|也|仍|会|面临|受到|已经|已|正在")
_SENTENCE_RE = re.compile(r"[^。；;！!？?\n]+")
_CLAUSE_RE = re.compile(r"[^，,]+")
_DUI_TOPIC_RE = re.compile(r"^\s*对于?(.+?)(?:而言|来说)\s*$")
_DUI_RE = re.compile(r"对(.+?)(?:而言|来说|构成|形成|带来|产生|有|是|的|整体|均|都|$)")


def clean_target(text: str) -> str:
    """A target as written, without 对, bold, colon, edge horizons or a bracketed stance."""
    target = _EDGE_SYMBOLS.strip(text.strip()).strip("*_：:，,。；; ").strip()
    bracket = trailing_bracket(_TRAILING_BRACKET_RE, target)
    if bracket and _states_stance(bracket.group(1) or bracket.group(2) or ""):
        target = target[: bracket.start()]
    if target.startswith("对") and len(target) > 1 and not target.startswith(_DUI_WORDS):
        target = target[1:]
    for suffix in ("而言", "来说", "方面", "的影响"):
        if target.endswith(suffix) and len(target) > len(suffix):
            target = target[: -len(suffix)]
    return _LIGHT_EDGES.strip(target).strip("*_：:，,。；; ")


def _prose_target(text: str) -> str:
    """A target taken from a clause of prose: connectives and modal words trimmed too."""
    target = BRACKETS_RE.sub("", clean_target(text))
    target = _LEADING_FILLER_RE.sub("", target)
    target = _TRAILING_FILLER.strip(target)
    return target.strip()


def _states_stance(text: str) -> bool:
    return bool(text) and (find_stance(text) is not None or bool(HORIZON_RE.search(text)))


def _first_sentence(text: str) -> str:
    match = _SENTENCE_RE.search(text)
    return match.group(0) if match else ""


class ImpactReader:
    """Turns the content of an item's 影响 part into Impact records (one table of assets)."""

    def __init__(self, assets: AssetTable) -> None:
        self.assets = assets

    def impact(
        self, target: str, stance: str, horizon: str | None, text: str, written: str | None = None
    ) -> Impact:
        """An Impact; its assets come from the target as written, brackets only as a
        fallback (`加密货币（尤其比特币）` is about 加密货币, not about what it explains)."""
        written = target if written is None else written
        assets = self.assets.resolve(BRACKETS_RE.sub(" ", written)) or self.assets.resolve(written)
        return Impact(target, assets, stance, horizon, _COLON_SPACE_RE.sub("：", text.strip()))

    # -- bullets -----------------------------------------------------------------------------

    def from_bullet(
        self, runs: list[Run], extra: str = "", default_target: str | None = None
    ) -> tuple[list[Impact], str | None]:
        """Impacts of one bullet (with the text of its sub-bullets); or its advice text."""
        whole = plain(runs)
        text = "\n".join(t for t in (whole, extra) if t)
        head, body = _split_head(runs)
        if head is None:
            return self.from_prose(text, default_target), None
        if classify(head)[0] == ADVICE:  # `- **投资启示：** …` among the impacts
            return [], "\n".join(t for t in (body, extra) if t) or None
        return self._from_head(head, body, text), None

    def _from_head(self, head: str, body: str, text: str) -> list[Impact]:
        """`对美元` / `原油（利多）` / `利多日元` / `黄金、白银短期承压` / `利多`, then its text."""
        bracket = trailing_bracket(_TRAILING_BRACKET_RE, head)
        bare = head[: bracket.start()] if bracket else head
        hit = find_stance(bare)
        inside = (bracket.group(1) or bracket.group(2) or "") if bracket else ""
        if hit is None and inside and _states_stance(inside):
            hit = find_stance(inside)
            if hit is None:
                hit = self._body_stance(body, bare)
                horizon = find_horizon(inside) or _horizon_after(body, hit)
            else:
                horizon = find_horizon(inside, hit) or body_horizon(body)
            return [
                self.impact(
                    clean_target(bare), hit.stance if hit else "unknown", horizon, text, bare
                )
            ]
        if hit is not None:
            before, after = head[: hit.start], head[hit.end :]
            before_clean, after_clean = _prose_target(before), _prose_target(after)
            if after_clean and find_stance(after_clean):
                after_clean = ""  # `短期利多、中期利空`: a second stance, not a target
            if not before_clean and not after_clean:  # stance first: `利多：黄金、白银`
                return self._stance_first(
                    hit, find_horizon(head, hit) or body_horizon(body), body, text
                )
            if after_clean and (not before_clean or hit.word.endswith(TRANSITIVE)):
                target, written = after_clean, after
            else:
                target, written = before_clean, before
            horizon = find_horizon(head, hit) or body_horizon(body)
            return [self.impact(target, hit.stance, horizon, text, written)]
        hit = self._body_stance(body, head)
        horizon = _horizon_after(body, hit)
        return [
            self.impact(clean_target(head), hit.stance if hit else "unknown", horizon, text, head)
        ]

    def _body_stance(self, body: str, head: str) -> StanceHit | None:
        """The stance of the text after a target: a contract word in its first sentence (or
        anywhere, failing that); else a prose word that opens it (`短期走强`) or that acts
        on the same asset (`支撑黄金`, `油价可能暴涨`), not on another one."""
        sentence = _first_sentence(body)
        masked = mask_brackets(sentence)
        if hits_of(CORE_RE, CORE, masked) or hits_of(CORE_RE, CORE, sentence):
            return find_stance(sentence)
        clause = _CLAUSE_RE.search(sentence)
        opening = clause.group(0) if clause else ""
        offset = len(opening) - len(opening.lstrip())
        own = set(self.assets.resolve(head))
        for hit in hits_of(PROSE_RE, PROSE, masked):
            lead = _prose_target(sentence[offset : hit.start])
            if hit.end <= len(opening) and (
                not lead or (len(lead) <= 4 and not self.assets.mentions(lead))
            ):
                return hit  # it opens the text: `短期走强`, `有利于…`, not `金价上涨`
            near = (
                sentence[hit.end : hit.end + 8]
                if hit.word.endswith(TRANSITIVE)
                else sentence[max(0, hit.start - 6) : hit.start]
            )
            if own and own & set(self.assets.resolve(near)):
                return hit
        hits = hits_of(CORE_RE, CORE, body)
        return hits[0] if hits else None

    def _stance_first(
        self, hit: StanceHit, horizon: str | None, body: str, text: str
    ) -> list[Impact]:
        clause = _CLAUSE_RE.search(_first_sentence(body))
        targets = _split_targets(clause.group(0)) if clause else []
        impacts = [
            self.impact(clean_target(t), hit.stance, horizon, text, t)
            for t in targets
            if clean_target(t)
        ]
        return impacts or [self.impact("", hit.stance, horizon, text)]

    # -- prose -------------------------------------------------------------------------------

    def from_prose(self, text: str, default_target: str | None = None) -> list[Impact]:
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
            for clause in _clauses(sentence):
                hit = _last_stance(clause)
                if hit is None:
                    dui = _DUI_TOPIC_RE.match(clause)
                    if dui and _prose_target(dui.group(1)):
                        subject, explicit = (_prose_target(dui.group(1)), dui.group(1)), True
                    elif not explicit:
                        subject = self._subject(clause) or subject
                    continue
                target, written = self._clause_target(clause, hit)
                fallback = subject or ((default_target, default_target) if default_target else None)
                own_dui = _DUI_RE.search(clause[: hit.start])
                if (
                    fallback
                    and not own_dui
                    and (explicit or self._borrows_subject(target, clause, hit))
                ):
                    target, written = fallback
                if not target:
                    continue
                subject = subject or (target, written)
                horizon = find_horizon(clause, hit)
                impacts.append(self.impact(target, hit.stance, horizon, clause, written))
        if impacts:
            return impacts
        if default_target:
            return [self.impact(default_target, "unknown", find_horizon(text), text)]
        mention = self._subject(text)
        target = mention[0] if mention else ""
        return [self.impact(target, "unknown", find_horizon(text), text)]

    def _borrows_subject(self, target: str, clause: str, hit: StanceHit) -> bool:
        """Whether a clause's own target is too vague to stand (none, or a long phrase that
        names no asset), so the sentence's subject is used; a phrase before the stance word
        that names a thing (`公用事业和化工股承压`) stands."""
        if not target:
            return True
        if len(target) <= 6 or self.assets.mentions(target):
            return False
        return not (_NOUN_END_RE.search(target) and 0 <= clause.find(target) < hit.start)

    def _subject(self, clause: str) -> tuple[str, str] | None:
        """The first asset a clause without a stance names (what the sentence is about)."""
        spans = self.assets.mentions(clause)
        if not spans:
            return None
        start, end, _ = spans[0]
        return clause[start:end], clause[start:end]

    def _clause_target(self, clause: str, hit: StanceHit) -> tuple[str, str]:
        """The target around a clause's stance word: `对X构成利好` -> X; after a transitive
        word (`利好黄金`) the words after it; else the subject before it (`航运股承压`)."""
        before, after = clause[: hit.start], clause[hit.end :]
        dui = _DUI_RE.search(before)
        if dui and _prose_target(dui.group(1)):
            return _prose_target(dui.group(1)), dui.group(1)
        after_target = _prose_target(after)
        before_target = _prose_target(_cut_at_modal(before))
        if before_target and "、" in before_target:
            before_target = self._named_tail(before_target)
        spans = self.assets.mentions(before_target)
        if len(before_target) > 8 and spans and not _NOUN_END_RE.search(before_target):
            before_target = before_target[: spans[-1][1]]
        if (
            after_target
            and hit.word.endswith(TRANSITIVE)
            and (self.assets.mentions(after_target) or not self.assets.mentions(before_target))
        ):
            return after_target, after
        if before_target and len(before_target) >= 2:
            return before_target, before_target
        if after_target and len(after_target) >= 2:
            return after_target, after
        return "", ""

    def _named_tail(self, phrase: str) -> str:
        """`地缘冲突频发、美元` -> `美元`: the trailing list members that name assets."""
        parts = phrase.split("、")
        tail: list[str] = []
        for part in reversed(parts):
            if not self.assets.mentions(part):
                break
            tail.insert(0, part)
        return "、".join(tail) if tail else phrase


def _horizon_after(body: str, hit: StanceHit | None) -> str | None:
    """The horizon of a stance stated in the words after a target: tied to the stance word
    (`短期利多`), else given by a clause of the first sentence (`利空，短线趋势转弱`)."""
    if hit is not None:
        if over_horizons(body, hit):
            return None
        tied = stance_horizon(body, hit)
        if tied is not None:
            return tied
    return body_horizon(body)


def _cut_at_modal(text: str) -> str:
    """`下游企业将面临更高的成本` -> `下游企业`: the subject before its first modal word."""
    match = _PROSE_CUT_RE.search(text)
    if match and match.start() >= 2:
        return text[: match.start()]
    return text


def _last_stance(clause: str) -> StanceHit | None:
    """The stance of a clause of prose: its last stance word, the predicate, decides
    (contract words first; both directions: mixed)."""
    hit = find_stance(clause)
    if hit is None or hit.stance == "mixed":
        return hit
    masked = mask_brackets(clause)
    for pattern, table in ((CORE_RE, CORE), (PROSE_RE, PROSE)):
        hits = hits_of(pattern, table, masked)
        if hits:
            return hits[-1]
    return hit


def _split_outside_brackets(text: str, separators: str) -> list[str]:
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


def _clauses(sentence: str) -> list[str]:
    """A sentence split at commas that are not inside brackets."""
    return _split_outside_brackets(sentence, "，,")


def _split_head(runs: list[Run]) -> tuple[str | None, str]:
    """A bullet's head (`对美元`, `黄金`, `利多`, `原油（利多）`) and the text after it."""
    if not runs:
        return None, ""
    first = runs[0]
    if first.bold and first.text.strip():
        bold = first.text.strip()
        after = plain(runs[1:]) if len(runs) > 1 else ""
        if bold[-1] in "：:":
            return bold[:-1].strip(), after
        if after[:1] and after[:1] in "：:":
            return bold, after[1:].strip()
        for colon in "：:":
            if colon in bold:
                cut = bold.index(colon)
                return bold[:cut].strip(), (bold[cut + 1 :] + after).strip()
        if after.startswith(("——", "--", "—")):
            return bold, after.lstrip("—-").strip()
        return bold, after.lstrip("，,。；; ").strip()
    text = plain(runs)
    bracketed = re.match(r"^【([^【】\n]{1,12})】[：:\s]*", text)  # `【利空】航空股、化工股`
    if bracketed:
        return bracketed.group(1).strip(), text[bracketed.end() :].strip()
    match = re.match(r"^([^：:。；;！!？?\n]{1,24}?)(?:[：:]|——)", text)
    if match and "，" not in match.group(1) and "," not in match.group(1):
        return match.group(1).strip(), text[match.end() :].strip()
    return None, text


def _split_targets(clause: str) -> list[str]:
    """`黄金、白银（矿业股）、原油` -> its targets, brackets kept with their target."""
    return _split_outside_brackets(clause, "、")
