"""Hostile archives, round two: no path out of a root (issue 12, point 6). A post that is, or
becomes, a link to a file outside its archive is never read: not by `show`, not by the index,
not by the reader, whether the link was there when the archive was listed or swapped in after."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from digest_tui.index.archive import find_all, open_inside
from digest_tui.index.parse.post import parse_post
from digest_tui.index.parse.source import read_post
from digest_tui.index.search.units import file_hash
from tui_helpers import date_rows, detail_text, make_app, settle, write_post

SECRET = "外部机密文件内容"


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    folder = tmp_path / "outside"
    folder.mkdir()
    write_post(folder, "2026-04-02-secret.md", title=SECRET, date="2026-04-02")
    return folder / "2026-04-02-secret.md"


@pytest.fixture
def root(tmp_path: Path) -> Path:
    root = tmp_path / "archive"
    write_post(root, "2026-04-01-a.md", title="四月一日早报", date="2026-04-01")
    write_post(root, "sub/2026-04-03-b.md", title="四月三日早报", date="2026-04-03")
    return root


def test_show_refuses_a_post_that_links_out_of_its_root(run_cli, root: Path, outside: Path) -> None:
    (root / "2026-04-02-link.md").symlink_to(outside)
    for args in (["2026-04-02-link.md"], [str(root / "2026-04-02-link.md")], ["2026-04-02"]):
        done = run_cli("--archive", str(root), "show", *args)
        assert SECRET not in done.stdout + done.stderr, args
        assert "Traceback" not in done.stderr
        assert done.returncode != 0 or done.stdout.strip() == "", args
    done = run_cli("--archive", str(root), "show", "--json", "2026-04-02-link.md")
    assert done.returncode == 1 and SECRET not in done.stdout
    assert done.stderr.startswith("digest-tui: error: ") and "outside" in done.stderr


def test_a_post_swapped_for_a_link_after_listing_is_not_read(root: Path, outside: Path) -> None:
    listed = {pf.path: pf for pf in find_all([root])}
    post_file = listed["2026-04-01-a.md"]
    post_file.full_path.unlink()
    post_file.full_path.symlink_to(outside)
    for read in (
        lambda: parse_post(post_file),
        lambda: read_post(post_file.full_path, post_file.root),
        lambda: file_hash(post_file.full_path, post_file.root),
    ):
        with pytest.raises(OSError):
            read()
    # a folder on the way swapped for a link out of the root is caught the same way
    sub = listed["sub/2026-04-03-b.md"]
    (root / "sub" / "2026-04-03-b.md").unlink()
    (root / "sub").rmdir()
    (root / "sub").symlink_to(outside.parent)
    os.rename(outside, outside.parent / "2026-04-03-b.md")
    with pytest.raises(OSError):
        parse_post(sub)
    with pytest.raises(OSError):
        open_inside(sub.full_path, sub.root)


def test_a_link_that_stays_inside_the_root_is_still_a_post(root: Path) -> None:
    (root / "2026-04-05-alias.md").symlink_to(root / "2026-04-01-a.md")
    listed = {pf.path: pf for pf in find_all([root])}
    assert parse_post(listed["2026-04-05-alias.md"]).title == "四月一日早报"


def test_the_index_never_holds_text_from_outside(run_cli, root: Path, outside: Path) -> None:
    assert run_cli("--archive", str(root), "index").returncode == 0
    (root / "2026-04-01-a.md").unlink()
    (root / "2026-04-01-a.md").symlink_to(outside)  # changed since the index was built
    found = run_cli("--archive", str(root), "search", SECRET, "--json")
    assert found.returncode == 0, found.stderr
    assert json.loads(found.stdout)["hits"] == []


async def test_the_reader_does_not_show_a_post_swapped_for_a_link(
    root: Path, outside: Path
) -> None:
    app = make_app(root)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        assert len(date_rows(app)) == 2
        target = root / "2026-04-01-a.md"  # the older post, not opened yet
        target.unlink()
        target.symlink_to(outside)
        await pilot.press("j")
        await settle(app, pilot)
        shown = detail_text(app) + "".join(n.message for n in app._notifications)
        assert SECRET not in shown
        assert SECRET not in "".join(date_rows(app))
