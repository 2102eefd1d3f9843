"""Whole-list scoring: a full query's matches found and scored all at once with numpy.

Whoosh's matchers walk a query's posting lists one document at a time in Python, and block
skipping rarely helps on prose (every block of a common word may hold a high score). At
100k sections a two-word query of common words visited about 5,000 sections at some 20 µs
each, and a phrase of two common words checked the positions of 34,000. Here each word's
whole posting list is read block by block into arrays, BM25F is computed for all of them
at once with the same statistics and formula Whoosh uses (`whoosh.scoring.BM25F`), and the
query's AND / OR / AND-MAYBE / NOT tree is evaluated on those arrays. Phrases are checked
last, and only for the best-scored candidates until enough are found.

Each term is scored as Whoosh scores it, and parts are combined as its matchers combine
them: AND and OR add their parts' scores, an OR with a scale adds Whoosh's coordination
bonus (counting the terms present in the index), AND-MAYBE adds its second part's score
where it matches. Whoosh's own matchers sometimes leave that second part out (the boost of
title and heading matches, see `engine.boosted`): when one of its terms is missing from a
segment, or when they skip past it; here it is always added. tests/unit/test_scoring.py
checks every score against Whoosh's single-term scores composed by hand. Prefixes,
wildcards and fuzzy terms match the sections holding any word they stand for, each scoring
1 (as Whoosh scores such a query on its own), except a character of a no-space script asked
for as a prefix (`_character`), scored as the one term it stands for. A query with any other
part (numeric ranges, spans) raises `Unsupported` and is left to Whoosh.

The arrays come from `arrays.PostingReader` (index/w3/ reads the W3 files directly, or
index/plain.py through Whoosh's public API): nothing here reaches into Whoosh's internals.
Search as you type and the full search both rank with `search`: one ranker.
"""

from __future__ import annotations

import math
import pickle
import threading
import weakref
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt
from whoosh.idsets import BitSet
from whoosh.query import (
    And,
    AndMaybe,
    AndNot,
    FuzzyTerm,
    MultiTerm,
    Not,
    NullQuery,
    Or,
    Phrase,
    Prefix,
    Query,
    Term,
    Wildcard,
)
from whoosh.scoring import BM25F
from whoosh.searching import Searcher

from . import w3
from .arrays import Floats, Ids, Positions, PostingReader, TermPostings, Unsupported
from .query import character_prefix

__all__ = ["Ranked", "Unsupported", "allowed_docs", "search"]

CHECK_BATCH = 64
"""Phrase candidates checked at a time, best scored first, until enough are found."""


@dataclass
class Ranked:
    """The best matches of a query: (score, docnum) best first, how many match in all,
    and whether that count is a lower bound (phrase candidates left unchecked)."""

    top: list[tuple[float, int]]
    total: int
    estimated: bool


@dataclass
class _Matches:
    """Documents matching a query part, with their scores and, for Whoosh's coordination
    bonus, how many of the part's terms each matches; `checks` are phrase conditions not yet
    applied (each maps docnums to a mask of those containing the phrase)."""

    ids: Ids
    scores: Floats
    matched: Floats
    terms: int
    checks: list[Callable[[Ids], npt.NDArray[np.bool_]]] = field(default_factory=list)

    def take(self, mask: npt.NDArray[np.bool_]) -> _Matches:
        return _Matches(
            self.ids[mask], self.scores[mask], self.matched[mask], self.terms, self.checks
        )


def _empty(terms: int = 0) -> _Matches:
    return _Matches(np.zeros(0, np.int64), np.zeros(0), np.zeros(0), terms)


_READERS: weakref.WeakKeyDictionary[Searcher, PostingReader] = weakref.WeakKeyDictionary()
_READERS_LOCK = threading.Lock()


def _arrays(searcher: Searcher) -> PostingReader:
    """The searcher's posting reader, made once per searcher."""
    with _READERS_LOCK:
        found = _READERS.get(searcher)
        if found is None:
            found = _READERS[searcher] = w3.posting_reader(searcher)
        return found


def allowed_docs(searcher: Searcher, only: Term) -> BitSet:
    """The documents of a filter term (a library), as a set for Whoosh's own searches."""
    return _arrays(searcher).allowed_docs(only)


_ANSWERS: weakref.WeakKeyDictionary[Searcher, OrderedDict[bytes, Ranked]] = (
    weakref.WeakKeyDictionary()
)
ANSWERS_KEPT = 32
"""Answers kept per searcher. Typing a query's last word asks the same full-text question at
each key (`plan.instant`: the words before it), and a common word's postings at 750k
sections take tens of milliseconds to read; an answer holds only the best ids and scores."""


