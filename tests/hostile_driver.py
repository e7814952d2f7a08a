"""Driving the reader with Pilot over hostile posts, and checking what it would write.

`Checker` renders the composited screen to the bytes a real driver would write (a headless
app writes nothing itself) and asserts that no injected sequence, no post-made click action,
no saved screenshot, no bell and no opened URL ever appears. `click_everything` clicks every
row of every widget showing text and every cell that carries an action. `press`,
`quick_settle` and `until` drive the app without Pilot's waits for an idle CPU.
"""

from __future__ import annotations

import time
import webbrowser
from pathlib import Path
from typing import Any

import pytest
from digest_tui.tui.app import DigestApp
from digest_tui.tui.screens.link_confirm import LinkConfirm
from hostile import iter_forbidden
from textual.events import Click, MouseDown, MouseUp
from textual.pilot import Pilot
from textual.widget import Widget
from textual.widgets import DataTable, Footer, Markdown, OptionList, Static, Tree
from textual.worker import WorkerCancelled

SIZE = (120, 40)
#: Actions the reader's own widgets put in clickable cells; any other action found in a cell
#: (app.quit, app.screenshot, app.bell, ...) came from a post's text being read as markup.
OWN_ACTIONS = ("open_link(", "link(", "toggle_node(", "select_option(")


class Recorder:
    """Counts everything an injected action could make the app do."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.calls: list[tuple[str, tuple[Any, ...]]] = []
        for name in (
            "bell",
            "open_url",
            "save_screenshot",
            "deliver_screenshot",
            "copy_to_clipboard",
        ):
            monkeypatch.setattr(DigestApp, name, self._record(name))
        monkeypatch.setattr(webbrowser, "open", self._record("webbrowser.open"))

    def _record(self, name: str):
        def record(*args: Any, **kwargs: Any) -> None:
            self.calls.append((name, args[1:] if args and isinstance(args[0], DigestApp) else args))

        return record

    def of(self, *names: str) -> list[tuple[str, tuple[Any, ...]]]:
        return [call for call in self.calls if call[0] in names]


class Checker:
    """Looks at what the app would write to a terminal after every step."""

    def __init__(self, app: DigestApp, manifest, recorder: Recorder) -> None:
        self.app = app
        self.manifest = manifest
        self.recorder = recorder
        self.steps = 0
        tmp_svg = Path("/tmp/x.svg")
        self.tmp_svg_before = tmp_svg.stat().st_mtime_ns if tmp_svg.exists() else None

    def render(self) -> tuple[bytes, str, list[tuple[int, int, str]]]:
        """The screen as a driver would write it, its plain text, and its click actions."""
        update = self.app.screen._compositor.render_full_update()
        data = update.render_segments(self.app.console).encode("utf-8")
        lines: list[str] = []
        actions: list[tuple[int, int, str]] = []
        for y, line in enumerate(update.strips):
            x = 0
            text: list[str] = []
            for segment in (segment for strip in line for segment in strip):
                style = segment.style
                action = style.meta.get("@click") if style is not None and style._meta else None
                if action:
                    actions.append((x, y, str(action)))
                x += segment.cell_length
                text.append(segment.text)
            lines.append("".join(text))
        return data, "\n".join(lines), actions

    def actions_in_cells(self) -> list[tuple[int, int, str]]:
        """(x, y, action) of every cell whose style carries a click action."""
        return self.render()[2]

    def __call__(self, where: str) -> str:
        """Check the current screen; returns its text."""
        self.steps += 1
        app = self.app
        assert app.is_running and app.return_code is None, f"the app stopped at {where}"
        errors = [n.message for n in app._notifications if n.severity == "error"]
        assert not errors, f"{where}: a failure was reported: {errors}"
        data, text, actions = self.render()
        leaked = list(iter_forbidden(data))
        assert not leaked, f"{where}: injected sequences reach the terminal: {leaked}"
        for x, y, action in actions:
            assert any(own in action for own in OWN_ACTIONS), (
                f"{where}: cell ({x},{y}) carries the action {action!r} (markup was read)"
            )
        assert list(self.manifest.markers.iterdir()) == [], f"{where}: a screenshot was saved"
        tmp_svg = Path("/tmp/x.svg")
        assert (tmp_svg.stat().st_mtime_ns if tmp_svg.exists() else None) == self.tmp_svg_before, (
            f"{where}: /tmp/x.svg was written"
        )
        assert (
            self.recorder.of(
                "bell", "save_screenshot", "deliver_screenshot", "webbrowser.open", "open_url"
            )
            == []
        ), where
        return text


async def click_at(pilot: Pilot, x: int, y: int) -> None:
    """A real click (down, up, click) at screen cell (x, y), dispatched as the driver does;
    cheaper than Pilot.click, which waits for the CPU to be idle three times."""
    app = pilot.app
    screen = app.screen
    arguments = {
        "widget": screen,
        "x": x,
        "y": y,
        "delta_x": 0,
        "delta_y": 0,
        "button": 1,
        "shift": False,
        "meta": False,
        "ctrl": False,
        "screen_x": x,
        "screen_y": y,
    }
    app.mouse_position = (x, y)  # type: ignore[assignment]
    for event_class in (MouseDown, MouseUp, Click):
        extra = {"chain": 1} if event_class is Click else {}
        screen._forward_event(event_class(**arguments, **extra))
    await pilot._wait_for_screen()
    app.screen._on_timer_update()  # lay out again, as a frame would before the next click


async def press(pilot: Pilot, *keys: str) -> None:
    """Keys as the driver sends them (Pilot.press, without its waits for an idle CPU)."""
    from textual import events
    from textual.keys import _character_to_key

    app = pilot.app
    for key in keys:
        if len(key) == 1 and not key.isalnum():
            key = _character_to_key(key)
        event = events.Key(key, key if len(key) == 1 else None)
        event.set_sender(app)
        app._driver.send_message(event)  # type: ignore[union-attr]
        await pilot._wait_for_screen()
        await quick_settle(app, pilot)
        app.screen._on_timer_update()


def clickable(screen) -> list[Widget]:
    """Visible widgets showing text a post may have written (not the key footer)."""
    result = []
    for widget in screen.walk_children():
        if not (widget.display and widget.visible and widget.region.area):
            continue
        if isinstance(widget, Footer) or any(isinstance(a, Footer) for a in widget.ancestors):
            continue
        if (
            isinstance(widget, (Static, OptionList, Tree, DataTable, Markdown))
            or widget.id == "detail"
        ):
            result.append(widget)
    return result


def picker_open(app: DigestApp) -> bool:
    """Whether the browse screen's picker (t, a, l: a box over the panes) is open."""
    return bool(getattr(app.screen, "picker_open", False))


