"""Posting lists and length columns of a W3 index read straight into arrays, for
index/scoring.py: whole blocks at a time from the postings file (the layout: `codec`) and
the length column's bytes, instead of Whoosh's one-posting-at-a-time matchers."""

from __future__ import annotations

import io
import pickle
import struct
from collections.abc import Callable

import numpy as np
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, WHOOSH3_HEADER_MAGIC, _lenfield
from whoosh.matching import ListMatcher
from whoosh.matching.wrappers import FilterMatcher
from whoosh.util.numeric import byte_to_length

from ..arrays import Floats, Ids, PostingReader, TermPostings, Unsupported, decoded_places
from .codec import (
    MARKS,
    POSITIONS_MARK,
    ArrayLeafMatcher,
    block_numbers,
    block_values,
    packed_arrays,
    positions_values,
    value_at,
)
from .numbers import unpack_ids, unpack_weights

_LENGTH_OF_BYTE = np.array([byte_to_length(b) or 0 for b in range(256)], dtype=np.float64)
_BLOCK_LENGTH = struct.Struct("!i")


class _Positions:
    """The positions of a term's postings, unpacked a block at a time when a phrase asks
    for them."""

    def __init__(self) -> None:
        self.ids: list[Ids] = []  # per block: the docnums (with deleted ones)
        self.blocks: list[tuple[bytes, bool, int]] = []  # data, compressed, count
        self._decoded: dict[int, bytes] = {}
        self._parsed: dict[int, tuple[Ids, Ids]] = {}  # a packed block's counts, distances
        self._split: dict[int, tuple[bytes, ...]] = {}  # a packed block's values, for `of`
        self._all: Ids | None = None
        self._starts: Ids | None = None

    def add(self, ids: Ids, data: bytes, compressed: bool) -> None:
        self.ids.append(ids)
        self.blocks.append((data, compressed, len(ids)))

    def _where(self, ids: Ids) -> tuple[list[int], list[int]]:
        """The block of each of these documents, and its number in that block."""
        if self._all is None:
            self._all = np.concatenate(self.ids) if self.ids else np.zeros(0, np.int64)
            self._starts = np.cumsum([0] + [len(i) for i in self.ids[:-1]])
        assert self._starts is not None
        at = np.searchsorted(self._all, ids)
        blocks = np.searchsorted(self._starts, at, side="right") - 1
        return blocks.tolist(), (at - self._starts[blocks]).tolist()

    def _values(self, block: int) -> bytes:
        values = self._decoded.get(block)
        if values is None:
            data, compressed, _count = self.blocks[block]
            values = self._decoded[block] = block_values(data, compressed)
        return values

    def _packed(self, block: int) -> bool:
        return self.blocks[block][0][:1] == POSITIONS_MARK

    def _arrays(self, block: int) -> tuple[Ids, Ids]:
        """A packed block's counts and distances, as stored (`codec.packed_arrays`)."""
        found = self._parsed.get(block)
        if found is None:
            found = packed_arrays(self._values(block), self.blocks[block][2])
            self._parsed[block] = found
        return found

    def of(self, ids: Ids) -> list[bytes]:
        """The encoded positions of these documents (each must have the term)."""
        blocks, numbers = self._where(ids)
        found = []
        for block, number in zip(blocks, numbers, strict=True):
            count = self.blocks[block][2]
            if self._packed(block):
                values = self._split.get(block)
                if values is None:  # a block's values split once, not once a document
                    values = self._split[block] = positions_values(self._values(block), count)
                found.append(values[number])
            else:
                found.append(value_at(self._values(block), count, number))
        return found

    def places(self, ids: Ids, decode: Callable[[bytes], list[int]]) -> tuple[Ids, Ids]:
        """(counts, positions) of these documents, as `decoded_places` gives them.

        A phrase of common words asks for documents spread over hundreds of blocks, a few
        in each: the blocks' arrays are joined and unpacked in one pass of numpy, not one
        pass a block (whose cost a call was most of such a query)."""
        blocks, numbers = self._where(ids)
        if not blocks:
            return np.zeros(0, np.int64), np.zeros(0, np.int64)
        needed = sorted(set(blocks))
        if not all(map(self._packed, needed)):  # values in the generic layout: one by one
            return decoded_places(self.of(ids), decode)
        parsed = [self._arrays(block) for block in needed]
        counts = np.concatenate([c for c, _ in parsed]).astype(np.int64)
        distances = np.concatenate([d for _, d in parsed]).astype(np.int64)
        # Each document's posting among the joined blocks', and where its distances start.
        offsets = np.cumsum([0] + [len(c) for c, _ in parsed[:-1]])
        which = np.searchsorted(np.array(needed), np.array(blocks))
        postings = offsets[which] + np.array(numbers, dtype=np.int64)
        lengths = counts[postings]
        starts = (np.cumsum(counts) - counts)[postings]
        before = np.cumsum(lengths) - lengths  # where each document's positions start below
        chosen = distances[np.arange(int(lengths.sum())) + np.repeat(starts - before, lengths)]
        sums = np.cumsum(chosen)
        return lengths, sums - np.repeat(sums[before] - chosen[before], lengths)


