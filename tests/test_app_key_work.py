"""What a key press costs the reader: it redraws what changed, not the whole screen's widgets.

At 5,000 posts every key must answer within 100 ms (tests/benchmarks/bench_startup.py
measures it); these tests pin the work that made keys slow, so it does not come back.
"""

from __future__ import annotations

from pathlib import Path

from textual.widgets._footer import FooterKey
from tui_helpers import make_app, settle, small_archive


async def test_moving_between_panes_keeps_the_footer_keys(tmp_path: Path) -> None:
    """Textual's Footer rebuilt its dozens of keys on every focus move (most of `tab`'s time
    at 5,000 posts); the reader's footer rebuilds only when the keys it shows change."""
    app = make_app(small_archive(tmp_path))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        before = list(app.screen.query(FooterKey))
        assert [k.description for k in before][:3] == ["Search", "Tag", "Asset"]
        for key in ("tab", "tab", "tab", "shift+tab", "a", "escape"):
            await pilot.press(key)
            await settle(app, pilot)
        assert list(app.screen.query(FooterKey)) == before, "the same widgets: not rebuilt"


async def test_the_footer_follows_a_narrowed_terminal(tmp_path: Path) -> None:
    """The palette's key leaves the footer under 80 columns, at once (no key needed)."""
    app = make_app(small_archive(tmp_path))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        palette = [k for k in app.screen.query(FooterKey) if k.has_class("-command-palette")]
        assert palette, "the palette's key is shown at 120 columns"
        await pilot.resize_terminal(70, 40)
        await settle(app, pilot)
        keys = list(app.screen.query(FooterKey))
        assert keys and not [k for k in keys if k.has_class("-command-palette")]
