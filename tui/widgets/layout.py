"""Laying an article out as wrapped rows for the reading pane (no Textual here: testable).

Text is word-wrapped, and text in scripts written without spaces (Chinese, Japanese, Korean)
between any two of its characters, never before a closing mark (`，。」`) nor after an
opening one (`「（`); a code block's lines are never re-wrapped (a line wider than the
column is cut at its edge and goes on, marked, on the next row); a table is drawn in
aligned columns, or folded into `Header: value` lines, by `content/tables.py`'s rule, the
one `termpedia show` follows. Every row still shows characters of its block's text, so
find in page, highlighted words and links keep their offsets.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass
from itertools import accumulate
from typing import Literal, NamedTuple

from rich.cells import cell_len, get_character_cell_size

from termpedia.content.article import Align, Article
from termpedia.content.display import (
    DisplayBlock,
    DisplayLink,
    DisplayTable,
    display_text,
    section_display,
)
from termpedia.content.sanitize import visible
from termpedia.content.tables import (
    SEPARATOR,
    cell_width,
    folded_rows,
    padding,
    plan_table,
    wrap,
)

BlockKind = Literal["title", "infobox", "heading", "text"]
CLOSING = frozenset(
    "、。，．：；？！）］｝〕〉》」』】〙〗〟｠’”…‥・ー々〻ゝゞヽヾ"
    "ぁぃぅぇぉっゃゅょゎゕゖァィゥェォッャュョヮヵヶㇰㇱㇲㇳㇴㇵㇶㇷㇸㇹㇺㇻㇼㇽㇾㇿ"
    ",.:;?!)]}%"
)
"""Never the first character of a row (CJK line breaking rules, kinsoku): closing marks,
small kana, the prolonged sound mark."""
OPENING = frozenset("（［｛〔〈《「『【〘〖〝｟‘“([{")
"""Never the last character of a row: opening marks."""
_LIST_ITEM = re.compile(r"[ \t]*(?:[-*•]|\d{1,9}[.)])[ \t]+(?=\S)")
"""A list item's marker (`- `, `* `, `• `, `1. `, `2) `, maybe indented): its wrapped rows
continue under the item's text."""
MAX_KEY_WIDTH = 22
CODE_INDENT = 2
"""Cells a code block is set in from the margin."""
CODE_GOES_ON = "↪"
"""Drawn in the margin of a code line's rows after the first (the line was wider than the
column: it is cut at the edge, never re-wrapped at a space)."""
TAB_CELLS = 4
"""Cells a tab takes in a code block (elsewhere it is shown as one space)."""
ELLIPSIS = "…"
MAX_PATH_PARTS = 8
"""Parent pages of a subpage's title looked up at most (each is a look-up in the index)."""

Exists = Callable[[str], bool]
"""Whether a title names an article (for the links of a subpage's title)."""


@dataclass(frozen=True)
class Block:
    """A run of text shown together: the title, an infobox row, a heading, a section body."""

    kind: BlockKind
    text: str
    anchor: str
    links: tuple[DisplayLink, ...] = ()
    level: int = 0
    label: str = ""
    """For an infobox row, its key (shown in a column of its own)."""
    drawn: tuple[DisplayBlock, ...] = ()
    """A section body's code blocks and tables, laid out apart from its wrapped text."""
    quiet: int = 0
    """For the title: characters [0, quiet) are its parent path or prefix, shown dimmed."""


@dataclass(frozen=True)
class Grid:
    """A table's columns as drawn: where each starts (cells from the row's indent), how wide
    it is, and how its cells are aligned. Shared by the table's rows."""

    lefts: tuple[int, ...]
    widths: tuple[int, ...]
    align: tuple[Align, ...]

    @classmethod
    def of(cls, widths: tuple[int, ...], align: tuple[Align, ...]) -> Grid:
        lefts, left = [], 0
        for width in widths:
            lefts.append(left)
            left += width + len(SEPARATOR)
        return cls(tuple(lefts), widths, align)


