"""The start-up cache (index/startup_cache.py): what a command compiles while importing its
modules is compiled once and reused by the next runs, with the very same results."""

from __future__ import annotations

import dataclasses
import importlib
import json
import os
import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from re import _compiler  # type: ignore[attr-defined]

import pytest
from digest_tui.index import paths, startup_cache
from digest_tui.index.startup_cache import StartupCache

MODULE = """
import re
from dataclasses import dataclass, field

WORD = re.compile(r"(?P<word>[0-9a-z]+)(?:-(?P<tail>\\d+))?", re.I)
CJK = re.compile("利多|利好|偏多|(?<!不)利空")
LINE = re.compile(rb"^#+ ", re.M)


@dataclass(frozen=True)
class Point:
    x: int
    y: int = 0
    tags: tuple[str, ...] = field(default=())


def made_later(text):
    return re.compile(re.escape(text) + "[0-9]+")
"""


@contextmanager
def installed(cache: StartupCache) -> Iterator[None]:
    """`cache` compiles for this process while the block runs (as `install` makes it)."""
    compile_before = _compiler.compile
    _compiler.compile = cache.compile_regex
    dataclasses.exec = cache.exec_source  # type: ignore[attr-defined]
    re.purge()
    try:
        yield
    finally:
        _compiler.compile = compile_before
        del dataclasses.exec  # type: ignore[attr-defined]
        re.purge()


def fresh_import(folder: Path, name: str) -> object:
    """Import the test module `name` (written into `folder`) anew."""
    sys.modules.pop(name, None)
    sys.path.insert(0, str(folder))
    try:
        return importlib.import_module(name)
    finally:
        sys.path.remove(str(folder))
        sys.modules.pop(name, None)


@pytest.fixture
def module_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "modules"
    folder.mkdir()
    (folder / "cached_mod.py").write_text(MODULE, encoding="utf-8")
    return folder


@pytest.fixture
def cache_file(tmp_path: Path) -> Path:
    folder = tmp_path / "cache"
    folder.mkdir(mode=0o700)
    return folder / "startup.marshal"


def test_the_next_run_compiles_from_the_file_and_gets_the_same_objects(
    module_dir: Path, cache_file: Path
) -> None:
    first = StartupCache(cache_file)
    with installed(first):
        made = fresh_import(module_dir, "cached_mod")
    compiled = first.added
    assert compiled >= 5 and first.hits == 0  # two str patterns, a bytes one, the methods
    assert len(first.regexes) == 3  # the bytes pattern too (each command imports some)
    first.save()
    assert cache_file.is_file() and cache_file.stat().st_mode & 0o077 == 0

    second = StartupCache(cache_file)
    second.load()
    with installed(second):
        again = fresh_import(module_dir, "cached_mod")
    assert second.added == 0 and second.hits == compiled
    for name in ("WORD", "CJK", "LINE"):
        old, new = getattr(made, name), getattr(again, name)
        assert (new.pattern, new.flags, new.groups, new.groupindex) == (
            old.pattern,
            old.flags,
            old.groups,
            old.groupindex,
        )
    text = "GPT-5 and o3-2 利多 不利空 利空"
    assert [m.groupdict() for m in again.WORD.finditer(text)] == [  # type: ignore[attr-defined]
        m.groupdict()
        for m in made.WORD.finditer(text)  # type: ignore[attr-defined]
    ]
    assert again.CJK.findall(text) == ["利多", "利空"]  # type: ignore[attr-defined]
    assert again.LINE.findall(b"# a\n## b\nc #") == [b"# ", b"## "]  # type: ignore[attr-defined]
    point = again.Point(1, tags=("a",))  # type: ignore[attr-defined]
    assert point == again.Point(1, 0, ("a",)) and repr(point) == "Point(x=1, y=0, tags=('a',))"  # type: ignore[attr-defined]
    with pytest.raises(dataclasses.FrozenInstanceError):
        point.x = 2
    assert hash(point) == hash(again.Point(1, 0, ("a",)))  # type: ignore[attr-defined]