def search(
    searcher: Searcher,
    query: Query,
    limit: int,
    only: Term | None = None,
    remember: bool = False,
) -> Ranked:
    """The best `limit` matches of `query` (restricted to `only`'s documents), as Whoosh's
    `searcher.search` would rank them; raises Unsupported for a query it cannot evaluate.
    With `remember` (search as you type), the last answers of a searcher are kept and
    reused (`ANSWERS_KEPT`): a searcher reads one state of the index, and an update opens
    a new one."""
    if not remember:
        return _search(searcher, query, limit, only)
    # The query pickled: its repr leaves some attributes out (an OR's scale).
    key = pickle.dumps((query, limit, only), protocol=4)
    with _READERS_LOCK:
        answers = _ANSWERS.get(searcher)
        if answers is None:
            answers = _ANSWERS[searcher] = OrderedDict()
        known = answers.get(key)
        if known is not None:
            answers.move_to_end(key)
    if known is None:
        known = _search(searcher, query, limit, only)
        with _READERS_LOCK:
            answers[key] = known
            while len(answers) > ANSWERS_KEPT:
                answers.popitem(last=False)
    return Ranked(list(known.top), known.total, known.estimated)


def _search(searcher: Searcher, query: Query, limit: int, only: Term | None) -> Ranked:
    weighting = searcher.weighting
    if type(weighting) is not BM25F or weighting.use_final:
        raise Unsupported("a weighting other than BM25F")
    arrays = _arrays(searcher)
    found = _Evaluator(arrays, weighting).required(query)
    if only is not None:
        found = found.take(arrays.allowed(only)[found.ids])
    if not found.checks:
        top = _best(found, limit)
        pairs = list(zip(found.scores[top].tolist(), found.ids[top].tolist(), strict=True))
        return Ranked(pairs, len(found.ids), False)
    chosen: list[int] = []
    checked = 0
    batch_size = CHECK_BATCH
    while len(chosen) < limit and checked < len(found.ids):
        batch = _best(found, checked + batch_size)[checked:]
        checked += len(batch)
        batch_size *= 2  # phrases rare among their words' sections are checked in fewer rounds
        keep = np.ones(len(batch), dtype=np.bool_)
        for check in found.checks:
            keep &= check(found.ids[batch])
        chosen.extend(batch[keep].tolist())
    top = np.array(chosen[:limit], dtype=np.int64)
    pairs = list(zip(found.scores[top].tolist(), found.ids[top].tolist(), strict=True))
    unchecked = len(found.ids) - checked
    return Ranked(pairs, len(chosen), unchecked > 0 and len(chosen) >= limit)


def _best(found: _Matches, count: int) -> Ids:
    """The rows of the best `count` matches, best first and equal scores in document order
    (as Whoosh's collector has them): only the scores reaching the `count`th best are
    sorted, not every match of a common word."""
    scores = -found.scores
    if count < len(scores):
        cut = np.partition(scores, count - 1)[count - 1]
        rows = np.flatnonzero(scores <= cut)  # ties at the cut included, ordered below
    else:
        rows = np.arange(len(scores))
    return rows[np.lexsort((found.ids[rows], scores[rows]))][:count]


