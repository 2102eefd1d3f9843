"""Find in page without Textual: the occurrences of a needle in the blocks' text.

They are kept so that "the n-th match", "the first match from here" and "the matches on
this row" are answered by bisection, however many there are (a 1 MB line of words has
~100,000).
"""

from __future__ import annotations

import bisect
import time
from collections.abc import Callable, Iterator, Sequence
from itertools import accumulate

WINDOW = 65_536
"""Characters searched at a time: a C call on a window takes about a millisecond, so a
thread searching a huge line lets go of the GIL often and can stop when it is cancelled."""
FIRST_REPORT = 0.03
"""Seconds of finding after which the count found so far is shown ("1 of 2,000+")."""
REPORT_EVERY = 0.1
"""Seconds between later reports of a find still counting."""


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


def in_batches(
    haystack: str,
    needle: str,
    cancelled: Callable[[], bool],
    hand_over: Callable[[list[int], bool], None],
) -> None:
    """Find `needle` in `haystack` and hand the offsets over as they come: a first batch
    after FIRST_REPORT seconds, then one every REPORT_EVERY, the last with True (done).
    Stops, handing over nothing more, once `cancelled()`."""
    batch: list[int] = []
    report_at = time.monotonic() + FIRST_REPORT
    for offsets in occurrences(haystack, needle):
        if cancelled():
            return
        batch.extend(offsets)
        if time.monotonic() >= report_at:
            hand_over(batch, False)
            batch = []
            report_at = time.monotonic() + REPORT_EVERY
    hand_over(batch, True)


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


class Finder:
    """Find in page for one article: the matches found so far and the current one, and a
    generation number that tells a find thread's batches from those of an older find."""

    def __init__(self) -> None:
        self.found = Matches(0, [])
        self.found.done = True
        self.generation = 0
        self.current: int | None = None
        """Which match is current (0-based), if any."""
        self._folded: tuple[object, str] | None = None
        """The blocks' text casefolded and joined, made once an article."""

    def reset(self) -> None:
        """Forget the matches; batches of the find under way are dropped when they come."""
        self.generation += 1
        self.found = Matches(0, [])
        self.found.done = True
        self.current = None

    def begin(self, text: str, block_offsets: list[int]) -> str:
        """Start finding `text` in blocks starting at `block_offsets` of the joined text;
        the needle to look for there ("" if nothing can match)."""
        self.reset()
        needle = folded(text)
        self.found = Matches(len(needle), block_offsets)
        return "" if SEPARATOR in needle else needle

    def folded_text(
        self, texts: Sequence[str], cancelled: Callable[[], bool] = lambda: False
    ) -> str | None:
        """The texts casefolded and joined with SEPARATOR (None if cancelled on the way);
        the same sequence again costs nothing."""
        cached = self._folded
        if cached is not None and cached[0] is texts:
            return cached[1]
        parts = []
        for number, text in enumerate(texts):
            if number % 1024 == 0 and cancelled():
                return None
            parts.append(folded(text))
        joined = SEPARATOR.join(parts)
        self._folded = (texts, joined)
        return joined

    def find_now(self, needle: str, texts: Sequence[str]) -> list[int]:
        """Every occurrence of `needle` in the texts at once (for short articles)."""
        haystack = self.folded_text(texts) or "" if needle else ""
        return [offset for batch in occurrences(haystack, needle) for offset in batch]

    def find_all(
        self,
        needle: str,
        texts: Sequence[str],
        cancelled: Callable[[], bool],
        hand_over: Callable[[list[int], bool], None],
    ) -> None:
        """Every occurrence of `needle` in the texts, handed over in batches (`in_batches`);
        for a thread, which stops once `cancelled()`."""
        haystack = self.folded_text(texts, cancelled)
        if haystack is not None:
            in_batches(haystack, needle, cancelled, hand_over)

    def add(self, generation: int, batch: list[int], done: bool) -> bool:
        """More matches of the find `generation`; False (and nothing added) if it is old."""
        if generation != self.generation:
            return False
        self.found.add(batch)
        self.found.done = done
        return True

    def count(self) -> tuple[int, int, bool]:
        """(1-based position of the current match or 0, matches found, whether finding is
        done: the total is exact)."""
        position = self.current + 1 if self.current is not None else 0
        return position, self.found.total, self.found.done

    def first_to_show(self, first_from_top: int) -> int | None:
        """While no match is current: the one to go to now, the first at or below the top of
        the view (`first_from_top`), or once all are found and none is below, the first."""
        total = self.found.total
        if self.current is not None or not total:
            return None
        if first_from_top < total:
            return first_from_top
        return 0 if self.found.done else None

    def step(self, step: int, first_from_top: int) -> int | None:
        """The match after (1) or before (-1) the current one, round the end; with none
        current, from `first_from_top` (the first at or below the top of the view). None
        if there are no matches."""
        total = self.found.total
        if not total:
            return None
        if self.current is None:
            first = first_from_top
            index = (first if first < total else 0) if step > 0 else first - 1
        else:
            index = self.current + step
        return index % total
