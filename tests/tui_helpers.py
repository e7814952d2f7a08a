"""Helpers for the reader's tests: archives in tmp_path, starting the app, reading widgets."""

from __future__ import annotations

import shutil
from pathlib import Path

from digest_tui.index.paths import Config, Roots
from digest_tui.tui.app import DigestApp
from textual.style import Style
from textual.worker import WorkerCancelled, WorkerFailed

REPO = Path(__file__).resolve().parent.parent
SAMPLE_POSTS = REPO / "sample_posts"

ECON_POST = """---
title: {title}
date: {date}
category: 经济日报
tags: ["经济日报", "{tag}"]
summary: "- 金价走高\\n- 美元走弱"
---
# {title}

## 贵金属

### [金价再创新高](https://example.com/gold)

- **时间：** {date} 09:30
- **核心要点：**
  - 现货黄金升至每盎司5100美元。

**深度解读 & 洞察：**

降息预期升温，资金流入黄金 ETF。

**影响：**

- **黄金：** 利多，避险需求与降息预期共振。
- **美元指数：** 利空，美元承压回落。

### 原油库存意外下降

- **时间：** {date}

**影响：**

- 对原油：中性偏多。库存下降支撑油价。
"""


def write_post(root: Path, name: str, *, title: str, date: str, tag: str = "宏观") -> Path:
    """Write one small economy-daily post of our own into `root`."""
    path = root / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(ECON_POST.format(title=title, date=date, tag=tag), encoding="utf-8")
    return path


def small_archive(tmp_path: Path) -> Path:
    """Three posts of our own on two dates (two on the same date)."""
    root = tmp_path / "small"
    write_post(root, "2026-03-01-a.md", title="三月开局：金价走强", date="2026-03-01")
    write_post(root, "2026-03-02-b.md", title="周一早报：美元回落", date="2026-03-02",
               tag="外汇")
    write_post(root, "2026-03-02-c.md", title="周一晚报：油价企稳", date="2026-03-02",
               tag="能源")
    return root


def sample_copy(tmp_path: Path) -> Path:
    """A private copy of the bundled sample posts."""
    target = tmp_path / "archive"
    shutil.copytree(SAMPLE_POSTS, target)
    return target


def make_app(root: Path | None, *, colors: str = "cn", watch: bool = False,
             origin: str = "--archive") -> DigestApp:
    """The reader on `root` (None: the bundled sample posts, as on a first run)."""
    if root is None:
        roots = Roots((SAMPLE_POSTS,), "sample")
    else:
        roots = Roots((root,), origin)
    return DigestApp(roots, Config(colors=colors), watch=watch)


async def settle(app: DigestApp, pilot) -> None:
    """Wait until every worker but the archive watcher is done and the screen is updated."""
    for _ in range(3):
        for worker in [w for w in app.workers if w.group != "watch"]:
            try:
                await worker.wait()
            except (WorkerCancelled, WorkerFailed):
                pass  # a failure is the app's to report; the tests look for it there
        await pilot.pause()


def detail_text(app: DigestApp) -> str:
    """Every wrapped line of the detail pane, as a reader could scroll through it."""
    return app.screen.detail.visible_text


def date_rows(app: DigestApp) -> list[str]:
    """The date list's rows, as shown (two lines each, joined by a newline)."""
    date_list = app.screen.date_list
    return [date_list.get_option_at_index(i).prompt.plain for i in range(date_list.option_count)]


def glyph_colour(app: DigestApp, glyph_line_start: str) -> str | None:
    """The colour (hex) of the first character of the detail line starting with the text
    `glyph_line_start` (e.g. "▲ 黄金"), or None when it has no colour."""
    view = app.screen.detail
    for line in view._layout.lines:
        plain = line.plain.lstrip()
        if plain.startswith(glyph_line_start):
            offset = len(line.plain) - len(plain)
            colour = None
            for span in line.spans:
                if span.start <= offset < span.end:
                    style = span.style if isinstance(span.style, Style) else \
                        Style.parse(span.style)
                    colour = style.foreground or colour
            return None if colour is None else colour.hex.lower()
    raise AssertionError(f"no detail line starts with {glyph_line_start!r}")
