"""Search reads posting blocks from their pickles' bytes (arrays.py, no Python call per
posting): whatever the deltas and weights, it reads what unpickling the block gives, and a
block it cannot read so is unpickled (restricted) rather than misread."""

from __future__ import annotations

import pickle
import random

import numpy as np
import pytest
from digest_tui.index.search import arrays

#: Deltas and weights at the edges of pickle's int opcodes (BININT1, BININT2, BININT).
_EDGES = [0, 1, 255, 256, 65_535, 65_536, (1 << 31) - 1]


def _block(rng: random.Random, count: int, wide: float, weights: str) -> tuple[bytes, list[int]]:
    """A block pickled as the writers pickle it, and the ids it holds."""
    deltas = [rng.choice(_EDGES) if rng.random() < wide else rng.randint(1, 40)]
    deltas += [rng.choice(_EDGES[1:]) if rng.random() < wide else rng.randint(1, 40)
               for _ in range(count - 1)]  # fmt: skip
    if weights == "ones":
        kept: object = None
    elif weights == "same":
        kept = 3.0
    else:
        kept = tuple(rng.choice(_EDGES[1:]) if rng.random() < wide else 2 for _ in deltas)
    return pickle.dumps((tuple(deltas), kept, b""), 2), deltas


def _expected(blocks: list[bytes]) -> tuple[list[int], list[int]]:
    ids: list[int] = []
    weights: list[int] = []
    for data in blocks:
        deltas, kept, _values = pickle.loads(data)
        doc = 0
        for delta in deltas:
            doc += delta
            ids.append(doc)
        if kept is None:
            weights += [1] * len(deltas)
        elif isinstance(kept, float):
            weights += [int(kept)] * len(deltas)
        else:
            weights += list(kept)
    return ids, weights


@pytest.mark.parametrize("seed", range(40))
def test_blocks_read_from_their_bytes_hold_what_unpickling_gives(seed: int) -> None:
    rng = random.Random(seed)
    blocks, counts = [], []
    for _ in range(rng.randint(1, 5)):
        count = rng.choice([1, 3, 4, 5, 100, 512])
        wide = rng.choice([0.0, 0.002, 0.02, 0.2, 1.0])  # past 24 wide ints: unpickled
        data, _deltas = _block(rng, count, wide, rng.choice(["ones", "same", "tuple"]))
        blocks.append(data)
        counts.append(count)
    ids, weights = arrays._assembled(blocks, counts, b"term")
    expected_ids, expected_weights = _expected(blocks)
    assert ids.tolist() == expected_ids
    assert weights.tolist() == expected_weights
    assert ids.dtype == weights.dtype == np.int64


def test_a_block_read_from_its_bytes_matches_an_unpickled_one_across_the_edges() -> None:
    deltas = (70_000, 1, 255, 256, 65_535, 65_536, 3, (1 << 31) - 1, 5)
    weights = (1, 300, 2, 70_000, 1, 1, 1, 9, 255)
    data = pickle.dumps((deltas, weights, b""), 2)
    out_deltas = np.empty(len(deltas), dtype=np.int64)
    out_weights = np.empty(len(deltas), dtype=np.int64)
    assert arrays._block_values(data, len(deltas), out_deltas, out_weights)
    assert tuple(out_deltas.tolist()) == deltas
    assert tuple(out_weights.tolist()) == weights


