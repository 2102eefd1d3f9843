"""Article text as a reader sees it: links shown by their labels, blocks and tables with offsets."""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

from .article import Align, Article, BlockKind, LinkKind, ListKind, Section
from .blocks import Block, read_blocks
from .parse import MAX_LINKS, SEE_ALSO_ANCHOR, scan_links, slugify
from .sanitize import visible
from .tables import render_table

PLAIN_WIDTH = 80
"""The width `plain_text` aligns tables to (`termpedia show`)."""
QUOTE_MARK = "│ "
"""What a quote line starts with, once per level of `>`."""


@dataclass(frozen=True)
class DisplayLink:
    """A link at [start, end) of a `DisplayText`."""

    start: int
    end: int
    target: str
    fragment: str
    kind: LinkKind

    @property
    def address(self) -> str:
        return f"{self.target}#{self.fragment}" if self.fragment else self.target


@dataclass(frozen=True)
class DisplayCell:
    """A table cell: its text at [start, end) of the `DisplayText`, and the links in it."""

    start: int
    end: int
    text: str
    links: tuple[DisplayLink, ...] = ()


@dataclass(frozen=True)
class DisplayTable:
    """A table's cells, row by row; every row has `columns` cells (short rows are padded with
    empty cells at the end of their line)."""

    rows: tuple[tuple[DisplayCell, ...], ...]
    header_rows: int
    """The first `header_rows` rows are the header."""
    align: tuple[Align, ...]

    @property
    def columns(self) -> int:
        return len(self.align)

    def texts(self) -> list[list[str]]:
        return [[cell.text for cell in row] for row in self.rows]


class DisplayBlock(NamedTuple):
    """Characters [start, end) of a `DisplayText` (whole lines) that read as one thing (a
    tuple, cheap to make: a file of a million list items has a million of them).

    A paragraph is a run of text lines; an item, a term, a definition or a quote line is one
    line; code is its lines verbatim (never re-wrapped); a table is one line per row, its
    cells joined by " | " (draw it from `table`)."""

    kind: BlockKind
    start: int
    end: int
    depth: int = 0
    """Items: their level, 1 at the margin; definitions: their number of colons; quotes:
    their number of `>`; terms: 1."""
    list_kind: ListKind | None = None
    number: int | None = None
    marker: str = ""
    """As written in the source: `-`, `*`, `3.`, `;`, `::`, `>>`, or a code block's fence."""
    content: int = 0
    """Where the text starts after the indentation and marker shown (= start otherwise)."""
    info: str = ""
    """A code block's language, as written after its opening fence."""
    table: DisplayTable | None = None


@dataclass(frozen=True)
class DisplayText:
    """Plain, sanitised text, the links in it and the blocks it is made of."""

    text: str
    links: tuple[DisplayLink, ...] = ()
    blocks: tuple[DisplayBlock, ...] = ()


class _Writer:
    """Display lines written one after another, with the links and blocks found on the way."""

    def __init__(self, see_also: bool) -> None:
        self.see_also = see_also
        self.out: list[str] = []
        self.offset = 0
        self.lines = 0
        self.links: list[DisplayLink] = []
        self.blocks: list[DisplayBlock] = []
        self.tables: list[tuple[int, list[_Row], int, tuple[Align, ...]]] = []

    def newline(self) -> int:
        """Start a display line; returns its offset."""
        if self.lines:
            self.out.append("\n")
            self.offset += 1
        self.lines += 1
        return self.offset

    def raw(self, text: str) -> None:
        self.out.append(text)
        self.offset += len(text)

    def inline(self, text: str, kind: LinkKind = "inline", unescape: bool = False) -> None:
        """Text with its `[[links]]` shown by their labels (`\\|` as `|` with `unescape`)."""
        spans = scan_links(text, MAX_LINKS - len(self.links))[0] if "[[" in text else []
        cursor = 0
        for span in spans:
            self.raw(_unescaped(text[cursor : span.start], unescape))
            self.links.append(
                DisplayLink(
                    self.offset, self.offset + len(span.label), span.target, span.fragment, kind
                )
            )
            self.raw(span.label)
            cursor = span.end
        self.raw(_unescaped(text[cursor:], unescape))

    def text_line(self, line: str) -> None:
        """A line shown as written: a paragraph's, or an item's (a See also bullet is a link)."""
        bullet = self.see_also and line[:2] in ("- ", "* ")
        if bullet and "[[" not in line and len(self.links) < MAX_LINKS:
            target = line[2:].strip()
            if target:
                start = self.offset + 2 + (len(line[2:]) - len(line[2:].lstrip()))
                address, _, fragment = target.partition("#")
                self.links.append(
                    DisplayLink(
                        start, start + len(target), address.strip(), fragment.strip(), "see_also"
                    )
                )
            self.raw(line)
            return
        self.inline(line, "see_also" if bullet else "inline")

    def block(self, lines: list[str], block: Block) -> None:
        kind = block.kind
        if kind == "paragraph":
            start = self.offset + (1 if self.lines else 0)
            for line in lines[block.first : block.stop]:
                self.newline()
                self.text_line(line)
            self.blocks.append(DisplayBlock("paragraph", start, self.offset, content=start))
        elif kind == "code":
            self.code(lines, block)
        elif kind == "table":
            self.table(lines, block)
        else:
            self.one_line(lines[block.first], block)

    def one_line(self, line: str, block: Block) -> None:
        # The common case of dense files (a million items or quotes): kept to a few steps.
        out, kind = self.out, block.kind
        if self.lines:
            out.append("\n")
            self.offset += 1
        self.lines += 1
        start = self.offset
        if kind == "item":
            if self.see_also or "[[" in line:
                self.text_line(line)
            else:
                out.append(line)
                self.offset += len(line)
            content = start + block.content
        else:
            # A quote's bars, a term at its level, a definition one level in.
            indent = QUOTE_MARK * block.depth if kind == "quote" else "  " * (block.depth - 1)
            if kind == "definition":
                indent += "  "
            body = line[block.content :]
            out.append(indent)
            content = self.offset = self.offset + len(indent)
            if "[[" in body:
                self.inline(body)
            else:
                out.append(body)
                self.offset += len(body)
        self.blocks.append(
            DisplayBlock(
                kind,
                start,
                self.offset,
                block.depth,
                block.list_kind,
                block.number,
                block.marker,
                content,
            )
        )

    def code(self, lines: list[str], block: Block) -> None:
        body = lines[block.first + 1 : block.stop - 1 if block.closed else block.stop]
        if not body:
            return
        start = self.offset + (1 if self.lines else 0)
        for line in body:
            self.newline()
            self.raw(line)
        self.blocks.append(
            DisplayBlock(
                "code", start, self.offset, marker=block.marker, content=start, info=block.info
            )
        )

    def table(self, lines: list[str], block: Block) -> None:
        shape = block.table
        assert shape is not None
        if not shape.rows:
            return
        start = self.offset + (1 if self.lines else 0)
        rows: list[_Row] = []
        for index, spans in shape.rows:
            line = lines[index]
            row = _Row(self.newline(), [])
            for number, (a, b) in enumerate(spans):
                if number:
                    self.raw(" | ")
                first_link, cell_start = len(self.links), self.offset
                self.inline(line[a:b], unescape=True)
                row.cells.append((cell_start, self.offset, first_link, len(self.links)))
            rows.append(row)
        # The cells' texts are cut from the finished, sanitised text (`finish`).
        self.tables.append((len(self.blocks), rows, shape.header_rows, shape.align))
        self.blocks.append(DisplayBlock("table", start, self.offset, content=start))

    def finish(self) -> DisplayText:
        text = visible("".join(self.out))
        links = tuple(self.links)
        for number, rows, header_rows, align in self.tables:
            table = DisplayTable(
                tuple(row.made(text, links, len(align)) for row in rows), header_rows, align
            )
            block = self.blocks[number]
            self.blocks[number] = DisplayBlock(
                "table", block.start, block.end, content=block.start, table=table
            )
        return DisplayText(text, links, tuple(self.blocks))


