"""The command line: `main` (the click group and the entry point), one module per command
group (`show`, `search` with index/tags/assets), `errors` (context, exit statuses, the
one-line error) and `index_progress` (the child-process progress protocol of `index`).

Importing it first installs the start-up cache (index/startup_cache.py), so the regular
expressions and dataclass methods of every module a command imports after it are compiled
once, not in every run; `main.run` saves what a run compiled anew. DIGEST_TUI_NO_STARTUP_CACHE=1
turns it off (everything is then compiled as Python does, and no file is read or written)."""

import os

from ...index import startup_cache

if os.environ.get("DIGEST_TUI_NO_STARTUP_CACHE", "") in ("", "0"):
    startup_cache.install(startup_cache.default_folder())
