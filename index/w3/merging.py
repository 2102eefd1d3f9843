"""Fix 6: merging segments by copying their posting blocks, not their postings.

An index written a batch at a time (an archive's section index commits every `BATCH`
articles, so that a kill loses one batch) ends with a segment per batch, unless they are
merged: each segment has its own term dictionary and its own blocks for every term, so 200
segments store most words 200 times (measured: 8 segments of a 2,000-article archive were
39 MB, one segment 29 MB) and a query reads each of them. Whoosh merges segments by reading
every posting back into a sorting pool and writing it again, in Python: 21 s for 7,500
sections here, longer than indexing them. Its segments' documents are numbered in order,
though, so the merged posting list of a term is the segments' lists one after another, each
with its document numbers moved up by the documents before it: in this package's layout
(`codec`) that touches a block's first id and its header, not its postings.

`merge(ix, final)` merges by a tiered rule (`plan`): a commit at a time, `FACTOR` segments
of one size tier become one, so a build keeps a few segments per tier, and `final` merges
all. A segment with deleted documents, or a block in Whoosh's own layout, is merged Whoosh's
way instead (correct, slower). A kill at any moment loses nothing: the merged segment counts
only once Whoosh's TOC names it, and its leftover files are cleaned at the next commit.
"""

from __future__ import annotations

import copy
import heapq
import io
import math
import mmap
import pickle
import struct
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, WHOOSH3_HEADER_MAGIC, _lenfield
from whoosh.codec.whoosh3 import W3TermInfo as TermInfo
from whoosh.columns import TranslatingColumnReader
from whoosh.filedb.compound import CompoundStorage
from whoosh.filedb.filestore import FileStorage
from whoosh.filedb.structfile import BufferFile
from whoosh.reading import SegmentReader
from whoosh.system import pack_ushort

from .codec import (
    _LENGTH,
    MARKS,
    POSITIONS_MARK,
    block_numbers,
    block_values,
    join_positions,
    pack_values,
    postings_codec,
    split_values,
)
from .numbers import moved_up, pack_numbers, unpack_ids, unpack_weights
from .stored import STORED
from .writing import Writer

FACTOR = 8
"""Segments of one size tier merged into one (the tiers grow by this factor)."""
_SIZE = struct.Struct("!i")  # a block's size, as Whoosh's StructFile.write_int writes it


class _WhooshLayout(Exception):
    """A block in Whoosh's own layout: this segment is merged Whoosh's way."""


def plan(counts: list[int], final: bool) -> list[int]:
    """The positions of the segments (of these document counts, in the index's order) to
    merge into one now: all of them when `final`; else the first tier holding `FACTOR`
    segments, a tier being the segments within a factor of `FACTOR` of each other in size
    (counted from the smallest)."""
    if len(counts) < 2:
        return []
    if final:
        return list(range(len(counts)))
    smallest = max(1, min(counts))
    tiers: dict[int, list[int]] = {}
    for number, count in enumerate(counts):
        tier = int(math.log(max(count, 1) / smallest, FACTOR))
        tiers.setdefault(tier, []).append(number)
    for tier in sorted(tiers):
        if len(tiers[tier]) >= FACTOR:
            return tiers[tier][:FACTOR]
    return []


def merge(ix: Any, final: bool = False, limitmb: int = 48) -> int:
    """Merge the segments of `ix` that `plan` picks; the number of segments merged (0 when
    none). Takes the index's write lock (raises Whoosh's LockError when it is held)."""
    segments = list(ix._segments())
    chosen = plan([segment.doc_count_all() for segment in segments], final)
    if not chosen:
        return 0
    writer = Writer(ix, limitmb=limitmb, codec=postings_codec())
    picked = [segments[n] for n in chosen]

    def policy(writer: Writer, current: list[Any]) -> list[Any]:
        ids = {segment.segment_id() for segment in picked}
        merged = _copy_merge(writer, picked, join=final)
        # In the place of the first one merged: the documents keep their order.
        kept = []
        for segment in current:
            if segment.segment_id() not in ids:
                kept.append(segment)
            elif merged is not None:
                kept.append(merged)
                merged = None
        return kept  # (merged Whoosh's way: into the writer's own segment, added last)

    writer.commit(mergetype=policy)
    return len(chosen)


