"""One ranker: search as you type and the full search score with the same code, so for the
same query and fields both give the same top 20, scores and order; Whoosh's own matchers
are the oracle for which sections match. Over the bundled encyclopedia and the enwiki
sample, 200 generated queries each."""

from __future__ import annotations

import os
import random
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from conftest import SHARED, xdg_dirs

from termpedia.content.library import bundled_shelf, default_shelves
from termpedia.index import plan, runner, scoring
from termpedia.index.build import update
from termpedia.index.search import Index

SAMPLE = SHARED / "corpora" / "enwiki-sample.xml.bz2"
QUERIES = 200


@pytest.fixture(scope="module")
def enwiki(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Index]:
    """An index of the enwiki sample, imported once for this module."""
    if not SAMPLE.exists():
        pytest.skip(f"{SAMPLE} is not here (see ../shared/corpora/README.md)")
    from termpedia.content.importers import converter
    from termpedia.content.importers.store import import_library

    base = tmp_path_factory.mktemp("enwiki")
    saved = {key: os.environ.get(key) for key in xdg_dirs(base)}
    os.environ.update(xdg_dirs(base))
    try:
        import_library(converter("mediawiki"), SAMPLE, "enwiki", None)
        shelves = [s for s in default_shelves() if s.name == "enwiki"]
        update(base / "index", shelves)
        index = Index(base / "index")
        yield index
        index.close()
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


@pytest.fixture(scope="module")
def bundled_only(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Index]:
    root = tmp_path_factory.mktemp("bundled-ranker")
    update(root, [bundled_shelf()])
    index = Index(root)
    yield index
    index.close()


def vocabulary_of(index: Index) -> list[str]:
    """The index's commoner words (3 to 12 letters), in a fixed order."""
    counts = index.vocabulary.counts
    words = [w for w, n in counts.most_common(600) if 3 <= len(w) <= 12]
    return words


def generated(index: Index, count: int, seed: int) -> list[str]:
    """Queries of one to three words: plain, a prefix, a phrase, OR, NOT, title:/heading:."""
    rng = random.Random(seed)
    words = vocabulary_of(index)
    queries = []
    for _ in range(count):
        picked = rng.sample(words, rng.randint(1, 3))
        shape = rng.random()
        if shape < 0.45:
            text = " ".join(picked)
        elif shape < 0.6:
            text = " ".join(picked[:-1] + [picked[-1][:4] + "*"])
        elif shape < 0.7:
            text = '"' + " ".join(picked) + '"'
        elif shape < 0.8:
            text = " OR ".join(picked)
        elif shape < 0.9 and len(picked) > 1:
            text = f"{picked[0]} -{picked[1]}"
        else:
            text = f"{rng.choice(['title:', 'heading:'])}{picked[0]} " + " ".join(picked[1:])
        queries.append(text.strip())
    return queries


def top(result: object) -> list[tuple[str, float]]:
    return [(hit.key, round(hit.score, 9)) for hit in result.hits[:20]]  # type: ignore[attr-defined]


@pytest.mark.parametrize("which", ["bundled", "enwiki"])
def test_as_you_type_and_the_full_search_rank_a_query_alike(
    which: str, request: pytest.FixtureRequest
) -> None:
    index: Index = request.getfixturevalue("bundled_only" if which == "bundled" else which)
    compared = 0
    for number, text in enumerate(generated(index, QUERIES, seed=len(which))):
        # A finished query (a space after it): as you type, its words are searched as typed.
        typed = text + " "
        instant = plan.instant(typed, index.fields, index.vocabulary)
        for attempt in instant.attempts:
            as_you_type = index.run(replace(instant, attempts=(attempt,)))
            full = index.run(
                plan.SearchPlan(typed, (replace(attempt, suggest="if_few"),), library="")
            )
            assert top(as_you_type) == top(full), (number, text, attempt.fields)
            assert as_you_type.total == full.total, (number, text)
            compared += bool(full.hits)
        # What the app shows while typing is one of those two answers.
        shown = index.instant(typed)
        answers = [
            top(index.run(replace(instant, attempts=(attempt,)))) for attempt in instant.attempts
        ]
        assert top(shown) in answers, (number, text)
    assert compared > QUERIES // 2


@pytest.mark.parametrize("which", ["bundled", "enwiki"])
def test_the_ranker_finds_the_sections_whooshs_matchers_find(
    which: str, request: pytest.FixtureRequest
) -> None:
    index: Index = request.getfixturevalue("bundled_only" if which == "bundled" else which)
    searcher = index._searcher
    checked = 0
    for text in generated(index, QUERIES, seed=10 + len(which)):
        for fields in (index.fields, plan.INSTANT_FIELDS):
            query = runner.boosted(searcher.schema, fields, text)
            if query is None:
                continue
            try:
                ranked = scoring.search(searcher, query, limit=100_000)
            except scoring.Unsupported:
                continue
            theirs = {hit.docnum for hit in searcher.search(query, limit=None, optimize=False)}
            assert {doc for _, doc in ranked.top} == theirs, (text, fields)
            checked += 1
    assert checked > QUERIES


def test_lenin_trotsky_is_ranked_alike_as_you_type_and_after_enter(
    bundled_only: Index,
) -> None:
    # The query the review found ranked differently by the two old rankers.
    typed = "lenin trotsky "
    instant = plan.instant(typed, bundled_only.fields, bundled_only.vocabulary)
    heads = instant.attempts[0]
    as_you_type = bundled_only.run(replace(instant, attempts=(heads,)))
    full = bundled_only.run(plan.SearchPlan(typed, (heads,)))
    assert top(as_you_type) == top(full)
    everything = bundled_only.search(typed)
    again = bundled_only.run(plan.full(typed, bundled_only.fields, bundled_only.vocabulary))
    assert top(everything) == top(again)


def test_the_enwiki_fixture_is_the_sample(enwiki: Index) -> None:
    assert len(enwiki.manifest.files) > 100
    assert Path(next(iter(enwiki.manifest.files))).suffix == ".txt"
