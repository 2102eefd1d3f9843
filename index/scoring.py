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
1 (as Whoosh scores such a query on its own). A query with any other part (numeric ranges,
spans) raises `Unsupported` and is left to Whoosh.

This reads Whoosh's W3 posting blocks and length columns directly: the layout of
whoosh-reloaded 2.7 (pinned below 2.8 in pyproject.toml); the tests fail if it changes.
"""

from __future__ import annotations

import io
import pickle
import struct
import threading
import weakref
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, WHOOSH3_HEADER_MAGIC, _lenfield
from whoosh.idsets import BitSet
from whoosh.matching import ListMatcher
from whoosh.matching.wrappers import FilterMatcher
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
from whoosh.util.numeric import byte_to_length

from .codec import MARK, ArrayLeafMatcher, block_numbers, block_values, value_at

Ids = npt.NDArray[np.int64]
Floats = npt.NDArray[np.float64]

_LENGTH_OF_BYTE = np.array([byte_to_length(b) or 0 for b in range(256)], dtype=np.float64)
CHECK_BATCH = 64
"""Phrase candidates checked at a time, best scored first, until enough are found."""


class Unsupported(Exception):
    """A query with a part this module does not evaluate; Whoosh's matchers do."""


@dataclass
class Ranked:
    """The best matches of a query: (score, docnum) best first, how many match in all,
    and whether that count is a lower bound (phrase candidates left unchecked)."""

    top: list[tuple[float, int]]
    total: int
    estimated: bool


@dataclass
class _Postings:
    """One term's postings over the whole index, deleted documents left out; with
    `positions`, a way to each document's encoded positions."""

    ids: Ids
    weights: Floats
    positions: _Positions | None = None


class _Positions:
    """The encoded positions of a term's postings, decompressed a block at a time when a
    phrase asks for them."""

    def __init__(self) -> None:
        self.ids: list[Ids] = []  # per block: the docnums (with deleted ones)
        self.blocks: list[tuple[bytes, bool, int]] = []  # data, compressed, count
        self._decoded: dict[int, bytes] = {}
        self._all: Ids | None = None
        self._starts: Ids | None = None

    def add(self, ids: Ids, data: bytes, compressed: bool) -> None:
        self.ids.append(ids)
        self.blocks.append((data, compressed, len(ids)))

    def of(self, ids: Ids) -> list[bytes]:
        """The encoded positions of these documents (each must have the term)."""
        if self._all is None:
            self._all = np.concatenate(self.ids) if self.ids else np.zeros(0, np.int64)
            self._starts = np.cumsum([0] + [len(i) for i in self.ids[:-1]])
        assert self._starts is not None
        at = np.searchsorted(self._all, ids)
        blocks = np.searchsorted(self._starts, at, side="right") - 1
        found = []
        for number, block in zip(
            (at - self._starts[blocks]).tolist(), blocks.tolist(), strict=True
        ):
            values = self._decoded.get(block)
            data, compressed, count = self.blocks[block]
            if values is None:
                values = self._decoded[block] = block_values(data, compressed)
            found.append(value_at(values, count, number))
        return found


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


