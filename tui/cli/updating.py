"""Bringing the index up to date from the command line, without click: what `index` does
(and `search`, `tags`, `assets` and the state commands first), so that the daily
`digest-tui index` runs without loading click (main.py's `plain_index`).

A progress bar is drawn on stderr when it is a terminal; otherwise `index` prints one summary
line. Parse warnings are `digest-tui: warning: path: msg` lines (summarised on a terminal);
they never change the exit status.
"""

from __future__ import annotations

import sqlite3
import sys

from ...index.library import LOCK_WAIT_S, Library, UpdateReport
from ...index.sanitize import clean_line
from ...index.search.store import is_write_failure
from .errors import EXIT_RUNTIME, Context, UserError, echo_err

WARNINGS_SHOWN_ON_TERMINAL = 5
#: How long `search`, `tags` and `assets` wait for another process's update before reading
#: the last complete index (`index` itself waits longer: Library.LOCK_WAIT_S).
READER_LOCK_WAIT_S = 5.0


def _line(kind: str, message: str) -> None:
    """One `digest-tui: KIND: message` line on stderr, sanitised and on one line."""
    echo_err(f"digest-tui: {kind}: {' '.join(clean_line(message).split())}")


def open_library(ctx: Context, *, lock_wait: float = LOCK_WAIT_S) -> Library:
    """The library of the roots in use; its notices are `digest-tui: notice:` lines."""
    return Library(ctx.roots, ctx.config, notice=lambda m: _line("notice", m), lock_wait=lock_wait)


def _stderr_is_terminal() -> bool:
    try:
        return sys.stderr.isatty()
    except (AttributeError, ValueError):
        return False


def bring_up_to_date(
    library: Library,
    *,
    rebuild: bool = False,
    summary: bool = False,
    reading: bool = False,
    merge_after: bool = False,
) -> UpdateReport:
    """Run an update with a progress bar on a terminal; print warnings and notices
    (`merge_after`: see Library.update).

    When the disk refuses the update's writes (full), a command that only reads (`reading`)
    goes on with the last complete index, after a notice; otherwise that is an error."""
    terminal = _stderr_is_terminal()
    try:
        if terminal:
            report = _update_with_bar(library, rebuild, reading, merge_after)
        else:
            report = library.update(rebuild=rebuild, reading=reading, merge_after=merge_after)
    except (OSError, sqlite3.Error) as exc:  # sqlite3: e.g. "disk I/O error", disk full
        reason = (exc.strerror if isinstance(exc, OSError) else None) or str(exc)
        if reading and is_write_failure(exc) and library.has_index():
            _line(
                "notice",
                f"cannot bring the search index up to date ({reason}); using the last complete one",
            )
            return UpdateReport()
        raise UserError(f"cannot write the search index: {reason}", EXIT_RUNTIME) from None
    if report.busy:
        _line("notice", report.busy)
    _print_warnings((*report.skipped, *report.warnings) if summary else report.warnings, terminal)
    if summary and not report.busy:
        echo_err(summary_line(report))
    return report


def _update_with_bar(
    library: Library, rebuild: bool, reading: bool = False, merge_after: bool = False
) -> UpdateReport:
    """An update with a progress bar on stderr, refreshed from the progress callback (no
    refresh thread: a build forks its workers, which is only safe without other threads)."""
    import time

    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    console = Console(stderr=True)
    with Progress(
        TextColumn("indexing"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.description}", markup=False),
        console=console,
        transient=True,
        auto_refresh=False,
    ) as bar:
        task = bar.add_task("", total=None)
        shown = [0.0]

        def progress(done: int, total: int, path: str) -> None:
            bar.update(task, completed=done, total=total, description=clean_line(path)[-50:])
            now = time.monotonic()
            if now - shown[0] > 0.1 or done == total:
                shown[0] = now
                bar.refresh()

        return library.update(progress, rebuild=rebuild, reading=reading, merge_after=merge_after)


def _print_warnings(warnings: tuple[str, ...], terminal: bool) -> None:
    """Every warning as a line; on a terminal only the first few, then how many more."""
    shown = warnings[:WARNINGS_SHOWN_ON_TERMINAL] if terminal else warnings
    for warning in shown:
        _line("warning", warning)
    if len(warnings) > len(shown):
        posts = len({w.split(": ", 1)[0] for w in warnings[len(shown) :]})
        _line(
            "warning",
            f"… and {len(warnings) - len(shown)} more warnings about {posts} "
            "posts (`digest-tui index --rebuild 2>&1 | cat` lists them all)",
        )


def summary_line(report: UpdateReport) -> str:
    """One line saying what the update did, e.g. `indexed 85 posts (85 added, …) in 2.1 s`."""
    if report.cancelled:
        return f"indexing stopped after {report.took_s:.1f} s"
    total = report.added + report.changed + report.unchanged
    what = "rebuilt the index:" if report.rebuilt else "indexed"
    return (
        f"{what} {total} post{'' if total == 1 else 's'} ({report.added} added, "
        f"{report.changed} changed, {report.removed} removed) in {report.took_s:.1f} s"
    )
