"""index/w3/positions.py must index exactly what Whoosh's analyzer chain indexes."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from whoosh.formats import Positions

from termpedia.content.library import bundled_shelf
from termpedia.index.schema import make_schema
from termpedia.index.w3 import codec
from termpedia.index.w3.positions import OnePassPositions

SEED = Path(__file__).resolve().parents[3] / "shared" / "seeds" / "000_68d4463fb3b6b5b7.txt"
SCHEMA = make_schema()
TEXT_FIELDS = [name for name in SCHEMA.names() if isinstance(SCHEMA[name].format, Positions)]


def _both(fieldname: str, text: str) -> tuple[list[tuple[object, ...]], list[tuple[object, ...]]]:
    """(ours, Whoosh's): each term with its count, weight and positions, as indexed."""
    field = SCHEMA[fieldname]
    theirs = Positions(field_boost=field.format.field_boost)
    ours = field.format
    assert isinstance(ours, OnePassPositions)
    return (
        sorted(
            (term, count, weight, ours.decode_positions(value), ours.decode_frequency(value))
            for term, count, weight, value in ours.word_values(text, field.analyzer, mode="index")
        ),
        sorted(
            (term, count, weight, theirs.decode_positions(value), theirs.decode_frequency(value))
            for term, count, weight, value in theirs.word_values(text, field.analyzer, mode="index")
        ),
    )


def test_every_text_field_uses_the_one_pass_format() -> None:
    assert {"title", "heading", "body", "body_fr", "body_plain"} <= set(TEXT_FIELDS)
    assert all(type(SCHEMA[name].format) is OnePassPositions for name in TEXT_FIELDS)
    assert SCHEMA["title"].format.field_boost == 4.0
    # ... and each field's analyzer has the shape that is analysed in one pass.
    assert all(SCHEMA[name].format._plan_for(SCHEMA[name].analyzer) for name in TEXT_FIELDS)


@pytest.mark.parametrize("fieldname", TEXT_FIELDS)
def test_the_cjk_fixtures_index_the_same(fieldname: str) -> None:
    folder = Path(__file__).resolve().parents[1] / "fixtures" / "cjk"
    texts = [path.read_text(encoding="utf-8") for path in sorted(folder.rglob("*.txt"))]
    assert len(texts) >= 9
    for text in texts:
        ours, theirs = _both(fieldname, text)
        assert ours == theirs


@pytest.mark.parametrize("fieldname", TEXT_FIELDS)
def test_the_bundled_articles_and_the_seed_index_the_same(fieldname: str) -> None:
    texts = [
        path.read_text(encoding="utf-8") for path in sorted(bundled_shelf().root.rglob("*.txt"))
    ]
    if SEED.exists():
        texts.append(SEED.read_text(encoding="utf-8"))
    assert texts
    for text in texts:
        ours, theirs = _both(fieldname, text)
        assert ours == theirs


WORDS = st.sampled_from(
    [
        "The",
        "the",
        "a",
        "of",
        "AND",
        "running",
        "Runs",
        "ran",
        "İstanbul",
        "straße",
        "café",
        "CAFÉ",
        "naïve",
        "résumé",
        "e.g.",
        "U.S.A",
        "x",
        "1.5",
        "3",
        "_",
        "__init__",
        "Ωmega",
        "œuvre",
        "ﬁne",
        "Ǆemal",
        "don't",
        "it's",
        "co-op",
        "42nd",
        "ÉTAT",
        "über",
        "Über",
        # Runs of scripts written without spaces: bigrams and single characters.
        "北京",
        "中华人民共和国",
        "京",
        "東京都は日本",
        "カタカナ",
        "서울은",
        "ภาษาไทย",
        "Ｗｉｋｉ",
        "Ａ１",
        "毛泽东the",
    ]
)
SEPARATORS = st.sampled_from(
    [" ", "  ", "\n", ", ", ". ", "-", "'", "…", "\t", ".", "—", "。", "、", "「", ""]
)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.tuples(st.one_of(WORDS, st.text(max_size=8)), SEPARATORS), max_size=40),
    st.sampled_from(TEXT_FIELDS),
)
def test_any_text_indexes_the_same(pieces: list[tuple[str, str]], fieldname: str) -> None:
    text = "".join(word + separator for word, separator in pieces)
    ours, theirs = _both(fieldname, text)
    assert ours == theirs


def test_the_cache_is_emptied_past_its_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    from termpedia.index.w3 import positions

    monkeypatch.setattr(positions, "CACHE_LIMIT", 5)
    text = " ".join(f"word{n}" for n in range(40))
    ours, theirs = _both("body", text)
    assert ours == theirs
    plan = SCHEMA["body"].format._plan_for(SCHEMA["body"].analyzer)
    assert plan is not None and len(plan.cache) <= 5


def test_positions_round_trip_through_the_compact_encoding() -> None:
    fmt = OnePassPositions()
    for positions in ([0], [3, 70000, 70001], list(range(0, 5000, 7))):
        value = fmt.encode(positions)
        assert fmt.decode_positions(value) == positions
        assert fmt.decode_frequency(value) == len(positions)
        assert fmt.decode_position_boosts(value) == [(p, 1) for p in positions]


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.lists(st.integers(0, 300_000), min_size=1, max_size=6, unique=True).map(sorted),
        min_size=1,
        max_size=150,
    )
)
def test_a_block_of_positions_packs_and_unpacks_the_same(postings: list[list[int]]) -> None:
    """codec.pack_positions packs short blocks in a loop and long ones with numpy: both give
    the same bytes, and unpacking gives every posting's positions back, as Whoosh reads
    them and as arrays."""
    fmt = OnePassPositions()
    values = [fmt.encode(positions) for positions in postings]
    packed = codec.pack_positions(values)
    if len(values) >= codec._NUMPY_FROM:
        short = codec._NUMPY_FROM
        try:
            codec._NUMPY_FROM = len(values) + 1  # the loop, for the same block
            assert codec.pack_positions(values) == packed
        finally:
            codec._NUMPY_FROM = short
    assert codec.positions_values(packed, len(values)) == tuple(values)
    counts, places = codec.unpack_positions(packed, len(values))
    assert counts.tolist() == [len(p) for p in postings]
    assert places.tolist() == [n for p in postings for n in p]
    widest = max(n for p in postings for n in p)
    if widest < 1 << 16:  # distances of two bytes at most, counts of one
        assert len(packed) <= 2 + len(values) + 2 * sum(map(len, postings))
