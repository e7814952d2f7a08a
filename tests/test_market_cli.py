"""`stances`, `flips` and `brief` as a user runs them: every format, bad input, consistency."""

from __future__ import annotations

import csv
import io
import json
from collections import defaultdict
from pathlib import Path

import pytest
from market_archive import write_market_archive, write_quiet_archive

ITEM_KEYS = {
    "date",
    "path",
    "root",
    "item_id",
    "item_title",
    "asset",
    "target",
    "stance",
    "inferred",
    "score",
    "horizon",
    "text",
}
STANCE_KEYS = ["bullish", "leaning_bullish", "neutral", "mixed", "leaning_bearish", "bearish"]
PERIOD_KEYS = ["period", "asset", "net", *STANCE_KEYS, "items"]
FLIP_KEYS = [
    "asset",
    "date",
    "from",
    "to",
    "previous_date",
    "net",
    "path",
    "root",
    "item_id",
    "item_title",
    "analysis",
]


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_market_archive(tmp_path_factory.mktemp("market") / "archive")


@pytest.fixture
def market(run_cli, archive: Path):
    def run(*args: str):
        return run_cli("--archive", str(archive), *args)

    return run


def _json(done) -> list[dict]:
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_stances_by_item_json_lists_every_scored_impact(market, archive: Path) -> None:
    rows = _json(market("stances", "--json"))
    assert all(set(r) == ITEM_KEYS for r in rows)
    assert len(rows) == 11  # the unknown impact is left out
    gold = [r for r in rows if r["asset"] == "黄金"]
    assert [(r["date"], r["stance"], r["score"]) for r in gold] == [
        ("2026-02-02", "bullish", 2),
        ("2026-02-03", "leaning_bearish", -1),
        ("2026-02-05", "bullish", 2),
        ("2026-02-05", "neutral", 0),
        ("2026-02-09", "bullish", 2),
        ("2026-02-16", "mixed", 0),
    ]
    assert gold[2]["target"] == "金价" and gold[2]["root"] == str(archive)
    assert gold[2]["path"] == "econ/2026-02-05-daily.md" and gold[2]["inferred"] is False


def test_day_nets_are_the_sums_of_the_item_scores(market) -> None:
    items = _json(market("stances", "--json"))
    sums: dict[tuple[str, str], int] = defaultdict(int)
    for r in items:
        sums[(r["date"], r["asset"])] += r["score"]
    days = _json(market("stances", "--by", "day", "--json"))
    assert all(list(d) == PERIOD_KEYS for d in days)
    assert {(d["period"], d["asset"]): d["net"] for d in days} == dict(sums)
    mixed_day = next(d for d in days if d["period"] == "2026-02-16")
    assert (mixed_day["net"], mixed_day["mixed"], mixed_day["items"]) == (0, 1, 1)


def test_weeks_are_iso_weeks_and_months_sum_them(market) -> None:
    weeks = _json(market("stances", "--by", "week", "--asset", "金价", "--json"))
    assert [(w["period"], w["net"], w["items"]) for w in weeks] == [
        ("2026-W06", 3, 4),
        ("2026-W07", 2, 1),
        ("2026-W08", 0, 1),
    ]
    months = _json(market("stances", "--by", "month", "--json"))
    assert {(m["asset"], m["net"]) for m in months} == {("黄金", 5), ("原油", 2)}


def test_csv_reads_back_with_the_same_columns(market) -> None:
    done = market("stances", "--by", "week", "--csv")
    assert done.returncode == 0, done.stderr
    rows = list(csv.DictReader(io.StringIO(done.stdout)))
    assert list(rows[0]) == PERIOD_KEYS
    as_json = _json(market("stances", "--by", "week", "--json"))
    assert [{k: str(v) for k, v in r.items()} for r in as_json] == rows
    items = list(csv.DictReader(io.StringIO(market("stances", "--csv").stdout)))
    assert set(items[0]) == ITEM_KEYS and items[0]["inferred"] in ("true", "false")
    assert sum(int(r["score"]) for r in items) == 7
    flips = list(csv.DictReader(io.StringIO(market("flips", "--csv").stdout)))
    assert list(flips[0]) == FLIP_KEYS and len(flips) == 5


def test_flips_follow_the_contract_definition(market) -> None:
    flips = _json(market("flips", "--json"))
    assert all(list(f) == FLIP_KEYS for f in flips)
    assert [(f["date"], f["asset"], f["from"], f["to"]) for f in flips] == [
        ("2026-02-03", "原油", "down", "up"),
        ("2026-02-03", "黄金", "up", "down"),
        ("2026-02-05", "黄金", "down", "up"),
        ("2026-02-09", "原油", "up", "flat"),
        ("2026-02-16", "黄金", "up", "flat"),
    ]
    days = {
        (d["period"], d["asset"]): d["net"]
        for d in _json(market("stances", "--by", "day", "--json"))
    }
    sign = {True: "up", False: "down"}
    for flip in flips:
        net = days[(flip["date"], flip["asset"])]
        assert flip["net"] == net
        assert flip["to"] == ("flat" if net == 0 else sign[net > 0])
        before = days[(flip["previous_date"], flip["asset"])]
        assert flip["from"] == ("flat" if before == 0 else sign[before > 0]) != flip["to"]
    turned = flips[2]
    assert turned["item_title"] == "避险需求再起"
    assert turned["analysis"].startswith("避险需求再起：这是第一行分析")


