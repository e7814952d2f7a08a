"""Pattern shapes that stay linear on any input, for the places where the obvious regex is not.

Python's `re` backtracks. A pattern that must end at the end of the text, `(?:A|B|\\s)+$`, run
with `search` or `sub`, is tried from every start position, and from each it runs to the end
of the run before it fails: a run of n spaces in the middle of a text costs n² steps (the
issue 12 post: `- 黄金` + 24,000 spaces + `x：利多` took 76 s). The shapes here find the
same runs in one pass: a trailing run is matched at the start of the reversed text (one
anchored match), a leading run by an anchored match; a trailing bracket is found from its
closing bracket. See docs/regex-audit.md for every pattern that runs on post text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable


class TrailingRun:
    """The run at the end of a text made of `words` and characters of the class `chars`
    (regex class syntax, e.g. ``\\s，,`` or ``^\\w``): ``(?:word|…|[chars])+$``, in one pass."""

    def __init__(self, words: Iterable[str] = (), chars: str = "") -> None:
        backwards = sorted((w[::-1] for w in words), key=len, reverse=True)
        parts = [re.escape(w) for w in backwards] + ([f"[{chars}]"] if chars else [])
        self._backwards = re.compile(f"(?:{'|'.join(parts)})+")

    def start(self, text: str) -> int:
        """Where the trailing run begins (len(text) when there is none)."""
        match = self._backwards.match(text[::-1])
        return len(text) - (match.end() if match else 0)

    def strip(self, text: str) -> str:
        """`text` without its trailing run."""
        return text[: self.start(text)]


class Edges:
    """Leading and trailing runs, `^(?:lead)+|(?:trail)+$` used with ``sub("", text)``:
    the leading run by one anchored match, the trailing one by `TrailingRun`."""

    def __init__(self, leading: str, trailing: TrailingRun) -> None:
        self._leading = re.compile(f"(?:{leading})+")
        self._trailing = trailing

    def strip(self, text: str) -> str:
        match = self._leading.match(text)
        if match:
            text = text[match.end() :]
        return self._trailing.strip(text)


def trailing_bracket(pattern: re.Pattern[str], text: str) -> re.Match[str] | None:
    """`pattern.search(text)` for a pattern of the shape ``\\s*(?:（…）|\\(…\\))\\s*$`` (a bracketed
    group at the very end), found from its closing bracket: one anchored match, not a search
    that runs to the end of the text from every start."""
    end = len(text.rstrip())
    if not end or text[end - 1] not in "）)":
        return None
    opening = text.rfind("（" if text[end - 1] == "）" else "(", 0, end)
    if opening < 0:
        return None
    return pattern.match(text, len(text[:opening].rstrip()))
