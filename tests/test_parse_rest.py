"""Item.rest: the markdown of an item's blocks that no part (time, points, analysis,
impacts, advice, labelled fields, the title line) took, exactly as the parser read them."""

from __future__ import annotations

from digest_tui.index.parse.post import parse_text

HEAD = "---\ntitle: 测试\ndate: 2026-03-01\n---\n# 测试\n\n"


def items(body: str):
    return parse_text(HEAD + body, root="/r", path="p.md").items


def test_labelled_parts_are_not_rest_and_other_blocks_are_in_order() -> None:
    [item] = items(
        "## 贵金属\n\n### 金价再创新高\n\n开头的一段说明。\n\n"
        "- **时间：** 09:30\n- **核心要点：**\n  - 金价升至5100美元。\n\n"
        "### 深度解读 & 洞察\n\n降息预期升温。\n\n**影响：**\n\n- **黄金：** 利多，需求升温。\n\n"
        "**技术架构：** 不是这里的词。\n\n"
    )
    assert item.analysis == "降息预期升温。" and item.points == ("金价升至5100美元。",)
    assert item.rest == "开头的一段说明。"
    assert "rest" not in item.to_json()


def test_text_outside_every_part_keeps_its_markdown() -> None:
    [item] = items(
        "## 新闻\n\n### 标题一\n\n**影响：**\n\n- 对黄金：利多。\n\n**投资启示：** 逢低布局。\n\n"
        "---\n\n<div>卡片</div>\n"
    )
    assert item.rest == ""  # a rule and raw HTML are never shown

    [item] = items(
        "## 新闻\n\n### 标题二\n\n说明：\n\n- 第一条 [来源](https://e.com/a)\n"
        "- 第二条\n    - 更细的一条\n\n| 列 | 值 |\n|---|---|\n| a | 1 |\n"
    )
    assert item.rest == (
        "说明：\n\n- 第一条 [来源](https://e.com/a)\n- 第二条\n    - 更细的一条"
        "\n\n| 列 | 值 |\n|---|---|\n| a | 1 |"
    )


def test_a_line_of_links_under_the_title_is_the_items_link_not_its_rest() -> None:
    [item] = items("## 新闻\n\n### 标题\n\n[原文](https://e.com/x)\n\n正文一段。\n")
    assert item.link == "https://e.com/x"
    assert item.rest == "正文一段。"


def test_a_bullet_item_keeps_what_its_title_line_says_beyond_the_title() -> None:
    news = items(
        "## 更多动态\n\n"
        "- 第一件事发生在今天上午；第二件事与它无关但也值得一提。\n"
        "- **[链接标题](https://e.com/y)**：后面的一句*说明*。\n"
        "- 短新闻一条\n"
    )
    assert [item.title for item in news] == ["第一件事发生在今天上午", "链接标题", "短新闻一条"]
    assert news[0].rest == "第二件事与它无关但也值得一提。"
    assert news[1].rest == "后面的一句说明。"
    assert news[2].rest == ""


def test_an_indented_nested_list_left_over_is_dedented() -> None:
    [item] = items(
        "## 新闻\n\n### 标题\n\n- **时间：** 今天\n    - 嵌套的补充一\n    - 嵌套的补充二\n"
    )
    assert item.time == "今天"
    assert item.rest == "- 嵌套的补充一\n- 嵌套的补充二"


def test_labelled_facts_before_the_commentary_are_the_report_in_source_order() -> None:
    """核心事实 / 现货表现 (free labels before 深度解读) are the news: they are in the rest, in
    source order with the item's own paragraphs, and fields after the impacts are not."""
    [item] = items(
        "## 美联储\n\n### 提名新主席\n\n开头的一段说明。\n\n**核心事实：**\n- 正式宣布提名。\n"
        "- 参议院将举行听证。\n\n- **市场反应：** 美元走强\n\n中间的一段。\n\n"
        "**深度解读 & 洞察：**\n\n政策转向预期升温。\n\n**影响：**\n\n- 对美元：利多。\n"
        "- **对普通人**：房贷利率或维持高位。\n"
    )
    assert item.rest == (
        "开头的一段说明。\n\n**核心事实：**\n- 正式宣布提名。\n- 参议院将举行听证。"
        "\n\n- **市场反应：** 美元走强\n\n中间的一段。"
    )
    labels = [(f.label, f.reported) for f in item.fields]
    assert labels == [("核心事实", True), ("对普通人", False)]
    # the contract's JSON is as before: every field, with its label and text only
    assert item.to_json()["fields"][0]["label"] == "核心事实"
    assert set(item.to_json()["fields"][0]) == {"label", "text"}


def test_a_bulleted_report_after_the_time_line_is_the_rest() -> None:
    [item] = items(
        "## 大宗商品\n\n### 白银暴涨\n\n- **时间：** 2026-02-10 07:20\n"
        "- **现货表现：** 白银日内暴涨近8%\n- **期货市场：** 期银涨停\n\n"
        "**深度解读 & 洞察：**\n- 多重因素共振\n"
    )
    assert item.time == "2026-02-10 07:20"
    assert item.rest == "- **现货表现：** 白银日内暴涨近8%\n- **期货市场：** 期银涨停"
    assert item.analysis == "多重因素共振"
