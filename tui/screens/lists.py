"""The reader's lists: bookmarks, history, what links here, problems, libraries.

Each is a PickScreen: bookmarks (`'`), the history list (`H`), what links here (`w`),
problems (`!`) and libraries (`L`). Enter returns what to open (or the library).
"""

from __future__ import annotations

import time

from termpedia.content.sanitize import visible
from termpedia.index.search import SearchHit

from ..history import Visit, VisitLog
from ..state import ReaderState
from .pick import Entries, PickScreen
from .prompt import PromptScreen

EVERY = "*"
"""The entry for all libraries: not a library name (library_name() allows no "*")."""


class BookmarksScreen(PickScreen):
    """The bookmarks, oldest first: Enter returns one's address; d deletes, R renames (both
    saved at once)."""

    def __init__(self, state: ReaderState) -> None:
        actions = {"d": ("deletes", self._delete), "R": ("renames", self._rename)}
        super().__init__("Bookmarks", _bookmarks(state), actions=actions)
        self.state = state

    def result_for(self, key: str) -> str | None:
        return self.state.bookmarks[int(key)].address

    def _delete(self, key: str) -> Entries:
        self.state.delete_bookmark(int(key))
        return _bookmarks(self.state)

    def _rename(self, key: str) -> Entries:
        number = int(key)

        def renamed(name: str | None) -> None:
            if name:
                self.state.rename_bookmark(number, name)
                self.fill(_bookmarks(self.state))

        prompt = PromptScreen("New name for the bookmark", self.state.bookmarks[number].name)
        self.app.push_screen(prompt, renamed)
        return self.entries


def _bookmarks(state: ReaderState) -> Entries:
    return [(str(n), visible(b.name)) for n, b in enumerate(state.bookmarks)]


class VisitsScreen(PickScreen):
    """Every article the reader opened, newest first, with when: Enter returns the visit's
    address; x clears the list (saved at once)."""

    def __init__(self, visits: VisitLog, state: ReaderState) -> None:
        actions = {"x": ("clears", self._clear)}
        super().__init__("History (newest first)", _visits(visits), actions=actions)
        self.visits = visits
        self.state = state

    def result_for(self, key: str) -> str | None:
        return self.visits.newest_first()[int(key)].address

    def _clear(self, key: str) -> Entries:
        self.visits.clear()
        self.state.save_visits(self.visits.visits)
        return _visits(self.visits)


def _visits(visits: VisitLog) -> Entries:
    return [(str(n), visit_label(visit)) for n, visit in enumerate(visits.newest_first())]


def visit_label(visit: Visit) -> str:
    """`2026-12-03 09:41  Title #section`: when, and where (article text made visible)."""
    when = time.strftime("%Y-%m-%d %H:%M", time.localtime(visit.time)) if visit.time else ""
    where = visible(visit.title) + (f" #{visible(visit.anchor)}" if visit.anchor else "")
    return f"{when}  {where}" if when else where


class BacklinksScreen(PickScreen):
    """The sections that link to an article, sorted by title, then section; Enter returns
    the address of one (`Title#anchor`)."""

    def __init__(self, title: str, hits: list[SearchHit]) -> None:
        entries = [
            (
                f"{hit.title}#{hit.anchor}",
                visible(f"{hit.title} › {hit.section}" if hit.section else hit.title),
            )
            for hit in sorted(hits, key=lambda hit: (hit.title.casefold(), hit.section))
        ]
        super().__init__(f"What links here: {visible(title)} ({len(hits)})", entries)


class ProblemsScreen(PickScreen):
    """Everything that is wrong, one line each; only Esc does anything."""

    def __init__(self, problems: list[str]) -> None:
        entries = [(str(n), visible(problem)) for n, problem in enumerate(problems)]
        super().__init__(f"Problems ({len(entries)})", entries, hint="Esc closes")

    def result_for(self, key: str) -> str | None:
        return None


class LibraryScreen(PickScreen):
    """All libraries, then each by name; Enter returns the name ("" for all of them)."""

    def __init__(self, libraries: list[str]) -> None:
        entries = [(EVERY, "All libraries")] + [(name, name) for name in libraries]
        super().__init__("Search in which library?", entries)

    def result_for(self, key: str) -> str | None:
        return "" if key == EVERY else key
