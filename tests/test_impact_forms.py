"""The impact forms of issue 9: grouped targets, notes in brackets, labels that are no
impacts, clause targets, stances read from the words, horizons, amounts, joined targets,
summary tables and aliases. Fixture: tests/fixtures/parse/impact_forms.md (our own writing)."""

from __future__ import annotations

from pathlib import Path

import pytest
from digest_tui.index.model import Impact, Item
from digest_tui.index.parse.assets import AssetTable
from digest_tui.index.parse.post import parse_text
from digest_tui.index.paths import load_config

FIXTURE = Path(__file__).parent / "fixtures" / "parse" / "impact_forms.md"


def fixture_items() -> list[Item]:
    return list(parse_text(FIXTURE.read_text(encoding="utf-8"), root="/r", path="f.md").items)


def impacts_of(lines: str, assets: AssetTable | None = None) -> list[Impact]:
    post = parse_text(
        f"---\ntitle: t\n---\n## 条目\n\n正文。\n\n**影响：**\n{lines}\n",
        root="/r",
        path="p.md",
        assets=assets,
    )
    return list(post.items[0].impacts)


def seen(impacts: list[Impact]) -> list[tuple[str, tuple[str, ...], str, bool, str | None]]:
    return [(i.target, i.assets, i.stance, i.inferred, i.horizon) for i in impacts]


def test_fixture_reads_as_checked_by_hand() -> None:
    grouped, prose, table = fixture_items()
    assert seen(list(grouped.impacts)) == [
        ("铜", ("铜",), "bullish", False, None),
        ("铝等工业金属", ("铝", "大宗商品"), "bullish", False, None),
        ("家电", (), "bullish", False, None),
        ("汽车板块", (), "bullish", False, None),
        ("白银", ("白银",), "bullish", False, None),
    ]
    assert [i.text for i in grouped.impacts[:4]] == [
        "利多：铜、铝等工业金属（基建预期）",
        "利多：铜、铝等工业金属（基建预期）",
        "利多：家电、汽车板块（补贴加码）",
        "利多：家电、汽车板块（补贴加码）",
    ]
    assert grouped.advice == "逢低分批布局工业金属。"
    assert [(f.label, f.text) for f in grouped.fields] == [
        ("风险提示", "政策落地节奏可能不及预期。"),
        ("关注点", "专项债发行进度。"),
    ]
    assert seen(list(prose.impacts)) == [
        ("黄金", ("黄金",), "leaning_bullish", True, "short"),
        ("航空板块", ("航空",), "bullish", True, None),
        ("原油", ("原油",), "leaning_bearish", True, "medium"),
        ("白银", ("白银",), "bullish", True, None),
        ("铜", ("铜",), "bearish", False, "short"),
        ("铜", ("铜",), "bullish", False, "medium"),
        ("黄金", ("黄金",), "bullish", False, None),
        ("原油", ("原油",), "bullish", False, None),
        ("油价", ("原油",), "leaning_bullish", True, None),
        ("炼厂利润", (), "leaning_bearish", False, None),
        ("", (), "unknown", False, None),
        ("", (), "unknown", False, None),
    ]
    assert [(f.label, f.text) for f in prose.fields] == [
        ("对普通投资者的启示", "分散配置，控制仓位。")
    ]
    assert seen(list(table.impacts)) == [
        ("比特币", ("比特币", "加密货币"), "bearish", False, None),
        ("美元债", ("债券",), "bullish", False, None),
        ("英伟达", ("芯片股", "科技股", "股市"), "neutral", False, None),
    ]


@pytest.mark.parametrize("separator", ["；", ";"])
def test_grouped_targets_split_at_every_group_separator(separator: str) -> None:
    impacts = impacts_of(f"- **利空：** 航空股（油价上行）{separator}化工、塑料（成本抬升）")
    assert [(i.target, i.stance) for i in impacts] == [
        ("航空股", "bearish"),
        ("化工", "bearish"),
        ("塑料", "bearish"),
    ]
    assert "成本抬升" in impacts[2].text and "油价上行" not in impacts[2].text


