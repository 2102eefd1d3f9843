"""Building the index: full builds into a new generation, incremental updates in place."""

from __future__ import annotations

import gc
import hashlib
import shutil
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh.filedb.filestore import FileStorage
from whoosh.index import Index as WhooshIndex
from whoosh.writing import IndexWriter

from termpedia.content.article import Diagnostic
from termpedia.content.library import (
    USER,
    ArticleError,
    ArticleFile,
    Shelf,
    load_article,
    overrides,
    read_bytes,
    scan,
)
from termpedia.content.resolve import normalize_title

from . import w3
from .documents import documents
from .schema import make_schema
from .spelling import Vocabulary
from .store import (
    FileRecord,
    Manifest,
    ProblemLog,
    catalog_of,
    current_generation,
    new_generation,
    remove_stale_generations,
    switch_to,
    writer_lock,
)

Progress = Callable[[int, int], None]
"""Called with (files done, files to do) while a build runs."""


@dataclass
class BuildReport:
    """What an update did."""

    full: bool = False
    articles: int = 0
    sections: int = 0
    indexed: int = 0
    removed: int = 0
    seconds: float = 0.0
    problems: list[Diagnostic] = field(default_factory=list)
    """Every problem the libraries have now (`store.ProblemLog`)."""
    new_problems: list[Diagnostic] = field(default_factory=list)
    """Those among `problems` that this update found first: the ones to tell the reader."""
    found: dict[str, list[Diagnostic]] = field(default_factory=dict, repr=False)
    """The problems of each file this update read (none: an empty list)."""


@dataclass(frozen=True)
class Changes:
    """The difference between the files on disk and the manifest."""

    changed: list[ArticleFile]
    removed: list[str]
    unchanged: int
    problems: list[Diagnostic]

    @property
    def empty(self) -> bool:
        return not self.changed and not self.removed


def digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def diff(shelves: list[Shelf], manifest: Manifest | None) -> Changes:
    """Stat every article file and compare with the manifest: cheap, reads no file."""
    changed: list[ArticleFile] = []
    seen: set[str] = set()
    problems: list[Diagnostic] = []
    unchanged = 0
    known = manifest.files if manifest else {}
    for shelf in shelves:
        files, found = scan(shelf)
        problems.extend(found)
        for file in files:
            key = file.location
            if key in seen:
                continue
            seen.add(key)
            record = known.get(key)
            if (
                record
                and record.mtime_ns == file.mtime_ns
                and record.size == file.size
                and record.library == file.library
                and record.language == file.language
                and record.origin == file.origin
            ):
                unchanged += 1
            else:
                changed.append(file)
    removed = [path for path in known if path not in seen]
    return Changes(changed, removed, unchanged, problems)


class _Overrides:
    """The titles of the reader's own articles, and which other articles they hide
    (`content.library.overrides`): those are left out of the index."""

    def __init__(self, manifest: Manifest) -> None:
        self.origins: dict[str, set[str]] = {}
        for record in manifest.files.values():
            if record.library == USER:
                self.origins.setdefault(normalize_title(record.title), set()).add(record.origin)

    def hide(self, title: str, library: str) -> bool:
        if library == USER:
            return False
        found = self.origins.get(normalize_title(title))
        return found is not None and any(overrides(origin, library) for origin in found)


def _user_names(manifest: Manifest) -> set[tuple[str, str]]:
    return {(r.title, r.origin) for r in manifest.files.values() if r.library == USER}


def _index_files(
    writer: IndexWriter,
    files: list[ArticleFile],
    manifest: Manifest,
    vocabulary: Vocabulary,
    report: BuildReport,
    progress: Progress | None,
    existing: bool,
) -> None:
    """Index `files`; with `existing`, first delete what the index holds of each.

    The files come in library priority order, the reader's own first: whether another
    article is hidden by one of theirs is known by the time it comes."""
    hidden: _Overrides | None = None
    for number, file in enumerate(files, 1):
        if hidden is None and file.library != USER:
            hidden = _Overrides(manifest)
        _index_file(writer, file, manifest, vocabulary, report, existing, hidden)
        if progress is not None:
            progress(number, len(files))


