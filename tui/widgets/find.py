"""Find in page without Textual: the occurrences of a needle in the blocks' text, kept so
that "the n-th match", "the first match from here" and "the matches on this row" are
answered by bisection, however many there are (a 1 MB line of words has ~100,000)."""

from __future__ import annotations

import bisect
from collections.abc import Iterator
from itertools import accumulate

WINDOW = 65_536
"""Characters searched at a time: a C call on a window takes about a millisecond, so a
thread searching a huge line lets go of the GIL often and can stop when it is cancelled."""


def folded(text: str) -> str:
    """`text` for a case-insensitive find, with the same offsets as `text`."""
    casefolded = text.casefold()
    if len(casefolded) == len(text):
        return casefolded
    lowered = text.lower()  # casefold changed the length (ß -> ss): keep offsets instead
    return lowered if len(lowered) == len(text) else text


def occurrences(haystack: str, needle: str) -> Iterator[list[int]]:
    """Starts of `needle` in `haystack`, left to right and not overlapping (what str.count
    counts), a window at a time."""
    size = len(needle)
    if not size:
        return
    position, length = 0, len(haystack)
    while position < length:
        end = min(position + WINDOW, length)
        # Matches starting in [position, end); one may run up to size - 1 past the end.
        pieces = haystack[position : end + size - 1].split(needle)
        pieces.pop()
        if pieces:
            # start of match i = position + sum(len(piece) + size for pieces 0..i) - size
            starts = list(
                map((position - size).__add__, accumulate(map(size.__add__, map(len, pieces))))
            )
            yield starts
            position = max(end, starts[-1] + size)
        else:
            position = end


def overlapping(
    starts: list[int], ends: list[int], lo: int, hi: int, start: int, end: int
) -> range:
    """Indices in [lo, hi) of the spans that overlap [start, end), for spans sorted by start
    that do not overlap each other (so their ends are sorted too)."""
    first = bisect.bisect_right(ends, start, lo, hi)
    return range(first, max(bisect.bisect_left(starts, end, lo, hi), first))


SEPARATOR = "\0"
"""Between blocks in the text searched: never in a block (the sanitiser shows NUL as a
visible character), so no match spans two blocks."""


def offsets_of(texts: list[str]) -> list[int]:
    """Where each text starts once they are joined with SEPARATOR."""
    return [0, *accumulate(len(text) + 1 for text in texts)][:-1] if texts else []


class Matches:
    """The occurrences of one needle in the joined blocks, in reading order, as offsets into
    the joined text; added a batch at a time."""

    def __init__(self, size: int, block_offsets: list[int]) -> None:
        self.size = size
        """The needle's length: every match is that long."""
        self.done = False
        """Whether every block has been searched (the total is exact)."""
        self.offsets: list[int] = []
        self._blocks = block_offsets

    @property
    def total(self) -> int:
        return len(self.offsets)

    def add(self, offsets: list[int]) -> None:
        """More matches, after all the ones added so far."""
        self.offsets.extend(offsets)

    def at(self, index: int) -> tuple[int, int]:
        """(block, start) of match `index` (0-based)."""
        offset = self.offsets[index]
        block = bisect.bisect_right(self._blocks, offset) - 1
        return block, offset - self._blocks[block]

    def index_from(self, block: int, start: int) -> int:
        """The index of the first match at or after `start` of `block` (`total` if none)."""
        if block >= len(self._blocks):
            return self.total
        return bisect.bisect_left(self.offsets, self._blocks[block] + start)

    def in_row(self, block: int, start: int, end: int) -> Iterator[tuple[int, int]]:
        """(index, start) of the matches that overlap characters [start, end) of `block`."""
        if not self.offsets or block >= len(self._blocks):
            return
        base = self._blocks[block]
        first = bisect.bisect_right(self.offsets, base + start - self.size)
        for index in range(first, bisect.bisect_left(self.offsets, base + end)):
            yield index, self.offsets[index] - base
