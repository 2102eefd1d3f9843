"""The open index: one long-lived searcher behind a lock, searches planned (index/plan.py)
and carried out (index/runner.py), hits copied out as plain values (index/hits.py)."""

from __future__ import annotations

import random
import threading
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from termpedia.content.archive import (
    SCHEME,
    ArchiveTitles,
    Registration,
    ZimArchive,
    archive_for,
    split_location,
    status,
)
from termpedia.content.article import Diagnostic
from termpedia.content.library import default_shelves, library_rank
from termpedia.content.resolve import Catalog, Entry

from . import plan
from .hits import SearchHit, SearchResult, Snippet
from .store import Manifest, ProblemLog, catalog_of, current_generation

if TYPE_CHECKING:  # Whoosh is imported on first use (index/runner.py), not at start-up
    from whoosh.index import Index as WhooshIndex
    from whoosh.searching import Searcher

    from .archive import Coverage
    from .spelling import Vocabulary

__all__ = ["Index", "IndexDamaged", "IndexMissing", "SearchHit", "SearchResult", "Snippet"]

T = TypeVar("T")


class IndexMissing(Exception):
    """No usable index at the given folder (build one with `update`)."""


class IndexDamaged(Exception):
    """Reading the index failed (a truncated or deleted file): rebuild it with `update`."""


