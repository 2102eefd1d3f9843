"""Index writers with two costs of Whoosh's writing removed (fixes 4 and 5), wired into the
writers termpedia creates (subclasses), never into Whoosh's own classes.

4. `PostingPool.add`, called for every posting of a build, asserts the types of what it is
given (its callers are Whoosh's own writer) and adds up a size estimate in nine steps: a
tenth of a build's writing, for checks that never fail here.

5. A large build sorts its postings in runs written to temporary files (`SortingPool`),
pickling and unpickling each posting with its own call: a fifth of a build process's time
at 10k sections. Runs are written and read here in chunks of `RUN_CHUNK` postings, one
pickle each (the format of these files is private to the process that writes and reads
them, and both use these methods).

Whoosh's `SegmentWriter` makes its pool itself (it takes a `poolclass` argument and does not
use it), so `Writer` replaces the pool it made; a parallel build's sub-writers run in other
processes, made by `SubWriterTask.run`, so `ParallelWriter` starts tasks of its own whose
writer is a `Writer` too.
"""

from __future__ import annotations

import pickle
from collections.abc import Iterable, Iterator
from typing import Any

from whoosh.multiproc import MpWriter, SubWriterTask, finish_subsegment
from whoosh.writing import PostingPool, SegmentWriter

RUN_CHUNK = 4096
"""Postings pickled together in a sorting run (fix 5)."""


class Pool(PostingPool):  # type: ignore[misc]
    """Whoosh's posting pool with fixes 4 and 5."""

    def add(self, item: tuple[str, bytes, int, float, bytes | None]) -> None:
        # item = (fieldname, tbytes, docnum, weight, vbytes); Whoosh's estimate of its size.
        self.fieldnames.add(item[0])
        self.currentsize += 150 + len(item[0]) + 2 * len(item[1]) + len(item[4] or b"")
        if self.currentsize > self.limit:
            self.save()
        self.current.append(item)

    def _write_run(self, f: Any, items: Iterable[Any]) -> None:
        chunk: list[Any] = []
        for item in items:  # a sorted list, or a merge of runs
            chunk.append(item)
            if len(chunk) >= RUN_CHUNK:
                pickle.dump(chunk, f, pickle.HIGHEST_PROTOCOL)
                chunk = []
        if chunk:
            pickle.dump(chunk, f, pickle.HIGHEST_PROTOCOL)
        f.close()

    def _read_run(self, path: str) -> Iterator[Any]:
        f = self._open_run(path)
        try:
            while True:
                yield from pickle.load(f)
        except EOFError:
            return
        finally:
            f.close()
            self._remove_run(path)


def _use_pool(writer: SegmentWriter, limitmb: int) -> None:
    """Replace the pool Whoosh's writer made (empty yet) by a `Pool`."""
    writer.pool = Pool(writer._tempstorage, writer.newsegment, limitmb=limitmb)


class Writer(SegmentWriter):  # type: ignore[misc]
    """A segment writer whose pool is a `Pool`."""

    def __init__(self, ix: Any, limitmb: int = 128, **kwargs: Any) -> None:
        super().__init__(ix, limitmb=limitmb, **kwargs)
        _use_pool(self, limitmb)


class _Task(SubWriterTask):  # type: ignore[misc]
    """Whoosh's sub-writer process, writing with a `Writer`."""

    def run(self) -> None:
        # SubWriterTask.run, with Writer for SegmentWriter.
        ix = self.storage.open_index(self.indexname)
        writer = self.writer = Writer(ix, _lk=False, **self.kwargs)
        while self.running:
            job = self.jobqueue.get()
            if job is None:
                break
            self._process_file(*job)
        if not self.running:
            writer.cancel()
            return
        if self.multisegment:
            result = (None, writer.pool.fieldnames, writer._finalize_segment())
        else:
            result = finish_subsegment(writer, self.kwargs.get("k", 64))
        self.resultqueue.put(result, timeout=5)


class ParallelWriter(MpWriter):  # type: ignore[misc]
    """Whoosh's multi-process writer, its own pool and its sub-writers' pools `Pool`s."""

    def __init__(self, ix: Any, procs: int, limitmb: int = 128, **kwargs: Any) -> None:
        super().__init__(ix, procs=procs, limitmb=limitmb, **kwargs)
        _use_pool(self, limitmb)

    def _new_task(self) -> _Task:
        task = _Task(
            self.storage,
            self.indexname,
            self.jobqueue,
            self.resultqueue,
            self.subargs,
            self.multisegment,
        )
        self.tasks.append(task)
        task.start()
        return task
