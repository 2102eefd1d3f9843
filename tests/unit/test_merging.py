"""index/w3/merging.py (fix 6): segments merged by copying their posting blocks hold exactly
what they held (every posting, stored field, field length and column value), in fewer and
smaller files; the tiered rule; Whoosh's own merging where a block cannot be copied."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from whoosh import index as whoosh_index
from whoosh.filedb.filestore import FileStorage

from termpedia.content.library import bundled_shelf, load_article
from termpedia.index import w3
from termpedia.index.documents import documents
from termpedia.index.schema import make_schema
from termpedia.index.w3 import codec, merging

pytestmark = pytest.mark.skipif(not w3.IN_USE, reason=f"plain Whoosh in use: {w3.PROBLEM}")


def bundled_documents(copies: int) -> list[dict[str, object]]:
    """The bundled articles' sections, `copies` times over (as libraries copy0, copy1, ...):
    enough documents for ids past 255 and 65,535-free lists longer than a block."""
    articles = [load_article(path) for path in sorted(bundled_shelf().root.glob("*.txt"))]
    return [
        doc
        for n in range(copies)
        for article in articles
        for doc in documents(article, f"copy{n}", "en")
    ]


def batched_index(folder: Path, docs: list[dict[str, object]], batch: int) -> Any:
    """An index written a commit per `batch` documents, Whoosh's merging off: a segment each."""
    folder.mkdir(parents=True)
    whoosh_index.create_in(str(folder), make_schema())
    ix = FileStorage(str(folder), supports_mmap=False).open_index()
    for start in range(0, len(docs), batch):
        with w3.writer(ix, limitmb=16) as writer:
            writer.merge = False
            for doc in docs[start : start + batch]:
                writer.add_document(**doc)
    return FileStorage(str(folder), supports_mmap=False).open_index()


def everything(ix: Any) -> dict[str, object]:
    """All an index holds, document by document and term by term."""
    with ix.reader() as reader:
        count = reader.doc_count_all()
        fields = ("title", "heading", "body", "names", "near", "short", "links")
        postings = {}
        for fieldname, text in reader.all_terms():
            matcher = reader.postings(fieldname, text)
            found = []
            while matcher.is_active():
                found.append((matcher.id(), matcher.weight(), matcher.value()))
                matcher.next()
            info = reader.term_info(fieldname, text)
            postings[(fieldname, text)] = (
                found,
                info.weight(),
                info.doc_frequency(),
                info.min_id(),
                info.max_id(),
                info.max_weight(),
            )
        return {
            "count": count,
            "stored": [reader.stored_fields(n) for n in range(count)],
            "lengths": [[reader.doc_field_length(n, f) for f in fields] for n in range(count)],
            "totals": [reader.field_length(f) for f in fields],
            "postings": postings,
        }


def size(folder: Path) -> int:
    return sum(path.stat().st_size for path in folder.iterdir() if path.is_file())


@pytest.fixture(autouse=True)
def small_blocks(monkeypatch: pytest.MonkeyPatch) -> None:
    """Blocks of 128 postings, so that these few hundred sections' lists span several."""
    monkeypatch.setattr(codec, "BLOCK_POSTINGS", 128)


@pytest.fixture(scope="module")
def docs() -> list[dict[str, object]]:
    return bundled_documents(3)


def test_a_final_merge_keeps_every_posting_and_document(
    tmp_path: Path, docs: list[dict[str, object]]
) -> None:
    ix = batched_index(tmp_path / "a", docs, batch=40)
    assert len(ix._segments()) > 8
    before = everything(ix)
    assert len(docs) > 300  # later segments' ids pass 255: their first ids are re-encoded
    longest = max(len(p[0]) for p in before["postings"].values())
    assert longest > codec.BLOCK_POSTINGS  # lists of several blocks
    shutil.copytree(tmp_path / "a", tmp_path / "b")
    merged = FileStorage(str(tmp_path / "b"), supports_mmap=False).open_index()
    assert w3.merge(merged, final=True) == len(ix._segments())
    merged = FileStorage(str(tmp_path / "b"), supports_mmap=False).open_index()
    assert len(merged._segments()) == 1
    assert everything(merged) == before
    assert size(tmp_path / "b") < 0.7 * size(tmp_path / "a")


def test_a_merge_reads_its_segments_without_copying_them_into_memory(
    tmp_path: Path, docs: list[dict[str, object]]
) -> None:
    """Whoosh's memory-mapped compound files copy each file they open into a BytesIO: a
    merge held every segment it read in private memory (600 MB a part at 100,000 articles).
    The Python memory a final merge allocates stays well under the segments' size."""
    import tracemalloc

    ix = batched_index(tmp_path / "a", docs * 10, batch=500)
    segments = list(ix._segments())
    assert len(segments) >= 4 and all(segment.is_compound() for segment in segments)
    total = size(tmp_path / "a")
    tracemalloc.start()
    try:
        assert w3.merge(ix, final=True) == len(segments)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert total > 3_000_000
    assert peak < total / 2, f"{peak:,} bytes allocated merging {total:,} bytes of segments"


