"""A damaged index costs nothing: empty, truncated, garbage or planted files in the cache are
noticed, discarded and rebuilt (one notice line), the results equal a clean rebuild, and a
planted pickle never runs (no marker file ever appears)."""

from __future__ import annotations

import json
import os
import pickle
import re
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import SAMPLE_POSTS, console_script
from digest_tui.tui.cli.main import main

pytestmark = pytest.mark.timeout(120)

QUERY = "黄金 OR 美元 OR 原油 OR AI OR 模型 OR 芯片"


class PlantFile:
    """Unpickling this opens (creates) `marker`: what a crafted index file would do."""

    def __init__(self, marker: str) -> None:
        self.marker = marker

    def __reduce__(self):
        return (open, (self.marker, "w"))


class PlantShell:
    """Unpickling this runs a shell command that creates `marker`."""

    def __init__(self, marker: str) -> None:
        self.marker = marker

    def __reduce__(self):
        return (os.system, (f"touch '{self.marker}'",))


def run(cache: Path, root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """The console script, in a subprocess, with its cache in `cache`."""
    env = {**os.environ, "XDG_CACHE_HOME": str(cache)}
    return subprocess.run(
        [console_script(), "--archive", str(root), *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def search_hits(
    cache: Path, root: Path, capfd: pytest.CaptureFixture[str] | None = None
) -> tuple[list[tuple[str, str]], str]:
    """`search --json --limit 0 QUERY`: in this process when `capfd` is given (faster; the
    same code path as the console script), else in a subprocess."""
    if capfd is None:
        done = run(cache, root, "search", "--json", "--limit", "0", QUERY)
        status, out, err = done.returncode, done.stdout, done.stderr
    else:
        import digest_tui.index.paths as paths

        capfd.readouterr()
        original = os.environ.get("XDG_CACHE_HOME")
        os.environ["XDG_CACHE_HOME"] = str(cache)
        try:
            assert paths.cache_dir() == cache / "digest-tui"
            status = main(["--archive", str(root), "search", "--json", "--limit", "0", QUERY])
        finally:
            if original is not None:
                os.environ["XDG_CACHE_HOME"] = original
        out, err = capfd.readouterr()
    assert status == 0, err
    assert "Traceback" not in err
    data = json.loads(out)
    return sorted((h["path"], h["item_id"] or "") for h in data["hits"]), err


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory):
    """A small archive, a good index of it (kept aside), and the clean results."""
    base = tmp_path_factory.mktemp("corrupt")
    root = base / "archive"
    shutil.copytree(SAMPLE_POSTS, root)
    good = base / "good-cache"
    done = run(good, root, "index")
    assert done.returncode == 0, done.stderr
    reference, _ = search_hits(good, root)
    assert reference
    return root, good, reference


def index_folder(cache: Path) -> Path:
    (folder,) = [p for p in (cache / "digest-tui").iterdir() if p.is_dir()]
    return folder


def whoosh_file(folder: Path, pattern: str) -> Path:
    matches = sorted(p for p in (folder / "whoosh").iterdir() if re.search(pattern, p.name))
    assert matches, f"no index file matches {pattern}: the index layout changed"
    return matches[0]


# -- ways to damage a file ---------------------------------------------------------------------


def keep_stat(damage: Callable[[Path, bytes], bytes]) -> Callable[[Path, str], None]:
    """Damage a file but keep its size and mtime, so only reading it can tell."""

    def apply(path: Path, marker: str) -> None:
        info = path.stat()
        data = damage(path, marker.encode())
        data = (data + b"\0" * info.st_size)[: max(info.st_size, len(data))]
        path.write_bytes(data)
        os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns))

    return apply


def rewrite(damage: Callable[[Path, bytes], bytes]) -> Callable[[Path, str], None]:
    def apply(path: Path, marker: str) -> None:
        path.write_bytes(damage(path, marker.encode()))

    return apply


def empty(_path: Path, _marker: bytes) -> bytes:
    return b""