def _index_file(
    writer: IndexWriter,
    file: ArticleFile,
    manifest: Manifest,
    vocabulary: Vocabulary,
    report: BuildReport,
    existing: bool,
    hidden: _Overrides | None,
    force: bool = False,
) -> None:
    """Index one file (unless its content is what the index holds, or `force`)."""
    key = file.location
    try:
        data = read_bytes(file.path)
    except ArticleError as error:
        report.found[key] = [error.diagnostic]
        if existing and key in manifest.files:
            writer.delete_by_term("file", key)
            del manifest.files[key]
        return
    hashed = digest(data)
    old = manifest.files.get(key)
    if (
        not force
        and old is not None
        and old.digest == hashed
        and old.library == file.library
        and old.language == file.language
        and old.origin == file.origin
    ):
        manifest.files[key] = replace(old, mtime_ns=file.mtime_ns, size=file.size)
        return
    article = load_article(file.path, data)
    report.found[key] = [d for d in article.diagnostics if d.severity == "error"]
    if existing:
        writer.delete_by_term("file", key)
    shadowed = hidden is not None and hidden.hide(article.title, file.library)
    count = 0
    for doc in () if shadowed else documents(article, file.library, file.language):
        writer.add_document(**doc)
        vocabulary.add(str(doc["heading"]), head=True)
        vocabulary.add(str(doc["text"]))
        count += 1
    if not shadowed:
        vocabulary.add(" ".join((article.title, *article.aliases)), head=True)
        vocabulary.add(" ".join(value for _, value in article.infobox))
    manifest.files[key] = FileRecord(
        file.library,
        file.mtime_ns,
        file.size,
        hashed,
        article.title,
        article.aliases,
        count,
        file.language,
        file.origin,
        shadowed,
    )
    report.indexed += 1


def _apply_overrides(
    writer: IndexWriter, manifest: Manifest, vocabulary: Vocabulary, report: BuildReport
) -> None:
    """After the reader's own titles changed: take out of the index the articles they now
    hide, and put back those they no longer hide."""
    hidden = _Overrides(manifest)
    for key, record in list(manifest.files.items()):
        hide = hidden.hide(record.title, record.library)
        if hide and not record.shadowed:
            writer.delete_by_term("file", key)
            manifest.files[key] = replace(record, sections=0, shadowed=True)
        elif record.shadowed and not hide:
            file = ArticleFile(key, record.library, record.mtime_ns, record.size, record.language)
            _index_file(writer, file, manifest, vocabulary, report, True, hidden, force=True)


def update(
    root: Path,
    shelves: list[Shelf],
    rebuild: bool = False,
    progress: Progress | None = None,
    lock_timeout: float = 10.0,
) -> BuildReport:
    """Bring the index at `root` up to date with the shelves' files.

    A missing, corrupt or outdated index, or `rebuild`, means a full build into a new
    generation that becomes current only once complete; otherwise changed files are
    re-indexed in place and removed ones deleted. Raises IndexBusy if another process writes.
    """
    started = time.perf_counter()
    with writer_lock(root, lock_timeout):
        generation = current_generation(root)
        if generation is not None:
            # Without a current one, old folders stay until the new build replaces them, so
            # that generation numbers keep growing: readers tell generations apart by name.
            remove_stale_generations(root, generation)
        manifest = Manifest.load(generation) if generation else None
        if manifest is not None and manifest.layout != w3.LAYOUT:
            manifest = None  # built in the other mode (w3 or plain Whoosh): build afresh
        whoosh = _open(generation) if generation and manifest else None
        if rebuild or whoosh is None or manifest is None:
            report = _full_build(root, shelves, progress)
        else:
            report = _incremental(whoosh, generation, manifest, shelves, progress)  # type: ignore[arg-type]
    report.seconds = time.perf_counter() - started
    _hide_overridden(root, shelves)
    return report


def _hide_overridden(root: Path, shelves: list[Shelf]) -> None:
    """Take out of the archives' section indexes the articles the reader's own copies now
    override (copied with `e` after they were indexed)."""
    archives = [shelf.archive for shelf in shelves if shelf.archive is not None]
    if not archives:
        return
    from .archive import overridden, remove_overridden

    generation = current_generation(root)
    manifest = Manifest.load(generation) if generation else None
    hidden = overridden(manifest.files) if manifest else {}
    for registration in archives:
        titles = hidden.get(registration.name)
        if titles:
            remove_overridden(root, registration, titles)


def _open(generation: Path) -> WhooshIndex | None:
    try:
        # No mmap: Whoosh copies each mapped posting file into memory when it opens it.
        whoosh = FileStorage(str(generation), supports_mmap=False).open_index()
        whoosh.doc_count()  # reads the TOC and segment list: fails here if they are damaged
        return whoosh
    except Exception:  # noqa: BLE001 - any damage means "rebuild", never a crash
        return None


