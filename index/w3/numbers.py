"""A posting block's document numbers and weights as bytes (the `numbers` of `codec`'s layout).

    id code, weight code, ids, weights

Ids are deltas, the block's first from 0. Most fit in one or two bytes, but a block's
first delta is its first document's number, and in a segment of 376k sections one delta in
a thousand is over 65,535: kept as "the narrowest type that holds them all", those made two
thirds of the ids of a ZIM archive's index four bytes wide. So the ids are either

    "B", "H" or "I": every delta in that type (1, 2 or 4 bytes), or
    "b" or "h": the exceptions' count (2 bytes), every delta in one or two bytes (an
        exception's place holds 0), then each exception's place (2 bytes) and delta (4),

whichever is shorter. Weights (a word's count in a section, times the field's boost) are
"-" (all 1.0: nothing), "x" (the count, places (2 bytes) and values (1 byte) of those that
are not 1, all whole numbers below 256), "B" (whole numbers below 256, a byte each) or "f"
(float32). Measured on one part of the zim100k index (376k sections, 27.5M postings of the
body field): ids 89.9 -> 37.4 MB, weights 23.6 -> about 4 MB.

Blocks are written a few postings at a time (most words are in a few sections), where a
call of numpy costs more than a loop: those are packed by loops, long ones with numpy.
"""

from __future__ import annotations

import struct
from array import array
from collections.abc import Sequence
from typing import Any

import numpy as np

from .raw import raw_bytes

_SIZES = {"B": 1, "H": 2, "I": 4}
_DTYPES = {"B": "<u1", "H": "<u2", "I": "<u4"}
_COUNT = struct.Struct("<H")
_WIDE = struct.Struct("<I")
_NUMPY_FROM = 64
"""Postings from which a block's numbers are packed with numpy."""


def narrowest(top: int) -> str:
    """The typecode of the narrowest unsigned type that holds numbers up to `top`."""
    return "B" if top < 1 << 8 else "H" if top < 1 << 16 else "I"


def pack_numbers(deltas: Sequence[int] | Any, weights: Sequence[float] | Any) -> bytes:
    """A block's ids (`deltas`, ints) and `weights` (floats) as bytes (see above)."""
    if len(deltas) >= _NUMPY_FROM or isinstance(deltas, np.ndarray):
        id_code, id_bytes = _ids_by_numpy(np.asarray(deltas, dtype=np.int64))
        weight_code, weight_bytes = _weights_by_numpy(np.asarray(weights, dtype=np.float64))
    else:
        id_code, id_bytes = _ids_by_loop(deltas)
        weight_code, weight_bytes = _weights_by_loop(weights)
    return (id_code + weight_code).encode() + id_bytes + weight_bytes


def _ids_by_loop(deltas: Sequence[int]) -> tuple[str, bytes]:
    code = narrowest(max(deltas))
    if code != "B":
        bases = ("B",) if code == "H" else ("B", "H")
        best = len(deltas) * _SIZES[code]
        chosen = ""
        for base in bases:
            limit = 1 << (8 * _SIZES[base])
            over = sum(1 for delta in deltas if delta >= limit)
            size = 2 + len(deltas) * _SIZES[base] + 6 * over
            if size < best:
                best, chosen = size, base
        if chosen:
            limit = 1 << (8 * _SIZES[chosen])
            places = [n for n, delta in enumerate(deltas) if delta >= limit]
            return chosen.lower(), (
                _COUNT.pack(len(places))
                + raw_bytes(array(chosen, [d if d < limit else 0 for d in deltas]))
                + raw_bytes(array("H", places))
                + raw_bytes(array("I", [deltas[n] for n in places]))
            )
    return code, raw_bytes(array(code, deltas))


def _ids_by_numpy(deltas: Any) -> tuple[str, bytes]:
    code = narrowest(int(deltas.max()))
    if code != "B":
        count = len(deltas)
        best = count * _SIZES[code]
        chosen = ""
        for base in ("B",) if code == "H" else ("B", "H"):
            over = int(np.count_nonzero(deltas >= 1 << (8 * _SIZES[base])))
            size = 2 + count * _SIZES[base] + 6 * over
            if size < best:
                best, chosen = size, base
        if chosen:
            over_ = deltas >= 1 << (8 * _SIZES[chosen])
            places = np.flatnonzero(over_)
            base_ = np.where(over_, 0, deltas).astype(_DTYPES[chosen])
            return chosen.lower(), (
                _COUNT.pack(len(places))
                + base_.tobytes()
                + places.astype("<u2").tobytes()
                + deltas[places].astype("<u4").tobytes()
            )
    return code, deltas.astype(_DTYPES[code]).tobytes()


