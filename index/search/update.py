"""Keeping the index current: find what changed, parse only that, write it (or rebuild).

Layout under the cache folder (0700, owner checked), one index per set of roots:

    index-<hash of the sorted roots>/        whoosh/ (segments, TOC)  store.sqlite
    index-<hash>.lock                         the writer lock (locking.py)
    index-<hash>.build-<pid>/                 a full build in progress (renamed into place)

A post is unchanged when its size and mtime match the manifest; when they differ, its content
hash decides. A full build writes a fresh folder and swaps it in with a rename, so a killed
build leaves the previous index intact. An incremental update deletes and adds units in a new
Whoosh segment; the store is committed after Whoosh and records the Whoosh generation and the
size/mtime of every Whoosh file, so an interrupted update or a damaged file is noticed on the
next open and the index is rebuilt.

Indexes of other sets of roots (archives used before) are left where they are: another
digest-tui may be using them right now, and the cache holds only rebuildable data that the
user may delete at any time. Only this index's own leftovers are removed (`clean_strays`).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
from bisect import bisect_left
from collections.abc import Iterable
from dataclasses import dataclass
from operator import itemgetter
from pathlib import Path
from typing import TYPE_CHECKING

from ..archive import FoundFile, PostFile
from ..paths import Roots, private_dir
from .store import Store, is_write_failure, stored_mtime

_MTIME = itemgetter(3)
#: The mtimes (ns) the manifest keeps as they are (`stored_mtime` clamps the others).
_STORABLE = range(-(2**63), 2**63)

# What writes or searches the index (Whoosh, the parser) is imported by the functions that need
# it: a command that only lists (`unread`, `starred`) or finds nothing changed never loads it.
if TYPE_CHECKING:
    from ..parse.assets import AssetTable
    from .build import Progress, ShouldStop, Writing
    from .update_view import SegmentsView
    from .view import IndexView

#: Bump when what we store or how we analyse text changes: older indexes are rebuilt.
FORMAT_VERSION = "digest-tui-index-10"  # 4: item ids from titles; 5: item links, analyses;
# 6: impacts read as issue 9 has them (inferred stances, audiences are fields); postings
# written in one piece with int weights; 7: invisible characters left out of the terms;
# 8: posting blocks zlib-compressed (W3's own block compression); 9: j: junction facet terms;
# 10: s: section facet terms (the side store has no section index)


class IndexDamaged(Exception):
    """The index cannot be used as it is; the message says why (one line). `expected` when
    that is normal (written by another version of digest-tui, for other archive folders)."""

    def __init__(self, message: str, *, expected: bool = False) -> None:
        super().__init__(message)
        self.expected = expected


@dataclass(frozen=True)
class UpdateReport:
    """What an update did."""

    added: int = 0
    changed: int = 0
    removed: int = 0
    unchanged: int = 0
    warnings: tuple[str, ...] = ()
    took_s: float = 0.0
    rebuilt: bool = False
    notice: str | None = None
    """Why the index was rebuilt when that was not asked for (damage, interrupted update)."""
    cancelled: bool = False
    busy: str | None = None
    """Set when another process held the lock for too long: the last index was used."""
    skipped: tuple[str, ...] = ()
    """Files that are not even looked at (a name that is not UTF-8), as warnings."""
    merge_due: bool = False
    """Segments are due to be folded, and were left for later (`defer_merge`)."""


@dataclass(frozen=True)
class IndexPaths:
    """The files of one index (one set of roots) in the cache folder."""

    folder: Path
    lock: Path
    cache: Path

    @property
    def whoosh(self) -> Path:
        return self.folder / "whoosh"

    @property
    def store(self) -> Path:
        return self.folder / "store.sqlite"

    @property
    def merging(self) -> Path:
        """Where a merge writes its segment before swapping it in (merging.py)."""
        return self.cache / f"{self.folder.name}.merging"

    @property
    def merge_lock(self) -> Path:
        """Held by the one merge running (merging.py)."""
        return self.cache / f"{self.folder.name}.merging.lock"


def roots_key(roots: Roots) -> str:
    """A short hash of the sorted roots: the name of their index, whatever their order."""
    joined = "\0".join(sorted(str(p) for p in roots.paths))
    return hashlib.sha256(joined.encode("utf-8", "surrogateescape")).hexdigest()[:16]


def index_paths(cache: Path, roots: Roots) -> IndexPaths:
    """Where the index of `roots` lives in `cache`."""
    key = roots_key(roots)
    return IndexPaths(cache / f"index-{key}", cache / f"index-{key}.lock", cache)


def roots_json(roots: Roots) -> str:
    """The roots as the store records them (an index made for other roots is not used)."""
    return json.dumps(sorted(str(p) for p in roots.paths), ensure_ascii=False)


# -- checking -------------------------------------------------------------------------------


def check(paths: IndexPaths, roots: Roots, store: Store, *, checksums: bool = True) -> None:
    """Raise IndexDamaged (or anything) unless the index is complete, ours and consistent.

    Without `checksums` (an update) every file is compared by size and mtime, and only the
    tables of contents, which an update rewrites, by their checksums too: the checksums of the
    other files are read by the searches (a damaged file keeps its recorded checksum until
    one finds it) and by the merges, for the segments they fold (`check_segments`)."""
    from .index_files import file_size_mtime, file_stats

    check_store(store, roots)
    recorded = json.loads(store.get_meta("files") or "{}")
    for name, stats in recorded.items():
        if checksums or name.endswith(".toc"):
            same = file_stats(paths.whoosh / name) == stats
        else:
            same = file_size_mtime(paths.whoosh / name) == stats[:2]
        if not same:
            raise IndexDamaged(f"index file {name} is missing or was changed")


def check_segments(paths: IndexPaths, store: Store, segment_ids: Iterable[str]) -> None:
    """Raise IndexDamaged unless every file of these segments is as the store recorded it,
    checksum included: what a merge re-adds from a segment and then deletes must not carry a
    damaged file's content into a segment recorded as sound."""
    from .index_files import file_stats

    prefixes = tuple(f"{segment_id}." for segment_id in segment_ids)
    recorded = json.loads(store.get_meta("files") or "{}")
    for name, stats in recorded.items():
        if name.startswith(prefixes) and file_stats(paths.whoosh / name) != stats:
            raise IndexDamaged(f"index file {name} is missing or was changed")


