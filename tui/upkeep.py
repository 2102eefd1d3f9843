"""Keeping the reader's index up to date: a service with no Textual, reporting by callback.

Slow work (the catch-up, a rebuild, re-indexing behind a running update) goes to `run`, which
the screen makes Textual's thread workers; what the reader should be told goes to `report`,
from whichever thread found it, and the screen turns reports into messages.
"""

from __future__ import annotations

import contextlib
import subprocess
import sys
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from termpedia.content.library import Shelf
from termpedia.content.sanitize import visible
from termpedia.index.search import Index, IndexDamaged
from termpedia.index.store import IndexBusy

from .heap import give_back_memory

if TYPE_CHECKING:  # building imports Whoosh: not at start-up
    from termpedia.index.build import BuildReport

Severity = Literal["information", "warning", "error"]
DAMAGED = "The search index is damaged: rebuilding it from the articles…"


@dataclass(frozen=True)
class Said:
    """A line to tell the reader (a notification)."""

    text: str
    severity: Severity = "information"
    timeout: float | None = None
    """Seconds on screen; None for Textual's default."""


@dataclass(frozen=True)
class NewProblems:
    """An update found problems the reader has not been told of yet."""

    count: int


@dataclass(frozen=True)
class CaughtUp:
    """The catch-up after the first screen is over: the index holds what the folders hold."""


@dataclass(frozen=True)
class Indexing:
    """How far the section indexes of the archives read in place have got ("" when all
    are complete): one line for the status area."""

    text: str


Report = Said | NewProblems | CaughtUp | Indexing
Runner = Callable[[Callable[[], None]], object]
"""Runs slow work away from the UI (the screen passes its thread workers)."""
Updater = Callable[[Path, list[Shelf], bool], "BuildReport"]
"""`index.build.update(root, shelves, rebuild)`; injectable for tests."""


def _update(root: Path, shelves: list[Shelf], rebuild: bool) -> BuildReport:
    from termpedia.index.build import update

    return update(root, shelves, rebuild=rebuild)


def _at_once(work: Callable[[], None]) -> None:
    work()