def test_flips_in_a_range_compare_with_days_before_it(market) -> None:
    flips = _json(market("flips", "--since", "2026-02-05", "--asset", "黄金", "--json"))
    assert [(f["date"], f["previous_date"]) for f in flips] == [
        ("2026-02-05", "2026-02-03"),
        ("2026-02-16", "2026-02-09"),
    ]


def test_readable_tables(market) -> None:
    done = market("stances", "--asset", "黄金")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].split() == ["date", "asset", "stance", "score", "item"]
    assert "▽ 偏空" in lines[2] and "-1" in lines[2] and "美元反弹压制金价" in lines[2]
    week = market("stances", "--by", "week").stdout.splitlines()
    assert week[0].split()[:3] == ["week", "asset", "net"] and len(week) == 6
    flips = market("flips").stdout.splitlines()
    assert "▼ down → ▲ up" in flips[1] and len(flips) == 6


def test_brief_is_markdown_with_nets_flips_and_items(market) -> None:
    done = market("brief", "--since", "2026-02-01", "--until", "2026-02-10")
    assert done.returncode == 0, done.stderr
    text = done.stdout
    assert text.startswith("# Market brief: 2026-02-01 – 2026-02-10\n")
    assert "| 黄金 | ▲ +5 |" in text and "| 原油 | ▲ +2 |" in text
    assert "## Flips (4)" in text
    assert "[避险需求再起](https://example.com/news/2026-02-05/1)" in text
    assert "  > 避险需求再起：这是第一行分析" in text
    assert "## Most discussed items" in text
    assert "1. 2026-02-09 [OPEC+ 增产，油价承压](https://example.com/news/2026-02-09/1)" in text


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (("stances", "--by", "year"), "'year' is not one of"),
        (("stances", "--since", "2026-02-30"), "not a valid date"),
        (("flips", "--until", "yesterday"), "is not a date"),
        (("brief", "--since", "2026-03-01", "--until", "2026-02-01"), "impossible date range"),
        (("stances", "--json", "--csv"), "cannot be used together"),
    ],
)
def test_bad_input_is_a_one_line_usage_error(market, args: tuple[str, ...], words: str) -> None:
    done = market(*args)
    assert done.returncode == 2
    assert done.stdout == ""
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("digest-tui: error: ") and words in lines[0]


@pytest.mark.parametrize("fmt", [(), ("--json",), ("--csv",)])
def test_an_unknown_asset_says_so_and_yields_no_rows(market, fmt: tuple[str, ...]) -> None:
    done = market("stances", "--asset", "火星币", *fmt)
    assert done.returncode == 0
    assert done.stderr.strip() == (
        "digest-tui: notice: 火星币 is not a known asset (`digest-tui assets` lists the assets)"
    )
    if fmt == ("--json",):
        assert json.loads(done.stdout) == []
    elif fmt == ("--csv",):
        assert list(csv.reader(io.StringIO(done.stdout)))[1:] == []
    else:
        assert done.stdout == ""
    flips = market("flips", "--asset", "火星币", "--json")
    assert flips.returncode == 0 and json.loads(flips.stdout) == []


def test_an_archive_without_impacts(run_cli, tmp_path: Path) -> None:
    quiet = write_quiet_archive(tmp_path / "quiet")
    done = run_cli("--archive", str(quiet), "stances", "--by", "day", "--json")
    assert done.returncode == 0 and json.loads(done.stdout) == []
    brief = run_cli("--archive", str(quiet), "brief")
    assert "No impact on any asset in this period." in brief.stdout


def test_nets_and_flips_agree_on_a_real_archive(run_cli) -> None:
    from conftest import CORPUS, SAMPLE_POSTS

    roots = [str(p) for p in (SAMPLE_POSTS, CORPUS) if p.is_dir()]
    args = [a for root in roots for a in ("--archive", root)]
    items = _json(run_cli(*args, "stances", "--json"))
    sums: dict[tuple[str, str], int] = defaultdict(int)
    for r in items:
        sums[(r["date"], r["asset"])] += r["score"]
    days = _json(run_cli(*args, "stances", "--by", "day", "--json"))
    nets = {(d["period"], d["asset"]): d["net"] for d in days}
    assert nets == dict(sums) and len(nets) > 50
    flips = _json(run_cli(*args, "flips", "--json"))
    assert flips

    def sign(net: int) -> str:
        return "up" if net > 0 else "down" if net < 0 else "flat"

    for flip in flips:
        assert flip["to"] == sign(nets[(flip["date"], flip["asset"])])
        assert flip["from"] == sign(nets[(flip["previous_date"], flip["asset"])]) != flip["to"]
        between = [
            d for (d, a) in nets if a == flip["asset"] and flip["previous_date"] < d < flip["date"]
        ]
        assert between == []
