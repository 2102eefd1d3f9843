"""index/w3/: the one package using Whoosh's internals. Its fixes are subclasses (Whoosh's
own classes are never changed), each with a regression test; the probe falls back to plain
Whoosh, which finds and ranks the same; an index of the other mode is rebuilt."""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from whoosh import index as whoosh_index
from whoosh.fields import ID, TEXT, Schema
from whoosh.matching import ListMatcher
from whoosh.matching.binary import AndMaybeMatcher

from termpedia.index import w3
from termpedia.index.schema import make_schema, text_analyzer
from termpedia.index.w3 import matching, writing

ROOT = Path(__file__).resolve().parents[2]


class TestFix2AndMaybeLoop:
    """AndMaybeMatcher.skip_to_quality looped for ever when neither side could skip."""

    class Stuck(ListMatcher):  # type: ignore[misc]
        """A matcher whose blocks cannot be skipped: it skips nothing, its quality stays."""

        calls = 0

        def block_quality(self) -> float:
            return 1.0

        def skip_to_quality(self, minquality: float) -> int:
            type(self).calls += 1
            if type(self).calls > 10_000:
                raise RecursionError("looping")  # stands for the endless loop
            return 0

    def pair(self) -> tuple[ListMatcher, ListMatcher]:
        self.Stuck.calls = 0
        return self.Stuck([1, 2, 3], [1.0] * 3), self.Stuck([2, 3], [1.0] * 2)

    def test_whooshs_own_matcher_loops(self) -> None:
        a, b = self.pair()
        with pytest.raises(RecursionError):
            AndMaybeMatcher(a, b).skip_to_quality(5.0)

    def test_termpedias_matcher_stops_when_nothing_is_skipped(self) -> None:
        a, b = self.pair()
        assert matching._AndMaybeMatcher(a, b).skip_to_quality(5.0) == 0
        assert self.Stuck.calls == 1

    def test_the_boosted_query_uses_it(self) -> None:
        assert w3.boosted.__module__ == "termpedia.index.w3"
        assert matching.Boosted.matcherclass is matching._AndMaybeMatcher


class TestFix5SortingRuns:
    def test_runs_in_chunks_give_back_every_item_in_order(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setattr(writing, "RUN_CHUNK", 1_000)
        rng = random.Random(7)
        items = [
            ("body", f"w{rng.randrange(500)}".encode(), n, 1.0, b"x" * (n % 5))
            for n in range(20_000)
        ]
        storage_dir = tmp_path / "runs"
        storage_dir.mkdir()
        from whoosh.filedb.filestore import FileStorage

        pool = writing.Pool(FileStorage(str(storage_dir)), None, limitmb=0.05)
        for item in items:
            pool.add(item)
        assert len(pool.runs) >= 3  # several runs of several chunks each
        assert list(pool.items()) == sorted(items)
        assert list(storage_dir.iterdir()) == []  # the run files are removed once read

    @pytest.mark.parametrize("procs", [1, 2])
    def test_an_index_written_through_runs_finds_every_document(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, procs: int
    ) -> None:
        # A tiny memory limit makes the writer sort its postings in many runs, merged at
        # the end; with two processes, each sub-writer does so in its own process.
        schema = Schema(key=ID(stored=True, unique=True), body=TEXT(analyzer=text_analyzer()))
        (tmp_path / "index").mkdir()
        index = whoosh_index.create_in(str(tmp_path / "index"), schema)
        monkeypatch.setattr(writing, "RUN_CHUNK", 7)
        words = ["amber", "lantern", "harbour", "river", "stone", "dust"]
        with w3.writer(index, limitmb=0.05, procs=procs) as writer:  # type: ignore[arg-type]
            assert isinstance(writer.pool, writing.Pool)
            for n in range(600):
                writer.add_document(key=str(n), body=f"{words[n % 6]} {words[(n * 5) % 6]} w{n}")
        with index.searcher() as searcher:
            assert searcher.doc_count() == 600
            assert searcher.doc_frequency("body", "w599") == 1
            amber = {n for n in range(600) if "amber" in (words[n % 6], words[(n * 5) % 6])}
            found = {int(fields["key"]) for fields in searcher.documents()}
            assert found == set(range(600))
            hits = searcher.search(w3.boosted(*_terms("body", "amber")), limit=None)
            assert {int(hit["key"]) for hit in hits} == amber


def _terms(field: str, word: str) -> tuple[object, object]:
    from whoosh.query import Term

    return Term(field, word), Term(field, "nothing")


def run_python(code: str, env: dict[str, str] | None = None) -> str:
    done = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, **(env or {})},
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


