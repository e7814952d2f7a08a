"""Do markdown-it-pyrs's tree and markdown-it-py's tokens give the same posts? A table.

usage: .venv/bin/python tests/benchmarks/compare_parsers.py [ARCHIVE_DIR ...] [--show N]

For every post below each archive (default: the bundled sample posts) it parses the body
into blocks with both readings (`tree_blocks`, `token_blocks`) and compares the block trees,
then parses the whole post (items, impacts, text) once with each and compares the Posts.
"unsure" counts the bodies the tree reading hands to markdown-it-py (`Unsure`); a difference
in blocks or posts is a bug, and the first few are printed. Exits 1 if there is any.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path

import digest_tui.index.parse.post as post_module
from digest_tui.index.archive import find_posts
from digest_tui.index.parse.assets import AssetTable
from digest_tui.index.parse.blocks import Block
from digest_tui.index.parse.post import parse_text
from digest_tui.index.parse.token_blocks import token_blocks
from digest_tui.index.parse.tree_blocks import Unsure, tree_blocks
from digest_tui.index.paths import sample_posts_dir


def first_difference(a: list[Block], b: list[Block], where: str = "") -> str:
    """Where two block lists first differ, for a person to read."""
    if len(a) != len(b):
        return f"{where}: {len(a)} blocks vs {len(b)}"
    for i, (x, y) in enumerate(zip(a, b, strict=True)):
        if x == y:
            continue
        here = f"{where}/{i}:{x.kind}"
        if x.children != y.children:
            return first_difference(x.children, y.children, here)
        return f"{here}\n  tokens: {x!r}\n  tree:   {y!r}"
    return f"{where}: equal"


def compare(root: Path, show: int) -> tuple[int, int, int, int, int]:
    """Posts, unsure bodies, block differences, post differences, shown (count)."""
    assets = AssetTable.load(None)
    posts = unsure = block_diffs = post_diffs = 0
    for pf in find_posts(root):
        text = pf.full_path.read_text(encoding="utf-8", errors="replace")
        posts += 1
        bodies: list[str] = []

        def by_tokens(body: str, bodies: list[str] = bodies) -> list[Block]:
            bodies.append(body)
            return token_blocks(body)

        def by_tree(body: str) -> list[Block]:
            try:
                return tree_blocks(body)
            except Unsure:
                return token_blocks(body)

        token_post = _parse(by_tokens, text, root, pf.path, assets)
        tree_post = _parse(by_tree, text, root, pf.path, assets)
        for body in bodies:
            expected = token_blocks(body)
            try:
                got = tree_blocks(body)
            except Unsure:
                unsure += 1
                continue
            if got != expected:
                block_diffs += 1
                if show > 0:
                    show -= 1
                    print(f"BLOCKS {pf.path}{first_difference(expected, got)}", file=sys.stderr)
        if token_post != tree_post:
            post_diffs += 1
            if show > 0:
                show -= 1
                print(f"POST {pf.path} differs", file=sys.stderr)
    return posts, unsure, block_diffs, post_diffs, show


def _parse(
    reader: Callable[[str], list[Block]], text: str, root: Path, path: str, assets: AssetTable
) -> object:
    saved = post_module.parse_blocks
    post_module.parse_blocks = reader
    try:
        return parse_text(text, root=str(root), path=path, assets=assets)
    finally:
        post_module.parse_blocks = saved


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("archives", nargs="*", type=Path)
    parser.add_argument("--show", type=int, default=5, help="differences to print")
    args = parser.parse_args()
    roots = args.archives or [sample_posts_dir()]
    print(f"{'archive':<40} {'posts':>6} {'unsure':>6} {'blocks≠':>7} {'posts≠':>6} {'s':>6}")
    failed = False
    for root in roots:
        started = time.process_time()
        posts, unsure, block_diffs, post_diffs, args.show = compare(root, args.show)
        seconds = time.process_time() - started
        failed = failed or bool(block_diffs or post_diffs)
        print(
            f"{str(root)[-40:]:<40} {posts:>6} {unsure:>6} {block_diffs:>7} {post_diffs:>6} "
            f"{seconds:>6.1f}"
        )
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
