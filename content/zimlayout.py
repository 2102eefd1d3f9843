"""Where a ZIM archive stores each entry's content, read from the file itself: the one fact
of the format that libzim's Python binding does not tell (its C++ `Archive::iterEfficient`
walks entries in this order; the binding has no such walk).

libzim decompresses a whole cluster (a couple of megabytes of entries) to read any entry in
it, and keeps only a few decompressed clusters (16 MB). Articles read in id order (by path)
jump from cluster to cluster: on the bench's synthetic 100,000-article archive each read
cost 3.5 ms, most of a section build's time. Read in cluster order, 0.03 ms.

The layout (openzim.org, "ZIM file format"): a header of little-endian numbers (magic
72173914, versions, UUID, entry count, cluster count, then the position of the path pointer
list: one 8-byte file offset a directory entry, in entry-id order); a content entry's record
is mimetype (2 bytes), parameter length (1), namespace (1), revision (4), cluster number (4),
blob number (4), then its path and title, NUL-terminated; a redirect's (mimetype 0xffff)
holds a redirect index where the cluster number would be. A split archive (`X.zimaa`,
`X.zimab`, ...) is one file cut in pieces.
"""

from __future__ import annotations

import os
import struct
from collections.abc import Sequence
from pathlib import Path

MAGIC = 72173914
_HEADER = struct.Struct("<IHH16sIIQ")  # magic, major, minor, uuid, entries, clusters, paths
_POINTER = struct.Struct("<Q")
_RECORD = struct.Struct("<HBcIII")  # mimetype, parameter length, namespace, revision, ...
REDIRECT = 0xFFFF
_LAST = (1 << 64) - 1


class LayoutError(Exception):
    """The file does not read as the format describes."""


class _Parts:
    """The parts of an archive read as one file."""

    def __init__(self, paths: Sequence[Path]) -> None:
        self._files: list[tuple[int, int, int]] = []  # (start, size, fd)
        start = 0
        try:
            for path in paths:
                fd = os.open(path, os.O_RDONLY)
                size = os.fstat(fd).st_size
                self._files.append((start, size, fd))
                start += size
        except OSError:
            self.close()
            raise

    def read(self, offset: int, count: int) -> bytes:
        out = b""
        for start, size, fd in self._files:
            if offset < start + size and offset + count > start:
                at = max(offset, start)
                end = min(offset + count, start + size)
                out += os.pread(fd, end - at, at - start)
        return out

    def close(self) -> None:
        for _start, _size, fd in self._files:
            os.close(fd)
        self._files = []


def storage_keys(paths: Sequence[Path], ids: Sequence[int]) -> list[int]:
    """For each entry id, a number ordering entries as their content is stored (cluster
    number, then blob number); redirects last. Raises LayoutError or OSError."""
    parts = _Parts(paths)
    try:
        header = parts.read(0, _HEADER.size)
        if len(header) < _HEADER.size:
            raise LayoutError("shorter than a ZIM header")
        magic, _major, _minor, _uuid, entries, _clusters, pointers = _HEADER.unpack(header)
        if magic != MAGIC:
            raise LayoutError("not a ZIM file")
        keys = []
        for entry in ids:
            if not 0 <= entry < entries:
                raise LayoutError(f"entry {entry} out of range")
            (where,) = _POINTER.unpack(parts.read(pointers + 8 * entry, 8))
            record = parts.read(where, _RECORD.size)
            if len(record) < _RECORD.size:
                raise LayoutError(f"entry {entry}: record past the end")
            mimetype, _parameters, _namespace, _revision, cluster, blob = _RECORD.unpack(record)
            keys.append(_LAST if mimetype == REDIRECT else cluster << 32 | blob)
        return keys
    finally:
        parts.close()


def entry_path(paths: Sequence[Path], entry: int) -> str:
    """An entry's namespace and path (`C/Page`, `A/Page`), to check that the records were
    read right (libzim names it `Page` in a new-scheme archive, `A/Page` in an old one)."""
    parts = _Parts(paths)
    try:
        header = parts.read(0, _HEADER.size)
        pointers = _HEADER.unpack(header)[6]
        (where,) = _POINTER.unpack(parts.read(pointers + 8 * entry, 8))
        record = parts.read(where, _RECORD.size + 1024)
        mimetype, _parameters, namespace, _revision, _cluster, _blob = _RECORD.unpack_from(record)
        start = _RECORD.size - (4 if mimetype == REDIRECT else 0)
        path = record[start : record.index(b"\0", start)].decode("utf-8")
        return f"{namespace.decode('ascii')}/{path}"
    finally:
        parts.close()