@dataclass
class _Row:
    """A table row being written: its line's offset and (start, end, first link, stop link)
    of each cell."""

    start: int
    cells: list[tuple[int, int, int, int]]

    def made(
        self, text: str, links: tuple[DisplayLink, ...], columns: int
    ) -> tuple[DisplayCell, ...]:
        cells = [
            DisplayCell(a, b, text[a:b], links[first:stop]) for a, b, first, stop in self.cells
        ]
        end = self.cells[-1][1] if self.cells else self.start
        return tuple(cells + [DisplayCell(end, end, "")] * (columns - len(cells)))


def _unescaped(text: str, unescape: bool) -> str:
    return text.replace("\\|", "|") if unescape and "\\|" in text else text


def display_text(text: str, see_also: bool = False) -> DisplayText:
    """The text as shown: `[[...]]` by their labels (in a See also list plain bullets are links
    too), definition and quote markers drawn, code fences and table delimiter rows left out,
    table rows as cells joined by " | ". Blank lines stay where they are.

    Like the parser, at most `MAX_LINKS` links: later ones are shown as written."""
    lines = text.split("\n")
    writer = _Writer(see_also)
    index = 0
    for block in read_blocks(lines):
        while index < block.first:  # blank lines between blocks
            writer.newline()
            index += 1
        if block.kind == "code" and writer.lines and lines[block.first - 1].strip():
            writer.newline()  # the opening fence keeps code apart from the text above
        writer.block(lines, block)
        index = block.stop
        if block.kind == "code" and index < len(lines) and lines[index].strip():
            writer.newline()  # and the closing one from the text below
    while index < len(lines):
        writer.newline()
        index += 1
    return writer.finish()


def section_display(section: Section) -> DisplayText:
    """The section's body as displayed."""
    return display_text(section.text, see_also=slugify(section.heading) == SEE_ALSO_ANCHOR)


def with_tables(shown: DisplayText, width: int = PLAIN_WIDTH) -> str:
    """The display text with each table drawn in aligned columns (or folded, when it cannot
    be aligned in `width` cells: content/tables.py)."""
    text = shown.text
    for block in reversed(shown.blocks):
        if block.table is not None:
            table = block.table
            drawn = render_table(table.texts(), table.header_rows, table.align, width)
            text = text[: block.start] + "\n".join(drawn) + text[block.end :]
    return text


def plain_text(article: Article, anchor: str | None = None, width: int = PLAIN_WIDTH) -> str:
    """The article (or one section and its subsections) as plain text, e.g. for `show`; tables
    are aligned in `width` columns."""
    parts: list[str] = []
    if anchor is None:
        parts.append(visible(article.title))
        parts.append("=" * min(len(article.title), 100))
        for key, value in article.infobox:
            parts.append(visible(f"  {key}: {value}"))
        if article.infobox:
            parts.append("")
        sections = list(article.walk())
    else:
        start = article.section(anchor)
        sections = list(start.walk()) if start is not None else []
    for section in sections:
        if section.heading:
            parts.append("")
            parts.append(visible("#" * (section.level - 1) + " " + section.heading))
        body = with_tables(section_display(section), width)
        if body:
            parts.append(body)
    return "\n".join(parts).strip("\n") + "\n"
