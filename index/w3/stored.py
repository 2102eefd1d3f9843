"""Fix 8: stored fields compressed a run of documents at a time, with a dictionary.

Whoosh compresses each document's stored fields (a pickled dict: here a section's key,
title, heading and display text) on its own. A section's few hundred bytes hardly shrink
alone, and every document repeats the field names: on a ZIM archive's index of 750k
sections the stored fields were 37% of it. Here the pickles of consecutive documents are
joined into chunks of about CHUNK_BYTES, each compressed whole with a preset dictionary
(zlib's zdict) of the words most frequent in the column's first SAMPLE_BYTES. Measured on
a part of the zim10k tier's index: 22.1 MB with Whoosh's column, 14.2 MB in chunks, 12.0 MB
in chunks with one dictionary (12.7 MB as built, its chunks keeping each batch's
dictionary). Reading a document decompresses its chunk (about 60 µs); the last chunk read is
kept, since a list of hits or a walk over every document reads neighbours. A merge copies
chunks as they are, with their dictionary (`Writer.add_chunk`), instead of decompressing
and compressing them again; a column keeps each distinct dictionary once.

The column: the compressed chunks one after another, the dictionaries joined, then arrays
of one number a dictionary (its end, uint32) and a chunk (its first document and document
count as uint32, its dictionary as uint16, its end offset as uint64), then the number of
chunks and of dictionaries (uint32 each). A chunk is zlib(each document's end offset as
uint32 ‖ the pickles joined); a document without stored fields has an empty pickle.
"""

from __future__ import annotations

import pickle
import re
import struct
import zlib
from array import array
from bisect import bisect_right
from collections import Counter
from collections.abc import Iterator
from itertools import accumulate
from typing import Any

from whoosh.columns import Column, ColumnReader, ColumnWriter

from .raw import from_bytes, raw_bytes

CHUNK_BYTES = 16_384
"""Pickled bytes in a chunk before it is compressed: twice as large saved 4% more and took
twice as long to read a document."""
LEVEL = 3
"""zlib's level: level 6 saved another 4% and took twice as long to write."""
SAMPLE_BYTES = 65_536
"""Pickled bytes a column's dictionary is made from: those of its first documents."""
DICTIONARY_BYTES = 32_768
"""The largest dictionary zlib uses (its window)."""
_WORD = re.compile(rb"[0-9A-Za-z\x80-\xff]{3,}")
"""A word in a pickle's bytes: ASCII letters and digits, and any UTF-8 sequence (other scripts)."""
_TWO = struct.Struct("<II")
_END = struct.Struct("<I")


def dictionary(sample: bytes) -> bytes:
    """The words most frequent in `sample`, space-separated, the most frequent last (zlib
    codes a nearer match in fewer bits), at most DICTIONARY_BYTES."""
    chosen: list[bytes] = []
    size = 0
    for word, _count in Counter(_WORD.findall(sample)).most_common():
        if size + len(word) + 1 > DICTIONARY_BYTES:
            break
        chosen.append(word)
        size += len(word) + 1
    return b" ".join(reversed(chosen))


def _compress(data: bytes, zdict: bytes) -> bytes:
    packer = zlib.compressobj(LEVEL, zdict=zdict) if zdict else zlib.compressobj(LEVEL)
    return packer.compress(data) + packer.flush()


def _decompress(data: bytes, zdict: bytes) -> bytes:
    unpacker = zlib.decompressobj(zdict=zdict) if zdict else zlib.decompressobj()
    return unpacker.decompress(data) + unpacker.flush()


class ChunkedStoredColumn(Column):  # type: ignore[misc]
    """The `_stored` column of this package's codec (`codec.ArrayCodec`)."""

    def writer(self, dbfile: Any) -> Writer:
        return Writer(dbfile)

    def reader(self, dbfile: Any, basepos: int, length: int, doccount: int) -> Reader:
        return Reader(dbfile, basepos, length, doccount)


STORED = ChunkedStoredColumn()


