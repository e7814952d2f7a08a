"""Impacts in every form the digests write them: target, stance, horizon and assets."""

from __future__ import annotations

import pytest
from digest_tui.index.model import Impact
from digest_tui.index.parse.assets import AssetTable
from digest_tui.index.parse.impacts import ImpactReader, find_stance
from digest_tui.index.parse.post import parse_text


def impacts_of(lines: str) -> list[Impact]:
    post = parse_text(
        f"---\ntitle: t\n---\n## 条目\n\n正文。\n\n**影响：**\n{lines}\n", root="/r", path="p.md"
    )
    return list(post.items[0].impacts)


def summary(impacts: list[Impact]) -> list[tuple[str, tuple[str, ...], str, str | None]]:
    return [(i.target, i.assets, i.stance, i.horizon) for i in impacts]


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("- 对股市：利多。资金面宽松。", ("股市", ("股市",), "bullish", None)),
        ("- **对美元**：利空。供给增加。", ("美元", ("美元",), "bearish", None)),
        ("- **黄金：** 利多，避险需求上升。", ("黄金", ("黄金",), "bullish", None)),
        ("- 石油：供给充足，区间震荡。", ("石油", ("原油",), "unknown", None)),
        ("- **原油（利多）：** 库存下降。", ("原油", ("原油",), "bullish", None)),
        ("- **股市（短期利空）**：估值承压。", ("股市", ("股市",), "bearish", "short")),
        ("- **利多日元**：利差收窄。", ("日元", ("日元",), "bullish", None)),
        (
            "- **黄金、白银短期承压**：风险偏好回升。",
            ("黄金、白银", ("黄金", "白银"), "leaning_bearish", "short"),
        ),
        ("- **长期利空美元信用**：独立性受损。", ("美元信用", ("美元",), "bearish", "long")),
        ("- **对黄金/白银**：利多。", ("黄金/白银", ("黄金", "白银"), "bullish", None)),
        ("- 对美元指数：短期承压", ("美元指数", ("美元",), "leaning_bearish", "short")),
        ("- **债市**：短期利多，但长端承压。", ("债市", ("债券",), "mixed", "short")),
        (
            "- 对美股：短期利空（估值偏高）与利多（降息）交织",
            ("美股", ("美股", "股市"), "mixed", "short"),
        ),
        ("- 黄金：利多——避险需求上升。", ("黄金", ("黄金",), "bullish", None)),
        ("- **金价：短期利多，中期看实际利率**", ("金价", ("黄金",), "bullish", "short")),
        (
            "- 对科技股：中性偏多。限制或放松。",
            ("科技股", ("科技股", "股市"), "leaning_bullish", None),
        ),
        ("- 对原油：中性偏空。", ("原油", ("原油",), "leaning_bearish", None)),
        ("- 对黄金：中性。", ("黄金", ("黄金",), "neutral", None)),
        ("- 对黄金：中性偏高。", ("黄金", ("黄金",), "leaning_bullish", None)),
        ("- 对通胀：温和利空。", ("通胀", ("通胀",), "leaning_bearish", None)),
        ("- 对加密货币：间接利多。", ("加密货币", ("加密货币",), "leaning_bullish", None)),
        ("- 对股市：结构性利好。", ("股市", ("股市",), "leaning_bullish", None)),
        ("- 对债券：严重利空。", ("债券", ("债券",), "bearish", None)),
        ("- 对日元：偏空。", ("日元", ("日元",), "leaning_bearish", None)),
        ("- 对比特币：利好（资金流入）", ("比特币", ("比特币", "加密货币"), "bullish", None)),
        ("- 对美元：走强，因降息推迟。", ("美元", ("美元",), "bullish", None)),
        ("- 对美元：金价上涨暗示信用受质疑。", ("美元", ("美元",), "unknown", None)),
    ],
)
def test_impact_bullet_forms(line: str, expected: tuple) -> None:
    assert summary(impacts_of(line)) == [expected]


