"""index/w3/codec.py (posting blocks as arrays) and index/scoring.py (whole-list scoring).

The codec must give Whoosh's matchers exactly what Whoosh's own layout gives; the scoring
must find exactly the documents Whoosh finds and score each one as the BM25F formula says,
checked here against Whoosh's per-term scores composed by hand.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from whoosh import index as whoosh_index
from whoosh.codec.whoosh3 import W3Codec
from whoosh.fields import ID, TEXT, Schema
from whoosh.query import (
    And,
    AndMaybe,
    Not,
    NullQuery,
    Or,
    Phrase,
    Prefix,
    Query,
    Term,
    TermRange,
    Wildcard,
)
from whoosh.searching import Searcher

from termpedia.content.library import Shelf, bundled_shelf
from termpedia.index import scoring
from termpedia.index.build import update
from termpedia.index.runner import boosted
from termpedia.index.schema import text_analyzer
from termpedia.index.search import Index
from termpedia.index.syntax import prepare
from termpedia.index.w3.codec import ArrayCodec, ArrayLeafMatcher

WORDS = [
    "amber",
    "lantern",
    "harbour",
    "quillon",
    "festival",
    "script",
    "nebula",
    "dust",
    "river",
    "stone",
]


def _documents() -> list[str]:
    # Deterministic text with repeated words (weights above 1), repeated pairs (phrases) and
    # more than 128 postings for the commonest words (several blocks).
    docs = []
    for n in range(300):
        words = [WORDS[(n * 7 + k * k) % len(WORDS)] for k in range(3 + n % 11)]
        if n % 3 == 0:
            words += ["amber", "lantern"]
        docs.append(" ".join(words))
    return docs


def _build(folder: Path, codec: W3Codec, docs: list[str]) -> Searcher:
    schema = Schema(key=ID(stored=True, unique=True), body=TEXT(analyzer=text_analyzer()))
    folder.mkdir()
    index = whoosh_index.create_in(str(folder), schema)
    with index.writer(codec=codec) as writer:
        for n, text in enumerate(docs):
            writer.add_document(key=str(n), body=text)
    return index.searcher()


class TestCodec:
    def test_whoosh_reads_the_same_postings_from_both_layouts(self, tmp_path: Path) -> None:
        docs = _documents()
        theirs = _build(tmp_path / "w3", W3Codec(), docs)
        ours = _build(tmp_path / "arrays", ArrayCodec(compression=1), docs)
        terms = list(theirs.reader().all_terms())
        assert terms == list(ours.reader().all_terms())
        blocks = 0
        for fieldname, text in terms:
            a = theirs.reader().postings(fieldname, text)
            b = ours.reader().postings(fieldname, text)
            if isinstance(b, ArrayLeafMatcher):
                blocks += 1
            assert list(_triples(a)) == list(_triples(b)), (fieldname, text)
            if fieldname == "body":
                a, b = (r.reader().postings(fieldname, text) for r in (theirs, ours))
                assert list(a.items_as("positions")) == list(b.items_as("positions"))
        assert blocks > 10  # the array layout was really read

    def test_skipping_and_block_statistics_work_on_the_array_layout(self, tmp_path: Path) -> None:
        ours = _build(tmp_path / "arrays", ArrayCodec(compression=1), _documents())
        matcher = ours.reader().postings("body", b"amber")
        ids = list(ours.reader().postings("body", b"amber").all_ids())
        assert len(ids) > 128
        matcher.skip_to(ids[150])
        assert matcher.id() == ids[150]
        assert matcher.block_max_weight() >= 1.0


def _triples(matcher: object) -> Iterator[tuple[int, float, bytes]]:
    while matcher.is_active():  # type: ignore[attr-defined]
        yield matcher.id(), matcher.weight(), matcher.value()  # type: ignore[attr-defined]
        matcher.next()  # type: ignore[attr-defined]


def _whoosh_scores(searcher: Searcher, query: Query) -> dict[int, float]:
    return {hit.docnum: hit.score for hit in searcher.search(query, limit=None, optimize=False)}


def _reference(searcher: Searcher, query: Query) -> dict[int, float]:
    """Scores composed from Whoosh's own single-term scores, as scoring.py documents them."""
    if query is NullQuery:
        return {}
    if type(query) is Term:
        return _whoosh_scores(searcher, query)
    if isinstance(query, (Prefix, Wildcard)):  # 1 for each section with one of its words
        reader = searcher.reader()
        return {
            doc: 1.0
            for word in query._btexts(reader)
            for doc in reader.postings(query.fieldname, word).all_ids()
        }
    if isinstance(query, Phrase):
        where = set(_whoosh_scores(searcher, query))  # Whoosh's phrase matching
        words = _reference(searcher, And([Term(query.fieldname, w) for w in query.words]))
        return {doc: score for doc, score in words.items() if doc in where}
    if type(query) is And:
        parts = [_reference(searcher, q) for q in query.subqueries if not isinstance(q, Not)]
        common = set.intersection(*(set(p) for p in parts))
        for q in query.subqueries:
            if isinstance(q, Not):
                common -= set(_reference(searcher, q.query))
        return {doc: sum(p[doc] for p in parts) for doc in common}
    if isinstance(query, AndMaybe):  # termpedia builds its subclass (w3.matching.Boosted)
        found = _reference(searcher, query.a)
        extra = _reference(searcher, query.b)
        return {doc: score + extra.get(doc, 0.0) for doc, score in found.items()}
    if type(query) is Or:
        # A NOT in an optional OR (the title and heading boost of `-word`) adds nothing.
        parts = [(q, _reference(searcher, q)) for q in query.subqueries if not isinstance(q, Not)]
        # Whoosh's coordination bonus counts the terms present in the index (a phrase's
        # words when all are, whether or not they make the phrase anywhere).
        present = [(q, p) for q, p in parts if _present(searcher, q)]
        terms = sum(len(q.words) if isinstance(q, Phrase) else 1 for q, _ in present)
        scores: dict[int, float] = {}
        matched: dict[int, int] = {}
        for q, p in present:
            for doc, score in p.items():
                scores[doc] = scores.get(doc, 0.0) + score
                matched[doc] = matched.get(doc, 0) + (len(q.words) if isinstance(q, Phrase) else 1)
        if query.scale and terms:
            s = query.scale
            return {
                doc: (score + (matched[doc] - 1) / (terms - s) ** 2) * ((terms - 1) / terms)
                for doc, score in scores.items()
            }
        return scores
    raise AssertionError(query)


