"""Section indexes of Kiwix ZIM archives read in place, built from the archives themselves.

An archive's index lives in `ROOT/archives/UUID/` (its UUID, so that a moved archive keeps
it): `part-0/` and `part-1/`, one Whoosh index written by each of two worker processes (both
cores), each with a `checkpoint.json` and the word counts of what it holds. The archive's
articles (`ZimArchive.article_ids`) are cut into batches of `BATCH` articles; part k takes
the batches k, k + 2, k + 4, ... and commits after each, then writes its checkpoint (the next
batch) atomically: a kill -9 at any moment loses at most the batches in flight, and the next
build goes on from the checkpoints. A checkpoint of another index format (`FORMAT`) starts
that archive's index afresh. Searches read the parts beside the main index (`search.Index`).
"""

from __future__ import annotations

import ctypes
import fcntl
import json
import math
import multiprocessing
import os
import shutil
import signal
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from termpedia.content.archive import (
    ArchiveError,
    Registration,
    ZimArchive,
    archive_for,
    keep_cluster_cache_small,
    location,
)
from termpedia.content.library import Shelf

from .store import SCHEMA_VERSION, write_atomically

PARTS = 2
BATCH = 1024
"""Articles per batch: a commit each (a kill loses at most one batch a part, about 8 s of a
worker's work); each makes a segment, and fewer, bigger segments cost less to merge."""
VOCABULARY_EVERY = 30.0
"""Seconds between saves of a part's word counts while it builds (a kill loses at most that
much of them: they only steer did-you-mean and completions)."""
CHECKPOINT = "checkpoint.json"
LOCK = "build.lock"

Progress = Callable[[int, int], None]
"""Called with (articles indexed, articles in the archive)."""


def archives_dir(root: Path) -> Path:
    return root / "archives"


def folder_of(root: Path, registration: Registration) -> Path:
    return archives_dir(root) / registration.uuid


def index_format() -> str:
    """What a checkpoint must match for its part to be kept: the schema version, the
    posting layout (plain Whoosh or termpedia's) and the version of the HTML conversion
    (a new one changes the sections' text); "stored-order": batches of articles in the order
    the archive stores them (`ZimArchive.reading_order`), not in id order as before."""
    from termpedia.content.importers.zim import ZimConverter

    from . import w3

    return f"{SCHEMA_VERSION}/{w3.LAYOUT}/zim-{ZimConverter.version}/stored-order"


@dataclass
class Checkpoint:
    """How far one part got: the next batch it takes, what it holds."""

    format: str
    library: str
    batch: int
    next: int
    articles: int = 0
    sections: int = 0
    hidden: list[str] = field(default_factory=list)
    """Titles left out because the reader's own copy overrides them."""
    pending: int = -1
    """The batch being written, or -1: a kill between the commit of its sections and the
    save of this checkpoint leaves them in the index, so a resumed build takes them out
    before it writes that batch again."""

    @classmethod
    def load(cls, folder: Path) -> Checkpoint | None:
        try:
            data = json.loads((folder / CHECKPOINT).read_text(encoding="utf-8"))
            return cls(**data)
        except (OSError, ValueError, TypeError):
            return None

    def save(self, folder: Path) -> None:
        write_atomically(folder / CHECKPOINT, json.dumps(asdict(self), ensure_ascii=False))


@dataclass(frozen=True)
class Coverage:
    """How much of an archive its section index holds."""

    library: str
    articles: int
    """Articles indexed."""
    total: int
    """Articles in the archive (0 until the archive has been read once)."""
    sections: int

    @property
    def complete(self) -> bool:
        return self.total > 0 and self.articles >= self.total


def coverage(root: Path, registration: Registration) -> Coverage:
    """What the parts' checkpoints say (no Whoosh, no archive read)."""
    folder = folder_of(root, registration)
    articles = sections = 0
    wanted = index_format()
    for part in range(PARTS):
        checkpoint = Checkpoint.load(folder / f"part-{part}")
        if checkpoint is not None and checkpoint.format == wanted:
            articles += checkpoint.articles
            sections += checkpoint.sections
    total = _total(folder)
    return Coverage(registration.name, articles, total, sections)


def _total(folder: Path) -> int:
    try:
        return int(json.loads((folder / "archive.json").read_text("utf-8"))["articles"])
    except (OSError, ValueError, KeyError, TypeError):
        return 0


def part_folders(root: Path, registration: Registration) -> list[Path]:
    """The parts holding an index of the current format (for searching)."""
    folder = folder_of(root, registration)
    wanted = index_format()
    found = []
    for part in range(PARTS):
        path = folder / f"part-{part}"
        checkpoint = Checkpoint.load(path)
        if checkpoint is not None and checkpoint.format == wanted and checkpoint.articles:
            found.append(path)
    return found


# -- building ------------------------------------------------------------------------------


class ArchiveBusy(Exception):
    """Another process is building this archive's index."""


