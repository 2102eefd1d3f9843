"""Postings read through Whoosh's public matcher API, one posting at a time: the arrays of
index/scoring.py when termpedia's W3 layout is not in use (`w3.PROBLEM`). Slower than
`w3.postings.W3Postings`, the same numbers."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from .arrays import Floats, Ids, PostingReader, TermPostings, decoded_places


class _ListedPositions:
    """The encoded positions of a term's postings, as the matcher gave them."""

    def __init__(self, ids: Ids, values: list[bytes]) -> None:
        self._ids = ids
        self._values = values

    def of(self, ids: Ids) -> list[bytes]:
        at = np.searchsorted(self._ids, ids).tolist()
        return [self._values[n] for n in at]

    def places(self, ids: Ids, decode: Callable[[bytes], list[int]]) -> tuple[Ids, Ids]:
        return decoded_places(self.of(ids), decode)


class PlainPostings(PostingReader):
    """A searcher's postings and lengths through `reader.postings` and
    `reader.doc_field_length`."""

    def read(self, fieldname: str, text: bytes, positions: bool = False) -> TermPostings:
        ids: list[int] = []
        weights: list[float] = []
        values: list[bytes] = []
        for reader, offset in self.leaves:
            if (fieldname, text) not in reader:
                continue
            matcher = reader.postings(fieldname, text)  # deleted documents left out
            while matcher.is_active():
                ids.append(matcher.id() + offset)
                weights.append(matcher.weight())
                if positions:
                    values.append(matcher.value())
                matcher.next()
        id_array = np.array(ids, dtype=np.int64)
        where = _ListedPositions(id_array, values) if positions else None
        return self.joined([id_array], [np.array(weights, dtype=np.float64)], where)

    def lengths(self, fieldname: str) -> Floats:
        parts = []
        for reader, _offset in self.leaves:
            count = reader.doc_count_all()
            read = reader.doc_field_length
            parts.append(np.array([read(n, fieldname) or 0 for n in range(count)], np.float64))
        return np.concatenate(parts) if parts else np.zeros(0)