def _present(searcher: Searcher, query: Query) -> bool:
    if isinstance(query, Phrase):
        return all(searcher.doc_frequency(query.fieldname, w) for w in query.words)
    if type(query) is Term:
        return bool(searcher.doc_frequency(query.fieldname, query.text))
    return bool(_reference(searcher, query))


def _ranked(found: dict[int, float], limit: int) -> list[tuple[float, int]]:
    return sorted(((score, doc) for doc, score in found.items()), key=lambda p: (-p[0], p[1]))[
        :limit
    ]


@pytest.fixture(scope="module")
def bundled(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Index]:
    root = tmp_path_factory.mktemp("scoring-index")
    update(root, [bundled_shelf()])
    index = Index(root)
    yield index
    index.close()


QUERIES = [
    "revolution",
    "permanent revolution",
    "theory history",
    "search index",
    '"permanent revolution"',
    '"the index"',
    "title:revolution",
    "heading:history",
    "revolution -permanent",
    "keys OR links",
    "a",
    "zzzznotaword",
    '"permanent revolution"~3',
    '"revolution permanent"~2',
    "revol*",
    "title:revol* history",
    "perm*nt",
    "revolution library:bundled",
]


class TestScoring:
    @pytest.mark.parametrize("typed", QUERIES)
    def test_same_matches_and_scores_as_the_formula(self, bundled: Index, typed: str) -> None:
        searcher = bundled._searcher
        query = boosted(searcher.schema, bundled.fields, prepare(typed).text)
        assert query is not None
        ranked = scoring.search(searcher, query, limit=1000)
        expected = _reference(searcher, query)
        assert ranked.total == len(expected)
        assert {d for _, d in ranked.top} == set(expected)
        for score, doc in ranked.top:
            assert score == pytest.approx(expected[doc])
        scores = [score for score, _ in ranked.top]
        assert scores == sorted(scores, reverse=True)  # best first

    @pytest.mark.parametrize(
        "typed",
        [
            "revolution",
            "permanent revolution",
            '"permanent revolution"',
            "revol*",
            '"the revolution"~3',
        ],
    )
    def test_body_matches_equal_whoosh_exactly(self, bundled: Index, typed: str) -> None:
        # Queries without Whoosh's coordination bonus: its matchers and ours agree exactly.
        searcher = bundled._searcher
        query = boosted(searcher.schema, ["body"], typed)
        assert query is not None
        expected = _ranked(_whoosh_scores(searcher, query), 20)
        ranked = scoring.search(searcher, query, limit=20)
        assert [d for _, d in ranked.top] == [d for _, d in expected]
        assert [s for s, _ in ranked.top] == pytest.approx([s for s, _ in expected])

    def test_a_phrase_of_common_words_checks_only_the_best_candidates(self, bundled: Index) -> None:
        searcher = bundled._searcher
        query = boosted(searcher.schema, bundled.fields, '"the index"')
        assert query is not None
        everything = scoring.search(searcher, query, limit=1000)
        assert everything.total > 3 and not everything.estimated
        few = scoring.search(searcher, query, limit=2)
        assert few.top == everything.top[:2]
        assert few.total >= 2

    def test_a_library_filter_keeps_only_its_sections(self, bundled: Index) -> None:
        searcher = bundled._searcher
        query = boosted(searcher.schema, bundled.fields, "revolution")
        assert query is not None
        nowhere = scoring.search(searcher, query, 20, only=Term("library", "no-such-library"))
        assert nowhere.top == [] and nowhere.total == 0
        library = searcher.stored_fields(scoring.search(searcher, query, 1).top[0][1])["library"]
        kept = scoring.search(searcher, query, 20, only=Term("library", library))
        assert kept.top == scoring.search(searcher, query, 20).top

    def test_other_queries_are_left_to_whoosh(self, bundled: Index) -> None:
        with pytest.raises(scoring.Unsupported):
            scoring.search(bundled._searcher, TermRange("heading", "a", "m"), 20)