class W3Postings(PostingReader):
    """A searcher's postings and lengths, read from the W3 files as arrays."""

    def lengths(self, fieldname: str) -> Floats:
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

    def read(self, fieldname: str, text: bytes, positions: bool = False) -> TermPostings:
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
        return self.joined(ids, weights, where)

    def read_prefix(self, fieldname: str, prefix: str) -> TermPostings:
        # In one ordered walk of each segment's term dictionary from the prefix on: looking
        # each word up again costs three hash probes a word (a character may start hundreds).
        ids: list[Ids] = []
        weights: list[Floats] = []
        start = prefix.encode("utf-8")
        for reader, offset in self.leaves:
            terms = reader._terms
            for (name, text), info in terms.items_from(fieldname, start):
                if name != fieldname or not text.startswith(start):
                    break
                if info.is_inlined():
                    inlined_ids, inlined_weights, _values = info.inlined_postings()
                    ids.append(np.array(inlined_ids, dtype=np.int64) + offset)
                    weights.append(np.array(inlined_weights, dtype=np.float64))
                    continue
                at, length = info.extent()
                if isinstance(length, tuple):  # as in `_read_blocks`
                    length = length[0]
                _read_raw(terms._postfile.get(at, length), offset, ids, weights, None)
        return self.joined(ids, weights, None)

    def field_b(self, fieldname: str) -> float:
        weighting = self.searcher.weighting
        return float(weighting._field_B.get(fieldname, weighting.B))


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
    _read_raw(matcher._postfile.get(matcher._startoffset, length), offset, ids, weights, positions)


def _read_raw(
    raw: bytes,
    offset: int,
    ids: list[Ids],
    weights: list[Floats],
    positions: _Positions | None,
) -> None:
    """`_read_blocks` from the posting list's bytes."""
    stream = io.BytesIO(raw)
    at = len(WHOOSH3_HEADER_MAGIC)
    while True:
        size = _BLOCK_LENGTH.unpack_from(raw, at)[0]
        stream.seek(at + 4)
        count, _last_id, _max_weight, level, _min, _max = pickle.load(stream)
        end = at + 4 + abs(size)
        data = raw[stream.tell() : end]
        if data[:1] not in MARKS:
            raise Unsupported("a block in Whoosh's own layout")
        numbers = block_numbers(data)
        block_ids = np.cumsum(unpack_ids(numbers, count), dtype=np.int64)
        block_ids += offset
        ids.append(block_ids)
        found = unpack_weights(numbers, count)
        weights.append(np.ones(count) if found is None else found.astype(np.float64))
        if positions is not None:
            positions.add(block_ids, data, bool(level))
        if size < 0:  # the last block
            return
        at = end
