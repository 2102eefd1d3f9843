"""Libraries of article files on disk: which folders, which files, and reading one safely."""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path

from . import paths
from .archive import (
    SCHEME,
    ArchiveError,
    Registration,
    archive_for,
    registration_in,
    split_location,
)
from .article import Article, Diagnostic
from .parse import decode, parse
from .resolve import Catalog, Entry, normalize_title

ARTICLE_SUFFIX = ".txt"
MAX_ARTICLE_BYTES = 64 * 1024 * 1024
BUNDLED = "bundled"
USER = "user"
ORIGINS = ".origins.json"
"""In the reader's own library: which library each copy made with `e` came from (a hidden
file, so a scan does not take it for an article)."""


@dataclass(frozen=True)
class Shelf:
    """One library: a named folder tree of article files."""

    name: str
    root: Path
    writable: bool = False
    language: str = "en"
    """ISO 639-1 code of the library's text (from an import's metadata); decides stemming."""
    archive: Registration | None = None
    """For a Kiwix ZIM archive read in place: its registration (the folder then holds no
    article files; index/archive.py indexes the archive itself)."""


@dataclass(frozen=True)
class ArticleFile:
    """An article file found by a scan, with what is needed to notice a change cheaply."""

    location: str
    """The path as a string: a scan finds thousands, and a `Path` each costs more than the
    stat (most are compared with the index's manifest by this string and dropped)."""
    library: str
    mtime_ns: int
    size: int
    language: str = "en"
    origin: str = ""
    """For the reader's own copy of another library's article: that library (`overrides`)."""

    @property
    def path(self) -> Path:
        return Path(self.location)


def overrides(origin: str, library: str) -> bool:
    """Does an article of the reader's own library hide the article of the same title in
    `library`? It hides the bundled one always, and an imported one when it was copied from
    that library with `e` (its `origin`). Other titles shared between libraries are
    duplicates: both are kept and reported."""
    return library == BUNDLED or (bool(origin) and library == origin)


def origins(root: Path) -> dict[str, str]:
    """The `ORIGINS` record of the reader's library at `root`: file path -> library."""
    try:
        data = json.loads((root / ORIGINS).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict):
        return {}
    return {str(root / name): str(library) for name, library in data.items()}


def record_origin(root: Path, path: Path, library: str) -> None:
    """Remember that `path`, in the reader's library at `root`, is a copy from `library`."""
    recorded = {str(Path(name).relative_to(root)): value for name, value in origins(root).items()}
    recorded[str(path.relative_to(root))] = library
    temporary = root / f"{ORIGINS}.{os.getpid()}.tmp"
    temporary.write_text(json.dumps(recorded, ensure_ascii=False, indent=1), encoding="utf-8")
    os.replace(temporary, root / ORIGINS)


def bundled_shelf() -> Shelf:
    """The encyclopedia that ships with termpedia (package data)."""
    return Shelf(BUNDLED, Path(__file__).resolve().parent / "data" / "articles")


def default_shelves(extra: Iterable[Path] = ()) -> list[Shelf]:
    """Every library in priority order: the reader's own articles, `--library` folders,
    imported libraries, then the bundled encyclopedia. Names are unique."""
    shelves = [Shelf(USER, paths.user_articles_dir(), writable=True)]
    for folder in extra:
        shelves.append(Shelf(library_name(folder.resolve().name or "library"), folder))
    imported = paths.libraries_dir()
    if imported.is_dir():
        for folder in sorted(imported.iterdir()):
            if folder.is_dir() and not folder.name.startswith("."):
                name = library_name(folder.name)
                archive = registration_in(folder)
                shelves.append(Shelf(name, folder, language=_language(folder), archive=archive))
    shelves.append(bundled_shelf())
    return _unique_names(shelves)


def _language(folder: Path) -> str:
    """The language an import recorded in its `library.json`, else English."""
    try:
        data = json.loads((folder / "library.json").read_text(encoding="utf-8"))
        language = str(data.get("language") or "en")
    except (OSError, ValueError, AttributeError):
        return "en"
    return language.lower()[:12]


def library_rank(name: str) -> int:
    """Priority of a library when titles clash: the reader's own first, bundled last."""
    return 0 if name == USER else 2 if name == BUNDLED else 1


def library_name(text: str) -> str:
    """A library name usable in `library:NAME` queries: lower-case letters, digits, `-`, `_`."""
    return re.sub(r"[^a-z0-9_-]+", "-", text.lower()).strip("-") or "library"


def _unique_names(shelves: list[Shelf]) -> list[Shelf]:
    seen: set[str] = set()
    result = []
    for shelf in shelves:
        name, n = shelf.name, 1
        while name in seen:
            n += 1
            name = f"{shelf.name}-{n}"
        seen.add(name)
        result.append(replace(shelf, name=name))
    return result


