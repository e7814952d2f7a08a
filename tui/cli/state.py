"""The reading state from the command line: `unread`, `mark`, `star`, `unstar`, `starred`,
`state export` / `state import`.

Each brings the index up to date first (so a post just added is known), then reads or writes
the state database. A TARGET is a post (a path, absolute or relative to a root, or a date
YYYY-MM-DD: every post of that date) or one item, `POST#ITEM_ID`. An unknown post or item and
a bad date are usage errors (exit 2); a summary of what changed goes to stderr.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import click

from ...index.archive import resolve_post_argument
from ...index.library import Library
from ...index.model import PostSummary
from ...index.reading import Reading
from ...index.reading_view import ItemKey
from ...index.sanitize import clean_line, dumps_json
from ...index.state.store import StateError
from ...index.state.transfer import export_state, import_state
from .errors import EXIT_RUNTIME, EXIT_USAGE, Context, UserError
from .search import _date_option
from .updating import READER_LOCK_WAIT_S, _line, bring_up_to_date, open_library

_DATE_LIKE = re.compile(r"^\d{4}-\d{1,2}-\d{1,2}$")


def _reading(ctx: Context) -> tuple[Library, Reading]:
    library = open_library(ctx, lock_wait=READER_LOCK_WAIT_S)
    bring_up_to_date(library, reading=True)
    try:
        return library, library.reading
    except StateError as exc:
        raise UserError(str(exc), EXIT_RUNTIME) from None


def _post_of(library: Library, arg: str) -> PostSummary:
    """The indexed post a path names (exit 2 when there is none)."""
    found = resolve_post_argument(arg, library.roots.paths)
    if found is not None:
        for post in library.post_heads():
            if post.key == (str(found.root), found.path):
                return post
    raise UserError(f"no such post: {arg} (give a .md file below an archive root)", EXIT_USAGE)


def _item_of(library: Library, target: str) -> tuple[PostSummary, str]:
    """The post and item id of `POST#ITEM_ID` (exit 2 for an unknown post or id)."""
    post_arg, _, item_id = target.rpartition("#")
    if not post_arg or not item_id:
        raise UserError(f"{target!r} is not POST#ITEM_ID", EXIT_USAGE)
    post = _post_of(library, post_arg)
    ids = library.post_item_ids().get(post.key, [])
    if item_id not in ids:
        raise UserError(
            f"no item {item_id} in {post.path} "
            f"(`digest-tui show {post.path} --json` lists its ids)",
            EXIT_USAGE,
        )
    return post, item_id


def _targets(library: Library, targets: tuple[str, ...]) -> tuple[list[PostSummary], list[ItemKey]]:
    """The posts and the single items the TARGETs name."""
    posts: list[PostSummary] = []
    items: list[ItemKey] = []
    for target in targets:
        if "#" in target:
            post, item_id = _item_of(library, target)
            items.append((post.path, item_id))
        elif (
            _DATE_LIKE.match(target) and resolve_post_argument(target, library.roots.paths) is None
        ):
            from ...index.parse.source import parse_date_prefix  # loads the YAML reader

            day = parse_date_prefix(target)
            if day is None:
                raise UserError(f"{target!r} is not a valid date (expected YYYY-MM-DD)", EXIT_USAGE)
            on_day = [p for p in library.post_heads() if p.date == day]
            if not on_day:
                raise UserError(f"no post dated {day.isoformat()}", EXIT_USAGE)
            posts.extend(on_day)
        else:
            posts.append(_post_of(library, target))
    return posts, items


@click.command("unread")
@click.option("--json", "as_json", is_flag=True, help="Print as JSON.")
@click.pass_obj
def unread_command(ctx: Context, as_json: bool) -> None:
    """Posts with unread items, newest first."""
    _library, reading = _reading(ctx)
    posts = reading.unread()
    if as_json:
        click.echo(dumps_json([p.to_json() for p in posts]))
        return
    from rich.console import Console  # only for a table: JSON does without it
    from rich.text import Text

    console = Console(highlight=False, soft_wrap=False)
    for entry in posts:
        line = Text(f"{entry.post.date.isoformat()}  ", style="cyan")
        line.append(f"{entry.unread}/{entry.items}  ", style="bold")
        line.append(clean_line(entry.post.title), style="bold")
        line.append("  " + clean_line(entry.post.path), style="dim")
        console.print(line)
    total = sum(p.unread for p in posts)
    console.print(Text(f"{total} unread items in {len(posts)} posts", style="dim"))


@click.command("mark")
@click.argument("targets", nargs=-1, metavar="TARGET...")
@click.option("--unread", "as_unread", is_flag=True, help="Mark unread instead of read.")
@click.option("--all", "everything", is_flag=True, help="Every post of the archive.")
@click.option(
    "--until",
    callback=_date_option("--until"),
    metavar="YYYY-MM-DD",
    help="Every post dated on or before this day.",
)
@click.pass_obj
def mark_command(
    ctx: Context,
    targets: tuple[str, ...],
    as_unread: bool,
    everything: bool,
    until: dt.date | None,
) -> None:
    """Mark posts or items read (or --unread). TARGET is a post (path or date YYYY-MM-DD)
    or one item, POST#ITEM_ID."""
    if sum([bool(targets), everything, until is not None]) != 1:
        raise UserError("give TARGET..., --all or --until YYYY-MM-DD (one of them)", EXIT_USAGE)
    library, reading = _reading(ctx)
    if targets:
        posts, items = _targets(library, targets)
        count = reading.mark_posts(posts, not as_unread) + reading.mark(items, not as_unread)
    else:
        count = reading.mark_posts(library.post_heads(), not as_unread, until=until)
    _line(
        "notice",
        f"marked {count} item{'' if count == 1 else 's'} {'unread' if as_unread else 'read'}",
    )


