"""A segment writer's postings spilled to temporary runs come back as if held in memory: every
term once, in term order, its documents in order with their frequencies (so a build that
spills finds exactly what one that does not finds: tests/test_search_index.py)."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from digest_tui.index.search import runs
from digest_tui.index.search.runs import Postings

FIELDS = ("body", "title")


def _documents(count: int, seed: int) -> list[dict[str, dict[str, int]]]:
    """Documents whose terms follow a long tail, as text does: a few terms in most
    documents, many in one or two."""
    rng = random.Random(seed)
    vocabulary = [f"t{n:05d}" for n in range(3000)]
    documents = []
    for _ in range(count):
        fields: dict[str, dict[str, int]] = {}
        for name in FIELDS:
            picked = {vocabulary[min(int(rng.paretovariate(0.7)) - 1, 2999)] for _ in range(40)}
            fields[name] = {term: rng.randint(1, 4) for term in picked}
        documents.append(fields)
    return documents


def _postings_of(
    documents: list[dict[str, dict[str, int]]], folder: Path, finish: bool = False
) -> tuple[dict[str, list[tuple[str, list[int]]]], int, int]:
    """What `Postings` gives back for the documents, with how many runs it wrote and how
    many terms a spill left in memory at most (`finish`: finished first, as the segment
    writer does)."""
    postings = Postings(FIELDS, str(folder))
    kept_most = 0
    for doc, fields in enumerate(documents):
        held = 0
        for name, counts in fields.items():
            postings.add(name, doc, counts)
            held += len(counts)
        runs_before = len(postings._runs)
        postings.added(held)
        if len(postings._runs) > runs_before:
            kept_most = max(kept_most, postings.terms_held())
    if finish:  # the rest spilled too (a run more if any was held), nothing in memory
        runs_before, held = len(postings._runs), postings.held
        postings.finish()
        assert len(postings._runs) == runs_before + (1 if held else 0)
        assert postings.held == 0 and postings.terms_held() == 0
    written = len(postings._runs)
    found = {name: [(t, list(p)) for t, p in postings.field_terms(name)] for name in FIELDS}
    postings.close()
    return found, written, kept_most


def _expected(documents: list[dict[str, dict[str, int]]]) -> dict[str, list[tuple[str, list[int]]]]:
    expected: dict[str, dict[str, list[int]]] = {name: {} for name in FIELDS}
    for doc, fields in enumerate(documents):
        for name, counts in fields.items():
            for term, frequency in counts.items():
                expected[name].setdefault(term, []).extend((doc, frequency))
    return {name: sorted(terms.items()) for name, terms in expected.items()}


@pytest.mark.parametrize(("seed", "packed_bits"), [(1, 64), (2, 64), (3, 0)])
def test_spilled_postings_come_back_whole_and_in_order(
    seed: int, packed_bits: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Spills that leave the short posting lists in memory (and later spills that take them)
    lose, repeat and reorder nothing; no run is left behind. The same when postings do not
    fit in one number each (`packed_bits` 0: their places are sorted)."""
    monkeypatch.setattr(runs, "PACKED_BITS", packed_bits)
    monkeypatch.setattr(runs, "SPILL_POSTINGS", 2000)
    monkeypatch.setattr(runs, "SHORT_POSTINGS", 6)
    documents = _documents(400, seed)
    found, written, kept_most = _postings_of(documents, tmp_path)
    assert written >= 5
    assert kept_most > 0  # some spills left short lists in memory
    assert found == _expected(documents)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("seed", [4, 5])
