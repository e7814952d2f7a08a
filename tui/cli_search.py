"""`index`, `search`, `tags` and `assets`: the search index from the command line."""

from __future__ import annotations

COMMANDS: list = []
