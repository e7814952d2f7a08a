"""Words checked on a unit's stored bytes find exactly what the text check finds (issue 14).

Search checks caseless substrings and phrases on the UTF-8 bytes of the text column (no
decoding); these properties pin that to the contract's rule on the decoded text.
"""

from __future__ import annotations

from collections.abc import Callable

from digest_tui.index.search.analysis import ideographs, phrase_matcher, word_matcher
from digest_tui.index.search.scans import passing
from hypothesis import given, settings
from hypothesis import strategies as st

# CJK words and punctuation, hexagram and other symbols (non-word characters beyond ASCII),
# Latin letters and digits, spaces and underscores: what phrases and gaps are made of
_ALPHABET = st.sampled_from([*"美联储降息黄金油价，。、！ \u3000_-·䷀✓🙂aB3x", "\u4e00", "\u9fbf"])
_TEXT = st.text(_ALPHABET, max_size=40)
_WORDS = st.lists(
    st.text(st.sampled_from(list("美联储降息黄金")), min_size=1, max_size=3), min_size=1
)
_GAPS = st.sampled_from([" ", "，", "", "　", "_", "·", "䷀", "🙂"])


def _bytes_verdict(query: str, text: str) -> bool | None:
    matcher = phrase_matcher(query) if " " in query else word_matcher(query)
    assert matcher is not None
    test = matcher.raw_test()
    if test is None:
        return None
    data = ("前缀" + text).encode("utf-8")
    return _verdict(test, data, len("前缀".encode()), len(data))


def _verdict(test: Callable[[bytes, int, int], bool], data: bytes, start: int, end: int) -> bool:
    """The test's verdict, and the same through its scan (the search's short cut) if any."""
    verdict = test(data, start, end)
    if hasattr(test, "scan"):
        assert passing(test, data, [(1, start, end)]) == ([1] if verdict else [])
    return verdict


