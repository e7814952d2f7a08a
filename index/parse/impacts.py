"""Impacts: what an item says it means for a target, with a stance and a horizon.

Every form the digests use: `对股市：利多。…`, `**对美元**：利空。…`, `**黄金：** 利多，…`,
`石油：…` (no stance: unknown), `**原油（利多）：** …`, `**利多：** 黄金、白银` (stance first:
one impact per target; also `【利空】航空股、化工股`), `**利多日元**：…`, `黄金、白银短期承压：…`,
`黄金 ↑`, table rows, and prose (`能源板块受益，航运股承压。`: split into clauses, each with a
target and a stance word).
Stance words are matched longest first (中性偏多 before 中性 and 利多).
"""

from __future__ import annotations

import dataclasses
import re

from ..model import Impact
from .assets import AssetTable
from .blocks import Run, plain
from .inference import infer_stance
from .labels import ADVICE, classify, is_note_label
from .stances import (
    BRACKETS_RE,
    HORIZON_RE,
    Lexicon,
    StanceHit,
    body_horizon,
    find_horizon,
    find_stance,
    mask_brackets,
    over_horizons,
    stance_horizon,
)
from .targets import named_inside, real_target, split_joined
from .targets import target_groups as _target_groups

_TRAILING_BRACKET_RE = re.compile(r"\s*(?:（([^（）]*)）|\(([^()]*)\))\s*$")
_EDGE_SYMBOLS_RE = re.compile(r"^[^\w（(【\[]+|[^\w）)】\]%]+$")
_HORIZON_WORDS = r"中长期|中短期|短中期|短期|短线|近期|中期|长期|长线|远期"
_LEADING_FILLER_RE = re.compile(
    r"^(?:但是|但|不过|限制|抑制|而且|而|且|并且|并|同时|尤其是|尤其|特别是|若|如果|如|则|将会|将|或将|或|"
    r"可能|也|仍然|仍|还|更|进一步|继续|有望|预计|整体|总体|显著|明显|强烈|极度|大幅|小幅|"
    rf"非常|较为|对于|对|再度|再次|持续|均|都|{_HORIZON_WORDS}|\s|[，,、：:；;—\-·*])+"
)
_TRAILING_FILLER_RE = re.compile(
    r"(?:将会|将|或将|或受|或|可能|也|仍然|仍有|仍|还有|还|有望|继续|面临|迎来|出现|获得|"
    r"难以|不会|不再|无法|未能|若|如果|一旦|假如|倘若|波动加剧|牛市|熊市|行情|走势|避险|"
    r"带来|构成|形成|产生|受到|受|整体|总体|显著|明显|强烈|极度|大幅|小幅|均|都|等|进一步|随之|"
    rf"再度|持续|{_HORIZON_WORDS}|\s|[，,、：:；;。—\-·*])+$"
)
_LIGHT_EDGES_RE = re.compile(rf"^(?:{_HORIZON_WORDS}|\s)+|(?:{_HORIZON_WORDS}|\s)+$")
_PAIR_RE = re.compile(r"^([^/]{2,6})/(?:美元|USD)$", re.I)
_CHANGE_RE = re.compile(r"(?:波动加剧|波动性上升|波动率上升|波动性加大|避险需求减弱)$")
"""A change written into a target (`日元波动性上升`): what happens to it, not its name."""
_DUI_WORDS = ("对冲", "对手", "对话", "对象", "对策", "对应", "对等")
"""Words that start with 对 without it meaning "for": a target `对冲基金` keeps its 对."""
_COLON_SPACE_RE = re.compile(r"：[ \t]+")
"""`**黄金：** 利多` reads `黄金：利多` once the bold is gone."""
_NOUN_END_RE = re.compile(
    r"(?:股|板块|行业|产业链|产业|市场|价格|公司|企业|厂商|运营商|资产|货币|债|指数|运价|成本)$"
)
"""How the name of something an impact can be on ends (`公用事业和化工股`, `即期运价`)."""
_PROSE_CUT_RE = re.compile(
    r"将|可能|或将|也|仍|会|面临|受到|已经|已|正在|难以|无法|不再|若|如果|一旦|假如|倘若|作为"
)
_HORIZON_NAMES = {
    "短期": "short", "短线": "short", "近期": "short", "短中期": "short",
    "中期": "medium", "中长期": "medium", "中短期": "medium",
    "长期": "long", "长线": "long", "远期": "long", "长远": "long",
}  # fmt: skip
_STANCE_AFTER_RE = re.compile(
    r"^(?P<targets>[^：:]+?)\s*(?P<sep>[：:]|——|—|--)?\s*(?P<stance>(?:均|都|整体|全部)?[^；;，,、（）()\s]{0,8}?"
    r"(?:利多|利好|利空|承压|偏多|偏空|中性\S{0,2}|看多|看空|看涨|看跌))[。.！!]?\s*$"
)
"""`铜、铝（基建预期）；家电板块（补贴加码）：利多`: groups of targets, then the stance."""
_SENTENCE_RE = re.compile(r"[^。；;！!？?\n]+")
_CLAUSE_RE = re.compile(r"[^，,]+")
_DUI_TOPIC_RE = re.compile(r"^\s*对于?(.+?)(?:而言|来说)\s*$")
_DUI_RE = re.compile(r"对(.+?)(?:而言|来说|构成|形成|带来|产生|有|是|的|整体|均|都|$)")


