"""`unread`, `mark`, `star`, `unstar`, `starred`, `state export|import` and the is: filters,
through the real console script: what they print, what they keep, and every error."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from tui_helpers import ECON_POST, write_post

OLD, NEW = "2026-03-01", "2026-03-02"


@pytest.fixture
def archive(tmp_path: Path) -> Path:
    root = tmp_path / "small"
    write_post(root, "2026-03-01-a.md", title="三月开局：金价走强", date=OLD)
    write_post(root, "2026-03-02-b.md", title="周一早报：美元回落", date=NEW, tag="外汇")
    write_post(root, "2026-03-02-c.md", title="周一晚报：油价企稳", date=NEW, tag="能源")
    return root


def ok(result) -> str:  # type: ignore[no-untyped-def]
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    return result.stdout


def js(run_cli, root: Path, *args: str, env: dict[str, str] | None = None):  # type: ignore[no-untyped-def]
    return json.loads(ok(run_cli("--archive", str(root), *args, "--json", env=env)))


def usage_error(result, *words: str) -> None:  # type: ignore[no-untyped-def]
    assert result.returncode == 2, (result.returncode, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert lines[-1].startswith("digest-tui: error: "), result.stderr
    assert all(w in lines[-1] for w in words), lines[-1]
    assert "Traceback" not in result.stderr


def ids(run_cli, root: Path, post: str) -> dict[str, str]:  # type: ignore[no-untyped-def]
    shown = json.loads(ok(run_cli("--archive", str(root), "show", post, "--json")))
    return {item["title"]: item["id"] for item in shown["items"]}


def unread_map(run_cli, root: Path, env: dict[str, str] | None = None) -> dict[str, int]:  # type: ignore[no-untyped-def]
    return {p["path"]: p["unread"] for p in js(run_cli, root, "unread", env=env)}


def test_first_run_reading_starts_at_the_newest_day(run_cli, archive: Path) -> None:
    posts = js(run_cli, archive, "unread")
    assert [p["path"] for p in posts] == ["2026-03-02-c.md", "2026-03-02-b.md"]
    assert posts[0] == {
        "path": "2026-03-02-c.md",
        "root": str(archive),
        "date": NEW,
        "title": "周一晚报：油价企稳",
        "items": 2,
        "unread": 2,
    }
    # a post that arrives later is unread, whatever its date
    write_post(archive, "2026-02-20-late.md", title="补发：二月旧闻", date="2026-02-20")
    assert unread_map(run_cli, archive) == {
        "2026-03-02-c.md": 2,
        "2026-03-02-b.md": 2,
        "2026-02-20-late.md": 2,
    }
    text = ok(run_cli("--archive", str(archive), "unread"))
    assert "周一晚报：油价企稳" in text and "6 unread items in 3 posts" in text


def test_mark_items_posts_dates_all_until(run_cli, archive: Path) -> None:
    gold = ids(run_cli, archive, "2026-03-02-b.md")["金价再创新高"]
    result = run_cli("--archive", str(archive), "mark", f"2026-03-02-b.md#{gold}")
    ok(result)
    assert "marked 1 item read" in result.stderr
    assert unread_map(run_cli, archive) == {"2026-03-02-c.md": 2, "2026-03-02-b.md": 1}
    ok(run_cli("--archive", str(archive), "mark", str(archive / "2026-03-02-c.md")))
    assert unread_map(run_cli, archive) == {"2026-03-02-b.md": 1}
    ok(run_cli("--archive", str(archive), "mark", "--unread", OLD))
    assert unread_map(run_cli, archive) == {"2026-03-02-b.md": 1, "2026-03-01-a.md": 2}
    ok(run_cli("--archive", str(archive), "mark", "--all"))
    assert unread_map(run_cli, archive) == {}
    ok(run_cli("--archive", str(archive), "mark", "--unread", "--until", OLD))
    assert unread_map(run_cli, archive) == {"2026-03-01-a.md": 2}
    ok(run_cli("--archive", str(archive), "mark", "--unread", NEW))
    assert len(unread_map(run_cli, archive)) == 3


def test_star_note_unstar_starred(run_cli, archive: Path) -> None:
    item = ids(run_cli, archive, "2026-03-01-a.md")["原油库存意外下降"]
    target = f"2026-03-01-a.md#{item}"
    ok(run_cli("--archive", str(archive), "star", target, "--note", "库存数据周三再看"))
    gold = ids(run_cli, archive, "2026-03-02-c.md")["金价再创新高"]
    ok(run_cli("--archive", str(archive), "star", f"2026-03-02-c.md#{gold}"))
    starred = js(run_cli, archive, "starred")
    assert [s["item_title"] for s in starred] == ["金价再创新高", "原油库存意外下降"]
    first = starred[1]
    assert set(first) == {
        "path",
        "root",
        "date",
        "post_title",
        "item_id",
        "item_title",
        "note",
        "starred_at",
    }
    assert (first["path"], first["item_id"], first["note"], first["date"]) == (
        "2026-03-01-a.md",
        item,
        "库存数据周三再看",
        OLD,
    )
    assert first["post_title"] == "三月开局：金价走强" and first["root"] == str(archive)
    ok(run_cli("--archive", str(archive), "star", target, "--note", "改了"))
    assert js(run_cli, archive, "starred")[1]["note"] == "改了"
    text = ok(run_cli("--archive", str(archive), "starred"))
    assert "★ 原油库存意外下降" in text and "改了" in text
    ok(run_cli("--archive", str(archive), "unstar", target))
    assert [s["item_title"] for s in js(run_cli, archive, "starred")] == ["金价再创新高"]
    again = run_cli("--archive", str(archive), "unstar", target)
    assert again.returncode == 0 and "was not starred" in again.stderr


def test_search_is_filters_and_options(run_cli, archive: Path) -> None:
    def hits(*args: str) -> set[tuple[str, str | None]]:
        found = js(run_cli, archive, "search", *args, "--limit", "0")
        return {(h["path"], h["item_title"]) for h in found["hits"]}

    everything = hits("现货黄金")
    assert len(everything) == 3
    assert hits("现货黄金", "--unread") == {p for p in everything if p[0].startswith("2026-03-02")}
    assert hits("现货黄金 is:unread") == hits("现货黄金", "--unread")
    assert hits("现货黄金 is:read") == {("2026-03-01-a.md", "金价再创新高")}
    gold = ids(run_cli, archive, "2026-03-02-b.md")["金价再创新高"]
    ok(run_cli("--archive", str(archive), "star", f"2026-03-02-b.md#{gold}"))
    assert hits("现货黄金", "--starred") == {("2026-03-02-b.md", "金价再创新高")}
    assert hits("现货黄金 -is:starred") == everything - {("2026-03-02-b.md", "金价再创新高")}
    ok(run_cli("--archive", str(archive), "mark", f"2026-03-02-b.md#{gold}"))
    assert ("2026-03-02-b.md", "金价再创新高") in hits("现货黄金 is:read")


def test_errors_are_one_line_with_the_contracts_status(run_cli, archive: Path) -> None:
    a = ["--archive", str(archive)]
    usage_error(run_cli(*a, "mark", "nope.md"), "no such post", "nope.md")
    usage_error(run_cli(*a, "mark", "2026-03-01-a.md#nope"), "no item nope")
    usage_error(run_cli(*a, "star", "2026-03-01-a.md#nope"), "no item nope")
    usage_error(run_cli(*a, "unstar", "missing.md#x"), "no such post")
    usage_error(run_cli(*a, "star", "2026-03-01-a.md"), "POST#ITEM_ID")
    usage_error(run_cli(*a, "mark", "--until", "2026-02-30"), "--until")
    usage_error(run_cli(*a, "mark", "2026-13-01"), "not a valid date")
    usage_error(run_cli(*a, "mark", "2026-01-01"), "no post dated 2026-01-01")
    usage_error(run_cli(*a, "mark"), "--all")
    usage_error(run_cli(*a, "mark", "--all", OLD), "one of them")
    usage_error(run_cli(*a, "mark", "--bogus"), "--bogus")
    usage_error(run_cli(*a, "search", "金价 is:nothing"), "is: takes unread, read or starred")
    usage_error(run_cli(*a, "state", "import", str(archive / "none.json")), "no such file")
    bad = archive.parent / "bad.json"
    bad.write_text("{not json", encoding="utf-8")
    result = run_cli(*a, "state", "import", str(bad))
    assert result.returncode == 1 and result.stderr.startswith("digest-tui: error: ")
    bad.write_text('{"format": "something else"}', encoding="utf-8")
    result = run_cli(*a, "state", "import", str(bad))
    assert result.returncode == 1 and "not a digest-tui state file" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_marks_survive_rebuild_damage_insert_above_and_a_moved_archive(
    run_cli, archive: Path, isolated_dirs: dict[str, Path]
) -> None:
    post = "2026-03-02-b.md"
    crude = ids(run_cli, archive, post)["原油库存意外下降"]
    ok(run_cli("--archive", str(archive), "star", f"{post}#{crude}", "--note", "留意"))
    ok(run_cli("--archive", str(archive), "mark", f"{post}#{crude}"))
    expected_unread = {"2026-03-02-c.md": 2, post: 1}
    assert unread_map(run_cli, archive) == expected_unread

    ok(run_cli("--archive", str(archive), "index", "--rebuild"))
    assert unread_map(run_cli, archive) == expected_unread

    for path in isolated_dirs["cache"].rglob("*"):  # damage every index file
        if path.is_file():
            path.write_bytes(b"\x00garbage" * 64)
    assert unread_map(run_cli, archive) == expected_unread
    assert js(run_cli, archive, "starred")[0]["item_id"] == crude

    # an edit inserts an item above the starred one: the star and the mark stay with it
    text = ECON_POST.format(title="周一早报：美元回落", date=NEW, tag="外汇")
    text = text.replace(
        "## 贵金属\n", "## 贵金属\n\n### 新插入的快讯\n\n- **时间：** 08:00\n\n正文。\n"
    )
    (archive / post).write_text(text, encoding="utf-8")
    starred = js(run_cli, archive, "starred")
    assert [(s["item_title"], s["note"]) for s in starred] == [("原油库存意外下降", "留意")]
    assert unread_map(run_cli, archive)[post] == 2  # the new item and 金价再创新高

    moved = archive.parent / "moved" / "elsewhere"
    moved.parent.mkdir()
    shutil.move(str(archive), str(moved))
    starred = js(run_cli, moved, "starred")
    assert starred[0]["root"] == str(moved) and starred[0]["item_id"] == crude
    assert unread_map(run_cli, moved) == {"2026-03-02-c.md": 2, post: 2}


def test_export_import_reproduces_starred_and_unread(
    run_cli, archive: Path, tmp_path: Path
) -> None:
    a = ["--archive", str(archive)]
    gold = ids(run_cli, archive, "2026-03-01-a.md")["金价再创新高"]
    ok(run_cli(*a, "star", f"2026-03-01-a.md#{gold}", "--note", "备注"))
    ok(run_cli(*a, "mark", "2026-03-02-c.md"))
    ok(run_cli(*a, "mark", "--unread", f"2026-03-01-a.md#{gold}"))
    exported = tmp_path / "state.json"
    ok(run_cli(*a, "state", "export", str(exported)))
    assert json.loads(ok(run_cli(*a, "state", "export"))) == json.loads(exported.read_text())

    fresh = {"XDG_DATA_HOME": str(tmp_path / "other-data")}
    ok(run_cli(*a, "state", "import", str(exported), env=fresh))
    for command in ("starred", "unread"):
        assert js(run_cli, archive, command, env=fresh) == js(run_cli, archive, command)


def test_import_keeps_entries_of_posts_this_machine_lacks(
    run_cli, archive: Path, tmp_path: Path
) -> None:
    elsewhere = tmp_path / "elsewhere"
    shutil.copytree(archive, elsewhere)
    write_post(elsewhere, "2026-03-03-d.md", title="周二早报：只在另一台机器上", date="2026-03-03")
    item = ids(run_cli, elsewhere, "2026-03-03-d.md")["原油库存意外下降"]
    ok(run_cli("--archive", str(elsewhere), "star", f"2026-03-03-d.md#{item}", "--note", "远方"))
    ok(run_cli("--archive", str(elsewhere), "mark", f"2026-03-03-d.md#{item}"))
    exported = tmp_path / "state.json"
    ok(run_cli("--archive", str(elsewhere), "state", "export", str(exported)))

    here = {"XDG_DATA_HOME": str(tmp_path / "here-data")}
    ok(run_cli("--archive", str(archive), "state", "import", str(exported), env=here))
    result = run_cli("--archive", str(archive), "starred", "--json", env=here)
    assert json.loads(ok(result)) == [] and "1 more starred item" in result.stderr
    shutil.copy(elsewhere / "2026-03-03-d.md", archive / "2026-03-03-d.md")
    starred = js(run_cli, archive, "starred", env=here)
    assert [(s["path"], s["note"]) for s in starred] == [("2026-03-03-d.md", "远方")]
    assert unread_map(run_cli, archive, env=here)["2026-03-03-d.md"] == 1


def test_a_damaged_state_file_is_kept_and_commands_go_on(
    run_cli, archive: Path, isolated_dirs: dict[str, Path]
) -> None:
    ok(run_cli("--archive", str(archive), "unread"))
    state = isolated_dirs["data"] / "digest-tui" / "state.db"
    for extra in state.parent.glob("state.db-*"):
        extra.unlink()
    state.write_bytes(b"garbage, not sqlite" * 100)
    result = run_cli("--archive", str(archive), "unread", "--json")
    assert result.returncode == 0, result.stderr
    notices = [line for line in result.stderr.splitlines() if "reading state" in line]
    assert len(notices) == 1 and "kept it as state.db.damaged-" in notices[0]
    assert any(p.name.startswith("state.db.damaged-") for p in state.parent.iterdir())
    assert json.loads(result.stdout)  # a fresh state: the newest day unread again


def test_the_state_is_never_written_inside_an_archive(run_cli, archive: Path) -> None:
    inside = {"XDG_DATA_HOME": str(archive / "data")}
    result = run_cli("--archive", str(archive), "unread", env=inside)
    assert result.returncode == 1
    assert result.stderr.strip().splitlines()[-1].startswith("digest-tui: error: ")
    assert "inside an archive folder" in result.stderr
    assert not (archive / "data").exists()
