"""An article as the reading pane shows it, laid out as rows at a width. No Textual here.

Its blocks, links and highlighted words; rows, links and sections are found by bisection,
so a question costs the same for a short article and for one with 10,000 headings.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable
from dataclasses import dataclass

from termpedia.content.article import Article
from termpedia.content.display import DisplayLink
from termpedia.content.tables import char_width

from .find import offsets_of, overlapping
from .layout import TAB_CELLS, Block, Exists, Row, blocks_of, layout

Matcher = Callable[[str], list[tuple[int, int]]]
"""Where the words searched for are in a text: (start, end) offsets."""


@dataclass(frozen=True)
class LinkPlace:
    """A link in reading order: which block, where, and what it points at."""

    block: int
    link: DisplayLink


class Page:
    """The blocks of one article (none before the first), and the rows of the last width."""

    def __init__(
        self,
        article: Article | None = None,
        anchor: str = "",
        matcher: Matcher | None = None,
        exists: Exists | None = None,
    ) -> None:
        """`matcher`'s words are highlighted in the text of the section at `anchor`;
        `exists` says which parent pages a subpage's title links to."""
        self.blocks: list[Block] = blocks_of(article, exists) if article is not None else []
        self.texts = [block.text for block in self.blocks]
        self.block_offsets = offsets_of(self.texts)
        """Where each block's text starts in the text find searches (the blocks joined)."""
        self.text_length = sum(len(block.text) for block in self.blocks)
        self.links = [
            LinkPlace(number, link)
            for number, block in enumerate(self.blocks)
            for link in sorted(block.links, key=lambda link: link.start)
        ]
        self._link_starts = [place.link.start for place in self.links]
        self._link_ends = [place.link.end for place in self.links]
        self._link_keys = [(place.block, place.link.start) for place in self.links]
        """(block, start) of every link, in reading order, for bisection."""
        self._links_by_block: dict[int, tuple[int, int]] = {}
        """[first, end) of each block's links in the lists above."""
        for index, place in enumerate(self.links):
            first, _ = self._links_by_block.get(place.block, (index, index))
            self._links_by_block[place.block] = (first, index + 1)
        self.matches: dict[int, tuple[list[int], list[int]]] = {}
        """Search words to highlight: per block, sorted starts and ends of merged spans."""
        if matcher is not None:
            for number, block in enumerate(self.blocks):
                if block.anchor == anchor and block.kind == "text":
                    self.matches[number] = merged(matcher(block.text))
        self.width = 0
        """The width the rows were laid out at (0: not yet)."""
        self.rows: list[Row] = []
        self._row_starts: list[int] = []
        """row.start of every row: bisected within a block's rows."""
        self._block_rows: list[int] = [0]
        """The first row of each block, and the number of rows at the end."""
        self.starts: list[tuple[int, str]] = [(0, "")]
        """(row, anchor) where each section starts, in reading order."""
        self._start_rows: list[int] = [0]
        self._anchor_rows: dict[str, int] = {"": 0}
        self._anchors: dict[str, int] = {"": 0}
        """Each anchor's place among the sections."""

    def lay_out(self, width: int) -> None:
        """Wrap the blocks into rows of at most `width` cells."""
        self.width = width
        self.rows, self.starts = layout(self.blocks, width)
        self._row_starts = [row.start for row in self.rows]
        self._block_rows = [0] * (len(self.blocks) + 1)
        self._block_rows[-1] = len(self.rows)
        for number in range(len(self.rows) - 1, -1, -1):
            self._block_rows[self.rows[number].block] = number
        self._start_rows = [row for row, _ in self.starts]
        self._anchor_rows, self._anchors = {}, {}
        for place, (row, name) in enumerate(self.starts):
            self._anchor_rows.setdefault(name, row)
            self._anchors.setdefault(name, place)

    # -- rows and sections ---------------------------------------------------------------

    def row_at(self, block: int, offset: int) -> int:
        """The row showing character `offset` of `block`."""
        if block >= len(self._block_rows) - 1:
            return 0
        first, end = self._block_rows[block], self._block_rows[block + 1]
        number = max(bisect.bisect_right(self._row_starts, offset, first, end) - 1, first)
        shape = self.rows[number].shape if number < len(self.rows) else None
        if shape is not None and shape.grid is not None and not _shows(self.rows[number], offset):
            return self._table_row_showing(number, offset)
        return number

    def _table_row_showing(self, number: int, offset: int) -> int:
        """The row of a table row (a few rows: its cells wrapped) that draws `offset`, from
        row `number` of it: the table row's first row if none does (a separator)."""
        rows = self.rows
        first = number
        while first > 0 and not rows[first].first and rows[first - 1].shape is not None:
            first -= 1
        row = first
        while row < len(rows) and (row == first or not rows[row].first):
            shape = rows[row].shape
            if shape is None or shape.grid is None or shape.kind == "rule":
                break
            if _shows(rows[row], offset):
                return row
            row += 1
        return first

    def key_of_row(self, number: int) -> tuple[int, int]:
        """(block, start) where row `number` begins; past the last row, past every block."""
        if number >= len(self.rows):
            return len(self.blocks), 0
        row = self.rows[max(number, 0)]
        return row.block, row.start

    def starts_row(self, anchor: str) -> int:
        """The row where the section `anchor` starts (0 for an unknown one)."""
        return self._anchor_rows.get(anchor, 0)

    def section_at(self, row: int) -> str:
        """The anchor of the section row `row` is in."""
        index = bisect.bisect_right(self._start_rows, row) - 1
        return self.starts[max(index, 0)][1]

    def section_after(self, anchor: str, direction: int, top: int) -> str:
        """The next (1) or previous (-1) section from `anchor` with row `top` at the top of
        the view: from inside a section, the previous one is its own heading first."""
        here = self._anchors.get(anchor, 0)
        if direction < 0 and top > self.starts_row(anchor):
            direction = 0
        return self.starts[min(max(here + direction, 0), len(self.starts) - 1)][1]

    # -- links ---------------------------------------------------------------------------

    def link_row(self, index: int) -> int:
        place = self.links[index]
        return self.row_at(place.block, place.link.start)

    def next_link(self, cursor: int | None, step: int, top: int, bottom: int) -> int:
        """The link after (1) or before (-1) `cursor`, round the end; with no cursor, the
        first (or last) link on rows [top, bottom), or else the first (last) of all."""
        if cursor is not None:
            return (cursor + step) % len(self.links)
        first = bisect.bisect_left(self._link_keys, self.key_of_row(top))
        after = bisect.bisect_left(self._link_keys, self.key_of_row(bottom))
        if first < after:
            return first if step > 0 else after - 1
        return 0 if step > 0 else len(self.links) - 1

    def links_in(self, block: int, start: int, end: int) -> range:
        """Indices of the links overlapping characters [start, end) of `block`."""
        first, stop = self._links_by_block.get(block, (0, 0))
        return overlapping(self._link_starts, self._link_ends, first, stop, start, end)

    def link_at(self, number: int, x: int) -> int | None:
        """The link under cell `x` of row `number` (counted from the row's first cell)."""
        if not 0 <= number < len(self.rows):
            return None
        row = self.rows[number]
        column = self.offset_at(row, x - row.indent)
        if column is None:
            return None
        return next(iter(self.links_in(row.block, column, column + 1)), None)

    def offset_at(self, row: Row, x: int) -> int | None:
        """The character of the row's block drawn at cell `x` from the row's indent."""
        text = self.blocks[row.block].text
        if row.shape is None:
            return _offset_at(text, row.start, row.end, x, False)
        code = row.shape.kind == "code"
        for start, end, left in row.shape.pieces:
            found = _offset_at(text, start, end, x - left, code) if x >= left else None
            if found is not None:
                return found
        return None

    def highlights_in(self, block: int, start: int, end: int) -> list[tuple[int, int]]:
        """The highlighted words overlapping characters [start, end) of `block`."""
        if block not in self.matches:
            return []
        starts, ends = self.matches[block]
        found = overlapping(starts, ends, 0, len(starts), start, end)
        return [(starts[index], ends[index]) for index in found]


def merged(spans: list[tuple[int, int]]) -> tuple[list[int], list[int]]:
    """Sorted starts and ends of the spans, overlapping ones joined (they look the same)."""
    starts: list[int] = []
    ends: list[int] = []
    for start, end in sorted(spans):
        if ends and start <= ends[-1]:
            ends[-1] = max(ends[-1], end)
        else:
            starts.append(start)
            ends.append(end)
    return starts, ends


def _shows(row: Row, offset: int) -> bool:
    """Whether character `offset` of the row's block is drawn on the row."""
    if row.shape is None:
        return row.start <= offset < row.end
    return any(start <= offset < end for start, end, _ in row.shape.pieces)


def _offset_at(text: str, start: int, end: int, x: int, code: bool) -> int | None:
    """The offset in [start, end) of `text` of the character drawn at cell `x` (0 at
    `start`), counting wide characters as two cells (and a tab as TAB_CELLS in code)."""
    if x < 0:
        return None
    piece = text[start:end]
    if piece.isascii() and not (code and "\t" in piece):
        return start + x if x < len(piece) else None
    used = 0
    for offset, char in enumerate(piece):
        used += TAB_CELLS if code and char == "\t" else char_width(char)
        if x < used:
            return start + offset
    return None