def clean_target(text: str) -> str:
    """A target as written, without 对, bold, colon, edge horizons or a bracketed stance."""
    target = _EDGE_SYMBOLS_RE.sub("", text.strip()).strip("*_：:，,。；; ").strip()
    bracket = _TRAILING_BRACKET_RE.search(target)
    if bracket and bracket.start() > 0:  # a stance, a horizon, or a reason: not the target
        target = target[: bracket.start()]
    if target.startswith("对") and len(target) > 1 and not target.startswith(_DUI_WORDS):
        target = target[1:]
    target = _CHANGE_RE.sub("", target) or target  # `油价波动加剧` -> 油价
    for suffix in ("而言", "来说", "方面", "的影响"):
        if target.endswith(suffix) and len(target) > len(suffix):
            target = target[: -len(suffix)]
    return _LIGHT_EDGES_RE.sub("", target).strip("*_：:，,。；; ")


def _prose_target(text: str) -> str:
    """A target taken from a clause of prose: connectives and modal words trimmed too."""
    target = BRACKETS_RE.sub("", clean_target(text))
    target = _LEADING_FILLER_RE.sub("", target)
    target = _TRAILING_FILLER_RE.sub("", target)
    return target.strip()


def _states_stance(text: str) -> bool:
    """Whether brackets after a target state its stance or horizon (`（利多）`, `（短期）`),
    not a reason (`（避险）`, `（财政压力）`)."""
    hit = find_stance(text)
    return bool(text) and ((hit is not None and not hit.inferred) or bool(HORIZON_RE.search(text)))


def _first_sentence(text: str) -> str:
    match = _SENTENCE_RE.search(text)
    return match.group(0) if match else ""