class Index:
    """An open index: search, completion, backlinks, random articles, title resolution.

    Thread-safe: Whoosh searchers are not, so every use goes through one lock.
    """

    def __init__(
        self, root: Path, lazy: bool = False, archives: Sequence[Registration] | None = None
    ) -> None:
        """Open the current generation at `root`; raises IndexMissing without one. With
        `lazy`, Whoosh is imported and the index files opened on first use (or `warm()`),
        so the reader's first screen does not wait for them; damaged files then show up as
        IndexDamaged from the first search instead of IndexMissing here. `archives`: the
        ZIM archives read in place (default: those registered in the data dir), searched
        through their own section indexes and, until those cover them, libzim's."""
        self.root = root
        self._lock = threading.Lock()
        if archives is None:
            archives = [s.archive for s in default_shelves() if s.archive is not None]
        self.archives = [archive_for(registration) for registration in archives]
        self._open(lazy)

    def _open(self, lazy: bool = False) -> None:
        generation = current_generation(self.root)
        manifest = Manifest.load(generation) if generation else None
        if generation is None or manifest is None:
            raise IndexMissing(f"{self.root}: no index here yet")
        opened = None
        parts = self._part_folders()
        if not lazy:
            try:
                opened = _open_files(generation, parts)
            except IndexDamaged as error:
                raise IndexMissing(str(error)) from error
        # Only now, so that a refresh that fails above keeps the generation in use.
        self.generation = generation
        self.manifest = manifest
        self._vocabulary: Vocabulary | None = None
        self._fields: tuple[str, ...] | None = None
        self._catalog: Catalog | None = None
        self._whoosh: WhooshIndex | None = opened[0] if opened else None
        self._searcher_: Searcher | None = opened[1] if opened else None
        self._stamp: tuple[object, ...] = opened[2] if opened else ()
        self._parts = parts
        self.coverage = self._covered()

    def _open_whoosh(self) -> Searcher:
        """The searcher, opened now if it is not yet (the caller holds the lock)."""
        if self._searcher_ is None:
            self._parts = self._part_folders()
            opened = _open_files(self.generation, self._parts)
            self._whoosh, self._searcher_, self._stamp = opened
        return self._searcher_

    def _part_folders(self) -> list[Path]:
        """The section indexes of the archives, as far as they are built."""
        from .archive import part_folders

        return [p for zim in self.archives for p in part_folders(self.root, zim.registration)]

    def _covered(self) -> dict[str, Coverage]:
        from .archive import coverage

        return {zim.name: coverage(self.root, zim.registration) for zim in self.archives}

    @property
    def _searcher(self) -> Searcher:
        return self._open_whoosh()

    def warm(self) -> None:
        """Import Whoosh and open the index files now (e.g. in a thread after the first
        screen), so that the first search does not wait for them."""
        with self._lock:
            self._open_whoosh()
        self.vocabulary  # noqa: B018 - read now, for the first keystrokes

    def close(self) -> None:
        with self._lock:
            if self._searcher_ is not None:
                self._searcher_.close()

    def refresh(self) -> bool:
        """Pick up a new generation or an incremental update; True if anything changed.

        Cheap (a read of CURRENT and of the TOC's generation), so the app polls it. If the
        new generation cannot be opened, the one in use is kept.
        """
        with self._lock:
            generation = current_generation(self.root)
            if generation is not None and generation != self.generation:
                old = self._searcher_
                try:
                    self._open(lazy=old is None)
                except IndexMissing:
                    return False
                if old is not None:
                    old.close()
                return True
            if self._searcher_ is None or self._whoosh is None:
                # Not opened yet: it will open whatever is there; the manifest may be newer.
                manifest = Manifest.load(self.generation)
                if manifest is None or manifest.files == self.manifest.files:
                    return False
                self._set_manifest(manifest)
                return True
            from . import runner

            parts = self._part_folders()
            stamp = runner.stamp(self._whoosh, parts)
            if stamp == self._stamp and parts == self._parts:
                return False
            # Not Searcher.refresh(): it keeps the old segment readers, whose deletion sets
            # are stale after an in-place update, so edited text would still be found.
            self._searcher_.close()
            self._whoosh, self._searcher_, self._stamp = _open_files(self.generation, parts)
            self._parts = parts
            self.coverage = self._covered()
            manifest = Manifest.load(self.generation)
            self._vocabulary = None
            if manifest is not None:
                self._set_manifest(manifest)
            return True

    def _set_manifest(self, manifest: Manifest) -> None:
        self.manifest = manifest
        self._fields = None
        self._catalog = None
        self._vocabulary = None
        self.coverage = self._covered()

    @property
    def fields(self) -> tuple[str, ...]:
        """The fields plain words are searched in (the body fields of the languages present)."""
        from . import runner

        languages = [zim.registration.language for zim in self.archives]
        return self._cached("_fields", lambda manifest: runner.fields_of(manifest, languages))

    @property
    def catalog(self) -> Catalog:
        """Titles and aliases, built on first use (and again after a refresh that changed
        the manifest): an update that only made search see an edit does not wait for it."""
        sources = [ArchiveTitles(zim) for zim in self.archives]
        return self._cached("_catalog", lambda manifest: catalog_of(manifest, sources))

    @property
    def vocabulary(self) -> Vocabulary:
        """The word counts, read on first use: the first screen does not need them."""
        from .spelling import Vocabulary

        folders = [self.generation, *self._part_folders()]
        return self._cached("_vocabulary", lambda _: Vocabulary.joined(folders))

    def _cached(self, attribute: str, build: Callable[[Manifest], T]) -> T:
        """The value kept in `attribute`, built from the manifest when there is none; kept
        only if no refresh replaced the manifest meanwhile (builds run outside the lock)."""
        value: T | None = getattr(self, attribute)
        if value is None:
            manifest = self.manifest
            value = build(manifest)
            if manifest is self.manifest:
                setattr(self, attribute, value)
        return value

    @property
    def section_count(self) -> int:
        with self._lock:
            return int(self._searcher.doc_count())

    def search(
        self, typed: str, limit: int = 20, library: str = "", unfinished: bool = False
    ) -> SearchResult:
        """Ranked sections for the reader's query; never raises on what was typed.

        `library` narrows the search to one library (as `library:NAME` does in the query).
        With `unfinished` (typing paused in mid-word), a last word that is not a word of the
        index stands for its most frequent completions, as in `instant`, and is not
        "corrected" (unless that finds nothing: then the words as typed are searched).
        Raises IndexDamaged when the index files cannot be read.
        """
        search = plan.full(typed, self.fields, self.vocabulary, limit, library, unfinished)
        if self._waiting(library):
            # The word counts do not hold the words of an archive not indexed yet: no
            # "did you mean" (it would correct them, and cost most of the search).
            quiet = tuple(replace(attempt, suggest="never") for attempt in search.attempts)
            search = replace(search, attempts=quiet)
        result = self.run(search)
        return self._with_archives(result, typed, limit, library, instant=False)

    def _waiting(self, library: str) -> list[ZimArchive]:
        """The archives searched (all, or `library`) that their section index does not
        cover yet."""
        return [
            zim
            for zim in self.archives
            if not self.coverage[zim.name].complete and library in ("", zim.name)
        ]

    def instant(self, typed: str, limit: int = 20, library: str = "") -> SearchResult:
        """Search as you type (`plan.instant`): titles and headings, the last word standing
        for its completions; no snippets, no "did you mean"."""
        result = self.run(plan.instant(typed, self.fields, self.vocabulary, limit, library))
        return self._with_archives(result, typed, limit, library, instant=True)

    def _with_archives(
        self, result: SearchResult, typed: str, limit: int, library: str, instant: bool
    ) -> SearchResult:
        """The result, with provisional hits from the archives that their section indexes
        do not cover yet: libzim's full-text search (`search`) or their titles (as you
        type), after the section index's hits (before them when those have only some of
        the words)."""
        from . import provisional

        waiting = self._waiting(library)
        if not waiting:
            return result
        result = _exact_title_first(result, waiting, typed)
        # The section index found no section with every word: libzim's hits (which have
        # them all) go before those sections, after any exact title already put first.
        loosened = not instant and plan.ANY_WORD_NOTE in result.note
        names = {zim.name for zim in waiting}
        lead = 0
        while loosened and lead < len(result.hits) and result.hits[lead].library in names:
            lead += 1
        before = result.hits[:lead] if loosened else result.hits
        if len(before) >= limit:
            return result
        known = {(hit.library, hit.title) for hit in result.hits}
        added: list[SearchHit] = []
        estimated = 0
        for zim in waiting:
            room = limit - len(before) - len(added)
            if room <= 0:
                break
            if instant:
                found = provisional.title_hits(zim, typed, room)
                count = len(found)
            else:
                found, count = provisional.fulltext_hits(zim, typed, room, known)
            found = [hit for hit in found if (hit.library, hit.title) not in known]
            known.update((hit.library, hit.title) for hit in found)
            added.extend(found)
            estimated += count
        if not added:
            return result
        step = 1 / (len(added) + 1)
        if loosened:
            after = result.hits[lead:]
            top = max((hit.score for hit in after), default=0.0)
            upper = max(min((hit.score for hit in before), default=top + 1), top)
            ranked = [
                replace(hit, score=top + (upper - top) * (1 - (n + 1) * step))
                for n, hit in enumerate(added)
            ]
            # (the note holds "; " itself: cut it out whole, keep the others)
            rest = (part.strip("; ") for part in result.note.split(plan.ANY_WORD_NOTE))
            notes = [part for part in rest if part]
            return replace(
                result,
                hits=(before + tuple(ranked) + after)[:limit],
                total=result.total + max(estimated, len(added)),
                estimated=result.estimated or estimated > len(added),
                provisional=len(ranked),
                note="; ".join(notes),
            )
        # Below the indexed hits, in libzim's order: the scores stay in the order shown.
        floor = min((hit.score for hit in result.hits), default=1.0)
        ranked = [
            replace(
                hit, score=floor * (1 - (n + 1) * step) if floor > 0 else floor - (n + 1) * step
            )
            for n, hit in enumerate(added)
        ]
        return replace(
            result,
            hits=result.hits + tuple(ranked),
            total=result.total + max(estimated, len(added)),
            estimated=result.estimated or estimated > len(added),
            provisional=len(ranked),
        )

    def run(self, search: plan.SearchPlan) -> SearchResult:
        """Carry out a search plan; raises IndexDamaged when the index cannot be read."""
        from . import runner

        vocabulary = self.vocabulary
        catalog = self.catalog
        try:
            with self._lock:
                return runner.run(self._searcher, search, vocabulary, catalog.exists)
        except IndexDamaged:
            raise
        except Exception as error:  # noqa: BLE001 - Whoosh fails in many ways on damaged files
            raise IndexDamaged(f"{self.generation}: the index cannot be read ({error})") from error

    def matches_in(self, typed: str, text: str, language: str = "en") -> list[tuple[int, int]]:
        """Where the query's words occur in `text` (for highlighting an opened section)."""
        from . import snippets

        try:
            whoosh = self._whoosh
            if whoosh is None:  # not opened yet: open it (the only case that takes the lock)
                with self._lock:
                    self._open_whoosh()
                whoosh = self._whoosh
            assert whoosh is not None
            # The schema is fixed: reading it needs no lock, so a search running in another
            # thread does not hold up the article being opened.
            return snippets.matches(whoosh.schema, typed, text, language)
        except Exception:  # noqa: BLE001 - highlighting is a nicety; search reports damage
            return []

    def problems(self) -> list[Diagnostic]:
        """What is wrong in the indexed libraries (unreadable files, parse errors, clashing
        titles), as the last update left it, and archives that went missing: read from disk
        at each call."""
        missing = [Diagnostic("archive", 0, "error", problem) for problem in self.unavailable()]
        return missing + ProblemLog.load(self.generation).all()

    def unavailable(self) -> list[str]:
        """One line for each archive that cannot be read now (moved, deleted, replaced)."""
        return [problem for zim in self.archives if (problem := status(zim.registration))]

    @property
    def libraries(self) -> list[str]:
        """The names of the libraries in the index, in priority order."""
        names = {record.library for record in self.manifest.files.values()}
        names.update(zim.name for zim in self.archives)
        return sorted(names, key=lambda name: (library_rank(name), name))

    def library_of(self, path: str) -> str:
        """The library an indexed article file belongs to ("" if it is not indexed)."""
        if path.startswith(SCHEME):
            return split_location(path)[0]
        record = self.manifest.files.get(path)
        return record.library if record is not None else ""

    def language_of(self, path: str) -> str:
        """The language an indexed article file's text is analysed in."""
        if path.startswith(SCHEME):
            name = split_location(path)[0]
            for zim in self.archives:
                if zim.name == name:
                    return zim.registration.language
        record = self.manifest.files.get(path)
        return record.language if record is not None else "en"

    def backlinks(self, title: str, limit: int = 200) -> list[SearchHit]:
        """Sections that link to this article (under its title or an alias)."""
        entry = self.catalog.resolve(title).entry
        names = [title] if entry is None else [entry.title, *entry.aliases]
        from . import runner

        try:
            with self._lock:
                return runner.backlinks(self._searcher, names, limit)
        except IndexDamaged:
            raise
        except Exception as error:  # noqa: BLE001 - as in search()
            raise IndexDamaged(f"{self.generation}: the index cannot be read ({error})") from error

    def random_title(self, rng: random.Random | None = None) -> str | None:
        """The title of an article picked at random."""
        rng = rng or random.Random()
        titles = [r.title for r in self.manifest.files.values() if not r.shadowed]
        counts = [len(titles)] + [zim.registration.articles for zim in self.archives]
        if not sum(counts):
            return None
        # A library chosen by its share of the articles, then an article of it.
        pick = rng.choices(range(len(counts)), weights=counts)[0]
        if pick == 0:
            return rng.choice(titles)
        zim = self.archives[pick - 1]
        try:
            ids = zim.article_ids()
            return zim.entry(rng.choice(ids))[1] if ids else None
        except Exception:  # noqa: BLE001 - a missing archive: no title from it
            return rng.choice(titles) if titles else None

    def title_candidates(self, typed: str, limit: int = 300) -> list[str]:
        """Titles worth fuzzy-scoring for what was typed: prefix matches, then titles whose
        words start with the typed words. Keeps the palette fast however many titles there are."""
        from . import runner
        from .syntax import plain_words

        titles = [entry.title for entry in self.catalog.complete(typed, limit)]
        words = plain_words(typed).split()
        if words and len(titles) < limit:
            try:
                with self._lock:
                    titles.extend(runner.titles_with_words(self._searcher, words, limit))
            except Exception:  # noqa: BLE001 - the catalogue's titles stand; search reports damage
                pass
        return list(dict.fromkeys(titles))[:limit]

    def rank_titles(self, typed: str, limit: int = 20) -> list[str]:
        """Titles for a title jump: the exact title first, then prefixes, then the rest."""
        folded = " ".join(typed.split()).casefold()
        if not folded:
            return [entry.title for entry in self.complete("", limit)]

        def rank(title: str) -> tuple[int, int, str]:
            name = title.casefold()
            if name == folded:
                place = 0
            elif name.startswith(folded):
                place = 1
            elif any(word.startswith(folded) for word in name.split()):
                place = 2
            else:
                place = 3
            return place, len(title), name

        return sorted(self.title_candidates(typed, 300), key=rank)[:limit]

    def complete(self, prefix: str, limit: int = 20) -> list[Entry]:
        """Articles whose title or alias starts with `prefix`, ignoring case."""
        return self.catalog.complete(prefix, limit)