def test_stance_first_gives_one_impact_per_target() -> None:
    impacts = impacts_of("- **利多：** 黄金、白银、原油")
    assert summary(impacts) == [
        ("黄金", ("黄金",), "bullish", None),
        ("白银", ("白银",), "bullish", None),
        ("原油", ("原油",), "bullish", None),
    ]
    assert all(i.text == "利多：黄金、白银、原油" for i in impacts)


def test_stance_first_targets_keep_their_brackets_together() -> None:
    impacts = impacts_of("- 利多：贵金属板块（黄金、白银开采企业）、矿业股")
    # the brackets qualify the target: not part of it, but its assets come from them
    assert [i.target for i in impacts] == ["贵金属板块", "矿业股"]
    assert impacts[0].assets == ("黄金", "白银")


@pytest.mark.parametrize("label", ["投资启示", "操作策略", "投资提示", "💡 投资建议"])
def test_an_advice_line_among_impact_lines_is_advice(label: str) -> None:
    """Every spelling the labels know as advice, written as a line of the impacts, is the
    item's advice, not an impact on a target named `操作策略`."""
    post = parse_text(
        f"---\ntitle: t\n---\n## 条目\n\n正文。\n\n**影响：** 对黄金：利多。\n"
        f"{label}：逢低布局。\n",
        root="/r",
        path="p.md",
    )
    item = post.items[0]
    assert summary(list(item.impacts)) == [("黄金", ("黄金",), "bullish", None)]
    assert item.advice == "逢低布局。"


def test_prose_impacts_are_split_into_clauses() -> None:
    impacts = impacts_of("能源板块受益，航运股承压。")
    assert summary(impacts) == [
        ("能源板块", ("能源",), "bullish", None),
        ("航运股", ("航运",), "leaning_bearish", None),
    ]
    assert [i.text for i in impacts] == ["能源板块受益", "航运股承压"]


def test_prose_clause_without_a_target_takes_the_sentence_subject() -> None:
    impacts = impacts_of("对黄金而言，避险需求提供支撑，但获利了结带来压力。")
    assert summary(impacts) == [
        ("黄金", ("黄金",), "leaning_bullish", None),
        ("黄金", ("黄金",), "leaning_bearish", None),
    ]


def test_prose_stance_first_clause() -> None:
    impacts = impacts_of("短期利好黄金、原油等避险资产。")
    assert summary(impacts) == [("黄金、原油等避险资产", ("黄金", "原油"), "bullish", "short")]


def test_prose_without_a_stance_is_one_unknown_impact() -> None:
    impacts = impacts_of("局势仍不明朗，需要继续观察。")
    assert summary(impacts) == [("", (), "unknown", None)]
    assert impacts[0].text == "局势仍不明朗，需要继续观察。"


def test_label_naming_a_target_gives_prose_its_target() -> None:
    post = parse_text(
        "---\ntitle: t\n---\n## 条目\n\n**对黄金的影响：** 短期波动加大。\n", root="/r", path="p.md"
    )
    assert summary(list(post.items[0].impacts)) == [("黄金", ("黄金",), "unknown", "short")]


def test_impact_bullets_with_sub_bullets_keep_their_words() -> None:
    impacts = impacts_of("- **对股市**：利多。\n  - 科技股领涨\n  - 成交放大")
    assert summary(impacts) == [("股市", ("股市",), "bullish", None)]
    assert "科技股领涨" in impacts[0].text and "成交放大" in impacts[0].text


def test_impact_lines_written_as_one_paragraph() -> None:
    impacts = impacts_of("**黄金：** 利多。  \n**美元：** 利空。")
    assert summary(impacts) == [
        ("黄金", ("黄金",), "bullish", None),
        ("美元", ("美元",), "bearish", None),
    ]


def test_every_impact_bullet_is_taken_and_audience_bullets_are_fields() -> None:
    lines = ["- **对普通人**：交互更自然。", "- 对开发者：门槛降低。", "- 农产品供应链可能中断"]
    post = parse_text(
        "---\ntitle: t\n---\n## 条目\n\n正文。\n\n**影响：**\n" + "\n".join(lines) + "\n",
        root="/r",
        path="p.md",
    )
    [item] = post.items
    # what the news means for a reader is no market view: a field each, not an impact
    assert [(i.target, i.stance) for i in item.impacts] == [("农产品", "unknown")]
    assert [(f.label, f.text) for f in item.fields] == [
        ("对普通人", "交互更自然。"),
        ("对开发者", "门槛降低。"),
    ]