class ImpactReader:
    """Turns the content of an item's 影响 part into Impact records (one table of assets)."""

    def __init__(self, assets: AssetTable, lexicon: Lexicon | None = None) -> None:
        self.assets = assets
        self.lexicon = lexicon or assets.stances

    def impact(
        self,
        target: str,
        stance: str,
        horizon: str | None,
        text: str,
        written: str | None = None,
        inferred: bool = False,
    ) -> Impact:
        """An Impact; its assets come from the target as written, brackets only as a
        fallback (`加密货币（尤其比特币）` is about 加密货币, not about what it explains)."""
        written = target if written is None else written
        pair = _PAIR_RE.match(written.strip())
        if pair:  # `韩元/美元`, `DKK/USD`: about the first currency, not the dollar it is quoted in
            written = pair.group(1)
        assets = self.assets.resolve(BRACKETS_RE.sub(" ", written)) or self.assets.resolve(written)
        text = _COLON_SPACE_RE.sub("：", text.strip())
        return Impact(target, assets, stance, horizon, text, inferred and stance != "unknown")

    def impacts(
        self,
        target: str,
        hit: StanceHit | None,
        horizon: str | None,
        text: str,
        written: str | None = None,
    ) -> list[Impact]:
        """The impacts of one target as written: two when it joins two assets (`黄金和原油`),
        none of its own when it is a clause or an audience (then the words may name one)."""
        stance, inferred = (hit.stance, hit.inferred) if hit else ("unknown", False)
        real = real_target(target, self.assets)
        if real is None:
            real = named_inside(text[len(target) :] if text.startswith(target) else text)
        if real is None:
            return [self.impact("", stance, horizon, text, "", inferred)]
        if real != target:
            target, written = real, real
        parts = split_joined(target, self.assets)
        return [
            self.impact(part, stance, horizon, text, part if len(parts) > 1 else written, inferred)
            for part in parts
        ]

    def with_subject(self, impact: Impact, title: str) -> Impact:
        """A prose impact that names no target (`短期价格可能延续震荡走势`) is about what its
        item is about: the asset its title names, if any (`国际金银价格技术性反弹` -> 金银)."""
        if impact.target or re.match(r"^[^：:，,。]{1,16}[：:]", impact.text):
            return impact  # a target, or a head that is no target (`对投资者：…`)
        spans = self.assets.mentions(title)
        if not spans:
            return impact
        start, end, _ = spans[0]
        subject = self.impact(title[start:end], impact.stance, impact.horizon, impact.text)
        return dataclasses.replace(impact, target=subject.target, assets=subject.assets)

    # -- bullets -----------------------------------------------------------------------------

    def from_bullet(
        self, runs: list[Run], extra: str = "", default_target: str | None = None
    ) -> tuple[list[Impact], str | None, tuple[str, str] | None]:
        """Impacts of one bullet (with the text of its sub-bullets); or its advice text
        (`投资启示：…`), or the field it is (`风险提示：…`, `操作建议：…`: label and text)."""
        whole = plain(runs)
        text = "\n".join(t for t in (whole, extra) if t)
        grouped = self._targets_then_stance(whole, text)
        if grouped:
            return grouped, None, None
        head, body = _split_head(runs)
        if head is None:
            return self.from_prose(text, default_target), None, None
        rest = "\n".join(t for t in (body, extra) if t)
        label = head.strip("*_ ")
        if is_note_label(label):  # `- **风险提示：** …` among the impacts: a field
            return [], None, (label, rest)
        if classify(head)[0] == ADVICE:  # `- **投资启示：** …` among the impacts
            return [], rest or None, None
        return self._from_head(head, body, text), None, None

    def _from_head(self, head: str, body: str, text: str) -> list[Impact]:
        """`对美元` / `原油（利多）` / `利多日元` / `黄金、白银短期承压` / `利多`, then its text."""
        bracket = _TRAILING_BRACKET_RE.search(head)
        bare = head[: bracket.start()] if bracket else head
        hit = find_stance(bare, self.lexicon)
        inside = (bracket.group(1) or bracket.group(2) or "") if bracket else ""
        if hit is None and inside and _states_stance(inside):
            hit = find_stance(inside, self.lexicon)
            if hit is None or hit.inferred:
                hit = self._body_stance(body, bare)
                horizon = find_horizon(inside) or _horizon_after(body, hit)
            else:
                horizon = find_horizon(inside, hit) or body_horizon(body)
            return self.impacts(clean_target(bare), hit, horizon, text, bare)
        if hit is not None:
            before, after = head[: hit.start], head[hit.end :]
            before_clean, after_clean = _prose_target(before), _prose_target(after)
            if after_clean and find_stance(after_clean, self.lexicon):
                after_clean = ""  # `短期利多、中期利空`: a second stance, not a target
            if not before_clean and not after_clean:  # stance first: `利多：黄金、白银`
                return self._stance_first(
                    hit, find_horizon(head, hit) or body_horizon(body), body, text, head
                )
            if after_clean and (not before_clean or hit.word.endswith(self.lexicon.transitive)):
                target, written = after_clean, after
            else:
                target, written = before_clean, before
            split = self._per_horizon(target, written, head + "：" + body, text)
            if split:
                return split
            horizon = find_horizon(head, hit) or body_horizon(body)
            return self.impacts(target, hit, horizon, text, written)
        target = clean_target(head)
        split = self._per_horizon(target, head, body, text)
        if split:
            return split
        hit = self._body_stance(body, head)
        horizon = _horizon_after(body, hit)
        return self.impacts(target, hit, horizon, text, head)

    def _body_stance(self, body: str, head: str) -> StanceHit | None:
        """The stance of the text after a target: a stated word in its first sentence (or
        anywhere, failing that); else one read from its words (inference.py)."""
        sentence = _first_sentence(body)
        masked = mask_brackets(sentence)
        if self.lexicon.stated_hits(masked) or self.lexicon.stated_hits(sentence):
            return find_stance(sentence, self.lexicon)
        hits = self.lexicon.stated_hits(body)
        if hits:
            return hits[0]
        own = set(self.assets.resolve(BRACKETS_RE.sub(" ", head)))
        return infer_stance(body, own, self.assets, self.lexicon)

    def _per_horizon(self, target: str, written: str, words: str, text: str) -> list[Impact]:
        """`铜：短期利空…，中期利多…`: one impact per horizon, each with its own words; none
        when the stances do not come with two horizons of their own."""
        sentence = re.split(r"[。！!？?\n]", words, maxsplit=1)[0]
        pairs = [
            (m.start(), _HORIZON_NAMES[m.group(1)], self.lexicon.stated[m.group(2)])
            for m in re.finditer(
                rf"({HORIZON_RE.pattern})[^，,。；;]{{0,4}}?({self.lexicon.stated_re.pattern})",
                sentence,
            )
        ]
        if len({h for _, h, _ in pairs}) < 2 or len({s for _, _, s in pairs}) < 2:
            return []
        impacts: list[Impact] = []
        for _, horizon, stance in pairs:  # the whole bullet is the words of each
            impacts += self.impacts(target, StanceHit(stance, "", 0, 0), horizon, text, written)
        return impacts

    def _stance_first(
        self, hit: StanceHit, horizon: str | None, body: str, text: str, head: str = ""
    ) -> list[Impact]:
        """`利多：铜、铝等工业金属（基建预期）；家电、汽车板块（补贴加码）`: an impact per
        target, each group's words (its reason in brackets) as the text of its targets."""
        groups = _target_groups(body)
        if len(groups) < 2:
            clause = _CLAUSE_RE.search(_first_sentence(body))
            groups = [clause.group(0)] if clause else []
            own_text = None
        else:
            own_text = True
        impacts: list[Impact] = []
        for group in groups:
            words = f"{head}：{group}" if own_text and head else text
            for t in _split_targets(group):
                if clean_target(t):
                    impacts += self.impacts(clean_target(t), hit, horizon, words, t)
        return impacts or [self.impact("", hit.stance, horizon, text, "", hit.inferred)]

    def _targets_then_stance(self, whole: str, text: str) -> list[Impact]:
        """`铜、铝（基建预期）；家电板块（补贴加码）：利多`: groups of targets, the stance
        after them; [] when the bullet is not of that form."""
        match = _STANCE_AFTER_RE.match(whole)
        if not match:
            return []
        hit = find_stance(match.group("stance"), self.lexicon)
        groups = _target_groups(match.group("targets"))
        if hit is None or hit.inferred or len(groups) < 2:
            return []
        horizon = find_horizon(match.group("stance"), hit)
        tail = match.group("stance").strip()
        impacts: list[Impact] = []
        for group in groups:
            for t in _split_targets(group):
                if clean_target(t):
                    words = f"{group}{match.group('sep') or ''}{tail}"
                    impacts += self.impacts(clean_target(t), hit, horizon, words, t)
        return impacts

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
                hit = _last_stance(clause, self.lexicon)
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
                if real_target(target, self.assets) is not None:
                    subject = subject or (target, written)  # a clause is no subject
                horizon = find_horizon(clause, hit)
                if hit.inferred and self.lexicon.is_conditional(clause):
                    hit = _weaker(hit)  # `若油价继续上涨`: a possibility
                impacts.extend(self.impacts(target, hit, horizon, clause, written))
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
            and hit.word.endswith(self.lexicon.transitive)
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


def _last_stance(clause: str, lexicon: Lexicon) -> StanceHit | None:
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


def _weaker(hit: StanceHit) -> StanceHit:
    """The same direction, less firm (a stance stated only as a possibility)."""
    weaker = {"bullish": "leaning_bullish", "bearish": "leaning_bearish"}
    return StanceHit(weaker.get(hit.stance, hit.stance), hit.word, hit.start, hit.end, True)


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