class _Arrays:
    """What one searcher's scoring reads once: field lengths and deleted documents.

    Kept in a WeakKeyDictionary by searcher, so it holds the searcher weakly (a strong
    reference from the value would keep every replaced searcher alive)."""

    def __init__(self, searcher: Searcher) -> None:
        self._searcher = weakref.ref(searcher)
        # Segment readers and where their document numbers start in the whole index.
        self.leaves: list[tuple[Any, int]] = [
            (leaf.reader(), offset) for leaf, offset in searcher.leaf_searchers()
        ]
        self.doc_count = int(searcher.doc_count_all())
        self._norms: dict[tuple[str, float, float], Floats] = {}
        self._allowed: dict[tuple[str, str], npt.NDArray[np.bool_]] = {}
        self._allowed_docs: dict[tuple[str, str], BitSet] = {}
        self._lock = threading.Lock()
        deleted = np.zeros(self.doc_count, dtype=np.bool_)
        for reader, offset in self.leaves:
            if reader.has_deletions():
                gone = np.fromiter(reader.deleted_docs_set, dtype=np.int64)
                deleted[gone + offset] = True
        self.deleted = deleted if deleted.any() else None

    @property
    def searcher(self) -> Searcher:
        searcher = self._searcher()
        assert searcher is not None, "used after its searcher was dropped"
        return searcher

    def allowed(self, only: Term) -> npt.NDArray[np.bool_]:
        """Which documents a filter term (a library) lets through, read once per searcher:
        a library's postings are every one of its sections (100k ids to read at each search
        otherwise)."""
        key = (only.fieldname, only.text)
        found = self._allowed.get(key)
        if found is None:
            found = np.zeros(self.doc_count, dtype=np.bool_)
            found[self.postings(only.fieldname, only.text).ids] = True
            self._allowed[key] = found
        return found

    def allowed_docs(self, only: Term) -> BitSet:
        """The same as the set Whoosh's own searches filter with (built once per searcher:
        Whoosh would read the library's postings at each search, 50 ms at 100k sections)."""
        key = (only.fieldname, only.text)
        found = self._allowed_docs.get(key)
        if found is None:
            ids = np.flatnonzero(self.allowed(only)).tolist()
            found = self._allowed_docs[key] = BitSet(ids, size=self.doc_count)
        return found

    def lengths(self, fieldname: str) -> Floats:
        """Every document's length in the field, as Whoosh stores it (one byte, lossy)."""
        parts = []
        for reader, _offset in self.leaves:
            count = reader.doc_count_all()
            column = reader._perdoc._cached_reader(_lenfield(fieldname), LENGTHS_COLUMN)
            raw = b""
            if column is not None:
                raw = column._dbfile.get(column._basepos, min(column._count, count))
            codes = np.zeros(count, dtype=np.uint8)
            codes[: len(raw)] = np.frombuffer(raw, dtype=np.uint8)
            parts.append(_LENGTH_OF_BYTE[codes])
        return np.concatenate(parts) if parts else np.zeros(0)

    def norms(self, fieldname: str, b: float, k1: float) -> Floats:
        """K1 * ((1 - B) + B * length / average length), per document: BM25's length part."""
        key = (fieldname, b, k1)
        found = self._norms.get(key)
        if found is None:
            with self._lock:
                average = self.searcher.avg_field_length(fieldname) or 1
                found = k1 * ((1 - b) + b * self.lengths(fieldname) / average)
                self._norms[key] = found
        return found

    def postings(self, fieldname: str, text: bytes, positions: bool = False) -> _Postings:
        ids: list[Ids] = []
        weights: list[Floats] = []
        where = _Positions() if positions else None
        for reader, offset in self.leaves:
            if (fieldname, text) not in reader:
                continue
            matcher = reader.postings(fieldname, text)
            if isinstance(matcher, FilterMatcher):  # deletions: left out below, all at once
                matcher = matcher.child
            if isinstance(matcher, ArrayLeafMatcher):
                _read_blocks(matcher, offset, ids, weights, where)
            elif isinstance(matcher, ListMatcher) and not positions:  # inlined: a handful
                found: list[tuple[int, float]] = []
                while matcher.is_active():
                    found.append((matcher.id() + offset, matcher.weight()))
                    matcher.next()
                ids.append(np.array([n for n, _ in found], dtype=np.int64))
                weights.append(np.array([w for _, w in found], dtype=np.float64))
            else:
                raise Unsupported(f"postings read by {type(matcher).__name__}")
        all_ids = np.concatenate(ids) if ids else np.zeros(0, np.int64)
        all_weights = np.concatenate(weights) if weights else np.zeros(0)
        if self.deleted is not None and len(all_ids):
            keep = ~self.deleted[all_ids]
            all_ids, all_weights = all_ids[keep], all_weights[keep]
        return _Postings(all_ids, all_weights, where)


_BLOCK_LENGTH = struct.Struct("!i")
_DTYPES = {"B": "<u1", "H": "<u2", "I": "<u4", "f": "<f4"}


def _read_blocks(
    matcher: ArrayLeafMatcher,
    offset: int,
    ids: list[Ids],
    weights: list[Floats],
    positions: _Positions | None,
) -> None:
    """Append a posting list's ids (plus `offset`) and weights, read in one piece from the
    postings file and decoded a block at a time (the layout: `codec`)."""
    length = matcher._length
    if isinstance(length, tuple):  # W3TermInfo.from_bytes keeps struct.unpack's tuple
        length = length[0]
    raw = matcher._postfile.get(matcher._startoffset, length)
    stream = io.BytesIO(raw)
    at = len(WHOOSH3_HEADER_MAGIC)
    while True:
        size = _BLOCK_LENGTH.unpack_from(raw, at)[0]
        stream.seek(at + 4)
        count, _last_id, _max_weight, level, _min, _max = pickle.load(stream)
        end = at + 4 + abs(size)
        data = raw[stream.tell() : end]
        if data[:1] != MARK:
            raise Unsupported("a block in Whoosh's own layout")
        id_code, id_bytes, weight_code, weight_bytes = block_numbers(data, count)
        block_ids = np.cumsum(np.frombuffer(id_bytes, dtype=_DTYPES[id_code]), dtype=np.int64)
        block_ids += offset
        ids.append(block_ids)
        if weight_code:
            weights.append(np.frombuffer(weight_bytes, _DTYPES[weight_code]).astype(np.float64))
        else:
            weights.append(np.ones(count))
        if positions is not None:
            positions.add(block_ids, data, bool(level))
        if size < 0:  # the last block
            return
        at = end


_ARRAYS: weakref.WeakKeyDictionary[Searcher, _Arrays] = weakref.WeakKeyDictionary()
_ARRAYS_LOCK = threading.Lock()


