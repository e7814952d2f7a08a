"""How `Library.update` brings the index up to date once it holds the writer's lock: an
incremental update of what changed, or a full rebuild when there is no index, the format
changed, or the index is damaged (with a one-line notice saying why)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from .archive import FoundFile, PostFile, scan_all
from .search.store import is_write_failure
from .search.update import (
    FORMAT_VERSION,
    IndexDamaged,
    IndexPaths,
    UpdateReport,
    apply_changes,
    clean_strays,
    diff,
    open_for_update,
    roots_json,
    unchanged_posts,
)

if TYPE_CHECKING:
    from .library import Library
    from .search.build import Progress, ShouldStop


def update_locked(
    library: Library,
    paths: IndexPaths,
    progress: Progress | None,
    should_stop: ShouldStop | None,
    rebuild: bool,
    skipped: list[str],
    reading: bool = False,
    defer_merge: bool = False,
) -> UpdateReport:
    clean_strays(paths)
    for root in library.roots.paths:  # an unmounted archive is not an archive emptied
        if not root.is_dir():
            raise OSError(f"archive folder {root} does not exist or is not a folder")
    found = scan_all(library.roots.paths, skipped)
    if reading and not rebuild and (unchanged := unchanged_posts(paths, library.roots, found)):
        return UpdateReport(unchanged=unchanged)
    notice = None
    if not rebuild:
        try:
            store = open_for_update(paths, library.roots)
        except FileNotFoundError:
            rebuild = True
        except Exception as exc:  # any damage means: rebuild
            if is_write_failure(exc):
                raise
            rebuild = True
            notice = damage_message(exc)
    if rebuild:
        files = post_files(found)
        del found  # (a build's workers start with all this process holds)
        return full_rebuild(library, paths, files, notice, progress, should_stop)
    try:
        changes = diff(store, found)
        added, changed, removed, warnings, cancelled, merge_due = apply_changes(
            paths, store, changes, library.asset_table, progress, should_stop, defer_merge
        )
    except Exception as exc:  # damage found while updating: rebuild
        store.close()
        if is_write_failure(exc):  # the disk is full: the last index is still whole
            raise
        return full_rebuild(
            library, paths, post_files(found), damage_message(exc), progress, should_stop
        )
    store.close()
    return UpdateReport(
        added=added,
        changed=changed,
        removed=removed,
        unchanged=changes.unchanged,
        warnings=warnings,
        cancelled=cancelled,
        merge_due=merge_due,
    )


def post_files(found: list[FoundFile]) -> list[PostFile]:
    """The files found as PostFile objects (what a full build reads)."""
    roots: dict[str, Path] = {}
    return [
        PostFile(roots.setdefault(root, Path(root)), path, size, mtime_ns)
        for root, path, size, mtime_ns in found
    ]


def full_rebuild(
    library: Library,
    paths: IndexPaths,
    post_files: list[PostFile],
    notice: str | None,
    progress: Progress | None,
    should_stop: ShouldStop | None,
) -> UpdateReport:
    from .search.build import full_build

    if notice:
        library.notice(notice)
    library.drop_snapshot()
    meta = {"format": FORMAT_VERSION, "roots": roots_json(library.roots)}
    count, warnings, cancelled = full_build(
        paths.cache, paths.folder, meta, post_files, library.asset_table, progress, should_stop
    )
    return UpdateReport(
        added=count,
        warnings=warnings,
        rebuilt=not cancelled,
        notice=notice,
        cancelled=cancelled,
    )


def damage_message(exc: BaseException) -> str:
    detail = str(exc).splitlines()[0][:120] if str(exc) else ""
    if isinstance(exc, IndexDamaged) and exc.expected:
        return f"rebuilding the search index ({detail})"
    kind = type(exc).__name__
    reason = detail if isinstance(exc, IndexDamaged) else f"{kind}{': ' + detail if detail else ''}"
    return f"the search index could not be read ({reason}); rebuilding it"
