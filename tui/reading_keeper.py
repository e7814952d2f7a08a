"""The reading state for the reader, off the UI thread.

Reading the state (`load`: records this launch the first time, sees the listed posts, builds
a ReadingView) runs in a worker; writes (marks, stars, notes) go to one writer thread in the
order they were asked, so a key press never waits for the database and a later mark always
lands after an earlier one. A write that fails is reported through `failed` (the app shows it
as a notification); the reader's own view already shows the change.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TYPE_CHECKING

from ..index.model import PostSummary
from ..index.reading_view import ItemKey, ReadingView
from ..index.state.store import Launch

#: How long quitting waits for the last marks to be written.
FLUSH_TIMEOUT_S = 5.0

if TYPE_CHECKING:
    from ..index.library import Library


class ReadingKeeper:
    """Loads the reader's ReadingView and writes its marks and stars in the background."""

    def __init__(self, failed: Callable[[str], None]) -> None:
        self.failed = failed
        self.launch: Launch | None = None
        self._writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="digest-tui-state")

    def load(self, library: Library, posts: Sequence[PostSummary]) -> ReadingView:
        """(Worker thread) the state for `posts`; the first call records this launch."""
        reading = library.reading
        if self.launch is None:
            self.launch = reading.store.record_launch()
        view = reading.view(posts, self.launch)
        view.unread_posts(posts)  # every post's unread count worked out here, off the UI thread
        return view

    def _submit(self, what: str, action: Callable[[], object]) -> None:
        def done(future: Future[object]) -> None:
            error = future.exception()
            if error is not None:
                self.failed(f"{what} failed: {type(error).__name__}: {error}")

        self._writer.submit(action).add_done_callback(done)

    def mark(self, library: Library, keys: list[ItemKey], read: bool) -> None:
        self._submit("marking", lambda: library.reading.mark(keys, read))

    def star(self, library: Library, key: ItemKey, starred: bool, note: str | None) -> None:
        if starred:
            self._submit("starring", lambda: library.reading.star(key[0], key[1], note))
        else:
            self._submit("unstarring", lambda: library.reading.unstar(key[0], key[1]))

    def run(self, what: str, action: Callable[[], object]) -> None:
        """Any other state write (a saved search, a setting), in order with the marks."""
        self._submit(what, action)

    def flush(self, timeout: float = FLUSH_TIMEOUT_S) -> None:
        """Wait for the writes asked so far (the reader is quitting), `timeout` at most (the
        database's own busy timeout bounds each write; quitting never hangs on one)."""
        try:
            self._writer.submit(lambda: None).result(timeout=timeout)
        except Exception:  # a stuck or failed write: what was committed is kept
            pass
        self._writer.shutdown(wait=False)
