"""The browse screen's first frame: drawn once, as soon as Textual's start-up batch ends.

Textual's start-up is a batch of updates (App._process_messages); a screen refreshed in it
draws the whole screen and then drops the frame (App._display shows none in a batch), and
draws it all again after: the launch drew every pane twice before the reader saw one. Here
the frame waits for the batch's end (the app calls `frame_after_batch`), and what the first
frame does not need (the footer's keys, a few dozen widgets each styled) waits for it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.screen import Screen


class FirstFrame(Screen[Any]):
    """A screen whose frames asked for in a batch are drawn when it ends, once."""

    frame_waits = False
    """A frame was asked for in a batch: drawn when it ends."""
    frame_drawn = False
    """The screen has drawn its first frame."""
    _after_first_frame: list[Callable[[], object]] | None = None

    def _compositor_refresh(self) -> None:
        """(Textual) draw what changed, unless in a batch: then when it ends."""
        app = self.app
        if app._batch_count and self is app.screen and not app.is_inline:
            self.frame_waits = True
            return
        super()._compositor_refresh()
        if not self.frame_drawn and self is app.screen:
            self.frame_drawn = True
            for callback in self._after_first_frame or ():
                self.call_later(callback)
            self._after_first_frame = None

    def frame_after_batch(self) -> None:
        """The app's batch has ended: draw the frame asked for in it, if any."""
        if self.frame_waits:
            self.frame_waits = False
            if self.is_current:
                self._compositor_refresh()

    def after_first_frame(self, callback: Callable[[], object]) -> None:
        """Call `callback` once the screen's first frame is drawn (at once if it is)."""
        if self.frame_drawn:
            self.call_later(callback)
        else:
            self._after_first_frame = [*(self._after_first_frame or ()), callback]
