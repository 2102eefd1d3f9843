"""A posting block's ids and weights (index/w3/numbers.py): what is packed reads back, by
either path, in the shortest of the layouts, and a merge's move of the first id keeps it."""

from __future__ import annotations

from array import array

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from termpedia.index.w3 import numbers
from termpedia.index.w3.numbers import moved_up, pack_numbers, unpack_ids, unpack_weights

# Deltas as a block holds them: mostly small, a few huge (a segment's first document).
_DELTA = st.one_of(st.integers(0, 300), st.integers(0, 70_000), st.integers(0, 2**32 - 1 - 2**24))
_WEIGHT = st.one_of(st.just(1.0), st.sampled_from([2.0, 3.0, 4.0, 0.0, 255.0]), st.just(1.5))


def _read(packed: bytes, count: int) -> tuple[list[int], list[float]]:
    ids = np.cumsum(unpack_ids(packed, count), dtype=np.int64).tolist()
    weights = unpack_weights(packed, count)
    return ids, [1.0] * count if weights is None else [float(w) for w in weights]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(_DELTA, _WEIGHT), min_size=1, max_size=200))
def test_a_block_reads_back_the_same_by_either_path(postings: list[tuple[int, float]]) -> None:
    deltas = [d for d, _ in postings]
    weights = [w for _, w in postings]
    by_loop = numbers._ids_by_loop(deltas), numbers._weights_by_loop(array("f", weights))
    by_numpy = (
        numbers._ids_by_numpy(np.array(deltas, dtype=np.int64)),
        numbers._weights_by_numpy(np.array(weights)),
    )
    assert by_loop == by_numpy  # the same bytes, whichever path packed them
    expected_ids = np.cumsum(deltas).tolist()
    assert _read(pack_numbers(deltas, weights), len(deltas)) == (expected_ids, weights)
    assert _read(pack_numbers(np.array(deltas), np.array(weights)), len(deltas)) == (
        expected_ids,
        weights,
    )


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.tuples(_DELTA, _WEIGHT), min_size=1, max_size=100),
    st.integers(1, 2**24),
)
def test_moving_the_first_id_up_moves_only_it(postings: list[tuple[int, float]], base: int) -> None:
    deltas = [d for d, _ in postings]
    weights = [w for _, w in postings]
    moved = moved_up(pack_numbers(deltas, weights), len(deltas), base)
    ids, read_weights = _read(moved, len(deltas))
    assert ids == [n + base for n in np.cumsum(deltas).tolist()]
    assert read_weights == weights


@pytest.mark.parametrize(
    ("deltas", "id_code", "size"),
    [
        ([3, 1, 1, 2], "B", 2 + 4),
        ([300, 1, 1, 2], "H", 2 + 8),
        ([70_000, 1], "I", 2 + 8),  # two postings: an exception would cost more
        ([70_000, 1, 1, 2], "b", 2 + 2 + 4 + 6),
        ([70_000] + [1] * 99, "b", 2 + 2 + 100 + 6),  # one exception: a byte each
        ([70_000] + [300] * 99, "h", 2 + 2 + 200 + 6),
    ],
)
def test_ids_take_the_shortest_layout(deltas: list[int], id_code: str, size: int) -> None:
    packed = pack_numbers(deltas, [1.0] * len(deltas))
    assert chr(packed[0]) == id_code and chr(packed[1]) == "-"
    assert len(packed) == size


@pytest.mark.parametrize(
    ("weights", "code", "size"),
    [
        ([1.0] * 100, "-", 0),
        ([1.0] * 98 + [3.0, 2.0], "x", 2 + 2 * 2 + 2),
        ([2.0] * 100, "B", 100),
        ([1.0] * 99 + [0.5], "f", 400),
    ],
)
def test_weights_take_the_shortest_layout(weights: list[float], code: str, size: int) -> None:
    packed = pack_numbers(list(range(len(weights))), weights)
    assert chr(packed[1]) == code
    assert len(packed) == 2 + len(weights) + size
