#!/usr/bin/env python3
"""How many candidates of each CJK word a search proves from term counts (adjacency.py), and
what the proof and the checks cost, on a built index (issue 14).

    .venv/bin/python tests/benchmarks/bench_proofs.py ARCHIVE CACHE [WORD ...]

ARCHIVE and CACHE as for search_results.py (the index is built there if it is not). For each
word (default: the CJK words and phrases of bench_search's queries), on a freshly opened
index: its candidates, how many really match (every candidate's text checked), how many the
counts prove (the proof run without its cost limit, and with it, as search runs it), and the
CPU time of checking every candidate against that of the proof (with its limit) plus checking
the rest. A proof claiming a unit that does not match is reported and the exit status is 1.
Not part of the test run; prints a table.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np
from digest_tui.index.library import Library
from digest_tui.index.paths import Config, Roots
from digest_tui.index.search import adjacency, searcher
from digest_tui.index.search.analysis import WordMatcher, phrase_matcher, word_matcher

WORDS = ["美联储", '"美联储 降息"', "英伟达", "人形机器人", "霍尔木兹海峡", '"实际利率"', "特朗普"]


def _matcher(word: str) -> WordMatcher:
    if word.startswith('"') and word.endswith('"'):
        found = phrase_matcher(word[1:-1])
        assert found is not None, word
        return found
    return word_matcher(word)


def _snapshot(library: Library) -> searcher.Snapshot:
    found: list[searcher.Snapshot] = []
    library._read(found.append, None)
    return found[0]


def main() -> int:
    archive, cache = Path(sys.argv[1]), Path(sys.argv[2])
    words = sys.argv[3:] or WORDS
    roots = Roots((archive,), "--archive")
    Library(roots, Config(), cache=cache).update()
    wrong = 0
    print(
        f"{'word':<16} {'candidates':>10} {'match':>7} {'provable':>8} {'proven':>7} "
        f"{'check all ms':>12} {'proof+rest ms':>13}"
    )
    for word in words:
        matcher = _matcher(word)
        run = adjacency.proving_run(matcher)
        snap = _snapshot(Library(roots, Config(), cache=cache))
        candidates = searcher._candidates(snap, matcher)
        docs = np.flatnonzero(snap.universe if candidates is None else candidates & snap.universe)
        started = time.process_time()
        real = set(searcher._check(snap.view, matcher, docs))
        check_all = (time.process_time() - started) * 1000
        if run is None:
            print(f"{word:<16} {len(docs):>10} {len(real):>7} {'-':>8} {'-':>7} {check_all:>12.1f}")
            continue
        snap = _snapshot(Library(roots, Config(), cache=cache))  # nothing decoded yet
        searcher._candidates(snap, matcher)
        started = time.process_time()
        sure = adjacency.proven(snap.view, run, docs)
        searcher._check(snap.view, matcher, docs[~sure])
        with_proof = (time.process_time() - started) * 1000
        limit = adjacency.CHECKS_PER_POSTING
        adjacency.CHECKS_PER_POSTING = 1 << 40
        try:
            provable = adjacency.proven(snap.view, run, docs)
        finally:
            adjacency.CHECKS_PER_POSTING = limit
        false = set(docs[provable].tolist()) - real
        wrong += len(false)
        print(
            f"{word:<16} {len(docs):>10} {len(real):>7} {int(provable.sum()):>8} "
            f"{int(sure.sum()):>7} {check_all:>12.1f} {with_proof:>13.1f}"
            + (f"  WRONG: {len(false)} proven without the word" if false else "")
        )
    return 1 if wrong else 0


if __name__ == "__main__":
    sys.exit(main())