def test_finishing_spills_what_is_held_and_loses_nothing(
    seed: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Before a segment is written, what a spill left in memory goes to a run too (memory
    free for the writing), and the postings still come back whole and in order."""
    monkeypatch.setattr(runs, "SPILL_POSTINGS", 2000)
    monkeypatch.setattr(runs, "SHORT_POSTINGS", 6)
    monkeypatch.setattr(runs, "_WRITE_PARTS", 30)  # a spill written in many pieces
    documents = _documents(333, seed)
    found, written, kept_most = _postings_of(documents, tmp_path, finish=True)
    assert written >= 5 and kept_most > 0
    assert found == _expected(documents)
    assert list(tmp_path.iterdir()) == []


def test_spills_write_everything_when_short_lists_hold_too_much(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """When the short posting lists hold most postings, a spill writes them all (memory
    stays bounded), and the postings still come back whole."""
    monkeypatch.setattr(runs, "SPILL_POSTINGS", 2000)
    monkeypatch.setattr(runs, "SHORT_POSTINGS", 10**6)  # every list is short
    documents = _documents(1000, 7)
    found, written, kept_most = _postings_of(documents, tmp_path)
    assert written >= 5
    assert kept_most == 0
    assert found == _expected(documents)


@pytest.mark.parametrize("numpy_from", [0, 10**9])
def test_postings_held_in_memory_come_back_inverted(
    numpy_from: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without a spill, the postings in memory are inverted in one piece, with numpy or (few
    postings: a small update) in plain Python, the same way: every term once, in term order,
    its documents in order with their frequencies, non-ASCII terms in code point order."""
    monkeypatch.setattr(runs, "NUMPY_FROM", numpy_from)
    documents = _documents(300, 11)
    for doc, fields in enumerate(documents):
        fields["title"].update({"金": doc % 3 + 1, "黄金": 1} if doc % 2 else {"a股": 2})
    found, written, _kept = _postings_of(documents, tmp_path)
    assert written == 0
    assert found == _expected(documents)
    titles = [term for term, _ in found["title"]]
    assert titles[0] == "a股" and titles[-2:] == ["金", "黄金"]


def _keyed_documents(count: int, seed: int) -> list[dict[str, list[str]]]:
    """Documents of CJK text, as a build counts them (keyed_terms): 1-2 character terms as
    numbers. Every seventh has a character outside the BMP, so its terms are strings: the
    same terms both ways in one field, as a short list a spill kept (strings) and later
    keyed postings of the same term are."""
    rng = random.Random(seed)
    alphabet = "黄金油价美元降息央行购金芯片英伟达，。ab 1"
    texts = []
    for doc in range(count):
        body = "".join(rng.choice(alphabet) for _ in range(rng.randint(5, 80)))
        # a rare character now and then: a long tail of terms, some short lists kept
        body += chr(0x5000 + int(rng.paretovariate(0.8)) % 3000)
        texts.append({"body": [body + ("😀" if doc % 7 == 3 else "")], "title": [body[:6]]})
    return texts


@pytest.mark.parametrize("packed_bits", [64, 40, 0])
def test_keyed_postings_spilled_come_back_whole_and_in_order(
    packed_bits: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Keyed terms (numbers) spilled with string terms of the same field, some the same
    terms, come back as `analysis.terms` counts them: every term once, in term order, its
    documents in order. The same when a key, a document and a frequency do not fit in one
    number (40, for some spills: each posting's place among the keys is sorted instead)
    and when a rank, a document and a frequency do not either (0)."""
    from digest_tui.index.search.analysis import terms
    from digest_tui.index.search.keyed_terms import keyed_terms

    monkeypatch.setattr(runs, "PACKED_BITS", packed_bits)
    monkeypatch.setattr(runs, "SPILL_POSTINGS", 1500)
    monkeypatch.setattr(runs, "SHORT_POSTINGS", 6)
    grouped: list[bool] = []
    key_groups = runs._Held.key_groups

    def spy(held: runs._Held) -> object:
        found = key_groups(held)
        if len(found[1]):
            grouped.append(found[2] is not None)
        return found

    monkeypatch.setattr(runs._Held, "key_groups", spy)
    documents = _keyed_documents(500, 9)
    postings = Postings(FIELDS, str(tmp_path))
    expected: dict[str, dict[str, list[int]]] = {name: {} for name in FIELDS}
    for doc, fields in enumerate(documents):
        held = 0
        for name, (text,) in fields.items():
            (counts,) = keyed_terms([text])
            postings.add(name, doc, counts)
            held += len(counts) if isinstance(counts, dict) else len(counts.keys) // 8 + 1
            for term, frequency in terms(text).items():
                expected[name].setdefault(term, []).extend((doc, frequency))
        postings.added(held)
    assert len(postings._runs) >= 5
    found = {name: [(t, list(p)) for t, p in postings.field_terms(name)] for name in FIELDS}
    postings.close()
    assert found == {name: sorted(terms.items()) for name, terms in expected.items()}
    # 64: every spill grouped the keys in one sort; 40: some could not; 0: none could
    assert grouped and all(grouped) == (packed_bits == 64) and any(grouped) == (packed_bits > 0)
