"""Labelled blocks of an item in every spelling: time, points, analysis, impacts, advice,
free fields; bold or plain, in lists or not, as headings, in quotes, and typos."""

from __future__ import annotations

import pytest
from digest_tui.index.model import Item
from digest_tui.index.parse.post import parse_text


def one_item(body: str) -> Item:
    post = parse_text(
        f"---\ntitle: 测试\ndate: 2031-01-02\n---\n## 条目标题\n\n{body}\n", root="/r", path="p.md"
    )
    assert len(post.items) == 1, [i.title for i in post.items]
    return post.items[0]


@pytest.mark.parametrize(
    "line",
    [
        "**时间：** 2031-01-02 08:00",
        "**时间**：2031-01-02 08:00",
        "**时间:** 2031-01-02 08:00",
        "- **时间：** 2031-01-02 08:00",
        "事件时间：2031-01-02 08:00",
        "发布时间：2031-01-02 08:00",
        "- 时间：2031-01-02 08:00",
    ],
)
def test_a_stated_time_is_captured_in_any_spelling(line: str) -> None:
    item = one_item(f"{line}\n\n正文第一段。")
    assert item.time == "2031-01-02 08:00"
    assert "正文第一段。" in item.text


def test_time_label_takes_only_its_line() -> None:
    item = one_item("事件时间：2031-01-02 至 2031-01-03\n\n这一段是正文，不是时间。")
    assert item.time == "2031-01-02 至 2031-01-03"
    assert item.analysis is None


def test_two_times_in_one_item_are_both_kept() -> None:
    item = one_item("- **时间：** 2031-01-02 08:00\n\n正文。\n\n- **时间：** 2031-01-02 20:00")
    assert item.time == "2031-01-02 08:00；2031-01-02 20:00"


def test_time_in_brackets_at_the_end_of_a_news_bullet() -> None:
    post = parse_text(
        "---\ntitle: t\n---\n## 更多动态\n\n- 某地发生地震（2031-01-02 04:43）\n",
        root="/r",
        path="p.md",
    )
    assert post.items[0].time == "2031-01-02 04:43"
    assert post.items[0].title == "某地发生地震"


@pytest.mark.parametrize(
    "label",
    [
        "**深度解读 & 洞察：**",
        "**深度解读 & 洞察**：",
        "**深度解读：**",
        "### 深度解读 & 洞察",
        "#### 深度解读",
        "**深度解读 & 洪察：**",
        "**深度解读 & 洯察：**",
        "**深度解读 & 洵察：**",
        "**深度解读 & 洢察：**",
        "**深度解读 & 洽察：**",
        "**深度解读 & 洦察：**",
        "**深度解读 & 洞陷：**",
        "**深度解读 & 洞潜：**",
        "**深度解读 & 洛察：**",
        "**深度解读 & 梦想：**",
        "**洞察：**",
        "**深度解读&洞察：**",
    ],
)
def test_analysis_label_spellings_and_typos(label: str) -> None:
    item = one_item(f"事件正文。\n\n{label}\n\n这是分析的内容。")
    assert item.analysis == "这是分析的内容。"
    assert item.fields == ()


def test_analysis_with_text_on_the_label_line() -> None:
    item = one_item("**深度解读：** 分析紧跟在标签后面。")
    assert item.analysis == "分析紧跟在标签后面。"


def test_analysis_bullets_and_emphasised_lead_ins_stay_analysis() -> None:
    item = one_item(
        "**深度解读 & 洞察：**\n\n- 第一点\n- **甲方：** 强硬\n\n**背后的逻辑是：** 双方都在试探。"
    )
    assert item.analysis == "第一点\n甲方： 强硬\n背后的逻辑是： 双方都在试探。"
    assert item.fields == ()


def test_core_points_as_a_list_item_with_sub_bullets() -> None:
    item = one_item("- **时间：** 2031-01-02\n- **核心要点：**\n  - 第一点\n  - 第二点\n\n正文。")
    assert item.points == ("第一点", "第二点")
    assert item.time == "2031-01-02"


