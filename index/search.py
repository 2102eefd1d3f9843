"""Searching: one long-lived searcher behind a lock, hits copied out as plain values."""

from __future__ import annotations

import random
import threading
import time
from dataclasses import dataclass, replace
from pathlib import Path

from whoosh.collectors import WrappingCollector
from whoosh.fields import Schema
from whoosh.filedb.filestore import FileStorage
from whoosh.highlight import ContextFragmenter, Formatter, Fragment
from whoosh.query import AndMaybe, Or, Query, Term
from whoosh.searching import Hit, Searcher

from termpedia.content.library import library_rank
from termpedia.content.resolve import Catalog, Entry

from . import whoosh_fixes  # noqa: F401  (applies the fixes)
from .build import fold
from .query import OPERATORS, make_parser, parse_query, plain_words, prepare
from .schema import HEAD_FIELDS, body_field, language_analyzer
from .spelling import Vocabulary
from .store import Manifest, catalog_of, current_generation

SNIPPET_CHARS = 160
MAX_FRAGMENT = 240
SNIPPETS = 10
"""Hits that get a highlighted snippet (about a screenful); the rest show their opening."""
COMPLETIONS = 6
"""How many completions of an unfinished last word search as you type looks for."""
INSTANT_FIELDS = list(HEAD_FIELDS)
"""Search as you type looks in titles and headings first: their postings are short, so
every keystroke is answered fast however large the library."""
INSTANT_BUDGET = 0.006
"""Seconds the full-text fallback of search as you type may spend collecting matches. At
100k sections a common word matches tens of thousands, more than Whoosh scores in a
keystroke: the best among those reached in time are shown (as `estimated`), and `search`,
after a pause or on Enter, ranks them all."""
FEW_HITS = 3


class IndexMissing(Exception):
    """No usable index at the given folder (build one with `update`)."""


class IndexDamaged(Exception):
    """Reading the index failed (a truncated or deleted file): rebuild it with `update`."""


@dataclass(frozen=True)
class Snippet:
    """Plain text around the matches, and the [start, end) offsets of the matched words."""

    text: str
    spans: tuple[tuple[int, int], ...] = ()


@dataclass(frozen=True)
class SearchHit:
    """One matching section."""

    key: str
    title: str
    section: str
    """The heading path joined with " > ", "" for the lead."""
    anchor: str
    library: str
    score: float
    snippet: Snippet
    path: str


@dataclass(frozen=True)
class SearchResult:
    """The hits for a query, with what the reader should be told about it."""

    query: str
    hits: tuple[SearchHit, ...]
    total: int
    note: str = ""
    """E.g. that any word was searched because no section has them all."""
    suggestion: str | None = None
    """A corrected query ("did you mean"), when hits are few."""
    estimated: bool = False
    """There are more matches than `total` (which is then the number of hits asked for)."""
    instant: bool = False
    """A search-as-you-type answer (titles and headings, no snippets); `search` gives the
    full one."""