class TestDeletedSections:
    def test_an_edited_article_is_found_by_its_new_text_only(self, tmp_path: Path) -> None:
        library = tmp_path / "notes"
        library.mkdir()
        for n in range(5):
            (library / f"note{n}.txt").write_text(f"= Note {n} =\nThe amber lantern {n}.\n")
        root = tmp_path / "index"
        update(root, [Shelf("notes", library)])
        (library / "note2.txt").write_text("= Note 2 =\nThe silver harbour.\n")
        update(root, [Shelf("notes", library)])
        index = Index(root)
        searcher = index._searcher
        assert searcher.reader().has_deletions()
        for typed, wanted in (("amber", 4), ("silver", 1)):
            query = boosted(searcher.schema, index.fields, typed)
            assert query is not None
            ranked = scoring.search(searcher, query, 20)
            assert ranked.total == wanted
            assert {d for _, d in ranked.top} == set(_whoosh_scores(searcher, query))
        index.close()


def test_the_bundled_index_uses_the_array_layout(bundled: Index) -> None:
    searcher = bundled._searcher
    matcher = searcher.reader().postings("body", b"revolut")
    assert isinstance(getattr(matcher, "child", matcher), ArrayLeafMatcher)


def test_positions_read_a_block_at_a_time_are_those_decoded_one_by_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A phrase check reads its words' positions in the layout's own terms (w3/postings.py
    `places`): the same numbers as decoding each document's value, over several blocks."""
    from termpedia.index import w3
    from termpedia.index.arrays import decoded_places
    from termpedia.index.w3 import codec
    from termpedia.index.w3.codec import postings_codec

    monkeypatch.setattr(codec, "BLOCK_POSTINGS", 128)  # several blocks of these 300 sections
    from termpedia.index.w3.positions import OnePassPositions
    from termpedia.index.w3.postings import W3Postings

    schema = Schema(key=ID(stored=True, unique=True), body=TEXT(analyzer=text_analyzer()))
    schema["body"].format = w3.text_format(1.0)
    assert isinstance(schema["body"].format, OnePassPositions)
    index = whoosh_index.create_in(str(tmp_path), schema)
    with index.writer(codec=postings_codec()) as writer:
        for n, text in enumerate(_documents()):
            writer.add_document(key=str(n), body=text)
    with index.searcher() as searcher:
        decode = schema["body"].format.decode_positions
        most = 0
        for word in (b"amber", b"lantern", b"river"):
            positions = W3Postings(searcher).read("body", word, positions=True)
            assert positions.positions is not None
            ids = positions.ids
            assert len(positions.positions.blocks) > 1, "one block only"  # type: ignore[attr-defined]
            for chosen in (ids, ids[::3], ids[-5:], ids[:1]):
                counts, flat = positions.positions.places(chosen, decode)
                want_counts, want_flat = decoded_places(positions.positions.of(chosen), decode)
                assert counts.tolist() == want_counts.tolist()
                assert flat.tolist() == want_flat.tolist()
                assert counts.sum() > 0
                most = max(most, int(counts.max()))
        assert most > 1  # sections holding a word more than once: distances within a posting


