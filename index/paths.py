"""Where things live: archive roots, the config file, the cache and user-state folders.

Roots, first that is given wins: `--archive` > `DIGEST_TUI_ARCHIVE` (joined with os.pathsep)
> `archives = [...]` in config.toml > the bundled sample posts. The config, cache and data
folders come from platformdirs, so the XDG_* variables move them on Linux.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import platformdirs

APP_NAME = "digest-tui"
ENV_ARCHIVE = "DIGEST_TUI_ARCHIVE"
COLOR_CONVENTIONS = ("cn", "us")


class ConfigError(Exception):
    """The config file exists but cannot be used; the message says why, in one line."""


class EmptyRootError(ValueError):
    """An archive root was given as an empty path (a usage error: it would mean the current
    folder, which nobody asks for by writing nothing)."""


def sample_posts_dir() -> Path:
    """The bundled sample archive (installed beside this package as digest_tui/sample_posts)."""
    return Path(__file__).resolve().parent.parent / "sample_posts"


def config_path() -> Path:
    return platformdirs.user_config_path(APP_NAME) / "config.toml"


def cache_dir() -> Path:
    return platformdirs.user_cache_path(APP_NAME)


def data_dir() -> Path:
    """Where the user's own state lives (read marks, stars, the market view's watchlist):
    never rebuilt, never a cache."""
    return platformdirs.user_data_path(APP_NAME)


@dataclass(frozen=True)
class Config:
    """The user's settings from config.toml (every key optional)."""

    archives: tuple[Path, ...] = ()
    archive_texts: tuple[str, ...] = ()
    """`archives` as written (to tell an empty entry from the current folder)."""
    colors: str = "cn"
    theme: str | None = None
    assets: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """Extra asset aliases: canonical name -> aliases (the `[assets]` table)."""
    stances: dict[str, str] = field(default_factory=dict)
    """Extra stance words: word -> stance (the `[stances]` table)."""
    inferred_stances: dict[str, str] = field(default_factory=dict)
    """Extra words a stance is inferred from (the `[stances.inferred]` table)."""
    audiences: tuple[str, ...] = ()
    """Extra audiences, whose bullets are fields, not impacts (`[stances.audiences]` words)."""
    source: Path | None = None
    watch: tuple[str, ...] = ()
    """Assets the market view lists first (`watch = ["黄金", "原油"]`), before the reader's
    own additions and removals."""