@click.command("star")
@click.argument("target", metavar="POST#ITEM_ID")
@click.option("--note", metavar="TEXT", help="A note on the item (starring again replaces it).")
@click.pass_obj
def star_command(ctx: Context, target: str, note: str | None) -> None:
    """Star an item (again: replace its note)."""
    library, reading = _reading(ctx)
    post, item_id = _item_of(library, target)
    reading.star(post.path, item_id, note)


@click.command("unstar")
@click.argument("target", metavar="POST#ITEM_ID")
@click.pass_obj
def unstar_command(ctx: Context, target: str) -> None:
    """Remove an item's star."""
    library, reading = _reading(ctx)
    post, item_id = _item_of(library, target)
    if not reading.unstar(post.path, item_id):
        _line("notice", f"{post.path}#{item_id} was not starred")


@click.command("starred")
@click.option("--json", "as_json", is_flag=True, help="Print as JSON.")
@click.pass_obj
def starred_command(ctx: Context, as_json: bool) -> None:
    """Starred items, newest star first, with their notes."""
    _library, reading = _reading(ctx)
    items, missing = reading.starred()
    if missing:
        _line(
            "notice",
            f"{missing} more starred item{'' if missing == 1 else 's'} of posts this archive "
            "does not have (kept: they show when the post does)",
        )
    if as_json:
        click.echo(dumps_json([s.to_json() for s in items]))
        return
    from rich.console import Console  # only for a table: JSON does without it
    from rich.text import Text

    console = Console(highlight=False, soft_wrap=False)
    for star in items:
        line = Text(f"{star.post.date.isoformat()}  ★ ", style="cyan")
        line.append(clean_line(star.item_title), style="bold")
        line.append("  · " + clean_line(star.post.title), style="dim")
        line.append(f"\n  {clean_line(star.post.path)}#{star.item_id}", style="dim")
        if star.note:
            line.append("\n  " + clean_line(star.note), style="italic")
        console.print(line)
    console.print(Text(f"{len(items)} starred", style="dim"))


@click.group("state")
def state_group() -> None:
    """The whole reading state as JSON: export it, import (merge) it elsewhere."""


@state_group.command("export")
@click.argument("file", required=False, type=click.Path(dir_okay=False, path_type=Path))
@click.pass_obj
def export_command(ctx: Context, file: Path | None) -> None:
    """Write the state as JSON to FILE (stdout without one)."""
    _library, reading = _reading(ctx)
    reading.sync()
    text = json.dumps(export_state(reading.store), ensure_ascii=False, indent=1)
    if file is None:
        click.echo(text)
        return
    try:
        file.write_text(text + "\n", encoding="utf-8")
    except OSError as exc:
        raise UserError(f"cannot write {file}: {exc.strerror or exc}") from None


@state_group.command("import")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.pass_obj
def import_command(ctx: Context, file: Path) -> None:
    """Merge a state exported elsewhere into this one (the later mark wins)."""
    try:
        data = json.loads(file.read_text(encoding="utf-8-sig"))
    except FileNotFoundError:
        raise UserError(f"no such file: {file}", EXIT_USAGE) from None
    except OSError as exc:
        raise UserError(f"cannot read {file}: {exc.strerror or exc}") from None
    except (UnicodeDecodeError, ValueError) as exc:
        raise UserError(f"{file} is not JSON: {exc}") from None
    _library, reading = _reading(ctx)
    try:
        counts = import_state(reading.store, data)
    except StateError as exc:
        raise UserError(f"{file}: {exc}") from None
    _line(
        "notice",
        f"imported {counts['marks']} marks, {counts['stars']} stars and "
        f"{counts['saved_searches']} saved searches",
    )


COMMANDS = [
    unread_command,
    mark_command,
    star_command,
    unstar_command,
    starred_command,
    state_group,
]
