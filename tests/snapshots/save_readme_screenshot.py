#!/usr/bin/env python3
"""Save the README's pictures of the reader on the bundled sample posts: docs/screenshot.svg
(the three panes) and docs/market.svg (the market view).

    .venv/bin/python tests/snapshots/save_readme_screenshot.py

Opens the newest sample post's first item (impacts colour-coded) at 120x36 and saves the
screen with App.save_screenshot, then `v` and the market view the same way; each wide
character is then fitted to its two cells (svg_cells) so that a browser draws the Chinese as
the terminal does. Caches go to a temporary folder; nothing else is written.
"""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
from pathlib import Path

TESTS = Path(__file__).resolve().parents[1]
DOCS = TESTS.parent / "docs"


async def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["HOME"] = tmp  # the hint then shows ~/.config/digest-tui/config.toml
        os.environ["XDG_CONFIG_HOME"] = str(Path(tmp) / ".config")
        os.environ["XDG_CACHE_HOME"] = str(Path(tmp) / ".cache")
        os.environ["XDG_DATA_HOME"] = str(Path(tmp) / ".local" / "share")
        sys.path.insert(0, str(TESTS))
        from tui_helpers import make_app, settle

        app = make_app(None)
        async with app.run_test(size=(120, 36)) as pilot:
            await settle(app, pilot)
            for key in ("tab", "j", "j"):
                await pilot.press(key)
                await settle(app, pilot)
            app.clear_notifications()
            await pilot.pause()
            DOCS.mkdir(exist_ok=True)
            app.save_screenshot("screenshot.svg", str(DOCS))
            await pilot.press("v")
            await settle(app, pilot)
            app.clear_notifications()
            await pilot.pause()
            app.save_screenshot("market.svg", str(DOCS))
    from svg_cells import fit_cells  # beside this script

    for name in ("screenshot.svg", "market.svg"):
        picture = DOCS / name
        picture.write_text(fit_cells(picture.read_text(encoding="utf-8")), encoding="utf-8")
        print(picture)


if __name__ == "__main__":
    asyncio.run(main())
