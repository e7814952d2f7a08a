"""The browse screen's picker (t, a, l; tui/screens/pickers.py): a box over the panes, built
once after the first frame (its module too) and shown or hidden, never a screen of its own.

While it is open the screen's keys give way to it: space is typed into its field, tab moves
between its field and its list, the footer keeps its keys, a click on a pane closes it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual.await_complete import AwaitComplete
from textual.screen import Screen
from textual.widget import AwaitMount

if TYPE_CHECKING:
    from .pickers import Picker


class PickerHost(Screen[Any]):
    """The picker's part of the browse screen (a mixin)."""

    _picker: Picker | None = None
    _picker_mounted: AwaitMount | AwaitComplete | None = None

    def build_picker(self) -> None:
        """Make and mount the picker (once; hidden until asked for)."""
        if self._picker is None:
            from .pickers import Picker

            self._picker = Picker(id="picker")
            self._picker_mounted = self.mount(self._picker)

    async def ready_picker(self) -> Picker:
        """The picker, mounted (built now if a key comes before the first frame's end)."""
        self.build_picker()
        assert self._picker is not None
        if not self._picker.is_mounted and self._picker_mounted is not None:
            await self._picker_mounted
        return self._picker

    @property
    def picker(self) -> Picker:
        """The picker (after `ready_picker`, or once the first frame is drawn)."""
        assert self._picker is not None, "the picker is built after the first frame"
        return self._picker

    @property
    def picker_open(self) -> bool:
        return self._picker is not None and self._picker.is_open

    @property
    def footer_held(self) -> bool:
        """The footer keeps its keys while the picker is open (tui/widgets/footer.py)."""
        return self.picker_open

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """While the picker is open, space is typed into it (not the next unread item)."""
        if action == "next_unread" and self.picker_open:
            return False
        return super().check_action(action, parameters)

    def picker_took_tab(self) -> bool:
        """tab / shift+tab in the open picker: between its field and list (True if so)."""
        if self._picker is None or not self._picker.is_open:
            return False
        self._picker.action_switch_focus()
        return True

    def picker_gives_way(self) -> None:
        """The focus moved: out of the open picker (a click on a pane) closes it."""
        picker, focused = self._picker, self.focused
        if picker is not None and picker.is_open and focused is not None:
            if picker not in focused.ancestors:
                picker.close(None, refocus=False)

    def recount_picker(self) -> None:
        """The index became ready (or the library open): the open picker's counts again."""
        if self._picker is not None:
            self._picker.recounted()

    def place_picker(self) -> None:
        if self._picker is not None and self._picker.is_open:
            self._picker.place()
