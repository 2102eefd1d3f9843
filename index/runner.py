"""Carrying out search plans (index/plan.py) on an open Whoosh searcher, and the index's
other look-ups (titles, backlinks). `search.Index` imports this module on first use:
Whoosh takes about 80 ms to import, and the reader's first screen does not need it.

Every attempt of a plan, as you type or in full, is ranked by one ranker,
`scoring.search` (BM25F over whole posting lists); Whoosh's own matchers run only what it
cannot evaluate (numeric ranges, spans) and the exact-title look-ups, and are the tests'
oracle for which sections match.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path

from whoosh.fields import Schema
from whoosh.filedb.filestore import FileStorage
from whoosh.index import Index as WhooshIndex
from whoosh.query import NullQuery, Or, Query, Term
from whoosh.reading import MultiReader
from whoosh.searching import Hit, Results, Searcher

from . import scoring, w3
from .arrays import Unsupported
from .hits import SearchHit, SearchResult
from .plan import Attempt, SearchPlan
from .query import make_parser, parse_query
from .schema import HEAD_FIELDS, body_field
from .snippets import Words, copy_hit, query_words
from .spelling import Vocabulary, corrected
from .store import Manifest
from .syntax import KNOWN_FIELDS, plain_words
from .titles import fold, near_key, parent_of

FEW_HITS = 3
"""Fewer sections than this, and "did you mean" is offered."""
LEAD_MARGIN = 0.01
"""How far a title lead's score is raised above the hit after it, when it must be."""
UNREADABLE = "the query could not be read; searched for its words"
CONTAINED_WORDS = 12
"""Queries up to this many words are looked through for the names they hold (a link's text;
every run of words is a look-up: a longer query is no link's text)."""


def open_searcher(
    generation: Path, parts: Sequence[Path] = ()
) -> tuple[WhooshIndex, Searcher, tuple[object, ...]]:
    """The Whoosh index of a generation, a searcher over it and the section indexes of the
    archives (`parts`, index/archive.py) as one, and their `stamp`; raises on damaged files."""
    whoosh = _open(generation)
    if not parts:
        return whoosh, whoosh.searcher(), stamp(whoosh, parts)
    leaves = [leaf for leaf, _ in whoosh.reader().leaf_readers()]
    for part in parts:
        leaves.extend(leaf for leaf, _ in _open(part).reader().leaf_readers())
    return whoosh, Searcher(MultiReader(leaves)), stamp(whoosh, parts)


def _open(folder: Path) -> WhooshIndex:
    # Without mmap Whoosh reads postings from the file as needed; with it, each segment's
    # posting file is copied into memory (BytesIO over the map) on open.
    return FileStorage(str(folder), supports_mmap=False).open_index()


def stamp(whoosh: WhooshIndex, parts: Sequence[Path]) -> tuple[object, ...]:
    """The generations of the index and of the archives' parts: a new commit to any of them
    (an update, an archive's next batch) changes it."""
    found: list[object] = [whoosh.latest_generation()]
    for part in parts:
        found.append((str(part), _open(part).latest_generation()))
    return tuple(found)


def fields_of(manifest: Manifest, languages: Sequence[str] = ()) -> tuple[str, ...]:
    """The fields plain words are searched in: the head fields and the languages present
    (the libraries' and the archives')."""
    present = {record.language for record in manifest.files.values()} | set(languages)
    bodies = sorted({body_field(language) for language in present})
    return (*HEAD_FIELDS, *(bodies or ["body"]))


def boosted(
    schema: Schema, fields: Sequence[str], text: str, any_word: bool = False
) -> Query | None:
    """The query matched on the body fields alone, with title and heading matches only
    raising the score.

    The body holds every searchable word of a section (its text, the article's title and
    the heading path), so nothing is lost by matching on it alone, while looking each word
    up in one field instead of three makes broad queries several times cheaper.
    """
    bodies = [field for field in fields if field.startswith("body")]
    heads = [field for field in fields if field not in bodies]
    if not bodies or not heads:
        return parse_query(make_parser(schema, list(fields), any_word), text)
    # One query per language's body field, any of them: a word one language drops (a stop
    # word: Spanish "los", "en") must not be required of that language's sections because
    # another language keeps it.
    cores = [parse_query(make_parser(schema, [body], any_word), text) for body in bodies]
    found = [core for core in cores if core is not None and core is not NullQuery]
    if not found:
        return None if any(core is None for core in cores) else NullQuery
    core = found[0] if len(found) == 1 else Or(found)
    boost = parse_query(make_parser(schema, heads, any_word=True), text)
    return core if boost is None else w3.boosted(core, boost)