def load_config(path: Path | None = None) -> Config:
    """Read config.toml; a missing file is the default config, a broken one a ConfigError."""
    path = path or config_path()
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return Config()
    except OSError as exc:
        raise ConfigError(f"cannot read config {path}: {exc.strerror or exc}") from None
    import tomllib  # here: with no config file, `index` never imports it

    try:
        data: dict[str, Any] = tomllib.loads(raw.decode("utf-8-sig"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"config {path} is not valid TOML: {exc}") from None

    archives = data.get("archives", [])
    if isinstance(archives, str):
        archives = [archives]
    if not isinstance(archives, list) or not all(isinstance(a, str) for a in archives):
        raise ConfigError(f"config {path}: 'archives' must be a list of folder paths")
    colors = data.get("colors", "cn")
    if colors not in COLOR_CONVENTIONS:
        raise ConfigError(f'config {path}: \'colors\' must be "cn" or "us", not {colors!r}')
    theme = data.get("theme")
    if theme is not None and not isinstance(theme, str):
        raise ConfigError(f"config {path}: 'theme' must be a theme name")
    assets: dict[str, tuple[str, ...]] = {}
    table = data.get("assets", {})
    if not isinstance(table, dict):
        raise ConfigError(f"config {path}: [assets] must be a table of name = [aliases]")
    for name, aliases in table.items():
        if isinstance(aliases, str):
            aliases = [aliases]
        if not isinstance(aliases, list) or not all(isinstance(a, str) for a in aliases):
            raise ConfigError(f"config {path}: [assets] {name} must be a list of aliases")
        assets[str(name)] = tuple(aliases)
    stances_table = data.get("stances", {})
    audiences: tuple[str, ...] = ()
    if isinstance(stances_table, dict) and "audiences" in stances_table:
        stances_table = dict(stances_table)
        audiences = _audience_words(stances_table.pop("audiences"), path)
    stances, inferred = _stance_words(stances_table, path)
    watch = data.get("watch", [])
    if isinstance(watch, str):
        watch = [watch]
    if not isinstance(watch, list) or not all(isinstance(a, str) for a in watch):
        raise ConfigError(f"config {path}: 'watch' must be a list of asset names")
    return Config(
        watch=tuple(dict.fromkeys(a.strip() for a in watch if a.strip())),
        archives=tuple(Path(a).expanduser() for a in archives),
        archive_texts=tuple(archives),
        colors=colors,
        theme=theme,
        assets=assets,
        stances=stances,
        inferred_stances=inferred,
        audiences=audiences,
        source=path,
    )


_STANCE_NAMES = ("bullish", "leaning_bullish", "neutral", "leaning_bearish", "bearish", "mixed")


def _audience_words(table: Any, path: Path) -> tuple[str, ...]:
    """The `[stances.audiences]` table: `words = [...]`, who a digest talks to."""
    words = table.get("words") if isinstance(table, dict) else None
    if not isinstance(words, list) or not all(isinstance(w, str) and w for w in words):
        raise ConfigError(f"config {path}: [stances.audiences] must be words = [list of words]")
    return tuple(words)


def _stance_words(table: Any, path: Path) -> tuple[dict[str, str], dict[str, str]]:
    """The `[stances]` table: word = stance, and `[stances.inferred]` of the same shape."""
    if not isinstance(table, dict):
        raise ConfigError(f"config {path}: [stances] must be a table of word = stance")
    stated: dict[str, str] = {}
    inferred: dict[str, str] = {}
    for word, stance in table.items():
        if word == "inferred" and isinstance(stance, dict):
            inferred = _stance_words(stance, path)[0]
            continue
        if stance not in _STANCE_NAMES:
            raise ConfigError(
                f"config {path}: [stances] {word} must be one of {', '.join(_STANCE_NAMES)}"
            )
        stated[str(word)] = str(stance)
    return stated, inferred


@dataclass(frozen=True)
class Roots:
    """The archive roots in use and where they came from (for the header and messages)."""

    paths: tuple[Path, ...]
    origin: str
    """"--archive", "DIGEST_TUI_ARCHIVE", "config" or "sample"."""

    @property
    def is_sample(self) -> bool:
        return self.origin == "sample"


def resolve_roots(
    cli_archives: tuple[str, ...] | list[str] = (),
    config: Config | None = None,
    environ: Mapping[str, str] | None = None,
) -> Roots:
    """Pick the archive roots by the contract's precedence; paths are made absolute."""
    env: Mapping[str, str] = os.environ if environ is None else environ
    if cli_archives:
        _refuse_empty(cli_archives, "--archive")
        paths, origin = [Path(a) for a in cli_archives], "--archive"
    elif env.get(ENV_ARCHIVE):
        parts = env[ENV_ARCHIVE].split(os.pathsep)
        _refuse_empty(parts, ENV_ARCHIVE)
        paths, origin = [Path(p) for p in parts], ENV_ARCHIVE
    elif config is not None and config.archives:
        _refuse_empty(config.archive_texts, "config 'archives'")
        paths, origin = list(config.archives), "config"
    else:
        paths, origin = [sample_posts_dir()], "sample"
    unique: list[Path] = []
    for p in paths:
        absolute = Path(os.path.abspath(p.expanduser()))
        if absolute not in unique:
            unique.append(absolute)
    return Roots(tuple(_without_overlaps(unique)), origin)


def _refuse_empty(paths: tuple[str, ...] | list[str], where: str) -> None:
    """Raise EmptyRootError when one of `paths` is empty (or only blanks)."""
    if any(not p.strip() for p in paths):
        raise EmptyRootError(f"{where}: an archive path is empty; give a folder")


def _without_overlaps(roots: list[Path]) -> list[Path]:
    """The roots less any that is the same folder as an earlier one (through a link) or lies
    inside another: its posts are already found there, and must be listed only once."""
    real = [Path(os.path.realpath(root)) for root in roots]
    return [
        root
        for i, root in enumerate(roots)
        if not any(
            other in real[i].parents or (other == real[i] and j < i)
            for j, other in enumerate(real)
            if j != i
        )
    ]


def check_roots(roots: Roots) -> None:
    """Raise OSError with a one-line message when a root is missing or not a folder."""
    for root in roots.paths:
        if not root.exists():
            raise OSError(f"archive folder {root} does not exist")
        if not root.is_dir():
            raise OSError(f"archive {root} is not a folder")
        if not os.access(root, os.R_OK | os.X_OK):
            raise OSError(f"archive folder {root} cannot be read")


def private_dir(path: Path) -> Path:
    """Create `path` (mode 0700) if needed and check that we own it and others cannot write.

    Used for the cache, where the index lives: Whoosh's files are pickles, so an index that
    someone else could have written must never be opened.
    """
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    info = path.lstat()
    if stat.S_ISLNK(info.st_mode) or not stat.S_ISDIR(info.st_mode):
        raise OSError(f"{path} is not a plain folder")
    if hasattr(os, "getuid") and info.st_uid != os.getuid():
        raise OSError(f"{path} belongs to another user; refusing to use it")
    if info.st_mode & 0o077:
        try:
            os.chmod(path, 0o700)
        except OSError as exc:  # a read-only disk: nobody can write there anyway
            if exc.errno != errno.EROFS:
                raise
    return path


def is_inside(path: Path, roots: tuple[Path, ...]) -> bool:
    """True when `path` lies inside one of the archive roots (we never write there)."""
    resolved = path.resolve()
    for root in roots:
        try:
            resolved.relative_to(root.resolve())
            return True
        except ValueError:
            continue
    return False