@settings(max_examples=400, deadline=None)
@given(words=_WORDS, gap=_GAPS, text=_TEXT, insert=st.booleans())
def test_a_phrase_on_bytes_is_the_phrase_on_text(
    words: list[str], gap: str, text: str, insert: bool
) -> None:
    query = " ".join(words)
    matcher = phrase_matcher(query)
    assert matcher is not None and matcher.caseless
    if insert:  # the phrase itself, with some gap, in the middle of the text
        text = text[: len(text) // 2] + gap.join(words) + text[len(text) // 2 :]
    assert _bytes_verdict(query, text) == matcher.search(text)


@settings(max_examples=300, deadline=None)
@given(word=st.text(st.sampled_from(list("美联储降息，5")), min_size=1, max_size=4), text=_TEXT)
def test_a_caseless_substring_on_bytes_is_the_substring_on_text(word: str, text: str) -> None:
    matcher = word_matcher(word)
    verdict = _bytes_verdict(word, text)
    assert verdict is None or verdict == matcher.search(text)
    if matcher.caseless and matcher.pattern is None:
        assert verdict is not None


def test_a_phrase_needs_its_words_in_order_with_only_punctuation_between() -> None:
    assert _bytes_verdict("美联储 降息", "美联储，降息了") is True
    assert _bytes_verdict("美联储 降息", "美联储 ䷀ 降息") is True  # a symbol is no word
    assert _bytes_verdict("美联储 降息", "美联储将降息") is False
    assert _bytes_verdict("美联储 降息", "降息，美联储") is False
    assert _bytes_verdict("美联储 降息", "美联储要降息，美联储、降息") is True  # the second one


def test_the_ideographs_a_phrase_prefilter_relies_on_are_each_of_them_in_order() -> None:
    assert ideographs() == "".join(map(chr, range(0x4E00, 0x9FC0)))


_LATIN_TEXT = st.text(
    st.sampled_from([*"gptGPT-5 .3股Ａa_é", "\u212a", "\u0130", "k"]), max_size=30
)


@settings(max_examples=400, deadline=None)
@given(
    word=st.sampled_from(["gpt-5", "gpt", "3.5", "a股", "k", "gpt-", "5"]),
    text=_LATIN_TEXT,
    prefix=st.booleans(),
)
def test_a_latin_word_on_bytes_is_the_word_on_lowercased_text(
    word: str, text: str, prefix: bool
) -> None:
    from digest_tui.index.search.analysis import lower, prefix_matcher

    matcher = prefix_matcher(word) if prefix and word[0].isalnum() else word_matcher(word)
    test = matcher.raw_test()
    if test is None:
        return
    data = text.encode("utf-8")
    assert _verdict(test, data, 0, len(data)) == matcher.search(lower(text))


def test_a_kelvin_sign_is_a_k_as_search_lowercases_it() -> None:
    matcher = word_matcher("k")
    test = matcher.raw_test()
    assert test is not None
    data = "1 \u212a 2".encode()
    assert _verdict(test, data, 0, len(data)) is True
    gpt = word_matcher("gpt-5").raw_test()
    assert gpt is not None
    assert _verdict(gpt, b"GPT-5", 0, 5) is True
    data = "GPT-5\u212a, gpt-5".encode()  # the first one is not a token lowercased
    assert _verdict(gpt, data, 0, len(data)) is True
    data = "GPT-5\u212a".encode()
    assert _verdict(gpt, data, 0, len(data)) is False
    data = "\u212aGPT-5".encode()
    assert _verdict(gpt, data, 0, len(data)) is False


def test_a_scan_decides_a_phrase_with_punctuation_between_its_words_at_once() -> None:
    matcher = phrase_matcher("美联储 降息")
    assert matcher is not None
    test = matcher.raw_test()
    assert test is not None and hasattr(test, "scan")
    for text, verdict in [
        ("美联储，降息了", True),
        ("美联储 ䷀ 降息", True),  # a symbol: the test decides
        ("美联储将降息", False),
        ("美联储要降息，美联储、降息", True),
        ("美联储\u3000降息", True),
    ]:
        data = text.encode()
        assert _verdict(test, data, 0, len(data)) is verdict
    data = "美联储，降息".encode()
    found = test.scan(data, 0, len(data))
    assert found is not None and test.sure is None  # a match found is sure: no test
    data = "美联储 ䷀ 降息".encode()
    assert test.scan(data, 0, len(data)) is None and test(data, 0, len(data))


@settings(max_examples=400, deadline=None)
@given(
    word=st.sampled_from(["gpt-5", "3.5", "a股", "gpt-4o", "x-12", "gpt-"]),
    text=_LATIN_TEXT,
    cut=st.integers(0, 6),
)
def test_a_scan_anchored_on_a_words_digits_finds_the_first_match_as_re_does(
    word: str, text: str, cut: int
) -> None:
    import re

    from digest_tui.index.search.analysis import _ascii_caseless
    from digest_tui.index.search.scans import anchored

    data = ("GPT-5 " + text + " gpt-5").encode("utf-8")
    start, end = min(cut, len(data)), max(len(data) - cut, 0)
    patterns = [re.compile(re.escape(word.encode("utf-8")), re.IGNORECASE)]
    if word.isascii():  # a token or a prefix
        patterns += [_ascii_caseless(word, whole=True), _ascii_caseless(word, whole=False)]
    for pattern in patterns:
        ours, theirs = anchored(pattern, word)(data, start, end), pattern.search(data, start, end)
        assert (ours and ours.span()) == (theirs and theirs.span())


def test_a_latin_word_with_digits_is_scanned_by_its_digits() -> None:
    from digest_tui.index.search.analysis import _ascii_caseless
    from digest_tui.index.search.scans import anchored

    pattern = _ascii_caseless("gpt-5", whole=True)
    assert anchored(pattern, "gpt-5") != pattern.search  # found through "-5"
    assert anchored(pattern, "gpt") == pattern.search  # letters only: re's own scan
