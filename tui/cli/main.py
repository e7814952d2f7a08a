"""The `digest-tui` command line: `digest-tui [--archive DIR]... [COMMAND]`.

With no command it opens the reader. Subcommands live in their own modules (show, search,
state, market), each imported only when one of its commands runs (`COMMAND_MODULES`), and they
only import the headless core, so a command starts without loading textual or the modules of
the others.
Every error is one line on stderr, `digest-tui: error: ...`, with the contract's exit status:
1 runtime error, 2 usage error. No traceback reaches the user.
"""

from __future__ import annotations

import importlib
import os
import sys

import click

from ...index.paths import ConfigError, EmptyRootError, check_roots, load_config, resolve_roots
from .errors import EXIT_RUNTIME, EXIT_USAGE, Context, UserError, error


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
    try:
        config = load_config()
    except ConfigError as exc:
        raise UserError(str(exc), EXIT_RUNTIME) from None
    try:
        roots = resolve_roots(archives, config)
    except EmptyRootError as exc:
        raise UserError(str(exc), EXIT_USAGE) from None
    try:
        check_roots(roots)
    except OSError as exc:
        raise UserError(str(exc), EXIT_RUNTIME) from None
    ctx.obj = Context(roots, config)
    if ctx.invoked_subcommand is None:
        import gc

        gc.set_threshold(*_DEFAULT_GC_THRESHOLDS)  # the reader lives long: Python's default
        from ..app import run_app  # textual is only loaded for the reader itself

        run_app(ctx.obj.roots, ctx.obj.config)


def main(argv: list[str] | None = None) -> int:
    """Entry point of the console script; returns the exit status."""
    try:
        cli.main(args=argv, prog_name="digest-tui", standalone_mode=False)
    except click.exceptions.NoArgsIsHelpError as exc:
        click.echo(exc.ctx.get_help() if exc.ctx else str(exc), err=True)
        return EXIT_USAGE
    except click.UsageError as exc:
        error(exc.format_message())
        return EXIT_USAGE
    except UserError as exc:
        error(str(exc))
        return exc.status
    except click.exceptions.Exit as exc:
        return exc.exit_code
    except click.Abort:
        error("interrupted")
        return 130
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # the reader of our output went away (e.g. `| head`): not an error worth a message
        try:
            sys.stdout = open(os.devnull, "w")  # silence the flush at exit
        except OSError:
            pass
        return 0
    except OSError as exc:
        error(f"{exc.strerror}: {exc.filename}" if exc.strerror and exc.filename else str(exc))
        return EXIT_RUNTIME
    except Exception as exc:  # never a traceback for the user
        if os.environ.get("DIGEST_TUI_DEBUG"):
            raise
        error(f"unexpected {type(exc).__name__}: {exc} (set DIGEST_TUI_DEBUG=1 for details)")
        return EXIT_RUNTIME
    return 0


#: The cycle collector's first threshold while a command runs (Python's default is 700): a
#: command is a short process that mostly imports modules and builds objects that live until
#: it exits, where each collection scans them all again for nothing (2-3% of adding a post
#: to the index, measured in instructions). The reader gets the default back (`cli`).
COMMAND_GC_THRESHOLD = 50_000
_DEFAULT_GC_THRESHOLDS = (700, 10, 10)


def run() -> None:
    """Console-script wrapper: exit with main()'s status."""
    import gc

    gc.set_threshold(COMMAND_GC_THRESHOLD, *gc.get_threshold()[1:])
    status = main()
    from ...index import startup_cache

    startup_cache.save()
    # Nothing made from here on needs the cycle collector, and what exists is freed when the
    # process ends: the collections of Python's shutdown (4% of adding a post) are skipped.
    gc.freeze()
    sys.exit(status)