def run(
    searcher: Searcher,
    plan: SearchPlan,
    vocabulary: Vocabulary,
    exists: Callable[[str], bool] | None = None,
) -> SearchResult:
    """The plan's answer: its attempts in turn until one finds a section (or the typed text
    is a title), the exact-title leads first, snippets for the first hits. `exists` tells
    whether a title is an article's (a subpage leads by its name only under a parent)."""
    leads = _lead_hits(searcher, plan.typed, plan.library, exists)
    answer: tuple[Attempt, Query, str, list[Hit], int, bool] | None = None
    for attempt in plan.attempts:
        parsed = _parse(searcher.schema, attempt, plan.typed)
        if parsed is None:
            continue
        query, note = parsed
        ranked, total, estimated = _rank(searcher, query, plan.limit, plan.library, plan.instant)
        answer = (attempt, query, note, ranked, total, estimated)  # the last one tried
        if total or leads:
            break
    notes = [plan.note] if plan.note else []
    if answer is None:
        hits = [copy_hit(hit) for hit in leads]
        return SearchResult(
            plan.typed, tuple(hits), len(hits), "; ".join(notes), instant=plan.instant
        )
    attempt, query, note, ranked, total, estimated = answer
    notes += [n for n in (note, attempt.note if total else "") if n]
    # Snippets cost a pass over each section's text: only for the hits a reader sees.
    words = query_words(searcher, query) if plan.snippets else None
    hits = [copy_hit(hit, words if n < plan.snippets else None) for n, hit in enumerate(ranked)]
    if leads:
        hits = _leads_first([copy_hit(hit, words) for hit in leads], hits)
        total = max(total, len(hits))
    few = attempt.suggest == "always" or (attempt.suggest == "if_few" and total < FEW_HITS)
    suggestion = corrected(plan.typed, vocabulary, plan.unfinished) if few else None
    return SearchResult(
        plan.typed,
        tuple(hits[: plan.limit]),
        total,
        "; ".join(notes),
        suggestion,
        estimated,
        plan.instant,
    )


def _parse(schema: Schema, attempt: Attempt, typed: str) -> tuple[Query, str] | None:
    """The attempt's query, or (with a note) its plain words when Whoosh cannot read it;
    None when nothing is left to search for."""
    if not attempt.fields or not attempt.text.strip():
        return None
    query = boosted(schema, attempt.fields, attempt.text, attempt.any_word)
    if query is not None:
        return query, ""
    query = boosted(schema, attempt.fields, plain_words(typed), attempt.any_word)
    return (query, UNREADABLE) if query is not None else None


def _rank(
    searcher: Searcher, query: Query, limit: int, library: str, instant: bool = False
) -> tuple[list[Hit], int, bool]:
    """(the best `limit` hits, how many match, whether that is a lower bound); while typing
    (`instant`), an answer the ranker kept for the same question is reused."""
    only = Term("library", library) if library else None
    try:
        ranked = scoring.search(searcher, query, limit, only, remember=instant)
    except Unsupported:  # numeric ranges, spans: Whoosh's matchers evaluate them
        allow = scoring.allowed_docs(searcher, only) if only is not None else None
        results = searcher.search(query, limit=limit, filter=allow)
        scored = results.scored_length()
        # All were scored when fewer than `limit`; else counting them would cost a search.
        return list(results), scored, scored >= limit
    # iter(): list() of Results would ask for its length, which its missing collector counts.
    return list(iter(Results(searcher, query, ranked.top))), ranked.total, ranked.estimated


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
    searcher: Searcher, typed: str, library: str = "", words: Words | None = None
) -> list[SearchHit]:
    """The articles whose title (or alias) is what was typed, to come first (see
    `_lead_hits`), as plain values; with the query's `words`, snippets showing them."""
    return [copy_hit(hit, words) for hit in _lead_hits(searcher, typed, library, None)]