def test_using_termpedia_leaves_every_whoosh_class_as_it_was(tmp_path: Path) -> None:
    out = run_python(
        f"""
        import importlib, inspect, pkgutil, json
        import whoosh

        def snapshot():
            found = {{}}
            for info in pkgutil.walk_packages(whoosh.__path__, "whoosh."):
                try:
                    module = importlib.import_module(info.name)
                except Exception:
                    continue
                for name, cls in vars(module).items():
                    if inspect.isclass(cls) and cls.__module__.startswith("whoosh"):
                        key = cls.__module__ + "." + cls.__qualname__
                        # __slotnames__: pickle's cache of a class's slots, set by
                        # copyreg the first time one of its objects is pickled.
                        found[key] = {{
                            a: id(v) for a, v in vars(cls).items() if a != "__slotnames__"
                        }}
            return found

        before = snapshot()
        from pathlib import Path
        from termpedia.content.library import Shelf, bundled_shelf
        from termpedia.index import build, runner, scoring, search, snippets, w3
        from termpedia.index.w3 import codec, matching, positions, postings, writing
        root = Path({str(tmp_path / "index")!r})
        build.update(root, [bundled_shelf()])
        index = search.Index(root)
        index.search("permanent revolution")
        index.search('"permanent revolution"')
        index.instant("trots")
        index.backlinks("Leon Trotsky")
        index.matches_in("revolution", "a revolution here")
        (root.parent / "lib").mkdir()
        (root.parent / "lib" / "a.txt").write_text("= A =\\n\\nzyxwords here.\\n")
        build.update(root, [bundled_shelf(), Shelf("lib", root.parent / "lib")])
        index.refresh()
        assert index.search("zyxwords").hits
        # Segments written a batch at a time and merged by copying blocks (fix 6), as an
        # archive's section index is.
        from whoosh import index as whoosh_index
        from whoosh.filedb.filestore import FileStorage
        from termpedia.content.library import load_article
        from termpedia.index.documents import documents
        from termpedia.index.schema import make_schema
        from termpedia.index.w3 import merging
        merged = root.parent / "merged"
        merged.mkdir()
        whoosh_index.create_in(str(merged), make_schema())
        ix = FileStorage(str(merged)).open_index()
        for path in sorted(bundled_shelf().root.glob("*.txt"))[:6]:
            with w3.writer(ix, limitmb=16) as writer:
                writer.merge = False
                for doc in documents(load_article(path), "lib", "en"):
                    writer.add_document(**doc)
            w3.merge(ix)
        assert w3.merge(ix, final=True) > 1
        after = snapshot()
        changed = sorted(k for k in before if before[k] != after.get(k))
        print(json.dumps({{"classes": len(before), "changed": changed}}))
        """
    )
    result = json.loads(out.splitlines()[-1])
    assert result["classes"] > 300
    assert result["changed"] == []


