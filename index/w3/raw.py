"""Arrays of numbers as little-endian bytes, whatever the machine (every file of this package)."""

from __future__ import annotations

import sys
from array import array
from typing import Any

_LITTLE = sys.byteorder == "little"


def raw_bytes(numbers: array[Any]) -> bytes:
    """An array's bytes, little-endian whatever the machine."""
    if not _LITTLE:
        numbers = array(numbers.typecode, numbers)
        numbers.byteswap()
    return numbers.tobytes()


def from_bytes(typecode: str, raw: bytes) -> array[Any]:
    numbers = array(typecode, raw)
    if not _LITTLE:
        numbers.byteswap()
    return numbers