def test_a_merge_that_lets_go_of_the_pages_it_read_keeps_everything(
    tmp_path: Path, docs: list[dict[str, object]], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The merge drops the pages it has read from its memory now and then (madvise): what it
    reads after that comes back from the files, the same."""
    ix = batched_index(tmp_path / "a", docs, batch=40)
    before = everything(ix)
    forgotten: list[int] = []
    forget = merging._MappedCompound.forget

    def counted(self: Any) -> None:
        forgotten.append(1)
        forget(self)

    monkeypatch.setattr(merging._Forgetting, "EVERY", 7)
    monkeypatch.setattr(merging._MappedCompound, "forget", counted)
    assert w3.merge(ix, final=True) > 1
    assert len(forgotten) > 100
    merged = FileStorage(str(tmp_path / "a"), supports_mmap=False).open_index()
    assert everything(merged) == before


def test_search_finds_and_ranks_the_same_after_merging(
    tmp_path: Path, docs: list[dict[str, object]]
) -> None:
    from whoosh.qparser import QueryParser

    ix = batched_index(tmp_path / "a", docs, batch=150)
    queries = ["encyclopedia", "search index", '"section tree"', "keyboard OR links", "revolution"]
    parser = QueryParser("body", ix.schema)

    def ranked(index: Any) -> list[list[tuple[str, float]]]:
        with index.searcher() as searcher:
            return [
                [(hit["key"], round(hit.score, 6)) for hit in searcher.search(parser.parse(q))]
                for q in queries
            ]

    before = ranked(ix)
    assert all(before)
    w3.merge(ix, final=True)
    after = ranked(FileStorage(str(tmp_path / "a"), supports_mmap=False).open_index())
    assert after == before


def test_the_tiered_rule_merges_a_full_tier_and_keeps_the_rest() -> None:
    factor = merging.FACTOR
    assert merging.plan([100] * (factor - 1), final=False) == []
    assert merging.plan([100] * factor, final=False) == list(range(factor))
    # A big segment is in a tier of its own; the small ones merge when they are `factor`.
    counts = [100 * factor * factor, *([100] * factor), 100]
    assert merging.plan(counts, final=False) == list(range(1, factor + 1))
    assert merging.plan([5, 7], final=True) == [0, 1]
    assert merging.plan([5], final=True) == []


def test_batches_merged_as_they_come_stay_few(
    tmp_path: Path, docs: list[dict[str, object]]
) -> None:
    folder = tmp_path / "ix"
    folder.mkdir()
    whoosh_index.create_in(str(folder), make_schema())
    ix = FileStorage(str(folder), supports_mmap=False).open_index()
    most = 0
    for start in range(0, len(docs), 10):
        with w3.writer(ix, limitmb=16) as writer:
            writer.merge = False
            for doc in docs[start : start + 10]:
                writer.add_document(**doc)
        w3.merge(ix)
        ix = FileStorage(str(folder), supports_mmap=False).open_index()
        most = max(most, len(ix._segments()))
    batches = -(-len(docs) // 10)
    assert batches > 4 * merging.FACTOR
    assert most < 2 * merging.FACTOR
    # The blocks copied as they are (not joined) hold what a segment per batch holds.
    assert everything(ix) == everything(batched_index(tmp_path / "unmerged", docs, batch=10))


def test_a_segment_with_deletions_is_merged_whooshs_way(
    tmp_path: Path, docs: list[dict[str, object]]
) -> None:
    ix = batched_index(tmp_path / "a", docs[:200], batch=50)
    gone = str(docs[3]["file"])
    with w3.writer(ix, limitmb=16) as writer:
        writer.merge = False
        removed = writer.delete_by_term("file", gone)
    assert removed
    w3.merge(ix, final=True)
    ix = FileStorage(str(tmp_path / "a"), supports_mmap=False).open_index()
    with ix.reader() as reader:
        assert reader.doc_count_all() == 200 - removed
        assert gone not in {reader.stored_fields(n)["file"] for n in range(reader.doc_count())}


def test_a_merge_that_fails_leaves_the_index_as_it_was(
    tmp_path: Path, docs: list[dict[str, object]], monkeypatch: pytest.MonkeyPatch
) -> None:
    ix = batched_index(tmp_path / "a", docs[:200], batch=50)
    before = everything(ix)

    def broken(*args: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(merging, "_copy_documents", broken)
    with pytest.raises(OSError):
        w3.merge(ix, final=True)
    monkeypatch.undo()
    again = FileStorage(str(tmp_path / "a"), supports_mmap=False).open_index()
    assert everything(again) == before
    assert w3.merge(again, final=True) == 4  # the lock was let go
