"""The reading pane: an article drawn with the line API, with a link cursor inside it."""

from __future__ import annotations

import bisect
import time
from collections.abc import Callable
from dataclasses import dataclass

from rich.segment import Segment
from rich.style import Style
from textual import events, work
from textual.binding import Binding
from textual.geometry import Region, Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.worker import Worker, get_current_worker

from termpedia.content.article import Article
from termpedia.content.display import DisplayLink

from .find import SEPARATOR, Matches, folded, occurrences, offsets_of, overlapping
from .layout import Block, Row, blocks_of, layout

MAX_COLUMN = 100
"""Text is set in a column at most this wide, however wide the terminal."""
INLINE_FIND = 65_536
"""Articles up to this many characters are searched at once, on the UI thread (well under a
millisecond); longer ones in a thread, so that typing never waits for the search."""
FIRST_REPORT = 0.03
"""Seconds of finding after which the count found so far is shown ("1 of 2,000+")."""
REPORT_EVERY = 0.1
"""Seconds between later reports of a find still counting."""

Matcher = Callable[[str], list[tuple[int, int]]]
"""Where the words searched for are in a text: (start, end) offsets."""


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
    ReadingPane { overflow-x: hidden; scrollbar-gutter: stable; }
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

    class FindCounted(Message):
        """Find in page has more (or all) of its matches: `find_count()` says how many."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.article: Article | None = None
        self._blocks: list[Block] = []
        self._rows: list[Row] = []
        self._row_starts: list[int] = []
        """row.start of every row: bisected within a block's rows."""
        self._block_rows: list[int] = [0]
        """The first row of each block, and the number of rows at the end."""
        self._starts: list[tuple[int, str]] = [(0, "")]
        self._start_rows: list[int] = [0]
        self._anchor_rows: dict[str, int] = {"": 0}
        self._anchors: dict[str, int] = {"": 0}
        """Each anchor's place among the sections."""
        self._links: list[LinkPlace] = []
        self._link_starts: list[int] = []
        self._link_ends: list[int] = []
        self._link_keys: list[tuple[int, int]] = []
        """(block, start) of every link, in reading order, for bisection."""
        self._links_by_block: dict[int, tuple[int, int]] = {}
        """[first, end) of each block's links in the lists above."""
        self._exists: Callable[[str], bool] = lambda address: True
        self._matches: dict[int, tuple[list[int], list[int]]] = {}
        """Search words to highlight: per block, sorted starts and ends of merged spans."""
        self._laid_out_width = 0
        self._strips: dict[int, Strip] = {}
        self.cursor: int | None = None
        """Index into the links in reading order, or None when no link is selected."""
        self.top_anchor = ""
        """The section at the top of the view."""
        self._pending: tuple[str, int | None] | None = None
        self._chosen: str | None = None
        """A section gone to by n/p/tree: it counts as entered even if the view cannot
        scroll it to the top (the last sections of an article)."""
        self._block_offsets: list[int] = []
        self._text_length = 0
        """Where each block's text starts in the text find searches (the blocks joined)."""
        self._found = Matches(0, [])
        self._found.done = True
        self._find_generation = 0
        self._folded: tuple[list[Block], str] | None = None
        """The blocks' text casefolded and joined, made once an article by the find thread."""
        self.found_index: int | None = None
        """Which find-in-page match is current."""

    # -- what is shown -------------------------------------------------------------------

    def show(
        self,
        article: Article,
        exists: Callable[[str], bool],
        anchor: str = "",
        scroll_y: int | None = None,
        matcher: Matcher | None = None,
    ) -> None:
        """Display an article, at a section or scroll offset, highlighting what `matcher` finds."""
        self.article = article
        self._exists = exists
        self._blocks = blocks_of(article)
        self._block_offsets = offsets_of([block.text for block in self._blocks])
        self._text_length = sum(len(block.text) for block in self._blocks)
        self._index_links()
        self._matches = {}
        if matcher is not None:
            for number, block in enumerate(self._blocks):
                if block.anchor == anchor and block.kind == "text":
                    self._matches[number] = _merged(matcher(block.text))
        self.cursor = None
        self._stop_finding()
        self._laid_out_width = 0
        self._rows = []
        self.top_anchor = anchor
        self._pending = (anchor, scroll_y)
        # Laid out here only if the width is known: the first article, opened on mount, waits
        # for the first frame (render_lines), so it is never set at a make-believe width.
        self._ensure_layout()

    def _index_links(self) -> None:
        self._links = [
            LinkPlace(number, link)
            for number, block in enumerate(self._blocks)
            for link in sorted(block.links, key=lambda link: link.start)
        ]
        self._link_starts = [place.link.start for place in self._links]
        self._link_ends = [place.link.end for place in self._links]
        self._link_keys = [(place.block, place.link.start) for place in self._links]
        self._links_by_block = {}
        for index, place in enumerate(self._links):
            first, _ = self._links_by_block.get(place.block, (index, index))
            self._links_by_block[place.block] = (first, index + 1)

    def is_dangling(self, link: DisplayLink) -> bool:
        return bool(link.target) and not self._exists(link.address)

    @property
    def column_width(self) -> int:
        return max(min(self.scrollable_content_region.width - 2, MAX_COLUMN), 10)

    def _ensure_layout(self) -> None:
        """Lay the article out at the pane's width, once it has one, keeping the place."""
        if self.article is None or self.scrollable_content_region.width <= 0:
            return
        if self.column_width == self._laid_out_width and self._rows:
            return
        if self._pending is not None:
            anchor, scroll_y = self._pending
            self._pending = None
            self._relayout()
            if scroll_y is not None:
                self._scroll_now(scroll_y)
            else:
                self.go_to_section(anchor)
            return
        anchor, row = self.top_anchor, self._starts_row(self.top_anchor)
        offset = int(self.scroll_y) - row
        self._relayout()
        self._scroll_now(self._starts_row(anchor) + max(offset, 0))

    def _scroll_now(self, y: int) -> None:
        # Forced: right after the first layout (in the first frame) Textual has not yet
        # noticed that the text is taller than the pane and would refuse to scroll it.
        self.scroll_to(y=y, animate=False, immediate=True, force=True)

    def _relayout(self) -> None:
        width = self.column_width
        self._laid_out_width = width
        self._rows, self._starts = layout(self._blocks, width)
        self._row_starts = [row.start for row in self._rows]
        self._block_rows = [0] * (len(self._blocks) + 1)
        self._block_rows[-1] = len(self._rows)
        for number in range(len(self._rows) - 1, -1, -1):
            self._block_rows[self._rows[number].block] = number
        self._start_rows = [row for row, _ in self._starts]
        self._anchor_rows, self._anchors = {}, {}
        for place, (row, name) in enumerate(self._starts):
            self._anchor_rows.setdefault(name, row)
            self._anchors.setdefault(name, place)
        self._strips.clear()
        self.virtual_size = Size(width, len(self._rows))
        self.refresh()

    def on_resize(self, event: events.Resize) -> None:
        self._ensure_layout()

    def render_lines(self, crop: Region) -> list[Strip]:
        # The first frame is drawn before the first Resize event is handled: lay out now, at
        # the width this frame has, rather than draw nothing or a column of the wrong width.
        self._ensure_layout()
        return super().render_lines(crop)

    # -- sections ------------------------------------------------------------------------

    def _starts_row(self, anchor: str) -> int:
        return self._anchor_rows.get(anchor, 0)

    def go_to_section(self, anchor: str) -> None:
        self._chosen = anchor
        self._scroll_now(self._starts_row(anchor))
        self._note_section()

    def section_at(self, row: int) -> str:
        index = bisect.bisect_right(self._start_rows, row) - 1
        return self._starts[max(index, 0)][1]

    def step_section(self, direction: int) -> None:
        """Go to the next (1) or previous (-1) section, in document order."""
        here = self._anchors.get(self.top_anchor, 0)
        if direction < 0 and int(self.scroll_y) > self._starts_row(self.top_anchor):
            direction = 0  # from inside a section, `p` goes to its own heading first
        target = min(max(here + direction, 0), len(self._starts) - 1)
        self.go_to_section(self._starts[target][1])

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
        if anchor != self.top_anchor:
            self.top_anchor = anchor
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

    def _key_of_row(self, number: int) -> tuple[int, int]:
        """(block, start) where row `number` begins; past the last row, past every block."""
        if number >= len(self._rows):
            return len(self._blocks), 0
        row = self._rows[max(number, 0)]
        return row.block, row.start

    def _move_cursor(self, step: int) -> None:
        if not self._links:
            self.notify("No links in this article", timeout=2)
            return
        if self.cursor is None:
            # Start from the first link on screen (or the last, going backwards).
            top, bottom = int(self.scroll_y), int(self.scroll_y) + self.size.height
            first = bisect.bisect_left(self._link_keys, self._key_of_row(top))
            after = bisect.bisect_left(self._link_keys, self._key_of_row(bottom))
            if first < after:
                self.cursor = first if step > 0 else after - 1
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
        if not row.start <= column < row.end:
            return
        first, end = self._links_by_block.get(row.block, (0, 0))
        for index in overlapping(
            self._link_starts, self._link_ends, first, end, column, column + 1
        ):
            self.cursor = index
            self._strips.clear()
            self.refresh()
            self.action_follow()
            return

    # -- find in page --------------------------------------------------------------------

    def find(self, text: str) -> None:
        """Highlight every occurrence of `text` (ignoring case) and go to the first from the
        top of the view. In a long article the search runs in a thread, which the next call
        cancels; each batch it finds posts FindCounted, the last with `find_count()` exact."""
        self._stop_finding()
        needle = folded(text)
        self._found = Matches(len(needle), self._block_offsets)
        generation = self._find_generation
        if not needle or SEPARATOR in needle:
            self._found_more(generation, [], done=True)
        elif self._text_length <= INLINE_FIND:
            haystack = self._folded_text(self._blocks) or ""
            found = [offset for batch in occurrences(haystack, needle) for offset in batch]
            self._found_more(generation, found, done=True)
        else:
            self._find_in_thread(needle, self._blocks, generation)
        self._strips.clear()
        self.refresh()

    def _stop_finding(self) -> None:
        self.workers.cancel_group(self, "find")
        self._find_generation += 1
        self._found = Matches(0, [])
        self._found.done = True
        self.found_index = None

    def find_count(self) -> tuple[int, int, bool]:
        """(1-based position of the current match or 0, matches found, whether finding is
        done: the total is exact)."""
        position = self.found_index + 1 if self.found_index is not None else 0
        return position, self._found.total, self._found.done

    @work(thread=True, exclusive=True, group="find")
    def _find_in_thread(self, needle: str, blocks: list[Block], generation: int) -> None:
        worker = get_current_worker()
        haystack = self._folded_text(blocks, worker)
        if haystack is None:
            return
        batch: list[int] = []
        report_at = time.monotonic() + FIRST_REPORT
        for offsets in occurrences(haystack, needle):
            if worker.is_cancelled:
                return
            batch.extend(offsets)
            if time.monotonic() >= report_at:
                self._hand_over(worker, generation, batch, done=False)
                batch = []
                report_at = time.monotonic() + REPORT_EVERY
        self._hand_over(worker, generation, batch, done=True)

    def _folded_text(self, blocks: list[Block], worker: Worker[None] | None = None) -> str | None:
        """The blocks' text, casefolded and joined with SEPARATOR (None if cancelled)."""
        cached = self._folded
        if cached is not None and cached[0] is blocks:
            return cached[1]
        texts = []
        for number, block in enumerate(blocks):
            if worker is not None and number % 1024 == 0 and worker.is_cancelled:
                return None
            texts.append(folded(block.text))
        joined = SEPARATOR.join(texts)
        self._folded = (blocks, joined)
        return joined

    def _hand_over(
        self, worker: Worker[None], generation: int, batch: list[int], done: bool
    ) -> None:
        if not worker.is_cancelled:
            self.app.call_from_thread(self._found_more, generation, batch, done)

    def _found_more(self, generation: int, batch: list[int], done: bool) -> None:
        """On the UI thread: more matches (from the find thread, unless a newer find began)."""
        if generation != self._find_generation:
            return
        self._found.add(batch)
        self._found.done = done
        if self.found_index is None and self._found.total:
            first = self._first_from_top()
            if first < self._found.total:
                self._go_to_match(first)
            elif done:
                self._go_to_match(0)  # none below the top: wrap to the first
        self._strips.clear()
        self.refresh()
        self.post_message(self.FindCounted())

    def _first_from_top(self) -> int:
        """The first match at or below the top of the view."""
        return self._found.index_from(*self._key_of_row(int(self.scroll_y)))

    def find_step(self, step: int) -> tuple[int, int]:
        """Go to the next (1) or previous (-1) match; (1-based position, total), or (0, 0)."""
        total = self._found.total
        if not total:
            return 0, 0
        if self.found_index is None:
            first = self._first_from_top()
            index = (first if first < total else 0) if step > 0 else first - 1
        else:
            index = self.found_index + step
        self._go_to_match(index % total)
        return index % total + 1, total

    def _go_to_match(self, index: int) -> None:
        self.found_index = index
        if self._rows:
            row = self._row_at(*self._found.at(index))
            self.scroll_to_region(Region(0, row, 1, 1), animate=False, immediate=True)
        self._strips.clear()
        self.refresh()

    def _row_at(self, block: int, offset: int) -> int:
        """The row showing character `offset` of `block`."""
        if block >= len(self._block_rows) - 1:
            return 0
        first, end = self._block_rows[block], self._block_rows[block + 1]
        return max(bisect.bisect_right(self._row_starts, offset, first, end) - 1, first)

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
        """Segments for text[row.start:row.end], with links, the cursor and matches styled.
        Only the links and matches on this row are looked at (found by bisection)."""
        marks: list[tuple[int, int, Style]] = []
        cursor_style = self.get_component_rich_style("reading-pane--cursor")
        first, end = self._links_by_block.get(row.block, (0, 0))
        for index in overlapping(
            self._link_starts, self._link_ends, first, end, row.start, row.end
        ):
            link = self._links[index].link
            dangling = self.is_dangling(link)
            look = self.get_component_rich_style(
                "reading-pane--dangling" if dangling else "reading-pane--link"
            )
            if index == self.cursor:
                look = look + cursor_style
            marks.append((link.start, link.end, look))
        match_style = self.get_component_rich_style("reading-pane--match")
        if row.block in self._matches:
            starts, ends = self._matches[row.block]
            for index in overlapping(starts, ends, 0, len(starts), row.start, row.end):
                marks.append((starts[index], ends[index], match_style))
        size = self._found.size
        for index, start in self._found.in_row(row.block, row.start, row.end):
            look = match_style + cursor_style if index == self.found_index else match_style
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


def _merged(spans: list[tuple[int, int]]) -> tuple[list[int], list[int]]:
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
