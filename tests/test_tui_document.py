"""The detail pane's documents: CJK-aware wrapping, our markdown renderer, the budget."""

from __future__ import annotations

import datetime as dt

import pytest
from digest_tui.index.model import Impact, Item, Post
from digest_tui.index.parse.post import parse_text
from digest_tui.tui.detail.document import Block, Document, find_matches, layout, query_spans
from digest_tui.tui.detail.documents import (
    impact_line,
    impact_words,
    item_document,
    post_document,
)
from digest_tui.tui.detail.markdown_blocks import LinkNumbers, markdown_blocks
from rich.cells import cell_len
from textual.content import Content

TEXT = (
    "美联储理事公开支持12月降息，市场定价概率升至72%。Gold rose to a record of 5,000 dollars…“引号”"
)


def make_item(**changes: object) -> Item:
    fields: dict[str, object] = dict(
        id="i1",
        title="金价再创新高",
        section=("贵金属",),
        link="https://example.com/gold",
        time="2026-03-01 09:30",
        points=("现货黄金升至每盎司5100美元。",),
        analysis="降息预期升温，资金流入黄金 ETF。",
        impacts=(
            Impact("黄金", ("黄金",), "bullish", "short", "黄金：利多，避险需求升温。"),
            Impact("美元指数", ("美元",), "leaning_bearish", None, "美元承压。"),
        ),
        advice="逢低布局。",
        fields=(),
        text="",
        markdown="",
    )
    fields.update(changes)
    return Item(**fields)  # type: ignore[arg-type]


def make_post(*items: Item, **changes: object) -> Post:
    fields: dict[str, object] = dict(
        path="p.md",
        root="/r",
        date=dt.date(2026, 3, 1),
        title="三月开局：金价走强",
        category="经济日报",
        tags=("经济日报", "宏观"),
        summary=("金价走高", "美元走弱"),
        warnings=(),
        items=items,
    )
    fields.update(changes)
    return Post(**fields)  # type: ignore[arg-type]


def shown(document: Document, width: int = 200) -> str:
    """What the detail pane shows for `document`, bullets included."""
    return "\n".join(line.plain for line in layout(document, width).lines)


def test_wrapped_lines_never_exceed_the_width_and_keep_every_character() -> None:
    doc = Document((Block(Content(TEXT * 3), indent=2, bullet=Content("• ")),))
    for width in (12, 23, 40, 77):
        lines = layout(doc, width).lines
        assert all(line.cell_length <= width for line in lines), width
        rebuilt = "".join(line.plain[4:] for line in lines)
        assert rebuilt.replace(" ", "") == (TEXT * 3).replace(" ", "")


def test_lines_break_between_chinese_characters_but_not_inside_latin_words() -> None:
    lines = [line.plain for line in layout(Document((Block(Content(TEXT)),)), 20).lines]
    assert lines[0] == "美联储理事公开支持12"
    for word in ("Gold", "record", "5,000", "dollars"):
        assert any(word in line for line in lines), (word, lines)
    assert not any(line.startswith(("，", "。")) for line in lines)


def test_continuation_lines_hang_under_the_bullet() -> None:
    lines = layout(Document((Block(Content("黄金" * 30), bullet=Content("▲ ")),)), 20).lines
    assert lines[0].plain.startswith("▲ 黄金")
    assert all(line.plain[:2] == "  " and line.plain[2] in "黄金" for line in lines[1:])


def test_search_matches_follow_the_search_rules() -> None:
    doc = Document((Block(Content("AI 日报 said: gold 黄金价格 GOLD")),))
    spans = find_matches(doc, query_spans("gold 黄金 -美元"))
    assert [doc.blocks[0].content.plain[s:e] for _b, s, e in spans] == ["gold", "黄金", "GOLD"]
    assert find_matches(doc, query_spans("ai")) == [(0, 0, 2)]  # not the "ai" in "said"
    assert query_spans("NOT OR x") is None


def test_markdown_never_renders_raw_html_and_numbers_every_link() -> None:
    links = LinkNumbers()
    blocks, notice = markdown_blocks(
        "正文 [来源](https://example.com/a) 和 [坏链接](javascript:alert(1))\n\n"
        "<script>alert(1)</script>\n\n![图](https://example.com/i.png)\n",
        links,
    )
    text = "\n".join(b.content.plain for b in blocks)
    assert notice is None
    assert "<script>" not in text and "HTML not shown" in text
    assert "来源[1]" in text and "[image: 图][2]" in text
    assert links.urls == ["https://example.com/a", "https://example.com/i.png"]


