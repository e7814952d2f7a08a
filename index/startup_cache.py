"""What every command compiles again when it starts, kept compiled between runs.

A command is a new Python process, and importing the modules of a one-post `index` (ours,
markdown-it, PyYAML, Whoosh, click) compiles things Python does not cache on disk the way it
caches modules (`__pycache__`): about 200 regular expressions, through a parser and a code
generator written in Python (`re._parser`, `re._compiler`), and the source of about 180
methods that `dataclasses` writes and `exec`s for the classes it makes. Together they were a
fifth of the instructions of adding one post (measured with callgrind). Parsing the two data
files shipped with the index (stances.toml, assets.toml) was 3% more, with tomllib's import.

`install` keeps, for what is compiled while a module is being imported (the same on every
run), the result of those slow steps in one file of the cache folder, and uses it from the
next run on:

- a regular expression (str or bytes): the arguments of the C function that makes the
  pattern object, `_sre.compile(pattern, flags, code, ...)`, which the Python part computes;
  given them again it makes the same pattern (and checks the code it is given);
- a dataclass method: the code object of the source text `dataclasses` execs, compiled as
  `exec` compiles it, and marshalled as Python marshals modules into `__pycache__`;
- a data file shipped with digest-tui (`parse_toml`, never the user's config): what tomllib
  makes of its text, keyed by the text (an edited file is parsed again).

The file (`startup-<python>.marshal`) is written by `save` after a run that compiled new
things, atomically. A file that is missing, unreadable, someone else's or of another shape is
ignored. What is compiled outside imports (patterns made from search words, say) is never
recorded, so the file does not grow with use.
"""

from __future__ import annotations

from . import (
    lean_dataclasses,  # noqa: F401  # before dataclasses (see there)
    lean_hashlib,  # noqa: F401  # before hashlib (see there)
)

# isort: split
import dataclasses
import marshal
import os
import stat
import sys
import threading
import types
from pathlib import Path
from re import _compiler  # type: ignore[attr-defined]
from typing import Any

APP_NAME = "digest-tui"  # as paths.APP_NAME (not imported: that module is not cached yet)
MIN_NEW = 3
"""Fewer new things than this in a run are not worth a write (a pattern built from a set,
whose order changes from run to run, would rewrite the file every time)."""
MAX_ENTRIES = 5000
"""Beyond this the file keeps only what the last run used."""
_RECORDING = threading.RLock()
_PYTHON_COMPILE, _SRE = _compiler.compile, _compiler._sre
"""Python's own (this module is imported before anything replaces them)."""
_IMPORTLIB = ("<frozen importlib._bootstrap>", "<frozen importlib._bootstrap_external>")


_TAG = f"{sys.implementation.cache_tag}-{sys.hexversion:x}-{_compiler._sre.MAGIC}"
"""What the file was written by: this Python, its regular expression engine."""


def _importing() -> bool:
    """True when the caller runs inside a module being imported."""
    frame: types.FrameType | None = sys._getframe(2)
    while frame is not None:
        if frame.f_code.co_filename in _IMPORTLIB:
            return True
        frame = frame.f_back
    return False


class _Recorder:
    """Stands in for the `_sre` module inside `re._compiler` while one pattern compiles:
    keeps the arguments of `compile`, forwards everything else."""

    def __init__(self, real: Any) -> None:
        self._real = real
        self.args: tuple[Any, ...] | None = None

    def compile(self, *args: Any) -> Any:
        self.args = args
        return self._real.compile(*args)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._real, name)


def _regex_entry(args: tuple[Any, ...] | None, pattern: str) -> tuple[Any, ...] | None:
    """`_sre.compile`'s arguments after the pattern, in plain types (None when they are not
    the six this was written for: that Python compiles as usual)."""
    if args is None or len(args) != 6 or args[0] is not pattern:
        return None
    _pattern, flags, code, groups, groupindex, indexgroup = args
    if not (
        isinstance(flags, int)
        and isinstance(code, list)
        and all(isinstance(op, int) for op in code)
        and isinstance(groups, int)
        and isinstance(groupindex, dict)
        and all(type(k) is str and type(v) is int for k, v in groupindex.items())
        and isinstance(indexgroup, tuple)
        and all(g is None or type(g) is str for g in indexgroup)
    ):
        return None
    return int(flags), [int(op) for op in code], int(groups), dict(groupindex), indexgroup


