"""Every item layout the digests use, on small posts of our own (tests/fixtures/parse)."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
from digest_tui.index.model import Post
from digest_tui.index.parse.post import parse_text

FIXTURES = Path(__file__).parent / "fixtures" / "parse"


def parse_fixture(name: str) -> Post:
    return parse_text(
        (FIXTURES / name).read_text(encoding="utf-8"),
        root="/archive",
        path=f"econ/{name}",
        mtime=0.0,
    )


def titles(post: Post) -> list[str]:
    return [item.title for item in post.items]


def item(post: Post, title: str):
    return next(i for i in post.items if i.title == title)


def test_h2_items_separated_by_rules() -> None:
    post = parse_fixture("econ_h2_items.md")
    assert titles(post) == [
        "某国央行悄然扩大回购规模",
        "港口罢工推高运价",
        "某地发布新能源汽车下乡补贴细则",
        "一家芯片企业宣布扩产计划",
    ]
    first = post.items[0]
    assert first.section == ()
    assert first.time == "2031-03-04 09:15"
    assert first.analysis == "市场把这次操作看作变相宽松，流动性边际改善。"
    assert [i.target for i in first.impacts] == ["美元", "黄金/白银", "股市", "加密货币"]
    assert first.advice == "逢低关注贵金属，控制仓位。"
    # the H1 repeating the title and the group heading are the post's own text, not items
    assert "央行静默加码与商品走强" in post.text and "一般事件" in post.text
    assert post.items[2].section == ("一般事件",)


def test_h2_sections_with_h3_link_items() -> None:
    post = parse_fixture("econ_sections.md")
    strait = item(post, "海峡巡逻船对峙升级")
    assert strait.section == ("地缘局势再起波澜",)
    assert strait.link == "https://example.org/strait"
    assert strait.analysis == "这是年内第三次对峙，风险溢价明显抬升。"  # typo 洯察 still analysis
    # a bracketed title without a URL is unwrapped and has no link
    border = item(post, "边境谈判进入第二轮")
    assert border.link is None
    gold = item(post, "金价首次站上新台阶")
    assert gold.section == ("金融市场：贵金属与汇率",)
    assert "现货金价盘中刷新纪录。" in gold.text


def test_other_news_heading_bullets_are_items() -> None:
    post = parse_fixture("econ_sections.md")
    central = [i for i in post.items if i.section[-1:] == ("其他央行动态",)]
    assert [i.title for i in central] == ["某南亚央行降息五十个基点", "某北欧央行维持利率不变"]
    more = [i for i in post.items if i.section == ("更多动态",)]
    assert [i.title for i in more] == [
        "航运保险：多家保险公司上调战争险费率",
        "芯片出口：某国放宽部分芯片出口许可",
    ]
    assert "更多动态" in post.text


def test_bold_title_lines_under_a_heading_are_items() -> None:
    post = parse_fixture("econ_bold_titles.md")
    gas = item(post, "寒潮推动天然气期货大涨四成")
    assert gas.section == ("全球市场剧烈波动", "天然气价格飙升")
    assert gas.time == "2031-03-05 至 2031-03-06"
    assert [(f.label, f.text) for f in gas.fields] == [
        ("原因", "北方寒潮导致井口冻结"),
        ("价格", "期货单日上涨四成"),
    ]
    # a bold question inside the analysis is part of it, not a new item
    assert "库存偏低" in (gas.analysis or "") and "为什么会这样？" in (gas.analysis or "")
    assert gas.advice == "不宜追高，可分批配置"
    tariffs = item(post, "关税清单扩大至家电")
    ports = item(post, "港口通关恢复正常")
    assert tariffs.section == ports.section == ("全球市场剧烈波动", "其他贸易动态")
    assert (tariffs.time, ports.time) == ("2031-03-05 21:40", "2031-03-06 07:05")
    assert tariffs.analysis == "这是贸易摩擦的又一次升级。"


def test_bold_link_lines_under_h3_groups() -> None:
    post = parse_fixture("bold_links.md")
    assert titles(post) == [
        "某编辑器支持多光标补全",
        "插件市场上线评分系统",
        "终端模拟器支持图片协议",
    ]
    assert [i.link for i in post.items] == [
        "https://example.org/a",
        "https://example.org/b",
        "https://example.org/c",
    ]
    assert post.items[0].section == ("工具", "编辑器与插件")
    assert post.items[1].time == "2031-03-08"
    assert "用户可以为插件打分" in post.items[1].text
    assert "本周值得关注的编辑器更新" in post.text  # the group's intro


def test_h4_items_points_and_more_news_categories() -> None:
    post = parse_fixture("econ_points.md")
    talks = item(post, "三方会谈首日结束")
    assert talks.section == ("外交与市场", "停火谈判")
    assert talks.points == ("三方同意设立工作组", "下一轮会谈定于下周")
    assert [(f.label, f.text) for f in talks.fields] == [("核心事实", "会谈持续六小时")]
    # a bare list beside a heading that groups items: each bullet is an item
    quick = [i.title for i in post.items if i.section == ("外交与市场", "市场速写")]
    assert quick == ["欧洲股市小幅收高", "美债收益率回落"]
    # under 更多动态, a short category heading lists news; a headline heading is one item
    policy = [i.title for i in post.items if i.section == ("更多动态", "政策与监管")]
    assert policy == ["监管部门发布数字资产托管指引", "三部门联合整治虚假宣传"]
    assistant = item(post, "科技公司推出新一代语音助手并开放接口")
    assert assistant.section == ("更多动态",)
    assert "开发者可免费调用基础能力" in assistant.text


def test_ai_daily_bold_more_news_line_and_link_bullets() -> None:
    post = parse_fixture("ai_daily.md")
    model = item(post, "星河实验室开源多模态模型")
    assert [f.label for f in model.fields] == ["模型架构", "许可协议"]
    more = [i for i in post.items if i.section == ("模型与产品", "更多动态")]
    assert [(i.title, i.link) for i in more] == [
        ("某编辑器集成代码审查助手", "https://example.org/review"),
        ("语音克隆工具加入水印", "https://example.org/voice"),
    ]
    community = [i.title for i in post.items if i.section == ("开源与社区",)]
    assert community == ["轻量推理框架发布新版本", "数据标注工具开源"]
    assert "今天的主线是开源与落地" in post.text
    assert item(post, "智能体平台上线插件市场").analysis == "插件市场是平台化的关键一步。"  # 洛察


def test_ordinary_article_chapters_are_items() -> None:
    post = parse_fixture("article.md")
    assert post.category is None and post.tags == ()
    assert titles(post) == ["一、时间不是免费的", "一个例子", "写在最后"]
    assert "第一年" in item(post, "一个例子").text  # table cells are text


def test_post_without_headings_is_one_item() -> None:
    post = parse_fixture("plain.md")
    assert titles(post) == ["一段说明"]
    assert "第二段补充了一些说明" in post.items[0].text


@pytest.mark.parametrize("name", sorted(p.name for p in FIXTURES.glob("*.md")))
def test_every_word_lands_in_an_item_or_the_post_text(name: str) -> None:
    """Search relies on it: no word of the body is lost (URLs and raw HTML excepted)."""
    post = parse_fixture(name)
    body = post.body
    body = re.sub(r"(?ms)^<[a-z/][^\n]*\n(?:[^\n]+\n)*", "", body + "\n")  # raw HTML blocks
    body = html.unescape(re.sub(r"\]\([^)]*\)", "]", body))  # `&nbsp;` is a space
    words = [w for w in re.split(r"[\s#>*|`\-\[\]()（）：:，,。；;！!？?、…—/&%]+", body) if w]
    seen = re.sub(r"\s+", "", "\n".join([post.text, *(i.text for i in post.items)]))
    missing = [w for w in words if w not in seen and not re.fullmatch(r"\d+\.?", w)]
    assert missing == []
    assert "加入我们的群组" not in seen  # the trailing HTML card is not text
    assert not any("could not be parsed" in w for w in post.warnings)


def test_item_ids_are_unique_and_stable() -> None:
    first = parse_fixture("econ_sections.md")
    again = parse_fixture("econ_sections.md")
    ids = [i.id for i in first.items]
    assert len(set(ids)) == len(ids)
    assert ids == [i.id for i in again.items]


def test_item_markdown_is_its_own_source() -> None:
    post = parse_fixture("econ_h2_items.md")
    first = post.items[0].markdown
    assert first.startswith("## 某国央行悄然扩大回购规模")
    assert "> 投资启示" in first and "港口罢工" not in first
    assert post.items[2].markdown == "- 某地发布新能源汽车下乡补贴细则"


def test_variants_of_the_same_family() -> None:
    """Numbered headings, H4 label headings, impacts as a table or as sub-bullets of a
    labelled bullet, a numbered 快讯 list, a quoted intro and a closing disclaimer."""
    post = parse_fixture("econ_variants.md")
    assert titles(post) == ["央行降准", "油价跳涨", "某公司发布财报", "某机构上调评级"]
    assert post.items[0].text.startswith("1. 央行降准")  # the number stays in the text
    cut = post.items[0]
    assert (cut.time, cut.points, cut.analysis, cut.advice) == (
        "2031-03-31 18:00",
        ("降准五十个基点", "释放长期资金"),
        "流动性宽松。",
        "关注券商。",
    )
    assert [(i.target, i.stance, i.horizon) for i in cut.impacts] == [
        ("A股", "bullish", None),
        ("人民币", "leaning_bearish", "short"),
    ]
    oil = post.items[1]
    assert [(i.target, i.stance) for i in oil.impacts] == [
        ("原油", "bullish"),
        ("航空股", "bearish"),
    ]
    assert post.items[2].time == "2031-03-31 20:00"
    assert post.items[3].section == ("二、快讯",)
    assert "今日导读" in post.text and "以上不构成投资建议" in post.text
