"""`digest-tui show POST... [--json]`: the parsed posts, as JSON or readable on a terminal."""

from __future__ import annotations

import re
from pathlib import Path

import click
from rich.console import Console, Group, RenderableType
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from ...index.archive import PostFile, find_all, resolve_post_argument
from ...index.model import Post
from ...index.parse.assets import AssetTable
from ...index.parse.post import parse_post
from ...index.parse.source import parse_date_prefix
from ...index.sanitize import clean_line, display, dumps_json
from ...index.sanitize import display_line as _line
from ..colors import STANCE_LABELS, stance_glyph, stance_style
from .errors import EXIT_USAGE, Context, UserError

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
        everything = []
        for post_file in find_all(roots):
            try:
                everything.append(parse_post(post_file, assets))
            except OSError:
                continue  # vanished between scan and read: it is simply not there
        for _arg, date in dates:
            on_date = [p for p in everything if p.date == date]
            if not on_date:
                raise UserError(f"no post dated {date.isoformat()} in {_roots_text(roots)}")
            posts.extend(sorted(on_date, key=lambda p: p.path))
    return posts, bool(dates) or len(args) > 1


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
    console = Console(highlight=False, soft_wrap=False)
    for index, post in enumerate(parsed):
        if index:
            console.rule(style="dim")
        console.print(render_post(post, ctx.config.colors))


#: How much of an item's other text (`Item.rest`) `show` prints.
MAX_REST_CHARS = 2000

_HORIZON_LABELS = {"short": "短期", "medium": "中期", "long": "长期"}


def _clip(text: str, limit: int) -> str:
    line = " ".join(text.split())
    return line if len(line) <= limit else line[: limit - 1] + "…"


def render_post(post: Post, convention: str = "cn") -> Group:
    """A readable rendering of a post for the terminal: header, then items with impacts.

    Everything shown comes from the post as rich Text (never markup), already sanitised.
    """
    parts: list[RenderableType] = []
    head = Text()
    head.append(_line(post.title) + "\n", style="bold")
    meta = [post.date.isoformat()]
    if post.category:
        meta.append(_line(post.category))
    if post.tags:
        meta.append(" ".join(f"#{_line(t)}" for t in post.tags))
    head.append(" · ".join(meta) + "\n", style="dim")
    head.append(clean_line(f"{post.root}/{post.path}"), style="dim")
    parts.append(head)
    for bullet in post.summary:
        parts.append(Padding(Text(f"• {_line(bullet)}"), (0, 0, 0, 2)))
    section: tuple[str, ...] = ()
    for item in post.items:
        if item.section and item.section != section:
            parts.append(Text("\n" + _line(" › ".join(item.section)), style="bold underline"))
        section = item.section
        parts.append(Text("\n■ " + _line(item.title), style="bold"))
        details = Text()
        if item.time:
            details.append(f"时间 {_line(item.time)}\n", style="dim")
        if item.link:
            details.append(f"{item.link}\n", style="dim underline")
        for point in item.points:
            details.append(f"· {_clip(_line(point), 200)}\n")
        if item.analysis:
            details.append("解读 ", style="italic")
            details.append(_clip(_line(item.analysis), 160) + "\n", style="dim")
        for labelled in item.fields:
            details.append(f"{_line(labelled.label)}：", style="italic")
            details.append(_clip(_line(labelled.text), 120) + "\n", style="dim")
        rest = display(item.rest).strip()
        if rest:  # what no part took (a post without headings: all of its text)
            details.append(rest[:MAX_REST_CHARS] + ("…" if len(rest) > MAX_REST_CHARS else ""))
        if details:
            details.rstrip()
            parts.append(Padding(details, (0, 0, 0, 2)))
        if item.impacts:
            grid = Table.grid(padding=(0, 1))
            grid.add_column(no_wrap=True)
            grid.add_column(ratio=1)
            for impact in item.impacts:
                style = stance_style(impact.stance, convention)
                label = Text(f"{stance_glyph(impact.stance)} ", style=style)
                label.append(_clip(_line(impact.target) or "影响", 16), style=style)
                label.append(
                    f" [{STANCE_LABELS.get(impact.stance, impact.stance)}"
                    f"{'·' + _HORIZON_LABELS[impact.horizon] if impact.horizon else ''}]",
                    style=style,
                )
                grid.add_row(label, Text(_clip(_line(impact.text), 160)))
            parts.append(Padding(grid, (0, 0, 0, 2)))
        if item.advice:
            parts.append(
                Padding(
                    Text(f"投资启示：{_clip(_line(item.advice), 200)}", style="italic"),
                    (0, 0, 0, 2),
                )
            )
    if not post.items and post.body.strip():
        parts.append(Text("\n" + display(post.body).strip()[:2000]))
    return Group(*parts)


COMMANDS = [show]