ShapeKind = Literal["cells", "header", "rule", "fold", "code"]


class Shape(NamedTuple):
    """How a row that is not plain wrapped text is drawn: a table row's (or its header's)
    pieces of cells in columns, the rule under the header, a folded table's `Header: value`
    line, or a line of code."""

    kind: ShapeKind
    pieces: tuple[tuple[int, int, int], ...] = ()
    """(start, end, x): characters [start, end) of the block drawn from cell x (counted
    from the row's indent); for a table, one per column of `grid` (empty: nothing there)."""
    grid: Grid | None = None
    label: str = ""
    """Drawn at x 0, before the pieces: a folded row's `Header: `, a code line's mark."""
    label_of: tuple[int, int] | None = None
    """Where the label's first characters are in the block: a folded row's header cell."""


class Row(NamedTuple):
    """One screen line: characters [start, end) of a block, after `indent` blank cells (a
    tuple, cheap to make: a long article has tens of thousands)."""

    block: int
    start: int
    end: int
    indent: int = 0
    first: bool = True
    """The first row of its block's line (where an infobox key is drawn; for a table, the
    first row of a table row)."""
    shape: Shape | None = None
    """None for wrapped text: characters [start, end) drawn from the indent."""


def blocks_of(article: Article, exists: Exists | None = None) -> list[Block]:
    """The article in reading order: title, infobox, lead, then each section. With
    `exists`, a subpage's title links the parent pages in its path (`title_path`)."""
    title = visible(article.title)
    quiet, links = title_path(article.title, exists)
    blocks = [Block("title", title, "", links, level=1, quiet=quiet)]
    for key, value in article.infobox:
        shown = display_text(value)
        blocks.append(Block("infobox", shown.text, "", shown.links, label=visible(key)))
    for section in article.walk():
        if section.heading:
            blocks.append(
                Block("heading", visible(section.heading), section.anchor, level=section.level)
            )
        shown = section_display(section)
        if shown.text:
            drawn = tuple(b for b in shown.blocks if b.kind in ("code", "table"))
            blocks.append(Block("text", shown.text, section.anchor, shown.links, drawn=drawn))
    return blocks


def title_path(title: str, exists: Exists | None) -> tuple[int, tuple[DisplayLink, ...]]:
    """How a title is shown: (where its own name starts, links to its parent pages).

    A subpage's title is a path, `Book/Chapter/Page`, when a page of that path exists
    (`Book` or `Book/Chapter`): the name is `Page`, and each part of the path that is a page
    links to it (the part `Chapter` to `Book/Chapter`). A prefixed title, `Recipe:Tea` or
    `Help:Searching` (no space after the colon), goes by the name after the prefix. The path
    and the prefix are shown dimmed; other titles are their name whole."""
    links: list[DisplayLink] = []
    quiet = 0
    if exists is not None and "/" in title.strip("/"):
        slashes = [i for i, char in enumerate(title) if char == "/"]
        for slash in slashes[:MAX_PATH_PARTS]:
            path = title[:slash]
            part_start = path.rfind("/") + 1
            if path[part_start:].strip() and title[slash + 1 :].strip() and exists(path):
                links.append(DisplayLink(part_start, slash, path.strip(), "", "inline"))
        if links:
            quiet = slashes[-1] + 1
    if not quiet:
        prefix, colon, name = title.partition(":")
        if colon and prefix.strip() and "/" not in prefix and name[:1].strip():
            quiet = len(prefix) + 1
    return quiet, tuple(links)


def _cells(text: str) -> int:
    return len(text) if text.isascii() else cell_len(text)


