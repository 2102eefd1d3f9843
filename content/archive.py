"""Kiwix ZIM archives read in place: where an archive's files are, the record that registers
it as a library, and reading it (which entries are articles, an article converted from its
HTML when it is opened, titles, full text through libzim's own index).

An article of an archive is located by `zim:LIBRARY:ENTRY-PATH` (library names hold no
colon), where a file's article is located by its path; `content.library.read_article` reads
either. Nothing is copied out of the archive, and it is never written.
"""

from __future__ import annotations

import contextlib
import html
import json
import os
import re
import struct
import threading
import time
from collections import OrderedDict
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from . import paths, zimlayout
from .article import Article
from .importers.base import compose
from .importers.zim import (
    COPY,
    HTML,
    MAX_REDIRECT_HOPS,
    Articles,
    html_to_page,
    iso639_1,
    main_entry,
)
from .parse import parse
from .resolve import Entry

MODE = "in place"
"""`library.json`'s `mode` for an archive read in place (imports by conversion have none)."""
SCHEME = "zim:"
CACHED_ARTICLES = 32
COUNTED_AT_REGISTRATION = 50_000
"""An archive without a list of front articles and with at most this many entries has its
articles counted by the rule when it is registered (a scan); a bigger one reports libzim's
count until it is indexed."""
ARTICLES_RULE = "2"
"""The version of the rule that counted a registration's articles (`extra["articles_rule"]`):
registering an archive counted by another rule counts it again."""


class ArchiveError(Exception):
    """An archive that cannot be read now (moved, deleted, replaced, damaged): one line."""


# -- files and registration ----------------------------------------------------------------


def archive_parts(source: Path) -> list[Path]:
    """The files of an archive: `X.zim`, or the parts of a split one (`X.zimaa`, `X.zimab`,
    ...) whether it is named by its first part or by `X.zim` when only the parts exist."""
    if source.is_file() and not _is_part(source):
        return [source]
    stem = source.name[:-2] if _is_part(source) else source.name
    parts = sorted(p for p in source.parent.glob(f"{stem}??") if _is_part(p) and p.is_file())
    return parts


def _is_part(path: Path) -> bool:
    suffix = path.name.rpartition(".")[2]
    return len(suffix) == 5 and suffix.startswith("zim") and suffix[3:].isalpha()


@dataclass(frozen=True)
class Part:
    path: str
    size: int
    mtime_ns: int


@dataclass(frozen=True)
class Registration:
    """What `library.json` records of an archive read in place."""

    name: str
    source: str
    """The path libzim opens (`X.zim`, or `X.zimaa` / `X.zim` for a split archive)."""
    parts: tuple[Part, ...]
    uuid: str
    language: str
    title: str = ""
    articles: int = 0
    kind: str = "zim"
    mode: str = MODE
    registered: float = 0.0
    extra: dict[str, str] = field(default_factory=dict)

    def to_json(self) -> dict[str, object]:
        data = asdict(self)
        data["parts"] = [asdict(part) for part in self.parts]
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Registration:
        parts = tuple(
            Part(str(p["path"]), int(p["size"]), int(p["mtime_ns"])) for p in data["parts"]
        )
        return cls(
            name=str(data["name"]),
            source=str(data["source"]),
            parts=parts,
            uuid=str(data["uuid"]),
            language=str(data.get("language") or "en"),
            title=str(data.get("title", "")),
            articles=int(data.get("articles", 0)),
            registered=float(data.get("registered", 0.0)),
            extra={str(k): str(v) for k, v in dict(data.get("extra", {})).items()},
        )


def open_archive(source: Path) -> Any:
    """libzim's Archive of `source` (a file or a split archive), or ArchiveError."""
    from libzim.reader import Archive

    try:
        return Archive(str(source))
    except (RuntimeError, OSError, ValueError) as error:
        from .importers.zim import _explain

        raise ArchiveError(f"{source}: {_explain(error)}") from error


