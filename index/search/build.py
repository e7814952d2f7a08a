"""Full builds: a fresh index in a new folder, written by parallel workers, swapped in.

Each worker process (forked, from a single-threaded process: see can_fork) parses its share
of the posts, computes their terms and writes its own Whoosh segment and its own SQLite
store; the parent only relays progress, then merges the stores (SQLite `INSERT … SELECT`, in
C) and commits one table of contents listing every worker's segment. Posts get their pid
from the parent; units get uids from a range of their worker's own, so no two units ever
share one. The new folder replaces the old index with two renames, so a killed build leaves
the previous index intact (and a `.build-<pid>` folder that the next update removes).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import queue
import shutil
from array import array
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..archive import PostFile
from ..paths import private_dir
from .index_files import file_stats
from .segments import UnitWriter, create, keep_segments, open_index
from .store import SCHEMA_SQL, PostRow, Store, UnitRow
from .units import PostData, StoredImpact, post_data, post_facets, set_assets

if TYPE_CHECKING:
    from ..parse.assets import AssetTable

#: Use worker processes when at least this many posts are to be parsed.
PARALLEL_FROM = 48
MAX_WORKERS = 4
#: uids of worker k start at 1 + k * UID_STRIDE.
UID_STRIDE = 1 << 27
#: A worker with this many posts or more gives its spills' freed arrays back to the system
#: (large_blocks: its memory then stops climbing, 35 MB less at 25,000 posts), at the cost of
#: faulting them in again at every spill (system time: +1.8 s over 6,000 posts). Fewer
#: posts leave little to give back (14 MB at 6,000; 7,300 posts in all peak at ~210 MB).
GIVE_BACK_FROM = 10_000
#: The files a committed Whoosh index consists of (not its lock or temporary files).
WHOOSH_EXTENSIONS = (".toc", ".seg", ".trm", ".pst", ".col", ".vps")

Progress = Callable[[int, int, str], None]
ShouldStop = Callable[[], bool]


@dataclass
class Writing:
    """Adds parsed posts to a Whoosh writer and a store, numbering posts and units."""

    store: Store
    writer: UnitWriter
    next_pid: int
    next_uid: int
    warnings: list[str] = field(default_factory=list)

    def add(self, data: PostData, pid: int | None = None) -> None:
        if pid is None:
            pid = self.next_pid
            self.next_pid += 1
        date = dt.date.fromisoformat(data.date)
        day = date.toordinal()
        shared = post_facets(data.date, data.tags, data.category)
        rows: list[UnitRow] = []
        impacts: list[tuple[int, StoredImpact]] = []
        for unit in data.units:
            uid = self.next_uid
            self.next_uid += 1
            rows.append(
                UnitRow(
                    uid,
                    pid,
                    unit.item_id,
                    unit.item_title,
                    unit.section,
                    unit.link,
                    unit.analysis,
                )
            )
            impacts.extend((uid, impact) for impact in unit.impacts)
            self.writer.add_unit(
                uid, pid, day, unit.title_terms, unit.body_terms, [*shared, *unit.facets], unit.text
            )
        self.store.add_post(
            PostRow(
                pid,
                data.root,
                data.path,
                data.size,
                data.mtime_ns,
                data.hash,
                date,
                data.title,
                data.category,
                data.tags,
                data.tally,
                data.assets,
            ),
            rows,
            impacts,
        )


def record_commit(
    folder: Path,
    store: Store,
    writing: Writing,
    generation: int,
    checked: dict[str, list[int]] | None = None,
) -> None:
    """Store what identifies a complete index: generation, id counters, Whoosh file stats.
    `checked`: the stats of the files as this process checked them when it opened the index
    (an update): a file whose size and mtime are still those keeps its checksum."""
    store.set_meta("generation", str(generation))
    store.set_meta("next_pid", str(writing.next_pid))
    store.set_meta("next_uid", str(writing.next_uid))
    store.set_meta("files", json.dumps(whoosh_files(folder, checked or {})))
    store.commit()


def whoosh_files(folder: Path, checked: dict[str, list[int]] | None = None) -> dict[str, list[int]]:
    """name -> file_stats of every file of the Whoosh index (not its lock or temporary
    files); the checksum of a file listed in `checked` with the same size and mtime is not
    read again (an update writes a new segment and keeps the others as they were)."""
    stats: dict[str, list[int] | None] = {}
    for entry in os.scandir(folder):
        if not (entry.is_file(follow_symlinks=False) and entry.name.endswith(WHOOSH_EXTENSIONS)):
            continue
        known = (checked or {}).get(entry.name)
        try:
            info = entry.stat(follow_symlinks=False)
        except OSError:
            continue
        if known is not None and known[:2] == [info.st_size, info.st_mtime_ns]:
            stats[entry.name] = known
        else:
            stats[entry.name] = file_stats(Path(entry.path))
    return {name: found for name, found in stats.items() if found is not None}


def full_build(
    cache: Path,
    final: Path,
    meta: dict[str, str],
    post_files: list[PostFile],
    assets: AssetTable | None,
    progress: Progress | None,
    should_stop: ShouldStop | None,
) -> tuple[int, tuple[str, ...], bool]:
    """Build a fresh index for `post_files` and swap it in at `final`.

    Returns (posts indexed, warnings, cancelled)."""
    building = cache / f"{final.name}.build-{os.getpid()}"
    if building.exists():
        shutil.rmtree(building)
    private_dir(building)
    whoosh_folder = building / "whoosh"
    whoosh_folder.mkdir(mode=0o700)
    store = Store(building / "store.sqlite")
    try:
        for key, value in meta.items():
            store.set_meta(key, value)
        ix = create(whoosh_folder)
        set_assets(assets)
        workers = min(MAX_WORKERS, os.cpu_count() or 1)
        if len(post_files) >= PARALLEL_FROM and workers > 1 and can_fork():
            result = _parallel(
                building, ix, store, post_files, workers, assets, progress, should_stop
            )
        else:
            result = _serial(ix, store, post_files, progress, should_stop)
        count, warnings, writing = result
        if writing is None:
            store.close()
            shutil.rmtree(building, ignore_errors=True)
            return count, warnings, True
        store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        store.close()
    except BaseException:
        store.close()
        shutil.rmtree(building, ignore_errors=True)
        raise
    swap_in(cache, final, building)
    return count, warnings, False


def can_fork() -> bool:
    """Whether worker processes may be forked: only in a process running no other thread
    (a fork copies locks other threads may hold). The command line is such a process; the
    reader runs `digest-tui index` as a child for that. Where threads run, a build is
    serial: starting workers fresh ("spawn") depends on the host's stdio and is slow."""
    import threading

    return hasattr(os, "fork") and threading.active_count() == 1