def check_store(store: Store, roots: Roots) -> None:
    """Raise IndexDamaged unless the side store is this version's, of these roots, complete."""
    if store.get_meta("format") != FORMAT_VERSION:
        raise IndexDamaged("it was written by another version of digest-tui", expected=True)
    if store.get_meta("roots") != roots_json(roots):
        raise IndexDamaged("it was made for other archive folders", expected=True)
    recorded = json.loads(store.get_meta("files") or "{}")
    if not recorded:
        raise IndexDamaged("index is incomplete")


def open_checked(
    paths: IndexPaths, roots: Roots, *, reading: bool = False
) -> tuple[Store, IndexView]:
    """Open store and Whoosh index; raises if missing, foreign or damaged. Only `reading`,
    a disk too full for SQLite's shared-memory file (or a read-only cache, where it cannot be
    made) still gives the index as it is."""
    from .segments import open_index
    from .view import IndexView

    if not paths.store.is_file():
        raise FileNotFoundError(str(paths.store))
    private_dir(paths.folder)
    try:
        store = _open_store(paths.store)
    except sqlite3.OperationalError as exc:
        if not (reading and (is_write_failure(exc) or "unable to open" in str(exc))):
            raise
        store = Store(paths.store, frozen=True)
    try:
        check(paths, roots, store)
        view = IndexView(open_index(paths.whoosh))
        if str(view.generation) != store.get_meta("generation"):
            view.close()
            raise IndexDamaged("index was left half-written")
        view.uids()
    except BaseException:
        store.close()
        raise
    return store, view