def wrap_line(text: str, start: int, width: int) -> list[tuple[int, int]]:
    """Greedy wrap of one hard line: [(start, end)] offsets into the block text. A row ends
    after spaces, or between two characters of which one is wide (CJK), unless that would
    start a row with a closing mark or end one with an opening mark (`_breaks_at`); a word
    wider than the row is cut. Spaces stay at the end of the row they follow."""
    width = max(width, 1)
    if _cells(text) <= width:
        return [(start, start + len(text))]
    if text.isascii():
        return _wrap_ascii(text, start, width)
    # Cells before each character: a row's end is found by bisection, not character by
    # character (a 300 KiB article of Chinese is 100,000 of them).
    before = [0, *accumulate(map(get_character_cell_size, text))]
    rows: list[tuple[int, int]] = []
    position, length = 0, len(text)
    while before[length] - before[position] > width:
        fits = bisect_right(before, before[position] + width, position) - 1
        cut = fits
        if text[cut].isspace():
            while cut < length and text[cut].isspace():
                cut += 1  # spaces stay at the end of the row they follow
            if cut == length:
                break
        else:
            while cut > position and not _breaks_at(text, cut):
                cut -= 1
            if cut == position:
                cut = max(fits, position + 1)  # no place to break: the word is cut
        rows.append((start + position, start + cut))
        position = cut
    rows.append((start + position, start + length))
    return rows


def _breaks_at(text: str, at: int) -> bool:
    """May a row end before character `at` (0 < at < len(text))?"""
    after, before = text[at], text[at - 1]
    if after.isspace():
        return False
    if before.isspace():
        return True
    if after in CLOSING or before in OPENING:
        return False
    size = get_character_cell_size(after)
    return size == 2 or (size == 1 and get_character_cell_size(before) == 2)


def _wrap_ascii(text: str, start: int, width: int) -> list[tuple[int, int]]:
    """The same greedy wrap for one-cell characters, with str.rfind doing the scanning: a
    300 KiB article lays out several times faster than word by word."""
    rows: list[tuple[int, int]] = []
    position, length = 0, len(text)
    while length - position > width:
        space = text.rfind(" ", position + 1, position + width + 1)
        if space < 0:
            cut = position + width  # no space: a word longer than the line is cut
        else:
            cut = space + 1
            while cut < length and text[cut] == " ":
                cut += 1  # spaces stay at the end of the row they follow
        rows.append((start + position, start + cut))
        position = cut
    if position < length or not rows:
        rows.append((start + position, start + length))
    return rows


def layout(blocks: list[Block], width: int) -> tuple[list[Row], list[tuple[int, str]]]:
    """Rows for the blocks at this width, and (row, anchor) where each section starts."""
    width = max(width, 10)
    key_width = min(
        max((_cells(b.label) for b in blocks if b.kind == "infobox"), default=0), MAX_KEY_WIDTH
    )
    rows: list[Row] = []
    sections: list[tuple[int, str]] = [(0, "")]
    previous: BlockKind | None = None
    for number, block in enumerate(blocks):
        indent = key_width + 2 if block.kind == "infobox" else 0
        if block.kind == "heading":
            rows.append(Row(number, 0, 0, first=False))  # a blank line above every heading
            sections.append((len(rows), block.anchor))
        elif previous is not None and (
            block.kind == "text" or (block.kind == "infobox" and previous != "infobox")
        ):
            rows.append(Row(number, 0, 0, first=False))  # a blank line between paragraphs
        offset = 0
        drawn = iter(block.drawn)
        special = next(drawn, None)
        inside = False
        line_width = max(width - indent, 8)
        for line in block.text.split("\n"):
            if special is not None and offset >= special.start:
                # A line of a code block or a table: laid out with the rest of its block.
                if not inside:
                    rows.extend(_drawn_rows(number, block.text, special, line_width))
                    inside = True
                if offset + len(line) >= special.end:
                    special, inside = next(drawn, None), False
                offset += len(line) + 1
                continue
            hanging = hanging_indent(line, line_width) if block.kind == "text" else 0
            pieces = _wrap_hanging(line, offset, line_width, hanging)
            for index, (start, end, extra) in enumerate(pieces):
                rows.append(Row(number, start, end, indent + extra, first=index == 0))
            offset += len(line) + 1
        previous = block.kind
    return rows, sections


