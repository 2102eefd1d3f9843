"""Painting a row of a Page as rich Segments, styled by character offsets (never by markup).

Its links (the cursor's too), the words searched for and the find-in-page matches.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from rich.segment import Segment
from rich.style import Style

from termpedia.content.display import DisplayLink

from .find import Finder
from .layout import Row
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

    @classmethod
    def of(cls, part: Callable[[str], Style], base: Style) -> Looks:
        """The looks of the `reading-pane--*` component classes (`part` gives their style)."""
        names = ("title", "heading", "key", "link", "dangling", "cursor", "match")
        return cls(base, *(part(f"reading-pane--{name}") for name in names))


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
        key = block.label[: row.indent - 2] if row.first else ""
        segments.append(Segment(key.ljust(row.indent), base + looks.key))
    elif row.indent:
        segments.append(Segment(" " * row.indent, base))
    segments.extend(_spans(page, row, style, looks, cursor, finder, dangling))
    return segments


def _spans(
    page: Page,
    row: Row,
    style: Style,
    looks: Looks,
    cursor: int | None,
    finder: Finder,
    dangling: Callable[[DisplayLink], bool],
) -> list[Segment]:
    """Segments for the row's text, with links, the cursor and matches styled. Only the
    links and matches on this row are looked at (found by bisection)."""
    text = page.blocks[row.block].text
    marks: list[tuple[int, int, Style]] = []
    for index in page.links_in(row.block, row.start, row.end):
        link = page.links[index].link
        look = looks.dangling if dangling(link) else looks.link
        marks.append((link.start, link.end, look + looks.cursor if index == cursor else look))
    for start, end in page.highlights_in(row.block, row.start, row.end):
        marks.append((start, end, looks.match))
    size = finder.found.size
    for index, start in finder.found.in_row(row.block, row.start, row.end):
        look = looks.match + looks.cursor if index == finder.current else looks.match
        marks.append((start, start + size, look))
    # Paint character by character ranges: cheap, as a row is at most ~100 characters.
    cuts = sorted(
        {
            row.start,
            row.end,
            *(max(min(p, row.end), row.start) for s, e, _ in marks for p in (s, e)),
        }
    )
    segments = []
    for left, right in zip(cuts, cuts[1:], strict=False):
        look = style
        for start, end, mark in marks:
            if start <= left and right <= end:
                look = look + mark
        segments.append(Segment(text[left:right].replace("\t", " "), look))
    return segments
