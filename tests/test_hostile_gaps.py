"""Hostile archives, round two: the small gaps (issue 12.11) - `g`/`G` in the section tree."""

from __future__ import annotations

from pathlib import Path

from digest_tui.index.parse.post import parse_text
from tui_helpers import make_app, settle, small_archive


async def test_g_and_shift_g_go_to_the_first_and_last_line_of_the_section_tree(
    tmp_path: Path,
) -> None:
    app = make_app(small_archive(tmp_path))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("enter")  # the date list: go to the tree
        await settle(app, pilot)
        tree = app.screen.section_tree
        assert app.focused is tree and tree.cursor_line == 0
        await pilot.press("G")
        await settle(app, pilot)
        last = tree.cursor_node
        assert last is not None and last.label.plain.lstrip("•★▲▼△▽●◆?… ").startswith(
            "原油库存意外下降"
        )
        assert tree.cursor_line == tree.last_line > 0
        await pilot.press("g")
        await settle(app, pilot)
        assert tree.cursor_line == 0 and tree.cursor_node is tree.root


def test_show_prints_the_text_of_a_post_without_headings(run_cli, tmp_path: Path) -> None:
    root = tmp_path / "archive"
    root.mkdir()
    (root / "2026-01-02-plain.md").write_text(
        "---\ntitle: 一篇短文\ndate: 2026-01-02\n---\n"
        "第一段说的是开放接口。\n\n第二段说的是价格下调。\n",
        encoding="utf-8",
    )
    (root / "2026-01-03-bare.md").write_text("没有标题的正文。\n", encoding="utf-8")
    done = run_cli("--archive", str(root), "show", "2026-01-02-plain.md", "2026-01-03-bare.md")
    assert done.returncode == 0, done.stderr
    for text in (
        "一篇短文",
        "第一段说的是开放接口。",
        "第二段说的是价格下调。",
        "没有标题的正文。",
    ):
        assert text in done.stdout


IMPACTS_WITH_BLOCKS = """---
title: 影响后的代码、表格与引用
date: 2026-01-05
---
## 要闻

### 金价走高

**影响：**

```python
x = 1  # 利多
```

    缩进代码 利空

| 观点 |
|---|
| 偏多 |

> 利多。

- **黄金：** 利多，避险需求。
"""


def test_code_tables_and_quotes_after_the_impacts_label_are_not_impacts_without_target() -> None:
    post = parse_text(IMPACTS_WITH_BLOCKS, root="/r", path="2026-01-05-a.md")
    (item,) = post.items
    assert [(i.target, i.stance) for i in item.impacts] == [("黄金", "bullish")]
    for kept in ("x = 1  # 利多", "缩进代码 利空", "偏多", "> 利多。"):  # shown, not lost
        assert kept in item.rest
