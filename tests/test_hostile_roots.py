"""Hostile archives, round two: archive roots that are empty paths are refused (issue 12)."""

from __future__ import annotations

from pathlib import Path

import pytest
from digest_tui.tui.cli.main import main


def _run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    status = main(args)
    out, err = capsys.readouterr()
    return status, out, err


def _assert_usage_error(status: int, out: str, err: str) -> None:
    assert status == 2, (status, out, err)
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("digest-tui: error: "), err
    assert "empty" in lines[0]
    assert "hits" not in out


@pytest.mark.parametrize("archives", [[""], ["  "], ["", "."]])
def test_an_empty_archive_option_is_a_usage_error(
    archives: list[str],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "2026-01-01-here.md").write_text("# 美联储 here\n\n美联储\n", encoding="utf-8")
    args = [a for archive in archives for a in ("--archive", archive)]
    _assert_usage_error(*_run([*args, "search", "美联储"], capsys))


@pytest.mark.parametrize("value", [":", "::", ":/nowhere-but-fine"])
def test_an_empty_part_of_the_variable_is_a_usage_error(
    value: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DIGEST_TUI_ARCHIVE", value)
    _assert_usage_error(*_run(["search", "美联储"], capsys))


@pytest.mark.parametrize("archives", ['[""]', '["   "]'])
def test_an_empty_path_in_the_config_is_a_usage_error(
    archives: str,
    capsys: pytest.CaptureFixture[str],
    isolated_dirs: dict[str, Path],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    monkeypatch.chdir(tmp_path)
    config = isolated_dirs["config"] / "digest-tui" / "config.toml"
    config.parent.mkdir(parents=True)
    config.write_text(f"archives = {archives}\n", encoding="utf-8")
    _assert_usage_error(*_run(["search", "美联储"], capsys))
