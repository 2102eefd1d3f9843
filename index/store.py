"""The index folder on disk: generations, the CURRENT pointer, the writer lock, the manifest.

Layout of the index folder:

    CURRENT          name of the generation in use (switched atomically with os.replace)
    write.lock       flock()ed by the one process that writes; the kernel frees it on death
    gen-000007/      a Whoosh index plus manifest.json (what was indexed, from which file)
                     and problems.json (what is wrong in the libraries: `ProblemLog`)
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from termpedia.content.article import Diagnostic, Severity
from termpedia.content.library import library_rank
from termpedia.content.resolve import Catalog, Entry, TitleSource

SCHEMA_VERSION = 17
"""The version of the index's format (index/schema.py's schema, the modules whose classes the
TOC names, the manifest), stored in each generation's manifest: a different number forces a
full rebuild, checked before Whoosh opens the TOC. Here, not in schema.py, so that reading
a manifest (at start-up) does not import Whoosh. The posting layout of index/w3/ is
recorded beside it (`Manifest.layout`)."""


POINTER = "CURRENT"
MANIFEST = "manifest.json"
PROBLEMS = "problems.json"
LOCK = "write.lock"


class IndexBusy(Exception):
    """Another process holds the index writer and waiting timed out."""


@dataclass  # not frozen: a manifest loads thousands at start-up, and frozen ones cost 2x
class FileRecord:
    """One indexed article file, as the manifest remembers it (replaced, never changed)."""

    library: str
    mtime_ns: int
    size: int
    digest: str
    title: str
    aliases: tuple[str, ...] = ()
    sections: int = 0
    language: str = "en"
    origin: str = ""
    """For the reader's own copy of another library's article: that library."""
    shadowed: bool = False
    """Not in the index: an article of the reader's own library overrides it."""


@dataclass
class Manifest:
    """What a generation holds: schema version and one record per article file."""

    schema_version: int = SCHEMA_VERSION
    files: dict[str, FileRecord] = field(default_factory=dict)
    layout: str = ""
    """`w3.LAYOUT` of the build: termpedia's posting layout, or plain Whoosh's."""

    @classmethod
    def load(cls, folder: Path) -> Manifest | None:
        """The manifest, or None when missing, unreadable or of another schema version."""
        try:
            raw = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
            files = {
                path: FileRecord(
                    r["library"],
                    r["mtime_ns"],
                    r["size"],
                    r["digest"],
                    r["title"],
                    tuple(r.get("aliases", ())),
                    r.get("sections", 0),
                    r.get("language", "en"),
                    r.get("origin", ""),
                    r.get("shadowed", False),
                )
                for path, r in raw["files"].items()
            }
            manifest = cls(int(raw["schema_version"]), files, str(raw.get("layout", "")))
        except (OSError, ValueError, KeyError, TypeError):
            return None
        return manifest if manifest.schema_version == SCHEMA_VERSION else None

    def save(self, folder: Path) -> None:
        data = {
            "schema_version": self.schema_version,
            "layout": self.layout,
            # vars(), not asdict(): asdict deep-copies every record (0.2 s for 6,715 files).
            "files": {path: vars(record) for path, record in self.files.items()},
        }
        write_atomically(folder / MANIFEST, json.dumps(data, ensure_ascii=False))


