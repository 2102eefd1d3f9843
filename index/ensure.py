"""Opening the index for reading, building or updating it first when the files changed."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from termpedia.content.archive import Registration
from termpedia.content.library import Shelf

from .search import Index, IndexMissing
from .store import IndexBusy, Manifest, current_generation

if TYPE_CHECKING:  # building imports Whoosh: only when there is something to build
    from .build import BuildReport, Progress


@dataclass
class Opened:
    """An open index, what updating it did (None if nothing was needed), and a note."""

    index: Index
    report: BuildReport | None = None
    note: str = ""
    checked: bool = True
    """False when opened without comparing the files with the index (`open_last`)."""


def archives_of(shelves: list[Shelf]) -> list[Registration]:
    """The ZIM archives read in place among the shelves."""
    return [shelf.archive for shelf in shelves if shelf.archive is not None]


def needs_update(root: Path, shelves: list[Shelf]) -> bool:
    """The cheap start-up check: does the manifest differ from the files' sizes and times?"""
    from .build import diff

    generation = current_generation(root)
    manifest = Manifest.load(generation) if generation else None
    return manifest is None or not diff(shelves, manifest).empty


def open_index(
    root: Path,
    shelves: list[Shelf],
    progress: Progress | None = None,
    rebuild: bool = False,
    lock_timeout: float = 10.0,
) -> Opened:
    """An up-to-date index. If another process is writing, the last complete index is
    opened read-only (with a note); IndexBusy is raised only when there is none yet."""
    from .build import update

    report: BuildReport | None = None
    note = ""
    if rebuild or needs_update(root, shelves):
        try:
            report = update(
                root, shelves, rebuild=rebuild, progress=progress, lock_timeout=lock_timeout
            )
        except IndexBusy as busy:
            if current_generation(root) is None:
                raise
            note = f"{busy}; showing the last complete index"
    archives = archives_of(shelves)
    try:
        return Opened(Index(root, archives=archives), report, note)
    except IndexMissing:
        # Damaged beyond what the update noticed: build it again from the articles.
        report = update(root, shelves, rebuild=True, progress=progress, lock_timeout=lock_timeout)
        opened = Index(root, archives=archives)
        return Opened(opened, report, note or "the index was damaged and has been rebuilt")


def open_last(root: Path, shelves: list[Shelf], progress: Progress | None = None) -> Opened:
    """The last complete index, at once, without the start-up check (`checked` is False)
    and without opening its Whoosh files (`Index(lazy=True)`): the app shows its first
    screen, then brings the index up to date and opens it in the background. Without an
    index, `open_index` builds one first."""
    if current_generation(root) is not None:
        try:
            return Opened(Index(root, lazy=True, archives=archives_of(shelves)), checked=False)
        except IndexMissing:
            pass  # damaged: open_index rebuilds it
    return open_index(root, shelves, progress)