class StartupCache:
    """The recorded compilations: regular expressions by flags and pattern, dataclass methods
    by source text."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self.regexes: dict[str, tuple[Any, ...]] = {}
        self.codes: dict[str, types.CodeType] = {}
        self.data: dict[str, bytes] = {}
        """TOML text -> what tomllib made of it, marshalled (each use gets its own copy)."""
        self.used: set[str] = set()
        self.added = 0
        self.hits = 0
        self._compile = _PYTHON_COMPILE
        self._sre = _SRE

    def load(self) -> None:
        if self.path is None:
            return
        try:
            if not _ours(self.path.parent, folder=True) or not _ours(self.path):
                return
            data = marshal.loads(self.path.read_bytes())
        except (OSError, ValueError, EOFError, TypeError):
            return
        if not (isinstance(data, tuple) and len(data) == 4 and data[0] == _TAG):
            return
        _tag_, regexes, codes, parsed = data
        if isinstance(regexes, dict) and isinstance(codes, dict) and isinstance(parsed, dict):
            self.regexes = {k: v for k, v in regexes.items() if _good_regex(k, v)}
            self.codes = {
                k: v for k, v in codes.items() if type(k) is str and type(v) is types.CodeType
            }
            self.data = {k: v for k, v in parsed.items() if type(k) is str and type(v) is bytes}

    def compile_regex(self, pattern: Any, flags: int = 0) -> Any:
        """`re._compiler.compile`, from the recorded arguments when there are some."""
        if type(pattern) is str:
            key = f"{flags}:{pattern}"
        elif type(pattern) is bytes:  # keyed apart: a str key starts with its flags' digits
            key = f"b{flags}:{pattern.hex()}"
        else:
            return self._compile(pattern, flags)
        entry = self.regexes.get(key)
        if entry is not None:
            try:
                compiled = self._sre.compile(pattern, *entry)
            except Exception:  # recorded wrongly: compile as Python would
                del self.regexes[key]
            else:
                self.hits += 1
                self.used.add(key)
                return compiled
        if not _importing():
            return self._compile(pattern, flags)
        with _RECORDING:  # the stand-in is seen by every thread compiling meanwhile
            recorder = _Recorder(self._sre)
            _compiler._sre = recorder
            try:
                compiled = self._compile(pattern, flags)
            finally:
                _compiler._sre = self._sre
        recorded = _regex_entry(recorder.args, pattern)
        if recorded is not None:
            self.regexes[key] = recorded
            self.used.add(key)
            self.added += 1
        return compiled

    def exec_source(
        self, source: Any, globals_: dict[str, Any] | None = None, locals_: Any = None
    ) -> None:
        """`exec` for dataclasses: a source text runs as its recorded code object."""
        if type(source) is str:
            code = self.codes.get(source)
            if code is not None:
                self.hits += 1
                self.used.add(source)
            else:
                # as exec compiles a string from dataclasses.py (no __future__ flags of ours)
                code = compile(source, "<string>", "exec", dont_inherit=True)
                if _importing():
                    self.codes[source] = code
                    self.used.add(source)
                    self.added += 1
            source = code
        exec(source, globals_, locals_)

    def parse_toml(self, text: str) -> dict[str, Any]:
        """`tomllib.loads(text)`, from what an earlier run recorded when there is some."""
        recorded = self.data.get(text)
        if recorded is not None:
            try:
                parsed = marshal.loads(recorded)
            except (ValueError, EOFError, TypeError):  # recorded wrongly: parse it again
                del self.data[text]
            else:
                if type(parsed) is dict:
                    self.hits += 1
                    self.used.add(text)
                    return parsed
        import tomllib

        parsed = tomllib.loads(text)
        try:
            self.data[text] = marshal.dumps(parsed)
        except ValueError:  # a date or a time: not kept (the files shipped have none)
            return parsed
        self.used.add(text)
        self.added += 1
        return parsed

    def save(self) -> None:
        """Write what is recorded when this run compiled enough new things (atomically;
        errors are ignored: the cache only saves time)."""
        if self.path is None or self.added < MIN_NEW:
            return
        regexes, codes, parsed = self.regexes, self.codes, self.data
        if len(regexes) + len(codes) + len(parsed) > MAX_ENTRIES:
            regexes = {k: v for k, v in regexes.items() if k in self.used}
            codes = {k: v for k, v in codes.items() if k in self.used}
            parsed = {k: v for k, v in parsed.items() if k in self.used}
        temporary = self.path.with_name(f"{self.path.name}.{os.getpid()}.tmp")
        try:
            self.path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            if not _ours(self.path.parent, folder=True):
                return
            temporary.write_bytes(marshal.dumps((_TAG, regexes, codes, parsed)))
            os.chmod(temporary, 0o600)
            os.replace(temporary, self.path)
        except (OSError, ValueError):
            try:
                os.unlink(temporary)
            except OSError:
                pass
        self.added = 0


def _ours(path: Path, *, folder: bool = False) -> bool:
    """A plain file (folder) of this user that nobody else can write."""
    info = os.lstat(path)
    kind = stat.S_ISDIR if folder else stat.S_ISREG
    if not kind(info.st_mode) or info.st_mode & 0o022:
        return False
    return not hasattr(os, "getuid") or info.st_uid == os.getuid()


def _good_regex(key: Any, entry: Any) -> bool:
    if type(key) is not str or type(entry) is not tuple or len(entry) != 5:
        return False
    flags, code, groups, groupindex, indexgroup = entry
    return (
        type(flags) is int
        and type(code) is list
        and type(groups) is int
        and type(groupindex) is dict
        and type(indexgroup) is tuple
    )


_installed: StartupCache | None = None


def default_folder() -> Path | None:
    """The cache folder (paths.cache_dir()), found without importing what it imports."""
    try:
        import platformdirs
    except ImportError:  # pragma: no cover - a dependency
        return None
    return Path(platformdirs.user_cache_path(APP_NAME))


def install(folder: Path | None) -> StartupCache:
    """From now on, in this process, compile through the cache kept in `folder` (None: in
    memory only). Call it before the modules whose compilations are to be kept are imported;
    installing twice keeps the first."""
    global _installed
    if _installed is None:
        name = f"startup-{sys.implementation.cache_tag}.marshal"
        cache = StartupCache(folder / name if folder else None)
        cache.load()
        _compiler.compile = cache.compile_regex
        dataclasses.exec = cache.exec_source  # type: ignore[attr-defined]
        _installed = cache
    return _installed


def save() -> None:
    if _installed is not None:
        _installed.save()


def parse_toml(text: str) -> dict[str, Any]:
    """What `tomllib.loads(text)` gives, for a data file shipped with digest-tui (its stance
    words, its asset table): through the installed cache, else parsed as usual. Not for the
    user's files, which would make the cache grow with every edit."""
    if _installed is not None:
        return _installed.parse_toml(text)
    import tomllib

    return tomllib.loads(text)
