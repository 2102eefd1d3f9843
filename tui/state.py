"""The reader's own state on disk: bookmarks, history, settings, key map. No Textual here.

Small human-readable JSON files in platformdirs' state and config dirs, each written
atomically (temporary file, fsync, rename), each read leniently: a damaged file is set
aside as `NAME.damaged` and reported, never silently overwritten.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

from termpedia.content import paths
from termpedia.content.article import Article
from termpedia.index.store import write_atomically

from .history import Place, Visit, address_of


def write_json(path: Path, data: object) -> None:
    """Write JSON atomically: a reader sees the old file or the new one, never half of one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomically(path, json.dumps(data, ensure_ascii=False, indent=1) + "\n")


def read_json(path: Path, shape: type = object) -> tuple[object | None, str]:
    """(data, problem): missing -> (None, ""); damaged or not of `shape` (list, dict) ->
    moved aside under a name of its own, so nothing is overwritten, and a one-line note."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if isinstance(data, shape):
            return data, ""
        reason = f"not a JSON {shape.__name__}"
    except FileNotFoundError:
        return None, ""
    except (OSError, ValueError) as error:
        reason = str(error)
    aside = path.with_name(path.name + ".damaged")
    number = 1
    while aside.exists():
        number += 1
        aside = path.with_name(f"{path.name}.damaged-{number}")
    try:
        os.replace(path, aside)
    except OSError:
        return None, f"{path}: unreadable ({reason}); it could not be moved aside either"
    return None, f"{path}: unreadable ({reason}); kept as {aside.name}, starting afresh"


@dataclass(frozen=True)
class Bookmark:
    """A place the reader marked with `m`, under a name they can change."""

    name: str
    title: str
    anchor: str = ""
    library: str = ""

    @classmethod
    def at(cls, article: Article, anchor: str, library: str) -> Bookmark:
        """A bookmark of a section, named `Title › Heading` (the title for the lead)."""
        section = article.section(anchor)
        heading = section.heading if section is not None else ""
        name = f"{article.title} › {heading}" if heading else article.title
        return cls(name, article.title, anchor, library)

    @property
    def address(self) -> str:
        """`Title#anchor`, or the title for the lead."""
        return address_of(self.title, self.anchor)


def _places(raw: object) -> list[Place]:
    places = []
    for item in raw if isinstance(raw, list) else []:
        if isinstance(item, dict) and isinstance(item.get("title"), str):
            try:
                scroll_y = max(int(item.get("scroll_y", 0) or 0), 0)
            except (TypeError, ValueError):
                scroll_y = 0  # a damaged offset costs the position, not the history
            places.append(
                Place(
                    title=item["title"],
                    library=str(item.get("library", "")),
                    path=str(item.get("path", "")),
                    anchor=str(item.get("anchor", "")),
                    scroll_y=scroll_y,
                )
            )
    return places


def _visits(raw: object) -> list[Visit]:
    visits = []
    for item in raw if isinstance(raw, list) else []:
        if isinstance(item, dict) and isinstance(item.get("title"), str):
            try:
                when = float(item.get("time", 0) or 0)
            except (TypeError, ValueError):
                when = 0.0
            visits.append(
                Visit(
                    title=item["title"],
                    library=str(item.get("library", "")),
                    path=str(item.get("path", "")),
                    anchor=str(item.get("anchor", "")),
                    time=when,
                )
            )
    return visits


@dataclass
class ReaderState:
    """Everything the app remembers between runs. `private` means: read, never write."""

    bookmarks: list[Bookmark] = field(default_factory=list)
    history: list[Place] = field(default_factory=list)
    """The back/forward places of the last run (`history.json`)."""
    visits: list[Visit] = field(default_factory=list)
    """Every visit, oldest first (`visits.json`): the history list."""
    theme: str = ""
    private: bool = False
    problems: list[str] = field(default_factory=list)
    served: bool = False
    """A browser session of `termpedia serve`: in memory only (`private`, and nothing read
    from disk), and the reader's keys that would write files or start programs are off."""

    @classmethod
    def for_session(cls) -> ReaderState:
        """The state of a served session: empty, never read from or written to disk, so a
        session sees nothing of the server owner's bookmarks, history or settings."""
        return cls(private=True, served=True)

    @classmethod
    def load(cls, private: bool = False) -> ReaderState:
        state = cls(private=private)
        raw, problem = read_json(paths.state_dir() / "bookmarks.json", list)
        state.problems += [problem] if problem else []
        for item in raw if isinstance(raw, list) else []:
            if isinstance(item, dict) and isinstance(item.get("title"), str):
                state.bookmarks.append(
                    Bookmark(
                        name=str(item.get("name") or item["title"]),
                        title=item["title"],
                        anchor=str(item.get("anchor", "")),
                        library=str(item.get("library", "")),
                    )
                )
        raw, problem = read_json(paths.state_dir() / "history.json", list)
        state.problems += [problem] if problem else []
        state.history = _places(raw)
        raw, problem = read_json(paths.state_dir() / "visits.json", list)
        state.problems += [problem] if problem else []
        state.visits = _visits(raw)
        raw, problem = read_json(paths.config_dir() / "settings.json", dict)
        state.problems += [problem] if problem else []
        if isinstance(raw, dict):
            state.theme = str(raw.get("theme", ""))
        return state

    def add_bookmark(self, bookmark: Bookmark) -> None:
        """Bookmark a place, last in the list (an older bookmark of the same place goes)."""
        place = (bookmark.title, bookmark.anchor)
        self.bookmarks = [b for b in self.bookmarks if (b.title, b.anchor) != place]
        self.bookmarks.append(bookmark)
        self.save_bookmarks()

    def rename_bookmark(self, number: int, name: str) -> None:
        self.bookmarks[number] = replace(self.bookmarks[number], name=name)
        self.save_bookmarks()

    def delete_bookmark(self, number: int) -> None:
        del self.bookmarks[number]
        self.save_bookmarks()

    def save_bookmarks(self) -> None:
        if not self.private:
            write_json(paths.state_dir() / "bookmarks.json", [asdict(b) for b in self.bookmarks])

    def save_history(self, places: list[Place]) -> None:
        if not self.private:
            write_json(paths.state_dir() / "history.json", [asdict(p) for p in places[-200:]])

    def save_visits(self, visits: tuple[Visit, ...]) -> None:
        if not self.private:
            write_json(paths.state_dir() / "visits.json", [asdict(v) for v in visits])

    def save_theme(self, theme: str) -> None:
        self.theme = theme
        if not self.private:
            write_json(paths.config_dir() / "settings.json", {"theme": theme})


def load_keymap() -> tuple[dict[str, str], str]:
    """Binding id -> keys, from `keymap.json` in the config dir (e.g. {"app.search": "s"})."""
    raw, problem = read_json(paths.config_dir() / "keymap.json", dict)
    if not isinstance(raw, dict):
        return {}, problem
    return {str(k): str(v) for k, v in raw.items() if isinstance(v, str)}, problem