@contextmanager
def _build_lock(folder: Path) -> Iterator[None]:
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / LOCK, "a+") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as error:
            raise ArchiveBusy(f"{folder}: another termpedia is indexing this archive") from error
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def build(
    root: Path,
    shelf: Shelf,
    hidden: set[str] | None = None,
    progress: Progress | None = None,
    parts: int = PARTS,
) -> Coverage:
    """Index the archive of `shelf` (or go on indexing it) until it is covered. `hidden`:
    titles the reader's own copies override. Raises ArchiveError (the archive cannot be
    read) or ArchiveBusy."""
    registration = shelf.archive
    assert registration is not None, "not an archive library"
    folder = folder_of(root, registration)
    with _build_lock(folder):
        zim = archive_for(registration)
        ids = zim.article_ids()
        if zim.table() is None:
            zim.build_titles()  # first: title look-ups by it are the quickest
        write_atomically(
            folder / "archive.json",
            json.dumps({"library": registration.name, "articles": len(ids)}),
        )
        _start_afresh_if_stale(folder)
        batches = math.ceil(len(ids) / BATCH)
        jobs = [
            {
                "registration": registration.to_json(),
                "folder": str(folder / f"part-{part}"),
                "part": part,
                "parts": parts,
                "batches": batches,
                "language": shelf.language,
                "hidden": sorted(hidden or ()),
            }
            for part in range(parts)
        ]
        _run_parts(jobs, lambda: coverage(root, registration), progress, len(ids))
    return coverage(root, registration)


def _start_afresh_if_stale(folder: Path) -> None:
    wanted = index_format()
    for part in folder.glob("part-*"):
        checkpoint = Checkpoint.load(part)
        if checkpoint is None or checkpoint.format != wanted:
            shutil.rmtree(part, ignore_errors=True)


def _run_parts(
    jobs: list[dict[str, Any]],
    covered: Callable[[], Coverage],
    progress: Progress | None,
    total: int,
) -> None:
    """Run each part's job in a process of its own (spawned: the parent's libzim handles
    and threads stay behind), reporting progress from the checkpoints as they advance."""
    context = multiprocessing.get_context("spawn")
    workers = [context.Process(target=_part_main, args=(job, os.getpid())) for job in jobs]
    for worker in workers:
        worker.start()
    try:
        while any(worker.is_alive() for worker in workers):
            if progress is not None:
                progress(covered().articles, total)
            for worker in workers:
                worker.join(timeout=0.2)
        failed = [w.exitcode for w in workers if w.exitcode]
        if failed:
            raise ArchiveError(f"indexing the archive failed (worker exit codes {failed})")
        if progress is not None:
            progress(covered().articles, total)
    finally:
        for worker in workers:
            if worker.is_alive():
                worker.terminate()
                worker.join(timeout=5)


def _part_main(job: dict[str, Any], parent: int) -> None:
    """A worker: index the batches of one part, committing and checkpointing each."""
    _die_with(parent)
    _lower_priority()
    build_part(job)


def _die_with(parent: int) -> None:
    """Ask Linux to kill this worker when its parent dies (a kill -9 of `termpedia index`
    must not leave workers writing on)."""
    try:
        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass
    if os.getppid() != parent:  # the parent died before the request took effect
        os._exit(1)


def _lower_priority() -> None:
    with suppress(OSError):
        os.nice(5)


def build_part(job: dict[str, Any]) -> None:
    """Index part `job["part"]` of an archive: its batches from its checkpoint on."""
    from whoosh import index as whoosh_index
    from whoosh.filedb.filestore import FileStorage

    from . import w3
    from .documents import documents
    from .schema import make_schema
    from .spelling import Vocabulary

    registration = Registration.from_json(job["registration"])
    folder = Path(job["folder"])
    keep_cluster_cache_small()
    zim = archive_for(registration)
    ids = zim.reading_order()
    hidden = set(job["hidden"])
    checkpoint = Checkpoint.load(folder)
    if checkpoint is None or checkpoint.format != index_format() or checkpoint.batch != BATCH:
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        whoosh_index.create_in(str(folder), make_schema())
        checkpoint = Checkpoint(
            index_format(), registration.name, BATCH, job["part"], hidden=sorted(hidden)
        )
        checkpoint.save(folder)
    ix = FileStorage(str(folder), supports_mmap=False).open_index()
    if checkpoint.pending >= 0:
        _take_out(ix, zim, ids[checkpoint.pending * BATCH : (checkpoint.pending + 1) * BATCH])
    vocabulary = Vocabulary.load(folder)
    saved = time.monotonic()
    step = job["parts"]
    while checkpoint.next < job["batches"]:
        number = checkpoint.next
        articles = sections = 0
        checkpoint.pending = number
        checkpoint.save(folder)
        with w3.writer(ix, limitmb=24) as writer:
            writer.merge = False  # Whoosh's own merging rewrites every posting: w3.merge
            for index in ids[number * BATCH : (number + 1) * BATCH]:
                try:
                    path, title = zim.entry(index)
                    if title in hidden:
                        continue
                    article = zim.read(path)
                except (ArchiveError, RuntimeError, KeyError, ValueError):
                    continue  # an unreadable entry: the rest goes on
                for doc in documents(article, registration.name, job["language"]):
                    writer.add_document(**doc)
                    vocabulary.add(str(doc["heading"]), head=True)
                    vocabulary.add(str(doc["text"]))
                    sections += 1
                vocabulary.add(article.title, head=True)
                articles += 1
        # The word counts are for did-you-mean and completions: saved now and then and at
        # the end (each save writes them whole), not at every batch.
        if time.monotonic() - saved > VOCABULARY_EVERY or checkpoint.next + step >= job["batches"]:
            vocabulary.save(folder)
            saved = time.monotonic()
        checkpoint.next = number + step
        checkpoint.pending = -1
        checkpoint.articles += articles
        checkpoint.sections += sections
        checkpoint.save(folder)
        w3.merge(ix)  # a segment per batch otherwise: the segments of a tier merged
    w3.merge(ix, final=True)  # one segment: the smallest and quickest to search


