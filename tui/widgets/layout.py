"""Laying an article out as wrapped rows for the reading pane (no Textual here: testable)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from rich.cells import cell_len

from termpedia.content.article import Article
from termpedia.content.display import DisplayLink, display_text, section_display
from termpedia.content.sanitize import visible

BlockKind = Literal["title", "infobox", "heading", "text"]
_WORD = re.compile(r"\S+\s*|\s+")
_LIST_ITEM = re.compile(r"[ \t]*(?:[-*•]|\d{1,9}[.)])[ \t]+(?=\S)")
"""A list item's marker (`- `, `* `, `• `, `1. `, `2) `, maybe indented): its wrapped rows
continue under the item's text."""
MAX_KEY_WIDTH = 22


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


@dataclass(frozen=True)
class Row:
    """One screen line: characters [start, end) of a block, after `indent` blank cells."""

    block: int
    start: int
    end: int
    indent: int = 0
    first: bool = True
    """The first row of its block's line (where an infobox key is drawn)."""


def blocks_of(article: Article) -> list[Block]:
    """The article in reading order: title, infobox, lead, then each section."""
    blocks = [Block("title", visible(article.title), "", level=1)]
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
            blocks.append(Block("text", shown.text, section.anchor, shown.links))
    return blocks


def _cells(text: str) -> int:
    return len(text) if text.isascii() else cell_len(text)


def wrap_line(text: str, start: int, width: int) -> list[tuple[int, int]]:
    """Greedy word wrap of one hard line: [(start, end)] offsets into the block text."""
    width = max(width, 1)
    if _cells(text) <= width:
        return [(start, start + len(text))]
    if text.isascii():
        return _wrap_ascii(text, start, width)
    rows: list[tuple[int, int]] = []
    row_start = used = 0
    for match in _WORD.finditer(text):
        word_end = match.start() + len(match.group().rstrip())
        size = _cells(text[match.start() : word_end])
        if used and used + size > width:
            rows.append((row_start, match.start()))
            row_start, used = match.start(), 0
        while size > width:  # a word longer than the line is cut
            cut = _cut(text, row_start, width)
            rows.append((row_start, cut))
            row_start = cut
            size = _cells(text[cut:word_end])
        used = _cells(text[row_start : match.end()])
    rows.append((row_start, len(text)))
    return [(start + a, start + b) for a, b in rows]


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


def _cut(text: str, begin: int, width: int) -> int:
    """The offset where `width` cells from `begin` end."""
    if text.isascii():
        return begin + width
    used = 0
    for offset in range(begin, len(text)):
        used += cell_len(text[offset])
        if used > width:
            return max(offset, begin + 1)
    return len(text)


def layout(blocks: list[Block], width: int) -> tuple[list[Row], list[tuple[int, str]]]:
    """Rows for the blocks at this width, and (row, anchor) where each section starts."""
    width = max(width, 10)
    key_width = min(
        max((len(b.label) for b in blocks if b.kind == "infobox"), default=0), MAX_KEY_WIDTH
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
        for line in block.text.split("\n"):
            line_width = max(width - indent, 8)
            hanging = hanging_indent(line, line_width) if block.kind == "text" else 0
            pieces = _wrap_hanging(line, offset, line_width, hanging)
            for index, (start, end, extra) in enumerate(pieces):
                rows.append(Row(number, start, end, indent + extra, first=index == 0))
            offset += len(line) + 1
        previous = block.kind
    return rows, sections


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