@dataclass
class ProblemLog:
    """What is wrong in the indexed libraries: read and parse errors of each article file,
    what the last scan could not read, and titles that clash. Kept with the generation so
    that a problem is reported once, when an update first finds it, and listed afterwards
    (`termpedia check`, the app's Problems list) instead of at every update."""

    files: dict[str, list[Diagnostic]] = field(default_factory=dict)
    scan: list[Diagnostic] = field(default_factory=list)
    titles: list[Diagnostic] = field(default_factory=list)

    def all(self) -> list[Diagnostic]:
        """Every problem: the scan's, each file's (by path), then the clashing titles."""
        found = [*self.scan]
        for path in sorted(self.files):
            found.extend(self.files[path])
        return found + self.titles

    @classmethod
    def load(cls, folder: Path | None) -> ProblemLog:
        """The log of a generation; an empty one when there is none or it is damaged."""
        if folder is None:
            return cls()
        try:
            raw = json.loads((folder / PROBLEMS).read_text(encoding="utf-8"))
            return cls(
                {path: _diagnostics(items) for path, items in raw["files"].items()},
                _diagnostics(raw["scan"]),
                _diagnostics(raw["titles"]),
            )
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            return cls()

    def save(self, folder: Path) -> None:
        data = {
            "files": {path: _rows(found) for path, found in self.files.items()},
            "scan": _rows(self.scan),
            "titles": _rows(self.titles),
        }
        write_atomically(folder / PROBLEMS, json.dumps(data, ensure_ascii=False))


def _rows(found: list[Diagnostic]) -> list[list[object]]:
    return [[d.path, d.line, d.severity, d.message] for d in found]


def _diagnostics(rows: list[list[object]]) -> list[Diagnostic]:
    found = []
    for path, line, severity, message in rows:
        kind: Severity = "error" if severity == "error" else "warning"
        found.append(Diagnostic(str(path), int(str(line)), kind, str(message)))
    return found


def catalog_of(manifest: Manifest, sources: Sequence[TitleSource] = ()) -> Catalog:
    """The titles and aliases of a manifest's articles, in library priority order (the
    reader's own articles first, the bundled ones last), so that the first one wins; an
    article that the reader's own copy overrides is not among them."""
    records = sorted(
        ((path, record) for path, record in manifest.files.items() if not record.shadowed),
        key=lambda item: library_rank(item[1].library),
    )
    return Catalog(
        (Entry(record.title, record.library, path, record.aliases) for path, record in records),
        sources,
    )


def write_atomically(path: Path, text: str) -> None:
    """Write a temporary file beside `path`, fsync it, then rename it over `path`."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with open(temporary, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    directory = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(directory)
    finally:
        os.close(directory)


def current_generation(root: Path) -> Path | None:
    """The generation folder CURRENT names, if it exists."""
    try:
        name = (root / POINTER).read_text(encoding="utf-8").strip()
    except (OSError, ValueError):  # ValueError: not UTF-8, a damaged pointer
        return None
    if not name.startswith("gen-") or "/" in name:
        return None
    folder = root / name
    return folder if folder.is_dir() else None


def new_generation(root: Path) -> Path:
    """A fresh, empty generation folder with the next number."""
    numbers = [int(p.name[4:]) for p in root.glob("gen-*") if p.name[4:].isdigit()]
    folder = root / f"gen-{max(numbers, default=0) + 1:06d}"
    folder.mkdir(parents=True)
    return folder


def switch_to(root: Path, generation: Path) -> None:
    """Make `generation` current, atomically, and remove the generations before it."""
    write_atomically(root / POINTER, generation.name)
    remove_stale_generations(root, generation)


def remove_stale_generations(root: Path, current: Path | None) -> None:
    """Remove every generation but the current one: old ones, and half-built ones left by a
    build that was killed. Only the writer-lock holder calls this. Readers that still have
    old files open keep them (unlinked files live on until closed)."""
    for folder in root.glob("gen-*"):
        if folder != current:
            shutil.rmtree(folder, ignore_errors=True)


@contextmanager
def writer_lock(root: Path, timeout: float = 10.0) -> Iterator[None]:
    """Hold the index's writer lock; raise IndexBusy after `timeout` seconds of waiting."""
    root.mkdir(parents=True, exist_ok=True)
    with open(root / LOCK, "a+") as handle:
        deadline = time.monotonic() + timeout
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError as error:
                if time.monotonic() >= deadline:
                    raise IndexBusy(
                        f"{root}: another termpedia process is updating the index"
                    ) from error
                time.sleep(0.05)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