def _open_files(
    generation: Path, parts: list[Path]
) -> tuple[WhooshIndex, Searcher, tuple[object, ...]]:
    """The generation's Whoosh index, a searcher over it and the archives' section indexes
    (`parts`), and what `runner.stamp` says of them (to notice a change)."""
    from . import runner, w3  # Whoosh: imported here, on first use

    manifest = Manifest.load(generation)
    if manifest is not None and manifest.layout != w3.LAYOUT:
        # Before Whoosh reads the TOC, which names the classes of the layout it was built in.
        raise IndexDamaged(f"{generation}: built in another layout ({manifest.layout})")
    try:
        return runner.open_searcher(generation, parts)
    except Exception as error:  # noqa: BLE001 - damaged files: the caller rebuilds
        raise IndexDamaged(f"{generation}: the index cannot be opened ({error})") from error


def _exact_title_first(result: SearchResult, waiting: list[ZimArchive], typed: str) -> SearchResult:
    """The result with the lead of an article of `waiting` titled exactly `typed` first, as
    the section index's title lead puts it once it covers the archive: typing a title
    whole and pressing Enter opens that article while the indexer still works."""
    from termpedia.content.archive import ArchiveTitles, split_location

    from . import provisional

    wanted = typed.strip()
    if not wanted:
        return result
    for zim in waiting:
        entry = ArchiveTitles(zim).lookup(wanted)
        if entry is None:
            continue
        if result.hits and (result.hits[0].library, result.hits[0].title) == (
            zim.name,
            entry.title,
        ):
            return result
        lead = provisional.lead_hit(zim, entry.title, split_location(entry.path)[1])
        same = (zim.name, entry.title, "")
        rest = tuple(hit for hit in result.hits if (hit.library, hit.title, hit.anchor) != same)
        top = max((hit.score for hit in result.hits), default=0.0)
        added = 1 if len(rest) == len(result.hits) else 0
        return replace(
            result, hits=(replace(lead, score=top + 1.0), *rest), total=result.total + added
        )
    return result
