"""What every command shares: the context (roots, config), exit statuses and the one-line error.

Command modules import from here, never from `main`, so the command line has no import circle.
Nothing here imports click: `digest-tui index` runs without it (main.py's `plain_index`).
"""

from __future__ import annotations

import sys
from dataclasses import dataclass

from ...index.paths import (
    Config,
    ConfigError,
    EmptyRootError,
    Roots,
    check_roots,
    load_config,
    resolve_roots,
)
from ...index.sanitize import clean_line

EXIT_RUNTIME = 1
EXIT_USAGE = 2


class UserError(Exception):
    """An error to show the user as one line, with an exit status (1 runtime, 2 usage)."""

    def __init__(self, message: str, status: int = EXIT_RUNTIME) -> None:
        super().__init__(message)
        self.status = status


@dataclass
class Context:
    """What every subcommand needs: the archive roots chosen and the user's config."""

    roots: Roots
    config: Config


def make_context(archives: tuple[str, ...]) -> Context:
    """The roots (`--archive` values, else the variable, the config, the sample posts) and
    the config every command runs with; UserError when they cannot be used."""
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
    return Context(roots, config)


def echo_err(line: str) -> None:
    """Write one line on stderr, at once (as `click.echo(line, err=True)` does)."""
    stream = sys.stderr
    if stream is None:  # no stderr at all (pythonw): nowhere to say it
        return
    stream.write(line + "\n")
    stream.flush()


def error(message: str) -> None:
    """Print the contract's one-line error on stderr."""
    line = " ".join(clean_line(str(message)).split())
    echo_err(f"digest-tui: error: {line}")