def test_markdown_lists_tables_and_code_keep_their_shape() -> None:
    blocks, _ = markdown_blocks(
        "- 一\n  - 二\n\n| 资产 | 观点 |\n|---|---|\n| 黄金 | 利多 |\n\n```\ncode line\n```\n",
        LinkNumbers(),
    )
    shown = [(b.indent, (b.bullet.plain if b.bullet else ""), b.content.plain) for b in blocks]
    assert (0, "• ", "一") in shown and (2, "• ", "二") in shown
    assert any("资产 │ 观点" in text for _i, _b, text in shown)
    assert any(text == "code line" for _i, _b, text in shown)


@pytest.mark.timeout(30)  # a hang guard, not a speed test (bench_layout.py measures that)
def test_posts_too_slow_to_lay_out_become_plain_text_with_a_notice() -> None:
    table = "| " + " | ".join(f"c{i}" for i in range(40)) + " |\n|" + "---|" * 40 + "\n"
    table += ("| " + " | ".join("格" for _ in range(40)) + " |\n") * 200
    for source in (table, "长" * 1_000_000, "段落。\n\n" * 6000):
        blocks, notice = markdown_blocks(source, LinkNumbers())
        lines = layout(Document(tuple(blocks)), 80).lines
        assert notice and notice.startswith("Shown as plain text")
        assert all(line.cell_length <= 80 for line in lines[:50])


def test_impact_words_drop_the_target_and_stance_they_repeat() -> None:
    assert (
        impact_words(Impact("黄金", ("黄金",), "bullish", None, "黄金： 利多，金价走高。"))
        == "金价走高。"
    )
    assert (
        impact_words(Impact("原油", (), "neutral", None, "对原油：中性。库存下降。"))
        == "库存下降。"
    )
    assert impact_words(Impact("美股", (), "unknown", None, "影响有限")) == "影响有限"


def test_an_inferred_stance_has_its_own_look() -> None:
    """A stance read from the words shows `≈` before its label and a dimmed glyph, so a
    reader can tell it from a stated one (also without colour)."""
    stated = Impact("航空板块", (), "bullish", None, "航空板块：利多，成本下降。")
    inferred = Impact("航空板块", (), "bullish", None, "航空板块：燃油成本下降，直接受益", True)
    for colour in (True, False):
        stated_bullet, stated_text = impact_line(stated, "cn", colour)
        bullet, text = impact_line(inferred, "cn", colour)
        assert "≈ 利多" in text.plain and "≈" not in stated_text.plain
        assert "利多" in stated_text.plain
        assert bullet.plain == stated_bullet.plain == "▲ "
        styles = " ".join(str(span.style) for span in bullet.spans)
        stated_styles = " ".join(str(span.style) for span in stated_bullet.spans)
        assert "dim" in styles and "dim" not in stated_styles


def test_item_document_shows_every_part_once_in_reading_order() -> None:
    item = make_item(
        rest="另有一段只在正文里出现的补充说明。\n\n- 一条[来源](https://example.com/s)\n"
    )
    plain = shown(item_document(make_post(item), item, "cn"))
    order = [
        "金价再创新高",
        "2026-03-01 09:30",
        "https://example.com/gold",
        "核心要点",
        "现货黄金升至每盎司5100美元。",
        "另有一段只在正文里出现的补充说明。",
        "• 一条来源[2]",
        "深度解读",
        "影响",
        "▲ ",
        "黄金  利多 短期  避险需求升温。",
        "投资启示",
        "Links",
    ]
    positions = [plain.index(part) for part in order]
    assert positions == sorted(positions)
    assert plain.count("降息预期升温") == 1


ECON_ITEM = """---
title: 三月开局
date: 2026-03-01
---
# 三月开局

## 贵金属

### [金价再创新高](https://example.com/gold)

正文里才有的补充说明。

- **时间：** 2026-03-01 09:30
- **核心要点：**
  - 现货黄金升至每盎司5100美元。

### 深度解读 & 洞察

降息预期升温，资金流入黄金 ETF。

**影响：**

- **黄金：** 利多，避险需求升温。
"""