def _serial(
    ix: Any,
    store: Store,
    post_files: list[PostFile],
    progress: Progress | None,
    should_stop: ShouldStop | None,
) -> tuple[int, tuple[str, ...], Writing | None]:
    writing = Writing(store, UnitWriter(ix), 1, 1)
    count = 0
    for done, post_file in enumerate(post_files, 1):
        if should_stop is not None and should_stop():
            writing.writer.cancel()
            return count, tuple(writing.warnings), None
        data, warnings = post_data(post_file, keyed=True)
        writing.warnings.extend(warnings)
        if data is not None:
            writing.add(data)
            count += 1
        if progress is not None:
            progress(done, len(post_files), post_file.path)
    writing.writer.commit(mergetype=keep_segments(()))
    record_commit(Path(ix.storage.folder), store, writing, writing.writer.generation)
    return count, tuple(writing.warnings), writing


def _shard_main(
    folder: Path,
    shard: int,
    post_files: list[PostFile],
    jobs: array[int],
    messages: Any,
    parent: int,
    assets: AssetTable | None,
) -> None:
    """Worker: parse the posts `jobs` (their places in `post_files`; a post's pid is its
    place + 1), write one Whoosh segment and one store; report on `messages`. Stops at once
    if the parent goes away (killed): its work would be thrown away anyway."""
    from .large_blocks import give_back_large_blocks
    from .locking import close_inherited

    close_inherited()
    if len(jobs) >= GIVE_BACK_FROM:
        give_back_large_blocks()
    set_assets(assets)
    try:
        ix = open_index(folder / "whoosh")
        store = Store(folder / f"store-{shard}.sqlite")
        _scratch(store)
        writing = Writing(store, UnitWriter(ix, lock=False), 0, 1 + shard * UID_STRIDE)
        segments: list[object] = []
        for place in jobs:
            pid, post_file = place + 1, post_files[place]
            if os.getppid() != parent:
                os._exit(1)
            data, warnings = post_data(post_file, keyed=True)
            if data is not None:
                writing.add(data, pid)
            messages.put(("post", post_file.path, data is not None, warnings))
        if writing.writer._added:
            segments.append(writing.writer.finish_segment())
        store.commit()
        store.close()
        messages.put(("done", shard, segments, writing.next_uid))
    except BaseException as exc:  # reported to the parent, which raises
        messages.put(("error", shard, f"{type(exc).__name__}: {exc}", 0))


