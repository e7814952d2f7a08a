"""`show --json` of every bundled sample post equals its hand-reviewed expectation.

The expectations live in tests/expected/<same path as the post>.json (the JSON of `show
--json` without `root`, which depends on where the repository is); tests/expected/REVIEW.md
says what was checked in each. A mismatch prints a unified diff of the two JSON documents,
so a parser change shows exactly which item, field or impact moved. Every field is compared,
item `text` included.
"""

from __future__ import annotations

import difflib
import json
from itertools import zip_longest
from pathlib import Path
from typing import Any

import pytest
from conftest import SAMPLE_POSTS
from digest_tui.index.archive import PostFile
from digest_tui.index.parse.post import parse_post

EXPECTED = Path(__file__).parent / "expected"
POSTS = sorted(p.relative_to(SAMPLE_POSTS).as_posix() for p in SAMPLE_POSTS.rglob("*.md"))


def expected_for(path: str) -> dict[str, Any]:
    return json.loads((EXPECTED / path).with_suffix(".json").read_text(encoding="utf-8"))


def shown(value: Any) -> list[str]:
    return json.dumps(value, ensure_ascii=False, indent=1).splitlines()


def assert_same(path: str, actual: dict[str, Any], expected: dict[str, Any]) -> None:
    """Equal, or fail with a diff per part that moved: the post's header, then each item
    (named by its position and title), so a parser change shows exactly what it changed."""
    if actual == expected:
        return
    parts = [
        (
            "post header",
            {k: v for k, v in expected.items() if k != "items"},
            {k: v for k, v in actual.items() if k != "items"},
        )
    ]
    wanted, got = expected.get("items", []), actual.get("items", [])
    for n, (before, after) in enumerate(zip_longest(wanted, got), start=1):
        title = (before or after or {}).get("title", "")
        parts.append((f"item {n} {title}", before, after))
    report = [f"show --json of {path} differs from its reviewed expectation:"]
    for name, before, after in parts:
        if before != after:
            report.append(f"== {name}")
            report.extend(
                difflib.unified_diff(
                    shown(before), shown(after), "expected", "parsed", n=3, lineterm=""
                )
            )
    pytest.fail("\n".join(report), pytrace=False)


def test_every_sample_post_has_an_expectation_and_no_other() -> None:
    assert len(POSTS) == 22
    stored = sorted(
        p.relative_to(EXPECTED).with_suffix(".md").as_posix() for p in EXPECTED.rglob("*.json")
    )
    assert stored == POSTS


@pytest.mark.parametrize("path", POSTS)
def test_sample_post_matches_its_expectation(path: str) -> None:
    full = SAMPLE_POSTS / path
    stat = full.stat()
    post = parse_post(PostFile(SAMPLE_POSTS, path, stat.st_size, stat.st_mtime_ns))
    actual = post.to_json()
    assert actual.pop("root") == str(SAMPLE_POSTS)
    assert_same(path, actual, expected_for(path))


def test_console_script_shows_the_same_as_the_parser(run_cli) -> None:
    """One real `digest-tui show --json` run over two posts gives the reviewed JSON too."""
    paths = [
        "econ/2026-11-25-6498b6a4-9dac-4815-9360-f71ce47f3f23.md",
        "ai/2026-11-23-ced8ff07-4235-4515-b4d2-5e49a9289bc3.md",
    ]
    result = run_cli("--archive", str(SAMPLE_POSTS), "show", *paths, "--json")
    assert result.returncode == 0, result.stderr
    posts = json.loads(result.stdout)
    assert [p["path"] for p in posts] == paths
    for path, post in zip(paths, posts, strict=True):
        assert Path(post.pop("root")).resolve() == SAMPLE_POSTS.resolve()
        assert_same(path, post, expected_for(path))
