"""Saved searches: the Saved picker of the search screen (ctrl+o there).

Every saved search by name with its query; enter runs it (the query goes into the search
field), e edits its query, r renames it, d deletes it. Names and queries live in the state
database (a short transaction each).
"""

from __future__ import annotations

from typing import Protocol

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from ...index.sanitize import clean_line
from ...index.state.preferences import SavedSearch
from .text_prompt import TextPrompt


class SavedSearchStore(Protocol):
    """Where saved searches are kept (the state store)."""

    def saved_searches(self) -> list[SavedSearch]: ...

    def save_search(self, name: str, query: str, saved_at: str | None = None) -> None: ...

    def delete_search(self, name: str) -> bool: ...


class SavedSearches(ModalScreen[str | None]):
    """The saved searches; dismisses with the query to run, or None."""

    BINDINGS = [
        Binding("escape", "close", "Close"),
        Binding("e", "edit", "Edit query"),
        Binding("r", "rename", "Rename"),
        Binding("d,delete", "delete", "Delete"),
    ]

    def __init__(self, store: SavedSearchStore) -> None:
        super().__init__(classes="picker")
        self.store = store
        self.searches: list[SavedSearch] = []

    def compose(self) -> ComposeResult:
        with Vertical(id="picker-box") as box:
            box.border_title = "Saved searches"
            box.border_subtitle = "enter run · e edit · r rename · d delete · esc close"
            yield OptionList(id="saved-list")
            yield Static("", id="picker-status", markup=False)

    def on_mount(self) -> None:
        self.reload()
        self.query_one(OptionList).focus()

    def reload(self, keep: str | None = None) -> None:
        self.searches = self.store.saved_searches()
        option_list = self.query_one(OptionList)
        option_list.set_options(
            [
                Option(
                    Content.assemble(
                        (clean_line(s.name), "bold"), "  ", (clean_line(s.query), "dim")
                    )
                )
                for s in self.searches
            ]
        )
        names = [s.name for s in self.searches]
        if names:
            option_list.highlighted = names.index(keep) if keep in names else 0
        status = (
            f"{len(names)} saved"
            if names
            else "No saved search yet: ctrl+s in the search field saves the query."
        )
        self.query_one("#picker-status", Static).update(Content(status))

    @property
    def chosen(self) -> SavedSearch | None:
        index = self.query_one(OptionList).highlighted
        return self.searches[index] if index is not None and index < len(self.searches) else None

    @on(OptionList.OptionSelected, "#saved-list")
    def on_run(self) -> None:
        if (search := self.chosen) is not None:
            self.dismiss(search.query)

    def action_edit(self) -> None:
        search = self.chosen
        if search is None:
            return

        def edited(query: str | None) -> None:
            if query:
                self.store.save_search(search.name, query)
                self.reload(search.name)

        self.app.push_screen(TextPrompt(f"Query of “{search.name}”", search.query), edited)

    def action_rename(self) -> None:
        search = self.chosen
        if search is None:
            return

        def renamed(name: str | None) -> None:
            if name and name != search.name:
                self.store.save_search(name, search.query)
                self.store.delete_search(search.name)
                self.reload(name)

        self.app.push_screen(TextPrompt("Rename the saved search", search.name), renamed)

    def action_delete(self) -> None:
        if (search := self.chosen) is not None:
            self.store.delete_search(search.name)
            self.notify(f"Deleted the saved search “{clean_line(search.name)}”.", timeout=3)
            self.reload()

    def action_close(self) -> None:
        self.dismiss(None)