def open_for_update(paths: IndexPaths, roots: Roots) -> Store:
    """The store of an index about to be updated, checked as `open_checked` checks it (its
    files, the generation of the newest table of contents; the checksums as `check` reads
    them for an update) without opening Whoosh: an update that finds nothing changed never
    loads it (`apply_changes` opens the segments when there is something to write)."""
    from .index_files import toc_generation

    if not paths.store.is_file():
        raise FileNotFoundError(str(paths.store))
    private_dir(paths.folder)
    store = _open_store(paths.store)
    try:
        check(paths, roots, store, checksums=False)
        if str(toc_generation(paths.whoosh)) != store.get_meta("generation"):
            raise IndexDamaged("index was left half-written")
    except BaseException:
        store.close()
        raise
    return store


def open_segments(paths: IndexPaths, store: Store) -> SegmentsView:
    """The Whoosh index of a checked store, as an update reads it (update_view.py)."""
    from .segments import open_index
    from .update_view import SegmentsView

    view = SegmentsView(open_index(paths.whoosh))
    try:
        if str(view.generation) != store.get_meta("generation"):
            raise IndexDamaged("index was left half-written")
        view.uids()
    except BaseException:
        view.close()
        raise
    return view


def open_store(paths: IndexPaths, roots: Roots) -> Store:
    """The side store alone (what lists need: posts, items, stances), checked like
    `open_checked` checks it but without opening or checking the Whoosh files."""
    if not paths.store.is_file():
        raise FileNotFoundError(str(paths.store))
    store = _open_store(paths.store)
    try:
        check_store(store, roots)
    except BaseException:
        store.close()
        raise
    return store


def _open_store(path: Path) -> Store:
    """The store, opened for writing and read once (what fails on a full disk fails here)."""
    store = Store(path)
    try:
        store.get_meta("format")
    except BaseException:
        store.close()
        raise
    return store


def unchanged_posts(paths: IndexPaths, roots: Roots, found: list[FoundFile]) -> int | None:
    """When no post was added, changed or removed since the last update: the number of posts
    (after recording new mtimes of touched ones), from the store alone. None when something
    changed or the store is not this version's: a full update decides."""
    if not paths.store.is_file():
        return None
    try:
        store = _open_store(paths.store)
    except sqlite3.Error:
        return None
    try:
        if store.get_meta("format") != FORMAT_VERSION or store.get_meta("roots") != roots_json(
            roots
        ):
            return None
        seen = f"{store.get_meta('generation')}:{files_fingerprint(found)}"
        if store.get_meta("unchanged_files") == seen:
            return len(found)  # the very files the manifest was last found to match
        changes = diff(store, found)
        if changes.to_parse or changes.removed_pids or not changes.unchanged:
            return None
        for pid, size, mtime_ns in changes.touched:
            store.touch_post(pid, size, mtime_ns)
        store.set_meta("unchanged_files", seen)
        store.commit()
        return changes.unchanged
    finally:
        store.close()


def files_fingerprint(found: list[FoundFile]) -> str:
    """A digest of every post file's root, path, size and mtime (as the manifest keeps it):
    when it and the index generation are those recorded after a check that found nothing
    changed, nothing changed since (every change to the manifest's posts commits a new
    generation), and the manifest need not be read."""
    digest = hashlib.blake2b(digest_size=16)
    digest.update(
        "\n".join(
            [f"{root}\0{path}\0{size}\0{stored_mtime(mtime)}" for root, path, size, mtime in found]
        ).encode("utf-8", "surrogateescape")
    )
    return digest.hexdigest()


def clean_strays(paths: IndexPaths) -> None:
    """Remove the leftovers of killed builds and writers of this index (same index key). Run
    while holding the index lock, so none of them belongs to a build still running."""
    prefix = paths.folder.name + "."
    keep = {paths.lock.name, paths.merge_lock.name}
    for entry in os.scandir(paths.cache):
        if entry.name.startswith(prefix) and entry.name not in keep:
            if entry.name == paths.merging.name:
                from .locking import merging_now

                if merging_now(paths):  # a merge is writing there, without the lock
                    continue
            _remove(entry)
    if paths.whoosh.is_dir():
        for entry in os.scandir(paths.whoosh):
            # `X.tmp` folders of a killed writer, and `_MAIN_n.toc.<time>` of a cut TOC write
            if ".tmp" in entry.name or ".toc." in entry.name:
                _remove(entry)


