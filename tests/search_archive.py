"""A small archive of our own writing for the search tests, and a brute-force oracle.

`write_archive(root)` writes three posts covering what search must handle: an economy daily
with sections, impacts (黄金, 美元, 原油, 科技股), GPT-5 / gpt-5.2 / 5000美元 / 15000美元; an AI
daily whose words 特朗普 and 关税 sit in different items (a post-level match); a note with
an ordered list. `truth(path, query)` says whether a post file matches a plain query by the
contract's rule, from the raw file, independently of our parser and index.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path
from typing import Any

import yaml
from digest_tui.index.library import Library
from digest_tui.index.paths import Config, Roots

ECON = """---
title: 美联储转向与油价波动
date: 2026-02-05
category: 经济日报
tags: ["宏观经济"]
summary: "- 美联储释放降息信号\\n- 霍尔木兹海峡局势推高油价"
---
# 美联储转向与油价波动

今日要点一览。

## 宏观政策

### 美联储释放降息信号，美元走弱

**时间：** 2026-02-05 08:00

**核心要点：**
- 美联储主席表示，降息的条件正在成熟
- 市场预期3月降息25个基点

**深度解读 & 洞察：** 美联储，降息预期升温；金价随之上涨，GPT-5 的发布与此无关。

**影响：**
- 对黄金：利多。实际利率下行利好金价。
- 对美元：利空。利差收窄。

### 霍尔木兹海峡再起波澜

**核心要点：**
- 一艘油轮在霍尔木兹海峡遭扣押，油价单日上涨4%
- 5000美元的金价目标被多家机构提及

**影响：**
- 对原油：利多。地缘溢价回归。

## 科技动态

### OpenAI 发布 GPT-5

**核心要点：**
- OpenAI 正式发布 GPT-5，企业版年费 15000美元
- gpt-5.2 版本也在测试中，详见 https://example.com/gpt 页面

**影响：**
- 对科技股：利多。
"""

AI = """---
title: AI 日报：Claude 与开源模型
date: 2026-02-10
category: AI 日报
tags: ["AI"]
---
# AI 日报：Claude 与开源模型

## Anthropic 推出 Claude 新版本

Claude 的新版本在编程测试中领先，Anthropic 表示将逐步开放。特朗普政府对此未置评。

## 开源模型追赶

多家公司发布开源模型，性能接近闭源模型；加征关税的讨论影响了芯片出口。

## Gold prices and the AI trade

Investors rotated from AI stocks into gold; the GPT-4o release was not a factor.
"""

NOTE = """---
title: 读书笔记：习惯的力量
date: 2026-01-20
tags: ["读书", "习惯"]
summary: 关于习惯养成的三个要点
---
# 读书笔记：习惯的力量

习惯决定了我们每天的大部分行为。作者给出了三条建议：

1. 一次只培养一个习惯。
2. 把重要的事放在早晨做。
3. 让习惯变成生活的一部分。

金句：“先改变环境，再改变自己。”
"""

POSTS = {
    "econ/2026-02-05-fed.md": ECON,
    "ai/2026-02-10-claude.md": AI,
    "notes/2026-01-20-habits.md": NOTE,
}


def write_archive(root: Path) -> Path:
    for relative, text in POSTS.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def updated_library(
    tmp_path_factory: Any, name: str, appended: str, added_items: tuple[str, ...]
) -> Library:
    """A Library over the sample posts and this archive, indexed, then updated once: the first
    post file gains the line `appended`, and a new post of `added_items` (an AI post, section
    更多动态) comes in, so the index has a second segment and deleted documents in the first."""
    from conftest import SAMPLE_POSTS

    root = tmp_path_factory.mktemp(name) / "archive"
    shutil.copytree(SAMPLE_POSTS, root / "samples")
    write_archive(root)
    lib = Library(Roots((root,), "--archive"), Config(), cache=tmp_path_factory.mktemp("cache"))
    lib.update()
    edited = sorted(root.rglob("*.md"))[0]
    edited.write_text(edited.read_text(encoding="utf-8") + f"\n- {appended}\n")
    os.utime(edited, (1, 1))
    added = root / "2026" / "2026-03-01-added.md"
    added.parent.mkdir(parents=True, exist_ok=True)
    items = "".join(f"- {item}\n" for item in added_items)
    added.write_text(
        f"---\ntitle: 新增一篇\ndate: 2026-03-01\ntags: [AI]\n---\n\n## 更多动态\n\n{items}",
        encoding="utf-8",
    )
    report = lib.update()
    assert (report.added, report.changed, report.rebuilt) == (1, 1, False)
    return lib


def searchable_text(path: Path) -> str:
    """The contract's searchable text of a post file: title, summary, category, tags and the
    body without raw HTML blocks, link targets, bare URLs and bold markers."""
    text = path.read_text(encoding="utf-8")
    meta: dict = {}
    body = text
    if text.startswith("---"):
        end = text.find("\n---", 3)
        meta = yaml.safe_load(text[3:end]) or {}
        body = text[end + 4 :]
    body = re.sub(r"(?ms)^[ \t]*<[A-Za-z!/][^\n]*\n(?:[^\n]+\n)*", "\n", body + "\n")
    body = re.sub(r"\]\([^)]*\)", "]", body)
    body = re.sub(r"https?://\S+", " ", body)
    body = body.replace("**", "").replace("__", "")
    parts = [str(meta.get(k) or "") for k in ("title", "summary", "category")]
    parts += [str(t) for t in meta.get("tags") or []]
    return "\n".join([*parts, body]).replace("\\n", "\n")


def word_in(text: str, word: str) -> bool:
    """The contract's rule for one query word, on lowercased text."""
    low, w = text.lower(), word.lower()
    if re.fullmatch(r"[0-9a-z][0-9a-z.\-]*", w):
        return re.search(rf"(?<![0-9a-z]){re.escape(w)}(?![0-9a-z])", low) is not None
    return w in low


def truth(path: Path, query: str) -> bool:
    """True when every word of a plain query (no operators) occurs in the post."""
    text = searchable_text(path)
    return all(word_in(text, word) for word in query.split())


def texts_checked(monkeypatch: Any) -> list[int]:
    """The docs whose stored text searches check from now on (`searcher._check` counted):
    what a test asserts is never read."""
    from digest_tui.index.search import searcher

    read: list[int] = []
    check = searcher._check

    def counted(view: Any, matcher: Any, docs: Any) -> list[int]:
        read.extend(docs.tolist())
        return check(view, matcher, docs)

    monkeypatch.setattr(searcher, "_check", counted)
    return read


def add_compacting_all(library: Library, monkeypatch: Any, line: str) -> None:
    """Add a post (one item, `line`, in 更多动态) to the library's first root and update the
    index with every segment merged into one (a compaction re-adds every unit)."""
    from digest_tui.index.search import update

    monkeypatch.setattr(update, "choose_merge", lambda stats, added: [s[0] for s in stats])
    (library.roots.paths[0] / "2026" / "2026-03-02-more.md").write_text(
        f"---\ntitle: 再加一篇\ndate: 2026-03-02\n---\n\n## 更多动态\n\n- {line}\n",
        encoding="utf-8",
    )
    library.update()
    assert len(library._read(lambda snap: snap.view.segment_stats(), [])) == 1