def test_what_is_compiled_after_the_imports_is_not_kept(module_dir: Path, cache_file: Path) -> None:
    cache = StartupCache(cache_file)
    with installed(cache):
        made = fresh_import(module_dir, "cached_mod")
        before = dict(cache.regexes)
        pattern = made.made_later("黄金")  # type: ignore[attr-defined]
    assert pattern.fullmatch("黄金42") and not pattern.fullmatch("黄金")
    assert cache.regexes == before  # a search word's pattern would make the file grow


def test_a_file_that_is_not_ours_or_not_one_is_ignored(module_dir: Path, cache_file: Path) -> None:
    first = StartupCache(cache_file)
    with installed(first):
        fresh_import(module_dir, "cached_mod")
    first.save()
    good = cache_file.read_bytes()

    for damage in (b"", b"\x00garbage", good[: len(good) // 2]):
        cache_file.write_bytes(damage)
        cache = StartupCache(cache_file)
        cache.load()
        assert not cache.regexes and not cache.codes
        with installed(cache):
            made = fresh_import(module_dir, "cached_mod")
        assert made.CJK.findall("利好") == ["利好"]  # type: ignore[attr-defined]

    cache_file.write_bytes(good)
    os.chmod(cache_file, 0o666)  # others could have written it
    writable = StartupCache(cache_file)
    writable.load()
    assert not writable.regexes and not writable.codes
    os.chmod(cache_file, 0o600)
    os.chmod(cache_file.parent, 0o777)
    in_open_folder = StartupCache(cache_file)
    in_open_folder.load()
    assert not in_open_folder.regexes and not in_open_folder.codes


def test_a_data_file_is_parsed_once_and_an_edited_one_again(cache_file: Path) -> None:
    """The stance words and the asset table are read from the file by the next run, the same
    as tomllib makes them; a changed text is parsed anew (never the old table)."""
    import tomllib

    text = (Path(startup_cache.__file__).parent / "parse" / "stances.toml").read_text("utf-8")
    first = StartupCache(cache_file)
    assert first.parse_toml(text) == tomllib.loads(text) and first.added == 1
    first.save()  # a single new thing is not worth a write...
    assert not cache_file.exists()
    first.added = startup_cache.MIN_NEW  # ...as if it came with the imports' compilations
    first.save()

    second = StartupCache(cache_file)
    second.load()
    again = second.parse_toml(text)
    assert again == tomllib.loads(text) and (second.hits, second.added) == (1, 0)
    again.clear()  # each use has its own copy
    assert second.parse_toml(text) == tomllib.loads(text)
    edited = text + '\n[extra]\nwords = ["新词"]\n'
    assert second.parse_toml(edited)["extra"] == {"words": ["新词"]} and second.added == 1


def test_the_file_lives_in_the_cache_folder() -> None:
    assert startup_cache.default_folder() == paths.cache_dir()


def test_commands_give_the_same_output_with_the_file_as_without(
    run_cli, sample_archive: Path, isolated_dirs: dict[str, Path]
) -> None:
    cache = isolated_dirs["cache"] / "digest-tui"
    first = run_cli("--archive", str(sample_archive), "search", "黄金 OR AI", "--json")
    assert first.returncode == 0, first.stderr
    (kept,) = cache.glob("startup-*.marshal")
    again = run_cli("--archive", str(sample_archive), "search", "黄金 OR AI", "--json")
    kept.unlink()
    without = run_cli("--archive", str(sample_archive), "search", "黄金 OR AI", "--json")
    results = [json.loads(done.stdout) for done in (first, again, without)]
    for result in results:
        result.pop("took_ms")
    assert results[0]["total"] > 0 and results[0] == results[1] == results[2]
    tags = [run_cli("--archive", str(sample_archive), "tags").stdout for _round in range(2)]
    assert tags[0] and tags[0] == tags[1]


def test_the_cache_can_be_turned_off(
    run_cli, sample_archive: Path, isolated_dirs: dict[str, Path]
) -> None:
    cache = isolated_dirs["cache"] / "digest-tui"
    off = {"DIGEST_TUI_NO_STARTUP_CACHE": "1"}
    done = run_cli("--archive", str(sample_archive), "search", "黄金", "--json", env=off)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["total"] > 0
    assert not list(cache.glob("startup-*.marshal"))  # nothing written
    on = run_cli("--archive", str(sample_archive), "search", "黄金", "--json")
    assert on.returncode == 0, on.stderr
    assert list(cache.glob("startup-*.marshal"))
