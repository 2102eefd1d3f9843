"""termpedia's codec: Whoosh's W3 codec with each posting block's numbers kept as raw arrays
apart from its positions, stored fields in chunks of documents (fix 8, `stored`), and three
of its costs while writing removed (fixes 1, 3 and 7).

Whoosh pickles a block of up to 128 postings as a tuple of Python objects (128 ints, 128
floats, 128 position strings) and compresses it whole. To rank a query of common words at
100k sections, reading the postings that way cost about 0.7 µs a posting in `pickle.loads`
and zlib, most of it on positions that only a phrase needs. Here a block's data is

    MARK, len(numbers) as 4 bytes, numbers, values

where `numbers` is the block's ids (as deltas) and weights, packed by `numbers` (mostly a
byte or two a posting, uncompressed). `values` is zlib(uint32 end offsets ‖ the values
joined) for variable-size values, the values joined for fixed-size ones, nothing when they
have no size. Blocks of positions (OnePassPositions' values) start with POSITIONS_MARK
instead, and their values are packed as two arrays (`pack_positions`): a third of the size
of the offsets and 4-byte numbers, which were half of a ZIM archive's index. The block's
header (its pickled statistics, which Whoosh reads to skip blocks) is unchanged, its
compression level telling whether the values are compressed. `scoring` turns `numbers` into
numpy arrays without touching the values, and Whoosh's own matchers read every block through
`ArrayLeafMatcher._read_data`, which rebuilds the tuple they expect. Blocks without MARK
(vector postings) keep Whoosh's layout.
"""

from __future__ import annotations

import pickle
import struct
import zlib
from array import array
from collections.abc import Iterator
from itertools import accumulate
from typing import Any

import numpy as np
from whoosh.codec.whoosh3 import (
    WHOOSH3_HEADER_MAGIC,
    W3Codec,
    W3FieldWriter,
    W3LeafMatcher,
    W3PerDocReader,
    W3PerDocWriter,
    W3PostingsWriter,
)
from whoosh.matching import ListMatcher
from whoosh.system import pack_uint
from whoosh.util.numeric import length_to_byte

from .numbers import _DTYPES, _SIZES, narrowest, pack_numbers, unpack_ids, unpack_weights
from .raw import from_bytes, raw_bytes
from .stored import STORED

MARK = b"\xa7"
"""First byte of a block in this layout; Whoosh's own start with zlib's 0x78 or pickle's 0x80."""
POSITIONS_MARK = b"\xa8"
"""First byte of a block in this layout whose values are positions packed by `pack_positions`."""
MARKS = (MARK, POSITIONS_MARK)
_LENGTH = struct.Struct("<I")


_NUMPY_FROM = 64
"""Postings in a block from which `pack_positions` packs them with numpy (its cost a call is
more than a short block's loop)."""


def pack_positions(values: list[bytes]) -> bytes:
    """Postings' positions, each as OnePassPositions encodes them (a 4-byte count, then
    4-byte positions), packed as two typecodes, every posting's count, then every position
    as its distance from the one before in the same posting (a posting's first from 0): most
    counts are 1 and most distances fit in two bytes."""
    if all(len(value) == 8 for value in values):  # one position each: the usual posting
        only = from_bytes("I", b"".join(values))[1::2]
        code = narrowest(max(only))
        return b"B" + code.encode() + bytes([1]) * len(values) + raw_bytes(array(code, only))
    if len(values) < _NUMPY_FROM:
        joined = from_bytes("I", b"".join(values))
        counts = array("I")
        deltas = array("I")
        at = 0
        for value in values:
            count = len(value) // 4 - 1
            counts.append(count)
            previous = 0
            for place in joined[at + 1 : at + 1 + count]:
                deltas.append(place - previous)
                previous = place
            at += count + 1
        count_code, delta_code = narrowest(max(counts)), narrowest(max(deltas))
        return (
            (count_code + delta_code).encode()
            + raw_bytes(array(count_code, counts))
            + raw_bytes(array(delta_code, deltas))
        )
    words = np.frombuffer(b"".join(values), dtype="<u4")
    sizes = np.fromiter(map(len, values), dtype=np.int64, count=len(values)) // 4
    keep = np.ones(len(words), dtype=bool)
    keep[np.cumsum(sizes) - sizes] = False  # each posting's count
    places = words[keep].astype(np.int64)
    counts_ = sizes - 1
    firsts = np.cumsum(counts_) - counts_
    deltas_ = np.empty_like(places)
    np.subtract(places[1:], places[:-1], out=deltas_[1:])
    deltas_[firsts] = places[firsts]  # a posting's first position (the block's first too)
    return _packed(counts_, deltas_)