class _SnippetFormatter(Formatter):  # type: ignore[misc]
    """Returns a `Snippet` (plain text plus offsets) instead of marked-up text."""

    between = " … "

    def format(self, fragments: list[Fragment], replace: bool = False) -> Snippet:
        parts: list[str] = []
        spans: list[tuple[int, int]] = []
        length = 0
        for number, fragment in enumerate(fragments):
            if number:
                parts.append(self.between)
                length += len(self.between)
            text = fragment.text
            matches = sorted(
                (t for t in fragment.matches if t.startchar is not None),
                key=lambda t: t.startchar,
            )
            # Whoosh sizes fragments by their tokens only; long runs of punctuation would make
            # a snippet of any length, so keep a window around the first match.
            start = fragment.startchar
            end = fragment.endchar
            if end - start > MAX_FRAGMENT:
                first = matches[0].startchar if matches else start
                start = max(start, first - MAX_FRAGMENT // 3)
                end = start + MAX_FRAGMENT
            piece = " ".join(text[start:end].split("\n"))
            for token in matches:
                if token.startchar < start or token.endchar > end:
                    continue
                spans.append((length + token.startchar - start, length + token.endchar - start))
            parts.append(piece)
            length += len(piece)
        return Snippet("".join(parts), tuple(spans))


class Index:
    """An open index: search, completion, backlinks, random articles, title resolution.

    Thread-safe: Whoosh searchers are not, so every use goes through one lock.
    """

    def __init__(self, root: Path) -> None:
        self.root = root
        self._lock = threading.Lock()
        self._open()

    def _open(self) -> None:
        generation = current_generation(self.root)
        manifest = Manifest.load(generation) if generation else None
        if generation is None or manifest is None:
            raise IndexMissing(f"{self.root}: no index here yet")
        try:
            # Without mmap Whoosh reads postings from the file as needed; with it, each
            # segment's posting file is copied into memory (BytesIO over the map) on open.
            whoosh = FileStorage(str(generation), supports_mmap=False).open_index()
            searcher = whoosh.searcher()
        except Exception as error:  # noqa: BLE001 - damaged files: the caller rebuilds
            raise IndexMissing(f"{generation}: the index cannot be opened ({error})") from error
        self.generation = generation
        self.manifest = manifest
        self._vocabulary: Vocabulary | None = None
        self.fields = _fields(manifest)
        self._whoosh = whoosh
        self._searcher: Searcher = searcher
        self._catalog: Catalog | None = None

    def close(self) -> None:
        with self._lock:
            self._searcher.close()

    def refresh(self) -> bool:
        """Pick up a new generation or an incremental update; True if anything changed.

        Cheap (a read of CURRENT and of the TOC's generation), so the app polls it. If the
        new generation cannot be opened, the one in use is kept.
        """
        with self._lock:
            generation = current_generation(self.root)
            if generation is not None and generation != self.generation:
                old = self._searcher
                try:
                    self._open()
                except IndexMissing:
                    return False
                old.close()
                return True
            if self._searcher.up_to_date():
                return False
            # Not Searcher.refresh(): it keeps the old segment readers, whose deletion sets
            # are stale after an in-place update, so edited text would still be found.
            self._searcher.close()
            self._searcher = self._whoosh.searcher()
            manifest = Manifest.load(self.generation)
            self._vocabulary = None
            if manifest is not None:
                self.manifest = manifest
                self.fields = _fields(manifest)
                self._catalog = None
            return True

    @property
    def catalog(self) -> Catalog:
        """Titles and aliases, built on first use (and again after a refresh that changed
        the manifest): an update that only made search see an edit does not wait for it."""
        catalog = self._catalog
        if catalog is None:
            catalog = self._catalog = catalog_of(self.manifest)
        return catalog

    @property
    def vocabulary(self) -> Vocabulary:
        """The word counts, read on first use: the first screen does not need them."""
        if self._vocabulary is None:
            self._vocabulary = Vocabulary.load(self.generation)
        return self._vocabulary

    @property
    def section_count(self) -> int:
        return int(self._searcher.doc_count())

    def search(self, typed: str, limit: int = 20, library: str = "") -> SearchResult:
        """Ranked sections for the reader's query; never raises on what was typed.

        `library` narrows the search to one library (as `library:NAME` does in the query).
        Raises IndexDamaged when the index files cannot be read.
        """
        try:
            return self._search(typed, limit, library)
        except Exception as error:  # noqa: BLE001 - Whoosh fails in many ways on damaged files
            raise IndexDamaged(f"{self.generation}: the index cannot be read ({error})") from error

    def instant(self, typed: str, limit: int = 20, library: str = "") -> SearchResult:
        """Search as you type: a last word still being typed (no space after it) stands for
        its most frequent completions, so `permanent rev` finds `permanent revolution`
        before the word is finished. Titles and headings are searched first (their
        postings are short); only if nothing matches there, the full text, for the words
        before the unfinished one (or its commonest completion when it is the only one),
        within `INSTANT_BUDGET`. No snippets, no did-you-mean: `search` gives the full
        answer."""
        head, _, last = typed.rpartition(" ")
        partial = last.isalpha()

        def text(heads: bool, count: int) -> str:
            words = self.vocabulary.expand(last, count, heads=heads) if partial else []
            return f"{head} ({' OR '.join(words)})".strip() if words else typed

        try:
            result = self._search(
                typed,
                limit,
                library,
                text(True, COMPLETIONS),
                False,
                INSTANT_FIELDS,
                0,
                INSTANT_BUDGET,
            )
            if not result.hits:
                bodies = [f for f in self.fields if f not in INSTANT_FIELDS]
                # While a later word is being typed, the words before it: a completion
                # common in the body would only add the cost of reading its long postings.
                fallback = head if partial and head.strip() else text(False, 1)
                result = self._search(
                    typed, limit, library, fallback, False, bodies, 0, INSTANT_BUDGET
                )
        except Exception as error:  # noqa: BLE001 - as in search()
            raise IndexDamaged(f"{self.generation}: the index cannot be read ({error})") from error
        return replace(result, instant=True)

    def _search(
        self,
        typed: str,
        limit: int,
        library: str,
        text: str | None = None,
        suggest: bool = True,
        fields: list[str] | None = None,
        snippets: int = SNIPPETS,
        budget: float | None = None,
    ) -> SearchResult:
        fields = fields or self.fields
        only = Term("library", library) if library else None
        prepared = prepare(typed if text is None else text)
        if not prepared.text.strip():
            return SearchResult(typed, (), 0, prepared.note)
        with self._lock:
            searcher = self._searcher
            notes = [prepared.note] if prepared.note else []
            query = _boosted(searcher.schema, fields, prepared.text)
            if query is None:
                notes.append("the query could not be read; searched for its words")
                query = _boosted(searcher.schema, fields, plain_words(typed))
                if query is None:
                    return SearchResult(typed, (), 0, "; ".join(notes))
            hits, total, estimated = self._run(
                searcher, typed, query, limit, only, snippets, budget
            )
            few = False
            if total == 0 and prepared.plain and len(prepared.text.split()) > 1:
                any_word = _boosted(searcher.schema, fields, prepared.text, any_word=True)
                if any_word is not None:
                    hits, total, estimated = self._run(
                        searcher, typed, any_word, limit, only, snippets, budget
                    )
                    if total:
                        notes.append("no section has every word; showing sections with any")
                        few = True
            wanted = suggest and (total < FEW_HITS or few)
            suggestion = self._suggest(typed) if wanted else None
        return SearchResult(
            typed, tuple(hits), total, "; ".join(notes), suggestion, estimated=estimated
        )

    def _run(
        self,
        searcher: Searcher,
        typed: str,
        query: Query,
        limit: int,
        only: Query | None,
        snippets: int,
        budget: float | None = None,
    ) -> tuple[list[SearchHit], int, bool]:
        cut = False
        if budget is None:
            results = searcher.search(query, limit=limit, filter=only)
        else:
            collector = _Deadline(searcher.collector(limit=limit, filter=only), budget)
            searcher.search_with_collector(query, collector)
            results, cut = collector.results(), collector.cut
        results.fragmenter = ContextFragmenter(maxchars=SNIPPET_CHARS, surround=50, charlimit=None)
        results.formatter = _SnippetFormatter()
        # Snippets cost a re-analysis of each section's text: only for the hits a reader sees.
        hits = [_copy(hit, with_snippet=n < snippets) for n, hit in enumerate(results)]
        # Counting every match costs as much as the search; estimate when there are many.
        scored = results.scored_length()
        # All matches were scored, or there are more than `limit`: counting them all would
        # cost as much as the search (a broad AND query scans its commonest words' postings).
        estimated = scored >= limit or cut
        total = scored  # exact when below the limit: every match was scored
        # The article whose title (or alias) is exactly what was typed comes first.
        exact = (
            searcher.search(Term("names", fold(typed)), limit=3, filter=only)
            if typed.strip()
            else []
        )
        if exact:
            leads = [_copy(hit, with_snippet=False) for hit in exact]
            keys = {hit.key for hit in leads}
            hits = leads + [hit for hit in hits if hit.key not in keys]
            total = max(total, len(hits))
        return hits[:limit], total, estimated

    def _suggest(self, typed: str) -> str | None:
        """A corrected query: each unknown word replaced by the likeliest indexed word."""
        changed = False
        words = []
        for word in typed.split():
            bare = word.strip('"()*')
            if ":" not in word and bare.upper() not in OPERATORS and bare not in self.vocabulary:
                better = self.vocabulary.suggest(bare)
                if better:
                    word = word.replace(bare, better)
                    changed = True
            words.append(word)
        return " ".join(words) if changed else None

    def matches_in(self, typed: str, text: str, language: str = "en") -> list[tuple[int, int]]:
        """Where the query's words occur in `text` (for highlighting an opened section)."""
        field = body_field(language)
        query = parse_query(make_parser(self._whoosh.schema, [field]), prepare(typed).text)
        if query is None:
            return []
        wanted = {
            term.decode() if isinstance(term, bytes) else str(term)
            for name, term in query.iter_all_terms()
            if name == field
        }
        return [
            (token.startchar, token.endchar)
            for token in language_analyzer(language)(text, chars=True, mode="query")
            if token.text in wanted
        ]

    @property
    def libraries(self) -> list[str]:
        """The names of the libraries in the index, in priority order."""
        names = {record.library for record in self.manifest.files.values()}
        return sorted(names, key=lambda name: (library_rank(name), name))

    def library_of(self, path: str) -> str:
        """The library an indexed article file belongs to ("" if it is not indexed)."""
        record = self.manifest.files.get(path)
        return record.library if record is not None else ""

    def language_of(self, path: str) -> str:
        """The language an indexed article file's text is analysed in."""
        record = self.manifest.files.get(path)
        return record.language if record is not None else "en"

    def backlinks(self, title: str, limit: int = 200) -> list[SearchHit]:
        """Sections that link to this article (under its title or an alias)."""
        entry = self.catalog.resolve(title).entry
        names = [title] if entry is None else [entry.title, *entry.aliases]
        query = Or([Term("links", fold(name)) for name in names])
        with self._lock:
            results = self._searcher.search(query, limit=limit, sortedby=None)
            return [_copy(hit, with_snippet=False) for hit in results]

    def random_title(self, rng: random.Random | None = None) -> str | None:
        """The title of an article picked at random."""
        titles = [record.title for record in self.manifest.files.values()]
        return (rng or random).choice(titles) if titles else None

    def title_candidates(self, typed: str, limit: int = 300) -> list[str]:
        """Titles worth fuzzy-scoring for what was typed: prefix matches, then titles whose
        words start with the typed words. Keeps the palette fast however many titles there are."""
        titles = [entry.title for entry in self.catalog.complete(typed, limit)]
        words = plain_words(typed).split()
        if words and len(titles) < limit:
            query = parse_query(
                make_parser(self._whoosh.schema, ["title"]), " ".join(f"{w}*" for w in words)
            )
            if query is not None:
                with self._lock:
                    results = self._searcher.search(query, limit=limit)
                    titles.extend(hit["name"] for hit in results)
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


class _Deadline(WrappingCollector):  # type: ignore[misc]
    """Collects until `seconds` after the search began, then stops; what it collected so
    far is the result (`cut` says it stopped early)."""

    def __init__(self, child: object, seconds: float) -> None:
        super().__init__(child)
        self.seconds = seconds
        self.deadline = 0.0
        self.cut = False

    def prepare(self, top_searcher: Searcher, q: Query, context: object) -> None:
        super().prepare(top_searcher, q, context)
        self.deadline = time.perf_counter() + self.seconds  # once, not per segment

    def collect_matches(self) -> None:
        if self.cut:
            return  # out of time in an earlier segment
        collect = self.child.collect
        for count, sub_docnum in enumerate(self.child.matches()):
            collect(sub_docnum)
            if count % 16 == 15 and time.perf_counter() > self.deadline:
                self.cut = True
                return


def _boosted(schema: Schema, fields: list[str], text: str, any_word: bool = False) -> Query | None:
    """The query matched on the body fields alone, with title and heading matches only
    raising the score.

    The body holds every searchable word of a section (its text, the article's title and
    the heading path), so nothing is lost by matching on it alone, while looking each word
    up in one field instead of three makes broad queries several times cheaper.
    """
    bodies = [field for field in fields if field.startswith("body")]
    heads = [field for field in fields if field not in bodies]
    if not bodies or not heads:
        return parse_query(make_parser(schema, fields, any_word), text)
    core = parse_query(make_parser(schema, bodies, any_word), text)
    if core is None:
        return None
    boost = parse_query(make_parser(schema, heads, any_word=True), text)
    return core if boost is None else AndMaybe(core, boost)


def _fields(manifest: Manifest) -> list[str]:
    """The fields plain words are searched in: the head fields and the languages present."""
    bodies = sorted({body_field(record.language) for record in manifest.files.values()})
    return [*HEAD_FIELDS, *(bodies or ["body"])]


def _copy(hit: Hit, with_snippet: bool = True) -> SearchHit:
    """A plain value from a Whoosh hit, taken while its searcher is open."""
    body = hit.get("text", "")
    snippet: Snippet | None = None
    if with_snippet and body:
        found = hit.highlights(body_field(hit.get("language", "en")), text=body, top=2)
        if isinstance(found, Snippet) and found.text:
            snippet = found
    if snippet is None:
        snippet = Snippet(" ".join(body[:SNIPPET_CHARS].split()))
    return SearchHit(
        key=hit["key"],
        title=hit["name"],
        section=hit.get("heading", ""),
        anchor=hit["anchor"],
        library=hit["library"],
        score=float(hit.score or 0.0),
        snippet=snippet,
        path=hit["file"],
    )