def _weights_by_loop(weights: Sequence[float]) -> tuple[str, bytes]:
    if all(w == 1.0 for w in weights):
        return "-", b""
    if not all(w.is_integer() and 0 <= w < 256 for w in weights):
        return "f", raw_bytes(array("f", weights))
    places = [n for n, w in enumerate(weights) if w != 1.0]
    if 2 + 3 * len(places) < len(weights):
        return "x", (
            _COUNT.pack(len(places))
            + raw_bytes(array("H", places))
            + bytes(int(weights[n]) for n in places)
        )
    return "B", bytes(int(w) for w in weights)


def _weights_by_numpy(weights: Any) -> tuple[str, bytes]:
    others = weights != 1.0
    if not others.any():
        return "-", b""
    if not (np.all(weights == np.floor(weights)) and weights.min() >= 0 and weights.max() < 256):
        return "f", weights.astype("<f4").tobytes()
    places = np.flatnonzero(others)
    if 2 + 3 * len(places) < len(weights):
        return "x", (
            _COUNT.pack(len(places))
            + places.astype("<u2").tobytes()
            + weights[places].astype("<u1").tobytes()
        )
    return "B", weights.astype("<u1").tobytes()


def _ids_end(numbers: bytes, count: int) -> int:
    """Where the weights start in `numbers`."""
    code = chr(numbers[0])
    if code in _SIZES:
        return 2 + count * _SIZES[code]
    over: int = _COUNT.unpack_from(numbers, 2)[0]
    return 4 + count * _SIZES[code.upper()] + 6 * over


def unpack_ids(numbers: bytes, count: int) -> Any:
    """A block's id deltas (its first from 0), as a numpy array of unsigned integers: sum
    them (np.cumsum with dtype int64) for the ids."""
    code = chr(numbers[0])
    if code in _SIZES:
        return np.frombuffer(numbers, _DTYPES[code], count, 2)
    base = code.upper()
    over = _COUNT.unpack_from(numbers, 2)[0]
    at = 4 + count * _SIZES[base]
    deltas = np.frombuffer(numbers, _DTYPES[base], count, 4).astype(np.int64)
    deltas[np.frombuffer(numbers, "<u2", over, at)] = np.frombuffer(
        numbers, "<u4", over, at + 2 * over
    )
    return deltas


def unpack_weights(numbers: bytes, count: int) -> Any:
    """A block's weights, as a numpy array (float32, float64 or bytes), or None when they are
    all 1.0."""
    code = chr(numbers[1])
    if code == "-":
        return None
    at = _ids_end(numbers, count)
    if code == "B":
        return np.frombuffer(numbers, "<u1", count, at)
    if code == "f":
        return np.frombuffer(numbers, "<f4", count, at)
    over = _COUNT.unpack_from(numbers, at)[0]
    weights = np.ones(count)
    weights[np.frombuffer(numbers, "<u2", over, at + 2)] = np.frombuffer(
        numbers, "<u1", over, at + 2 + 2 * over
    )
    return weights


def moved_up(numbers: bytes, count: int, base: int) -> bytes:
    """`numbers` with the block's first id moved up by `base` (a merge's segments after the
    first: the deltas start from 0)."""
    code = chr(numbers[0])
    if code == "I":  # four bytes to rewrite
        return numbers[:2] + _WIDE.pack(_WIDE.unpack_from(numbers, 2)[0] + base) + numbers[6:]
    if code in "bh":
        over = _COUNT.unpack_from(numbers, 2)[0]
        at = 4 + count * _SIZES[code.upper()]
        if over and _COUNT.unpack_from(numbers, at)[0] == 0:  # the first is an exception
            at += 2 * over
            first = _WIDE.unpack_from(numbers, at)[0] + base
            return numbers[:at] + _WIDE.pack(first) + numbers[at + 4 :]
    deltas = unpack_ids(numbers, count).tolist()
    deltas[0] += base
    id_code, id_bytes = _ids_by_loop(deltas)
    return (id_code + chr(numbers[1])).encode() + id_bytes + numbers[_ids_end(numbers, count) :]
