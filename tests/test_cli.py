"""The console script as a user runs it: help, version, one-line errors and exit statuses."""

from __future__ import annotations

from pathlib import Path


def test_version_and_help(run_cli) -> None:
    result = run_cli("--version")
    assert result.returncode == 0
    assert result.stdout.startswith("digest-tui ")
    result = run_cli("--help")
    assert result.returncode == 0
    for word in ("--archive", "DIGEST_TUI_ARCHIVE", "config.toml", "show", "search"):
        assert word in result.stdout


def test_unknown_option_is_a_one_line_usage_error(run_cli) -> None:
    result = run_cli("--frobnicate")
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("digest-tui: error: ")
    assert "Traceback" not in result.stderr


def test_unknown_command_is_a_usage_error(run_cli) -> None:
    result = run_cli("frobnicate")
    assert result.returncode == 2
    assert result.stderr.startswith("digest-tui: error: ")


def test_missing_archive_is_a_runtime_error(run_cli, tmp_path: Path) -> None:
    result = run_cli("--archive", str(tmp_path / "nope"), "show", "2026-11-02")
    assert result.returncode == 1
    assert result.stderr.strip() == (
        f"digest-tui: error: archive folder {tmp_path / 'nope'} does not exist"
    )


def test_archive_variable_and_config_precedence(
    run_cli, tmp_path: Path, isolated_dirs: dict[str, Path]
) -> None:
    from_env, from_config = tmp_path / "env", tmp_path / "cfg"
    for root, title in ((from_env, "来自变量"), (from_config, "来自配置")):
        root.mkdir()
        (root / "2026-11-02-a.md").write_text(
            f"---\ntitle: {title}\ndate: 2026-11-02\n---\n正文\n", encoding="utf-8"
        )
    config = isolated_dirs["config"] / "digest-tui" / "config.toml"
    config.parent.mkdir(parents=True)
    config.write_text(f'archives = ["{from_config}"]\n', encoding="utf-8")
    result = run_cli("show", "2026-11-02", "--json")
    assert result.returncode == 0, result.stderr
    assert "来自配置" in result.stdout
    result = run_cli("show", "2026-11-02", "--json", env={"DIGEST_TUI_ARCHIVE": str(from_env)})
    assert "来自变量" in result.stdout
    result = run_cli(
        "--archive",
        str(from_config),
        "show",
        "2026-11-02",
        "--json",
        env={"DIGEST_TUI_ARCHIVE": str(from_env)},
    )
    assert "来自配置" in result.stdout


def test_broken_config_is_a_one_line_error(run_cli, isolated_dirs: dict[str, Path]) -> None:
    config = isolated_dirs["config"] / "digest-tui" / "config.toml"
    config.parent.mkdir(parents=True)
    config.write_text('colors = "purple"\n', encoding="utf-8")
    result = run_cli("show", "2026-11-02")
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1 and "colors" in result.stderr


def test_shell_completion_as_the_readme_documents_it(run_cli) -> None:
    script = run_cli(env={"_DIGEST_TUI_COMPLETE": "bash_source"})
    assert script.returncode == 0 and "_digest_tui_completion" in script.stdout
    done = run_cli(
        env={
            "_DIGEST_TUI_COMPLETE": "bash_complete",
            "COMP_WORDS": "digest-tui se",
            "COMP_CWORD": "1",
        }
    )
    assert done.returncode == 0 and "plain,search" in done.stdout.splitlines()


def test_a_plain_index_runs_without_click_and_says_what_click_says(
    run_cli, tmp_path: Path, isolated_dirs: dict[str, Path]
) -> None:
    """`digest-tui [--archive DIR]... index` is run without click (tui/cli/main.py): its
    errors and statuses are those of the same command run through click (a trailing `--`
    sends it there)."""
    config = isolated_dirs["config"] / "digest-tui" / "config.toml"
    folder_file = tmp_path / "a-file.md"
    folder_file.write_text("not a folder\n", encoding="utf-8")
    (tmp_path / "posts").mkdir()
    cases = [
        ["--archive", str(tmp_path / "nope"), "index"],
        [f"--archive={tmp_path / 'nope'}", "index", "--rebuild"],
        ["--archive", str(folder_file), "index"],
        ["--archive", "", "index"],
        ["--archive", str(tmp_path / "posts"), "--archive", str(tmp_path / "gone"), "index"],
        ["index", "--rebuild", "--frobnicate"],  # click's usage error, both ways
    ]
    for args in cases:
        plain, through_click = run_cli(*args), run_cli(*args, "--")
        assert plain.stderr.startswith("digest-tui: error: "), (args, plain.stderr)
        assert (plain.returncode, plain.stderr) == (through_click.returncode, through_click.stderr)
    config.parent.mkdir(parents=True)
    config.write_text('colors = "purple"\n', encoding="utf-8")
    plain, through_click = run_cli("index"), run_cli("index", "--")
    assert plain.returncode == 1 and "colors" in plain.stderr
    assert (plain.returncode, plain.stderr) == (through_click.returncode, through_click.stderr)
