"""The reader's header: which archive is open, what is new since the last launch ("2 new ·
14 items since Mon 08:10"), the active filters, and the index status.

On the very first run (the bundled sample posts), the second line says so and how to open
one's own archive instead.
"""

from __future__ import annotations

from pathlib import Path

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Static

from ...index.paths import ENV_ARCHIVE, Roots, config_path
from ...index.sanitize import display_line as clean_line
from .filter_chips import FilterChips


def home_relative(path: Path) -> str:
    """`path` as a reader would type it: ~/... when under the home folder."""
    try:
        return "~/" + path.relative_to(Path.home()).as_posix()
    except (ValueError, RuntimeError):
        return str(path)


def archive_label(roots: Roots) -> Content:
    """ "~/blog/posts (+1 more)", or the sample posts on a first run (the header shows it
    after the reader's name)."""
    if roots.is_sample:
        return Content.styled("the bundled sample posts", "bold")
    where = Content.styled(clean_line(home_relative(roots.paths[0])), "bold")
    if len(roots.paths) > 1:
        where += Content.styled(f" (+{len(roots.paths) - 1} more)", "dim")
    return where


def sample_hint() -> Content:
    """How to point the reader at one's own archive (shown with the sample posts)."""
    return Content.assemble(
        ("Showing the bundled sample posts. Open your archive: ", "dim"),
        ("digest-tui --archive DIR", "bold"),
        (", ", "dim"),
        (ENV_ARCHIVE, "bold"),
        ('=DIR, or archives = ["DIR"] in ', "dim"),
        (clean_line(home_relative(config_path())), "bold"),
    )


class DigestHeader(Vertical):
    """Two lines: archive and index status; then the filter chips (an empty line without a
    filter: the header's height never changes with the filters) and the first-run hint."""

    def __init__(self, roots: Roots, *, id: str | None = None) -> None:  # noqa: A002
        super().__init__(id=id)
        self.roots = roots
        self._status: tuple[str, bool, bool] = ("", False, False)
        """(text, busy, error): kept, so a status set before the parts exist is shown."""
        self._reading = ""

    def compose(self) -> ComposeResult:
        with Horizontal(id="header-top"):
            yield Static(" digest-tui ", id="header-name", markup=False)
            yield Static(archive_label(self.roots), id="header-archive", markup=False)
            alert = Static("", id="header-alert", markup=False)
            alert.display = False
            yield alert
            yield Static(Content(self._reading), id="header-reading", markup=False)
            yield Static(
                Content(clean_line(self._status[0])),
                id="header-status",
                markup=False,
                classes=self._status_classes(),
            )
        with Horizontal(id="header-bottom"):
            yield FilterChips(id="chips")
            hint = Static(
                sample_hint() if self.roots.is_sample else Content(""),
                id="header-hint",
                markup=False,
            )
            hint.display = self.roots.is_sample
            yield hint

    def on_mount(self) -> None:
        if hasattr(self.app, "market_alert"):  # the market view's marker, kept until seen
            self.watch(self.app, "market_alert", self._show_alert)

    def _show_alert(self, text: str) -> None:
        alert = self.query_one("#header-alert", Static)
        alert.update(Content(clean_line(text)))
        alert.display = bool(text)

    def _status_classes(self) -> str:
        _text, busy, error = self._status
        return " ".join(name for name, on in (("-busy", busy), ("-error", error)) if on)

    def set_status(self, text: str, *, busy: bool = False, error: bool = False) -> None:
        """Show the index status (kept for compose when the header is not built yet)."""
        self._status = (text, busy, error)
        found = self.query("#header-status")
        if not found:
            return
        status = found.first(Static)
        status.set_class(busy, "-busy")
        status.set_class(error, "-error")
        status.update(Content(clean_line(text)))

    def set_reading(self, text: str) -> None:
        """What is new and unread (kept for compose, like the status)."""
        self._reading = text
        for found in self.query("#header-reading"):
            if isinstance(found, Static):
                found.update(Content(clean_line(text)))

    def set_filters(self, filters: dict[str, str]) -> None:
        self.query_one(FilterChips).show_filters(filters)