def _arrays(searcher: Searcher) -> _Arrays:
    with _ARRAYS_LOCK:
        found = _ARRAYS.get(searcher)
        if found is None:
            found = _ARRAYS[searcher] = _Arrays(searcher)
        return found


def allowed_docs(searcher: Searcher, only: Term) -> BitSet:
    """The documents of a filter term (a library), as a set for Whoosh's own searches."""
    return _arrays(searcher).allowed_docs(only)


def search(searcher: Searcher, query: Query, limit: int, only: Term | None = None) -> Ranked:
    """The best `limit` matches of `query` (restricted to `only`'s documents), as Whoosh's
    `searcher.search` would rank them; raises Unsupported for a query it cannot evaluate."""
    weighting = searcher.weighting
    if type(weighting) is not BM25F or weighting.use_final:
        raise Unsupported("a weighting other than BM25F")
    arrays = _arrays(searcher)
    found = _Evaluator(arrays, weighting).required(query)
    if only is not None:
        found = found.take(arrays.allowed(only)[found.ids])
    # Best first; equal scores in document order, as Whoosh's collector has them.
    order = np.lexsort((found.ids, -found.scores))
    if not found.checks:
        top = order[:limit]
        pairs = list(zip(found.scores[top].tolist(), found.ids[top].tolist(), strict=True))
        return Ranked(pairs, len(found.ids), False)
    chosen: list[int] = []
    checked = 0
    batch_size = CHECK_BATCH
    while len(chosen) < limit and checked < len(order):
        batch = order[checked : checked + batch_size]
        checked += len(batch)
        batch_size *= 2  # phrases rare among their words' sections are checked in fewer rounds
        keep = np.ones(len(batch), dtype=np.bool_)
        for check in found.checks:
            keep &= check(found.ids[batch])
        chosen.extend(batch[keep].tolist())
    top = np.array(chosen[:limit], dtype=np.int64)
    pairs = list(zip(found.scores[top].tolist(), found.ids[top].tolist(), strict=True))
    unchecked = len(order) - checked
    return Ranked(pairs, len(chosen), unchecked > 0 and len(chosen) >= limit)


class _Evaluator:
    """Evaluates a query tree into `_Matches`, scoring as Whoosh's matchers do."""

    def __init__(self, arrays: _Arrays, weighting: BM25F) -> None:
        self.arrays = arrays
        self.weighting = weighting
        self._read: dict[tuple[str, bytes], _Postings] = {}

    def postings(self, fieldname: str, text: bytes, positions: bool = False) -> _Postings:
        """A term's postings, read once per query (a phrase's words are also its terms)."""
        found = self._read.get((fieldname, text))
        if found is None or (positions and found.positions is None):
            found = self.arrays.postings(fieldname, text, positions)
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
        elif type(query) is AndMaybe:
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
        b = w._field_B.get(name, w.B)
        norms = self.arrays.norms(name, b, w.K1)[postings.ids]
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
        words: set[bytes] = set()
        for reader, _offset in self.arrays.leaves:
            words.update(word for word in query._btexts(reader) if word)
        if not words:
            return _empty()
        if not query.constantscore:
            return self._or(Or([Term(name, word) for word in sorted(words)]))
        ids = np.unique(np.concatenate([self.postings(name, word).ids for word in words]))
        if not len(ids):
            return _empty()
        return _Matches(ids, np.ones(len(ids)), np.ones(len(ids)), 1)

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
            common, here, there = np.intersect1d(
                result.ids, other.ids, assume_unique=True, return_indices=True
            )
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
        common, here, there = np.intersect1d(
            found.ids, extra.ids, assume_unique=True, return_indices=True
        )
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


def _phrase_check(
    searcher: Searcher, fieldname: str, where: list[_Positions | None], slop: int = 1
) -> Callable[[Ids], npt.NDArray[np.bool_]]:
    """A function telling which of some documents hold a phrase's words in order, each at
    most `slop` positions after the one before (1: one after the other), as Whoosh's
    SpanNear2 with `mindist=1` (`where`: each word's positions)."""
    decode = searcher.schema[fieldname].format.decode_positions
    steps = range(1, max(slop, 1) + 1)

    def check(ids: Ids) -> npt.NDArray[np.bool_]:
        keep = np.ones(len(ids), dtype=np.bool_)
        reach: list[set[int]] = [set() for _ in range(len(ids))]  # where the phrase may be
        for number, found in enumerate(where):
            assert found is not None
            rows = np.flatnonzero(keep)
            for row, value in zip(rows.tolist(), found.of(ids[rows]), strict=True):
                here = decode(value)
                if number == 0:
                    reach[row] = set(here)
                else:
                    before = reach[row]
                    reach[row] = {p for p in here if any(p - d in before for d in steps)}
                if not reach[row]:
                    keep[row] = False
        return keep

    return check
