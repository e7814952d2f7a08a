"""The `digest-tui` click group: its options, its help, and its commands, each imported from
its own module when it is asked for (`COMMAND_MODULES`). main.py runs it (every command line
but the plain `index`, which runs without click)."""

from __future__ import annotations

import importlib

import click

from .errors import make_context

#: Python's own thresholds of the cycle collector, which the reader gets back (main.py's `run`
#: raises the first one while a command runs).
DEFAULT_GC_THRESHOLDS = (700, 10, 10)


def _version() -> str:
    from importlib import metadata  # only for --version: it is slow to import

    try:
        return metadata.version("digest-tui")
    except metadata.PackageNotFoundError:
        return "0+unknown"


def _print_version(ctx: click.Context, value: bool) -> None:
    if value and not ctx.resilient_parsing:
        click.echo(f"digest-tui {_version()}")
        ctx.exit()


#: Every command and the module of this package that defines it (in its `COMMANDS` list).
COMMAND_MODULES = {
    "show": "show",
    "index": "search",
    "search": "search",
    "tags": "search",
    "assets": "search",
    "unread": "state",
    "mark": "state",
    "star": "state",
    "unstar": "state",
    "starred": "state",
    "state": "state",
    "stances": "market",
    "flips": "market",
    "brief": "market",
}


class Commands(click.Group):
    """The command group whose commands are imported when asked for: `digest-tui unread`
    does not pay for importing what `show` or `search` need."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMAND_MODULES)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        module = COMMAND_MODULES.get(cmd_name)
        if module is None:
            return None
        commands = importlib.import_module(f"{__package__}.{module}").COMMANDS
        return next((c for c in commands if c.name == cmd_name), None)


HELP = """A terminal reader for archives of daily digest posts.

\b
With no COMMAND, opens the reader (three panes: dates, sections, item).
Archive roots, first given wins: --archive (repeatable) > DIGEST_TUI_ARCHIVE
(several joined with ':') > `archives = [...]` in the config file > the
bundled sample posts.

\b
Config file: $XDG_CONFIG_HOME/digest-tui/config.toml (default
~/.config/digest-tui/config.toml), for example:
  archives = ["~/blog/posts"]
  colors = "cn"        # red bullish, green bearish; "us" the reverse
  theme = "textual-dark"
  [assets]
  "黄金" = ["金条"]     # extra aliases for an asset (quoted key)

\b
Exit status: 0 success, 1 runtime error, 2 usage error.
"""


@click.group(
    cls=Commands,
    invoke_without_command=True,
    help=HELP,
    context_settings={"help_option_names": ["-h", "--help"]},
)
@click.option(
    "--archive",
    "archives",
    multiple=True,
    metavar="DIR",
    help="An archive folder to read (repeatable). Overrides the variable and config.",
)
@click.option(
    "--version",
    is_flag=True,
    expose_value=False,
    is_eager=True,
    callback=lambda ctx, _param, value: _print_version(ctx, value),
    help="Show the version and exit.",
)
@click.pass_context
def cli(ctx: click.Context, archives: tuple[str, ...]) -> None:
    ctx.obj = make_context(archives)
    if ctx.invoked_subcommand is None:
        import gc

        gc.set_threshold(*DEFAULT_GC_THRESHOLDS)  # the reader lives long: Python's default
        from ..app import run_app  # textual is only loaded for the reader itself

        run_app(ctx.obj.roots, ctx.obj.config)