def truncated(path: Path, _marker: bytes) -> bytes:
    return path.read_bytes()[: path.stat().st_size // 2]


def garbage(path: Path, _marker: bytes) -> bytes:
    import random

    return random.Random(path.name).randbytes(max(path.stat().st_size, 64))


def planted_pickle(_path: Path, marker: bytes) -> bytes:
    return pickle.dumps([PlantFile(marker.decode()), PlantShell(marker.decode() + "-shell")])


def planted_toc(path: Path, marker: bytes) -> bytes:
    """A well-formed Whoosh TOC whose schema and segment list are planted pickles."""
    import io

    from whoosh import __version__ as whoosh_version
    from whoosh import index as whoosh_index
    from whoosh.filedb.structfile import StructFile

    generation = int(re.search(r"_(\d+)\.toc$", path.name).group(1))  # type: ignore[union-attr]
    buffer = io.BytesIO()
    stream = StructFile(buffer)
    for size in (whoosh_index._INT_SIZE, whoosh_index._LONG_SIZE, whoosh_index._FLOAT_SIZE):
        stream.write_varint(size)
    stream.write_int(-12345)
    stream.write_int(whoosh_index._CURRENT_TOC_VERSION)
    for number in whoosh_version[:3]:
        stream.write_varint(number)
    stream.write_string(pickle.dumps(PlantFile(marker.decode() + "-schema"), 2))
    stream.write_int(generation)
    stream.write_int(0)
    stream.write(planted_pickle(path, marker))
    return buffer.getvalue()


CASES = {
    "toc-empty": (r"\.toc$", rewrite(empty)),
    "toc-truncated": (r"\.toc$", rewrite(truncated)),
    "toc-garbage": (r"\.toc$", rewrite(garbage)),
    "toc-planted": (r"\.toc$", rewrite(planted_toc)),
    "toc-planted-same-size-and-mtime": (r"\.toc$", keep_stat(planted_toc)),
    "terms-planted-same-size-and-mtime": (r"\.trm$", keep_stat(planted_pickle)),
    "postings-truncated": (r"\.pst$", rewrite(truncated)),
    "postings-garbage-same-size-and-mtime": (r"\.pst$", keep_stat(garbage)),
    "postings-planted-same-size-and-mtime": (r"\.pst$", keep_stat(planted_pickle)),
    "column-truncated": (r"uid\.col$", rewrite(truncated)),
    "column-planted": (r"uid\.col$", rewrite(planted_pickle)),
    "column-planted-same-size-and-mtime": (r"uid\.col$", keep_stat(planted_pickle)),
    "store-empty": (None, rewrite(empty)),
    "store-garbage": (None, rewrite(garbage)),
}


@pytest.mark.parametrize("case", list(CASES))
def test_damaged_index_is_rebuilt(
    built, tmp_path: Path, case: str, capfd: pytest.CaptureFixture[str]
) -> None:
    root, good, reference = built
    cache = tmp_path / "cache"
    shutil.copytree(good, cache, symlinks=True)
    folder = index_folder(cache)
    pattern, damage = CASES[case]
    target = folder / "store.sqlite" if pattern is None else whoosh_file(folder, pattern)
    marker = tmp_path / "planted-marker"
    damage(target, str(marker))

    found, stderr = search_hits(cache, root, capfd)
    assert found == reference
    notices = [line for line in stderr.splitlines() if line.startswith("digest-tui: notice")]
    assert len(notices) == 1, stderr  # the damage is said, once
    assert not list(tmp_path.glob("planted-marker*")), "a planted pickle ran"
    found, stderr = search_hits(cache, root, capfd)  # and the rebuilt index is good again
    assert found == reference and "notice" not in stderr


def test_planted_toc_never_runs_in_the_console_script(built, tmp_path: Path) -> None:
    """The same, through the real console script: the planted TOC is refused there too."""
    root, good, reference = built
    cache = tmp_path / "cache"
    shutil.copytree(good, cache, symlinks=True)
    target = whoosh_file(index_folder(cache), r"\.toc$")
    marker = tmp_path / "planted-marker"
    keep_stat(planted_toc)(target, str(marker))
    found, stderr = search_hits(cache, root)
    assert found == reference and len(stderr.strip().splitlines()) == 1, stderr
    assert not list(tmp_path.glob("planted-marker*")), "a planted pickle ran"


@pytest.mark.parametrize("module_name", ["whoosh.codec.plaintext", "whoosh.filedb.fileindex"])
def test_a_whoosh_module_the_index_never_uses_refuses_planted_pickles_too(
    module_name: str, tmp_path: Path
) -> None:
    """Modules the index does not import are patched when something imports them (not all
    at start-up): a planted pickle read through one of them still never runs."""
    import importlib
    import sys

    from digest_tui.index.search import segments  # noqa: F401  # installs the restricted loads

    marker = tmp_path / "planted-marker"
    module = sys.modules.get(module_name) or importlib.import_module(module_name)
    read = module.loads if hasattr(module, "loads") else module.pickle.loads
    with pytest.raises(pickle.UnpicklingError):
        read(planted_pickle(tmp_path, str(marker).encode()))
    assert not list(tmp_path.glob("planted-marker*")), "a planted pickle ran"


def test_stray_files_of_a_killed_build_are_cleaned(built, tmp_path: Path) -> None:
    root, good, reference = built
    cache = tmp_path / "cache"
    shutil.copytree(good, cache, symlinks=True)
    folder = index_folder(cache)
    strays = [
        folder.parent / f"{folder.name}.build-999999",
        folder.parent / f"{folder.name}.old-999999",
        folder / "whoosh" / "MAIN.tmp",
    ]
    for stray in strays:
        stray.mkdir()
        (stray / "junk").write_bytes(b"x" * 100)
    toc_temp = folder / "whoosh" / "_MAIN_2.toc.1767225600.25"  # a TOC write cut short
    toc_temp.write_bytes(b"x")
    (folder.parent / f"{folder.name}.lock").write_bytes(b"garbage, not a pid\n")
    done = run(cache, root, "index")
    assert done.returncode == 0, done.stderr
    assert not any(stray.exists() for stray in strays)
    assert not toc_temp.exists()
    assert search_hits(cache, root)[0] == reference


def test_cache_owned_by_another_mode_is_refused_or_fixed(built, tmp_path: Path) -> None:
    """A cache folder others can write to is made private before the index is opened."""
    root, good, reference = built
    cache = tmp_path / "cache"
    shutil.copytree(good, cache, symlinks=True)
    os.chmod(cache / "digest-tui", 0o777)
    os.chmod(index_folder(cache), 0o777)
    found, _ = search_hits(cache, root)
    assert found == reference
    assert (cache / "digest-tui").stat().st_mode & 0o077 == 0
    assert index_folder(cache).stat().st_mode & 0o077 == 0