class _Evaluator:
    """Evaluates a query tree into `_Matches`, scoring as Whoosh's matchers do."""

    def __init__(self, arrays: PostingReader, weighting: BM25F) -> None:
        self.arrays = arrays
        self.weighting = weighting
        self._read: dict[tuple[str, bytes], TermPostings] = {}

    def postings(self, fieldname: str, text: bytes, positions: bool = False) -> TermPostings:
        """A term's postings, read once per query (a phrase's words are also its terms)."""
        found = self._read.get((fieldname, text))
        if found is None or (positions and found.positions is None):
            found = self.arrays.read(fieldname, text, positions)
            self._read[fieldname, text] = found
        return found

    def required(self, query: Query) -> _Matches:
        """Matches of a part every result must satisfy: phrases may be checked later."""
        return self._evaluate(query, defer=True)

    def _evaluate(self, query: Query, defer: bool) -> _Matches:
        if query is NullQuery:  # nothing left to search for (only stop words)
            return _empty()
        if type(query) is Term:
            found = self._term(query)
        elif type(query) is Phrase:
            found = self._phrase(query, defer)
        elif type(query) is And:
            found = self._and(query.subqueries, defer)
        elif type(query) is Or:
            found = self._or(query)
        elif isinstance(query, AndMaybe):  # termpedia's own kind (w3.matching.Boosted) too
            found = self._and_maybe(query, defer)
        elif type(query) is AndNot:
            found = self._and_not(query.a, [query.b], defer)
        elif isinstance(query, MultiTerm) and type(query) in (Prefix, Wildcard, FuzzyTerm):
            found = self._expansion(query)
        else:
            raise Unsupported(type(query).__name__)
        if query.boost != 1.0:
            found.scores = found.scores * query.boost
        return found

    def _term(self, query: Term) -> _Matches:
        searcher = self.arrays.searcher
        name = query.fieldname
        if name not in searcher.schema:
            return _empty()
        field_type = searcher.schema[name]
        try:
            text = field_type.to_bytes(query.text)
        except ValueError:
            return _empty()
        postings = self.postings(name, text)
        if not len(postings.ids):
            return _empty()  # as Whoosh, which counts only the terms present (see `_or`)
        if not field_type.scorable:  # `library:x`: Whoosh scores such a term by its weight
            return _Matches(postings.ids, postings.weights, np.ones(len(postings.ids)), 1)
        w = self.weighting
        norms = self.arrays.norms(name, self.arrays.field_b(name), w.K1)[postings.ids]
        tf = postings.weights
        idf = searcher.idf(name, text)
        scores = idf * ((tf * (w.K1 + 1)) / (tf + norms))
        return _Matches(postings.ids, scores, np.ones(len(postings.ids)), 1)

    def _expansion(self, query: Prefix | Wildcard | FuzzyTerm) -> _Matches:
        """A prefix, wildcard or fuzzy term: the sections holding any word it stands for.
        With `constantscore` (the default) each scores 1, as Whoosh scores such a query on
        its own, and it counts as one term for the coordination bonus; otherwise it is the
        OR of its words."""
        searcher = self.arrays.searcher
        name = query.fieldname
        if name not in searcher.schema:
            return _empty()
        if character_prefix(query):
            return self._character(name, query.text)
        words = self.arrays.words(query)
        if not words:
            return _empty()
        if not query.constantscore:
            return self._or(Or([Term(name, word) for word in sorted(words)]))
        ids = np.unique(np.concatenate([self.postings(name, word).ids for word in words]))
        if not len(ids):
            return _empty()
        return _Matches(ids, np.ones(len(ids)), np.ones(len(ids)), 1)

    def _character(self, name: str, character: str) -> _Matches:
        """A character of a no-space script, asked for as the prefix of the terms holding
        it (the bigrams it starts, itself at a run's end: index/scripts.py), scored as one
        term: its frequency in a section is the sum of theirs, its document frequency the
        sections holding any. As the character's own term was scored when every character
        was indexed, and one BM25 over the union costs less than hundreds ORed."""
        read = self.arrays.read_prefix(name, character)
        if not len(read.ids):
            return _empty()
        ids, where = np.unique(read.ids, return_inverse=True)
        tf = np.bincount(where, weights=read.weights)
        w = self.weighting
        norms = self.arrays.norms(name, self.arrays.field_b(name), w.K1)[ids]
        # Whoosh's idf (whoosh.scoring.idf) over the sections holding any of the terms.
        idf = math.log(self.arrays.doc_count / (len(ids) + 1)) + 1
        scores = idf * ((tf * (w.K1 + 1)) / (tf + norms))
        return _Matches(ids, scores, np.ones(len(ids)), 1)

    def _and(self, parts: Sequence[Query], defer: bool) -> _Matches:
        wanted = [q for q in parts if not isinstance(q, Not)]
        unwanted = [q.query for q in parts if isinstance(q, Not)]
        if not wanted:
            raise Unsupported("only NOT")
        return self._and_not(And(wanted) if len(wanted) > 1 else wanted[0], unwanted, defer)

    def _and_not(self, positive: Query, negatives: list[Query], defer: bool) -> _Matches:
        if isinstance(positive, And):
            found = self._intersection(positive.subqueries, defer)
            if positive.boost != 1.0:
                found.scores = found.scores * positive.boost
        else:
            found = self._evaluate(positive, defer)
        for negative in negatives:
            gone = self._evaluate(negative, defer=False).ids
            found = found.take(~np.isin(found.ids, gone, assume_unique=True))
        return found

    def _intersection(self, parts: Sequence[Query], defer: bool) -> _Matches:
        found = [self._evaluate(q, defer) for q in parts]
        found.sort(key=lambda m: len(m.ids))  # smallest first: the others are looked up in it
        result = found[0]
        for other in found[1:]:
            common, here, there = _common(result.ids, other.ids)
            result = _Matches(
                common,
                result.scores[here] + other.scores[there],
                result.matched[here] + other.matched[there],
                result.terms + other.terms,
                result.checks + other.checks,
            )
        return result

    def _or(self, query: Or, optional: bool = False) -> _Matches:
        """An OR; `optional` when it only raises scores (AND-MAYBE's second part), where a
        NOT adds nothing (the title and heading boost of `word -other` has one)."""
        if query.minmatch:
            raise Unsupported("OR with a minimum match")
        parts = [q for q in query.subqueries if not (optional and isinstance(q, Not))]
        if not parts:
            return _empty()
        found = [self._evaluate(q, defer=False) for q in parts]
        terms = sum(m.terms for m in found)
        ids = np.unique(np.concatenate([m.ids for m in found]))
        scores = np.zeros(len(ids))
        matched = np.zeros(len(ids))
        for part in found:
            where = np.searchsorted(ids, part.ids)
            scores[where] += part.scores
            matched[where] += part.matched
        if query.scale and terms:
            # Whoosh's CoordMatcher: the "SQR" bonus for documents matching more terms.
            scale = query.scale
            if terms == scale:
                scores = np.zeros(len(ids))
            else:
                scores = (scores + (matched - 1) / (terms - scale) ** 2) * ((terms - 1) / terms)
        return _Matches(ids, scores, matched, terms)

    def _and_maybe(self, query: AndMaybe, defer: bool) -> _Matches:
        found = self._evaluate(query.a, defer)
        if type(query.b) is Or:
            extra = self._or(query.b, optional=True)
            if query.b.boost != 1.0:
                extra.scores = extra.scores * query.b.boost
        else:
            extra = self._evaluate(query.b, defer=False)
        _ids, here, there = _common(found.ids, extra.ids)
        scores = found.scores.copy()
        scores[here] += extra.scores[there]
        matched = found.matched.copy()
        matched[here] += extra.matched[there]
        return _Matches(found.ids, scores, matched, found.terms + extra.terms, found.checks)

    def _phrase(self, query: Phrase, defer: bool) -> _Matches:
        searcher = self.arrays.searcher
        name = query.fieldname
        if name not in searcher.schema or not query.words:
            return _empty()
        field_type = searcher.schema[name]
        if not field_type.format or not field_type.format.supports("positions"):
            raise Unsupported(f"a phrase in {name}, which has no positions")
        words = [field_type.to_bytes(word) for word in query.words]
        where = [self.postings(name, word, positions=len(words) > 1).positions for word in words]
        found = self._intersection([Term(name, word) for word in query.words], defer=False)
        if not len(found.ids):
            return _empty()
        if len(words) < 2:
            return found
        check = _phrase_check(self.arrays.searcher, name, where, query.slop)
        if defer:
            found.checks = [*found.checks, check]
            return found
        return found.take(check(found.ids))


