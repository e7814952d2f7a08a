"""`index`, `search`, `tags` and `assets`: the search index from the command line.

`search`, `tags` and `assets` bring the index up to date first (cheap when nothing changed).
A progress bar is drawn on stderr when it is a terminal; otherwise `index` prints one summary
line. Parse warnings are `digest-tui: warning: path: msg` lines (summarised on a terminal);
they never change the exit status. Post text is printed through rich `Text`, never as markup.
"""

from __future__ import annotations

import datetime as dt
import gc
from collections.abc import Callable
from typing import TYPE_CHECKING

import click

from ...index.library import Library, QueryError
from ...index.model import SearchHit
from ...index.sanitize import clean_line, dumps_json
from ...index.search.update import IndexDamaged
from .errors import EXIT_RUNTIME, EXIT_USAGE, Context, UserError
from .updating import READER_LOCK_WAIT_S, _line, bring_up_to_date, open_library

if TYPE_CHECKING:  # rich is imported when something is printed (a quicker start)
    from rich.text import Text
# The query parser and the reading state are imported by the commands that use them:
# `index` (the daily update) does without them.


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
    # What exists by now (the modules, the library, the listing the update check read) lives
    # until the command exits: frozen, the cycle collector does not walk it all again in the
    # middle of the search (that pass was 25-30 ms of a search at 7,300 posts; main.run
    # freezes at the end for the same reason).
    gc.freeze()
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