def _scratch(store: Store) -> None:
    """Make a worker's store a scratch file: no index to keep up at every insert (the parent
    drops the indexes, copies the rows and makes them again), no journal and no syncs (a
    killed build throws the whole folder away)."""
    for name in _index_names(store):
        store.db.execute(f"DROP INDEX {name}")
    store.db.execute("PRAGMA journal_mode=OFF")
    store.db.execute("PRAGMA synchronous=OFF")


def _index_names(store: Store) -> list[str]:
    return [
        name
        for (name,) in store.db.execute(
            "SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL"
        )
    ]


def _parallel(
    folder: Path,
    ix: Any,
    store: Store,
    post_files: list[PostFile],
    workers: int,
    assets: AssetTable | None,
    progress: Progress | None,
    should_stop: ShouldStop | None,
) -> tuple[int, tuple[str, ...], Writing | None]:
    import multiprocessing

    context = multiprocessing.get_context("fork")
    messages = context.Queue()
    # every worker starts with all this process holds (counted in each one's memory): its
    # posts as their places in `post_files`, not a (pid, PostFile) pair and a pid object each
    # (50,000 posts: 5 MB, three times over)
    order = sorted(range(len(post_files)), key=lambda i: post_files[i].size, reverse=True)
    shards = [array("I") for _ in range(workers)]
    loads = [0] * workers
    for i in order:  # largest first (the same size: in order), each to the least loaded worker
        k = loads.index(min(loads))
        shards[k].append(i)
        loads[k] += post_files[i].size + 2048
    del order
    processes = [
        context.Process(
            target=_shard_main,
            args=(folder, k, post_files, shards[k], messages, os.getpid(), assets),
            daemon=True,
        )
        for k in range(workers)
    ]
    for process in processes:
        process.start()
    segments: list[object] = []
    warnings: list[str] = []
    next_uid, done, count, finished = 1, 0, 0, 0
    try:
        while finished < workers:
            if should_stop is not None and should_stop():
                return count, tuple(warnings), None
            try:
                kind, a, b, c = messages.get(timeout=0.2)
            except queue.Empty:
                if not any(p.is_alive() for p in processes) and messages.empty():
                    raise RuntimeError("an indexing worker stopped unexpectedly") from None
                continue
            if kind == "post":
                done += 1
                count += 1 if b else 0
                warnings.extend(c)
                if progress is not None:
                    progress(done, len(post_files), a)
            elif kind == "done":
                finished += 1
                segments.extend(b)
                next_uid = max(next_uid, c)
            else:
                raise RuntimeError(f"indexing failed: {b}")
    finally:
        for process in processes:
            if process.is_alive() and finished < workers:
                process.terminate()
            process.join()
    # the shards' rows arrive in uid order but their pids interleave: the indexes are
    # dropped and made again once all rows are in (filled pages, not pages split half-empty
    # and a file that keeps the space they took)
    for name in _index_names(store):
        store.db.execute(f"DROP INDEX {name}")
    for k in range(workers):
        store.db.execute("ATTACH DATABASE ? AS shard", (str(folder / f"store-{k}.sqlite"),))
        for table in ("posts", "units", "tags", "impacts"):
            store.db.execute(f"INSERT INTO main.{table} SELECT * FROM shard.{table}")
        store.db.commit()
        store.db.execute("DETACH DATABASE shard")
        for suffix in ("", "-wal", "-shm"):
            Path(f"{folder}/store-{k}.sqlite{suffix}").unlink(missing_ok=True)
    store.db.executescript(SCHEMA_SQL)
    writer = UnitWriter(ix)
    writer.commit(mergetype=keep_segments((), segments))
    writing = Writing(store, writer, len(post_files) + 1, next_uid, warnings)
    record_commit(Path(ix.storage.folder), store, writing, writer.generation)
    return count, tuple(warnings), writing


def swap_in(cache: Path, final: Path, building: Path) -> None:
    """Replace the index folder by `building` with renames (never a half-written index)."""
    old = cache / f"{final.name}.old-{os.getpid()}"
    if final.exists():
        os.rename(final, old)
    os.rename(building, final)
    shutil.rmtree(old, ignore_errors=True)