def _remove(entry: os.DirEntry[str]) -> None:
    """Delete a file or a folder (never following a link); what cannot be removed stays."""
    if entry.is_dir(follow_symlinks=False):
        shutil.rmtree(entry.path, ignore_errors=True)
        return
    try:
        os.unlink(entry.path)
    except OSError:
        pass


@dataclass(frozen=True)
class Changes:
    """What differs between the archive and the manifest."""

    to_parse: list[PostFile]
    removed_pids: list[int]
    replaced_pids: dict[tuple[str, str], int]
    touched: list[tuple[int, int, int]]
    unchanged: int


def diff(store: Store, found: list[FoundFile]) -> Changes:
    """Compare the files found with the manifest: size+mtime first, content hash when they
    differ. The files and the manifest are compared as sets of (root, path, size, mtime)
    first, so only the posts that differ are looked at one by one.

    Same content is the same post, unless the post is dated by its file's mtime (it has no
    date of its own) and the mtime moved to another day: then it is parsed again."""
    mtimes = list(map(_MTIME, found))
    if not mtimes or _STORABLE.start <= min(mtimes) and max(mtimes) < _STORABLE.stop:
        current = found  # the usual case: every mtime as the manifest keeps it
    else:
        current = [(root, path, size, stored_mtime(mtime)) for root, path, size, mtime in found]
    known = store.manifest_stats()
    differing = set(current).difference(known)
    unchanged = len(current) - len(differing)
    if not differing and len(known) == len(current):
        return Changes([], [], {}, [], unchanged)  # the usual case: nothing to look at
    from ..archive import mtime_date
    from .units import file_hash

    def mtime_day(mtime_ns: int) -> str:
        return mtime_date(mtime_ns / 1e9).isoformat()

    # what the manifest has and the files have not (changed, or removed): none when each
    # known post is among the files found unchanged (a post added, say)
    gone = known.difference(current) if len(known) != unchanged else set()
    manifest = store.manifest([(root, path) for root, path, _size, _mtime in gone])
    if manifest:
        on_disk = {(root, path) for root, path, _size, _mtime in current}
        removed = [manifest[key][0] for key in manifest if key not in on_disk]
    else:
        removed = []
    to_parse: list[PostFile] = []
    replaced: dict[tuple[str, str], int] = {}
    touched: list[tuple[int, int, int]] = []
    roots: dict[str, Path] = {}
    for index in [i for i, file in enumerate(current) if file in differing]:
        root, path, size, mtime_ns = found[index]
        post_file = PostFile(roots.setdefault(root, Path(root)), path, size, mtime_ns)
        known_post = manifest.get((root, path))
        if known_post is None:
            to_parse.append(post_file)
            continue
        pid, _size, old_mtime_ns, content_hash, date = known_post
        try:
            same = file_hash(post_file.full_path, post_file.root) == content_hash
        except OSError:
            same = False
        if same and date == mtime_day(old_mtime_ns) != mtime_day(mtime_ns):
            same = False  # dated by its mtime, which moved to another day
        if same:
            touched.append((pid, size, mtime_ns))
            unchanged += 1
        else:
            replaced[(root, path)] = pid
            to_parse.append(post_file)
    return Changes(to_parse, removed, replaced, touched, unchanged)


