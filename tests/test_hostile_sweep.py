"""Beyond the known attacks: every C0/C1 control character and every bidi control, in every
place a post has text (file name, title, tags, category, summary, headings, body, impacts),
through parse -> index -> search -> show, as text and as JSON. Nothing may reach the output
raw; the JSON must read back exactly; nothing may crash. Also: a post that vanishes between
the scan and the read is a removal, never an error."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from digest_tui.index.archive import PostFile
from digest_tui.tui.cli.main import main
from hostile import BIDI, yaml_quoted

pytestmark = pytest.mark.timeout(60)

#: Every character a terminal could act on: C0 (but newline), DEL, C1, bidi controls.
SWEEP = [chr(c) for c in range(0x00, 0xA0) if (c < 0x20 or c >= 0x7F) and c != 0x0A]
SWEEP += list(BIDI)
DANGEROUS_BYTES = [c.encode("utf-8") for c in SWEEP if c not in "\t"]


def sweep_archive(root: Path, per_post: int = 8) -> list[str]:
    """One post per `per_post` characters, the characters in every field and in its name."""
    root.mkdir(parents=True)
    names = []
    for start in range(0, len(SWEEP), per_post):
        chars = "".join(SWEEP[start : start + per_post])
        number = start // per_post + 1
        in_name = "".join(c for c in chars if c not in "\x00/")
        name = f"2026-03-{number:02d}-sweep{in_name}.md"
        title = yaml_quoted(f"题{chars}目 sweeptitle")
        text = (
            f"---\ntitle: {title}\ndate: 2026-03-{number:02d}\n"
            f"category: {yaml_quoted('类' + chars)}\ntags: [{yaml_quoted('签' + chars)}]\n"
            f"summary: {yaml_quoted('- 摘' + chars + '要')}\n---\n"
            f"# 头{chars}\n\n## 栏{chars}目\n\n### 条{chars}目\n\n"
            f"**时间：** 08:00{chars}\n\n- **核心要点：** 点{chars} sweepbody\n\n"
            f"**影响：**\n- 对黄金：利多。{chars}\n- **对美{chars}元**：利空。\n\n"
            f"`{chars}` [链{chars}](https://example.com/{chars})\n"
        )
        (root / name).write_bytes(text.encode("utf-8"))
        names.append(name)
    return names


def run_here(
    capfdbinary: pytest.CaptureFixture[bytes], *argv: str
) -> subprocess.CompletedProcess[bytes]:
    capfdbinary.readouterr()
    status = main(list(argv))
    out, err = capfdbinary.readouterr()
    return subprocess.CompletedProcess(argv, status, out, err)


def assert_no_raw_controls(data: bytes, where: str) -> None:
    text = data.decode("utf-8")  # the output is valid UTF-8, whatever the names held
    found = sorted({f"U+{ord(c):04X}" for c in text if c in SWEEP and c not in "\n\t"})
    assert not found, f"{where} carries raw control characters: {found}"


def test_every_control_character_through_index_search_and_show(
    tmp_path: Path, capfdbinary: pytest.CaptureFixture[bytes], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "300")
    root = tmp_path / "sweep"
    names = sweep_archive(root)
    archive = ["--archive", str(root)]
    for argv in (
        ["index"],
        ["search", "--limit", "0", "sweeptitle"],
        ["tags"],
        ["assets"],
        ["show", *names],
        ["search", "--json", "--limit", "0", "sweepbody"],
        ["show", "--json", *names],
        ["tags", "--json"],
    ):
        done = run_here(capfdbinary, *archive, *argv)
        assert done.returncode == 0, (argv, done.stderr[-2000:])
        assert_no_raw_controls(done.stdout, f"{argv[0]} stdout")
        assert_no_raw_controls(done.stderr, f"{argv[0]} stderr")
        if "--json" in argv:
            data = json.loads(done.stdout)
            if argv[0] == "show":
                assert sorted(p["path"] for p in data) == sorted(names)  # exact, read back
                for post in data:  # the frontmatter was read, controls and all
                    assert post["title"].startswith("题") and post["tags"], post["warnings"]
                    assert post["items"], post["path"]
            elif argv[0] == "search":
                assert {h["path"] for h in data["hits"]} == set(names)


def test_a_post_that_vanishes_between_scan_and_read_is_a_removal(
    tmp_path: Path, capfdbinary: pytest.CaptureFixture[bytes], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The scan finds a file that is gone when it is read (root runs the tests, so chmod 000
    cannot stand in for this): index, search and show carry on without it."""
    root = tmp_path / "archive"
    names = sweep_archive(root, per_post=40)
    ghost_name = "2026-03-09-ghost.md"
    import digest_tui.index.archive as archive_module

    real_find_all = archive_module.find_all
    real_scan_all = archive_module.scan_all
    ghost_mtime = 1_700_000_000_000_000_000

    def find_all_with_ghost(roots, skipped=None):
        found = real_find_all(roots, skipped)
        return [*found, PostFile(Path(roots[0]), ghost_name, 120, ghost_mtime)]

    def scan_all_with_ghost(roots, skipped=None):  # what an update scans
        return [*real_scan_all(roots, skipped), (str(roots[0]), ghost_name, 120, ghost_mtime)]

    for module in [m for name, m in sys.modules.items() if name.startswith("digest_tui")]:
        if getattr(module, "find_all", None) is real_find_all:
            monkeypatch.setattr(module, "find_all", find_all_with_ghost)
        if getattr(module, "scan_all", None) is real_scan_all:
            monkeypatch.setattr(module, "scan_all", scan_all_with_ghost)
    archive = ["--archive", str(root)]
    done = run_here(capfdbinary, *archive, "index")
    assert done.returncode == 0, done.stderr
    assert b"Traceback" not in done.stderr
    done = run_here(capfdbinary, *archive, "search", "--json", "--limit", "0", "sweepbody")
    assert done.returncode == 0, done.stderr
    assert {hit["path"] for hit in json.loads(done.stdout)["hits"]} == set(names)
    done = run_here(capfdbinary, *archive, "show", "--json", "2026-03-01")
    assert done.returncode == 0, done.stderr
    done = run_here(capfdbinary, *archive, "show", "2026-03-09")
    assert done.returncode == 1  # the ghost's date: no such post now, one line
    assert done.stderr.decode().startswith("digest-tui: error: no post dated 2026-03-09")
