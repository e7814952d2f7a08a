"""Scaled archives for the benchmarks: N posts copied from real-looking templates.

The templates are the shared corpus of real posts when it is on this machine
(`DIGEST_TUI_CORPUS`, default /work/shared/corpus), else the bundled sample posts. Copy i gets
its own date (two posts a day, going back from the newest), its own file name and perturbed
text (the digits of its body rotated by i, a line of its own), so that ten years of posts are
not ten years of the same terms. Nothing is copied into the repository: archives are written to
a temp folder at run time.
"""

from __future__ import annotations

import os
import re
from datetime import date, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
SAMPLES = REPO / "sample_posts"
CORPUS = Path(os.environ.get("DIGEST_TUI_CORPUS", "/work/shared/corpus"))
_DATE = re.compile(r"^date:.*$", re.M)
_ROTATIONS = [str.maketrans("0123456789", "0123456789"[k:] + "0123456789"[:k]) for k in range(10)]


def templates() -> list[Path]:
    """The posts copied: the corpus's if present, the bundled samples otherwise."""
    found = sorted(CORPUS.rglob("*.md")) if CORPUS.is_dir() else []
    found = [p for p in found if p.name != "README.md"]
    return found or sorted(SAMPLES.rglob("*.md"))


def perturb(text: str, index: int, day: date) -> str:
    """The template's text with `day` as its date and its body varied by `index`."""
    text = _DATE.sub(f"date: {day.isoformat()}", text, count=1)
    if not text.startswith("---"):
        return f"---\ndate: {day.isoformat()}\n---\n{text}"
    end = text.find("\n---", 3)
    if end < 0:
        return text
    head, body = text[: end + 4], text[end + 4 :]
    body = body.translate(_ROTATIONS[index % 10])
    return f"{head}{body}\n\n副本 {index} 号（基准测试）\n"


def make_archive(target: Path, count: int, *, newest: date = date(2030, 12, 31)) -> Path:
    """`count` posts below `target/YYYY/MM/`, two a day ending on `newest`."""
    sources = templates()
    texts = [p.read_text(encoding="utf-8") for p in sources]
    for i in range(count):
        template = sources[i % len(sources)]
        day = newest - timedelta(days=(count - 1 - i) // 2)
        folder = target / str(day.year) / f"{day.month:02d}"
        folder.mkdir(parents=True, exist_ok=True)
        slug = re.sub(r"^\d{4}-\d{2}-\d{2}-", "", template.stem)[:24]
        name = f"{day.isoformat()}-{slug}-{i:05d}.md"
        (folder / name).write_text(perturb(texts[i % len(texts)], i, day), encoding="utf-8")
    return target


def add_post(target: Path, index: int, day: date) -> Path:
    """One more post (a daily update), dated `day`, with a file name of its own."""
    sources = templates()
    template = sources[index % len(sources)]
    folder = target / str(day.year) / f"{day.month:02d}"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{day.isoformat()}-update-{index:05d}.md"
    path.write_text(perturb(template.read_text(encoding="utf-8"), index, day), encoding="utf-8")
    return path