def _common(a: Ids, b: Ids) -> tuple[Ids, Ids, Ids]:
    """The ids in both of two ascending arrays of distinct ids, and where each stands in `a`
    and in `b`: `np.intersect1d(a, b, assume_unique=True, return_indices=True)`, by a binary
    search of the shorter in the longer instead of sorting both (a common word's list at
    750k sections holds hundreds of thousands)."""
    if len(a) > len(b):
        common, in_b, in_a = _common(b, a)
        return common, in_a, in_b
    if not len(a):
        return a, np.zeros(0, np.int64), np.zeros(0, np.int64)
    at = np.minimum(np.searchsorted(b, a), len(b) - 1)
    hit = b[at] == a
    return a[hit], np.flatnonzero(hit), at[hit]


def _phrase_check(
    searcher: Searcher, fieldname: str, where: list[Positions | None], slop: int = 1
) -> Callable[[Ids], npt.NDArray[np.bool_]]:
    """A function telling which of some documents hold a phrase's words in order, each at
    most `slop` positions after the one before (1: one after the other), as Whoosh's
    SpanNear2 with `mindist=1` (`where`: each word's positions)."""
    decode = searcher.schema[fieldname].format.decode_positions
    steps = range(1, max(slop, 1) + 1)

    def check(ids: Ids) -> npt.NDArray[np.bool_]:
        # Each place a word stands at is a key: its row in `ids` above, its position below
        # (positions are far below 2**32, so a step back never reaches the row before).
        keep = np.ones(len(ids), dtype=np.bool_)
        reach = np.zeros(0, dtype=np.int64)  # the places the phrase so far may end at
        for number, found in enumerate(where):
            assert found is not None
            rows = np.flatnonzero(keep)
            if not len(rows):
                break
            counts, places = found.places(ids[rows], decode)
            keys = np.repeat(rows << 32, counts) + places
            if number == 0:
                reach = keys
            else:
                reach = np.concatenate([keys[np.isin(keys - d, reach)] for d in steps])
            keep[:] = False
            keep[reach >> 32] = True
        return keep

    return check
