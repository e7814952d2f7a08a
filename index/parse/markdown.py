"""A post's markdown body to blocks: markdown-it-pyrs's tree where that wheel is installed,
markdown-it-py's tokens otherwise, and for the bodies the tree reading is unsure of. Both
readings give the same blocks (tests/test_parse_readers.py, tests/benchmarks/compare_parsers.py).
"""

from __future__ import annotations

from .blocks import Block

try:
    from .tree_blocks import Unsure, tree_blocks
except ModuleNotFoundError as exc:  # no markdown-it-pyrs for this platform
    if exc.name != "markdown_it_pyrs":
        raise
    HAVE_TREE = False
else:
    HAVE_TREE = True


def parse_blocks(body: str) -> list[Block]:
    """The top-level blocks of a markdown body."""
    if HAVE_TREE:
        try:
            return tree_blocks(body)
        except Unsure:
            pass
    from .token_blocks import token_blocks  # markdown-it-py: imported only when needed

    return token_blocks(body)
