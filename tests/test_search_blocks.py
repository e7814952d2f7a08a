"""Posting blocks written in bulk (bulk_blocks, numpy: a build) are byte for byte those the
one-term-at-a-time writer (blocks, plain Python: a small update) writes, and a build writing
its terms in batches writes the same segment as one writing them one by one."""

from __future__ import annotations

import hashlib
import io
import random
from array import array
from pathlib import Path

import pytest
from conftest import SAMPLE_POSTS
from digest_tui.index.archive import PostFile
from digest_tui.index.search import build, bulk_blocks, segments
from digest_tui.index.search.blocks import BLOCK_LIMIT, write_blocks
from digest_tui.index.search.update import FORMAT_VERSION


def _entry(rng: random.Random, count: int, docs: int, weights: str) -> array[int]:
    """`count` postings over documents 0 .. docs - 1 (doc, frequency, ...), in doc order."""
    picked = sorted(rng.sample(range(docs), count))
    entry = array("I")
    for doc in picked:
        if weights == "ones":
            weight = 1
        elif weights == "same":
            weight = 3
        else:
            weight = rng.choice([1, 1, 1, 2, 5, 300, 70_000])
        entry.extend((doc, weight))
    return entry


def _lists(seed: int) -> tuple[list[array[int]], array[int]]:
    rng = random.Random(seed)
    docs = 3_000_000
    lengths = array("I", array("H", rng.randbytes(2 * docs)))  # 0 .. 65535
    for doc in rng.sample(range(docs), docs // 50):  # past Whoosh's table, and its last byte
        lengths[doc] = rng.choice([106_373, 106_374, 200_000])
    sizes = [2, 3, 5, 6, 511, BLOCK_LIMIT, BLOCK_LIMIT + 1, 2 * BLOCK_LIMIT, 1500]
    entries = []
    for size in sizes * 3:
        spread = rng.choice([size + 5, 70_000, docs])  # small deltas, two-byte, four-byte ones
        entries.append(_entry(rng, size, spread, rng.choice(["ones", "same", "varied"])))
    deltas = [0, 255, 256, 65_535, 65_536, 1, 1 << 21, 7]  # each opcode's edges
    edges = array("I")
    for doc, weight in zip(
        [sum(deltas[: i + 1]) for i in range(len(deltas))],
        [255, 256, 65_535, 65_536, 1, 2, 3, 4],
        strict=True,
    ):
        edges.extend((doc, weight))
    entries.append(edges)
    rng.shuffle(entries)
    return entries, lengths


@pytest.mark.parametrize("values", [b"", None])
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_bulk_blocks_are_the_bytes_of_the_term_writer(seed: int, values: object) -> None:
    """Deltas of one, two and four bytes, weights all one, all equal or varied, lists of one
    block, of exactly a block and of a block and one posting, lengths past Whoosh's table:
    the same postings file and the same term infos, the offsets continuing after what the
    file already held."""
    entries, lengths = _lists(seed)
    one_by_one, in_bulk = io.BytesIO(b"x" * 13), io.BytesIO(b"x" * 13)
    one_by_one.seek(13)
    in_bulk.seek(13)
    expected = [write_blocks(one_by_one, entry, lengths, values) for entry in entries]
    found = bulk_blocks.write_terms(in_bulk, entries, lengths, values)
    assert found == expected
    assert in_bulk.getvalue() == one_by_one.getvalue()


def _build(folder: Path) -> dict[str, str]:
    """A serial build of the sample posts into `folder`: the digest of each Whoosh file
    holding postings or terms (by suffix: one segment)."""
    files = sorted(p for p in SAMPLE_POSTS.rglob("*.md"))
    posts = [
        PostFile(SAMPLE_POSTS, p.relative_to(SAMPLE_POSTS).as_posix(), p.stat().st_size, 0)
        for p in files
    ]
    folder.mkdir()
    build.full_build(folder, folder / "index", {"format": FORMAT_VERSION}, posts, None, None, None)
    found = {}
    for path in (folder / "index" / "whoosh").iterdir():
        if path.suffix in (".trm", ".pst"):
            assert path.suffix not in found  # one segment
            found[path.suffix] = hashlib.sha256(path.read_bytes()).hexdigest()
    return found


def test_a_build_writing_terms_in_batches_writes_the_same_segment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Batches of a few hundred postings (many batches, inline terms between their block
    terms) against every term written alone: the same term table and postings file."""
    monkeypatch.setattr(build, "PARALLEL_FROM", 10**6)
    monkeypatch.setattr(segments, "BULK_POSTINGS", 10**9)
    alone = _build(tmp_path / "alone")
    monkeypatch.setattr(segments, "BULK_POSTINGS", 300)
    batches: list[int] = []
    write_terms = bulk_blocks.write_terms

    def counted(postfile: object, entries: list[array[int]], *args: object) -> list[bytes]:
        batches.append(len(entries))
        return write_terms(postfile, entries, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(bulk_blocks, "write_terms", counted)
    batched = _build(tmp_path / "batched")
    assert len(batches) > 10
    assert set(alone) == {".trm", ".pst"}
    assert batched == alone


def test_columns_written_in_one_piece_read_back_through_whoosh(tmp_path: Path) -> None:
    """The uid, pid and day columns and the title and body lengths, written with the segment
    (not a Whoosh call per unit): Whoosh's reader gives each unit's values back, the last
    units' zero title lengths included, and the fields' total lengths."""
    from digest_tui.index.search.segments import UnitWriter, create, keep_segments
    from whoosh.util.numeric import byte_to_length, length_to_byte

    ix = create(tmp_path)
    writer = UnitWriter(ix)
    units = [
        (7 + n, 100 + n // 3, 738_000 + n, {"t": n % 2} if n < 5 else {}, {"b": n + 1, "c": 40})
        for n in range(8)
    ]
    for uid, pid, day, title, body in units:
        writer.add_unit(uid, pid, day, {k: v for k, v in title.items() if v}, body, ["f"], "x")
    writer.commit(mergetype=keep_segments(()))
    with ix.reader() as reader:
        assert list(reader.column_reader("uid")) == [u[0] for u in units]
        assert list(reader.column_reader("pid")) == [u[1] for u in units]
        assert list(reader.column_reader("day")) == [u[2] for u in units]
        for doc, (_uid, _pid, _day, title, body) in enumerate(units):
            for name, counts in (("title", title), ("body", body)):
                expected = byte_to_length(length_to_byte(sum(counts.values())))
                assert (reader.doc_field_length(doc, name) or 0) == expected, (doc, name)
        assert reader.field_length("title") == sum(sum(u[3].values()) for u in units)
        assert reader.field_length("body") == sum(sum(u[4].values()) for u in units)