@pytest.mark.parametrize(
    ("text", "stance"),
    [
        ("中性偏多", "leaning_bullish"),
        ("偏多", "leaning_bullish"),
        ("温和利多", "leaning_bullish"),
        ("间接利多", "leaning_bullish"),
        ("结构性利好", "leaning_bullish"),
        ("中性偏高", "leaning_bullish"),
        ("中性", "neutral"),
        ("中性偏空", "leaning_bearish"),
        ("偏空", "leaning_bearish"),
        ("温和利空", "leaning_bearish"),
        ("承压", "leaning_bearish"),
        ("利空", "bearish"),
        ("严重利空", "bearish"),
        ("利多", "bullish"),
        ("利好", "bullish"),
        ("短期利空，中期利多", "mixed"),
        ("不利好", "leaning_bearish"),
        ("没有方向", None),
    ],
)
def test_contract_stance_words_longest_first(text: str, stance: str | None) -> None:
    hit = find_stance(text)
    assert (hit.stance if hit else None) == stance


def test_reader_used_directly_on_prose() -> None:
    reader = ImpactReader(AssetTable.load(None))
    impacts = reader.from_prose("利空全球风险资产（尤其是美股），利多美元。")
    assert [(i.target, i.stance) for i in impacts] == [
        ("全球风险资产", "bearish"),
        ("美元", "bullish"),
    ]


# -- found while reviewing the sample posts by hand (tests/expected/REVIEW.md) ---------------


def test_a_divergence_word_does_not_override_a_stated_stance() -> None:
    assert summary(impacts_of("- **英镑：** 利好，两国政策分化推动英镑走强。")) == [
        ("英镑", ("英镑",), "bullish", None)
    ]
    assert summary(impacts_of("- 对港股：分化。")) == [("港股", ("港股", "股市"), "mixed", None)]


@pytest.mark.parametrize(
    ("line", "horizon"),
    [
        ("- **铜：** 利空，短线趋势转弱。", "short"),  # a clause that opens with the horizon
        ("- **铜：** 利多，需求仍在，但短线追高不划算。", None),  # the horizon of a caveat
        ("- 对铜：中性。短期上下两难。", "short"),  # the sentence after the stance word
        ("- 对铜：利多，相关矿企短期受益。", "short"),  # a horizon right before a stance word
        ("- 对铜：利空，冶炼厂的长期合同价下调。", None),  # a horizon inside a noun phrase
        ("- **铜（利多）：** 短期看，库存偏低；中期看，新矿投产。", "short"),
        ("- 对铜：利多，短期利多，中期也利多。", "short"),  # one direction: one impact
    ],
)
def test_horizon_is_the_one_the_stance_is_given(line: str, horizon: str | None) -> None:
    assert [i.horizon for i in impacts_of(line)] == [horizon]


def test_a_price_move_that_sets_the_scene_is_not_a_stance() -> None:
    impacts = impacts_of("- 石油：炼厂利润在油价回落后改善，开工率回升。")
    assert summary(impacts) == [("石油", ("原油",), "unknown", None)]


def test_prose_clause_with_its_own_named_subject_keeps_it() -> None:
    post = parse_text(
        "---\ntitle: t\n---\n## 条目\n\n**影响：** 电价走高，公用事业和化工股承压，"
        "LNG 运输船的即期运价随之受益。\n",
        root="/r",
        path="p.md",
    )
    impacts = list(post.items[0].impacts)
    assert summary(impacts) == [
        ("电价", (), "bullish", None),
        ("公用事业和化工股", (), "leaning_bearish", None),
        ("LNG 运输船的即期运价", ("天然气", "航运"), "bullish", None),
    ]


def test_impact_text_reads_without_the_space_after_a_bold_label() -> None:
    [impact] = impacts_of("- **黄金：** 利多，避险需求上升。")
    assert impact.text == "黄金：利多，避险需求上升。"