@pytest.mark.parametrize(
    "block",
    [
        (tuple(range(10)), tuple(range(10)), b""),  # fine: read from its bytes
        ((1, 2, 3, 4, 5, 6), ("x", 2, 3, 4, 5, 6), b""),  # a weight that is not an int
        ((1, 2, 3, 4, 5, 6), (1.5,) * 6, b""),  # Whoosh's float weights
        ((1, 2, 3, 4, 5, 1 << 40), None, b""),  # an int wider than BININT
    ],
)
def test_a_block_not_of_small_ints_is_not_misread(block: tuple[object, ...]) -> None:
    data = pickle.dumps(block, 2)
    count = len(block[0])  # type: ignore[arg-type]
    deltas = np.zeros(count, dtype=np.int64)
    weights = np.zeros(count, dtype=np.int64)
    if arrays._block_values(data, count, deltas, weights):
        assert tuple(deltas.tolist()) == block[0]
        assert weights.tolist() == (list(block[1]) if block[1] else [1] * count)  # type: ignore[call-overload]
    else:  # left to the restricted unpickler
        assert block[0] != tuple(range(10))


def test_a_block_shorter_than_its_count_is_not_read_from_its_bytes() -> None:
    data = pickle.dumps(((1, 2, 3, 4, 5), None, b""), 2)
    deltas = np.zeros(6, dtype=np.int64)
    weights = np.zeros(6, dtype=np.int64)
    assert not arrays._block_values(data, 6, deltas, weights)
    with pytest.raises(ValueError):
        arrays._assembled([data], [6], b"term")


def _twin(count: int, first: int) -> tuple[int, ...]:
    """Deltas pickled to the same size as `(first, 1, 1, ...)` with `first` a BININT2, but
    the wide int second: a block of the same length whose layout differs."""
    return (1, first, *([1] * (count - 2)))


@pytest.mark.parametrize("seed", range(30))
def test_blocks_of_one_size_hold_what_unpickling_gives_whatever_their_layouts(seed: int) -> None:
    """A term's full blocks mostly share one layout (512 postings, the first delta the only
    wide int) and are read together: any block among them of the same size but another
    layout (the wide int elsewhere, other weights) is read as what it is."""
    rng = random.Random(seed)
    count = rng.choice([4, 5, 64, 512])
    blocks: list[bytes] = []
    for _ in range(rng.randint(2, 9)):
        first = rng.choice([0, 7, 300, 65_535, 65_536, 900_000])
        odd = rng.random()
        if odd < 0.3 and 256 <= first < 65_536:
            deltas = _twin(count, first)
        else:
            deltas = (first, *(rng.randint(0, 255) for _ in range(count - 1)))
        kept = rng.choice([None, tuple(rng.randint(1, 255) for _ in deltas)])
        if 0.3 <= odd < 0.45 and kept is not None:
            kept = (300, *kept[1:])  # a wide weight
        blocks.append(pickle.dumps((deltas, kept, b""), 2))
    blocks += [blocks[-1]] * rng.randint(0, 3)  # runs of the very same layout
    ids, weights = arrays._assembled(blocks, [count] * len(blocks), b"term")
    expected_ids, expected_weights = _expected(blocks)
    assert ids.tolist() == expected_ids
    assert weights.tolist() == expected_weights


@pytest.mark.parametrize("seed", range(20))
def test_blocks_summed_with_their_headers_last_documents_hold_what_unpickling_gives(
    seed: int,
) -> None:
    """Each block's header gives its last document: with it, the blocks are summed in one
    pass; a header whose last document is not its block's sum leaves them summed block by
    block, as without headers (the same documents either way)."""
    rng = random.Random(seed)
    blocks, counts = [], []
    for _ in range(rng.randint(2, 6)):
        count = rng.choice([1, 4, 100, 512])
        data, _deltas = _block(rng, count, rng.choice([0.0, 0.02, 1.0]), "tuple")
        blocks.append(data)
        counts.append(count)
    expected_ids, expected_weights = _expected(blocks)
    ends_of_blocks = [sum(pickle.loads(data)[0]) for data in blocks]  # each block from 0
    for last_ids in (ends_of_blocks, [*ends_of_blocks[:-1], ends_of_blocks[-1] + 1]):
        ids, weights = arrays._assembled(blocks, counts, b"term", last_ids)
        assert ids.tolist() == expected_ids
        assert weights.tolist() == expected_weights
