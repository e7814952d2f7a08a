"""`digest-tui show POST... [--json]`: the parsed posts, as JSON or readable on a terminal."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import TYPE_CHECKING

import click

from ...index.archive import PostFile, find_all, resolve_post_argument
from ...index.model import Post
from ...index.parse.assets import AssetTable
from ...index.parse.post import parse_post
from ...index.parse.source import parse_date_prefix
from ...index.sanitize import clean_line, dumps_json
from .errors import EXIT_USAGE, Context, UserError

if TYPE_CHECKING:  # rich is imported when something is printed (a quicker start)
    pass

_DATE_LIKE = re.compile(r"^\d{4}-\d{1,2}-\d{1,2}$")


def warn(message: str) -> None:
    click.echo(f"digest-tui: warning: {message}", err=True)


def collect_posts(args: tuple[str, ...], ctx: Context) -> tuple[list[Post], bool]:
    """Parse the posts the arguments name; returns them and whether a list was asked for."""
    roots = ctx.roots.paths
    assets = AssetTable.load(ctx.config)
    named: list[PostFile] = []
    dates = []
    for arg in args:
        found = resolve_post_argument(arg, roots)
        if found is not None:
            named.append(found)
            continue
        if _DATE_LIKE.match(arg):
            date = parse_date_prefix(arg)
            if date is None:
                raise UserError(f"{arg!r} is not a valid date (expected YYYY-MM-DD)", EXIT_USAGE)
            dates.append((arg, date))
            continue
        if any(Path(p).is_dir() for p in [arg, *[str(r / arg) for r in roots]]):
            raise UserError(f"{arg} is a folder, not a post (give a .md file or a date)")
        raise UserError(f"no such post: {arg} (give a .md file or a date YYYY-MM-DD)")

    posts: list[Post] = []
    for post_file in named:
        try:
            posts.append(parse_post(post_file, assets))
        except OSError as exc:
            raise UserError(f"cannot read {post_file.full_path}: {exc.strerror or exc}") from None
    if dates:
        dated = posts_by_date(ctx)
        for _arg, date in dates:
            on_date: list[Post] = []
            for post_file in sorted(dated.get(date, []), key=lambda f: (f.path, str(f.root))):
                try:
                    post = parse_post(post_file, assets)
                except OSError:
                    continue  # vanished since it was indexed: it is simply not there
                if post.date == date:  # changed since it was indexed: not of this date now
                    on_date.append(post)
            if not on_date:
                raise UserError(f"no post dated {date.isoformat()} in {_roots_text(roots)}")
            posts.extend(on_date)
    return posts, bool(dates) or len(args) > 1


def posts_by_date(ctx: Context) -> dict[dt.date, list[PostFile]]:
    """Every post's file by its date, from the search index (brought up to date first, which
    re-reads only changed posts); without a usable index, from the posts' frontmatter."""
    from ...index.library import Library

    library = Library(ctx.roots, ctx.config, notice=lambda _m: None, lock_wait=5.0)
    try:
        try:
            library.update()
            summaries = library.stored_posts()
        except Exception:  # no writable cache, a damaged index: read the frontmatter instead
            summaries = []
        if not summaries:
            summaries = library.quick_scan()
    finally:
        library.close()
    files = {(str(f.root), f.path): f for f in find_all(ctx.roots.paths)}
    dated: dict[dt.date, list[PostFile]] = {}
    for summary in summaries:
        post_file = files.get((summary.root, summary.path))
        if post_file is not None:
            dated.setdefault(summary.date, []).append(post_file)
    return dated


def _roots_text(roots: tuple[Path, ...]) -> str:
    return ", ".join(str(r) for r in roots)


@click.command("show")
@click.argument("posts", nargs=-1, required=True, metavar="POST...")
@click.option("--json", "as_json", is_flag=True, help="Print the parsed posts as JSON.")
@click.pass_obj
def show(ctx: Context, posts: tuple[str, ...], as_json: bool) -> None:
    """Show parsed posts. POST is a .md file (absolute, or relative to a root) or a date
    YYYY-MM-DD (every post of that date)."""
    parsed, as_list = collect_posts(posts, ctx)
    for post in parsed:
        for warning in post.warnings:
            warn(clean_line(f"{post.path}: {warning}"))
    if as_json:
        data = [p.to_json() for p in parsed]
        click.echo(dumps_json(data if as_list else data[0]))
        return
    print_posts(parsed, ctx.config.colors)


def print_posts(posts: list[Post], convention: str) -> None:
    """The posts as text: wrapped and styled on a terminal, plain unwrapped lines in a pipe."""
    from rich.console import Console
    from rich.text import Text

    from .show_text import post_lines  # loads the reader's layout (textual) only when used

    console = Console(highlight=False, soft_wrap=True)
    terminal = console.is_terminal
    width = console.width if terminal else None
    styled = terminal and not console.no_color
    for index, post in enumerate(posts):
        if index:
            console.print(Text("─" * min(width or 40, 100), style="dim"))
        for line in post_lines(post, convention, width, styled):
            console.print(line)


COMMANDS = [show]