def apply_changes(
    paths: IndexPaths,
    store: Store,
    changes: Changes,
    assets: AssetTable | None,
    progress: Progress | None,
    should_stop: ShouldStop | None,
    defer_merge: bool = False,
) -> tuple[int, int, int, tuple[str, ...], bool, bool]:
    """Apply `changes` to the index of the checked `store` (`open_for_update`); returns
    (added, changed, removed, warnings, cancelled, merge_due). New mtimes of touched posts
    alone are a commit of the store: Whoosh is opened only when there are units to add or
    delete. `defer_merge`: segments the merge policy would fold now are left as they are and
    `merge_due` says so (merging.py folds them after the update)."""
    for pid, size, mtime_ns in changes.touched:
        store.touch_post(pid, size, mtime_ns)
    if not changes.to_parse and not changes.removed_pids:
        store.commit()
        return 0, 0, 0, (), False, False
    view = open_segments(paths, store)
    try:
        return _incremental(paths, store, view, changes, assets, progress, should_stop, defer_merge)
    finally:
        view.close()


def _incremental(
    paths: IndexPaths,
    store: Store,
    view: SegmentsView,
    changes: Changes,
    assets: AssetTable | None,
    progress: Progress | None,
    should_stop: ShouldStop | None,
    defer_merge: bool,
) -> tuple[int, int, int, tuple[str, ...], bool, bool]:
    """Write the units of `changes` in a new segment (merging what `choose_merge` says,
    unless `defer_merge`)."""
    from .build import Writing, record_commit
    from .segments import UnitWriter, keep_segments
    from .units import post_data, set_assets

    set_assets(assets)
    checked = json.loads(store.get_meta("files") or "{}")  # as `check` found them on opening
    writer = UnitWriter(view.ix)
    deleted_uids: set[int] = set()
    try:
        for pid in [*changes.removed_pids, *changes.replaced_pids.values()]:
            uid_to_doc = view.uid_to_doc()  # built once, only when something is deleted
            for uid in store.delete_post(pid):
                deleted_uids.add(uid)
                doc = uid_to_doc.get(uid)
                if doc is not None:
                    writer.delete_document(doc)
        writing = Writing(store, writer, *store.next_ids())
        added = changed = 0
        total = len(changes.to_parse)
        for done, post_file in enumerate(changes.to_parse, 1):
            if should_stop is not None and should_stop():
                writer.cancel()
                store.db.rollback()
                return 0, 0, 0, tuple(writing.warnings), True, False
            data, warnings = post_data(post_file)
            writing.warnings.extend(warnings)
            if data is not None:
                writing.add(data)
                if post_file.key in changes.replaced_pids:
                    changed += 1
                else:
                    added += 1
            if progress is not None:
                progress(done, total, post_file.path)
        kept, merge_due = compact(view, writing, deleted_uids, defer=defer_merge)
        check_segments(paths, store, folded_segments(view, kept))
        writer.commit(mergetype=keep_segments(kept))
        record_commit(paths.whoosh, store, writing, writer.generation, checked)
    except BaseException:
        if not writer.is_closed:
            writer.cancel()
        store.db.rollback()
        raise
    removed = len(changes.removed_pids) + len(changes.replaced_pids) - changed
    return added, changed, removed, tuple(writing.warnings), False, merge_due


#: Tiered merging: segments are grouped in tiers by size (live units: tier t holds fewer than
#: TIER_BASE * TIER_FACTOR ** (t + 1)); when a tier holds TIER_FACTOR segments (the update's new
#: one counted), they and every smaller one are folded into the new segment. Each unit is thus
#: re-added about log(n) times over its life, and an update re-adds at most MERGE_BUDGET units
#: (besides the live units of segments at least half deleted). A small base keeps a merged
#: segment out of the tier of one day's segment (about 10-20 units): daily updates fold about
#: five days' units every sixth day, not a growing pile of small segments with them (measured
#: over 30 updates after a build: at most 65 units re-added in one update, against 195 with a
#: base of 32).
TIER_FACTOR = 6
TIER_BASE = 2
MERGE_BUDGET = 4096


def _tier(live: int) -> int:
    tier, limit = 0, TIER_BASE * TIER_FACTOR
    while live >= limit:
        tier, limit = tier + 1, limit * TIER_FACTOR
    return tier