def describe(source: Path, name: str, language: str | None = None) -> Registration:
    """The registration of the archive at `source` as the library `name`: its parts with
    their sizes and times, its UUID and metadata. Reads only the archive's header and
    metadata, whatever its size."""
    parts = archive_parts(source)
    if not parts:
        raise ArchiveError(f"{source}: no such file")
    opened = parts[0] if len(parts) == 1 else source
    archive = open_archive(opened if opened.exists() else parts[0])
    stats = []
    for part in parts:
        info = part.stat()
        stats.append(Part(str(part.resolve()), info.st_size, info.st_mtime_ns))
    extra = {}
    for key in ("Name", "Date", "Creator", "Publisher", "Scraper", "Description"):
        value = _metadata(archive, key)
        if value:
            extra[f"zim_{key.lower()}"] = value
    extra["articles_rule"] = ARTICLES_RULE
    source_path = (opened if opened.exists() else parts[0]).resolve()
    return Registration(
        name=name,
        source=str(source_path),
        parts=tuple(stats),
        uuid=str(archive.uuid),
        language=(language or iso639_1(_metadata(archive, "Language")) or "en").lower(),
        title=_metadata(archive, "Title"),
        articles=_article_count(archive),
        registered=time.time(),
        extra=extra,
    )


def _article_count(archive: Any) -> int:
    """How many articles the archive holds by the rule (`importers.zim.Articles`): libzim's
    count of the listed front articles, else a scan of a small archive."""
    listed = archive.has_new_namespace_scheme and archive.article_count > 0
    if listed or archive.all_entry_count > COUNTED_AT_REGISTRATION:
        return int(archive.article_count)
    return sum(1 for _ in Articles(archive).ids())


def status(registration: Registration) -> str:
    """ "" when the archive is where it was registered and unchanged; else one line saying
    what happened to it (missing, or replaced by another file)."""
    for part in registration.parts:
        path = Path(part.path)
        try:
            info = path.stat()
        except OSError:
            return f"{path}: the archive is missing (moved or deleted?)"
        if info.st_size != part.size:
            return f"{path}: the archive was replaced by another file"
        if info.st_mtime_ns != part.mtime_ns:
            try:
                uuid = str(open_archive(Path(registration.source)).uuid)
            except ArchiveError as error:
                return str(error)
            if uuid != registration.uuid:
                return f"{path}: the archive was replaced by another file"
    return ""


def _metadata(archive: Any, key: str) -> str:
    try:
        return bytes(archive.get_metadata(key)).decode("utf-8", "replace").strip()
    except (RuntimeError, KeyError, ValueError):
        return ""


# -- reading an archive --------------------------------------------------------------------


def location(library: str, path: str) -> str:
    """Where the article at entry `path` of the archive library `library` is located."""
    return f"{SCHEME}{library}:{path}"


def split_location(where: str) -> tuple[str, str]:
    """(library, entry path) of an archive location."""
    _, library, path = where.split(":", 2)
    return library, path


CLUSTER_CACHE = 2 * 1024 * 1024
"""Bytes of decompressed clusters libzim keeps in termpedia's processes (its default is
16 MiB). Each cluster in that cache also keeps its zstd decoder, whose window (several MB)
libzim leaves out of the count: with the default, the app held about 130 MB of decoders
after a few searches had read their hits from a 100,000-article archive (heaptrack), and
each worker of a section build about 65 MB. Reading is no slower with one or two clusters
kept: a build reads the clusters one after another (`reading_order`), and the reader's
reads jump around the archive (8,000 articles in storage order: 0.28 s either way; 400 at
random: 2.7 ms median either way)."""


def keep_cluster_cache_small() -> None:
    """Set libzim's cluster cache of this process to `CLUSTER_CACHE` (it is per process)."""
    import libzim

    libzim.set_cluster_cache_max_size(CLUSTER_CACHE)


