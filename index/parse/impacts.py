"""Impacts: what an item says it means for a target, with a stance and a horizon.

Every form the digests use: `对股市：利多。…`, `**对美元**：利空。…`, `**黄金：** 利多，…`,
`石油：…` (no stance word: read from the words, inference.py, else unknown), `**原油（利多）：**
…`, `对白银（避险）：…` (a note in brackets), `**利多：** 黄金、白银` and grouped targets
`**利多：** 铜、铝（基建预期）；家电板块（补贴加码）` (one impact per target), the stance after
grouped targets, `【利空】航空股、化工股`, `**利多日元**：…`, `黄金、白银短期承压：…`, `黄金和原油：
利多` (two), `铜：短期利空…；中期利多…` (one per horizon), `黄金 ↑`, table rows and summary
tables, and prose (prose.py). Bullets among them that are labels (`投资启示`, `风险提示`…) are
the item's advice or fields, bullets addressed to a reader (`对开发者：…`, `普通人：…`: the
lexicon's audiences) are fields too, and clauses (`但风险仍在`) are no targets (targets.py).
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
from .linear import trailing_bracket
from .prose import read_prose
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
from .targets import (
    TRAILING_BRACKET_RE,
    clean_target,
    is_audience,
    named_inside,
    prose_target,
    real_target,
    split_joined,
    split_targets,
)
from .targets import target_groups as _target_groups

_YIELD_INVERSE = {
    "bullish": "bearish",
    "leaning_bullish": "leaning_bearish",
    "bearish": "bullish",
    "leaning_bearish": "leaning_bullish",
}
_PAIR_RE = re.compile(r"^([^/]{2,6})/(?:美元|USD)$", re.I)
_COLON_SPACE_RE = re.compile(r"：[ \t]+")
"""`**黄金：** 利多` reads `黄金：利多` once the bold is gone."""
_HORIZON_NAMES = {
    "短期": "short", "短线": "short", "近期": "short", "短中期": "short",
    "中期": "medium", "中长期": "medium", "中短期": "medium",
    "长期": "long", "长线": "long", "远期": "long", "长远": "long",
}  # fmt: skip
_STANCE_AFTER_RE = re.compile(
    r"(?P<stance>(?:均|都|整体|全部)?[^；;，,、（）()\s]{0,8}?"
    r"(?:利多|利好|利空|承压|偏多|偏空|中性\S{0,2}|看多|看空|看涨|看跌))[。.！!]?"
)
"""The stance at the end of `铜、铝（基建预期）；家电板块（补贴加码）：利多` (see _stance_after)."""
#: The longest stance _STANCE_AFTER_RE can match (a stance always ends the text).
_STANCE_AFTER_MOST = 2 + 8 + 4 + 1
_SEPARATORS = ("——", "—", "--", "：", ":")


def _stance_after(whole: str) -> tuple[str, str | None, str] | None:
    r"""(targets, separator, stance) of a bullet that is targets then a stance at its end, or
    None. The stance is looked for only in the last few characters, from the earliest start
    that works (the shortest targets), so a long run of spaces costs one pass, not the cubic
    backtracking of `^(targets)+?\s*(sep)?\s*(stance)$` (issue 12)."""
    text = whole.rstrip()
    for start in range(max(1, len(text) - _STANCE_AFTER_MOST), len(text)):
        if not _STANCE_AFTER_RE.fullmatch(text, start):
            continue
        head = text[:start].rstrip()
        sep = next((s for s in _SEPARATORS if head.endswith(s)), None)
        targets = (head[: -len(sep)] if sep else head).rstrip()
        if targets and "：" not in targets and ":" not in targets:
            return targets, sep, text[start:]
    return None


_SENTENCE_RE = re.compile(r"[^。；;！!？?\n]+")
_CLAUSE_RE = re.compile(r"[^，,]+")
_HEAD_RE = re.compile(r"^[^：:，,。]{1,16}[：:]")  # a short head and its colon
_BRACKETED_HEAD_RE = re.compile(r"^【([^【】\n]{1,12})】[：:\s]*")  # `【利空】航空股、化工股`
_TARGET_HEAD_RE = re.compile(r"^([^：:。；;！!？?\n]{1,24}?)(?:[：:]|——)")
_SENTENCE_END_RE = re.compile(r"[。！!？?\n]")


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
        if inferred and target.endswith("收益率"):  # `国债收益率可能上行`: bonds fall
            stance = _YIELD_INVERSE.get(stance, stance)
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
        if impact.target or _HEAD_RE.match(impact.text):
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
        if is_audience(head, self.assets, self.lexicon):  # `- 对开发者：…`: what it means for them
            named = self._named_for_audience(body, text)
            return named, None, (None if named else (label, rest))
        return self._from_head(head, body, text), None, None

    def _named_for_audience(self, body: str, text: str) -> list[Impact]:
        """The impacts a bullet addressed to an audience still states on a market: a target
        it names as worth watching (`投资者：某某公司值得关注`), or targets given with a stated
        stance (`对投资者：利好黄金`); none otherwise (then the bullet is a field)."""
        worth = named_inside(body)
        if worth:
            return self.impacts(worth, None, body_horizon(body), text)
        stated = [
            i
            for i in self.from_prose(body)
            if i.target and not i.inferred and i.stance != "unknown"
        ]
        whole = _COLON_SPACE_RE.sub("：", text.strip())
        return [dataclasses.replace(i, text=whole) for i in stated]

    def from_prose(self, text: str, default_target: str | None = None) -> list[Impact]:
        """Impacts of a sentence or paragraph (prose.py)."""
        return read_prose(self, text, default_target)

    def _from_head(self, head: str, body: str, text: str) -> list[Impact]:
        """`对美元` / `原油（利多）` / `利多日元` / `黄金、白银短期承压` / `利多`, then its text."""
        bracket = trailing_bracket(TRAILING_BRACKET_RE, head)
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
            before_clean, after_clean = prose_target(before), prose_target(after)
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
        sentence = _SENTENCE_END_RE.split(words, maxsplit=1)[0]
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
            for t in split_targets(group):
                if clean_target(t):
                    impacts += self.impacts(clean_target(t), hit, horizon, words, t)
        return impacts or [self.impact("", hit.stance, horizon, text, "", hit.inferred)]

    def _targets_then_stance(self, whole: str, text: str) -> list[Impact]:
        """`铜、铝（基建预期）；家电板块（补贴加码）：利多`: groups of targets, the stance
        after them; [] when the bullet is not of that form."""
        found = _stance_after(whole)
        if found is None:
            return []
        targets, sep, stance = found
        hit = find_stance(stance, self.lexicon)
        groups = _target_groups(targets)
        if hit is None or hit.inferred or len(groups) < 2:
            return []
        horizon = find_horizon(stance, hit)
        tail = stance.strip()
        impacts: list[Impact] = []
        for group in groups:
            for t in split_targets(group):
                if clean_target(t):
                    words = f"{group}{sep or ''}{tail}"
                    impacts += self.impacts(clean_target(t), hit, horizon, words, t)
        return impacts


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
    bracketed = _BRACKETED_HEAD_RE.match(text)  # `【利空】航空股、化工股`
    if bracketed:
        return bracketed.group(1).strip(), text[bracketed.end() :].strip()
    match = _TARGET_HEAD_RE.match(text)
    if match and "，" not in match.group(1) and "," not in match.group(1):
        return match.group(1).strip(), text[match.end() :].strip()
    return None, text