def _lead_hits(
    searcher: Searcher, typed: str, library: str, exists: Callable[[str], bool] | None
) -> list[Hit]:
    """The articles whose title (or alias) is what was typed: exactly (as links resolve);
    then those whose subpage or prefixed name is (`titles.short_name`: "Lesson 3" for
    `Italian language/Lesson 3` when that parent page exists, "Tea" for `Recipe:Tea`); then
    near-exactly (`titles.near_key`: "Cryin' Time" for "Crying Time", "Ray" for "Ray
    (film)"), titles without a "(...)" and shorter ones first; with `library`, only its
    articles."""
    if not typed.strip():
        return []
    exact = _lookup(searcher, Term("names", fold(typed)), 3, library)
    key = near_key(typed)
    named = Or([Term("short", fold(typed)), *([Term("short", key)] if key else [])])
    short = [
        hit
        for hit in _lookup(searcher, named, 5, library)
        if not parent_of(hit["name"]) or exists is None or exists(parent_of(hit["name"]))
    ]
    near = _lookup(searcher, Term("near", key), 5, library) if key else []
    near.sort(key=lambda hit: (hit["name"].endswith(")"), len(hit["name"]), hit["name"]))
    inside = _contained(searcher, typed, library, exists) if not (exact or short) else []
    found: list[Hit] = []
    seen: set[str] = set()
    for hit in (*exact, *short, *near, *inside):
        if hit["key"] not in seen:
            seen.add(hit["key"])
            found.append(hit)
    return found


def _contained(
    searcher: Searcher, typed: str, library: str, exists: Callable[[str], bool] | None
) -> list[Hit]:
    """Articles named inside what was typed, longest name first: a subpage's or prefixed
    page's name that is a run of the typed words, or a title that is a run of two or more
    of them covering at least half. A link's text often wraps its target's name
    ("Capítulo 2: prismáticos y telescopios", "Lección 6: los verbos", "Anterior:
    pronombres personales"); a title of an ordinary page must cover more of what was typed
    (a query "his album Genius" means more than the article "Genius")."""
    words = typed.split()
    fielded = [w for w in words if w.split(":", 1)[0].casefold() in KNOWN_FIELDS and ":" in w]
    if any(not w.casefold().startswith("library:") for w in fielded):
        return []  # title: or heading: asks for words where they are, not for names
    for word in fielded:  # `library:NAME` narrows, as it does the words' search
        library = library or word.split(":", 1)[1]
        words.remove(word)
    if not 3 <= len(words) <= CONTAINED_WORDS:
        return []
    least = max(2, (len(words) + 1) // 2)
    for size in range(len(words) - 1, 0, -1):
        found: list[Hit] = []
        for start in range(len(words) - size + 1):
            span = fold(" ".join(words[start : start + size]).strip(" :;,.!?¡¿-–—«»\"'"))
            if not span:
                continue
            names = [Term("short", span)]
            if size >= least:
                names.append(Term("names", span))
            for hit in _lookup(searcher, Or(names), 3, library):
                parent = parent_of(hit["name"])
                if not parent or exists is None or exists(parent):
                    found.append(hit)
        if found:
            return found  # the longest names that name something
    return []


def _lookup(searcher: Searcher, query: Term, limit: int, library: str) -> list[Hit]:
    """The best `limit` sections of a title look-up, those of `library` only if given. The
    library is checked on each hit, not as a Whoosh filter: a title matches a handful of
    sections, and a filter reads every section of the library at each search (50 ms at
    100k sections)."""
    results = searcher.search(query, limit=None if library else limit)
    kept = (hit for hit in results if not library or hit["library"] == library)
    return list(itertools.islice(kept, limit))


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