def _copy_merge(writer: Writer, segments: list[Any], join: bool) -> Any | None:
    """A new segment holding the documents of `segments` in order, their blocks copied; or
    None after adding them to `writer` Whoosh's way (a deletion, or Whoosh's own layout)."""
    schema = writer.schema
    # Read through memory maps: the copy reads every term and block once, and Whoosh's file
    # reads cost more than the copying (measured: half of a merge).
    storage = FileStorage(writer.storage.folder, supports_mmap=True)
    maps: list[_MappedCompound] = []
    readers = [SegmentReader(storage, schema, _mapped(segment, maps)) for segment in segments]
    try:
        if not any(reader.has_deletions() for reader in readers):
            try:
                return _write_copy(writer, readers, join, _Forgetting(maps))
            except _WhooshLayout:
                pass
        for reader in readers:
            writer.add_reader(reader)
        return None
    finally:
        for reader in readers:
            reader.close()


def _mapped(segment: Any, maps: list[_MappedCompound]) -> Any:
    """The segment, its compound file read through `_MappedCompound` (a copy of the segment
    object: Whoosh's own stays as it is), added to `maps`."""
    if not segment.is_compound():
        return segment
    view = copy.copy(segment)
    name = segment.make_filename(segment.COMPOUND_EXT)

    def open_compound_file(storage: Any) -> CompoundStorage:
        opened = _MappedCompound(storage.open_file(name), use_mmap=True)
        maps.append(opened)
        return opened

    view.open_compound_file = open_compound_file
    return view


class _MappedCompound(CompoundStorage):  # type: ignore[misc]
    """Whoosh's compound file over a memory map, its files opened as `_MappedFile`s."""

    def forget(self) -> None:
        """Let go of the map's pages read so far (they stay in the page cache: reading them
        again costs a minor fault). A merge reads each segment once through: without this,
        every page it read stayed in its resident memory, 1 GB and more at 100k articles."""
        if self._source and hasattr(mmap, "MADV_DONTNEED"):
            self._source.madvise(mmap.MADV_DONTNEED)

    def open_file(self, name: str, *args: Any, **kwargs: Any) -> Any:
        if not self._source:
            return super().open_file(name, *args, **kwargs)
        offset, length = self.range(name)
        return _MappedFile(memoryview(self._source)[offset : offset + length], name)


class _MappedFile(BufferFile):  # type: ignore[misc]
    """Whoosh's BufferFile without its copy of the whole file. BufferFile keeps a BytesIO of
    its buffer for stream reads, and BytesIO copies a memory map's slice: a merge held every
    segment it read in private memory, 600 MB a part at 100,000 articles. Here stream reads
    are slices of the map too (`_ViewStream`)."""

    def __init__(self, buf: memoryview, name: str) -> None:
        self._buf = buf
        self._name = name
        self.file = _ViewStream(buf)
        self.onclose = None
        self.is_real = False
        self.is_closed = False


class _ViewStream:
    """A read-only stream over a memoryview, as much of a file as StructFile and pickle use."""

    def __init__(self, view: memoryview) -> None:
        self._view = view
        self._at = 0

    def read(self, size: int | None = -1) -> bytes:
        end = len(self._view) if size is None or size < 0 else self._at + size
        data = bytes(self._view[self._at : end])
        self._at += len(data)
        return data

    def readline(self, size: int | None = -1) -> bytes:
        end = len(self._view) if size is None or size < 0 else self._at + size
        end = min(end, len(self._view))
        start = self._at
        while start < end:  # a piece at a time: the rest may be the whole file
            found = bytes(self._view[start : min(start + 4096, end)]).find(b"\n")
            if found >= 0:
                return self.read(start + found + 1 - self._at)
            start += 4096
        return self.read(end - self._at)

    def seek(self, offset: int, whence: int = 0) -> int:
        base = (0, self._at, len(self._view))[whence]
        self._at = max(0, base + offset)
        return self._at

    def tell(self) -> int:
        return self._at

    def close(self) -> None:
        pass  # the map is the compound file's, closed with it


class _Forgetting:
    """Calls `forget` on the merge's maps once every `EVERY` steps (terms or documents): at
    20,000, a final merge of a 100k-article archive's part held up to 65 MB of mapped pages
    between two calls; at 2,000, a few MB."""

    EVERY = 2_000

    def __init__(self, maps: list[_MappedCompound]) -> None:
        self._maps = maps
        self._steps = 0

    def step(self, steps: int = 1) -> None:
        self._steps += steps
        if self._steps >= self.EVERY:
            self._steps = 0
            for mapped in self._maps:
                mapped.forget()


