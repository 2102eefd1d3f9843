"""The Whoosh side of searching, for `search.Index`, which imports this module on first use:
Whoosh takes about 80 ms to import, and the reader's first screen does not need it."""

from __future__ import annotations

import contextlib
import itertools
import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

from whoosh.analysis import Token
from whoosh.collectors import FilterCollector, WrappingCollector
from whoosh.fields import Schema
from whoosh.filedb.filestore import FileStorage
from whoosh.highlight import (
    FIRST,
    BasicFragmentScorer,
    ContextFragmenter,
    Formatter,
    Fragment,
    Highlighter,
    top_fragments,
)
from whoosh.index import Index as WhooshIndex
from whoosh.query import AndMaybe, Or, Query, Term
from whoosh.searching import Hit, Results, Searcher

from . import scoring, whoosh_fixes  # noqa: F401  (whoosh_fixes applies the fixes)
from .build import fold, near_key
from .excerpt import excerpt, opening
from .positions import terms_in
from .query import make_parser, parse_query, plain_words, prepare
from .schema import HEAD_FIELDS, body_field
from .search import MAX_FRAGMENT, SNIPPET_CHARS, SearchHit, Snippet
from .store import Manifest

__all__ = [  # prepare and plain_words are used through this module, so Whoosh loads once
    "backlinks",
    "boosted",
    "copy_hit",
    "fields_of",
    "matches",
    "open_generation",
    "plain_words",
    "prepare",
    "run",
    "titles_with_words",
]


def open_generation(generation: Path) -> tuple[WhooshIndex, Searcher]:
    """The Whoosh index of a generation and a searcher on it; raises on damaged files."""
    # Without mmap Whoosh reads postings from the file as needed; with it, each segment's
    # posting file is copied into memory (BytesIO over the map) on open.
    whoosh = FileStorage(str(generation), supports_mmap=False).open_index()
    return whoosh, whoosh.searcher()


def fields_of(manifest: Manifest) -> list[str]:
    """The fields plain words are searched in: the head fields and the languages present."""
    bodies = sorted({body_field(record.language) for record in manifest.files.values()})
    return [*HEAD_FIELDS, *(bodies or ["body"])]


def boosted(schema: Schema, fields: list[str], text: str, any_word: bool = False) -> Query | None:
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


def run(
    searcher: Searcher,
    typed: str,
    query: Query,
    limit: int,
    library: str,
    snippets: int,
    budget: float | None = None,
) -> tuple[list[SearchHit], int, bool]:
    """(hits, total, estimated): the best `limit` sections, snippets for the first
    `snippets`, the article titled exactly `typed` first; with `budget`, only what was
    collected in that many seconds."""
    only = Term("library", library) if library else None
    cut = False
    ranked = None
    if budget is None:
        # What scoring.py cannot evaluate (ranges, spans) raises Unsupported: Whoosh runs it.
        with contextlib.suppress(scoring.Unsupported):
            ranked = scoring.search(searcher, query, limit, only)
    if ranked is not None:
        results = Results(searcher, query, ranked.top)
    else:
        allow = scoring.allowed_docs(searcher, only) if only is not None else None
        if budget is None:
            results = searcher.search(query, limit=limit, filter=allow)
        else:
            # The deadline sits inside the library filter: a FilterCollector filters in its
            # own loop over its child's matches(), which is where the deadline stops.
            deadline = _Deadline(searcher.collector(limit=limit), budget)
            collector = FilterCollector(deadline, allow=allow) if allow is not None else deadline
            searcher.search_with_collector(query, collector)
            results, cut = collector.results(), deadline.cut
    # Snippets cost a pass over each section's text: only for the hits a reader sees.
    words = _query_words(searcher, query) if snippets else None
    hits = [copy_hit(hit, words if n < snippets else None) for n, hit in enumerate(results)]
    if ranked is not None:
        total, estimated = ranked.total, ranked.estimated
    else:
        scored = results.scored_length()
        # All matches were scored, or there are more than `limit`: counting them all would
        # cost as much as the search (a broad AND query scans its commonest words' postings).
        estimated = scored >= limit or cut
        total = scored  # exact when below the limit: every match was scored
    leads = titled(searcher, typed, library, words)
    if leads:
        hits = _leads_first(leads, hits)
        total = max(total, len(hits))
    return hits[:limit], total, estimated


