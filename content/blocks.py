"""A section's body read as blocks: paragraphs, list items, definitions, quotes, code, tables."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import NamedTuple

from .article import Align, BlockKind, ListKind
from .parse import closes_fence, fence_of, scan_links

_ITEM = re.compile(r"( *)(?:([-*])|(\d{1,3})([.)])) +(?=\S)")
"""`- text`, `* text`, `12. text`, `3) text`, indented two spaces per level of nesting."""
_TERM = re.compile(r"; *(?=\S)")
_DEFINITION = re.compile(r"(:+) *(?=\S)")
"""A term and a definition start at the margin: `; term`, `: text`, `:: deeper`."""
_QUOTE = re.compile(r"(?:> ?)+")
_DELIMITER_CELL = re.compile(r"[ \t]*:?-{3,}:?[ \t]*\Z")


@dataclass(frozen=True)
class TableShape:
    """Where a table's cells are in its lines."""

    header_rows: int
    """How many rows come before the delimiter row (`|---|---|`): the header."""
    align: tuple[Align, ...]
    """Per column, from the delimiter row's colons; as many as the widest row has cells."""
    rows: tuple[tuple[int, tuple[tuple[int, int], ...]], ...]
    """(line index, (start, end) of each cell's text, trimmed) per row; delimiter rows left out."""


class Block(NamedTuple):
    """Lines [first, stop) of a body, read as one thing (a tuple: a file may hold a million)."""

    kind: BlockKind
    first: int
    stop: int
    depth: int = 0
    """Nesting: of items (1 = at the margin, 2 = two spaces in), definitions (the number of
    colons) and quotes (of `>`); terms are 1."""
    list_kind: ListKind | None = None
    number: int | None = None
    """A numbered item's number, as written."""
    marker: str = ""
    """As written: `-`, `*`, `3.`, `3)`, `;`, `::`, `>>`, or a code block's fence."""
    content: int = 0
    """Column where a one-line block's text starts (after its indentation and marker)."""
    info: str = ""
    """For code: the word after the opening fence (a language), or ""."""
    closed: bool = True
    """For code: whether a closing fence ends it (else the section's end does)."""
    table: TableShape | None = None


def line_block(line: str, index: int) -> Block | None:
    """The block a single line makes (an item, a term, a definition, a quote line), or None."""
    first = line[:1]
    after = line[2:3]
    if line[1:2] == " " and first in "-*" and after and not after.isspace():  # `- item`
        return Block("item", index, index + 1, 1, "bullet", None, first, 2)
    if first == ">":
        marks = _QUOTE.match(line)
        assert marks is not None
        depth = marks.group().count(">")
        return Block("quote", index, index + 1, depth, marker=">" * depth, content=marks.end())
    if first == ";":
        term = _TERM.match(line)
        return Block("term", index, index + 1, 1, marker=";", content=term.end()) if term else None
    if first == ":":
        definition = _DEFINITION.match(line)
        if definition is None:
            return None
        colons = definition.group(1)
        return Block("definition", index, index + 1, len(colons), marker=colons,
                     content=definition.end())  # fmt: skip
    if first not in " -*0123456789":
        return None
    indent = len(line) - len(line.lstrip(" "))
    nesting = indent // 2
    follows = line[indent : indent + 1]
    if follows in ("-", "*") or follows.isdigit():
        item = _ITEM.match(line)
        if item is None:
            return None
        if item.group(2):
            return Block(
                "item", index, index + 1, nesting + 1, "bullet", None, item.group(2), item.end()
            )
        number = item.group(3)
        marker = number + item.group(4)
        return Block(
            "item", index, index + 1, nesting + 1, "number", int(number), marker, item.end()
        )
    return None


