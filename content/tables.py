"""Tables in terminal cells: widths (wide characters count two), wrapped cells, folded rows."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from typing import NamedTuple

from .article import Align

SEPARATOR = " │ "
"""Between two columns of an aligned table."""
RULE, CROSS = "─", "─┼─"
"""The line under the header rows, and where it crosses a separator."""
MIN_COLUMN = 6
"""A column is never narrowed below this many cells (or its longest word, if longer)."""
_WORD = re.compile(r"\S+")


def char_width(char: str) -> int:
    """Terminal cells of one character: 2 for wide East Asian ones, 0 for combining marks
    and zero-width formatting characters, else 1."""
    if char < "\u0300":
        return 1
    if unicodedata.combining(char) or unicodedata.category(char) in ("Mn", "Me", "Cf"):
        return 0
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


def cell_width(text: str) -> int:
    """Terminal cells that `text` (one line) takes."""
    return len(text) if text.isascii() else sum(map(char_width, text))


def wrap(text: str, width: int) -> list[tuple[int, int]]:
    """Greedy word wrap of one line into rows of at most `width` cells: [(start, end)]
    offsets into `text`, spaces between words dropped; a word longer than a row is cut."""
    width = max(width, 1)
    if not text[:1].isspace() and not text[-1:].isspace() and cell_width(text) <= width:
        return [(0, len(text))]  # the common case: a cell that fits its column
    rows: list[tuple[int, int]] = []
    start = end = used = 0
    for match in _WORD.finditer(text):
        size = cell_width(match.group())
        if used and used + 1 + size <= width:
            end, used = match.end(), used + 1 + size
            continue
        if used:
            rows.append((start, end))
        start, used = match.start(), 0
        while size > width:  # cut a long word
            cut, taken = start, 0
            while cut < match.end() and taken + char_width(text[cut]) <= width:
                taken += char_width(text[cut])
                cut += 1
            cut = max(cut, start + 1)
            rows.append((start, cut))
            start = cut
            size = cell_width(text[start : match.end()])
        end, used = match.end(), size
    if used or not rows:
        rows.append((start, end))
    return rows


def column_widths(
    rows: Sequence[Sequence[str]], width: int, gap: int = len(SEPARATOR)
) -> list[int] | None:
    """Widths of the columns of an aligned table no wider than `width`, or None when it
    cannot be (the table is then folded).

    Columns take their widest cell; if that is too wide, the widest columns are narrowed
    (their cells wrap), each down to its longest word or `MIN_COLUMN` cells at the least."""
    columns = max((len(row) for row in rows), default=0)
    if not columns:
        return []
    natural = [0] * columns
    floor = [0] * columns
    for row in rows:
        for column, text in enumerate(row):
            natural[column] = max(natural[column], cell_width(text))
            for word in _WORD.findall(text):
                floor[column] = max(floor[column], cell_width(word))
    available = width - gap * (columns - 1)
    if sum(natural) <= available:
        return natural
    floor = [min(n, max(f, MIN_COLUMN)) for n, f in zip(natural, floor, strict=True)]
    if sum(floor) > available:
        return None
    widths = natural[:]
    excess = sum(widths) - available
    while excess > 0:  # narrow the widest column that can be, one cell at a time
        column = max((c for c in range(columns) if widths[c] > floor[c]), key=lambda c: widths[c])
        cut = min(excess, widths[column] - floor[column], 1 + excess // columns)
        widths[column] -= cut
        excess -= cut
    return widths


def _padded(text: str, width: int, align: Align) -> str:
    used = cell_width(text)
    before = padding(align, width, used)
    return " " * before + text + " " * (width - used - before)


class TablePlan(NamedTuple):
    """How a table is drawn in a width: the columns shown (those whose cells are all empty
    are left out), their alignment, and their widths in cells, or None when the table is
    folded (see `column_widths`). One rule for every renderer: `show` and the reading pane."""

    keep: tuple[int, ...]
    align: tuple[Align, ...]
    widths: tuple[int, ...] | None

    def cells(self, rows: Sequence[Sequence[str]]) -> list[list[str]]:
        """The rows' cells in the columns shown (a short row padded with empty cells)."""
        return [[row[c] if c < len(row) else "" for c in self.keep] for row in rows]


def plan_table(rows: Sequence[Sequence[str]], align: Sequence[Align], width: int) -> TablePlan:
    """The columns of the table to show, and their widths in `width` cells (None: fold)."""
    columns = max((len(row) for row in rows), default=0)
    keep = tuple(c for c in range(columns) if any(c < len(row) and row[c] for row in rows))
    aligns = tuple(align[c] if c < len(align) else "left" for c in keep)
    plan = TablePlan(keep, aligns, None)
    widths = column_widths(plan.cells(rows), width)
    return plan if widths is None else plan._replace(widths=tuple(widths))


def padding(align: Align, width: int, used: int) -> int:
    """Blank cells before a text of `used` cells in a column `width` wide."""
    space = width - used
    if align == "right":
        return space
    return space // 2 if align == "center" else 0


def render_table(
    rows: Sequence[Sequence[str]], header_rows: int, align: Sequence[Align], width: int
) -> list[str]:
    """The table as lines of plain text: aligned in columns no wider than `width` in all, or
    folded into `Header: value` lines when it cannot be (see `column_widths`). Columns whose
    cells are all empty are left out."""
    plan = plan_table(rows, align, width)
    cells = plan.cells(rows)
    if plan.widths is None:
        return fold_table(cells, header_rows)
    widths = plan.widths
    lines: list[str] = []
    for number, row in enumerate(cells):
        wrapped = [
            [text[a:b] for a, b in wrap(text, w)] for text, w in zip(row, widths, strict=True)
        ]
        height = max((len(pieces) for pieces in wrapped), default=1)
        for line in range(height):
            parts = [
                _padded(pieces[line] if line < len(pieces) else "", w, a)
                for pieces, w, a in zip(wrapped, widths, plan.align, strict=True)
            ]
            lines.append(SEPARATOR.join(parts).rstrip())
        if number + 1 == header_rows and number + 1 < len(cells):
            lines.append(CROSS.join(RULE * w for w in widths))
    return lines


def folded_rows(
    rows: Sequence[Sequence[str]], header_rows: int
) -> list[tuple[int, list[tuple[str, int]]]]:
    """What a folded table shows: (row, [(label, column)]) for each row with a value, the
    label being the column's header (the header rows' texts joined by " / "; "" for none)
    and empty cells left out. The body rows are shown, or the header rows themselves,
    unlabelled, when there is no body."""
    columns = max((len(row) for row in rows), default=0)
    labels = []
    for column in range(columns):
        names = (row[column] for row in rows[:header_rows] if column < len(row) and row[column])
        labels.append(" / ".join(dict.fromkeys(names)))
    labelled = len(rows) > header_rows  # a table of header rows only has no values to label
    shown: list[tuple[int, list[tuple[str, int]]]] = []
    for number in range(header_rows if labelled else 0, len(rows)):
        row = rows[number]
        values = [(labels[c] if labelled else "", c) for c, text in enumerate(row) if text]
        if values:
            shown.append((number, values))
    return shown


def fold_table(rows: Sequence[Sequence[str]], header_rows: int) -> list[str]:
    """A table too wide to align: each body row as `Header: value` lines (a value without a
    header alone), rows apart by a blank line; empty cells left out."""
    lines: list[str] = []
    for number, values in folded_rows(rows, header_rows):
        if lines:
            lines.append("")
        lines.extend(
            f"{label}: {rows[number][c]}" if label else rows[number][c] for label, c in values
        )
    return lines