def scan(shelf: Shelf) -> tuple[list[ArticleFile], list[Diagnostic]]:
    """Every `*.txt` file below the shelf's root, sorted; unreadable places are reported.

    Folder symlinks are followed once: a loop is reported, not walked forever.
    """
    files: list[ArticleFile] = []
    problems: list[Diagnostic] = []
    if not shelf.root.exists():
        return files, problems
    copied = origins(shelf.root) if shelf.name == USER else {}
    seen: set[tuple[int, int]] = set()
    stack = [shelf.root]
    while stack:
        folder = stack.pop()
        try:
            info = folder.stat()
            if (info.st_dev, info.st_ino) in seen:
                problems.append(Diagnostic(str(folder), 0, "warning", "folder loop; skipped"))
                continue
            seen.add((info.st_dev, info.st_ino))
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
            # Locations as str(Path(...)) spells them (the form the index stores): in the
            # folder "." scandir gives "./x.txt" where the article's path is "x.txt".
            dot = str(folder) == "."
        except OSError as error:
            problems.append(Diagnostic(str(folder), 0, "error", _reason(error)))
            continue
        for entry in entries:
            if entry.name.startswith("."):
                continue
            try:
                if entry.is_dir():
                    stack.append(Path(entry.path))
                elif entry.name.lower().endswith(ARTICLE_SUFFIX):
                    stat = entry.stat()
                    files.append(
                        ArticleFile(
                            entry.name if dot else entry.path,
                            shelf.name,
                            stat.st_mtime_ns,
                            stat.st_size,
                            shelf.language,
                            copied.get(entry.path, "") if copied else "",
                        )
                    )
            except OSError as error:
                problems.append(Diagnostic(entry.path, 0, "error", _reason(error)))
    files.sort(key=lambda f: f.location)
    return files, problems


def _reason(error: OSError) -> str:
    return (error.strerror or str(error)).lower()


class ArticleError(Exception):
    """A file that cannot be read at all (missing, unreadable, a folder, too large)."""

    def __init__(self, diagnostic: Diagnostic) -> None:
        super().__init__(str(diagnostic))
        self.diagnostic = diagnostic


def read_bytes(path: Path) -> bytes:
    """A file's bytes, or `ArticleError` with a one-line reason."""
    try:
        size = path.stat().st_size
        if size > MAX_ARTICLE_BYTES:
            raise ArticleError(
                Diagnostic(str(path), 0, "error", f"too large ({size} bytes) to read as an article")
            )
        return path.read_bytes()
    except IsADirectoryError as error:
        raise ArticleError(Diagnostic(str(path), 0, "error", "is a folder, not a file")) from error
    except OSError as error:
        raise ArticleError(Diagnostic(str(path), 0, "error", _reason(error))) from error


def read_article(where: str) -> Article:
    """The article at a location: an article file's path, or an archive's `zim:LIBRARY:PATH`
    (converted from the archive as it is read). ArticleError with one line when it cannot
    be read (a missing file; an archive moved, deleted or replaced)."""
    if not where.startswith(SCHEME):
        return load_article(Path(where))
    library, path = split_location(where)
    registration = registration_in(paths.libraries_dir() / library)
    if registration is None:
        raise ArticleError(Diagnostic(where, 0, "error", f"no archive library named {library!r}"))
    try:
        return archive_for(registration).read(path)
    except ArchiveError as error:
        raise ArticleError(
            Diagnostic(registration.source, 0, "error", _after_path(error))
        ) from error


def _after_path(error: ArchiveError) -> str:
    """An archive error's message without the path it starts with (the diagnostic has it)."""
    message = str(error)
    head, colon, rest = message.partition(": ")
    return rest if colon and "/" in head else message


def load_article(path: Path, data: bytes | None = None) -> Article:
    """Read and parse one file; decoding problems join the article's diagnostics."""
    if data is None:
        data = read_bytes(path)
    text, problems = decode(data, str(path))
    article = parse(text, str(path))
    if problems:
        article = replace(article, diagnostics=tuple(problems) + article.diagnostics)
    return article


def read_libraries(
    shelves: list[Shelf],
) -> tuple[list[tuple[ArticleFile, Article]], list[Diagnostic]]:
    """Every article of the libraries with the file it came from, and the problems met."""
    found: list[tuple[ArticleFile, Article]] = []
    problems: list[Diagnostic] = []
    for shelf in shelves:
        files, trouble = scan(shelf)
        problems.extend(trouble)
        for file in files:
            try:
                article = load_article(file.path)
            except ArticleError as error:
                problems.append(error.diagnostic)
                continue
            problems.extend(article.diagnostics)
            found.append((file, article))
    return found, problems


def titles_report(
    articles: list[tuple[ArticleFile, Article]],
) -> tuple[list[str], list[Diagnostic]]:
    """The reader's copies that replace another library's article (one `override` line
    each, by the rule of `overrides`), and the titles that clash among the rest, as the
    index sees them (for `termpedia check`)."""
    mine = {
        normalize_title(article.title): (file, article)
        for file, article in articles
        if file.library == USER
    }
    overriding: list[str] = []
    kept: list[Entry] = []
    for file, article in articles:
        copy = mine.get(normalize_title(article.title)) if file.library != USER else None
        if copy is not None and overrides(copy[0].origin, file.library):
            overriding.append(
                f"{copy[0].location}:1: override: replaces {article.title!r} of library "
                f"{file.library} ({file.location})"
            )
            continue
        kept.append(Entry(article.title, file.library, file.location, article.aliases))
    kept.sort(key=lambda entry: library_rank(entry.library))
    return overriding, Catalog(kept).clashes()