def read_blocks(lines: list[str]) -> list[Block]:
    """The blocks of a body's lines, in order; blank lines belong to none (but inside code)."""
    blocks: list[Block] = []
    paragraph = -1  # first line of the paragraph being read
    index, count = 0, len(lines)

    def end_paragraph(at: int) -> None:
        nonlocal paragraph
        if paragraph >= 0:
            blocks.append(Block("paragraph", paragraph, at))
            paragraph = -1

    while index < count:
        line = lines[index]
        first = line[:1]
        if not line or line.isspace():
            end_paragraph(index)
            index += 1
            continue
        if first == "`" and (ticks := fence_of(line)):
            end_paragraph(index)
            end = index + 1
            while end < count and not closes_fence(lines[end], ticks):
                end += 1
            closed = end < count
            stop = end + 1 if closed else count
            info = line[ticks:].strip()
            blocks.append(Block("code", index, stop, marker="`" * ticks, info=info, closed=closed))
            index = stop
            continue
        if first == "|":
            end = index + 1
            while end < count and lines[end][:1] == "|":
                end += 1
            shape = table_shape(lines, index, end)
            if shape is not None:
                end_paragraph(index)
                blocks.append(Block("table", index, end, table=shape))
            elif paragraph < 0:
                paragraph = index  # `|` lines without a delimiter row are text
            index = end
            continue
        one = line_block(line, index)
        if one is not None:
            end_paragraph(index)
            blocks.append(one)
        elif paragraph < 0:
            paragraph = index
        index += 1
    end_paragraph(count)
    return blocks


def is_delimiter(line: str) -> bool:
    """`|---|:---:|---:|`: cells of three or more hyphens, maybe with colons."""
    inner = line.strip()
    if not inner.startswith("|") or "-" not in inner:
        return False
    inner = inner[1:-1] if inner.endswith("|") and len(inner) > 1 else inner[1:]
    return all(_DELIMITER_CELL.match(cell) for cell in inner.split("|"))


def _alignment(cell: str) -> Align:
    cell = cell.strip()
    if cell.startswith(":") and cell.endswith(":"):
        return "center"
    return "right" if cell.endswith(":") else "left"


def table_shape(lines: list[str], start: int, stop: int) -> TableShape | None:
    """The table made by lines [start, stop), all starting with `|`; None without a
    delimiter row (then the lines are text)."""
    delimiter = next((i for i in range(start, stop) if is_delimiter(lines[i])), -1)
    if delimiter < 0:
        return None
    rows = tuple(
        (i, split_cells(lines[i]))
        for i in range(start, stop)
        if i < delimiter or not is_delimiter(lines[i])  # later delimiter rows draw nothing
    )
    inner = lines[delimiter].strip()[1:]
    inner = inner[:-1] if inner.endswith("|") else inner
    align = [_alignment(cell) for cell in inner.split("|")]
    columns = max([len(align), *(len(cells) for _, cells in rows)])
    align += ["left"] * (columns - len(align))
    header = sum(1 for line, _ in rows if line < delimiter)
    return TableShape(header, tuple(align), rows)


def split_cells(line: str) -> tuple[tuple[int, int], ...]:
    """(start, end) of each cell of a table row, trimmed. Cells are separated by `|`, except
    inside `[[links]]` and after a backslash (`\\|` is a `|` in a cell's text); the row's
    first `|` opens it and a last `|` with only spaces after it closes it."""
    spans = scan_links(line)[0] if "[[" in line else []
    cells: list[tuple[int, int]] = []
    span = 0
    start = position = 1
    while True:
        bar = line.find("|", position)
        if bar < 0:
            break
        while span < len(spans) and spans[span].end <= bar:
            span += 1
        if span < len(spans) and spans[span].start < bar:
            position = spans[span].end  # inside a link
            continue
        position = bar + 1
        if line[bar - 1] == "\\":
            continue
        cells.append(_trimmed(line, start, bar))
        start = position
    if line[start:].strip():
        cells.append(_trimmed(line, start, len(line)))
    return tuple(cells)


def _trimmed(line: str, start: int, end: int) -> tuple[int, int]:
    while start < end and line[start] in " \t":
        start += 1
    while end > start and line[end - 1] in " \t":
        end -= 1
    return start, end
