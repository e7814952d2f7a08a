"""Layouts of the same digest family that the real archive has not shown yet, but later
weeks plausibly will: deeper or numbered headings, 【】 labels, emoji, arrows and tables for
impacts, headline lists. Each fixture (tests/fixtures/parse/variant_*.md) is our own writing;
test_parse_layouts.py also checks that none of their words is lost."""

from __future__ import annotations

from pathlib import Path

import pytest
from digest_tui.index.model import Item, Post
from digest_tui.index.parse.labels import classify
from digest_tui.index.parse.post import parse_text

FIXTURES = Path(__file__).parent / "fixtures" / "parse"


def parse_fixture(name: str) -> Post:
    return parse_text(
        (FIXTURES / name).read_text(encoding="utf-8"),
        root="/archive",
        path=f"econ/{name}",
        mtime=0.0,
    )


def item(post: Post, title: str) -> Item:
    found = [i for i in post.items if i.title == title]
    assert found, f"no item {title!r} in {[i.title for i in post.items]}"
    return found[0]


def impacts(entry: Item) -> list[tuple[str, tuple[str, ...], str, str | None]]:
    return [(i.target, i.assets, i.stance, i.horizon) for i in entry.impacts]


# -- headings ---------------------------------------------------------------------------------


def test_h4_items_under_h3_groups_with_h5_labels() -> None:
    post = parse_fixture("variant_levels.md")
    gold = item(post, "金价刷新年内高点")
    assert gold.section == ("全球市场", "贵金属")
    assert gold.time == "2031-05-01 09:00"
    assert impacts(gold) == [("黄金", ("黄金",), "bullish", None)]
    assert item(post, "银价跟随走高").section == ("全球市场", "贵金属")
    oil = item(post, "油价连续第三日回落")
    assert oil.section == ("全球市场", "能源")
    assert oil.analysis == "库存累积超出预期。"
    assert impacts(oil) == [("原油", ("原油",), "leaning_bearish", None)]


def test_numbered_headings_lose_their_number_in_the_title_only() -> None:
    post = parse_fixture("variant_levels.md")
    policy = [i.title for i in post.items if i.section == ("国内政策",)]
    assert policy == [
        "央行宣布下调存款准备金率",
        "财政部增发特别国债",
        "统计局公布工业数据",
        "某交易所上线新合约",
    ]
    assert item(post, "央行宣布下调存款准备金率").text.startswith("1. 央行宣布下调存款准备金率")
    assert item(post, "央行宣布下调存款准备金率").time == "2031-05-01"


def test_a_date_in_brackets_after_a_title_is_its_time() -> None:
    data = item(parse_fixture("variant_levels.md"), "统计局公布工业数据")
    assert data.time == "2031年4月30日"
    assert "（2031年4月30日）" in data.text


def test_a_source_link_after_a_title_is_the_items_link() -> None:
    contract = item(parse_fixture("variant_levels.md"), "某交易所上线新合约")
    assert contract.link == "https://example.org/new-contract"
    assert "原文" in contract.text  # the link's words stay searchable


def test_items_separated_by_asterisk_rules() -> None:
    post = parse_fixture("variant_levels.md")
    industry = [i.title for i in post.items if i.section == ("产业动态",)]
    assert industry == ["某船厂交付首艘甲醇动力货轮", "某电池企业宣布海外建厂"]


# -- labels -----------------------------------------------------------------------------------


def test_labels_in_corner_brackets() -> None:
    hike = item(parse_fixture("variant_labels.md"), "某国意外加息五十个基点")
    assert hike.time == "2031-05-02 20:00"
    assert hike.analysis == "此举意在遏制资本外流，但会加重企业融资负担。"
    assert impacts(hike) == [
        ("美元", ("美元",), "bearish", None),
        ("黄金", ("黄金",), "bullish", None),
    ]
    assert hike.advice == "短期关注汇率波动。"


def test_plain_impact_analysis_and_advice_labels() -> None:
    strike = item(parse_fixture("variant_labels.md"), "某地铜矿罢工范围扩大")
    assert impacts(strike) == [
        ("铜价", ("铜",), "bullish", None),
        ("冶炼企业", (), "leaning_bearish", None),
    ]
    assert strike.advice == "逢低布局相关资源股。"


def test_colon_outside_the_bold_and_a_date_written_in_chinese() -> None:
    retail = item(parse_fixture("variant_labels.md"), "某国公布零售数据")
    assert retail.time == "2031年5月1日 周四"
    assert impacts(retail) == [("股市", ("股市",), "bullish", None)]


def test_half_width_colons_and_a_source_after_the_time() -> None:
    port = item(parse_fixture("variant_labels.md"), "某港口恢复全面作业")
    assert port.time == "2031-05-02 08:00"
    assert [(f.label, f.text) for f in port.fields] == [("来源", "某港务局")]
    assert impacts(port) == [("航运股", ("航运",), "bullish", None)]


def test_labels_followed_by_spaces_nbsp_and_a_nested_quote() -> None:
    subsidy = item(parse_fixture("variant_labels.md"), "某城市出台购房补贴")
    assert subsidy.time == "2031-05-02"
    assert impacts(subsidy) == [("房地产", ("房地产",), "bullish", None)]
    assert subsidy.analysis == "补贴力度超出市场预期。"
    assert subsidy.advice == "关注地产链上游。"