class TestProbe:
    def test_the_installed_whoosh_is_the_one_the_layout_is_for(self) -> None:
        assert w3.probe() == "" or os.environ.get("TERMPEDIA_PLAIN_WHOOSH")
        assert ("w3-arrays-3" if w3.IN_USE else "whoosh-plain-1") == w3.LAYOUT

    def test_a_missing_member_fails_the_probe(self, monkeypatch: pytest.MonkeyPatch) -> None:
        members = {**w3._MEMBERS, "whoosh.writing": ("PostingPool.no_such_method",)}
        monkeypatch.setattr(w3, "_MEMBERS", members)
        assert "PostingPool.no_such_method is missing" in w3.probe()

    def test_the_environment_can_ask_for_plain_whoosh(
        self, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setenv("TERMPEDIA_PLAIN_WHOOSH", "1")
        assert w3.probe() == "TERMPEDIA_PLAIN_WHOOSH is set"


PLAIN_RUN = """
import json, sys
from pathlib import Path
from termpedia.content.library import bundled_shelf
from termpedia.index import build, search, w3
from termpedia.index.store import Manifest, current_generation
root = Path(sys.argv[1])
report = build.update(root, [bundled_shelf()])
index = search.Index(root)
queries = ["permanent revolution", '"permanent revolution"', "trotsky exile", "revol*", "lenin"]
hits = {
    q: [[h.key, round(h.score, 6)] for h in index.search(q).hits] for q in queries
}
typed = [[h.key, round(h.score, 6)] for h in index.instant("trots").hits]
manifest = Manifest.load(current_generation(root))
print(json.dumps({
    "layout": manifest.layout, "full": report.full,
    "new": [p.message for p in report.new_problems], "hits": hits, "typed": typed,
}))
"""


def plain_or_not(root: Path, plain: bool) -> dict[str, object]:
    env = {"TERMPEDIA_PLAIN_WHOOSH": "1"} if plain else {"TERMPEDIA_PLAIN_WHOOSH": ""}
    done = subprocess.run(
        [sys.executable, "-c", PLAIN_RUN, str(root)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, **env},
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.splitlines()[-1])  # type: ignore[no-any-return]


def test_plain_whoosh_finds_and_ranks_the_same_and_a_mode_change_rebuilds(
    tmp_path: Path,
) -> None:
    root = tmp_path / "index"
    fast = plain_or_not(root, plain=False)
    assert fast["layout"] == "w3-arrays-3" and fast["new"] == []
    plain = plain_or_not(root, plain=True)
    assert plain["layout"] == "whoosh-plain-1"
    assert plain["full"], "the index of the other layout is built afresh"
    assert len(plain["new"]) == 1 and "plain Whoosh" in plain["new"][0]  # type: ignore[index, arg-type]
    assert plain["hits"] == fast["hits"]
    assert plain["typed"] == fast["typed"]
    again = plain_or_not(root, plain=True)
    assert not again["full"] and again["new"] == [], "told once"
    back = plain_or_not(root, plain=False)
    assert back["full"] and back["hits"] == fast["hits"]


class TestFix7CompactTermDictionary:
    def test_the_term_dictionary_is_written_byte_for_byte_as_whoosh_writes_it(
        self, tmp_path: Path
    ) -> None:
        from whoosh.filedb.filestore import FileStorage
        from whoosh.filedb.filetables import OrderedHashWriter

        from termpedia.index.w3.codec import _Bucket

        keys = sorted({f"{n:07d}{'x' * (n % 13)}".encode() for n in range(0, 200_000, 7)})
        written = {}
        for name, compact in (("whoosh", False), ("termpedia", True)):
            storage = FileStorage(str(tmp_path))
            writer = OrderedHashWriter(storage.create_file(name))
            if compact:
                writer.buckets = [_Bucket() for _ in range(256)]
            for key in keys:
                writer.add(key, key[::-1])
            writer.close()
            written[name] = (tmp_path / name).read_bytes()
        assert written["termpedia"] == written["whoosh"]

    def test_termpedias_field_writer_uses_it(self, tmp_path: Path) -> None:
        from termpedia.index.w3.codec import ArrayCodec, _Bucket

        ix = whoosh_index.create_in(str(tmp_path), make_schema())
        segment = ArrayCodec().new_segment(ix.storage, ix.indexname)
        writer = ArrayCodec().field_writer(ix.storage, segment)
        assert all(isinstance(bucket, _Bucket) for bucket in writer._tindex.buckets)
        writer.close()
