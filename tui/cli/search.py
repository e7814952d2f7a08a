"""`index`, `search`, `tags` and `assets`: the search index from the command line.

`search`, `tags` and `assets` bring the index up to date first (cheap when nothing changed).
A progress bar is drawn on stderr when it is a terminal; otherwise `index` prints one summary
line. Parse warnings are `digest-tui: warning: path: msg` lines (summarised on a terminal);
they never change the exit status. Post text is printed through rich `Text`, never as markup.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING

import click

from ...index.library import LOCK_WAIT_S, Library, QueryError, UpdateReport
from ...index.model import SearchHit
from ...index.sanitize import clean_line, dumps_json
from ...index.search.store import is_write_failure
from ...index.search.update import IndexDamaged
from .errors import EXIT_RUNTIME, EXIT_USAGE, Context, UserError

if TYPE_CHECKING:  # rich is imported when something is printed (a quicker start)
    from rich.text import Text
# The query parser and the reading state are imported by the commands that use them:
# `index` (the daily update) does without them.

WARNINGS_SHOWN_ON_TERMINAL = 5
#: How long `search`, `tags` and `assets` wait for another process's update before reading
#: the last complete index (`index` itself waits longer: Library.LOCK_WAIT_S).
READER_LOCK_WAIT_S = 5.0


def _line(kind: str, message: str) -> None:
    """One `digest-tui: KIND: message` line on stderr, sanitised and on one line."""
    click.echo(f"digest-tui: {kind}: {' '.join(clean_line(message).split())}", err=True)


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
        click.echo(summary_line(report), err=True)
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


@click.command("index")
@click.option("--rebuild", is_flag=True, help="Rebuild the index from scratch.")
@click.option(
    "--progress-json",
    is_flag=True,
    hidden=True,
    help="Report progress as JSON lines on stdout (the reader runs `index` so).",
)
@click.pass_obj
def index_command(ctx: Context, rebuild: bool, progress_json: bool) -> None:
    """Bring the search index up to date (incremental unless --rebuild)."""
    if progress_json:
        from .index_progress import index_reporting_json

        index_reporting_json(ctx, rebuild)
        return
    bring_up_to_date(open_library(ctx), rebuild=rebuild, summary=True, merge_after=True)


def _date_option(
    name: str,
) -> Callable[[click.Context, click.Parameter, str | None], dt.date | None]:
    def convert(_ctx: click.Context, _param: click.Parameter, value: str | None) -> dt.date | None:
        if value is None:
            return None
        from ...index.search.query import parse_date

        try:
            return parse_date(value, end=name == "--until")
        except QueryError as exc:
            raise click.BadParameter(str(exc), param_hint=name) from None

    return convert


@click.command("search", context_settings={"ignore_unknown_options": True})
@click.argument("query", nargs=-1, required=True)
@click.option("--tag", "tags", multiple=True, metavar="T", help="Only posts with this tag.")
@click.option(
    "--asset",
    "assets",
    multiple=True,
    metavar="A",
    help="Only items with an impact on this asset (aliases work: 金价 = 黄金).",
)
@click.option(
    "--since",
    callback=_date_option("--since"),
    metavar="YYYY-MM-DD",
    help="Only posts dated on or after this day.",
)
@click.option(
    "--until",
    callback=_date_option("--until"),
    metavar="YYYY-MM-DD",
    help="Only posts dated on or before this day.",
)
@click.option(
    "--limit",
    type=click.IntRange(min=0),
    default=20,
    show_default=True,
    help="Most hits to show; 0 shows all.",
)
@click.option("--unread", "unread", is_flag=True, help="Only unread items (is:unread).")
@click.option("--starred", "starred", is_flag=True, help="Only starred items (is:starred).")
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
@click.pass_obj
def search_command(
    ctx: Context,
    query: tuple[str, ...],
    tags: tuple[str, ...],
    assets: tuple[str, ...],
    since: dt.date | None,
    until: dt.date | None,
    limit: int,
    unread: bool,
    starred: bool,
    as_json: bool,
) -> None:
    """Full-text search: words (AND), OR, -word / NOT word, "phrase", word*, and the
    filters tag:X asset:X category:X section:X date:2026-02-05 or date:A..B,
    is:unread is:read is:starred."""
    for word in query:  # ignore_unknown_options lets `-word` through, and `--limt` with it
        if word.startswith("--") and len(word) > 2:
            raise click.NoSuchOption(word.split("=", 1)[0], possibilities=_OPTION_NAMES)
    text = " ".join(query)
    states = [name for name, given in (("unread", unread), ("starred", starred)) if given]
    from ...index.search.query import build_query, filter_values
    from ...index.state.store import StateError

    try:
        tree = build_query(text, tags, assets, (), since, until, states)  # fail before indexing
    except QueryError as exc:
        raise UserError(str(exc), EXIT_USAGE) from None
    library = open_library(ctx, lock_wait=READER_LOCK_WAIT_S)
    for name in library.unknown_assets(filter_values(tree, "asset")):
        _line(
            "notice",
            f"{name} is not a known asset, so asset:{name} matches nothing "
            "(`digest-tui assets` lists the assets)",
        )
    bring_up_to_date(library, reading=True)
    try:
        result = library.search(
            text, tags=tags, assets=assets, since=since, until=until, limit=limit, states=states
        )
    except StateError as exc:
        raise UserError(str(exc), EXIT_RUNTIME) from None
    except QueryError as exc:
        raise UserError(str(exc), EXIT_USAGE) from None
    except IndexDamaged as exc:
        raise UserError(str(exc), EXIT_RUNTIME) from None
    if as_json:
        click.echo(dumps_json(result.to_json()))
        return
    from rich.console import Console
    from rich.text import Text

    console = Console(highlight=False, soft_wrap=False)
    for hit in result.hits:
        console.print(render_hit(hit))
    shown = len(result.hits)
    more = f", showing {shown} (--limit 0 shows all)" if shown < result.total else ""
    console.print(Text(f"{result.total} hits{more} · {result.took_ms:.1f} ms", style="dim"))


_OPTION_NAMES = ["--tag", "--asset", "--since", "--until", "--limit", "--json", "--help"]


def render_hit(hit: SearchHit) -> Text:
    """One hit as readable text: date, title, path, then the snippet with highlights."""
    from rich.text import Text

    out = Text()
    out.append(hit.date, style="cyan")
    out.append("  ")
    out.append(clean_line(hit.item_title or hit.post_title), style="bold")
    if hit.item_title:
        out.append("  · " + clean_line(hit.post_title), style="dim")
    out.append("\n  ")
    out.append(clean_line(hit.path), style="dim")
    if hit.section:
        out.append("  › " + clean_line(" › ".join(hit.section)), style="dim")
    snippet = Text("\n  " + hit.snippet)
    for start, end in hit.highlights:
        snippet.stylize("bold reverse", start + 3, end + 3)
    out.append_text(snippet)
    out.append("\n")
    return out


def _counts_command(
    name: str, what: str, read: Callable[[Library], list[tuple[str, int]]], doc: str
) -> click.Command:
    @click.command(name, help=doc)
    @click.option("--json", "as_json", is_flag=True, help="Print as JSON.")
    @click.pass_obj
    def command(ctx: Context, as_json: bool) -> None:
        library = open_library(ctx, lock_wait=READER_LOCK_WAIT_S)
        bring_up_to_date(library, reading=True)
        counts = read(library)
        if as_json:
            data = [{"name": n, "count": c} for n, c in counts]
            click.echo(dumps_json(data))
            return
        from rich.console import Console
        from rich.text import Text

        console = Console(highlight=False, soft_wrap=False)
        width = max((len(str(c)) for _, c in counts), default=1)
        for label, count in counts:
            line = Text(f"{count:>{width}}  ", style="dim")
            line.append(clean_line(label), style="bold")
            console.print(line)
        console.print(Text(f"{len(counts)} {what}", style="dim"))

    return command


tags_command = _counts_command(
    "tags",
    "tags",
    lambda lib: lib.tags(),
    "Every tag (tags and categories) with the number of posts that have it.",
)
assets_command = _counts_command(
    "assets",
    "assets",
    lambda lib: lib.assets(),
    "Every asset with the number of impacts on it (an impact on 黄金/白银 counts for both).",
)

COMMANDS = [index_command, search_command, tags_command, assets_command]