def _write_copy(
    writer: Writer, readers: list[SegmentReader], join: bool, forgetting: _Forgetting
) -> Any:
    codec, storage, schema = writer.codec, writer.storage, writer.schema
    segment = codec.new_segment(storage, writer.indexname)
    bases = []
    total = 0
    for reader in readers:
        bases.append(total)
        total += reader.doc_count_all()
    field_writer = codec.field_writer(storage, segment)
    fields = _copy_fields(field_writer, schema, readers, bases, join, forgetting)
    _copy_documents(
        codec.per_document_writer(storage, segment), schema, readers, fields, forgetting
    )
    segment.set_doc_count(total)
    if segment.should_assemble():
        segment.create_compound_file(storage)
        segment.compound = True
    return segment


def _copy_documents(
    out: Any,
    schema: Any,
    readers: list[SegmentReader],
    fields: set[str],
    forgetting: _Forgetting,
) -> None:
    """Each document's stored fields (their compressed chunks as they are) and column values
    (field lengths, sortable fields), and each field's total length."""
    columns = [(_lenfield(name), LENGTHS_COLUMN) for name in sorted(fields)]
    columns += [(name, schema[name].column_type) for name in schema.names()]
    columns = [(name, kind) for name, kind in columns if kind is not None]
    # The stored fields are in compressed chunks of documents (`stored`): copied as they
    # are, not decompressed, unpickled, pickled and compressed again.
    stored_out = out._get_column("_stored")
    number = 0
    for reader in readers:
        perdoc = reader._perdoc
        base = number
        present = []
        for name, kind in columns:
            if perdoc.has_column(name):
                values = perdoc.column_reader(name, kind)
                if isinstance(values, TranslatingColumnReader):
                    values = values.raw_column()  # the values as stored, as Whoosh copies them
                present.append((name, kind, values))
        for doc in range(reader.doc_count_all()):
            out.start_doc(number)
            for name, kind, values in present:
                out.add_column_value(name, kind, values[doc])
            out.finish_doc()
            number += 1
            forgetting.step()
        if perdoc.has_column("_stored"):
            for first, count, data, zdict in perdoc.column_reader("_stored", STORED).chunks():
                stored_out.add_chunk(base + first, count, data, zdict)
                forgetting.step(count)  # a step a document, as above
        for name in fields:
            out._fieldlengths[name] += reader.field_length(name)
    out.close()


def _copy_fields(
    out: Any,
    schema: Any,
    readers: list[SegmentReader],
    bases: list[int],
    join: bool,
    forgetting: _Forgetting,
) -> set[str]:
    """Every term's posting blocks, segment after segment; the fields that have terms."""
    names = sorted({name for reader in readers for name in reader.indexed_field_names()})
    names = [name for name in names if name in schema]
    for name in names:
        out.start_field(name, schema[name])
        sources = [_terms(reader, name, number) for number, reader in enumerate(readers)]
        merged = heapq.merge(*sources)
        pending: list[tuple[int, TermInfo]] = []
        term = None
        for text, number, info in merged:
            if text != term and pending:
                _copy_term(out, term, pending, readers, bases, join)
                pending = []
                forgetting.step()
            term = text
            pending.append((number, info))
        if pending:
            _copy_term(out, term, pending, readers, bases, join)
        out.finish_field()
    out.close()
    return set(names)


def _terms(reader: SegmentReader, name: str, number: int) -> Iterator[tuple[bytes, int, Any]]:
    for (fieldname, text), info in reader._terms.items_from(name, b""):
        if fieldname != name:
            return
        yield text, number, info


def _copy_term(
    out: Any,
    text: bytes | None,
    sources: list[tuple[int, TermInfo]],
    readers: list[SegmentReader],
    bases: list[int],
    join: bool,
) -> None:
    """One term's posting list: the segments' blocks one after another, their document
    numbers moved up; with `join`, short blocks joined up to the block size (a word in a
    few sections of each segment would otherwise keep a block, and its header, per
    segment). Joining decodes the blocks: the final merge does it, once."""
    assert text is not None
    info = TermInfo()
    info._minlength = None
    blocks: list[_Block] = []
    for number, source in sources:
        if source.is_inlined():
            raise _WhooshLayout("inlined postings")
        offset, length = source.extent()
        if isinstance(length, tuple):  # W3TermInfo.from_bytes keeps struct.unpack's tuple
            length = length[0]
        raw = readers[number]._terms._postfile.get(offset, length)
        blocks.extend(_blocks(raw, bases[number]))
        info._weight += source._weight
        info._df += source._df
        low = source._minlength
        if low is not None and (info._minlength is None or low < info._minlength):
            info._minlength = low
        info._maxlength = max(info._maxlength, source._maxlength)
        info._maxweight = max(info._maxweight, source._maxweight)
        if info._minid is None:
            info._minid = source._minid + bases[number]
        info._maxid = source._maxid + bases[number]
    postfile = out._postfile
    start = postfile.tell()
    postfile.write(WHOOSH3_HEADER_MAGIC)
    codec = out._codec
    if join:
        size = out._format.fixed_value_size()
        blocks = _joined(blocks, size, codec._blocklimit, codec._compression)
    for place, block in enumerate(blocks):
        header = block.header or pickle.dumps(
            (block.count, block.last_id, block.max_weight, block.level, block.low, block.high), 2
        )
        written = len(header) + len(block.data)
        postfile.write_int(-written if place == len(blocks) - 1 else written)
        postfile.write(header)
        postfile.write(block.data)
    info.set_extent(start, postfile.tell() - start)
    out._tindex.add(pack_ushort(out._fieldid) + text, info.to_bytes())