def _packed(counts: Any, deltas: Any) -> bytes:
    """Numpy arrays of counts and distances as `pack_positions` packs them."""
    count_code, delta_code = narrowest(int(counts.max())), narrowest(int(deltas.max()))
    codes = (count_code + delta_code).encode()
    packed_counts: bytes = counts.astype(_DTYPES[count_code]).tobytes()
    packed_deltas: bytes = deltas.astype(_DTYPES[delta_code]).tobytes()
    return codes + packed_counts + packed_deltas


def packed_arrays(packed: bytes, count: int) -> tuple[Any, Any]:
    """(counts, distances) of a block's `count` postings packed by `pack_positions`, as
    numpy arrays over the bytes (no copy)."""
    count_code, delta_code = chr(packed[0]), chr(packed[1])
    counts = np.frombuffer(packed, _DTYPES[count_code], count, 2)
    return counts, np.frombuffer(packed, _DTYPES[delta_code], -1, 2 + count * _SIZES[count_code])


def join_positions(blocks: list[tuple[bytes, int]]) -> bytes:
    """Blocks packed by `pack_positions` (each with its count of postings) as one: the
    distances are within a posting, so the arrays are joined as they are."""
    parsed = [packed_arrays(packed, count) for packed, count in blocks]
    counts = np.concatenate([c.astype(np.uint32) for c, _ in parsed])
    deltas = np.concatenate([d.astype(np.uint32) for _, d in parsed])
    return _packed(counts, deltas)


def unpack_positions(packed: bytes, count: int) -> tuple[Any, Any]:
    """(counts, positions) of a block's `count` postings packed by `pack_positions`, as
    numpy int64 arrays: every posting's positions one after another."""
    stored, deltas = packed_arrays(packed, count)
    counts = stored.astype(np.int64)
    sums = np.cumsum(deltas, dtype=np.int64)
    firsts = np.cumsum(counts) - counts
    before = sums[firsts] - deltas[firsts]  # the sum up to each posting's first position
    return counts, sums - np.repeat(before, counts)


def positions_values(packed: bytes, count: int) -> tuple[bytes, ...]:
    """The postings of `pack_positions` as OnePassPositions encodes them, for Whoosh."""
    counts, places = unpack_positions(packed, count)
    flat = places.tolist()
    values = []
    at = 0
    for n in counts.tolist():
        values.append(pack_uint(n) + raw_bytes(array("I", flat[at : at + n])))
        at += n
    return tuple(values)


def pack_values(values: list[bytes], size: int | None, positions: bool) -> tuple[bytes, bytes]:
    """(the block's first byte, its values before compression), values of a fixed `size`
    (None: variable), `positions` when they are OnePassPositions'."""
    if not values or size == 0:
        return MARK, b""
    if size is not None:
        return MARK, b"".join(values)
    if positions:
        return POSITIONS_MARK, pack_positions(values)
    return MARK, raw_bytes(array("I", accumulate(map(len, values)))) + b"".join(values)


class ArrayCodec(W3Codec):  # type: ignore[misc]
    """The W3 codec writing and reading posting blocks in the layout above, with its
    per-document reader and field writer replaced by the fixed ones below. Pickled into
    the index's TOC with each segment: moving or renaming it needs a new FORMAT (w3/)."""

    def per_document_reader(self, storage: Any, segment: Any) -> PerDocReader:
        return PerDocReader(storage, segment)

    def per_document_writer(self, storage: Any, segment: Any) -> PerDocWriter:
        return PerDocWriter(self, storage, segment)

    def field_writer(self, storage: Any, segment: Any) -> FieldWriter:
        return FieldWriter(self, storage, segment)

    def postings_writer(self, dbfile: Any, byteids: bool = False) -> W3PostingsWriter:
        return ArrayPostingsWriter(
            dbfile,
            blocklimit=self._blocklimit,
            byteids=byteids,
            compression=self._compression,
            inlinelimit=self._inlinelimit,
        )

    def postings_reader(
        self, dbfile: Any, terminfo: Any, format_: Any, term: Any = None, scorer: Any = None
    ) -> Any:
        if terminfo.is_inlined():
            ids, weights, values = terminfo.inlined_postings()
            return ListMatcher(
                ids, weights, values, format_, scorer=scorer, term=term, terminfo=terminfo
            )
        offset, length = terminfo.extent()
        return ArrayLeafMatcher(dbfile, offset, length, format_, term=term, scorer=scorer)


