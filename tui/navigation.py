"""Where the reader goes: addresses and places read as articles, and the trail. No Textual.

`look_up`, `read` and `read_place` turn an address, a file or a place into an article to
show (or say why not); `Trail` keeps back/forward and the history list, saved as they grow.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from termpedia.content.article import Article
from termpedia.content.library import ArticleError, read_article
from termpedia.content.resolve import find_section, sections_starting
from termpedia.content.sanitize import visible
from termpedia.index.search import Index

from .history import History, Place, Visit, VisitLog
from .state import ReaderState
from .upkeep import Said
from .widgets.layout import Exists, title_path

FILE = "file"
"""The library of an article opened as a file (`termpedia notes/idea.txt`)."""


@dataclass(frozen=True)
class Found:
    """An article to show, from which library, at which section (a fragment as written)."""

    article: Article
    library: str
    fragment: str = ""


@dataclass(frozen=True)
class Missing:
    """No article has this title, or (`ambiguous`) more than one does."""

    title: str
    ambiguous: bool


@dataclass(frozen=True)
class Unreadable:
    """The article's file could not be read: the diagnostic, made visible."""

    message: str
    timeout: float | None = None
    """Seconds to show the message (None: Textual's default)."""


def another_title(index: Index, shown: Article | None, tries: int = 5) -> str | None:
    """A random title, other than the article shown if the index has another."""
    title = None
    for _ in range(tries):
        title = index.random_title()
        if title and (shown is None or title != shown.title):
            break
    return title


def read(where: str | Path, library: str, fragment: str = "") -> Found | Unreadable:
    """The article at a location: a file's path, or an archive's `zim:LIBRARY:PATH`."""
    try:
        article = read_article(str(where))
    except ArticleError as error:
        return Unreadable(visible(str(error.diagnostic)))
    return Found(article, library, fragment)


def exists(index: Index, address: str) -> bool:
    """Does a link lead to an article (or to a section of the article it is in)?"""
    return address.startswith("#") or index.catalog.resolve(address).entry is not None


def look_up(index: Index, address: str) -> Found | Missing | Unreadable:
    """The article a `Title#Section` address names."""
    resolution = index.catalog.resolve(address)
    if resolution.entry is None:
        return Missing(address.partition("#")[0], bool(resolution.candidates))
    found = read(resolution.entry.path, resolution.entry.library, resolution.fragment)
    return Unreadable(found.message, timeout=6) if isinstance(found, Unreadable) else found


def read_place(index: Index, place: Place) -> Found | Unreadable:
    """The article of a place gone back or forward to: by its title, as the index has it
    now (the file may have moved since), else at the path it had."""
    if place.library == FILE:
        return read(place.path, FILE)
    resolution = index.catalog.resolve(place.title)
    where = place.path if resolution.entry is None else resolution.entry.path
    return read(where, place.library)


def header_title(found: Found, exists: Exists | None = None) -> str:
    """The article's title, and its library unless bundled: `Title  [library]`. A subpage
    or prefixed title (`layout.title_path`) goes by its own name, its path after it:
    `Page  (Book/Chapter)`, `Tea  (Recipe)`, so that a narrow header still shows the name."""
    shelf = f"  [{found.library}]" if found.library not in ("bundled", "") else ""
    title = found.article.title
    quiet = title_path(title, exists)[0]
    if quiet:
        title = f"{title[quiet:]}  ({title[:quiet].rstrip('/:')})"
    return visible(title) + shelf


def dangling_note(title: str, ambiguous: bool) -> Said:
    """What to say when a title leads nowhere (the reader may start it with `a`)."""
    if ambiguous:
        return Said(f"{visible(title)!r} names more than one article: pick one", timeout=4)
    return Said(
        f"No article titled {visible(title)!r} yet: searching for it (a starts one)", timeout=5
    )


def anchor_for(article: Article, fragment: str) -> tuple[str, Said | None]:
    """The anchor of the section a fragment names (`#Exile` names "Exile and death"), and
    what to tell the reader when it names none or several ("" for the lead)."""
    if not fragment:
        return "", None
    section = find_section(article, fragment)
    if section is not None:
        return section.anchor, None
    several = sections_starting(article, fragment)
    if several:
        names = ", ".join(visible(s.heading) for s in several[:4])
        return "", Said(f"{visible(fragment)!r} starts several sections: {names}", timeout=4)
    return "", Said(f"No section {visible(fragment)!r} in this article", timeout=3)


class Trail:
    """The places the reader has been: back/forward (`History`) and every visit
    (`VisitLog`, the history list), saved to the reader's state as they change."""

    def __init__(self, state: ReaderState) -> None:
        self.state = state
        self.history = History()
        self.history.restore(state.history)
        self.visits = VisitLog(state.visits)

    def arrive(self, article: Article, library: str, anchor: str, left_at: int | None) -> None:
        """The reader is shown an article. With `left_at` (the scroll offset of the place
        left), it is a new place in back/forward; without, a place gone back or forward to
        (or the same one shown again)."""
        if left_at is not None:
            self.history.remember_scroll(left_at)
            self.history.visit(Place(article.title, library, article.path, anchor))
            self.state.save_history(list(self.history.places))
        if self.visits.add(Visit(article.title, library, article.path, anchor, time.time())):
            self.state.save_visits(self.visits.visits)

    def step(self, direction: int, scroll_y: int) -> Place | None:
        """Go back (-1) or forward (1), remembering where the reader was; None if there is
        nowhere to go."""
        self.history.remember_scroll(scroll_y)
        return self.history.back() if direction < 0 else self.history.forward()

    @property
    def can_go_back(self) -> bool:
        return self.history.can_go_back
