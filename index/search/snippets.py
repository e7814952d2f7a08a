"""Search snippets: the plain text around the matches of a unit, with every match in it.

The snippet holds the closest-together match of every query word that occurs in the unit,
with "…" between stretches that lie far apart (issue 13), and the matches' offsets in it.
"""

from __future__ import annotations

from ..sanitize import clean_line
from .analysis import WordMatcher, lower

SNIPPET_CHARS = 160
SNIPPET_LEAD = 40


def _covering(found: list[list[tuple[int, int]]]) -> list[tuple[int, int]]:
    """One match of every word, as close together as they come (the shortest stretch of text
    holding one of each): a sliding window over all matches in text order."""
    events = sorted((span, word) for word, spans in enumerate(found) for span in spans)
    need = len(found)
    counts = [0] * need
    have = 0
    best: tuple[int, int, int] | None = None  # (length, first event, last event)
    left = 0
    for right, ((_, end), word) in enumerate(events):
        counts[word] += 1
        have += counts[word] == 1
        while have == need:
            length = end - events[left][0][0]
            if best is None or length < best[0]:
                best = (length, left, right)
            counts[events[left][1]] -= 1
            have -= counts[events[left][1]] == 0
            left += 1
    assert best is not None
    chosen: dict[int, tuple[int, int]] = {}
    for span, word in events[best[1] : best[2] + 1]:
        chosen.setdefault(word, span)
    return sorted(chosen.values())


def _fragments(text: str, chosen: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """[start, end) stretches of `text` that show every chosen match, SNIPPET_CHARS in all
    when they fit in one, else one stretch around each match (merged where they touch)."""
    if not chosen:
        return [(0, min(len(text), SNIPPET_CHARS))]
    first, last = chosen[0][0], chosen[-1][1]
    if last - first <= SNIPPET_CHARS:
        lead = min(SNIPPET_LEAD, max(0, (SNIPPET_CHARS - (last - first)) // 2))
        start = 0 if first <= lead else first - lead
        while start > 0 and start > first - lead - 10 and not text[start - 1].isspace():
            start -= 1
        end = max(last, min(len(text), start + SNIPPET_CHARS))
        return [(start, end)]
    each = max(SNIPPET_CHARS // len(chosen), 24)
    stretches: list[tuple[int, int]] = []
    for a, b in chosen:
        lead = max(0, (each - (b - a)) // 3)
        start = max(0, a - lead)
        end = min(len(text), max(b, start + each))
        if stretches and start <= stretches[-1][1]:
            stretches[-1] = (stretches[-1][0], max(stretches[-1][1], end))
        else:
            stretches.append((start, end))
    return stretches


def snippet(text: str, words: list[WordMatcher]) -> tuple[str, tuple[tuple[int, int], ...]]:
    """Plain text showing one match of every query word that occurs in `text` (the closest
    together; "…" between stretches when they are far apart), and every match in it as
    [start, end) offsets."""
    low = lower(text)
    found = [spans for spans in (matcher.spans(low, 0, None) for matcher in words) if spans]
    stretches = _fragments(text, _covering(found) if found else [])
    parts: list[str] = []
    merged: list[tuple[int, int]] = []
    at = 0  # length of the snippet so far
    for start, end in stretches:
        if start > 0:
            parts.append("…")
            at += 1
        shift = at - start
        spans = sorted(span for matcher in words for span in matcher.spans(low, start, end))
        for a, b in spans:
            a, b = a + shift, b + shift
            if merged and a <= merged[-1][1]:
                merged[-1] = (merged[-1][0], max(merged[-1][1], b))
            else:
                merged.append((a, b))
        parts.append(clean_line(text[start:end]))
        at += end - start
    if stretches[-1][1] < len(text):
        parts.append("…")
    return "".join(parts), tuple(merged)
