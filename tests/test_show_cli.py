"""`digest-tui show` as a user runs it: JSON of the contract, readable output, errors."""

from __future__ import annotations

import json
import os
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
        "两国巡逻船在海峡对峙数小时，航运公司开始绕行。",  # the item's body
        "▲ 黄金  利多  避险买盘持续。",
        "▲ 白银  利多 短期  短期利多，中期利空。",  # two stances, two horizons: two impacts
        "▼ 白银  利空 中期  短期利多，中期利空。",
        "▲ 能源板块  ≈ 利多  能源板块受益",  # read from 受益, not stated: marked so
        "? 石油  未表态  供给充足，价格区间震荡。",
        "▼ 原油  利空  原油（利空）：库存累积。",
    ):
        assert words in out, words
    assert "\x1b[" not in out
    lines = out.splitlines()
    assert not any(line != line.rstrip() for line in lines)  # nothing padded to a width
    report = out.index("两国巡逻船在海峡对峙数小时")
    assert report < out.index("这是年内第三次对峙，风险溢价明显抬升。")  # whole, after the news


LONG_ANALYSIS = """---
title: 长文一篇
date: 2031-03-06
category: 经济日报
---
# 长文一篇

## 宏观

### 美联储 Fed 表态

**深度解读 & 洞察：**

{analysis}

**影响：**

- **黄金：** 利多，避险需求升温。
"""
ANALYSIS = "市场普遍预期 Fed 将在 12 月降息，资金持续流入 Gold ETF 与 AI 概念股，" * 8


def test_show_through_a_pipe_is_whole_and_one_line_per_paragraph(run_cli, archive: Path) -> None:
    (archive / "econ" / "2031-03-06-long.md").write_text(
        LONG_ANALYSIS.format(analysis=ANALYSIS), encoding="utf-8"
    )
    done = run_cli("--archive", str(archive), "show", "2031-03-06", env={"COLUMNS": "80"})
    assert done.returncode == 0, done.stderr
    assert ANALYSIS in done.stdout.splitlines()  # not cut, not wrapped, not padded
    assert "…" not in done.stdout


def test_show_on_a_terminal_wraps_cjk_and_latin_like_the_reader(archive: Path) -> None:
    from conftest import console_script
    from hostile_pty import run_in_pty
    from pyte import ByteStream, Screen
    from rich.cells import cell_len

    (archive / "econ" / "2031-03-06-long.md").write_text(
        LONG_ANALYSIS.format(analysis=ANALYSIS), encoding="utf-8"
    )
    run = run_in_pty(
        [console_script(), "--archive", str(archive), "show", "econ/2031-03-06-long.md"],
        env={**os.environ, "NO_COLOR": "1"},
        size=(200, 60),
    )
    assert run.status == 0, run.output[-2000:]
    screen = Screen(60, 200)
    ByteStream(screen).feed(run.output.replace(b"\n", b"\r\n"))
    rows = [row.rstrip() for row in screen.display]
    start = next(i for i, row in enumerate(rows) if row.startswith("市场普遍预期"))
    paragraph = []
    for row in rows[start:]:
        if not row:
            break
        paragraph.append(row)
    assert "".join(paragraph).replace(" ", "") == ANALYSIS.replace(" ", "")
    assert len(paragraph) <= len(ANALYSIS) * 2 // 60 + 2  # full lines, not a break per space
    assert all(cell_len(row) > 50 for row in paragraph[:-1]), paragraph


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


def test_show_date_reads_only_that_dates_posts(
    archive: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The date's posts come from the index: only they are parsed, not the whole archive."""
    from digest_tui.tui.cli import show
    from digest_tui.tui.cli.main import main

    for number in range(20):
        (archive / "econ" / f"other-{number}.md").write_text(
            f"---\ntitle: 别日{number}\ndate: 2031-04-{number + 1:02d}\n---\n正文。\n",
            encoding="utf-8",
        )
    assert main(["--archive", str(archive), "index"]) == 0
    parsed: list[str] = []
    real = show.parse_post
    monkeypatch.setattr(show, "parse_post", lambda f, a: parsed.append(f.path) or real(f, a))
    assert main(["--archive", str(archive), "show", "2031-03-04"]) == 0
    assert sorted(parsed) == ["econ/2031-03-04-a.md", "econ/2031-03-04-c.md"]
    assert "同日第二篇" in capsys.readouterr().out
