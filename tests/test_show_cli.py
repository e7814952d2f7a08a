"""`digest-tui show` as a user runs it: JSON of the contract, readable output, errors."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures" / "parse"


@pytest.fixture
def archive(tmp_path: Path) -> Path:
    """An archive of two of our fixture posts, one of them dated 2031-03-04 twice over."""
    root = tmp_path / "archive"
    (root / "econ").mkdir(parents=True)
    shutil.copy(FIXTURES / "econ_h2_items.md", root / "econ" / "2031-03-04-a.md")
    shutil.copy(FIXTURES / "econ_sections.md", root / "econ" / "2031-03-05-b.md")
    (root / "econ" / "2031-03-04-c.md").write_text(
        "---\ntitle: 同日第二篇\ndate: 2031-03-04\n---\n## 条目\n\n正文。\n", encoding="utf-8"
    )
    return root


def one_line_error(result, status: int) -> str:
    assert result.returncode == status, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("digest-tui: error: "), result.stderr
    assert result.stdout == ""
    return lines[0]


def test_show_file_as_json(run_cli, archive: Path) -> None:
    result = run_cli("--archive", str(archive), "show", "econ/2031-03-04-a.md", "--json")
    assert result.returncode == 0, result.stderr
    post = json.loads(result.stdout)
    assert set(post) == {
        "path",
        "root",
        "date",
        "title",
        "category",
        "tags",
        "summary",
        "warnings",
        "items",
    }
    assert (post["path"], post["root"], post["date"]) == (
        "econ/2031-03-04-a.md",
        str(archive),
        "2031-03-04",
    )
    first = post["items"][0]
    assert set(first) == {
        "id",
        "title",
        "section",
        "link",
        "time",
        "points",
        "analysis",
        "impacts",
        "advice",
        "fields",
        "text",
    }
    assert first["impacts"][0] == {
        "target": "美元",
        "assets": ["美元"],
        "stance": "bearish",
        "inferred": False,
        "horizon": None,
        "text": "对美元：利空。流动性外溢压低美元。",
    }


def test_show_date_lists_every_post_of_that_date(run_cli, archive: Path) -> None:
    result = run_cli("--archive", str(archive), "show", "2031-03-04", "--json")
    assert result.returncode == 0, result.stderr
    posts = json.loads(result.stdout)
    assert [p["path"] for p in posts] == ["econ/2031-03-04-a.md", "econ/2031-03-04-c.md"]


def test_show_absolute_path_outside_the_archive(run_cli, archive: Path, tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere.md"
    outside.write_text("---\ntitle: 外面\ndate: 2031-01-01\n---\n正文\n", encoding="utf-8")
    result = run_cli("--archive", str(archive), "show", str(outside), "--json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["title"] == "外面"


def test_show_readable_output_on_a_file(run_cli, archive: Path) -> None:
    result = run_cli(
        "--archive",
        str(archive),
        "show",
        "econ/2031-03-05-b.md",
        env={"NO_COLOR": "1", "COLUMNS": "100"},
    )
    assert result.returncode == 0, result.stderr
    out = result.stdout
    for words in (
        "地缘摩擦与货币分化",
        "2031-03-05 · 经济日报",
        "• 贵金属再创新高",
        "地缘局势再起波澜",
        "■ 海峡巡逻船对峙升级",
        "https://example.org/strait",
        "▲ 黄金 [利多]",
        "▲ 白银 [利多·短期]",  # two stances, two horizons: two impacts
        "▼ 白银 [利空·中期]",
        "▲ 能源板块 [≈ 利多]",  # read from 受益, not stated: marked so
        "? 石油 [未表态]",
        "▼ 原油 [利空]",
    ):
        assert words in out
    assert "\x1b[" not in out


@pytest.mark.parametrize(
    ("post", "status", "message"),
    [
        ("econ/nope.md", 1, "no such post: econ/nope.md"),
        ("econ", 1, "is a folder, not a post"),
        ("2020-01-01", 1, "no post dated 2020-01-01"),
        ("2026-13-45", 2, "not a valid date"),
    ],
)
def test_bad_post_argument_is_a_one_line_error(
    run_cli, archive: Path, post: str, status: int, message: str
) -> None:
    """A missing file, a folder or a date without posts: runtime error; a bad date: usage."""
    line = one_line_error(run_cli("--archive", str(archive), "show", post), status)
    assert message in line


def test_post_warnings_go_to_stderr(run_cli, archive: Path) -> None:
    (archive / "econ" / "note.md").write_text("## 无日期\n\n正文\n", encoding="utf-8")
    result = run_cli("--archive", str(archive), "show", "econ/note.md", "--json")
    assert result.returncode == 0
    assert "digest-tui: warning: econ/note.md: no date in frontmatter" in result.stderr
    assert json.loads(result.stdout)["warnings"]