class Writer(ColumnWriter):  # type: ignore[misc]
    def __init__(self, dbfile: Any) -> None:
        super().__init__(dbfile)
        self._firsts = array("I")
        self._counts = array("I")
        self._numbers = array("H")  # each chunk's dictionary
        self._ends = array("Q")
        self._written = 0
        self._dictionaries: dict[bytes, int] = {}
        self._own: bytes | None = None  # this column's dictionary, once sampled
        self._first = 0  # the first document of the pickles pending
        self._pickles: list[bytes] = []
        self._size = 0

    def add(self, docnum: int, value: Any) -> None:
        self.add_pickled(docnum, pickle.dumps(value, 2) if value is not None else b"")

    def add_pickled(self, docnum: int, pickled: bytes) -> None:
        if docnum < self._first + len(self._pickles):
            raise ValueError(f"stored fields of document {docnum} added twice or out of order")
        if not self._pickles:
            self._first = max(self._first, docnum)
        while self._first + len(self._pickles) < docnum:
            self._pickles.append(b"")  # a document without stored fields
        self._pickles.append(pickled)
        self._size += len(pickled)
        if self._size >= (CHUNK_BYTES if self._own is not None else SAMPLE_BYTES):
            self._flush()

    def add_chunk(self, first: int, count: int, data: bytes, zdict: bytes) -> None:
        """A chunk as another column holds it, with its dictionary, its first document
        here `first`."""
        self._flush()
        if first < self._first:
            raise ValueError(f"a chunk from document {first} after document {self._first}")
        self._write(first, count, data, zdict)

    def _flush(self) -> None:
        """The pending pickles compressed, in chunks of about CHUNK_BYTES."""
        if not self._pickles:
            return
        if self._own is None:
            self._own = dictionary(b"".join(self._pickles))
        run: list[bytes] = []
        size = 0
        for number, pickled in enumerate(self._pickles, 1):
            run.append(pickled)
            size += len(pickled)
            if size >= CHUNK_BYTES or number == len(self._pickles):
                ends = raw_bytes(array("I", accumulate(map(len, run))))
                data = _compress(ends + b"".join(run), self._own)
                self._write(self._first, len(run), data, self._own)
                run = []
                size = 0
        self._pickles = []
        self._size = 0

    def _write(self, first: int, count: int, data: bytes, zdict: bytes) -> None:
        number = self._dictionaries.setdefault(zdict, len(self._dictionaries))
        self._dbfile.write(data)
        self._written += len(data)
        self._firsts.append(first)
        self._counts.append(count)
        self._numbers.append(number)
        self._ends.append(self._written)
        self._first = first + count

    def finish(self, doccount: int) -> None:
        self._flush()
        dictionaries = list(self._dictionaries)  # in the order of their numbers
        self._dbfile.write(b"".join(dictionaries))
        self._dbfile.write(raw_bytes(array("I", accumulate(map(len, dictionaries)))))
        for numbers in (self._firsts, self._counts, self._numbers, self._ends):
            self._dbfile.write(raw_bytes(numbers))
        self._dbfile.write(_TWO.pack(len(self._firsts), len(dictionaries)))


class Reader(ColumnReader):  # type: ignore[misc]
    def __init__(self, dbfile: Any, basepos: int, length: int, doccount: int) -> None:
        super().__init__(dbfile, basepos, length, doccount)
        chunks, count = _TWO.unpack(dbfile.get(basepos + length - 8, 8)) if length else (0, 0)
        tables_at = basepos + length - 8 - 18 * chunks
        tables = dbfile.get(tables_at, 18 * chunks) if chunks else b""
        self._firsts = from_bytes("I", tables[: 4 * chunks])
        self._counts = from_bytes("I", tables[4 * chunks : 8 * chunks])
        self._numbers = from_bytes("H", tables[8 * chunks : 10 * chunks])
        self._ends = from_bytes("Q", tables[10 * chunks :])
        ends = from_bytes("I", dbfile.get(tables_at - 4 * count, 4 * count) if count else b"")
        joined_at = basepos + (self._ends[-1] if chunks else 0)
        joined = dbfile.get(joined_at, ends[-1]) if count else b""
        starts = [0, *ends][:-1]
        pairs = zip(starts, ends, strict=True)
        self._dictionaries: list[bytes] = [bytes(joined[a:b]) for a, b in pairs]
        self._last: tuple[int, bytes] = (-1, b"")  # the chunk read last, decompressed

    def __getitem__(self, docnum: int) -> Any:
        chunk = bisect_right(self._firsts, docnum) - 1
        if chunk < 0 or docnum - self._firsts[chunk] >= self._counts[chunk]:
            return None
        number, text = self._last
        if number != chunk:
            text = _decompress(self.raw_chunk(chunk), self.zdict(chunk))
            self._last = (chunk, text)
        count = self._counts[chunk]
        at = docnum - self._firsts[chunk]
        end = _END.unpack_from(text, 4 * at)[0]
        start = _END.unpack_from(text, 4 * (at - 1))[0] if at else 0
        pickled = text[4 * count + start : 4 * count + end]
        return pickle.loads(pickled) if pickled else None

    def __iter__(self) -> Iterator[Any]:
        for docnum in range(self._doccount):
            yield self[docnum]

    def raw_chunk(self, chunk: int) -> bytes:
        start = self._ends[chunk - 1] if chunk else 0
        return bytes(self._dbfile.get(self._basepos + start, self._ends[chunk] - start))

    def zdict(self, chunk: int) -> bytes:
        return self._dictionaries[int(self._numbers[chunk])]

    def chunks(self) -> Iterator[tuple[int, int, bytes, bytes]]:
        """(first document, documents, compressed bytes, dictionary) of every chunk."""
        for chunk in range(len(self._firsts)):
            yield self._firsts[chunk], self._counts[chunk], self.raw_chunk(chunk), self.zdict(chunk)
