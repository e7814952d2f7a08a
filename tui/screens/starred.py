"""`S`: the Starred view. Every starred item, newest star first, with its note; typing
narrows the list (title, post or note); enter opens the item in the three panes."""

from __future__ import annotations

from collections.abc import Callable

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option
from textual.worker import get_current_worker

from ...index.model import PostKey
from ...index.reading import StarredItem
from ...index.sanitize import clean_line
from ..colors import STAR


def starred_content(star: StarredItem) -> Content:
    """Date and post; ★ and the item's title; the note (when there is one)."""
    lines = [
        Content.assemble(
            (star.post.date.isoformat(), "bold"), "  ", (clean_line(star.post.title), "dim")
        ),
        Content.assemble(
            (f"{STAR} ", "bold"), (clean_line(star.item_title) or "(untitled)", "bold")
        ),
    ]
    if star.note:
        lines.append(Content.styled("  " + clean_line(star.note), "italic"))
    return Content("\n").join(lines)


class StarredScreen(ModalScreen[tuple[PostKey, str] | None]):
    """The starred items; dismisses with (post key, item id) or None."""

    BINDINGS = [
        Binding("escape", "close", "Close"),
        Binding("down", "move(1)", "Next", show=False),
        Binding("up", "move(-1)", "Previous", show=False),
    ]

    def __init__(self, load: Callable[[], tuple[list[StarredItem], int]]) -> None:
        """`load` runs in a worker thread: the starred items, and how many more are kept
        for posts this archive does not have."""
        super().__init__(classes="starred")
        self.load = load
        self.stars: list[StarredItem] = []
        self.shown: list[StarredItem] = []
        self.missing = 0

    def compose(self) -> ComposeResult:
        with Vertical(id="starred-box") as box:
            box.border_title = "Starred"
            box.border_subtitle = "type to narrow · enter open · esc close"
            yield Input(placeholder="title, post or note", id="starred-input")
            yield Static("Loading…", id="starred-status", markup=False)
            yield OptionList(id="starred-list")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

        def work() -> None:
            stars, missing = self.load()
            if not get_current_worker().is_cancelled:
                self.app.call_from_thread(self.loaded, stars, missing)

        self.app.run_worker(
            work, name="listing the starred items", thread=True, exit_on_error=False
        )

    def loaded(self, stars: list[StarredItem], missing: int) -> None:
        if not self.is_mounted:
            return
        self.stars, self.missing = stars, missing
        self.narrow(self.query_one(Input).value)

    @on(Input.Changed, "#starred-input")
    def on_typed(self, event: Input.Changed) -> None:
        self.narrow(event.value)

    def narrow(self, text: str) -> None:
        needle = text.strip().lower()
        self.shown = [
            s for s in self.stars if needle in f"{s.item_title}\n{s.post.title}\n{s.note}".lower()
        ]
        option_list = self.query_one(OptionList)
        option_list.set_options([Option(starred_content(s)) for s in self.shown])
        if self.shown:
            option_list.highlighted = 0
        if not self.stars:
            status = "Nothing starred yet: s stars the item you are reading."
        else:
            status = f"{len(self.shown)} of {len(self.stars)} starred"
        if self.missing:
            status += f" ({self.missing} more of posts not in this archive)"
        self.query_one("#starred-status", Static).update(Content(status))

    def action_move(self, step: int) -> None:
        option_list = self.query_one(OptionList)
        if self.shown:
            current = option_list.highlighted if option_list.highlighted is not None else -1
            option_list.highlighted = max(0, min(len(self.shown) - 1, current + step))

    def _open(self, index: int | None) -> None:
        if self.shown and index is not None:
            star = self.shown[index]
            self.dismiss((star.post.key, star.item_id))

    @on(Input.Submitted, "#starred-input")
    def on_submitted(self) -> None:
        self._open(self.query_one(OptionList).highlighted)

    @on(OptionList.OptionSelected, "#starred-list")
    def on_chosen(self, event: OptionList.OptionSelected) -> None:
        self._open(event.option_index)

    def action_close(self) -> None:
        self.dismiss(None)
