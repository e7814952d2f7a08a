"""`index`, `search`, `tags` and `assets` as a user runs them: output, options, exit status."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from search_archive import write_archive


@pytest.fixture
def archive(tmp_path: Path) -> Path:
    return write_archive(tmp_path / "archive")


def test_index_prints_one_summary_line_when_not_on_a_terminal(run_cli, archive: Path) -> None:
    done = run_cli("--archive", str(archive), "index")
    assert done.returncode == 0
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("rebuilt the index: 3 posts (3 added, 0 changed, 0 removed) in ")
    again = run_cli("--archive", str(archive), "index")
    assert again.stderr.strip().startswith("indexed 3 posts (0 added, 0 changed, 0 removed)")
    rebuilt = run_cli("--archive", str(archive), "index", "--rebuild")
    assert rebuilt.stderr.startswith("rebuilt the index: 3 posts")


def test_search_json_has_the_contract_shape(run_cli, archive: Path) -> None:
    done = run_cli("--archive", str(archive), "search", "GPT-5", "--json")
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert set(data) == {"query", "took_ms", "total", "hits"}
    assert data["query"] == "GPT-5" and data["total"] == len(data["hits"]) >= 1
    hit = data["hits"][0]
    assert set(hit) == {"path", "root", "date", "post_title", "item_id", "item_title",
                        "section", "score", "snippet", "highlights"}
    assert hit["root"] == str(archive) and hit["item_title"] == "OpenAI 发布 GPT-5"
    assert hit["section"] == ["科技动态"]
    for start, end in hit["highlights"]:
        assert hit["snippet"][start:end].lower() == "gpt-5"


def test_search_builds_the_index_first_and_accepts_exclusions(run_cli, archive: Path) -> None:
    done = run_cli("--archive", str(archive), "search", "降息", "-美元", "--json")
    assert done.returncode == 0, done.stderr
    hits = json.loads(done.stdout)["hits"]
    # the item says 美元 too; the post's header (its summary) says 降息 only
    assert [(h["path"], h["item_title"]) for h in hits] == [("econ/2026-02-05-fed.md", None)]


def test_limit_and_total(run_cli, archive: Path) -> None:
    base = ["--archive", str(archive), "search", "金", "--json"]
    everything = json.loads(run_cli(*base, "--limit", "0").stdout)
    one = json.loads(run_cli(*base, "--limit", "1").stdout)
    assert len(one["hits"]) == 1 and one["total"] == everything["total"] > 1
    assert len(everything["hits"]) == everything["total"]


def test_filter_options(run_cli, archive: Path) -> None:
    base = ["--archive", str(archive), "search", "--json", "--limit", "0"]
    by_tag = json.loads(run_cli(*base, "--tag", "AI", "模型").stdout)
    assert {h["path"] for h in by_tag["hits"]} == {"ai/2026-02-10-claude.md"}
    by_asset = json.loads(run_cli(*base, "--asset", "金价", "降息").stdout)
    assert [h["item_title"] for h in by_asset["hits"]] == ["美联储释放降息信号，美元走弱"]
    dated = json.loads(run_cli(*base, "--since", "2026-02-01", "--until", "2026-02-07",
                               "金").stdout)
    assert {h["date"] for h in dated["hits"]} == {"2026-02-05"}


@pytest.mark.parametrize("args", [
    ['"美联储 降息'], ["tag:"], ["date:2026-02-30"], ["date:2026-03-01..2026-02-01"],
    ["NOT", "OR", "foobar"], ["NOT NOT NOT"], [""], ["黄金", "--since", "2026-13-01"],
    ["黄金", "--limit", "-1"], ["黄金", "--since", "2026-03-01", "--until", "2026-02-01"],
])
def test_malformed_queries_exit_2_with_one_line(run_cli, archive: Path, args: list[str]
                                                ) -> None:
    done = run_cli("--archive", str(archive), "search", *args)
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("digest-tui: error: "), done.stderr
    assert "Traceback" not in done.stderr and done.stdout == ""


def test_readable_search_output(run_cli, archive: Path) -> None:
    done = run_cli("--archive", str(archive), "search", "霍尔木兹海峡", "--limit", "1")
    assert done.returncode == 0
    assert "霍尔木兹海峡再起波澜" in done.stdout
    assert "showing 1" in done.stdout and "hits" in done.stdout


def test_tags_and_assets_json(run_cli, archive: Path) -> None:
    tags = json.loads(run_cli("--archive", str(archive), "tags", "--json").stdout)
    assert {"name": "AI", "count": 1} in tags and {"name": "经济日报", "count": 1} in tags
    assert [t["count"] for t in tags] == sorted((t["count"] for t in tags), reverse=True)
    assets = json.loads(run_cli("--archive", str(archive), "assets", "--json").stdout)
    names = [a["name"] for a in assets]
    assert {"黄金", "美元", "原油", "科技股"} <= set(names)
    assert all(set(a) == {"name", "count"} for a in assets)
    readable = run_cli("--archive", str(archive), "tags")
    assert "经济日报" in readable.stdout and readable.returncode == 0


def test_unreadable_posts_are_warnings_and_exit_0(run_cli, archive: Path) -> None:
    (archive / "notes" / "2026-02-01-bad.md").write_bytes(
        b"---\ntitle: [unclosed\n---\n\xff\xfe body")
    done = run_cli("--archive", str(archive), "index")
    assert done.returncode == 0
    warnings = [line for line in done.stderr.splitlines() if "warning" in line]
    assert warnings and all(
        line.startswith("digest-tui: warning: notes/2026-02-01-bad.md: ") for line in warnings)
    assert run_cli("--archive", str(archive), "search", "黄金").returncode == 0


def test_missing_archive_is_a_runtime_error(run_cli, tmp_path: Path) -> None:
    done = run_cli("--archive", str(tmp_path / "nowhere"), "search", "黄金")
    assert done.returncode == 1
    assert done.stderr.startswith("digest-tui: error: ")