@dataclass
class _Block:
    """A posting block in this package's layout (`codec`), its ids counted from 0."""

    count: int
    last_id: int
    max_weight: float
    level: int
    low: int
    high: int
    data: bytes
    header: bytes = b""
    """The block's header as read, when it still holds (else written from the fields)."""


def _blocks(raw: bytes, base: int) -> Iterator[_Block]:
    """The blocks of one segment's posting list, their ids moved up by `base`."""
    stream = io.BytesIO(raw)
    at = len(WHOOSH3_HEADER_MAGIC)
    while True:
        size = _SIZE.unpack_from(raw, at)[0]
        stream.seek(at + 4)
        count, last_id, max_weight, level, low, high = pickle.load(stream)
        end = at + 4 + abs(size)
        data = raw[stream.tell() : end]
        if data[:1] not in MARKS:
            raise _WhooshLayout("a block in Whoosh's own layout")
        if base:
            yield _Block(
                count, last_id + base, max_weight, level, low, high, _moved(data, count, base)
            )
        else:
            header = raw[at + 4 : stream.tell()]
            yield _Block(count, last_id, max_weight, level, low, high, data, header)
        if size < 0:  # the list's last block
            return
        at = end


def _moved(data: bytes, count: int, base: int) -> bytes:
    """A block's data with its first id (the deltas start from 0) moved up by `base`."""
    size = _LENGTH.unpack_from(data, 1)[0]
    numbers = moved_up(data[5 : 5 + size], count, base)
    return data[:1] + _LENGTH.pack(len(numbers)) + numbers + data[5 + size :]


def _joined(blocks: list[_Block], size: int | None, limit: int, compression: int) -> list[_Block]:
    """The blocks with runs of short ones joined, none longer than `limit` postings."""
    if len(blocks) < 2:
        return blocks
    out: list[_Block] = []
    run: list[_Block] = []
    for block in blocks:
        if run and sum(b.count for b in run) + block.count > limit:
            out.append(_join(run, size, compression))
            run = []
        run.append(block)
    out.append(_join(run, size, compression))
    return out


def _join(run: list[_Block], size: int | None, compression: int) -> _Block:
    if len(run) == 1:
        return run[0]
    ids: list[Any] = []
    weights: list[Any] = []
    values: list[bytes] = []
    unjoined: list[tuple[bytes, int]] = []  # blocks of positions, joined as they are packed
    positions = run[0].data[:1] == POSITIONS_MARK
    for block in run:
        numbers = block_numbers(block.data)
        ids.append(np.cumsum(unpack_ids(numbers, block.count), dtype=np.int64))
        found = unpack_weights(numbers, block.count)
        weights.append(np.ones(block.count) if found is None else found.astype(np.float64))
        if size != 0:
            rest = block_values(block.data, bool(block.level))
            if positions:
                unjoined.append((rest, block.count))
            elif size is None:
                values.extend(split_values(rest, block.count, None) or ())  # type: ignore[arg-type]
            else:
                values.append(rest)
    joined = np.concatenate(ids)
    numbers = pack_numbers(np.diff(joined, prepend=0), np.concatenate(weights))
    if positions:
        mark, rest = POSITIONS_MARK, join_positions(unjoined)
    else:
        mark, rest = pack_values(values, size, False)
    level = 0
    if compression and rest:
        packed = zlib.compress(rest, compression)
        if len(packed) < len(rest):
            rest, level = packed, compression
    return _Block(
        count=len(joined),
        last_id=int(joined[-1]),
        max_weight=max(b.max_weight for b in run),
        level=level,
        low=min(b.low for b in run),
        high=max(b.high for b in run),
        data=mark + _LENGTH.pack(len(numbers)) + numbers + rest,
    )
