"""Painting a row of a Page as rich Segments, styled by character offsets (never by markup).

Its links (the cursor's too), the words searched for and the find-in-page matches.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from rich.segment import Segment
from rich.style import Style

from termpedia.content.display import DisplayLink
from termpedia.content.tables import CROSS, RULE, SEPARATOR, cell_width

from .find import Finder
from .layout import TAB_CELLS, Row, Shape, code_cells, infobox_key
from .page import Page


@dataclass(frozen=True)
class Looks:
    """The styles of the reading pane's parts (its component classes), on its base style."""

    base: Style
    title: Style
    heading: Style
    key: Style
    link: Style
    dangling: Style
    cursor: Style
    match: Style
    path: Style
    """A subpage title's parent path, a prefixed title's prefix."""
    table_header: Style
    """A table's header cells, and a folded table's `Header: ` labels."""
    table_rule: Style
    """A table's column separators and the rule under its header; a code line's mark."""
    code: Style

    @classmethod
    def of(cls, part: Callable[[str], Style], base: Style) -> Looks:
        """The looks of the `reading-pane--*` component classes (`part` gives their style)."""
        return cls(base, *(part(f"reading-pane--{name}") for name in PARTS))


PARTS = (
    "title",
    "heading",
    "key",
    "link",
    "dangling",
    "cursor",
    "match",
    "path",
    "table-header",
    "table-rule",
    "code",
)
"""The reading pane's parts, in the order of `Looks`' fields after `base`."""


def paint_row(
    page: Page,
    row: Row,
    looks: Looks,
    cursor: int | None,
    finder: Finder,
    dangling: Callable[[DisplayLink], bool],
) -> list[Segment]:
    """The row's segments: a blank cell, the infobox key or the indent, then the text."""
    block = page.blocks[row.block]
    base = looks.base
    kind_look = {"title": looks.title, "heading": looks.heading}.get(block.kind)
    style = base if kind_look is None else base + kind_look
    segments = [Segment(" ", base)]
    if block.kind == "infobox":
        key = infobox_key(block.label if row.first else "", row.indent)
        segments.append(Segment(key, base + looks.key))
    elif row.indent:
        segments.append(Segment(" " * row.indent, base))
    paint = _Painter(page, row.block, looks, cursor, finder, dangling)
    if row.shape is None:
        segments.extend(paint.spans(row.start, row.end, style))
    else:
        segments.extend(paint.shape(row.shape, style))
    return segments


@dataclass(frozen=True)
class _Painter:
    """Paints pieces of one block's text: only the links and matches in a piece are looked
    at (found by bisection)."""

    page: Page
    block: int
    looks: Looks
    cursor: int | None
    finder: Finder
    dangling: Callable[[DisplayLink], bool]

    def spans(self, start: int, end: int, style: Style, code: bool = False) -> list[Segment]:
        """Segments for characters [start, end) of the block, with links, the cursor and
        matches styled (and, in the title, its parent path or prefix dimmed)."""
        page, looks, block = self.page, self.looks, self.block
        shown = page.blocks[block]
        text = shown.text
        marks: list[tuple[int, int, Style]] = []
        if shown.quiet and start < shown.quiet:
            marks.append((0, shown.quiet, looks.path))
        for index in page.links_in(block, start, end):
            link = page.links[index].link
            look = looks.dangling if self.dangling(link) else looks.link
            marks.append(
                (link.start, link.end, look + looks.cursor if index == self.cursor else look)
            )
        for a, b in page.highlights_in(block, start, end):
            marks.append((a, b, looks.match))
        found = self.finder.found
        for index, a in found.in_row(block, start, end):
            look = looks.match + looks.cursor if index == self.finder.current else looks.match
            marks.append((a, a + found.size, look))
        # Paint character by character ranges: cheap, as a row is at most ~100 characters.
        cuts = sorted({start, end, *(max(min(p, end), start) for s, e, _ in marks for p in (s, e))})
        tab = " " * TAB_CELLS if code else " "
        segments = []
        for left, right in zip(cuts, cuts[1:], strict=False):
            look = style
            for a, b, mark in marks:
                if a <= left and right <= b:
                    look = look + mark
            segments.append(Segment(text[left:right].replace("\t", tab), look))
        return segments

    def shape(self, shape: Shape, style: Style) -> list[Segment]:
        """A table row (its cells' pieces in their columns, bars between), the rule under a
        table's header, a folded table's `Header: value`, or a line of code."""
        looks = self.looks
        grid = shape.grid
        if shape.kind == "rule":
            widths = grid.widths if grid is not None else ()
            rule = CROSS.join(RULE * width for width in widths)
            return [Segment(rule, style + looks.table_rule)]
        segments: list[Segment] = []
        x = 0
        if shape.label:
            look = style + (looks.table_header if shape.kind == "fold" else looks.table_rule)
            label = shape.label
            if shape.label_of is not None:  # the header cell's own characters, then ": "
                start, end = shape.label_of
                segments.extend(self.spans(start, end, look))
                label = label[end - start :]
            segments.append(Segment(label, look))
            x = cell_width(shape.label)
        code = shape.kind == "code"
        if shape.kind == "header":
            style = style + looks.table_header
        elif code:
            style = style + looks.code
        text = self.page.blocks[self.block].text
        for column, (start, end, left) in enumerate(shape.pieces):
            if grid is not None and column:
                bar = grid.lefts[column] - len(SEPARATOR)
                if bar > x:
                    segments.append(Segment(" " * (bar - x), looks.base))
                segments.append(Segment(SEPARATOR, looks.base + looks.table_rule))
                x = bar + len(SEPARATOR)
            if end > start:
                if left > x:
                    segments.append(Segment(" " * (left - x), looks.base))
                segments.extend(self.spans(start, end, style, code))
                piece = text[start:end]
                x = left + (code_cells(piece) if code else cell_width(piece))
        return segments
