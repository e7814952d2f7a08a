"""The asset alias table: which canonical assets an impact's target is about.

`AssetTable.load(config)` gives the built-in table (index/assets.toml, read once per process)
merged with the user's `[assets]` config table. `resolve("对黄金/白银")` finds every asset a
target mentions, longest alias first at each position, so 美元指数 -> 美元, 金价 -> 黄金 and
黄金/白银 -> (黄金, 白银). `canonical("gold")` maps a name a user types to the canonical one.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..startup_cache import parse_toml
from .stances import Lexicon, builtin_lexicon

if TYPE_CHECKING:
    from ..paths import Config

_TABLE_FILE = Path(__file__).with_name("assets.toml")


def _is_word_char(char: str) -> bool:
    """Latin letters and digits, which must not continue a Latin alias (gold ≠ goldman)."""
    return char.isascii() and char.isalnum()


_NUMBER_UNITS = "万亿千百多余"


def _after_number(text: str, start: int) -> bool:
    """Whether `text[start:]` follows a number (`100美元`, `500亿美元`, `4,350 美元`)."""
    i = start - 1
    while i >= 0 and text[i] == " ":
        i -= 1
    while i >= 0 and text[i] in _NUMBER_UNITS:
        i -= 1
    return i >= 0 and (text[i].isdigit() or text[i] in "%％")


class AssetTable:
    """Canonical asset names with their aliases, and the assets each one implies."""

    def __init__(
        self,
        assets: Mapping[str, Iterable[str]],
        implies: Mapping[str, Iterable[str]] | None = None,
        not_assets: Iterable[str] = (),
        units: Iterable[str] = (),
    ) -> None:
        self.stances: Lexicon = builtin_lexicon()
        """The stance lexicon loaded from the same config (stances.toml + `[stances]`)."""
        self._order: list[str] = []
        self._aliases: dict[str, list[str]] = {}
        """alias (casefolded) -> canonical names, in table order."""
        self._implies: dict[str, tuple[str, ...]] = {}
        for name, aliases in assets.items():
            self.add(name, aliases)
        for name, others in (implies or {}).items():
            canonical = self.canonical(name) or name
            self._implies[canonical] = tuple(o for o in others if o != canonical)
        for word in not_assets:  # 黄金周, 美元计价: they hold an alias but name no asset
            self._aliases.setdefault(" ".join(word.split()).casefold(), [])
        self._units = frozenset(units)
        """Assets that are also units of an amount (美元 in `100美元`): not mentioned there."""

    # -- building -----------------------------------------------------------------------------

    def add(self, name: str, aliases: Iterable[str] = ()) -> None:
        """Add aliases to `name` (an existing asset, or one of its aliases), or a new asset."""
        name = name.strip()
        if not name:
            return
        canonical = self.canonical(name) if name not in self._order else name
        if canonical is None:
            canonical = name
        if canonical not in self._order:
            self._order.append(canonical)
            self._link(canonical, canonical)
        for alias in aliases:
            self._link(alias, canonical)

    def _link(self, alias: str, canonical: str) -> None:
        key = " ".join(alias.split()).casefold()
        if not key:
            return
        targets = self._aliases.setdefault(key, [])
        if canonical not in targets:
            targets.append(canonical)
        self.__dict__.pop("_longest", None)

    @classmethod
    def load(cls, config: Config | None = None) -> AssetTable:
        """The built-in table, plus the `[assets]` table of the user's config if any."""
        base = _builtin()
        extra = getattr(config, "assets", None) or {}
        stances = Lexicon.load(config)
        if not extra and stances is base.stances:
            return base
        table = cls({}, None)
        table.stances = stances
        table._order = list(base._order)
        table._aliases = {k: list(v) for k, v in base._aliases.items()}
        table._implies = dict(base._implies)
        table._units = base._units
        for name, aliases in extra.items():
            table.add(str(name), [str(a) for a in aliases])
        return table

    # -- queries ------------------------------------------------------------------------------

    def names(self) -> list[str]:
        """Every canonical asset name, in table order (built-in first, then the config's)."""
        return list(self._order)

    def canonical(self, name: str) -> str | None:
        """The canonical asset for a name or alias (case-insensitive), or None if unknown."""
        targets = self._aliases.get(" ".join(name.split()).casefold())
        return targets[0] if targets else None

    @functools.cached_property
    def _longest(self) -> int:
        return max((len(k) for k in self._aliases), default=0)

    def mentions(self, text: str) -> list[tuple[int, int, tuple[str, ...]]]:
        """Every alias found in `text`, longest first at each position: (start, end, assets)."""
        if not text:
            return []
        folded = text.casefold()
        if len(folded) != len(text):  # a few characters change length when folded
            folded = text.lower()
            if len(folded) != len(text):
                return []
        found: list[tuple[int, int, tuple[str, ...]]] = []
        i, n, longest = 0, len(folded), self._longest
        aliases = self._aliases
        while i < n:
            if folded[i].isspace():
                i += 1
                continue
            for size in range(min(longest, n - i), 0, -1):
                targets = aliases.get(folded[i : i + size])
                if targets is None:
                    continue
                end = i + size
                if _is_word_char(folded[i]) and i > 0 and _is_word_char(folded[i - 1]):
                    continue
                if _is_word_char(folded[end - 1]) and end < n and _is_word_char(folded[end]):
                    continue
                if targets and not (self._units.issuperset(targets) and _after_number(folded, i)):
                    found.append((i, end, tuple(targets)))
                i = end
                break
            else:
                i += 1
        return found

    def resolve(self, text: str) -> tuple[str, ...]:
        """Canonical assets mentioned in `text`, in order of mention, implied ones after."""
        found: list[str] = []
        for _, _, targets in self.mentions(text):
            for canonical in targets:
                if canonical not in found:
                    found.append(canonical)
        for canonical in list(found):
            for other in self._implies.get(canonical, ()):
                if other not in found:
                    found.append(other)
        return tuple(found)


@functools.lru_cache(maxsize=1)
def _builtin() -> AssetTable:
    """The table from index/assets.toml, read once per process."""
    data: dict[str, Any] = parse_toml(_TABLE_FILE.read_text(encoding="utf-8"))
    assets = {str(k): [str(a) for a in v] for k, v in data.get("assets", {}).items()}
    implies = {str(k): [str(a) for a in v] for k, v in data.get("implies", {}).items()}
    not_assets = [str(w) for w in data.get("not_assets", {}).get("words", [])]
    units = [str(w) for w in data.get("units", {}).get("assets", [])]
    return AssetTable(assets, implies, not_assets, units)
