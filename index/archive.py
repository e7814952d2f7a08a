"""Finding the posts below the archive roots, and telling what changed since last time.

Every `*.md` below a root, recursively; hidden folders (and hidden files) skipped; symlinks
followed only while they stay inside the root and do not loop; anything that is not a regular
file (FIFO, socket, device, a folder named x.md) skipped without ever being opened.

A file or folder whose name is not valid UTF-8 (say a GBK name from an old zip) is skipped
too, and said in `skipped`: such a name cannot be stored, printed as JSON or shown, and one
of them must not stop the whole archive from being indexed.
"""

from __future__ import annotations

import datetime as dt
import errno
import os
import stat
from collections.abc import Iterator
from dataclasses import dataclass
from operator import attrgetter
from pathlib import Path
from typing import BinaryIO

from .sanitize import clean_line


@dataclass(frozen=True, slots=True)
class PostFile:
    """A post's file as found on disk: where it is and what its size and mtime were."""

    root: Path
    path: str
    """Relative to root, forward slashes."""
    size: int
    mtime_ns: int

    @property
    def full_path(self) -> Path:
        return self.root / self.path

    @property
    def key(self) -> tuple[str, str]:
        return (str(self.root), self.path)


#: A post file as the walk finds it: (root, path relative to it, size, mtime_ns); PostFile
#: objects are made from these only where they are needed (an update compares the tuples).
FoundFile = tuple[str, str, int, int]


def find_posts(root: Path, skipped: list[str] | None = None) -> Iterator[PostFile]:
    """Yield every post file below `root`, in a stable (sorted) order.

    Never raises for what it finds: unreadable folders, dangling or looping symlinks and
    special files are skipped. Names that are not valid UTF-8 are skipped and, when
    `skipped` is given, a one-line warning for each is appended to it.
    """
    for _root, path, size, mtime_ns in scan_posts(root, skipped):
        yield PostFile(root, path, size, mtime_ns)


def scan_posts(root: Path, skipped: list[str] | None = None) -> list[FoundFile]:
    """What `find_posts` finds, as (root, path, size, mtime_ns) tuples (quick to compare)."""
    found: list[FoundFile] = []
    try:
        real_root = Path(os.path.realpath(root))
    except OSError:
        return found
    _walk(str(root), "", real_root, set(), skipped, found)
    return found


def _walk(
    root: str,
    rel: str,
    real_root: Path,
    seen_dirs: set[tuple[int, int]],
    skipped: list[str] | None,
    found: list[FoundFile],
) -> None:
    """Append the post files below `root`/`rel` to `found`, in name order (depth first).

    Only what may be a post is stat()ed: a `.md` name, or an entry that is a folder or a link
    (the folder's own listing says which entries are folders and links)."""
    folder = f"{root}/{rel}" if rel else root
    try:
        info = os.stat(folder)
    except OSError:
        return
    ident = (info.st_dev, info.st_ino)
    if ident in seen_dirs:
        return  # a symlink loop, or the same folder reached twice
    seen_dirs.add(ident)
    try:
        with os.scandir(folder) as listing:
            entries = sorted(listing, key=_BY_NAME)
    except OSError as exc:
        if skipped is not None and isinstance(exc, PermissionError):
            skipped.append(unreadable_folder(rel, exc))
        return
    prefix = f"{rel}/" if rel else ""
    for entry in entries:
        name = entry.name
        if name.startswith("."):
            continue
        # the usual entry, a post: an ASCII `.md` name of a regular file (as the listing says)
        if (
            name.isascii()
            and name.endswith(_MD_ENDINGS)
            and name.lower() != "readme.md"
            and entry.is_file(follow_symlinks=False)
        ):
            try:
                st = entry.stat(follow_symlinks=False)
            except OSError:
                continue
            if stat.S_ISREG(st.st_mode):
                found.append((root, prefix + name, st.st_size, st.st_mtime_ns))
            continue
        child_rel = prefix + name
        if not (name.isascii() or _is_utf8(name)):
            if skipped is not None and (name.lower().endswith(".md") or _is_dir(entry)):
                skipped.append(
                    f"{clean_line(child_rel)}: the name is not valid UTF-8; "
                    "skipped (rename it to read it)"
                )
            continue
        lower = name.lower()
        try:
            if entry.is_symlink():
                if not _stays_inside(Path(folder, name), real_root):
                    continue
                st = entry.stat(follow_symlinks=True)
                is_dir = stat.S_ISDIR(st.st_mode)
            else:
                is_dir = entry.is_dir(follow_symlinks=False)
                if not is_dir and lower.endswith(".md"):
                    st = entry.stat(follow_symlinks=False)
        except OSError:
            continue  # dangling link, permission denied, vanished
        if is_dir:
            _walk(root, child_rel, real_root, seen_dirs, skipped, found)
        elif lower.endswith(".md") and lower != "readme.md" and stat.S_ISREG(st.st_mode):
            # an archive's README is not a post; a FIFO or device named x.md is no post either
            found.append((root, child_rel, st.st_size, st.st_mtime_ns))


_BY_NAME = attrgetter("name")
#: Every case of ".md" (what `name.lower().endswith(".md")` accepts, for an ASCII name).
_MD_ENDINGS = tuple(f".{m}{d}" for m in "mM" for d in "dD")


