"""`index`, `search`, `tags` and `assets` over a hostile archive: everything readable is
found, nothing skipped is, no output carries an injected sequence, bad queries are usage
errors."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest
from conftest import console_script
from digest_tui.index.library import Library
from digest_tui.index.paths import Config, Roots
from digest_tui.tui.cli.main import main
from hostile import iter_forbidden, make_hostile_archive, snapshot

pytestmark = pytest.mark.timeout(90)


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory):
    return make_hostile_archive(tmp_path_factory.mktemp("search") / "root", huge_bytes=1_200_000)


@pytest.fixture(scope="module")
def cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One index cache for the module (built by the first test that runs `index`)."""
    return tmp_path_factory.mktemp("search-cache")


def cli(hostile, cache: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "XDG_CACHE_HOME": str(cache), "COLUMNS": "400"}
    return subprocess.run(
        [console_script(), "--archive", str(hostile.root), *args],
        capture_output=True,
        env=env,
        timeout=80,
    )


@pytest.fixture
def cli_here(
    hostile, cache: Path, capfdbinary: pytest.CaptureFixture[bytes], monkeypatch: pytest.MonkeyPatch
):
    """The command line in this process (the console script's code without its start-up
    time), sharing the module's index; output captured at the file descriptors."""
    monkeypatch.setenv("COLUMNS", "400")
    monkeypatch.setenv("XDG_CACHE_HOME", str(cache))

    def run(*args: str) -> subprocess.CompletedProcess[bytes]:
        capfdbinary.readouterr()
        status = main(["--archive", str(hostile.root), *args])
        out, err = capfdbinary.readouterr()
        return subprocess.CompletedProcess(args, status, out, err)

    return run


def assert_clean(result: subprocess.CompletedProcess[bytes]) -> tuple[str, str]:
    for name, data in (("stdout", result.stdout), ("stderr", result.stderr)):
        leaked = list(iter_forbidden(data))
        assert not leaked, f"{name} carries injected sequences: {leaked}"
    out, err = result.stdout.decode("utf-8"), result.stderr.decode("utf-8")
    assert "Traceback" not in err
    return out, err


def test_index_then_search_finds_exactly_what_is_readable(hostile, cache: Path) -> None:
    before = snapshot(hostile.root)
    result = cli(hostile, cache, "index")
    assert result.returncode == 0, result.stderr.decode(errors="replace")[-3000:]
    _, err = assert_clean(result)
    for line in err.splitlines():
        assert line.startswith(
            ("digest-tui: warning: ", "digest-tui: notice: ", "indexed ", "rebuilt ")
        ), line
    # names that are not UTF-8 cannot be read, and say so (with the name made printable)
    assert err.count("the name is not valid UTF-8") == len(hostile.undecodable), err
    # only the binary file is undecodable (the huge post is cut at the cap, not mangled)
    undecodable = [line for line in err.splitlines() if "file is not valid UTF-8" in line]
    assert [line for line in undecodable if "binary.md" not in line] == [], undecodable
    query = " OR ".join(hostile.tokens)
    result = cli(hostile, cache, "search", "--json", "--limit", "0", query)
    assert result.returncode == 0, result.stderr.decode(errors="replace")[-3000:]
    out, _ = assert_clean(result)
    hits = json.loads(out)["hits"]
    assert {hit["path"] for hit in hits} == set(hostile.tokens.values())
    result = cli(
        hostile, cache, "search", "--json", "--limit", "0", " OR ".join(hostile.absent_tokens)
    )
    assert result.returncode == 0
    assert json.loads(result.stdout)["hits"] == []
    assert snapshot(hostile.root) == before


def test_every_token_finds_its_own_post(
    hostile, cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """In-process, one query per token: each finds the post it was written into."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(cache))
    library = Library(Roots((hostile.root,), "--archive"), Config())
    try:
        report = library.update()
        assert not report.rebuilt or report.notice is None
        for token, rel in hostile.tokens.items():
            found = {hit.path for hit in library.search(token, limit=0).hits}
            assert rel in found, f"{token} did not find {rel}: {found}"
        for token in hostile.absent_tokens:
            assert library.search(token, limit=0).total == 0, token
    finally:
        library.close()


def test_search_output_is_literal_and_clean(cli_here) -> None:
    result = cli_here(
        "search",
        "--limit",
        "0",
        "hxmarkupa OR hxmarkupf OR "
        "hxescosc52 OR hxescclear OR hxescrlo OR hxcontrols OR hxescraw OR 标题 OR 条目",
    )
    assert result.returncode == 0, result.stderr.decode(errors="replace")[-3000:]
    out, _ = assert_clean(result)
    assert "[@click=app.quit]q[/] hxmarkupa" in out
    assert "[/] hxmarkupf" in out
    assert "␛]52;c;SE9TVElMRQ==␇" in out
    result = cli_here("search", "--json", "--limit", "0", "hxescrlo OR hxcontrols")
    out, _ = assert_clean(result)
    for hit in json.loads(out)["hits"]:
        for start, end in hit["highlights"]:
            assert 0 <= start <= end <= len(hit["snippet"])


def test_tags_and_assets_are_clean(cli_here) -> None:
    for command in (["tags"], ["tags", "--json"], ["assets"], ["assets", "--json"]):
        result = cli_here(*command)
        assert result.returncode == 0, result.stderr.decode(errors="replace")[-3000:]
        out, _ = assert_clean(result)
        if "--json" in command:
            assert isinstance(json.loads(out), list)
    out, _ = assert_clean(cli_here("tags"))
    assert "[bold red]red[/bold red]" in out and "␛]52;c;SE9TVElMRQ==␇tag" in out


@pytest.mark.parametrize(
    "query",
    ["NOT OR foobar", "NOT NOT NOT", '"', "tag:", "date:2026-02-30..", "\x1b]52;c;eA==\x07 NOT"],
)
def test_malformed_queries_are_one_line_usage_errors(cli_here, query: str) -> None:
    result = cli_here("search", query)
    _, err = assert_clean(result)
    assert result.returncode == 2, err
    assert len(err.strip().splitlines()) == 1 and err.startswith("digest-tui: error: ")


def test_punctuation_only_query_is_a_search_not_a_crash(cli_here) -> None:
    result = cli_here("search", "--json", "((")
    out, _ = assert_clean(result)
    assert result.returncode == 0 and json.loads(out)["query"] == "(("