class IndexUpkeep:
    """Updates, rebuilds and re-reads the open `index`, one update at a time in this process.

    Without a `root` (an index the reader did not open from the libraries) nothing is
    updated; `pick_up` still notices a generation another process made."""

    def __init__(
        self,
        index: Index,
        root: Path | None,
        shelves: list[Shelf],
        report: Callable[[Report], None],
        run: Runner = _at_once,
        updater: Updater = _update,
    ) -> None:
        self.index = index
        self.root = root
        self.shelves = shelves
        self.report = report
        self.run = run
        self._updater = updater
        self._updating = threading.Lock()
        """Held while an update runs: a second caller waits for the first (the writer lock
        between processes would make it give up after 10 s)."""
        self._guard = threading.Lock()
        self._long_work = 0
        """Catch-ups and rebuilds started and not over: a damaged index is rebuilt once."""
        self._indexer: subprocess.Popen[bytes] | None = None
        self._told = ""

    @property
    def updating(self) -> bool:
        """An update of this process is running."""
        return self._updating.locked()

    def _reindex(self, rebuild: bool = False) -> BuildReport | None:
        if self.root is None:
            return None
        with self._updating:
            return self._updater(self.root, self.shelves, rebuild)

    def _begin(self, only_if_idle: bool = False) -> bool:
        with self._guard:
            if only_if_idle and self._long_work:
                return False
            self._long_work += 1
            return True

    def _end(self) -> None:
        with self._guard:
            self._long_work -= 1

    # -- after the first screen --------------------------------------------------------------

    def catch_up(self) -> None:
        """Re-index what changed in the libraries since the index was written (the start-up
        check, moved off the reader's way), then open the index files so that the first
        search does not wait for them; a damaged index is rebuilt. Ends with CaughtUp."""
        self._begin()
        self.run(self._catch_up)

    def _catch_up(self) -> None:
        try:
            said = self._update_index()
            try:
                self.index.warm()
            except IndexDamaged:
                self.report(Said(DAMAGED, timeout=5))
                said = self._rebuild_now()
            if said:
                self.report(Said(said, timeout=3))
        finally:
            self._end()
        self.report(CaughtUp())
        self.index_archives()

    # -- archives read in place ----------------------------------------------------------

    def index_archives(self) -> None:
        """Start the indexer process of the archives whose section index is not complete
        (`python -m termpedia.index.archive`): apart from the app, at a low priority (its
        work is pure Python: in a thread here it would stall the UI). It goes on from its
        checkpoints, and stops when the app quits."""
        waiting = [c for c in self.index.coverage.values() if not c.complete]
        if self.root is None or not waiting or self._indexer is not None:
            return
        command = [sys.executable, "-m", "termpedia.index.archive", "--index", str(self.root)]
        self._indexer = subprocess.Popen(
            command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )

    def stop_indexing(self) -> None:
        """End the indexer process (it resumes from its checkpoints at the next start)."""
        indexer, self._indexer = self._indexer, None
        if indexer is not None and indexer.poll() is None:
            indexer.terminate()
            with contextlib.suppress(subprocess.TimeoutExpired):
                indexer.wait(timeout=5)

    def _progress(self) -> str:
        """One line on the archives still being indexed, "" when none is."""
        parts = []
        for covered in self.index.coverage.values():
            if covered.complete or not covered.total:
                continue
            share = 100 * covered.articles // covered.total
            parts.append(
                f"Indexing {covered.library}: {share}% ({covered.articles:,} of "
                f"{covered.total:,} articles; until then its search is provisional)"
            )
        return "; ".join(parts)

    def _update_index(self) -> str:
        """Bring the index up to date; what to tell the reader ("" if nothing changed)."""
        try:
            report = self._reindex()
        except IndexBusy:
            return ""  # another process is updating it: pick_up takes its work in
        except OSError as error:
            message = f"The index could not be updated: {visible(str(error))}"
            self.report(Said(message, "error", 8))
            return ""
        if report is None or not (report.full or report.indexed or report.removed):
            return ""  # nothing changed: nothing to say (not even old warnings)
        self.index.refresh()
        if report.new_problems:
            self.report(NewProblems(len(report.new_problems)))
        if report.full:
            return f"Index rebuilt: {report.articles} articles"
        return f"Index updated: {report.indexed} re-indexed, {report.removed} removed"

    # -- a damaged index -----------------------------------------------------------------

    def rebuild(self) -> bool:
        """The index could not be read: build it again from the articles, and say so; False
        (and nothing said) if a rebuild, or the catch-up that rebuilds a damaged index, is
        under way already."""
        if not self._begin(only_if_idle=True):
            return False
        self.report(Said(DAMAGED, timeout=5))
        self.run(self._rebuild)
        return True

    def _rebuild(self) -> None:
        try:
            self.report(Said(self._rebuild_now(), timeout=3))
        finally:
            self._end()

    def _rebuild_now(self) -> str:
        try:
            self._reindex(rebuild=True)
        except IndexBusy:
            # Another process holds the writer: it is rebuilding; pick_up takes its work in.
            return "Another termpedia is rebuilding the index"
        except OSError as error:
            return f"The index could not be rebuilt: {visible(str(error))}"
        self.index.refresh()
        return "The search index is rebuilt"

    # -- after an edit -------------------------------------------------------------------

    def after_edit(self, path: Path) -> bool:
        """Re-index an edited file (only changed files are read): at once, or, while an
        update runs (the catch-up, a rebuild), after it rather than by waiting here. Whether
        it was indexed at once."""
        if self.updating:
            self.run(partial(self._reindex_later, path))
            return False
        try:
            report = self._reindex()
        except IndexBusy:
            report = None
            self.report(Said("Another termpedia is updating the index: search catches up later"))
        except OSError as error:  # e.g. a full disk: the edit is saved, the index is not
            report = None
            message = f"The index could not be updated: {visible(str(error))}"
            self.report(Said(message, "error"))
        self.index.refresh()
        return report is not None and bool(report.indexed)

    def _reindex_later(self, path: Path) -> None:
        try:
            report = self._reindex()  # waits for the running update
        except (IndexBusy, OSError) as error:
            message = f"The index could not be updated: {visible(str(error))}"
            self.report(Said(message, "warning", 6))
            return
        self.index.refresh()
        if report is not None and report.indexed:
            self.report(Said(f"Re-indexed {visible(path.name)}", timeout=2))

    # -- what is wrong, and another process's work ---------------------------------------

    def problems(self, *known: Iterable[object]) -> list[str]:
        """Everything that is wrong, once each: what the caller knows of (the open article's
        diagnostics, damaged state files), then the libraries' problems from the index."""
        found = [str(problem) for problems in known for problem in problems]
        found += [str(d) for d in self.index.problems()]  # an unreadable log reads as empty
        return list(dict.fromkeys(found))

    def pick_up(self) -> bool:
        """Another process may have updated the index: read its new generation, or the
        archives' indexer's newest batches, if any; and tell how far the indexer got."""
        changed = self.index.refresh()
        if changed:
            give_back_memory()
        told = self._progress()
        if told != self._told:
            self._told = told
            self.report(Indexing(told))
        return changed
