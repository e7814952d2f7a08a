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
    assert set(hit) == {
        "path",
        "root",
        "date",
        "post_title",
        "item_id",
        "item_title",
        "section",
        "score",
        "snippet",
        "highlights",
    }
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
    dated = json.loads(
        run_cli(*base, "--since", "2026-02-01", "--until", "2026-02-07", "金").stdout
    )
    assert {h["date"] for h in dated["hits"]} == {"2026-02-05"}


@pytest.mark.parametrize(
    "args",
    [
        ['"美联储 降息'],
        ["tag:"],
        ["date:2026-02-30"],
        ["date:2026-03-01..2026-02-01"],
        ["NOT", "OR", "foobar"],
        ["NOT NOT NOT"],
        [""],
        ["黄金", "--since", "2026-13-01"],
        ["黄金", "--limit", "-1"],
        ["黄金", "--since", "2026-03-01", "--until", "2026-02-01"],
    ],
)
def test_malformed_queries_exit_2_with_one_line(run_cli, archive: Path, args: list[str]) -> None:
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
        b"---\ntitle: [unclosed\n---\n\xff\xfe body"
    )
    done = run_cli("--archive", str(archive), "index")
    assert done.returncode == 0
    warnings = [line for line in done.stderr.splitlines() if "warning" in line]
    assert warnings and all(
        line.startswith("digest-tui: warning: notes/2026-02-01-bad.md: ") for line in warnings
    )
    assert run_cli("--archive", str(archive), "search", "黄金").returncode == 0


def test_missing_archive_is_a_runtime_error(run_cli, tmp_path: Path) -> None:
    done = run_cli("--archive", str(tmp_path / "nowhere"), "search", "黄金")
    assert done.returncode == 1
    assert done.stderr.startswith("digest-tui: error: ")


def test_a_root_inside_another_or_given_twice_lists_each_post_once(
    run_cli, archive: Path, tmp_path: Path
) -> None:
    link = tmp_path / "same-archive"
    link.symlink_to(archive)
    for extra in (archive / "econ", link):
        done = run_cli(
            "--archive",
            str(archive),
            "--archive",
            str(extra),
            "search",
            "霍尔木兹海峡",
            "--json",
            "--limit",
            "0",
        )
        assert done.returncode == 0, done.stderr
        hits = [(h["root"], h["path"], h["item_id"]) for h in json.loads(done.stdout)["hits"]]
        assert len(hits) == len(set(hits)) >= 1
        assert {(root, path) for root, path, _ in hits} == {
            (str(archive), "econ/2026-02-05-fed.md")
        }


def test_two_roots_with_the_same_relative_path_are_two_posts(run_cli, tmp_path: Path) -> None:
    first, second = write_archive(tmp_path / "one"), write_archive(tmp_path / "two")
    done = run_cli(
        "--archive",
        str(first),
        "--archive",
        str(second),
        "search",
        "霍尔木兹海峡",
        "--json",
        "--limit",
        "0",
    )
    roots = {
        h["root"]
        for h in json.loads(done.stdout)["hits"]
        if h["path"] == "econ/2026-02-05-fed.md" and h["item_id"] is None
    }
    assert roots == {str(first), str(second)}


def test_an_unknown_asset_finds_nothing_and_says_so(run_cli, archive: Path) -> None:
    for args in (["asset:黄", "降息"], ["降息", "--asset", "黄"]):
        done = run_cli("--archive", str(archive), "search", *args, "--json")
        assert done.returncode == 0, done.stderr
        assert json.loads(done.stdout)["total"] == 0
        notices = [line for line in done.stderr.splitlines() if "asset" in line]
        assert notices == [
            "digest-tui: notice: 黄 is not a known asset, so asset:黄 matches "
            "nothing (`digest-tui assets` lists the assets)"
        ]
    known = run_cli("--archive", str(archive), "search", "asset:金价", "--json")
    assert json.loads(known.stdout)["total"] >= 1 and "notice" not in known.stderr


def test_summary_line_counts_posts_in_words() -> None:
    from digest_tui.index.library import UpdateReport
    from digest_tui.tui.cli.updating import summary_line

    assert summary_line(UpdateReport(added=1, rebuilt=True, took_s=0.25)) == (
        "rebuilt the index: 1 post (1 added, 0 changed, 0 removed) in 0.2 s"
    )
    assert summary_line(UpdateReport(changed=1, removed=2, unchanged=3, took_s=1.0)) == (
        "indexed 4 posts (0 added, 1 changed, 2 removed) in 1.0 s"
    )
    assert summary_line(UpdateReport(cancelled=True, took_s=3.0)) == (
        "indexing stopped after 3.0 s"
    )


def test_a_hit_on_a_terminal_is_styled_text_never_markup() -> None:
    """Post text that looks like Rich markup is printed as written; only the matches are
    highlighted, at their offsets in the snippet."""
    from digest_tui.index.model import SearchHit
    from digest_tui.tui.cli.search import render_hit
    from rich.console import Console

    snippet = "[bold red]黄金[/] 涨 [link=file:///etc]黄金[/link]"
    found = [snippet.index("黄金"), snippet.rindex("黄金")]
    hit = SearchHit(
        "econ/[x].md",
        "/r",
        "2026-02-05",
        "[red]标题[/red]",
        "01-abc",
        "[blink]条目",
        ("[i]宏观",),
        1.0,
        snippet,
        tuple((at, at + 2) for at in found),
    )
    text = render_hit(hit)
    assert text.plain.count("[bold red]黄金[/]") == 1 and "[red]标题[/red]" in text.plain
    assert "[blink]条目" in text.plain and "› [i]宏观" in text.plain
    starts = [text.plain.index(snippet) + at for at in found]
    marked = [(span.start, span.end) for span in text.spans if span.style == "bold reverse"]
    assert marked == [(start, start + 2) for start in starts]
    assert all(text.plain[a:b] == "黄金" for a, b in marked)
    console = Console(force_terminal=True, color_system="standard", width=200)
    with console.capture() as captured:
        console.print(text)
    out = captured.get()
    assert "[bold red]\x1b[1;7m黄金\x1b[0m[/]" in out and "[link=file:///etc]\x1b[1;7m" in out


def test_a_mistyped_option_is_named_as_an_unknown_option(run_cli, archive: Path) -> None:
    done = run_cli("--archive", str(archive), "search", "黄金", "--limt", "3")
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("digest-tui: error: ")
    assert "no such option" in lines[0].lower() and "--limt" in lines[0], lines
    assert "--limit" in lines[0]  # the likely meant one
    still = run_cli("--archive", str(archive), "search", "降息", "-美元", "--limit", "3")
    assert still.returncode == 0, still.stderr
