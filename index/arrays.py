"""A searcher's postings as plain arrays (ids, weights, positions, lengths), the input of
index/scoring.py. `PostingReader` holds what every way of reading them shares; how the
postings themselves are read is its subclasses': `w3.postings.W3Postings` from the W3
files directly (fast), `plain.PlainPostings` through Whoosh's public matcher API."""

from __future__ import annotations

import threading
import weakref
from collections.abc import Callable
from dataclasses import dataclass
from itertools import chain
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt
from whoosh.idsets import BitSet
from whoosh.query import MultiTerm, Prefix, Term
from whoosh.searching import Searcher

Ids = npt.NDArray[np.int64]
Floats = npt.NDArray[np.float64]
Bools = npt.NDArray[np.bool_]


class Unsupported(Exception):
    """A query or a posting list the array path does not read; Whoosh's matchers do."""


class Positions(Protocol):
    def of(self, ids: Ids) -> list[bytes]:
        """The encoded positions of these documents (each must have the term)."""
        ...

    def places(self, ids: Ids, decode: Callable[[bytes], list[int]]) -> tuple[Ids, Ids]:
        """How many positions each of these documents has, and all of them one document
        after another (`decode`: the field format's, for values in any other layout)."""
        ...


def decoded_places(values: list[bytes], decode: Callable[[bytes], list[int]]) -> tuple[Ids, Ids]:
    """`Positions.places` of these encoded values, one at a time."""
    places = [decode(value) for value in values]
    counts = np.fromiter(map(len, places), dtype=np.int64, count=len(places))
    flat = np.fromiter(chain.from_iterable(places), dtype=np.int64, count=int(counts.sum()))
    return counts, flat


@dataclass
class TermPostings:
    """One term's postings over the whole index, deleted documents left out; with
    `positions`, a way to each document's encoded positions."""

    ids: Ids
    weights: Floats
    positions: Positions | None = None


class PostingReader:
    """What scoring reads of one searcher, once: field lengths, deleted documents, the
    documents of a library. Subclasses read the postings (`read`, `lengths`, `words`).

    Kept in a WeakKeyDictionary by searcher (`scoring`), so it holds the searcher weakly:
    a strong reference from the value would keep every replaced searcher alive."""

    def __init__(self, searcher: Searcher) -> None:
        self._searcher = weakref.ref(searcher)
        # Segment readers and where their document numbers start in the whole index.
        self.leaves: list[tuple[Any, int]] = [
            (leaf.reader(), offset) for leaf, offset in searcher.leaf_searchers()
        ]
        self.doc_count = int(searcher.doc_count_all())
        self._norms: dict[tuple[str, float, float], Floats] = {}
        self._allowed: dict[tuple[str, str], Bools] = {}
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

    # -- what subclasses read ------------------------------------------------------------

    def read(self, fieldname: str, text: bytes, positions: bool = False) -> TermPostings:
        """A term's postings over all segments, deleted documents included (`joined`
        leaves them out)."""
        raise NotImplementedError

    def lengths(self, fieldname: str) -> Floats:
        """Every document's length in the field, as Whoosh stores it (one byte, lossy)."""
        raise NotImplementedError

    def words(self, query: MultiTerm) -> set[bytes]:
        """The words of the index a prefix, wildcard or fuzzy term stands for."""
        found: set[bytes] = set()
        for reader, _offset in self.leaves:
            found.update(word for _field, word in query.expanded_terms(reader) if word)
        return found

    def read_prefix(self, fieldname: str, prefix: str) -> TermPostings:
        """The postings of every word starting with `prefix`, one list after another (a
        section holding several of them is in it once for each)."""
        words = sorted(self.words(Prefix(fieldname, prefix)))
        read = [self.read(fieldname, word) for word in words]
        return TermPostings(
            np.concatenate([p.ids for p in read]) if read else np.zeros(0, np.int64),
            np.concatenate([p.weights for p in read]) if read else np.zeros(0),
        )

    def field_b(self, fieldname: str) -> float:
        """BM25F's B for the field (the weighting's, unless set per field)."""
        return float(self.searcher.weighting.B)

    # -- shared --------------------------------------------------------------------------

    def joined(
        self, ids: list[Ids], weights: list[Floats], positions: Positions | None
    ) -> TermPostings:
        """Per-segment pieces as one list, deleted documents left out."""
        all_ids = np.concatenate(ids) if ids else np.zeros(0, np.int64)
        all_weights = np.concatenate(weights) if weights else np.zeros(0)
        if self.deleted is not None and len(all_ids):
            keep = ~self.deleted[all_ids]
            all_ids, all_weights = all_ids[keep], all_weights[keep]
        return TermPostings(all_ids, all_weights, positions)

    def allowed(self, only: Term) -> Bools:
        """Which documents a filter term (a library) lets through, read once per searcher:
        a library's postings are every one of its sections (100k ids to read at each search
        otherwise)."""
        key = (only.fieldname, only.text)
        found = self._allowed.get(key)
        if found is None:
            found = np.zeros(self.doc_count, dtype=np.bool_)
            field = self.searcher.schema[only.fieldname]
            found[self.read(only.fieldname, field.to_bytes(only.text)).ids] = True
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