def test_labels_after_an_emoji() -> None:
    chip = item(parse_fixture("variant_labels.md"), "某芯片公司发布新一代处理器")
    assert chip.time == "2031-05-02 10:00"
    assert chip.analysis == "行业竞争将进一步加剧。"
    assert [i.target for i in chip.impacts] == ["芯片股"]
    assert chip.advice == "关注封装测试环节。"


def test_a_bold_label_after_the_points_is_a_field_of_its_own() -> None:
    miner = item(parse_fixture("variant_labels.md"), "某矿企公布季度产量")
    assert miner.points == ("铜产量同比增长一成", "金产量持平")
    assert [(f.label, f.text) for f in miner.fields] == [("关键数据", "单位成本下降百分之三。")]


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("深度 解读 & 洞察", "analysis"),
        ("深度解读&洞察", "analysis"),
        ("深度评析", "analysis"),
        ("影响与启示", "impacts"),
        ("投资启示与建议", "advice"),
        ("投资提示", "advice"),
        ("核心要点回顾", "points"),
        ("📅 时间", "time"),
        ("2. 影响", "impacts"),
        ("风险提示", "field"),
    ],
)
def test_label_names_in_more_spellings(name: str, kind: str) -> None:
    assert classify(name)[0] == kind


def test_loose_analysis_names_only_where_a_colon_marks_a_label() -> None:
    assert classify("专家解读", loose=True)[0] == "analysis"
    assert classify("专家解读")[0] == "field"  # as a heading it may be an item's title
    post = parse_text(
        "---\ntitle: t\n---\n## 政策解读\n\n正文一。\n\n## 第二条\n\n正文二。\n",
        root="/r",
        path="p.md",
    )
    assert [i.title for i in post.items] == ["政策解读", "第二条"]


# -- impacts ----------------------------------------------------------------------------------


def test_arrows_brackets_latin_targets_and_stance_in_corner_brackets() -> None:
    vote = item(parse_fixture("variant_impacts.md"), "某国大选结果揭晓")
    assert impacts(vote) == [
        ("黄金", ("黄金",), "bullish", None),
        ("美元", ("美元",), "bearish", None),
        ("黄金", ("黄金",), "bullish", "short"),
        ("BTC", ("比特币", "加密货币"), "bearish", None),
        ("Nasdaq", ("美股", "股市"), "bullish", None),
        ("原油", ("原油",), "leaning_bearish", "medium"),
        ("航空股", ("航空",), "bearish", None),
        ("化工股", (), "bearish", None),
    ]


def test_numbered_impacts_with_emoji_markers() -> None:
    exports = item(parse_fixture("variant_impacts.md"), "某国公布出口数据")
    assert impacts(exports) == [
        ("铜", ("铜",), "bullish", None),
        ("日元", ("日元",), "bearish", None),
    ]


def test_impacts_in_tables() -> None:
    post = parse_fixture("variant_impacts.md")
    assert impacts(item(post, "某央行资产负债表扩张")) == [
        ("黄金", ("黄金",), "bullish", None),
        ("美元", ("美元",), "leaning_bearish", None),
        ("原油", ("原油",), "bearish", None),
    ]
    assert impacts(item(post, "某国监管收紧")) == [
        ("以太坊", ("以太坊", "加密货币"), "bearish", None),
        ("港股", ("港股", "股市"), "bullish", "short"),
    ]


# -- headline lists ---------------------------------------------------------------------------


def test_a_headline_list_that_names_the_posts_own_items_is_not_items_again() -> None:
    post = parse_fixture("variant_headlines.md")
    titles = [i.title for i in post.items]
    assert titles.count("某国央行降息二十五个基点") == 1
    assert titles.count("铁矿石价格连续五日下跌") == 1  # an #anchor link: contents only
    cut = item(post, "某国央行降息二十五个基点")
    assert cut.section == ("详细解读",)
    assert cut.link == "https://example.org/rate-cut"  # given by its headline
    assert item(post, "某交易所推出碳排放指数").section == ("今日要闻",)
    assert "铁矿石价格连续五日下跌" in post.text


def test_a_headlines_section_of_bold_lines_gives_one_item_per_line() -> None:
    post = parse_fixture("variant_headlines.md")
    domestic = [i.title for i in post.items if i.section == ("国内要闻",)]
    assert domestic == [
        "央行开展逆回购操作：央行开展三千亿元七天期逆回购",
        "统计局公布物价数据：四月物价同比上涨百分之零点五",
        "海关公布外贸数据：一季度出口同比增长一成",
    ]


def test_bold_numbered_lines_under_a_heading_are_items() -> None:
    post = parse_fixture("variant_headlines.md")
    quick = [i for i in post.items if i.section == ("市场速览",)]
    assert [i.title for i in quick] == ["某车企发布平价电动车", "某航司恢复国际航线"]
    assert quick[0].time == "2031-05-04"
    assert impacts(quick[0]) == [("新能源", ("新能源",), "bullish", None)]