LEAD_MARGIN = 0.01
"""How far a title lead's score is raised above the hit after it, when it must be."""


def _leads_first(leads: list[SearchHit], hits: list[SearchHit]) -> list[SearchHit]:
    """The title leads, then the other hits. A lead keeps its own score for the query when
    that is higher than the scores below it; otherwise it is raised just above them, so
    that the scores are in the order shown (a consumer sorting by score gets this order)."""
    keys = {hit.key for hit in leads}
    own = {hit.key: hit.score for hit in hits if hit.key in keys}
    rest = [hit for hit in hits if hit.key not in keys]
    floor = rest[0].score if rest else 0.0
    placed: list[SearchHit] = []
    for lead in reversed(leads):
        score = max(own.get(lead.key, 0.0), floor + LEAD_MARGIN)
        placed.append(replace(lead, score=score))
        floor = score
    return placed[::-1] + rest


def titled(
    searcher: Searcher,
    typed: str,
    library: str = "",
    words: dict[str, frozenset[str]] | None = None,
) -> list[SearchHit]:
    """The articles whose title (or alias) is what was typed, to come first: exactly (as
    links resolve), then near-exactly (`build.near_key`: "Cryin' Time" for "Crying Time",
    "Ray" for "Ray (film)"), titles without a "(...)" and shorter ones first; with
    `library`, only its articles; with the query's `words`, snippets showing them."""
    if not typed.strip():
        return []
    exact = _leads(searcher, Term("names", fold(typed)), 3, library, words)
    key = near_key(typed)
    near = _leads(searcher, Term("near", key), 5, library, words) if key else []
    near.sort(key=lambda hit: (hit.title.endswith(")"), len(hit.title), hit.title))
    seen = {hit.key for hit in exact}
    return exact + [hit for hit in near if hit.key not in seen]


def _leads(
    searcher: Searcher,
    query: Term,
    limit: int,
    library: str,
    words: dict[str, frozenset[str]] | None,
) -> list[SearchHit]:
    """The best `limit` sections of a title look-up, those of `library` only if given. The
    library is checked on each hit, not as a Whoosh filter: a title matches a handful of
    sections, and a filter reads every section of the library at each search (50 ms at
    100k sections)."""
    results = searcher.search(query, limit=None if library else limit)
    kept = (hit for hit in results if not library or hit["library"] == library)
    return [copy_hit(hit, words) for hit in itertools.islice(kept, limit)]


def backlinks(searcher: Searcher, names: list[str], limit: int) -> list[SearchHit]:
    """Sections whose links point at any of these titles."""
    query = Or([Term("links", fold(name)) for name in names])
    return [copy_hit(hit) for hit in searcher.search(query, limit=limit)]


def titles_with_words(searcher: Searcher, words: list[str], limit: int) -> list[str]:
    """Titles in which every one of `words` begins a word."""
    query = parse_query(make_parser(searcher.schema, ["title"]), " ".join(f"{w}*" for w in words))
    if query is None:
        return []
    return [hit["name"] for hit in searcher.search(query, limit=limit)]


def matches(schema: Schema, typed: str, text: str, language: str) -> list[tuple[int, int]]:
    """Where the query's words occur in `text` (for highlighting an opened section)."""
    field = body_field(language)
    query = parse_query(make_parser(schema, [field]), prepare(typed).text)
    if query is None:
        return []
    wanted = {
        term.decode() if isinstance(term, bytes) else str(term)
        for name, term in query.iter_all_terms()
        if name == field
    }
    return [
        (start, end)
        for start, end, term in _words_in(schema[field], text)
        if term is not None and term in wanted
    ]


def _words_in(field: Any, text: str) -> list[tuple[int, int, str | None]]:
    """(start, end, term) of every word of `text` as the field indexes it, None for a word
    it drops: in one pass (`positions.terms_in`), or through the field's analyzer chain
    when it has no one-pass plan."""
    found = terms_in(field.format, field.analyzer, text)
    if found is not None:
        return found
    tokens = field.analyzer(text, chars=True, mode="index", removestops=False)
    return [(t.startchar, t.endchar, None if t.stopped else t.text) for t in tokens]


