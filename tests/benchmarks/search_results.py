#!/usr/bin/env python3
"""Dump what search returns for many queries, to compare two versions of the searcher.

    .venv/bin/python tests/benchmarks/search_results.py ARCHIVE CACHE OUT.jsonl [--limits 20,0,3]

Indexes ARCHIVE (cache folder CACHE, reused when built) and writes, for every query of
`QUERIES` and every limit, one JSON line: the query, the limit and `search --json`'s output
without `took_ms` (total, hits in order with scores, snippets and highlights). Run it before
and after a change to the searcher and `diff` the two files: they must be equal.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_search import BROAD  # noqa: E402
from bench_search import QUERIES as BENCH_QUERIES  # noqa: E402
from digest_tui.index.library import Library, QueryError  # noqa: E402
from digest_tui.index.paths import Config, Roots  # noqa: E402

QUERIES = [
    *BENCH_QUERIES,
    *BROAD,
    # the conformance tool's
    "美联储",
    "降息",
    "关税",
    "芯片",
    "稀土",
    "比特币",
    "OpenAI",
    "AMD",
    "Claude",
    "英伟达",
    "美元",
    "特朗普 关税",
    # more shapes: one character, long runs, Latin, prefixes, NOT/OR, phrases, filters
    "油",
    "中国",
    "市场",
    "人工智能",
    "美联储 OR 欧洲央行",
    "-黄金",
    "NOT 的",
    "AI",
    "ai*",
    "nv*",
    "model*",
    "3.5",
    "2026",
    "a股",
    "A股 上涨",
    '"人工 智能"',
    '"open ai"',
    '"AI 日报"',
    "tag:AI OpenAI",
    "tag:经济日报",
    "category:AI日报",
    "category:经济日报",
    "section:宏观",
    "section:更多动态 芯片",
    "asset:黄金",
    "asset:原油",
    "asset:美元 -黄金",
    "date:2026-02",
    "date:2026 关税",
    "date:..2021-01-31 美元",
    "黄金 美元 原油",
    "黄金 降息",
    "美联储 降息 -黄金",
    "(黄金)",
    "x",
    "的 是",
    "OpenAI OR Anthropic OR Google",
    "gpt* -openai",
    "霍尔木兹",
    "海峡",
    "木兹",
    "不存在的词语组合",
    "zzzzzz",
]


_WORDS = [
    *"黄金 美元 降息 美联储 油价 芯片 关税 的 是 金 AI OpenAI openai gpt* a* 5000美元".split(),
    *"GPT-5 英伟达 人形机器人 霍尔木兹海峡 央行 购金 白银 原油 比特币 Claude 3.5 2026".split(),
    '"美联储 降息"',
    '"实际利率"',
    "tag:AI",
    "tag:经济日报",
    "category:经济日报",
    "asset:黄金",
    "asset:原油",
    "section:更多动态",
    "section:宏观",
    "date:2026",
    "date:2026-02",
]


def random_queries(count: int) -> list[str]:
    """`count` queries of 1-4 words, exclusions and ORs drawn from `_WORDS` (seeded)."""
    import random

    rng = random.Random(14)
    found = []
    for _ in range(count):
        parts = []
        for _ in range(rng.randint(1, 4)):
            word = rng.choice(_WORDS)
            roll = rng.random()
            if roll < 0.2 and ":" not in word:
                word = "-" + word
            elif roll < 0.3:
                word = f"{word} OR {rng.choice(_WORDS)}"
            parts.append(word)
        found.append(" ".join(parts))
    return found


def dump(archive: Path, cache: Path, out: Path, limits: list[int], queries: list[str]) -> None:
    library = Library(Roots((archive,), "--archive"), Config(), cache=cache)
    library.update()
    with out.open("w", encoding="utf-8") as handle:
        for query in queries:
            for limit in limits:
                try:
                    result = library.search(query, limit=limit).to_json()
                except QueryError as exc:
                    result = {"error": str(exc)}
                result.pop("took_ms", None)
                line = {"q": query, "limit": limit, **result}
                handle.write(json.dumps(line, ensure_ascii=False, sort_keys=True) + "\n")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("archive", type=Path)
    parser.add_argument("cache", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--limits", default="20,0,3")
    parser.add_argument(
        "--random", type=int, default=0, help="also this many random queries (seeded)"
    )
    args = parser.parse_args()
    limits = [int(x) for x in args.limits.split(",")]
    dump(args.archive, args.cache, args.out, limits, QUERIES + random_queries(args.random))
    return 0


if __name__ == "__main__":
    sys.exit(main())
