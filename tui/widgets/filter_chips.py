"""The active filters as chips in the header ("tag 经济日报 ✕"); clicking one clears it."""

from __future__ import annotations

from textual.containers import Horizontal
from textual.content import Content
from textual.message import Message
from textual.widgets import Static

from ...index.sanitize import clean_line


class Chip(Static):
    """One filter: its kind and value; a click asks to clear it."""

    def __init__(self, kind: str, value: str) -> None:
        label = Content.assemble((f"{kind} ", "dim"), clean_line(value), " ✕")
        super().__init__(label, classes=f"chip -{kind}", markup=False)
        self.kind = kind
        self.value = value

    def on_click(self) -> None:
        self.post_message(FilterChips.Cleared(self.kind))


class FilterChips(Horizontal):
    """A row of chips, one per active filter (kind -> value)."""

    class Cleared(Message):
        """The reader clicked a chip: clear the filter of this kind."""

        def __init__(self, kind: str) -> None:
            super().__init__()
            self.kind = kind

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002
        super().__init__(id=id)
        self.filters: dict[str, str] = {}

    def show_filters(self, filters: dict[str, str]) -> None:
        """Show these filters (an empty dict: no chips, the row stays, empty)."""
        if filters == self.filters:
            return
        self.filters = dict(filters)
        self.remove_children()
        self.mount_all(Chip(kind, value) for kind, value in self.filters.items())
