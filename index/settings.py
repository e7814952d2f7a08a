"""What the reader remembers across launches: colour convention, theme, pane widths.

A small JSON object in the user's data folder (platformdirs, so XDG_DATA_HOME moves it):
`$XDG_DATA_HOME/digest-tui/settings.json`. Reading never fails (a missing or damaged file
is no settings); writing replaces the file whole (write, then rename), so a crash never
leaves half a file. A remembered choice wins over config.toml's default for it.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

import platformdirs

from .paths import APP_NAME, private_dir

FILE_NAME = "settings.json"


def settings_path() -> Path:
    return platformdirs.user_data_path(APP_NAME) / FILE_NAME


def load_settings(path: Path | None = None) -> dict[str, Any]:
    """Every remembered setting ({} when there is none or the file cannot be read)."""
    try:
        data = json.loads((path or settings_path()).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def remember(key: str, value: Any, path: Path | None = None) -> bool:
    """Store one setting beside the others; False when it could not be written."""
    target = path or settings_path()
    settings = load_settings(target)
    settings[key] = value
    try:
        private_dir(target.parent)
        fd, temporary = tempfile.mkstemp(prefix=".settings-", dir=target.parent)
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            json.dump(settings, out, ensure_ascii=False, indent=1)
        os.replace(temporary, target)
    except OSError:
        return False
    return True
