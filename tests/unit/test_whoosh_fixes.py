"""index/whoosh_fixes.py: the changes to Whoosh's writing keep what it writes."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from whoosh import index as whoosh_index
from whoosh.externalsort import SortingPool
from whoosh.fields import ID, TEXT, Schema

from termpedia.index import whoosh_fixes
from termpedia.index.codec import postings_codec
from termpedia.index.schema import text_analyzer


def test_sorting_runs_in_chunks_give_back_every_item_in_order(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(whoosh_fixes, "RUN_CHUNK", 1_000)
    rng = random.Random(7)
    items = [
        ("body", f"w{rng.randrange(500)}".encode(), n, 1.0, b"x" * (n % 5)) for n in range(20_000)
    ]
    runs = tmp_path / "runs"
    runs.mkdir()
    pool = SortingPool(maxsize=3_000, tempdir=str(runs))
    for item in items:
        pool.add(item)
    assert len(pool.runs) >= 6  # several runs of three chunks each
    assert list(pool.items()) == sorted(items)
    assert list(runs.iterdir()) == []  # the run files are removed once read


def test_an_index_written_through_runs_finds_every_document(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A tiny memory limit makes the writer sort its postings in many runs, merged at the end.
    schema = Schema(key=ID(stored=True, unique=True), body=TEXT(analyzer=text_analyzer()))
    (tmp_path / "index").mkdir()
    index = whoosh_index.create_in(str(tmp_path / "index"), schema)
    monkeypatch.setattr(whoosh_fixes, "RUN_CHUNK", 7)
    words = ["amber", "lantern", "harbour", "river", "stone", "dust"]
    with index.writer(limitmb=0.05, codec=postings_codec()) as writer:
        assert writer.pool.limit < 100_000
        for n in range(600):
            writer.add_document(key=str(n), body=f"{words[n % 6]} {words[(n * 5) % 6]} w{n}")
        assert len(writer.pool.runs) >= 3  # merged from the run files at the commit
    with index.searcher() as searcher:
        assert searcher.doc_count() == 600
        assert searcher.doc_frequency("body", "w599") == 1
        amber = {n for n in range(600) if "amber" in (words[n % 6], words[(n * 5) % 6])}
        found = {int(fields["key"]) for fields in searcher.documents()}
        assert found == set(range(600))
        reader = searcher.reader()
        assert {
            int(searcher.stored_fields(d)["key"])
            for d in reader.postings("body", b"amber").all_ids()
        } == amber