def test_a_parsed_item_shows_its_labels_once_and_the_report_before_the_analysis() -> None:
    post = parse_text(ECON_ITEM, root="/r", path="p.md")
    item = post.items[0]
    plain = shown(item_document(post, item, "cn"))
    lines = plain.splitlines()
    assert lines[0] == "金价再创新高"
    for part in (
        "降息预期升温",
        "核心要点",
        "现货黄金升至每盎司5100美元。",
        "避险需求升温",
        "2026-03-01 09:30",
    ):
        assert plain.count(part) == 1, part
    assert "洞察" not in plain  # the label heading is the analysis's, shown as 深度解读
    report = plain.index("正文里才有的补充说明。")
    assert plain.index("现货黄金升至") < plain.index("深度解读")
    assert report < plain.index("深度解读") < plain.index("避险需求升温")


FACTS_ITEM = """---
title: 测试
date: 2026-03-01
---
## 美联储

### 提名新主席

**核心事实：**
- 正式宣布提名。
- 参议院将举行听证。

**深度解读 & 洞察：**

政策转向预期升温。

**影响：**

- 对美元：利多，利率维持高位。
- **对普通人**：房贷利率或维持高位。
"""


def test_labelled_facts_are_shown_as_the_report_before_the_analysis_and_only_once() -> None:
    post = parse_text(FACTS_ITEM, root="/r", path="p.md")
    item = post.items[0]
    plain = shown(item_document(post, item, "cn"))
    assert plain.count("核心事实") == 1 and plain.count("参议院将举行听证。") == 1
    facts = plain.index("核心事实")
    assert facts < plain.index("• 正式宣布提名。") < plain.index("• 参议院将举行听证。")
    assert plain.index("参议院将举行听证。") < plain.index("深度解读") < plain.index("利率维持高位")
    # a field addressed to a reader, after the impacts, stays after them
    assert plain.index("利率维持高位") < plain.index("对普通人") < plain.index("房贷利率")


def test_post_document_groups_impacts_by_asset() -> None:
    post = make_post(make_item(), make_item(id="i2", title="美元走弱"))
    plain = shown(post_document(post, "cn"))
    assert "#经济日报" in plain and "• 金价走高" in plain
    gold = plain.index("黄金  ▲▲")
    assert plain.index("▲ 利多  金价再创新高", gold) < plain.index("▲ 利多  美元走弱", gold)
    assert "美元  ▽▽" in plain


def test_untrusted_titles_are_text_not_markup() -> None:
    title = "[@click=app.quit]x[/] [/] [bold]b[/bold]"
    item = make_item(title=title)
    doc = item_document(make_post(item, title=title), item, "cn")
    assert doc.blocks[0].content.plain == title
    assert post_document(make_post(item, title=title), "cn").blocks[0].content.plain == title
    assert cell_len(title) == len(title)


def test_a_bullet_addressed_to_a_reader_shows_as_a_field_not_an_impact() -> None:
    post = parse_text(
        "---\ntitle: t\n---\n## 新模型发布\n\n正文。\n\n**影响：**\n- 芯片股：利多。\n"
        "- **对开发者**：门槛降低，可快速搭建应用。\n",
        root="/r",
        path="p.md",
    )
    item = post.items[0]
    lines = shown(item_document(post, item, "cn")).splitlines()
    heading = lines.index("对开发者")
    assert lines[heading + 1].strip() == "门槛降低，可快速搭建应用。"
    under_impacts = [line for line in lines[lines.index("影响") + 1 : heading] if line.strip()]
    assert len(under_impacts) == 1 and "芯片股" in under_impacts[0]  # no impact on 开发者


REPORTED_FACTS = """---
title: 早报
date: 2026-03-01
category: 经济日报
---
## 贵金属

### 金价创新高

- **时间：** 2026-03-01 09:30
- **现货表现：** 白银日内暴涨近8%
- **期货市场：**  纽约期金触及5100美元

**深度解读 & 洞察：**
- 避险需求升温。
"""


def test_a_label_ending_in_a_full_width_colon_is_not_followed_by_a_second_gap() -> None:
    """ "**现货表现：** 白银" showed as "现货表现：  白银" (the colon's own space and the one
    typed after the bold label): a double gap on almost every item of the economy daily."""
    post = parse_text(REPORTED_FACTS, root="/r", path="p.md")
    plain = shown(item_document(post, post.items[0], "cn"))
    assert "现货表现：白银日内暴涨近8%" in plain, plain
    assert "期货市场：纽约期金触及5100美元" in plain, plain
    assert "时间：" not in plain  # the time is the item's, shown under its title
    assert "： " not in plain, plain