def _drawn_rows(number: int, text: str, drawn: DisplayBlock, width: int) -> list[Row]:
    if drawn.table is not None:
        return table_rows(number, drawn.table, width)
    return code_rows(number, text, drawn.start, drawn.end, width)


# -- code ------------------------------------------------------------------------------------


def code_rows(number: int, text: str, start: int, end: int, width: int) -> list[Row]:
    """The lines of a code block (characters [start, end) of the text): set in by
    CODE_INDENT, every space kept; a line wider than the column is cut at the edge and goes
    on in the next row, marked CODE_GOES_ON."""
    room = max(width - CODE_INDENT, 1)
    rows: list[Row] = []
    offset = start
    for line in text[start:end].split("\n"):
        for index, (a, b) in enumerate(_cut_code(line, room)):
            mark = CODE_GOES_ON if index else ""
            piece = ((offset + a, offset + b, CODE_INDENT),)
            shape = Shape("code", piece, label=mark)
            rows.append(Row(number, offset + a, offset + b, first=index == 0, shape=shape))
        offset += len(line) + 1
    return rows


def code_cells(text: str) -> int:
    """Cells a piece of a code line takes (a tab is TAB_CELLS)."""
    return cell_width(text) + (TAB_CELLS - 1) * text.count("\t")


def _cut_code(line: str, room: int) -> list[tuple[int, int]]:
    """[(start, end)] pieces of at most `room` cells each (at least one character)."""
    if line.isascii() and "\t" not in line:
        if len(line) <= room:
            return [(0, len(line))]
        return [(a, min(a + room, len(line))) for a in range(0, len(line), room)]
    pieces: list[tuple[int, int]] = []
    start = used = 0
    for offset, char in enumerate(line):
        size = TAB_CELLS if char == "\t" else cell_width(char)
        if used + size > room and offset > start:
            pieces.append((start, offset))
            start, used = offset, 0
        used += size
    pieces.append((start, len(line)))
    return pieces


# -- tables ----------------------------------------------------------------------------------


def table_rows(number: int, table: DisplayTable, width: int) -> list[Row]:
    """A table's rows: in aligned columns no wider than `width`, its header rows then a rule,
    each cell wrapped in its column; or, when it cannot be aligned in `width`, folded into
    `Header: value` lines (the rule of `content/tables.py`, which `show` follows too)."""
    texts = table.texts()
    plan = plan_table(texts, table.align, width)
    if plan.widths is None:
        return _folded_rows(number, table, plan.keep, width)
    grid = Grid.of(plan.widths, plan.align)
    columns = list(zip(plan.keep, grid.lefts, grid.widths, grid.align, strict=True))
    rows: list[Row] = []
    for row_number, row in enumerate(table.rows):
        kind: ShapeKind = "header" if row_number < table.header_rows else "cells"
        # Per column, its cell's pieces: (start, end, x), one for each line of the row.
        placed: list[list[tuple[int, int, int]]] = []
        for column, left, width_, align in columns:
            cell = row[column]
            text, start = cell.text, cell.start
            placed.append(
                [
                    (start + a, start + b, left + padding(align, width_, cell_width(text[a:b])))
                    for a, b in wrap(text, width_)
                ]
            )
        height = max(map(len, placed), default=1)
        for line in range(height):
            # A column whose cell has no piece on this line draws nothing there.
            shown = [p[line] if line < len(p) else (p[-1][1], p[-1][1], p[-1][2]) for p in placed]
            real = [p[line] for p in placed if line < len(p)]
            # Rows of one table row start at its first piece on that line: their starts grow
            # (a later column's offsets are past an earlier one's), as Page's bisection needs.
            if real:
                start, end = real[0][0], real[-1][1]
            else:  # every column of the table is empty: an empty line, as in `show`
                start = end = row[0].start if row else 0
            shape = Shape(kind, tuple(shown), grid)
            rows.append(Row(number, start, end, first=line == 0, shape=shape))
        if row_number + 1 == table.header_rows and row_number + 1 < len(table.rows):
            end = rows[-1].end
            rows.append(Row(number, end, end, first=False, shape=Shape("rule", grid=grid)))
    return rows