VOCABULARY = [
    "revolution",
    "permanent",
    "trotsky",
    "history",
    "theory",
    "index",
    "search",
    "keys",
    "links",
    "the",
    "of",
]


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["", "-", "title:", "heading:"]),
            st.sampled_from(VOCABULARY),
            st.sampled_from(["", "*", "~"]),
        ),
        min_size=1,
        max_size=4,
    ),
    st.sampled_from([" ", " OR ", " AND "]),
    st.booleans(),
)
def test_any_query_matches_the_sections_whoosh_matches(
    bundled: Index, words: list[tuple[str, str, str]], joint: str, quoted: bool
) -> None:
    # Scores may differ from Whoosh's (see scoring.py), the sections found may not.
    text = joint.join(f"{sign}{word}{suffix}" for sign, word, suffix in words)
    if quoted:
        text = '"' + " ".join(word for _, word, _ in words) + '"'
    searcher = bundled._searcher
    query = boosted(searcher.schema, bundled.fields, prepare(text).text)
    if query is None:
        return
    try:
        ranked = scoring.search(searcher, query, limit=100_000)
    except scoring.Unsupported:
        event("left to Whoosh")
        return  # what the app then runs
    theirs = {hit.docnum for hit in searcher.search(query, limit=None, optimize=False)}
    assert {doc for _, doc in ranked.top} == theirs
    assert ranked.total == len(theirs)


def test_a_replaced_searcher_and_its_arrays_are_freed(bundled: Index) -> None:
    # The app replaces its searcher after every update: the arrays read for the old one
    # must not keep it (and themselves) alive.
    import gc
    import weakref

    searcher = bundled._whoosh.searcher()  # type: ignore[union-attr]
    query = boosted(searcher.schema, bundled.fields, "revolution")
    assert query is not None
    assert scoring.search(searcher, query, 5).top
    assert searcher in scoring._READERS
    gone = weakref.ref(searcher)
    searcher.close()
    del searcher
    gc.collect()
    assert gone() is None


def test_a_searchers_last_answers_are_kept_and_told_apart(
    bundled: Index, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Typing a last word asks the same full-text question at each key: while typing, a
    searcher's last answers are kept (not for a full search). The same query, limit and
    library is answered again without ranking; any difference (the limit, the library, an
    OR's scale, another searcher) is ranked anew."""
    from whoosh.query import Or

    ranked: list[str] = []
    rank = scoring._search

    def counted(searcher: Searcher, query: Query, limit: int, only: Term | None) -> object:
        ranked.append(repr(query))
        return rank(searcher, query, limit, only)

    monkeypatch.setattr(scoring, "_search", counted)
    searcher = bundled._whoosh.searcher()  # type: ignore[union-attr]
    query = boosted(searcher.schema, bundled.fields, "permanent revolution")
    assert query is not None
    first = scoring.search(searcher, query, 5, remember=True)
    again = scoring.search(searcher, query, 5, remember=True)
    assert again == first and again.top and len(ranked) == 1
    again.top.clear()  # the caller's copy: the kept answer is not changed
    assert scoring.search(searcher, query, 5, remember=True) == first and len(ranked) == 1
    scoring.search(searcher, query, 6, remember=True)
    scoring.search(searcher, query, 5, Term("library", "bundled"), remember=True)
    words = [Term("body", "perman"), Term("body", "revolut")]
    assert scoring.search(searcher, Or(words), 5, remember=True) != scoring.search(
        searcher, Or(words, scale=0.9), 5, remember=True
    )
    assert len(ranked) == 5
    other = bundled._whoosh.searcher()  # type: ignore[union-attr]
    assert scoring.search(other, query, 5, remember=True) == first and len(ranked) == 6
    for number in range(scoring.ANSWERS_KEPT):
        scoring.search(searcher, Term("body", f"word{number}"), 5, remember=True)
    scoring.search(searcher, query, 5, remember=True)
    assert len(ranked) == 6 + scoring.ANSWERS_KEPT + 1, "the oldest answer was let go"
    scoring.search(searcher, query, 5)
    scoring.search(searcher, query, 5)
    assert len(ranked) == 6 + scoring.ANSWERS_KEPT + 3, "a full search is always ranked"


@given(
    st.sets(st.integers(0, 300), max_size=60),
    st.sets(st.integers(0, 300), max_size=60),
)
def test_the_common_ids_of_two_lists_are_numpys_intersection(
    first: set[int], second: set[int]
) -> None:
    a = np.array(sorted(first), dtype=np.int64)
    b = np.array(sorted(second), dtype=np.int64)
    expected = np.intersect1d(a, b, assume_unique=True, return_indices=True)
    for got, wanted in zip(scoring._common(a, b), expected, strict=True):
        assert got.tolist() == wanted.tolist()


@given(
    st.lists(st.sampled_from([0.5, 1.0, 1.5, 2.0, 3.25]), max_size=80),
    st.integers(0, 90),
)
def test_the_best_matches_are_the_first_of_the_whole_order(scores: list[float], count: int) -> None:
    # Few distinct scores: ties at the cut must come in document order, as in a full sort.
    ids = np.arange(0, 3 * len(scores), 3, dtype=np.int64)
    found = scoring._Matches(ids, np.array(scores), np.ones(len(scores)), 1)
    whole = np.lexsort((ids, -np.array(scores)))
    assert scoring._best(found, count).tolist() == whole[:count].tolist()