class ZimArchive:
    """One registered archive, opened on first use; thread-safe (libzim's reader is)."""

    def __init__(self, registration: Registration) -> None:
        self.registration = registration
        self.name = registration.name
        self._archive: Any = None
        self._lock = threading.Lock()
        self._articles: OrderedDict[str, Article] = OrderedDict()
        self._ids: list[int] | None = None
        self._rule: Articles | None = None

    @property
    def archive(self) -> Any:
        """libzim's Archive; ArchiveError when the file is missing, replaced or damaged."""
        if self._archive is None:
            problem = status(self.registration)
            if problem:
                raise ArchiveError(problem)
            with self._lock:
                if self._archive is None:
                    self._archive = open_archive(Path(self.registration.source))
        return self._archive

    @property
    def new_scheme(self) -> bool:
        return bool(self.archive.has_new_namespace_scheme)

    # -- which entries are articles

    def rule(self) -> Articles:
        """Which entries are articles: the importer's rule (`importers.zim.Articles`)."""
        if self._rule is None:
            self._rule = Articles(self.archive)
        return self._rule

    def article_ids(self) -> list[int]:
        """The entry ids of the archive's articles, in a fixed order (`Articles.ids`): the
        front articles it lists when it lists them; else its HTML pages that are not assets
        of a saved web page (under a `…_files/` folder, or script only), and not
        mwoffliner's second copies of an article under a redirect's name."""
        if self._ids is None:
            self._ids = list(self.rule().ids())
        return self._ids

    def reading_order(self) -> list[int]:
        """The article ids (`article_ids`) in the order their content is stored, so that
        reading all of them (the section build) decompresses each cluster once
        (content/zimlayout.py); in their own order when the file does not read as the
        format describes."""
        ids = self.article_ids()
        files = [Path(part.path) for part in self.registration.parts]  # in order: archive_parts
        try:
            keys = zimlayout.storage_keys(files, ids)
            for index in {0, len(ids) // 2, len(ids) - 1} if ids else ():
                theirs = str(self.archive._get_entry_by_id(ids[index]).path)
                ours = zimlayout.entry_path(files, ids[index])
                if theirs not in (ours, ours.partition("/")[2]):
                    return ids
        except (zimlayout.LayoutError, OSError, ValueError, struct.error):
            return ids
        return [ids[n] for n in sorted(range(len(ids)), key=keys.__getitem__)]

    def entry(self, index: int) -> tuple[str, str]:
        """(path, title) of the entry with this id."""
        entry = self.archive._get_entry_by_id(index)
        return str(entry.path), str(entry.title or entry.path)

    def title_of(self, path: str) -> str:
        """The title of the entry at `path` (its own title, not its target's)."""
        entry = self.archive.get_entry_by_path(path)
        return str(entry.title or path)

    # -- articles

    def read(self, path: str) -> Article:
        """The article at entry `path`, converted from its HTML (kept for a while)."""
        with self._lock:
            found = self._articles.get(path)
            if found is not None:
                self._articles.move_to_end(path)
                return found
        try:
            entry = self._follow(self.archive.get_entry_by_path(path))
            item = entry.get_item()
            if not str(item.mimetype).startswith(HTML):
                raise ArchiveError(f"{self.registration.source}: {path} is not an article")
            html = bytes(item.content).decode("utf-8", "replace")
        except KeyError as error:
            raise ArchiveError(f"{self.registration.source}: no entry {path}") from error
        except RuntimeError as error:
            raise ArchiveError(f"{self.registration.source}: {path}: {error}") from error
        full = str(entry.path)
        base = full.rpartition("/")[0]
        prefix = "A/" if full.startswith("A/") else ""
        page = html_to_page(str(entry.title or full), html, base, prefix)
        article = parse(compose(page), location(self.name, full))
        with self._lock:
            self._articles[path] = article
            while len(self._articles) > CACHED_ARTICLES:
                self._articles.popitem(last=False)
        return article

    def plain_text(self, path: str) -> str:
        """The entry's HTML with its tags left out and entities read, unconverted: enough to
        tell whether it holds some words in a row, far cheaper than `read`."""
        try:
            item = self._follow(self.archive.get_entry_by_path(path)).get_item()
            markup = bytes(item.content).decode("utf-8", "replace")
        except (KeyError, RuntimeError) as error:
            raise ArchiveError(f"{self.registration.source}: {path}: {error}") from error
        return html.unescape(re.sub(r"<[^>]*>", " ", markup))

    def _follow(self, entry: Any) -> Any:
        for _ in range(MAX_REDIRECT_HOPS):
            if not entry.is_redirect:
                return entry
            entry = entry.get_redirect_entry()
        raise ArchiveError(f"{self.registration.source}: {entry.path}: redirects loop")

    def main_path(self) -> str:
        """The entry path of the archive's main page: where its main-entry pointer leads
        ("" when it has none), whatever its pages are named."""
        entry = main_entry(self.archive)
        return "" if entry is None else str(entry.path)

    def random_path(self) -> str:
        ids = self.article_ids()
        if not ids:
            return ""
        import random

        return self.entry(random.choice(ids))[0]

    # -- titles

    def path_of(self, title: str) -> str:
        """The entry path of the article titled `title` (redirects followed, so that an
        alias finds its article), or ""; exact, then by the path the title makes."""
        archive = self.archive
        candidates = []
        with contextlib.suppress(KeyError):
            candidates.append(archive.get_entry_by_title(title))
        path = ("" if archive.has_new_namespace_scheme else "A/") + title.replace(" ", "_")
        with contextlib.suppress(KeyError):
            candidates.append(archive.get_entry_by_path(path))
        for entry in candidates:
            try:
                target = self._follow(entry)
            except ArchiveError:
                continue
            index = int(target._index)
            verdict = self.rule().verdict(index, target)
            if verdict == COPY:
                target = self.rule().copy_of(index, target)
            if verdict in ("", COPY) and target is not None:
                return str(target.path)
        return ""

    def suggest(self, prefix: str, limit: int = 20) -> list[tuple[str, str]]:
        """(title, path) of articles whose title starts with `prefix`, ignoring case: from
        the archive's `TitleTable` once it is built (faster than libzim's suggestions, by
        the bench); until then from the archive's own title index (libzim's suggestions,
        which also match a word inside a title) when it has one, else the table is built
        now (archives without a title index are small ones: web pages saved by hand)."""
        if not prefix.strip():
            return []
        table = self.table()
        if table is None and self.archive.has_title_index:
            from libzim.suggestion import SuggestionSearcher

            found = SuggestionSearcher(self.archive).suggest(prefix).getResults(0, limit)
            pairs = []
            for path in found:
                with contextlib.suppress(KeyError):
                    pairs.append((self.title_of(str(path)), str(path)))
            return pairs
        if table is None:
            table = self.build_titles()
        return [self.entry(index)[::-1] for index in table.starting(prefix, limit)]

    def table(self) -> TitleTable | None:
        """The title table, if it was built (by this process or the indexer)."""
        with self._lock:
            found: TitleTable | None = getattr(self, "_titles", None)
        if found is None:
            found = TitleTable.load(self.registration)
            if found is not None:
                with self._lock:
                    self._titles = found
        return found

    def build_titles(self) -> TitleTable:
        table = TitleTable.build(self)
        with self._lock:
            self._titles = table
        return table

    # -- full text (libzim's own index)

    @property
    def has_fulltext(self) -> bool:
        try:
            return bool(self.archive.has_fulltext_index)
        except ArchiveError:
            return False

    def fulltext(self, text: str, limit: int = 20) -> tuple[list[str], int]:
        """(entry paths of the best `limit` articles, estimated matches) by libzim's
        full-text index."""
        from libzim.search import Query, Searcher

        search = Searcher(self.archive).search(Query().set_query(text))
        return [str(p) for p in search.getResults(0, limit)], int(search.getEstimatedMatches())


class TitleTable:
    """The titles of an archive's articles for prefix look-ups ignoring case: the titles
    casefolded and sorted, with their entry ids, in one file in the cache (the UTF-8 keys,
    their ends and the ids as arrays; about 28 bytes a title), searched by bisection
    without loading it whole. Built once per archive (`build`): by the background indexer
    first thing, or at the first look-up of an archive without a title index of its own."""

    def __init__(self, keys: Any, ends: Any, ids: Any) -> None:
        self._keys = keys
        self._ends = ends
        self._ids = ids

    def __len__(self) -> int:
        return len(self._ids)

    def key(self, number: int) -> str:
        start = int(self._ends[number - 1]) if number else 0
        return bytes(self._keys[start : int(self._ends[number])]).decode("utf-8", "replace")

    @staticmethod
    def file_for(registration: Registration) -> Path:
        return paths.cache_dir() / "titles" / f"{registration.uuid}.table"

    @classmethod
    def load(cls, registration: Registration) -> TitleTable | None:
        """The table of this archive, if it was built (mapped, not read whole)."""
        import numpy as np

        path = cls.file_for(registration)
        try:
            with open(path, "rb") as handle:
                count, size = (int(x) for x in handle.readline().split())
            offset = len(f"{count} {size}\n".encode())
            data = np.memmap(path, dtype=np.uint8, mode="r")
            ends = np.frombuffer(data, dtype="<u4", count=count, offset=offset)
            ids = np.frombuffer(data, dtype="<u4", count=count, offset=offset + 4 * count)
            keys = data[offset + 8 * count : offset + 8 * count + size]  # mapped, not read
        except (OSError, ValueError):
            return None
        return cls(keys, ends, ids)

    @classmethod
    def build(cls, archive: ZimArchive) -> TitleTable:
        """Read every article's title, sort, write the table (atomically) and return it."""
        import numpy as np

        rows = []
        for index in archive.article_ids():
            title = archive.entry(index)[1]
            rows.append((" ".join(title.split()).casefold().encode("utf-8"), index))
        rows.sort()
        keys = b"".join(key for key, _ in rows)
        ends = np.cumsum([len(key) for key, _ in rows], dtype=np.uint64).astype("<u4")
        ids = np.array([index for _, index in rows], dtype="<u4")
        path = cls.file_for(archive.registration)
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        with open(temporary, "wb") as handle:
            handle.write(f"{len(rows)} {len(keys)}\n".encode())
            handle.write(ends.tobytes())
            handle.write(ids.tobytes())
            handle.write(keys)
        os.replace(temporary, path)
        return cls(keys, ends, ids)

    def starting(self, prefix: str, limit: int) -> list[int]:
        """The entry ids of the (at most `limit`) titles that start with `prefix`."""
        import bisect

        folded = " ".join(prefix.split()).casefold()
        keys = _Keys(self)
        start = bisect.bisect_left(keys, folded)
        found = []
        for number in range(start, min(start + limit, len(self))):
            if not self.key(number).startswith(folded):
                break
            found.append(int(self._ids[number]))
        return found


class _Keys:
    """The table's keys as a sequence, decoded only where bisection looks."""

    def __init__(self, table: TitleTable) -> None:
        self.table = table

    def __len__(self) -> int:
        return len(self.table)

    def __getitem__(self, number: int) -> str:
        return self.table.key(number)


# -- the registered archives ---------------------------------------------------------------

_OPEN: dict[tuple[str, str], ZimArchive] = {}
_OPEN_LOCK = threading.Lock()


def registration_in(folder: Path) -> Registration | None:
    """The in-place archive a library folder registers, or None (a converted library)."""
    try:
        data = json.loads((folder / "library.json").read_text(encoding="utf-8"))
        if not isinstance(data, dict) or data.get("mode") != MODE:
            return None
        return Registration.from_json(data)
    except (OSError, ValueError, KeyError, TypeError):
        return None


def save_registration(folder: Path, registration: Registration) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    temporary = folder / f".library.json.{os.getpid()}.tmp"
    temporary.write_text(json.dumps(registration.to_json(), indent=1, ensure_ascii=False), "utf-8")
    os.replace(temporary, folder / "library.json")


def archive_for(registration: Registration) -> ZimArchive:
    """The one reader of a registered archive in this process."""
    key = (registration.name, registration.uuid)
    with _OPEN_LOCK:
        found = _OPEN.get(key)
        if found is None or found.registration != registration:
            found = _OPEN[key] = ZimArchive(registration)
        return found


class ArchiveTitles:
    """An archive's titles for the catalogue (`resolve.TitleSource`): looked up in the
    archive itself, exactly (a redirect finds its article), then ignoring case."""

    def __init__(self, zim: ZimArchive) -> None:
        self.zim = zim
        self.library = zim.name

    def lookup(self, title: str) -> Entry | None:
        try:
            path = self.zim.path_of(title)
            if not path:
                folded = title.casefold()
                same = [p for t, p in self.zim.suggest(title, 20) if t.casefold() == folded]
                path = same[0] if len(set(same)) == 1 else ""
            if not path:
                return None
            found = self.zim.archive.get_entry_by_path(path)
            return Entry(str(found.title or path), self.library, location(self.library, path))
        except (ArchiveError, KeyError, RuntimeError):
            return None  # a missing archive: its titles are unknown (`status` says why)

    def complete(self, prefix: str, limit: int) -> list[Entry]:
        try:
            pairs = self.zim.suggest(prefix, limit)
        except (ArchiveError, RuntimeError):
            return []
        folded = prefix.casefold()
        starting = [(t, p) for t, p in pairs if t.casefold().startswith(folded)]
        return [Entry(t, self.library, location(self.library, p)) for t, p in starting]


def register(source: Path, folder: Path, language: str | None = None) -> tuple[Registration, bool]:
    """Register the archive at `source` as the library of `folder` (whose name is the
    library's), in place: nothing is copied. Returns the registration and whether anything
    changed (registering the same archive again is nothing, unless its articles were counted
    by an older rule). A folder that held a library converted from an archive is replaced by
    the registration."""
    registration = describe(source, folder.name, language)
    previous = registration_in(folder)
    if (
        previous is not None
        and previous.uuid == registration.uuid
        and previous.parts == registration.parts
        and (language is None or previous.language == registration.language)
        and previous.extra.get("articles_rule") == ARTICLES_RULE
    ):
        return previous, False
    if folder.exists() and previous is None:
        doomed = folder.with_name(f".replacing-{folder.name}-{os.getpid()}")
        os.replace(folder, doomed)
        import shutil

        shutil.rmtree(doomed, ignore_errors=True)
    save_registration(folder, registration)
    return registration, True
