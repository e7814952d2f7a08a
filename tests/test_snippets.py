"""Search snippets show a match of every query word that occurs in the unit, highlighted."""

from __future__ import annotations

from digest_tui.index.search.analysis import word_matcher
from digest_tui.index.search.snippets import SNIPPET_CHARS, snippet

FILLER = "市场情绪平稳，成交清淡。" * 30  # 360 characters with none of the words


def marked(text: str, highlights: tuple[tuple[int, int], ...]) -> list[str]:
    return [text[start:end] for start, end in highlights]


def test_words_far_apart_are_all_in_the_snippet_and_highlighted() -> None:
    text = "黄金走高。" + FILLER + "美联储表态。" + FILLER + "原油回落。" + FILLER
    words = [word_matcher(w) for w in ("原油", "黄金", "美联储")]
    shown, highlights = snippet(text, words)
    assert set(marked(shown, highlights)) == {"原油", "黄金", "美联储"}
    assert "…" not in "".join(marked(shown, highlights))
    assert len(shown) <= SNIPPET_CHARS + 3 * 30


def test_a_word_late_in_a_long_unit_is_not_cut_off() -> None:
    text = FILLER + "降息" + FILLER + "GPT-5 发布" + FILLER
    shown, highlights = snippet(text, [word_matcher("降息"), word_matcher("gpt-5")])
    assert sorted(marked(shown, highlights)) == ["GPT-5", "降息"]
    assert shown.startswith("…") and shown.endswith("…")


def test_the_closest_matches_are_chosen_and_every_match_in_view_is_marked() -> None:
    text = "黄金" + FILLER + "黄金与原油同涨，黄金领涨。" + FILLER
    shown, highlights = snippet(text, [word_matcher("黄金"), word_matcher("原油")])
    assert "黄金与原油同涨，黄金领涨" in shown
    assert marked(shown, highlights).count("黄金") >= 2 and "原油" in marked(shown, highlights)


def test_a_word_missing_from_the_unit_is_simply_not_shown() -> None:
    text = "只有黄金。" + FILLER
    shown, highlights = snippet(text, [word_matcher("黄金"), word_matcher("比特币")])
    assert marked(shown, highlights) == ["黄金"]
    shown, highlights = snippet(FILLER, [word_matcher("比特币")])
    assert shown.startswith("市场") and highlights == ()