def test_groups_with_reasons_split_at_commas_too() -> None:
    impacts = impacts_of("- 利多：黄金（避险），军工板块（订单）")
    assert [i.target for i in impacts] == ["黄金", "军工板块"]


def test_stance_after_grouped_targets() -> None:
    impacts = impacts_of("- 铜、铝（基建预期）；家电板块（补贴加码）：利多")
    assert [(i.target, i.stance, i.inferred) for i in impacts] == [
        ("铜", "bullish", False),
        ("铝", "bullish", False),
        ("家电板块", "bullish", False),
    ]


def test_a_reason_in_brackets_is_not_part_of_the_target_but_a_horizon_is_still_read() -> None:
    [note] = impacts_of("- 美元指数（财政压力）：利空。")
    assert (note.target, note.stance) == ("美元指数", "bearish")
    [horizon] = impacts_of("- 黄金（短期）：利多。")
    assert (horizon.target, horizon.stance, horizon.horizon) == ("黄金", "bullish", "short")


@pytest.mark.parametrize(
    "line",
    ["- 对投资者：分散配置。", "- 但风险仍在：估值偏高。", "- 对整个市场构成警示：杠杆过高。"],
)
def test_a_clause_or_an_audience_is_not_a_target(line: str) -> None:
    targets = [i.target for i in impacts_of(line)]
    assert "投资者" not in targets and "但风险仍在" not in targets
    assert all("构成" not in t for t in targets)


def test_the_real_target_inside_a_clause_is_taken() -> None:
    assert [i.target for i in impacts_of("- 储能板块值得关注：订单饱满。")] == ["储能板块"]
    assert [i.target for i in impacts_of("- 加密货币作为避险资产：利多")] == ["加密货币"]


@pytest.mark.parametrize(
    ("line", "stance"),
    [
        ("- 铜：需求回暖，价格走强。", "bullish"),
        ("- 铜：库存高企，需求担忧加剧。", "leaning_bearish"),
        ("- 铜：未出现明显回落。", "leaning_bullish"),  # a negated fall is no fall
        ("- 铜：需求不利。", "leaning_bearish"),  # 不利 is not 利
        ("- 铜：价格难以撼动。", "leaning_bullish"),
        ("- 铜：若需求改善，价格或走强。", "leaning_bullish"),  # a condition weakens
        ("- 铜：供需平衡，区间整理。", "unknown"),  # no direction stated
    ],
)
def test_a_stance_is_read_from_the_words_when_none_is_stated(line: str, stance: str) -> None:
    [impact] = impacts_of(line)
    assert impact.stance == stance
    assert impact.inferred is (stance != "unknown")


def test_a_stated_stance_is_never_changed_by_the_words() -> None:
    [impact] = impacts_of("- 铜：利空，尽管价格短线反弹、走强。")
    assert (impact.stance, impact.inferred) == ("bearish", False)
    [neutral] = impacts_of("- 铜：中性，上涨与下跌的理由都有。")
    assert (neutral.stance, neutral.inferred) == ("neutral", False)


def test_both_directions_in_one_bullet_are_mixed_once() -> None:
    impacts = impacts_of("- 股市：利多成长股，但利空高负债企业。")
    assert seen(impacts) == [("股市", ("股市",), "mixed", False, None)]


def test_amounts_are_not_currency_impacts() -> None:
    assets = AssetTable.load(None)
    assert assets.resolve("原油突破100美元") == ("原油",)
    assert assets.resolve("关注2300美元附近的支撑位") == ()
    assert assets.resolve("美元走弱") == ("美元",)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("比特币", ("比特币", "加密货币")),
        ("BTC", ("比特币", "加密货币")),
        ("以太坊", ("以太坊", "加密货币")),
        ("ETH", ("以太坊", "加密货币")),
        ("英伟达", ("芯片股", "科技股", "股市")),
        ("NVIDIA", ("芯片股", "科技股", "股市")),
        ("美元债", ("债券",)),  # not the dollar: the dollar's debt
        ("黄金周", ()),  # a holiday, not gold
        ("剩余航司的票价收入", ("航空",)),
    ],
)
def test_aliases_resolve_and_never_inside_a_longer_word(
    name: str, expected: tuple[str, ...]
) -> None:
    assert AssetTable.load(None).resolve(name) == expected


