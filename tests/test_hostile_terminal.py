"""The real console script on a real (pseudo-)terminal, over posts whose titles, bodies, tags
and file names carry escape sequences and markup: the bytes it writes contain none of the
injected sequences, and the placeholders are on the screen for the reader to see."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from conftest import console_script
from hostile import iter_forbidden, make_hostile_archive
from hostile_pty import run_in_pty

pytestmark = pytest.mark.timeout(90)

TAB, SHIFT_TAB, ESCAPE, ENTER = "\t", "\x1b[Z", "\x1b", "\r"


def test_the_reader_shows_hostile_posts_safely(tmp_path: Path) -> None:
    hostile = make_hostile_archive(tmp_path / "root", groups=("escapes", "names", "markup"))
    keys = [  # several keys per write where the screens between them do not matter
        "jj" + TAB + "jj" + TAB,  # a file-name post: its tree and detail
        SHIFT_TAB + SHIFT_TAB + "Gkk",  # the oldest posts: escape payloads
        TAB + "jjj" + TAB + "jj",  # their items, in the detail pane
        SHIFT_TAB + SHIFT_TAB + "/",  # search, with the payloads in snippets
        "hxescosc52",
        ENTER,
        ESCAPE,
        "t",
        ESCAPE,  # the tag picker: tags carry payloads too
        "q",
    ]
    run = run_in_pty(
        [console_script(), "--archive", str(hostile.root)],
        env=dict(os.environ),
        keys=keys,
        settle=0.6,  # quiet this long before the next key (a loaded machine pauses)
    )
    assert run.status == 0, run.output[-3000:]
    leaked = list(iter_forbidden(run.output))
    assert not leaked, f"injected sequences reached the terminal: {leaked}"
    screens = run.screen_text
    assert "Traceback" not in screens
    assert "␛]52;c;SE9TVElMRQ==␇" in screens  # OSC 52 from a title, made visible
    assert "␛]0;PWN" in screens and "⍰" in screens
    assert "[@click=app.quit]q" in screens  # markup in a file name, literally
    assert "hxescosc52" in screens
