"""Helpers for the reader's tests: archives in tmp_path, starting the app, reading widgets."""

from __future__ import annotations

import asyncio
import hashlib
import inspect
import shutil
import time
from collections.abc import Callable
from pathlib import Path

from digest_tui.index.paths import Config, Roots
from digest_tui.tui.app import DigestApp
from textual.pilot import Pilot
from textual.style import Style
from textual.worker import Worker, WorkerCancelled, WorkerFailed

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
    write_post(root, "2026-03-02-b.md", title="周一早报：美元回落", date="2026-03-02", tag="外汇")
    write_post(root, "2026-03-02-c.md", title="周一晚报：油价企稳", date="2026-03-02", tag="能源")
    return root


def sample_copy(tmp_path: Path) -> Path:
    """A private copy of the bundled sample posts."""
    target = tmp_path / "archive"
    shutil.copytree(SAMPLE_POSTS, target)
    return target


def make_app(
    root: Path | None, *, colors: str = "cn", watch: bool = False, origin: str = "--archive"
) -> DigestApp:
    """The reader on `root` (None: the bundled sample posts, as on a first run)."""
    if root is None:
        roots = Roots((SAMPLE_POSTS,), "sample")
    else:
        roots = Roots((root,), origin)
    return DigestApp(roots, Config(colors=colors), watch=watch)


#: How long a test waits for the app to reach a state before failing: generous, so that a
#: loaded machine (CI on two cores, other processes busy) slows a test down, never fails it.
WAIT_S = 20.0


async def wait_until(
    pilot: Pilot, condition: Callable[[], object], what: str = "", timeout: float = WAIT_S
) -> float:
    """Let the app run until `condition()` holds; returns the seconds it took. Fails (with
    `what` and the app's notifications) after `timeout`; never a fixed sleep."""
    started = time.monotonic()
    while not condition():
        if time.monotonic() - started > timeout:
            app = pilot.app
            raise AssertionError(
                f"not within {timeout} s: {what or condition}; "
                f"notifications: {[n.message for n in app._notifications]}"
            )
        await pilot.pause(0.02)
    return time.monotonic() - started


def busy_workers(app: DigestApp) -> list[Worker]:
    """The app's workers that are still to finish (the archive watcher never does)."""
    return [w for w in app.workers if w.group != "watch" and not w.is_finished]


def messages_pending(app: DigestApp) -> bool:
    """Whether the app or a widget of any open screen still has messages to handle."""
    pumps = [app]
    for screen in app.screen_stack:
        pumps += screen.walk_children(with_self=True)
    return any(pump.message_queue_size or pump._next_callbacks for pump in pumps)


def steady(app: DigestApp) -> bool:
    """The archive is listed, indexing is over, no worker (but the watcher) is running,
    every message (a key, what a worker's result caused) has been handled and the header's
    read counts are up to date."""
    return (
        app.listing.loaded
        and app.index_state.phase in ("ready", "error")
        and not busy_workers(app)
        and not messages_pending(app)
        and not any(getattr(s, "counts_pending", False) for s in app.screen_stack)
    )


async def settle(app: DigestApp, pilot: Pilot, timeout: float = WAIT_S) -> None:
    """Wait until the app is steady twice in a row, with a pause in between: the list
    loaded, the index built, every key handled, every worker done (a post load, a search, a
    filter) and what their results started (the next load, a further update) done too."""
    deadline = time.monotonic() + timeout
    quiet = 0
    while quiet < 2:
        if time.monotonic() > deadline:
            raise AssertionError(
                f"the app did not settle within {timeout} s: index {app.index_state}, "
                f"workers {[(w.name, w.state.name) for w in busy_workers(app)]}, "
                f"notifications {[n.message for n in app._notifications]}"
            )
        for worker in busy_workers(app):
            try:
                await asyncio.wait_for(worker.wait(), max(deadline - time.monotonic(), 0.1))
            except (WorkerCancelled, WorkerFailed, asyncio.TimeoutError):
                pass  # a failure is the app's to report; the tests look for it there
        await pilot.pause()
        quiet = quiet + 1 if steady(app) else 0


def on_top(app: DigestApp, kind: type) -> bool:
    """Whether the reader sees a `kind` on top: a screen, or the browse screen's picker
    (t, a, l: a box over the panes, not a screen of its own)."""
    from digest_tui.tui.screens.pickers import Picker

    picker_open = bool(getattr(app.screen, "picker_open", False))
    if kind is Picker:
        return picker_open
    return isinstance(app.screen, kind) and not picker_open


async def open_screen(pilot: Pilot, key: str, kind: type) -> None:
    """Press `key` and wait until the screen (or the picker) it opens, `kind`, is up with its
    focus set, so that what is typed next reaches it."""
    from digest_tui.tui.screens.pickers import Picker

    app = pilot.app
    await pilot.press(key)

    def ready() -> bool:
        holder = getattr(app.screen, "picker", None) if kind is Picker else app.screen
        return (
            on_top(app, kind)
            and app.screen.is_mounted
            and app.focused is not None
            and holder in app.focused.ancestors
        )

    await wait_until(pilot, ready, f"{kind.__name__} to open")


async def back_to(pilot: Pilot, kind: type) -> None:
    """Wait until the screen on top is a `kind` again (after a dialog or the picker closed)."""
    await wait_until(pilot, lambda: on_top(pilot.app, kind), f"back to {kind.__name__}")


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
                    style = span.style if isinstance(span.style, Style) else Style.parse(span.style)
                    colour = style.foreground or colour
            return None if colour is None else colour.hex.lower()
    raise AssertionError(f"no detail line starts with {glyph_line_start!r}")


def source_digest(function: object) -> str:
    """The SHA-256 of a function's source: a test pins the Textual code an override of ours
    replaces, so that a Textual upgrade that changes it fails the test."""
    return hashlib.sha256(inspect.getsource(function).encode()).hexdigest()  # type: ignore[arg-type]