def choose_merge(stats: list[tuple[str, int, int]], new_units: int) -> list[str]:
    """The segments to fold into the update's new segment (of `new_units` units), from
    (segment id, documents, gone) of each segment, gone counting documents deleted now.

    A segment at least half gone is folded (its live units cost less to re-add than the
    changes that deleted the rest did). Otherwise the smallest tier holding TIER_FACTOR
    segments is folded, with every smaller segment, if that re-adds at most MERGE_BUDGET
    units: the cost of an update follows what changed, never the size of the archive."""
    live = {segment_id: count - gone for segment_id, count, gone in stats}
    drop = {segment_id for segment_id, count, gone in stats if count and gone * 2 >= count}
    small = sorted((n, s) for s, n in live.items() if s not in drop and n <= MERGE_BUDGET)
    tiers: dict[int, int] = {_tier(new_units): 1}
    for n, _segment_id in small:
        tiers[_tier(n)] = tiers.get(_tier(n), 0) + 1
    full = [t for t, seen in sorted(tiers.items()) if seen >= TIER_FACTOR]
    if full:
        folded: list[str] = []
        total = 0
        for n, segment_id in small:  # smallest first, as many as the budget allows
            if _tier(n) > full[0] or total + n > MERGE_BUDGET:
                break
            folded.append(segment_id)
            total += n
        if len(folded) >= 2:
            drop.update(folded)
    return [segment_id for segment_id, _count, _gone in stats if segment_id in drop]


def folded_segments(view: SegmentsView, kept: list[str]) -> list[str]:
    """The ids of the segments of `view` that `compact` did not keep (it folded them)."""
    return [
        segment_id for segment_id, _count, _gone in view.segment_stats() if segment_id not in kept
    ]


def compact(
    view: SegmentsView,
    writing: Writing,
    deleted_uids: set[int],
    *,
    defer: bool = False,
    last_is_new: bool = False,
) -> tuple[list[str], bool]:
    """Decide which segments to keep (`choose_merge`); re-add the live units of the others
    (their text from the index itself, the rest from the store) to `writing`. Returns the
    ids of the segments kept and whether a merge was due but left (`defer`).

    `last_is_new`: the newest segment holds the last update's units (merging.py, after it
    was committed): the merge is decided as that update decided it, and folds it too."""
    from .units import unit_facets, unit_terms

    stats = view.segment_stats()
    if not stats:
        return [], False
    uids = view.uids()
    uid_to_doc = view.uid_to_doc() if deleted_uids else {}
    deleted_docs = sorted(uid_to_doc[u] for u in deleted_uids if u in uid_to_doc)
    spans: dict[str, range] = {}
    base = 0
    gone_stats: list[tuple[str, int, int]] = []
    for segment_id, count, deleted in stats:
        spans[segment_id] = range(base, base + count)
        now = bisect_left(deleted_docs, base + count) - bisect_left(deleted_docs, base)
        gone_stats.append((segment_id, count, deleted + now))
        base += count
    if last_is_new:
        newest, count, gone = gone_stats.pop()
        drop = choose_merge(gone_stats, count - gone)
        drop += [newest] if drop else []
    else:
        drop = choose_merge(gone_stats, writing.writer.docnum)
    if not drop or defer:
        return [s[0] for s in stats], bool(drop)
    docs = {
        uids[d]: d for name in drop for d in spans[name] if uids[d] and uids[d] not in deleted_uids
    }
    unit_assets = writing.store.unit_assets(docs)
    days = view.days()
    for uid, pid, _date, title, facets, item_id in writing.store.reindex_rows(docs):
        doc = docs[uid]
        text = view.text(doc)
        title_terms, body_terms = unit_terms(title, text)
        writing.writer.add_unit(
            uid,
            pid,
            days[doc],
            title_terms,
            body_terms,
            [*facets, *unit_facets(item_id, unit_assets.get(uid, ()))],
            text,
        )
    return [s[0] for s in stats if s[0] not in drop], False