def _take_out(ix: Any, zim: ZimArchive, batch: list[int]) -> None:
    """The sections of a batch's articles, from an index that may hold them (`pending`)."""
    from . import w3

    with w3.writer(ix, limitmb=16) as writer:
        for index in batch:
            try:
                path, _title = zim.entry(index)
            except (ArchiveError, RuntimeError, KeyError, ValueError):
                continue
            writer.delete_by_term("file", location(zim.name, path))


def locations_of(zim: ZimArchive, titles: set[str]) -> list[str]:
    """Where the articles of these titles are in the archive (to take them out of its index
    when the reader's copy overrides them)."""
    found = []
    for title in sorted(titles):
        try:
            path = zim.path_of(title)
        except ArchiveError:
            continue
        if path:
            found.append(location(zim.name, path))
    return found


def remove_overridden(root: Path, registration: Registration, hidden: set[str]) -> int:
    """Take out of the archive's index the articles of `hidden` titles it still holds (the
    reader copied them with `e` after they were indexed); how many sections went."""
    from whoosh.filedb.filestore import FileStorage

    from . import w3

    removed = 0
    folders = part_folders(root, registration)
    if not folders:
        return 0
    try:
        with _build_lock(folder_of(root, registration)):
            for part in folders:
                checkpoint = Checkpoint.load(part)
                if checkpoint is None:
                    continue
                new = hidden - set(checkpoint.hidden)
                if not new:
                    continue
                ix = FileStorage(str(part), supports_mmap=False).open_index()
                with w3.writer(ix, limitmb=16) as writer:
                    for where in locations_of(archive_for(registration), new):
                        removed += writer.delete_by_term("file", where)
                checkpoint.hidden = sorted(hidden | set(checkpoint.hidden))
                checkpoint.save(part)
    except ArchiveBusy:
        return 0  # the builder takes the hidden titles at its next start
    return removed


def build_all(
    root: Path,
    shelves: list[Shelf],
    hidden: dict[str, set[str]] | None = None,
    progress: Callable[[str, int, int], None] | None = None,
) -> list[Coverage | str]:
    """Bring every archive's section index up to date (`build`); for each archive, what it
    covers now, or one line on why it could not be indexed (missing, busy)."""
    done: list[Coverage | str] = []
    for shelf in shelves:
        if shelf.archive is None:
            continue
        name = shelf.name
        told = (lambda n, t, name=name: progress(name, n, t)) if progress else None
        try:
            done.append(build(root, shelf, (hidden or {}).get(name), told))
        except (ArchiveError, ArchiveBusy) as error:
            done.append(str(error))
    return done


def overridden(manifest_files: dict[str, Any]) -> dict[str, set[str]]:
    """The titles the reader's own copies override in each archive (by library)."""
    found: dict[str, set[str]] = {}
    for record in manifest_files.values():
        if record.library == "user" and record.origin:
            found.setdefault(record.origin, set()).add(record.title)
    return found


def main() -> None:
    """`python -m termpedia.index.archive --index ROOT`: build the section indexes of the
    archives registered in the data dir, at a low priority (the app starts this beside
    itself: the building is pure Python, and in a thread of the app it would stall it)."""
    import argparse

    from termpedia.content.library import default_shelves

    from .store import Manifest, current_generation

    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("--index", type=Path, required=True)
    args = parser.parse_args()
    _die_with(os.getppid())  # the app that started it
    _lower_priority()
    generation = current_generation(args.index)
    manifest = Manifest.load(generation) if generation else None
    hidden = overridden(manifest.files) if manifest else {}
    build_all(args.index, default_shelves(), hidden)


if __name__ == "__main__":
    main()
