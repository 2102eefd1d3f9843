"""index/w3/stored.py: stored fields in compressed chunks of documents."""

from __future__ import annotations

import pickle
import random

import pytest
from whoosh.filedb.filestore import RamStorage

from termpedia.index.w3 import stored


def _column(documents: dict[int, object], count: int) -> stored.Reader:
    storage = RamStorage()
    out = storage.create_file("stored")
    writer = stored.STORED.writer(out)
    for docnum in sorted(documents):
        writer.add(docnum, documents[docnum])
    writer.finish(count)
    out.close()
    length = storage.file_length("stored")
    return stored.STORED.reader(storage.open_file("stored"), 0, length, count)


def test_every_document_reads_back_across_chunks_and_gaps(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(stored, "CHUNK_BYTES", 300)  # many chunks from a few hundred documents
    monkeypatch.setattr(stored, "SAMPLE_BYTES", 2000)
    rng = random.Random(7)
    documents: dict[int, object] = {
        n: {"key": f"lib/Title {n}#s", "text": "word " * rng.randrange(0, 60), "n": n}
        for n in range(400)
        if n % 7  # every seventh document has no stored fields
    }
    column = _column(documents, 402)  # and the last two neither
    assert len(column._firsts) > 20
    for n in [*range(402), 5, 399, 0, 200]:  # in order, then jumping back and forth
        assert column[n] == documents.get(n)
    assert list(column) == [documents.get(n) for n in range(402)]


def test_chunks_copied_into_another_column_keep_their_documents(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A merge's copy: the chunks of two columns one after another, the second's documents
    moved up by the first's count, none decompressed."""
    monkeypatch.setattr(stored, "CHUNK_BYTES", 200)
    monkeypatch.setattr(stored, "SAMPLE_BYTES", 200)
    first = {n: {"text": f"first {n} " * 5} for n in range(50)}
    second = {n: {"text": f"second {n} " * 5} for n in range(1, 30)}  # 0 has none
    storage = RamStorage()
    out = storage.create_file("merged")
    writer = stored.STORED.writer(out)
    for base, column in ((0, _column(first, 50)), (50, _column(second, 30))):
        for start, count, data, zdict in column.chunks():
            writer.add_chunk(base + start, count, data, zdict)
    writer.finish(80)
    out.close()
    merged = stored.STORED.reader(storage.open_file("merged"), 0, storage.file_length("merged"), 80)
    assert [merged[n] for n in range(80)] == [
        *(first[n] for n in range(50)),
        None,
        *(second[n] for n in range(1, 30)),
    ]
    assert len(merged._dictionaries) == 2  # each column's own, each kept once
    assert len({merged.zdict(n) for n in range(len(merged._firsts))}) == 2
    with pytest.raises(ValueError, match="after document"):
        writer.add_chunk(3, 1, b"", b"")


def test_a_document_added_twice_is_refused() -> None:
    writer = stored.STORED.writer(RamStorage().create_file("x"))
    writer.add(3, {"a": 1})
    with pytest.raises(ValueError, match="document 3"):
        writer.add(3, {"a": 2})


def test_an_empty_column_reads_as_no_stored_fields() -> None:
    column = _column({}, 3)
    assert [column[n] for n in range(3)] == [None, None, None]


def test_the_dictionary_holds_the_most_frequent_words_last_within_zlibs_window() -> None:
    sample = b"".join(
        pickle.dumps({"text": f"common rare{n} common 北京北京 common"}, 2) for n in range(5000)
    )
    zdict = stored.dictionary(sample)
    assert len(zdict) <= stored.DICTIONARY_BYTES
    words = zdict.split(b" ")
    assert words[-1] == b"common" and "北京北京".encode() in words
    assert b"rare1" in words or len(zdict) > stored.DICTIONARY_BYTES - 16


def test_the_dictionary_makes_small_chunks_smaller(monkeypatch: pytest.MonkeyPatch) -> None:
    rng = random.Random(3)
    vocabulary = [f"w{rng.randrange(10**6)}x" for _ in range(2000)]
    documents = {n: {"text": " ".join(rng.choices(vocabulary, k=80))} for n in range(600)}
    with_dictionary = _column(documents, 600)
    monkeypatch.setattr(stored, "dictionary", lambda sample: b"")
    without = _column(documents, 600)
    assert [with_dictionary[n] for n in range(600)] == [without[n] for n in range(600)]
    size = sum(len(with_dictionary.raw_chunk(n)) for n in range(len(with_dictionary._firsts)))
    plain = sum(len(without.raw_chunk(n)) for n in range(len(without._firsts)))
    assert size < 0.9 * plain
