"""`digest-tui show POST... [--json]`: the parsed posts, as JSON or readable on a terminal."""

from __future__ import annotations

import json
import re
from pathlib import Path

import click
from rich.console import Console
from rich.text import Text

from ..index.archive import PostFile, find_all, resolve_post_argument
from ..index.assets import AssetTable
from ..index.model import Post
from ..index.parse import parse_post
from ..index.source import parse_date_prefix
from .cli import EXIT_USAGE, Context, UserError
from .colors import STANCE_LABELS, stance_glyph, stance_style

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
        for arg, date in dates:
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
            warn(f"{post.path}: {warning}")
    if as_json:
        data = [p.to_json() for p in parsed]
        click.echo(json.dumps(data if as_list else data[0], ensure_ascii=False, indent=2))
        return
    console = Console(highlight=False, soft_wrap=False)
    for index, post in enumerate(parsed):
        if index:
            console.rule(style="dim")
        console.print(render_post(post, ctx.config.colors))


def render_post(post: Post, convention: str = "cn") -> Text:
    """A readable rendering of a post for the terminal: header, then items with impacts."""
    out = Text()
    out.append(post.title + "\n", style="bold")
    meta = [post.date.isoformat()]
    if post.category:
        meta.append(post.category)
    if post.tags:
        meta.append(" ".join(f"#{t}" for t in post.tags))
    out.append(" · ".join(meta) + "\n", style="dim")
    out.append(f"{post.root}/{post.path}\n", style="dim")
    for bullet in post.summary:
        out.append(f"  • {bullet}\n")
    section: tuple[str, ...] = ()
    for item in post.items:
        if item.section and item.section != section:
            out.append("\n" + " › ".join(item.section) + "\n", style="bold underline")
        section = item.section
        out.append("\n■ " + item.title + "\n", style="bold")
        if item.time:
            out.append(f"  时间 {item.time}\n", style="dim")
        if item.link:
            out.append(f"  {item.link}\n", style="dim underline")
        for point in item.points:
            out.append(f"  · {point}\n")
        for impact in item.impacts:
            style = stance_style(impact.stance, convention)
            out.append(f"  {stance_glyph(impact.stance)} ", style=style)
            out.append(impact.target or "影响", style=style)
            out.append(f" [{STANCE_LABELS.get(impact.stance, impact.stance)}]", style=style)
            text = impact.text.replace("\n", " ")
            out.append(f" {text[:160]}{'…' if len(text) > 160 else ''}\n")
        if item.advice:
            out.append(f"  投资启示：{item.advice}\n", style="italic")
    if not post.items and post.body.strip():
        out.append("\n" + post.body.strip()[:2000] + "\n")
    return out



COMMANDS = [show]