def test_joined_targets_that_are_not_two_assets_stay_one() -> None:
    assert [i.target for i in impacts_of("- 航运与保险：利空")] == ["航运与保险"]


def test_the_config_adds_stance_words(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text(
        '[stances]\n"强烈看好" = "bullish"\n[stances.inferred]\n"起飞" = "bullish"\n',
        encoding="utf-8",
    )
    assets = AssetTable.load(load_config(config))
    stated, inferred = impacts_of("- 黄金：强烈看好。\n- 白银：起飞。", assets)
    assert (stated.stance, stated.inferred) == ("bullish", False)
    assert (inferred.stance, inferred.inferred) == ("bullish", True)
    assert impacts_of("- 白银：起飞。")[0].stance == "unknown"  # the built-in table alone


def test_a_bad_stance_in_the_config_is_a_config_error(tmp_path: Path) -> None:
    from digest_tui.index.paths import ConfigError

    config = tmp_path / "config.toml"
    config.write_text('[stances]\n"起飞" = "upward"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="stances"):
        load_config(config)


def test_a_currency_pair_is_about_its_first_currency_not_the_dollar() -> None:
    [pair] = impacts_of("- 欧元/美元：利多，欧央行偏鹰。")
    assert (pair.target, pair.assets) == ("欧元/美元", ("欧元",))


def test_a_table_that_is_not_a_summary_of_impacts_stays_text() -> None:
    post = parse_text(
        "---\ntitle: t\n---\n## 日程\n\n正文。\n\n"
        "| 日期 | 事件 |\n|---|---|\n| 12-01 | 黄金利多 |\n",
        root="/r",
        path="p.md",
    )
    [item] = post.items
    assert item.impacts == ()
    assert "12-01" in item.text


def test_an_advice_or_note_bullet_among_impacts_is_never_an_impact() -> None:
    post = parse_text(
        "---\ntitle: t\n---\n## 条目\n\n**影响：**\n- 黄金：利多。\n- **操作建议：** 逢低布局。\n"
        "- **投资启示：** 控制仓位。\n",
        root="/r",
        path="p.md",
    )
    [item] = post.items
    assert [i.target for i in item.impacts] == ["黄金"]
    assert item.advice == "控制仓位。"
    assert [(f.label, f.text) for f in item.fields] == [("操作建议", "逢低布局。")]


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        # a stated stance said not to hold is no stance; 利好出尽 is the reverse of 利好
        ("- 铜：并非利空，需求依旧稳健。", ("unknown", False)),
        ("- 黄金：利好出尽，资金获利离场。", ("bearish", False)),
        # yields and bond prices move opposite ways
        ("- 债市：10年期收益率进一步下行。", ("leaning_bullish", True)),
        ("- 债市：收益率或大幅上行。", ("leaning_bearish", True)),
        ("- 美元：短线或延续弱势。", ("leaning_bearish", True)),
        ("- 原油：震荡偏强，库存去化。", ("leaning_bullish", True)),
    ],
)
def test_the_family_of_stance_words(line: str, expected: tuple[str, bool]) -> None:
    [impact] = impacts_of(line)
    assert (impact.stance, impact.inferred) == expected


def test_grouped_targets_with_the_stance_after_them_and_no_colon() -> None:
    impacts = impacts_of("- 铜、铝（基建）；家电（补贴）均利多")
    assert [(i.target, i.stance) for i in impacts] == [
        ("铜", "bullish"),
        ("铝", "bullish"),
        ("家电", "bullish"),
    ]
    assert impacts[2].text == "家电（补贴）均利多"


def test_a_yield_that_rises_is_bearish_for_bonds() -> None:
    impacts = impacts_of("日本国债收益率可能上行。")
    assert [(i.assets, i.stance, i.inferred) for i in impacts] == [
        (("债券",), "leaning_bearish", True)
    ]