def _full_build(root: Path, shelves: list[Shelf], progress: Progress | None) -> BuildReport:
    report = BuildReport(full=True)
    changes = diff(shelves, None)
    known = ProblemLog.load(current_generation(root))
    generation = new_generation(root)
    try:
        whoosh = whoosh_index.create_in(str(generation), make_schema())
        manifest = Manifest(layout=w3.LAYOUT)
        vocabulary = Vocabulary()
        # Analysis is the cost of a build: share it with a second process when it pays.
        # limitmb is per process: 2 x 64 MB keeps a 100k-section build well under 500 MB.
        procs = 2 if len(changes.changed) > 400 else 1
        with w3.writer(whoosh, limitmb=64, procs=procs) as writer:
            _index_files(writer, changes.changed, manifest, vocabulary, report, progress, False)
        vocabulary.save(generation)
        manifest.save(generation)
        log = ProblemLog({k: v for k, v in report.found.items() if v}, _scanned(changes))
        log.titles = _clashes(manifest)
        _report_problems(report, log, known, generation)
        switch_to(root, generation)
    except BaseException:
        if current_generation(root) != generation:
            shutil.rmtree(generation, ignore_errors=True)
        raise
    _count(manifest, report)
    return report


def _incremental(
    whoosh: WhooshIndex,
    generation: Path,
    manifest: Manifest,
    shelves: list[Shelf],
    progress: Progress | None,
) -> BuildReport:
    report = BuildReport()
    changes = diff(shelves, manifest)
    known = ProblemLog.load(generation)
    names_changed = False
    if not changes.empty:
        keys = [file.location for file in changes.changed]
        before = [_names(manifest.files.get(key)) for key in keys]
        overriding = _user_names(manifest)
        # Counts only grow here: a word that left the text stays a (harmless) suggestion
        # until the next full build.
        vocabulary = Vocabulary.load(generation)
        # A few files (an edit) without the cyclic GC: such an update allocates much and
        # keeps little, and in a process holding a large heap each collection walks all of
        # it (it tripled the time of re-indexing one article in the benchmark's process).
        # Not for many files: the GC is process-wide, and the app's other thread runs on.
        with _gc_paused(len(changes.changed) <= SMALL_UPDATE):
            with w3.writer(whoosh, limitmb=128) as writer:
                for path in changes.removed:
                    writer.delete_by_term("file", path)
                    del manifest.files[path]
                    report.removed += 1
                _index_files(writer, changes.changed, manifest, vocabulary, report, progress, True)
                if _user_names(manifest) != overriding:
                    _apply_overrides(writer, manifest, vocabulary, report)
            vocabulary.save(generation)
            manifest.save(generation)
        after = [_names(manifest.files.get(key)) for key in keys]
        names_changed = bool(changes.removed) or before != after
    # Each file's problems as last read; none for a file that is gone (removed from the
    # manifest, or never in it: it could not be read and is no longer there).
    files = {k: v for k, v in known.files.items() if k in manifest.files}
    files.update(report.found)
    files = {key: found for key, found in files.items() if found}
    # Listing clashing titles means building the catalogue: the largest cost of re-indexing
    # an edit that kept its title, so only when titles changed.
    titles = _clashes(manifest) if names_changed else known.titles
    _report_problems(report, ProblemLog(files, _scanned(changes), titles), known, generation)
    _count(manifest, report)
    return report


SMALL_UPDATE = 20
"""Changed files up to which an update runs without the cyclic garbage collector."""


@contextmanager
def _gc_paused(pause: bool) -> Iterator[None]:
    was_enabled = gc.isenabled()
    if pause:
        gc.disable()
    try:
        yield
    finally:
        if pause and was_enabled:
            gc.enable()


def _names(record: FileRecord | None) -> tuple[str, tuple[str, ...], str] | None:
    return None if record is None else (record.title, record.aliases, record.library)


def _count(manifest: Manifest, report: BuildReport) -> None:
    """The articles and sections in the index."""
    report.articles = sum(not record.shadowed for record in manifest.files.values())
    report.sections = sum(record.sections for record in manifest.files.values())


def _scanned(changes: Changes) -> list[Diagnostic]:
    """The problems of the scan, and plain Whoosh's warning when it is in use (`w3.PROBLEM`):
    told once like any problem, then kept in the log."""
    mode = [Diagnostic("whoosh", 0, "warning", w3.WARNING)] if w3.PROBLEM else []
    return mode + changes.problems


def _clashes(manifest: Manifest) -> list[Diagnostic]:
    return catalog_of(manifest).clashes()


def _report_problems(
    report: BuildReport, log: ProblemLog, known: ProblemLog, generation: Path
) -> None:
    """Keep the log with the generation; the report holds all its problems and, as new,
    those the previous log did not have."""
    report.problems = log.all()
    before = set(known.all())
    report.new_problems = [problem for problem in report.problems if problem not in before]
    if log != known:
        log.save(generation)