def test_core_points_as_a_bold_label_with_a_list() -> None:
    item = one_item("**核心要点：**\n\n- 第一点\n- 第二点")
    assert item.points == ("第一点", "第二点")


@pytest.mark.parametrize(
    "block",
    [
        "> 投资启示：分批配置，控制仓位。",
        "**投资启示：** 分批配置，控制仓位。",
        "**投资建议**：分批配置，控制仓位。",
        "**影响：**\n- 对黄金：利多。\n- 投资启示：分批配置，控制仓位。",
        "**影响：**\n- **对黄金**：利多。\n- **投资启示**：分批配置，控制仓位。",
    ],
)
def test_advice_in_every_spelling(block: str) -> None:
    assert one_item(block).advice == "分批配置，控制仓位。"


@pytest.mark.parametrize(
    "block",
    [
        "### 影响\n\n- 对黄金：利多。",
        "**影响：**\n\n- 对黄金：利多。",
        "**影响**：\n- 对黄金：利多。",
        "**市场影响：**\n- 对黄金：利多。",
        "**潜在影响：**\n- 对黄金：利多。",
        "- **影响：**\n  - 对黄金：利多。",
        "> **影响：** 对黄金：利多。",
    ],
)
def test_impacts_label_spellings(block: str) -> None:
    impacts = one_item(block).impacts
    assert [(i.target, i.stance) for i in impacts] == [("黄金", "bullish")]


def test_free_labels_become_fields() -> None:
    item = one_item(
        "**核心事实：**\n- 事实一\n- 事实二\n\n**技术架构：** 编码器加解码器\n\n"
        "- **政策信号**：继续宽松"
    )
    assert [(f.label, f.text) for f in item.fields] == [
        ("核心事实", "事实一\n事实二"),
        ("技术架构", "编码器加解码器"),
        ("政策信号", "继续宽松"),
    ]


def test_a_sentence_with_a_colon_is_not_a_label() -> None:
    item = one_item("历史对比：上一次类似操作发生在五年前。")
    assert item.fields == () and item.time is None


def test_headings_among_label_headings_are_fields_of_the_item() -> None:
    post = parse_text(
        "---\ntitle: t\n---\n## 条目\n\n正文。\n\n### 背景\n\n背景说明。\n\n"
        "### 深度解读 & 洞察\n\n分析。\n\n### 影响\n\n- 对美元：利空。\n",
        root="/r",
        path="p.md",
    )
    assert [i.title for i in post.items] == ["条目"]
    only = post.items[0]
    assert [(f.label, f.text) for f in only.fields] == [("背景", "背景说明。")]
    assert only.analysis == "分析。"
    assert only.impacts[0].stance == "bearish"


def test_a_labelled_list_item_does_not_swallow_what_follows() -> None:
    item = one_item("**深度解读：**\n\n分析一。\n\n- **时间：** 2031-01-02\n\n分析二。")
    assert item.time == "2031-01-02"
    assert item.analysis == "分析一。\n分析二。"


def test_label_heading_at_the_level_of_the_items_belongs_to_the_item_before() -> None:
    post = parse_text(
        "---\ntitle: t\n---\n## 栏目\n\n### 条目甲\n\n内容。\n\n### 影响\n\n"
        "- 对黄金：利多。\n\n### 条目乙\n\n内容。\n",
        root="/r",
        path="p.md",
    )
    assert [(i.title, [x.target for x in i.impacts]) for i in post.items] == [
        ("条目甲", ["黄金"]),
        ("条目乙", []),
    ]


def test_a_closing_labelled_section_is_an_item_of_its_own() -> None:
    post = parse_text(
        "---\ntitle: t\n---\n## 栏目\n\n### 条目\n\n内容。\n\n## 投资建议\n\n分批配置。\n",
        root="/r",
        path="p.md",
    )
    assert [i.title for i in post.items] == ["条目", "投资建议"]
    assert post.items[1].advice == "分批配置。"
