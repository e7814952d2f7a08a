"""The browse screen's keys and its commands in the command palette (kept apart from
tui/screens/browse.py so that module stays small; help and footer read these)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from textual.app import SystemCommand
from textual.binding import Binding, BindingType

if TYPE_CHECKING:
    from .browse import BrowseScreen

BROWSE_BINDINGS: list[BindingType] = [
    Binding("slash", "search", "Search", tooltip="Search every post (results as you type)"),
    Binding("t", "filter('tag')", "Tag", tooltip="Filter the posts by a tag"),
    Binding("a", "filter('asset')", "Asset", tooltip="Filter by asset; each date shows its stance"),
    Binding("x", "clear_filters", "Clear", tooltip="Clear the filters"),
    Binding(
        "escape",
        "back",
        "Back / clear",
        show=False,
        tooltip="Clear highlights / back a pane / clear filters",
    ),
    Binding("tab", "next_pane", "Next pane", show=False, priority=True),
    Binding("shift+tab", "previous_pane", "Previous pane", show=False, priority=True),
    Binding(
        "n",
        "match(1)",
        "Next match",
        show=False,
        tooltip="Next match of the search in the detail",
    ),
    Binding(
        "N",
        "match(-1)",
        "Previous match",
        show=False,
        tooltip="Previous match of the search in the detail",
    ),
    Binding(
        "right_square_bracket",
        "step_item(1)",
        "Next item",
        show=False,
        tooltip="Next item of the post",
    ),
    Binding(
        "left_square_bracket",
        "step_item(-1)",
        "Previous item",
        show=False,
        tooltip="Previous item of the post",
    ),
    Binding("o", "open_link", "Open link", show=False, tooltip="Open the item's link (asks first)"),
    Binding("l", "links", "Links", show=False, tooltip="Every link of the item, to choose"),
    Binding(
        "p",
        "reading_mode",
        "Read post",
        show=False,
        tooltip="Read the whole post straight through / one item at a time",
    ),
    Binding("T", "today", "Today", show=False, tooltip="The newest economy daily"),
    Binding("less_than_sign", "resize_panes(-1)", "Wider lists", show=False),
    Binding("greater_than_sign", "resize_panes(1)", "Wider detail", show=False),
    # the reader's memory (tui/screens/reading_screen.py): after the keys above in the footer
    Binding(
        "r",
        "toggle_read",
        "Read/unread",
        show=False,
        tooltip="Toggle read: the item, or the whole post when the post is selected",
    ),
    Binding(
        "R",
        "mark_all_read",
        "Mark all read",
        show=False,
        tooltip="Mark everything in the list read (asks first)",
    ),
    Binding("u", "unread_only", "Unread", tooltip="Show only posts with unread items"),
    Binding(
        "space",
        "next_unread",
        "Next unread",
        show=False,
        priority=True,
        tooltip="Next unread item across posts, newest first (in an item: page down first)",
    ),
    Binding("s", "star", "Star", tooltip="Star or unstar the item"),
    Binding("e", "note", "Note", show=False, tooltip="Edit the item's note (stars it)"),
    Binding("S", "starred", "Starred", tooltip="Every starred item, with its note"),
    Binding(
        "E",
        "edit_post",
        "Edit",
        show=False,
        tooltip="Open the post in $VISUAL/$EDITOR at the item",
    ),
    Binding("y", "copy_item", "Copy", show=False, tooltip="Copy the item as markdown"),
]


def browse_commands(self: BrowseScreen) -> Iterable[SystemCommand]:
    """The browse screen's own commands in the command palette (ctrl+p)."""
    yield SystemCommand("Search", "Search every post (/)", self.action_search)
    yield SystemCommand(
        "Filter by tag", "Narrow the posts to a tag (t)", lambda: self.action_filter("tag")
    )
    yield SystemCommand(
        "Filter by asset",
        "Narrow to an asset and show its stance per date (a)",
        lambda: self.action_filter("asset"),
    )
    yield SystemCommand("Clear filters", "Show every post again (x)", self.action_clear_filters)
    yield SystemCommand(
        "Open link", "Open the item's link after a confirm (o)", self.action_open_link
    )
    yield SystemCommand("Show links", "Every link of the item (l)", self.action_links)
