"""What every command shares: the context (roots, config), exit statuses and the one-line error.

Command modules import from here, never from `main`, so the command line has no import circle.
"""

from __future__ import annotations

from dataclasses import dataclass

import click

from ...index.paths import Config, Roots
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


def error(message: str) -> None:
    """Print the contract's one-line error on stderr."""
    line = " ".join(clean_line(str(message)).split())
    click.echo(f"digest-tui: error: {line}", err=True)