def _folded_rows(number: int, table: DisplayTable, keep: tuple[int, ...], width: int) -> list[Row]:
    """A table too wide to align: each body row as `Header: value` lines, the value wrapped
    under itself (the label cut short, with an ellipsis, if it takes over half the width),
    rows apart by a blank line; empty cells left out. A label that is one header cell is
    drawn from that cell's text (`Shape.label_of`): its links and the words found in it are
    shown there."""
    kept = [[row[c] for c in keep] for row in table.rows]
    rows: list[Row] = []
    heads = kept[0] if table.header_rows == 1 and len(kept) > 1 else None
    for row_number, values in folded_rows([[c.text for c in r] for r in kept], table.header_rows):
        if rows:
            end = rows[-1].end
            rows.append(Row(number, end, end, first=False))
        for label, column in values:
            cell = kept[row_number][column]
            shown, kept_chars = fold_label(label, width)
            of = None
            if heads is not None and label:
                of = (heads[column].start, heads[column].start + kept_chars)
            x = cell_width(shown)
            for index, (a, b) in enumerate(wrap(cell.text, max(width - x, 1))):
                piece = ((cell.start + a, cell.start + b, x),)
                first = index == 0
                shape = Shape(
                    "fold", piece, label=shown if first else "", label_of=of if first else None
                )
                rows.append(Row(number, cell.start + a, cell.start + b, first=first, shape=shape))
    return rows


def fold_label(label: str, width: int) -> tuple[str, int]:
    """`Header: ` for a folded row's value ("" for none), cut to half the width at most
    (`Head…: `), and how many characters of `label` it keeps."""
    if not label:
        return "", 0
    shown = f"{label}: "
    room = max(width // 2, 4)
    if cell_width(shown) <= room:
        return shown, len(label)
    cut, used = 0, 0
    while cut < len(label) and used + cell_width(label[cut]) <= room - 3:
        used += cell_width(label[cut])
        cut += 1
    kept = len(label[:cut].rstrip())
    return f"{label[:kept]}{ELLIPSIS}: ", kept


def infobox_key(label: str, indent: int) -> str:
    """An infobox key as drawn in the `indent` cells before its value: cut to leave two
    cells, then padded to `indent` cells (a wide character counts two)."""
    room = max(indent - 2, 0)
    if _cells(label) > room:
        used = cut = 0
        while cut < len(label) and used + cell_width(label[cut]) <= room:
            used += cell_width(label[cut])
            cut += 1
        label = label[:cut]
    return label + " " * (indent - _cells(label))


def hanging_indent(line: str, width: int) -> int:
    """Cells to indent the wrapped rows of a list item by (0 for other lines): up to where
    the item's text starts, so long as that leaves the text half the width."""
    marker = _LIST_ITEM.match(line)
    if marker is None:
        return 0
    cells = _cells(marker.group().replace("\t", " "))
    return cells if cells <= width // 2 else 0


def _wrap_hanging(line: str, start: int, width: int, hanging: int) -> list[tuple[int, int, int]]:
    """(start, end, extra indent) rows: the first at the full width, the rest `hanging` in."""
    pieces = wrap_line(line, start, width)
    if not hanging or len(pieces) == 1:
        return [(a, b, 0) for a, b in pieces]
    first_start, first_end = pieces[0]
    rest = wrap_line(line[first_end - start :], first_end, width - hanging)
    return [(first_start, first_end, 0)] + [(a, b, hanging) for a, b in rest]
