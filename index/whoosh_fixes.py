"""Five fixes for Whoosh (whoosh-reloaded 2.7.5), applied once on import.

1. A cost in the per-document reader:

`W3PerDocReader._cached_reader` caches the length-column readers it finds but not the fields
that have none (ID and KEYWORD fields), so while a segment is written every posting of such a
field costs a `stat()` of a file that does not exist. That was 13% of a build's time here.

2. An endless loop in AndMaybeMatcher.skip_to_quality (see below), which searching with
title and heading matches as optional boosts runs into.

3. Another cost of writing: `FieldWriter.add_postings` reads a document's field length from
the new segment's length column once per posting (every word of a section), though it is one
number per document and field (see `_LengthsOnce`).

4. `PostingPool.add`, called for every posting of a build, asserts the types of what it is
given (this module's callers are Whoosh's own writer) and adds up a size estimate in nine
steps: a tenth of a build's writing, for checks that never fail here.

5. A large build sorts its postings in runs written to temporary files (`SortingPool`),
pickling and unpickling each posting with its own call: a fifth of a build process's time
at 10k sections. Runs are written and read here in chunks of `RUN_CHUNK` postings, one
pickle each (the format of these files is private to the process that writes and reads
them, and both use these functions).
"""

from __future__ import annotations

import pickle
from collections.abc import Iterable, Iterator
from typing import Any

from whoosh import externalsort, writing
from whoosh.codec import base, whoosh3
from whoosh.matching.binary import AndMaybeMatcher
from whoosh.matching.mcore import ReadTooFar

_MISSING = object()


def _cached_reader(self: Any, fieldname: str, column: Any) -> Any:
    readers = self._readers
    found = readers.get(fieldname, _MISSING)
    if found is _MISSING:
        found = self.column_reader(fieldname, column) if self.has_column(fieldname) else None
        readers[fieldname] = found
    return found


whoosh3.W3PerDocReader._cached_reader = _cached_reader


def _and_maybe_skip_to_quality(self: Any, minquality: float) -> int:
    """AndMaybeMatcher.skip_to_quality without its endless loop.

    Whoosh's version loops while the two block qualities stay below `minquality`; when a
    sub-matcher can skip no block (it returns 0 and its quality stays the same) it never
    ends: a two-word query at 100k sections hung here. Skipping is only an optimisation,
    so stop as soon as a round skips nothing.
    """
    a, b = self.a, self.b
    if not a.is_active():
        raise ReadTooFar
    if not b.is_active():
        return int(a.skip_to_quality(minquality))
    skipped = 0
    a_quality, b_quality = a.block_quality(), b.block_quality()
    while a.is_active() and b.is_active() and a_quality + b_quality < minquality:
        if a_quality < b_quality:
            count = a.skip_to_quality(minquality - b_quality)
            a_quality = a.block_quality()
        else:
            count = b.skip_to_quality(minquality - a_quality)
            b_quality = b.block_quality()
        if not count:
            break
        skipped += count
    return skipped


AndMaybeMatcher.skip_to_quality = _and_maybe_skip_to_quality


class _LengthsOnce:
    """The `lengths` given to `add_postings`, read once per field into a list: the column
    read (a seek and an unpacking) was 12% of a build, repeated for every word."""

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


_add_postings = base.FieldWriter.add_postings


def _add_postings_lengths_once(self: Any, schema: Any, lengths: Any, items: Any) -> Any:
    if lengths is not None and hasattr(lengths, "doc_count_all"):
        lengths = _LengthsOnce(lengths)
    return _add_postings(self, schema, lengths, items)


base.FieldWriter.add_postings = _add_postings_lengths_once


def _pool_add(self: Any, item: tuple[str, bytes, int, float, bytes | None]) -> None:
    # item = (fieldname, tbytes, docnum, weight, vbytes); Whoosh's estimate of its size.
    self.fieldnames.add(item[0])
    self.currentsize += 150 + len(item[0]) + 2 * len(item[1]) + len(item[4] or b"")
    if self.currentsize > self.limit:
        self.save()
    self.current.append(item)


writing.PostingPool.add = _pool_add


RUN_CHUNK = 4096
"""Postings pickled together in a sorting run (fix 5)."""


def _write_run(self: Any, f: Any, items: Iterable[Any]) -> None:
    chunk: list[Any] = []
    for item in items:  # a sorted list, or a merge of runs
        chunk.append(item)
        if len(chunk) >= RUN_CHUNK:
            pickle.dump(chunk, f, pickle.HIGHEST_PROTOCOL)
            chunk = []
    if chunk:
        pickle.dump(chunk, f, pickle.HIGHEST_PROTOCOL)
    f.close()


def _read_run(self: Any, path: str) -> Iterator[Any]:
    f = self._open_run(path)
    try:
        while True:
            yield from pickle.load(f)
    except EOFError:
        return
    finally:
        f.close()
        self._remove_run(path)


externalsort.SortingPool._write_run = _write_run
externalsort.SortingPool._read_run = _read_run
