"""How fast the parser turns posts into items: posts/s and ms per post, as a table.

usage: .venv/bin/python tests/benchmarks/bench_parse.py [ARCHIVE_DIR ...] [--rounds N]

Parses every post below each archive (default: the bundled sample posts) from memory, so
only the parser is measured (frontmatter, markdown, items, impacts), not the disk. Each
archive is parsed with both markdown readings, side by side: "tree" (markdown-it-pyrs, what
the parser uses) and "tokens" (markdown-it-py, the fallback); "cpu s" is the CPU per round.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

import digest_tui.index.parse.post as post_module
from digest_tui.index.archive import find_posts
from digest_tui.index.parse.assets import AssetTable
from digest_tui.index.parse.markdown import parse_blocks
from digest_tui.index.parse.post import parse_text
from digest_tui.index.parse.token_blocks import token_blocks
from digest_tui.index.paths import sample_posts_dir

READERS = {"tree": parse_blocks, "tokens": token_blocks}


def bench(root: Path, rounds: int) -> tuple[int, float, list[float], int, int, float]:
    """Parse every post of `root` `rounds` times; returns counts and per-post timings."""
    posts = [
        (pf.path, pf.full_path.read_text(encoding="utf-8", errors="replace"))
        for pf in find_posts(root)
    ]
    assets = AssetTable.load(None)
    per_post: list[float] = []
    items = 0
    started = time.perf_counter()
    cpu = time.process_time()
    for _ in range(rounds):
        items = 0
        for path, text in posts:
            t0 = time.perf_counter()
            post = parse_text(text, root=str(root), path=path, assets=assets)
            per_post.append(time.perf_counter() - t0)
            items += len(post.items)
    total = time.perf_counter() - started
    cpu = time.process_time() - cpu
    size = sum(len(text.encode("utf-8")) for _, text in posts)
    return len(posts), total / rounds, per_post, items, size, cpu / rounds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("archives", nargs="*", type=Path)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    roots = args.archives or [sample_posts_dir()]
    parse_text("---\ntitle: warm-up\n---\n## 条目\n\n正文\n", root="/", path="w.md")
    print(
        f"{'archive':<34} {'reader':<6} {'posts':>6} {'KB/post':>8} {'items':>6} {'posts/s':>8} "
        f"{'ms/post':>8} {'p95 ms':>7} {'max ms':>7} {'cpu s':>7}"
    )
    for root in roots:
        for name, reader in READERS.items():
            post_module.parse_blocks = reader
            count, seconds, per_post, items, size, cpu = bench(root, args.rounds)
            if not count:
                print(f"{str(root)[-34:]:<34} {name:<6} {0:>6}")
                continue
            ms = sorted(t * 1000 for t in per_post)
            p95 = ms[min(len(ms) - 1, int(len(ms) * 0.95))]
            print(
                f"{str(root)[-34:]:<34} {name:<6} {count:>6} {size / count / 1024:>8.1f} "
                f"{items:>6} {count / seconds:>8.0f} {statistics.mean(ms):>8.2f} {p95:>7.2f} "
                f"{ms[-1]:>7.2f} {cpu:>7.3f}"
            )
    post_module.parse_blocks = parse_blocks


if __name__ == "__main__":
    main()