def _query_words(searcher: Searcher, query: Query) -> dict[str, frozenset[str]]:
    """The query's terms in each field that has them, prefixes and the like expanded to the
    words of the index they stand for (once a search, not once a hit)."""
    words: dict[str, set[str]] = {}
    for fieldname, term in query.existing_terms(searcher.reader(), phrases=True, expand=True):
        if fieldname in searcher.schema:
            text = searcher.schema[fieldname].from_bytes(term)
            words.setdefault(fieldname, set()).add(text)
    return {fieldname: frozenset(found) for fieldname, found in words.items()}


def copy_hit(hit: Hit, words: dict[str, frozenset[str]] | None = None) -> SearchHit:
    """A plain value from a Whoosh hit, taken while its searcher is open; with the query's
    `words`, its snippet shows where they occur."""
    body = hit.get("text", "")
    snippet: Snippet | None = None
    if words is not None and body:
        snippet = _snippet(hit, body_field(hit.get("language", "en")), body, words)
    if snippet is None:
        snippet = Snippet(opening(body, SNIPPET_CHARS))
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


_FRAGMENTER = ContextFragmenter(maxchars=SNIPPET_CHARS, surround=50, charlimit=None)


def _snippet(
    hit: Hit, fieldname: str, text: str, words: dict[str, frozenset[str]]
) -> Snippet | None:
    """Up to two fragments of `text` around the query's words, chosen and ordered as
    Whoosh's highlighter does (ContextFragmenter, BasicFragmentScorer, text order), with
    the text's words found by `_words_in` instead of the highlighter's own re-analysis."""
    wanted = words.get(fieldname)
    if not wanted:
        return None
    tokens = _matched_tokens(_words_in(hit.searcher.schema[fieldname], text), wanted)
    merged = Highlighter._merge_matched_tokens(tokens)
    fragments = _FRAGMENTER.fragment_tokens(text, merged)
    best = top_fragments(fragments, 2, BasicFragmentScorer(), FIRST, minscore=1)
    found = _SnippetFormatter().format(best)
    return found if found.text else None


class _Word:
    """A word of the text that is not a query word: where it is, for the fragmenter."""

    __slots__ = ("startchar", "endchar")
    matched = False

    def __init__(self, startchar: int, endchar: int) -> None:
        self.startchar = startchar
        self.endchar = endchar


def _matched_tokens(
    words: list[tuple[int, int, str | None]], wanted: frozenset[str]
) -> Iterator[Any]:
    for start, end, term in words:
        if term is not None and term in wanted:
            token = Token(chars=True, boost=1.0, matched=True)
            token.text, token.startchar, token.endchar = term, start, end
            yield token
        else:
            yield _Word(start, end)


class _SnippetFormatter(Formatter):  # type: ignore[misc]
    """Returns a `Snippet` (plain text plus offsets) instead of marked-up text: the
    fragments Whoosh's highlighter picks, cut on word boundaries (`excerpt`)."""

    def format(self, fragments: list[Fragment], replace: bool = False) -> Snippet:
        windows: list[tuple[int, int, list[tuple[int, int]]]] = []
        text = ""
        for fragment in sorted(fragments, key=lambda f: f.startchar):
            text = fragment.text
            found = sorted(
                (t for t in fragment.matches if t.startchar is not None),
                key=lambda t: t.startchar,
            )
            # Whoosh sizes fragments by their tokens only; long runs of punctuation would make
            # a snippet of any length, so keep a window around the first match.
            start = fragment.startchar
            end = fragment.endchar
            if end - start > MAX_FRAGMENT:
                first = found[0].startchar if found else start
                start = max(start, first - MAX_FRAGMENT // 3)
                end = start + MAX_FRAGMENT
            inside = [
                (t.startchar, t.endchar) for t in found if start <= t.startchar and t.endchar <= end
            ]
            windows.append((start, end, inside))
        line, spans = excerpt(text, windows)
        return Snippet(line, spans)


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
        collect = self.child.collect
        for sub_docnum in self.matches():
            collect(sub_docnum)

    def matches(self) -> Iterator[int]:
        if self.cut:
            return  # out of time in an earlier segment
        for count, sub_docnum in enumerate(self.child.matches()):
            yield sub_docnum
            if count % 16 == 15 and time.perf_counter() > self.deadline:
                self.cut = True
                return