async def dismiss_modals(pilot: Pilot, check: Checker, base: type) -> None:
    """Close whatever a click opened (never confirming a link), checking it first."""
    for _ in range(5):
        if isinstance(pilot.app.screen, base) and not picker_open(pilot.app):
            return
        screen = pilot.app.screen
        text = check(f"modal {type(screen).__name__}")
        if isinstance(screen, LinkConfirm):
            assert screen.url in text.replace("\n", "") or len(screen.url) > 200
        await press(pilot, "escape")
        await quick_settle(pilot.app, pilot)


def rows_with_text(widget: Widget) -> range:
    """The screen rows of `widget` that show something (not the blank space below)."""
    region = widget.content_region
    if isinstance(widget, OptionList):  # the highlighted option's lines
        if widget.highlighted is None:
            return range(0)
        first = widget._index_to_line.get(widget.highlighted, 0)
        start = region.y - widget.scroll_offset.y + first
        height = widget._heights.get(widget.highlighted, 1)
        return range(max(start, region.y), min(start + height, region.bottom))
    if isinstance(widget, Tree):
        return range(region.y, min(region.bottom, region.y + widget.last_line + 1))
    if widget.id == "detail":  # its clickable parts are the link markers (action cells);
        # the title lines stand for the rest of its text
        shown = widget.line_count - widget.scroll_offset.y  # type: ignore[attr-defined]
        return range(region.y, min(region.bottom, region.y + max(min(shown, 3), 0)))
    return range(region.y, region.bottom)


async def click_everything(pilot: Pilot, check: Checker, where: str) -> None:
    """Click each row of every widget showing text (of a list: the highlighted option), and
    every cell carrying an action; close (never confirm) whatever a click opens."""
    app = pilot.app
    base = type(app.screen)
    targets = [
        (widget.content_region.x + 2, y)
        for widget in clickable(app.screen)
        for y in rows_with_text(widget)
    ]
    targets += [(x, y) for x, y, _action in check.actions_in_cells()]
    screen = app.screen
    for x, y in dict.fromkeys(targets):
        await click_at(pilot, x, y)
        if screen not in app.screen_stack:
            break  # the click closed this screen (e.g. it opened a search hit)
        if app.screen is not screen or picker_open(app):
            await dismiss_modals(pilot, check, base)
    await quick_settle(app, pilot)
    check(f"after clicking {where}")


async def until(
    condition,
    app: DigestApp,
    pilot: Pilot,
    what: str,
    timeout: float = 10.0,
) -> None:
    """Settle until `condition()` holds (a hang is a failure, not a wait forever)."""
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        await quick_settle(app, pilot)
        await pilot.pause(0.01)


async def started(app: DigestApp, pilot: Pilot) -> None:
    """Wait until the reader lists the posts and its index is ready."""
    await until(
        lambda: app.index_state.phase in ("ready", "error") and app.listing.loaded,
        app,
        pilot,
        "the reader to start",
        timeout=60,
    )
    await quick_settle(app, pilot)


async def quick_settle(app: DigestApp, pilot: Pilot) -> None:
    """Wait for the workers (but the watcher) and the messages they caused."""
    for _ in range(2):
        for worker in [w for w in app.workers if w.group != "watch" and w.is_running]:
            try:
                await worker.wait()  # a failed worker raises WorkerFailed: the test fails
            except WorkerCancelled:
                pass  # superseded by a newer one (the next keystroke, the next post)
        await pilot._wait_for_screen()
