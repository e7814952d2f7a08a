"""The headless core never loads textual: the CLI commands and benchmarks start fast."""

from __future__ import annotations

import subprocess
import sys

CORE_MODULES = [
    "digest_tui.index.model",
    "digest_tui.index.source",
    "digest_tui.index.archive",
    "digest_tui.index.paths",
    "digest_tui.index.parse",
    "digest_tui.index.assets",
    "digest_tui.index.library",
]


def test_core_does_not_import_textual() -> None:
    code = (
        "import importlib, sys\n"
        f"for name in {CORE_MODULES!r}:\n"
        "    importlib.import_module(name)\n"
        "loaded = sorted(m for m in sys.modules if m == 'textual' or m.startswith('textual.'))\n"
        "print(','.join(loaded))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "", f"core loaded textual modules: {result.stdout}"


def test_cli_subcommands_do_not_import_textual() -> None:
    code = (
        "import sys\n"
        "from digest_tui.tui import cli\n"
        "cli._register_commands()\n"
        "print('textual' in sys.modules)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"
