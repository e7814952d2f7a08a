"""`python -m digest_tui.tui`: the command line (how the reader starts its indexing child)."""

from __future__ import annotations

from .cli.main import run

run()
