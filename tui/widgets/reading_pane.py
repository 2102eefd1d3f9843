"""The reading pane: an article drawn with the line API, with a link cursor inside it."""

from __future__ import annotations

import bisect
from collections.abc import Callable
from dataclasses import dataclass

from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding
from textual.geometry import Region, Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from termpedia.content.article import Article
from termpedia.content.display import DisplayLink

from .layout import Block, Row, blocks_of, layout

MAX_COLUMN = 100
"""Text is set in a column at most this wide, however wide the terminal."""


@dataclass(frozen=True)
class LinkPlace:
    """A link in reading order: which block, where, and what it points at."""

    block: int
    link: DisplayLink


class ReadingPane(ScrollView, can_focus=True):
    """Shows one article; only the rows on screen are ever turned into segments."""

    COMPONENT_CLASSES = {
        "reading-pane--title",
        "reading-pane--heading",
        "reading-pane--key",
        "reading-pane--link",
        "reading-pane--dangling",
        "reading-pane--cursor",
        "reading-pane--match",
    }
    DEFAULT_CSS = """
    ReadingPane { overflow-x: hidden; }
    ReadingPane > .reading-pane--title { text-style: bold; color: $accent; }
    ReadingPane > .reading-pane--heading { text-style: bold; color: $primary; }
    ReadingPane > .reading-pane--key { color: $text-muted; }
    ReadingPane > .reading-pane--link { text-style: underline; color: $secondary; }
    ReadingPane > .reading-pane--dangling { text-style: italic underline; color: $error; }
    ReadingPane > .reading-pane--cursor { text-style: reverse bold; }
    ReadingPane > .reading-pane--match { background: $warning 50%; text-style: bold; }
    """
    BINDINGS = [
        Binding("j,down", "scroll_lines(1)", "Down", show=False, id="reader.down"),
        Binding("k,up", "scroll_lines(-1)", "Up", show=False, id="reader.up"),
        Binding(
            "space,pagedown", "scroll_pages(1)", "Page down", show=False, id="reader.page_down"
        ),
        Binding("b,pageup", "scroll_pages(-1)", "Page up", show=False, id="reader.page_up"),
        Binding("ctrl+d", "scroll_half(1)", "Half page down", show=False, id="reader.half_down"),
        Binding("ctrl+u", "scroll_half(-1)", "Half page up", show=False, id="reader.half_up"),
        Binding("g,home", "top", "Top", show=False, id="reader.top"),
        Binding("G,end", "bottom", "Bottom", show=False, id="reader.bottom"),
        Binding("tab", "next_link", "Next link", id="reader.next_link"),
        Binding("shift+tab", "previous_link", "Previous link", show=False, id="reader.prev_link"),
        Binding("enter", "follow", "Follow link", show=False, id="reader.follow"),
    ]

    @dataclass
    class LinkFollowed(Message):
        """The reader asked to follow a link (`target#fragment`, or `#fragment` in this article)."""

        address: str
        dangling: bool

    @dataclass
    class SectionEntered(Message):
        """The top of the view moved into another section."""

        anchor: str

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.article: Article | None = None
        self._blocks: list[Block] = []
        self._rows: list[Row] = []
        self._starts: list[tuple[int, str]] = [(0, "")]
        self._links: list[LinkPlace] = []
        self._links_by_block: dict[int, list[int]] = {}
        self._exists: Callable[[str], bool] = lambda address: True
        self._matches: dict[int, list[tuple[int, int]]] = {}
        self._laid_out_width = 0
        self._strips: dict[int, Strip] = {}
        self.cursor: int | None = None
        """Index into the links in reading order, or None when no link is selected."""
        self.anchor = ""
        """The section at the top of the view."""
        self._first_rows: dict[int, int] = {}
        self._pending: tuple[str, int | None] | None = None
        self._chosen: str | None = None
        """A section gone to by n/p/tree: it counts as entered even if the view cannot
        scroll it to the top (the last sections of an article)."""
        self._found: list[tuple[int, int, int]] = []
        self._found_by_block: dict[int, list[int]] = {}
        self.found_index: int | None = None
        """Which find-in-page match is current."""

    # -- what is shown -------------------------------------------------------------------

    def show(
        self,
        article: Article,
        exists: Callable[[str], bool],
        anchor: str = "",
        scroll_y: int | None = None,
        matcher: Callable[[str], list[tuple[int, int]]] | None = None,
    ) -> None:
        """Display an article, at a section or scroll offset, highlighting what `matcher` finds."""
        self.article = article
        self._exists = exists
        self._blocks = blocks_of(article)
        self._links = [
            LinkPlace(number, link)
            for number, block in enumerate(self._blocks)
            for link in block.links
        ]
        self._links_by_block = {}
        for index, place in enumerate(self._links):
            self._links_by_block.setdefault(place.block, []).append(index)
        self._matches = {}
        if matcher is not None:
            for number, block in enumerate(self._blocks):
                if block.anchor == anchor and block.kind == "text":
                    self._matches[number] = matcher(block.text)
        self.cursor = None
        self._found, self._found_by_block, self.found_index = [], {}, None
        self._laid_out_width = 0
        self._relayout()
        if not self.size.height:
            # Not laid out yet (the first article, opened on mount): scroll on the first resize.
            self._pending = (anchor, scroll_y)
            self.anchor = anchor
        elif scroll_y is not None:
            self.scroll_to(y=scroll_y, animate=False, immediate=True)
        else:
            self.go_to_section(anchor)

    def is_dangling(self, link: DisplayLink) -> bool:
        return bool(link.target) and not self._exists(link.address)

    @property
    def column_width(self) -> int:
        return max(min(self.scrollable_content_region.width - 2, MAX_COLUMN), 10)

    def _relayout(self) -> None:
        width = self.column_width
        if width == self._laid_out_width and self._rows:
            return
        self._laid_out_width = width
        self._rows, self._starts = layout(self._blocks, width)
        self._first_rows = {}
        for number, row in enumerate(self._rows):
            self._first_rows.setdefault(row.block, number)
        self._strips.clear()
        self.virtual_size = Size(width, len(self._rows))
        self.refresh()

    def on_resize(self, event: events.Resize) -> None:
        if self.article is None:
            return
        if self._pending is not None:
            anchor, scroll_y = self._pending
            self._pending = None
            self._relayout()
            if scroll_y is not None:
                self.scroll_to(y=scroll_y, animate=False, immediate=True)
            else:
                self.go_to_section(anchor)
            return
        anchor, row = self.anchor, self._starts_row(self.anchor)
        offset = int(self.scroll_y) - row
        self._relayout()
        self.scroll_to(y=self._starts_row(anchor) + max(offset, 0), animate=False, immediate=True)

    # -- sections ------------------------------------------------------------------------

    def _starts_row(self, anchor: str) -> int:
        return next((row for row, name in self._starts if name == anchor), 0)

    def go_to_section(self, anchor: str) -> None:
        self._chosen = anchor
        self.scroll_to(y=self._starts_row(anchor), animate=False, immediate=True)
        self._note_section()

    def section_at(self, row: int) -> str:
        index = bisect.bisect_right([start for start, _ in self._starts], row) - 1
        return self._starts[max(index, 0)][1]

    def step_section(self, direction: int) -> None:
        """Go to the next (1) or previous (-1) section, in document order."""
        anchors = [name for _, name in self._starts]
        here = anchors.index(self.anchor) if self.anchor in anchors else 0
        if direction < 0 and int(self.scroll_y) > self._starts_row(self.anchor):
            direction = 0  # from inside a section, `p` goes to its own heading first
        target = min(max(here + direction, 0), len(anchors) - 1)
        self.go_to_section(anchors[target])

    def watch_scroll_y(self, old: float, new: float) -> None:
        super().watch_scroll_y(old, new)
        self._note_section()

    def _note_section(self) -> None:
        top = int(self.scroll_y)
        anchor = self.section_at(top)
        chosen = self._chosen
        if chosen is not None:
            row = self._starts_row(chosen)
            if top <= row < top + max(self.size.height, 1):
                anchor = chosen  # gone to on purpose and on screen, though not at the top
            else:
                self._chosen = None
        if anchor != self.anchor:
            self.anchor = anchor
            self.post_message(self.SectionEntered(anchor))

    # -- scrolling keys ------------------------------------------------------------------

    def action_scroll_lines(self, lines: int) -> None:
        self._chosen = None
        self.scroll_to(y=self.scroll_y + lines, animate=False)

    def action_scroll_pages(self, pages: int) -> None:
        self._chosen = None
        self.scroll_to(y=self.scroll_y + pages * max(self.size.height - 1, 1), animate=False)

    def action_scroll_half(self, direction: int) -> None:
        self._chosen = None
        self.scroll_to(y=self.scroll_y + direction * max(self.size.height // 2, 1), animate=False)

    def action_top(self) -> None:
        self._chosen = None
        self.scroll_to(y=0, animate=False)

    def action_bottom(self) -> None:
        self._chosen = None
        self.scroll_to(y=self.max_scroll_y, animate=False)

    # -- links ---------------------------------------------------------------------------

    @property
    def current_link(self) -> DisplayLink | None:
        return self._links[self.cursor].link if self.cursor is not None else None

    def _row_of(self, place: LinkPlace) -> int:
        return self._row_at(place.block, place.link.start)

    def _move_cursor(self, step: int) -> None:
        if not self._links:
            self.notify("No links in this article", timeout=2)
            return
        if self.cursor is None:
            # Start from the first link on screen (or the last, going backwards).
            top, bottom = int(self.scroll_y), int(self.scroll_y) + self.size.height
            visible = [i for i, p in enumerate(self._links) if top <= self._row_of(p) < bottom]
            if visible:
                self.cursor = visible[0] if step > 0 else visible[-1]
            else:
                self.cursor = 0 if step > 0 else len(self._links) - 1
        else:
            self.cursor = (self.cursor + step) % len(self._links)
        row = self._row_of(self._links[self.cursor])
        self.scroll_to_region(Region(0, row, 1, 1), animate=False, immediate=True)
        self._strips.clear()
        self.refresh()

    def action_next_link(self) -> None:
        self._move_cursor(1)

    def action_previous_link(self) -> None:
        self._move_cursor(-1)

    def action_follow(self) -> None:
        link = self.current_link
        if link is not None:
            self.post_message(
                self.LinkFollowed(link.address or f"#{link.fragment}", self.is_dangling(link))
            )

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None:
            return
        row_number = int(self.scroll_y) + offset.y
        if not 0 <= row_number < len(self._rows):
            return
        row = self._rows[row_number]
        column = offset.x - 1 - row.indent + row.start  # 1: the blank cell each row starts with
        for index, place in enumerate(self._links):
            if place.block == row.block and place.link.start <= column < place.link.end:
                self.cursor = index
                self._strips.clear()
                self.refresh()
                self.action_follow()
                return

    # -- find in page --------------------------------------------------------------------

    def find(self, text: str) -> int:
        """Highlight every occurrence of `text` (ignoring case); returns how many there are."""
        self._found, self._found_by_block, self.found_index = [], {}, None
        needle = text.casefold()
        if needle:
            for number, block in enumerate(self._blocks):
                haystack = block.text.casefold()
                if len(haystack) != len(block.text):
                    haystack = block.text.lower()  # keep offsets where casefold changes length
                start = haystack.find(needle)
                while start >= 0:
                    self._found_by_block.setdefault(number, []).append(len(self._found))
                    self._found.append((number, start, start + len(needle)))
                    start = haystack.find(needle, start + max(len(needle), 1))
        self._strips.clear()
        self.refresh()
        return len(self._found)

    def find_step(self, step: int) -> tuple[int, int]:
        """Go to the next (1) or previous (-1) match; (1-based position, total), or (0, 0)."""
        if not self._found:
            return 0, 0
        if self.found_index is None:
            top = int(self.scroll_y)
            later = [i for i, (b, s, _) in enumerate(self._found) if self._row_at(b, s) >= top]
            self.found_index = (
                (later[0] if later else 0) if step > 0 else (later[0] - 1 if later else -1)
            )
            self.found_index %= len(self._found)
        else:
            self.found_index = (self.found_index + step) % len(self._found)
        block, start, _ = self._found[self.found_index]
        self.scroll_to_region(
            Region(0, self._row_at(block, start), 1, 1), animate=False, immediate=True
        )
        self._strips.clear()
        self.refresh()
        return self.found_index + 1, len(self._found)

    def _row_at(self, block: int, offset: int) -> int:
        """The row showing character `offset` of `block`."""
        number = self._first_rows.get(block, 0)
        best = number
        while number < len(self._rows) and self._rows[number].block == block:
            row = self._rows[number]
            if row.start <= offset and (row.start != row.end or row.start == offset):
                best = number
            number += 1
        return best

    # -- drawing -------------------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        number = int(self.scroll_y) + y
        width = self.size.width
        if not 0 <= number < len(self._rows):
            return Strip.blank(width, self.rich_style)
        strip = self._strips.get(number)
        if strip is None:
            strip = self._render_row(self._rows[number]).adjust_cell_length(width, self.rich_style)
            if len(self._strips) > 2000:
                self._strips.clear()
            self._strips[number] = strip
        return strip

    def _render_row(self, row: Row) -> Strip:
        block = self._blocks[row.block]
        base = self.rich_style
        if block.kind == "title":
            style = base + self.get_component_rich_style("reading-pane--title")
        elif block.kind == "heading":
            style = base + self.get_component_rich_style("reading-pane--heading")
        else:
            style = base
        segments = [Segment(" ", base)]
        if block.kind == "infobox":
            key = block.label[: row.indent - 2] if row.first else ""
            key_style = base + self.get_component_rich_style("reading-pane--key")
            segments.append(Segment(key.ljust(row.indent), key_style))
        elif row.indent:
            segments.append(Segment(" " * row.indent, base))
        segments.extend(self._spans(row, block.text, style))
        return Strip(segments)

    def _spans(self, row: Row, text: str, style: Style) -> list[Segment]:
        """Segments for text[row.start:row.end], with links, the cursor and matches styled."""
        marks: list[tuple[int, int, Style]] = []
        link_style = self.get_component_rich_style("reading-pane--link")
        dangling_style = self.get_component_rich_style("reading-pane--dangling")
        cursor_style = self.get_component_rich_style("reading-pane--cursor")
        for index in self._links_by_block.get(row.block, ()):
            link = self._links[index].link
            if link.end <= row.start or link.start >= row.end:
                continue
            look = dangling_style if self.is_dangling(link) else link_style
            if index == self.cursor:
                look = look + cursor_style
            marks.append((link.start, link.end, look))
        match_style = self.get_component_rich_style("reading-pane--match")
        for start, end in self._matches.get(row.block, ()):
            if end > row.start and start < row.end:
                marks.append((start, end, match_style))
        for index in self._found_by_block.get(row.block, ()):
            _, start, end = self._found[index]
            if end > row.start and start < row.end:
                look = match_style + cursor_style if index == self.found_index else match_style
                marks.append((start, end, look))
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