def item_of(lines: str, assets: AssetTable | None = None) -> Item:
    post = parse_text(
        f"---\ntitle: t\n---\n## 条目\n\n正文。\n\n**影响：**\n{lines}\n",
        root="/r",
        path="p.md",
        assets=assets,
    )
    return post.items[0]


@pytest.mark.parametrize(
    ("line", "label", "text"),
    [
        ("- 对开发者：门槛降低，可快速搭建应用。", "对开发者", "门槛降低，可快速搭建应用。"),
        ("- 对普通人：日常使用更顺手，受益明显。", "对普通人", "日常使用更顺手，受益明显。"),
        ("- **对创业者：** 垂直应用迎来机会。", "对创业者", "垂直应用迎来机会。"),
        ("- 普通用户：账单可能大幅增加。", "普通用户", "账单可能大幅增加。"),
        ("- 对消费者：取暖成本上升，压力加大。", "对消费者", "取暖成本上升，压力加大。"),
        ("- 对创作者/开发者：素材更丰富。", "对创作者/开发者", "素材更丰富。"),
        ("- 企业用户：可搭建内部知识库。", "企业用户", "可搭建内部知识库。"),
        ("- 对投资者：分散配置。", "对投资者", "分散配置。"),
        ("- 求职者：岗位需求变化。", "求职者", "岗位需求变化。"),
        ("- 对学生而言：学习方式改变。", "对学生而言", "学习方式改变。"),
    ],
)
def test_a_bullet_addressed_to_an_audience_is_a_field_not_an_impact(
    line: str, label: str, text: str
) -> None:
    item = item_of(f"- 铜：利多。\n{line}")
    assert [i.target for i in item.impacts] == ["铜"]
    assert [(f.label, f.text) for f in item.fields] == [(label, text)]
    assert text in item.text  # still found by search


@pytest.mark.parametrize(
    ("line", "target", "stance"),
    [
        ("- 开发商：融资改善，利多。", "开发商", "bullish"),  # real-estate developers: a sector
        ("- 消费股：利多。", "消费股", "bullish"),
        ("- 航空公司：燃油成本下降，直接受益。", "航空公司", "bullish"),
        ("- 对消费电子：利多", "消费电子", "bullish"),
        ("- 消费板块：利空。", "消费板块", "bearish"),
        ("- 车企：利空，成本上升。", "车企", "bearish"),
        ("- 券商：利好。", "券商", "bullish"),
        ("- 人形机器人：订单增长，受益。", "人形机器人", "bullish"),
        ("- 黄金投资者：短期利空。", "黄金投资者", "bearish"),  # names a market: gold
    ],
)
def test_groups_that_move_stay_targets_even_when_they_look_like_audiences(
    line: str, target: str, stance: str
) -> None:
    item = item_of(line)
    assert [(i.target, i.stance) for i in item.impacts] == [(target, stance)]
    assert item.fields == ()


def test_an_audience_bullet_that_names_a_market_keeps_that_impact() -> None:
    [stated] = item_of("- 对投资者：利好黄金。").impacts
    assert (stated.target, stated.stance, stated.inferred) == ("黄金", "bullish", False)
    [worth] = item_of("- 投资者：储能公司值得关注。").impacts
    assert worth.target == "储能公司"


def test_the_config_adds_audiences(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text('[stances.audiences]\nwords = ["玩家"]\n', encoding="utf-8")
    assets = AssetTable.load(load_config(config))
    item = item_of("- 玩家：新作更便宜。", assets)
    assert (item.impacts, [f.label for f in item.fields]) == ((), ["玩家"])
    assert [i.target for i in item_of("- 玩家：新作更便宜。").impacts] == ["玩家"]
    config.write_text('[stances.audiences]\nwords = "玩家"\n', encoding="utf-8")
    from digest_tui.index.paths import ConfigError

    with pytest.raises(ConfigError, match="audiences"):
        load_config(config)
