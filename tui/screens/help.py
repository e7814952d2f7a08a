"""`?`: every key binding of the reader, grouped by where it works.

The rows are read from the classes' BINDINGS (and those they inherit), so the help can never
fall behind the keys that really work.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from typing import Any

from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.events import Resize
from textual.keys import key_to_character
from textual.screen import ModalScreen
from textual.widgets import Static

from ..detail.document import Block, Document, layout

#: Cells of a key row before its description ("  " and the key, padded).
KEY_COLUMN = 20
#: The width the help is laid out for before its box is measured (the box is 76 wide).
HELP_WIDTH = 70

KEY_NAMES = {
    "question_mark": "?",
    "slash": "/",
    "escape": "esc",
    "enter": "enter",
    "tab": "tab",
    "shift+tab": "shift+tab",
    "left_square_bracket": "[",
    "right_square_bracket": "]",
    "space": "space",
    "pagedown": "pgdn",
    "pageup": "pgup",
    "circumflex_accent": "^",
}


def key_label(keys: str) -> str:
    """ "j,down" -> "j / down", with Textual key names made readable: a key that types a
    character is shown as that character ("less_than_sign" -> "<")."""
    return " / ".join(_key_name(k.strip()) for k in keys.split(","))


def _key_name(key: str) -> str:
    if key in KEY_NAMES:
        return KEY_NAMES[key]
    character = key_to_character(key)
    return character if character and character.isprintable() and character != " " else key


#: Inherited actions that do nothing useful here (nothing is wider than its pane).
SIDEWAYS = {"scroll_left", "scroll_right", "page_left", "page_right"}


def bindings_of(cls: type) -> list[Binding]:
    """Every binding `cls` answers to, its own first, each key once; keys doing the same
    thing are one row ("j" and "down": "j / down")."""
    seen: set[str] = set()
    rows: dict[str, Binding] = {}
    for klass in cls.__mro__:
        for entry in klass.__dict__.get("BINDINGS", []):
            binding = _as_binding(entry)
            if binding is None or not binding.description or binding.action in SIDEWAYS:
                continue
            keys = [k.strip() for k in binding.key.split(",") if k.strip() not in seen]
            if not keys:
                continue
            seen.update(keys)
            if binding.action in rows:
                row = rows[binding.action]
                rows[binding.action] = replace(row, key=",".join([row.key, *keys]))
            else:
                rows[binding.action] = replace(binding, key=",".join(keys))
    return list(rows.values())


def _as_binding(entry: BindingType) -> Binding | None:
    if isinstance(entry, Binding):
        return entry
    if isinstance(entry, tuple) and len(entry) >= 2:
        return Binding(entry[0], entry[1], entry[2] if len(entry) > 2 else "")
    return None


def help_content(sections: Iterable[tuple[str, list[Binding]]], width: int = HELP_WIDTH) -> Content:
    """The help text for `width` cells: a heading per place, then "key  what it does" rows;
    a description too long for its row goes on under its own first line, not under the keys."""
    blocks: list[Block] = []
    for title, bindings in sections:
        if not bindings:
            continue
        if blocks:
            blocks.append(Block(Content("")))
        blocks.append(Block(Content.styled(title, "bold underline")))
        for binding in bindings:
            key = Content.styled(f"  {key_label(binding.key):<{KEY_COLUMN - 3}} ", "bold")
            blocks.append(Block(Content(binding.tooltip or binding.description), bullet=key))
    return Content("\n").join(layout(Document(tuple(blocks)), max(width, KEY_COLUMN + 8)).lines)


class HelpKeys(Static):
    """The key rows, laid out again for the width the box gives them."""

    def __init__(self, sections: list[tuple[str, list[Binding]]]) -> None:
        super().__init__(help_content(sections), id="help-keys", markup=False)
        self.sections = sections
        self._laid_out_for = HELP_WIDTH

    def on_resize(self, event: Resize) -> None:
        width = event.size.width
        if width > 0 and width != self._laid_out_for:
            self._laid_out_for = width
            self.update(help_content(self.sections, width))


def help_sections(app_class: type[App[Any]]) -> list[tuple[str, list[Binding]]]:
    """Every binding of the reader, by where it works."""
    from ..detail.item_view import ItemView
    from ..widgets.date_list import DateList
    from ..widgets.heatmap import Heatmap
    from ..widgets.section_tree import SectionTree
    from .browse import BrowseScreen
    from .confirm import Confirm
    from .link_confirm import LinkConfirm
    from .market import MarketScreen
    from .pickers import Picker
    from .saved_searches import SavedSearches
    from .search import SearchScreen
    from .starred import StarredScreen
    from .text_prompt import TextPrompt

    palette = Binding(app_class.COMMAND_PALETTE_BINDING, "command_palette", "Command palette")
    return [
        ("Anywhere", [*bindings_of(app_class), palette]),
        ("Reader", bindings_of(BrowseScreen)),
        ("Date list", bindings_of(DateList)),
        ("Section tree", bindings_of(SectionTree)),
        ("Item detail", bindings_of(ItemView)),
        ("Search", bindings_of(SearchScreen)),
        ("Tag / asset picker", bindings_of(Picker)),
        ("Link dialog", bindings_of(LinkConfirm)),
        ("Market view", [*bindings_of(MarketScreen), *bindings_of(Heatmap)]),
        ("Starred view", bindings_of(StarredScreen)),
        ("Saved searches", bindings_of(SavedSearches)),
        ("Note / name dialog", bindings_of(TextPrompt)),
        ("Confirm dialog", bindings_of(Confirm)),
    ]


class HelpScreen(ModalScreen[None]):
    """The list of keys; escape, q or ? closes it."""

    BINDINGS = [
        Binding("escape,q,question_mark", "dismiss_help", "Close help"),
        Binding("j,down", "scroll('down')", "Scroll down", show=False),
        Binding("k,up", "scroll('up')", "Scroll up", show=False),
        Binding("g,home", "scroll('home')", "Top", show=False),
        Binding("G,end", "scroll('end')", "Bottom", show=False),
        Binding("pagedown", "scroll('page_down')", "Page down", show=False),
        Binding("pageup", "scroll('page_up')", "Page up", show=False),
    ]

    def __init__(self, sections: list[tuple[str, list[Binding]]], intro: str = "") -> None:
        super().__init__(classes="dialog")
        self.sections = sections
        self.intro = intro

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-box") as box:
            box.border_title = "Keys"
            box.border_subtitle = "esc to close"
            if self.intro:
                yield Static(Content(self.intro), id="help-intro", markup=False)
            yield HelpKeys(self.sections)

    def action_scroll(self, where: str) -> None:
        """Scroll the list of keys (j/k a line, g/G to the ends, pagedown/pageup a page)."""
        box = self.query_one("#help-box", VerticalScroll)
        actions = {
            "down": box.action_scroll_down,
            "up": box.action_scroll_up,
            "home": box.action_scroll_home,
            "end": box.action_scroll_end,
            "page_down": box.action_page_down,
            "page_up": box.action_page_up,
        }
        actions[where]()

    def action_dismiss_help(self) -> None:
        self.dismiss(None)