def unreadable_folder(rel: str, exc: OSError) -> str:
    """The one-line warning for a folder below a root that cannot be listed."""
    where = clean_line(rel) if rel else "the archive folder"
    return f"{where}: the folder cannot be read ({exc.strerror or exc}); its posts are skipped"


def watchable_folders(root: Path, problems: list[str] | None = None) -> list[Path]:
    """Every folder below `root` (itself first) that can be listed, as the live watcher
    watches them, one by one: hidden folders and links skipped. Each folder that cannot be
    listed, and each post file that cannot be read, is said in `problems` (one line each)."""
    found: list[Path] = []
    pending = [""]
    while pending:
        rel = pending.pop()
        folder = root / rel if rel else root
        try:
            with os.scandir(folder) as entries:
                children = sorted(entries, key=lambda e: e.name)
        except OSError as exc:
            if problems is not None and isinstance(exc, PermissionError):
                problems.append(unreadable_folder(rel, exc))
            continue
        found.append(folder)
        for entry in children:
            if entry.name.startswith(".") or not _is_utf8(entry.name):
                continue
            child = f"{rel}/{entry.name}" if rel else entry.name
            try:
                if entry.is_dir(follow_symlinks=False):
                    pending.append(child)
                elif entry.name.lower().endswith(".md") and not os.access(entry.path, os.R_OK):
                    if problems is not None and entry.is_file():
                        problems.append(f"{clean_line(child)}: cannot be read; skipped")
            except OSError:
                continue
    return found


def _is_dir(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_dir()
    except OSError:
        return False


def _is_utf8(name: str) -> bool:
    """False for a name decoded with surrogate escapes (its bytes are not UTF-8)."""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _stays_inside(path: Path, real_root: Path) -> bool:
    try:
        target = Path(os.path.realpath(path))
    except (OSError, RuntimeError):
        return False
    return _inside(target, real_root)


def open_inside(path: Path, root: Path) -> BinaryIO:
    """Open the post file `path` for reading, never out of `root`: the path is resolved, it
    must lie inside the resolved root, the resolved file is opened with O_NOFOLLOW (and
    without blocking, so a FIFO swapped in is refused rather than waited on), and the file
    that was opened must still be a regular file inside the root (a link swapped in between
    the check and the open is caught). Raises OSError with a message that says why."""
    real_root = Path(os.path.realpath(root))
    real = Path(os.path.realpath(path))
    if not _inside(real, real_root):
        raise PermissionError(errno.EACCES, "it links to a file outside its archive folder")
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        fd = os.open(real, flags | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        if exc.errno == errno.ELOOP:  # the file became a link after it was resolved
            raise PermissionError(errno.EACCES, "it was replaced by a link") from None
        raise
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise IsADirectoryError(errno.EISDIR, "it is not a regular file")
        opened = _opened_path(fd)
        if opened is not None and not _inside(opened, real_root):
            raise PermissionError(errno.EACCES, "it was moved outside its archive folder")
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def _opened_path(fd: int) -> Path | None:
    """Where the open file `fd` really is (Linux /proc, else /dev/fd), if the system says."""
    for folder in ("/proc/self/fd", "/dev/fd"):
        try:
            target = os.readlink(f"{folder}/{fd}")
        except OSError:
            continue
        if target.startswith("/"):
            return Path(target)
    return None


def _inside(path: Path, real_root: Path) -> bool:
    return path == real_root or real_root in path.parents


def mtime_date(mtime: float) -> dt.date:
    """The local day of a file's mtime (seconds): the date of a post that states none."""
    try:
        return dt.date.fromtimestamp(mtime)
    except (OverflowError, OSError, ValueError):
        return dt.date(1970, 1, 1)


def find_all(
    roots: tuple[Path, ...] | list[Path], skipped: list[str] | None = None
) -> list[PostFile]:
    """Every post file below every root (`skipped` as in find_posts)."""
    return [pf for root in roots for pf in find_posts(root, skipped)]


def scan_all(
    roots: tuple[Path, ...] | list[Path], skipped: list[str] | None = None
) -> list[FoundFile]:
    """What `find_all` finds, as (root, path, size, mtime_ns) tuples (`scan_posts`)."""
    return [found for root in roots for found in scan_posts(root, skipped)]


def resolve_post_argument(arg: str, roots: tuple[Path, ...] | list[Path]) -> PostFile | None:
    """Find the post a user named by path: absolute, relative to the cwd, or to a root."""
    candidates = [Path(arg)] if os.path.isabs(arg) else [Path(arg), *[r / arg for r in roots]]
    for cand in candidates:
        try:
            st = os.stat(cand)
        except OSError:
            continue
        if not stat.S_ISREG(st.st_mode):
            continue
        absolute = Path(os.path.abspath(cand))
        for root in roots:
            try:
                rel = absolute.relative_to(root)
            except ValueError:
                continue
            return PostFile(root, rel.as_posix(), st.st_size, st.st_mtime_ns)
        # outside every root: its own folder is its root
        return PostFile(absolute.parent, absolute.name, st.st_size, st.st_mtime_ns)
    return None