class ArrayPostingsWriter(W3PostingsWriter):  # type: ignore[misc]
    def add_posting(
        self, id_: int, weight: float, vbytes: bytes, length: int | None = None
    ) -> None:
        # Whoosh's, without its type assertions (a tenth of writing a posting).
        if len(self._ids) >= self._blocklimit:
            self._write_block()
        self._ids.append(id_)
        self._weights.append(weight)
        if weight > self._maxweight:  # type: ignore[has-type]
            self._maxweight = weight
        if vbytes:
            self._values.append(vbytes)
        if length:
            low, high = self._minlength, self._maxlength  # type: ignore[has-type]
            if low is None or length < low:
                self._minlength = length
            if length > high:
                self._maxlength = length

    def _write_block(self, last: bool = False) -> None:
        ids = self._ids
        values = self._values
        if self._byteids or (values and len(values) != len(ids)):
            W3PostingsWriter._write_block(self, last)  # Whoosh's layout
            return
        if not self._blockcount:
            self._postfile.write(WHOOSH3_HEADER_MAGIC)
        self._terminfo.add_block(self)
        deltas = array("I", ids)
        for n in range(len(deltas) - 1, 0, -1):
            deltas[n] -= deltas[n - 1]
        numbers = pack_numbers(deltas, self._weights)
        size = self._format.fixed_value_size()
        positions = getattr(self._format, "packs_positions", False)
        mark, rest = pack_values(values, size, positions)
        level = self._compression
        if level and rest:
            packed = zlib.compress(rest, level)
            if len(packed) < len(rest):
                rest = packed
            else:  # a short block: zlib's header and checksum would make it longer
                level = 0
        else:
            level = 0
        data = mark + _LENGTH.pack(len(numbers)) + numbers + rest
        info = (
            len(ids),
            ids[-1],
            self._maxweight,
            level,
            length_to_byte(self._minlength),
            length_to_byte(self._maxlength),
        )
        infobytes = pickle.dumps(info, 2)  # as Whoosh writes a block's header
        size_on_disk = len(infobytes) + len(data)
        self._postfile.write_int(-size_on_disk if last else size_on_disk)
        self._postfile.write(infobytes)
        self._postfile.write(data)
        self._blockcount += 1
        self._new_block()


_MISSING = object()


class PerDocReader(W3PerDocReader):  # type: ignore[misc]
    """Fix 1. `W3PerDocReader._cached_reader` caches the length-column readers it finds but
    not the fields that have none (ID and KEYWORD fields), so while a segment is written
    every posting of such a field cost a `stat()` of a file that does not exist: 13% of a
    build's time here. This one remembers that there is none."""

    def _cached_reader(self, fieldname: str, column: Any) -> Any:
        readers = self._readers
        found = readers.get(fieldname, _MISSING)
        if found is _MISSING:
            found = self.column_reader(fieldname, column) if self.has_column(fieldname) else None
            readers[fieldname] = found
        return found

    def stored_fields(self, docnum: int) -> dict[str, Any]:
        """Fix 8: from the chunked column (`stored`)."""
        reader = self._cached_reader("_stored", STORED)
        found = reader[docnum] if reader is not None else None
        return found if found is not None else {}


class PerDocWriter(W3PerDocWriter):  # type: ignore[misc]
    """Whoosh's, with the stored fields in chunks of documents (fix 8, `stored`)."""

    def _create_column(self, fieldname: str, column: Any) -> None:
        super()._create_column(fieldname, STORED if fieldname == "_stored" else column)


class FieldWriter(W3FieldWriter):  # type: ignore[misc]
    """Fix 3. `FieldWriter.add_postings` reads a document's field length from the new
    segment's length column once per posting (every word of a section), though it is one
    number per document and field: 12% of a build. Here the lengths are read once per
    field (`_LengthsOnce`).

    Fix 7. The term dictionary's writer (Whoosh's OrderedHashWriter) keeps a tuple of two
    Python ints for every term until the segment is closed, about 120 bytes a term: a
    segment of a million terms (a merged part of a 100,000-article archive) held some 150 MB
    for it. Here each of its 256 buckets keeps them in two arrays of 8-byte numbers
    (`_Bucket`); the file written is the same, byte for byte."""

    def __init__(self, codec: Any, storage: Any, segment: Any) -> None:
        super().__init__(codec, storage, segment)
        self._tindex.buckets = [_Bucket() for _ in range(256)]

    def add_postings(self, schema: Any, lengths: Any, items: Any) -> Any:
        if lengths is not None and hasattr(lengths, "doc_count_all"):
            lengths = _LengthsOnce(lengths)
        return super().add_postings(schema, lengths, items)


class _Bucket:
    """One of HashWriter's 256 buckets: the (hash, position) pairs it appends and reads back,
    kept as two arrays instead of a list of tuples."""

    __slots__ = ("hashes", "positions")

    def __init__(self) -> None:
        self.hashes = array("Q")
        self.positions = array("Q")

    def append(self, pair: tuple[int, int]) -> None:
        self.hashes.append(pair[0])
        self.positions.append(pair[1])

    def __len__(self) -> int:
        return len(self.hashes)

    def __iter__(self) -> Iterator[tuple[int, int]]:
        return zip(self.hashes, self.positions, strict=True)


class _LengthsOnce:
    """The `lengths` given to `add_postings`, read once per field into a list."""

    def __init__(self, lengths: Any) -> None:
        self._lengths = lengths
        self._by_field: dict[str, list[int]] = {}

    def doc_field_length(self, docnum: int, fieldname: str, default: int = 0) -> int:
        known = self._by_field.get(fieldname)
        if known is None:
            read = self._lengths.doc_field_length
            known = [read(n, fieldname) for n in range(self._lengths.doc_count_all())]
            self._by_field[fieldname] = known
        return known[docnum] if docnum < len(known) else default


def _parts(data: bytes) -> tuple[bytes, bytes]:
    size = _LENGTH.unpack_from(data, 1)[0]
    return data[5 : 5 + size], data[5 + size :]


def block_numbers(data: bytes) -> bytes:
    """A block's ids and weights, as `numbers` packs them."""
    return _parts(data)[0]


def block_values(data: bytes, compressed: bool) -> bytes:
    """The values part of a block's data in this layout (see `split_values`)."""
    rest = _parts(data)[1]
    return zlib.decompress(rest) if compressed and rest else rest


def split_values(
    rest: bytes, count: int, size: int | None, mark: bytes = MARK
) -> tuple[Any, ...] | bytes | None:
    """A block's values as Whoosh's matchers hold them (`mark`: the block's first byte)."""
    if size == 0 or not rest:
        return None
    if mark == POSITIONS_MARK:
        return positions_values(rest, count)
    if size is not None and size > 0:
        return rest
    ends = from_bytes("I", rest[: 4 * count])
    blob = rest[4 * count :]
    starts = [0, *ends[:-1]]
    return tuple(blob[a:b] for a, b in zip(starts, ends, strict=True))


def value_at(rest: bytes, count: int, number: int) -> bytes:
    """The `number`th value of a block's variable-size values (`block_values`)."""
    end = _LENGTH.unpack_from(rest, 4 * number)[0]
    start = _LENGTH.unpack_from(rest, 4 * (number - 1))[0] if number else 0
    return rest[4 * count + start : 4 * count + end]


class ArrayLeafMatcher(W3LeafMatcher):  # type: ignore[misc]
    """Whoosh's block matcher, reading blocks in either layout."""

    def _read_data(self) -> None:
        data = self._postfile.get(self._dataoffset, self._nextoffset - self._dataoffset)
        if data[:1] not in MARKS:
            W3LeafMatcher._read_data(self)
            return
        count = self._blocklength
        numbers = block_numbers(data)
        rest = block_values(data, bool(self._compression))
        deltas = unpack_ids(numbers, count).tolist()
        found = unpack_weights(numbers, count)
        weights = None if found is None else array("f", found.tolist())
        self._data = (deltas, weights, split_values(rest, count, self._fixedsize, data[:1]))


def postings_codec() -> ArrayCodec:
    """The codec every writer of an index uses, so that all its segments share one layout.
    zlib level 1: as small as Whoosh's default level 3 here, and that level was 5% of a
    build."""
    return ArrayCodec(compression=1, blocklimit=BLOCK_POSTINGS)


BLOCK_POSTINGS = 1024
"""Postings in a block (Whoosh writes 128). The ranker reads a word's whole list, and the
cost a block (its header, its arrays) was most of a query of common words. On the zim100k
tier (750k sections, 2026-12-03), the same ranker on an index of each: the full queries'
p95 44-50 -> 31-33 ms, and the index 1.2 -> 1.1 GB. A phrase check decompresses a whole
block's positions for a candidate in it; 4096 gained nothing more at 75k sections."""
