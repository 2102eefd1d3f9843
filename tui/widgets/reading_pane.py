"""The reading pane: an article drawn with the line API, with a link cursor inside it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from textual import events, work
from textual.binding import Binding
from textual.geometry import Region, Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.worker import get_current_worker

from termpedia.content.article import Article
from termpedia.content.display import DisplayLink

from .find import Finder
from .page import Matcher, Page
from .painting import PARTS, Looks, paint_row

MAX_COLUMN = 100
"""Text is set in a column at most this wide, however wide the terminal."""
INLINE_FIND = 65_536
"""Articles up to this many characters are searched at once, on the UI thread (well under a
millisecond); longer ones in a thread, so that typing never waits for the search."""


class ReadingPane(ScrollView, can_focus=True):
    """Shows one article; only the rows on screen are ever turned into segments."""

    COMPONENT_CLASSES = {f"reading-pane--{part}" for part in PARTS}
    DEFAULT_CSS = """
    ReadingPane { overflow-x: hidden; scrollbar-gutter: stable; }
    """
    # The parts' looks (title, links, matches...) are in styles/app.tcss.
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
        self.page = Page()
        """The article's blocks, links and highlights, and its rows at the last width."""
        self._exists: Callable[[str], bool] = lambda address: True
        self._strips: dict[int, Strip] = {}
        self.cursor: int | None = None
        """Index into the links in reading order, or None when no link is selected."""
        self.top_anchor = ""
        """The section at the top of the view."""
        self._pending: tuple[str, int | None] | None = None
        """Where to open the article once it is laid out: (anchor, scroll offset or None)."""
        self._chosen: str | None = None
        """A section gone to by n/p/tree: it counts as entered even if the view cannot
        scroll it to the top (the last sections of an article)."""
        self.finder = Finder()
        """Find in page: its matches and the current one."""

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
        self.page = Page(article, anchor, matcher, exists)
        self.cursor = None
        self.workers.cancel_group(self, "find")
        self.finder.reset()
        self.top_anchor = anchor
        self._pending = (anchor, scroll_y)
        # Laid out here only if the width is known: the first article, opened on mount, waits
        # for the first frame (render_lines), so it is never set at a make-believe width.
        self._ensure_layout()

    def is_dangling(self, link: DisplayLink) -> bool:
        return bool(link.target) and not self._exists(link.address)

    @property
    def column_width(self) -> int:
        return max(min(self.scrollable_content_region.width - 2, MAX_COLUMN), 10)

    def _ensure_layout(self) -> None:
        """Lay the article out at the pane's width, once it has one, keeping the place."""
        if self.article is None or self.scrollable_content_region.width <= 0:
            return
        if self.column_width == self.page.width and self.page.rows:
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
        anchor, row = self.top_anchor, self.page.starts_row(self.top_anchor)
        offset = int(self.scroll_y) - row
        self._relayout()
        self._scroll_now(self.page.starts_row(anchor) + max(offset, 0))

    def _scroll_now(self, y: int) -> None:
        # Forced: right after the first layout (in the first frame) Textual has not yet
        # noticed that the text is taller than the pane and would refuse to scroll it.
        self.scroll_to(y=y, animate=False, immediate=True, force=True)

    def _relayout(self) -> None:
        width = self.column_width
        self.page.lay_out(width)
        self.virtual_size = Size(width, len(self.page.rows))
        self._repaint()

    def _repaint(self) -> None:
        self._strips.clear()
        self.refresh()

    def on_resize(self, event: events.Resize) -> None:
        self._ensure_layout()

    def render_lines(self, crop: Region) -> list[Strip]:
        # The first frame is drawn before the first Resize event is handled: lay out now, at
        # the width this frame has, rather than draw nothing or a column of the wrong width.
        self._ensure_layout()
        return super().render_lines(crop)

    # -- sections ------------------------------------------------------------------------

    def go_to_section(self, anchor: str) -> None:
        self._chosen = anchor
        self._scroll_now(self.page.starts_row(anchor))
        self._note_section()

    def step_section(self, direction: int) -> None:
        """Go to the next (1) or previous (-1) section, in document order."""
        self.go_to_section(self.page.section_after(self.top_anchor, direction, int(self.scroll_y)))

    def watch_scroll_y(self, old: float, new: float) -> None:
        super().watch_scroll_y(old, new)
        self._note_section()

    def _note_section(self) -> None:
        top = int(self.scroll_y)
        anchor = self.page.section_at(top)
        chosen = self._chosen
        if chosen is not None:
            row = self.page.starts_row(chosen)
            if top <= row < top + max(self.size.height, 1):
                anchor = chosen  # gone to on purpose and on screen, though not at the top
            else:
                self._chosen = None
        if anchor != self.top_anchor:
            self.top_anchor = anchor
            self.post_message(self.SectionEntered(anchor))

    # -- scrolling keys ------------------------------------------------------------------

    def _scroll_by(self, rows: float) -> None:
        self._chosen = None
        self.scroll_to(y=self.scroll_y + rows, animate=False)

    def action_scroll_lines(self, lines: int) -> None:
        self._scroll_by(lines)

    def action_scroll_pages(self, pages: int) -> None:
        self._scroll_by(pages * max(self.size.height - 1, 1))

    def action_scroll_half(self, direction: int) -> None:
        self._scroll_by(direction * max(self.size.height // 2, 1))

    def action_top(self) -> None:
        self._chosen = None
        self.scroll_to(y=0, animate=False)

    def action_bottom(self) -> None:
        self._chosen = None
        self.scroll_to(y=self.max_scroll_y, animate=False)

    # -- links ---------------------------------------------------------------------------

    @property
    def current_link(self) -> DisplayLink | None:
        return self.page.links[self.cursor].link if self.cursor is not None else None

    def _move_cursor(self, step: int) -> None:
        if not self.page.links:
            self.notify("No links in this article", timeout=2)
            return
        # With no cursor yet: from the first link on screen (or the last, going backwards).
        top = int(self.scroll_y)
        self.cursor = self.page.next_link(self.cursor, step, top, top + self.size.height)
        row = self.page.link_row(self.cursor)
        self.scroll_to_region(Region(0, row, 1, 1), animate=False, immediate=True)
        self._repaint()

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
        # 1: the blank cell each row starts with.
        index = self.page.link_at(int(self.scroll_y) + offset.y, offset.x - 1)
        if index is not None:
            self.cursor = index
            self._repaint()
            self.action_follow()

    # -- find in page --------------------------------------------------------------------

    def find(self, text: str) -> None:
        """Highlight every occurrence of `text` (ignoring case) and go to the first from the
        top of the view. In a long article the search runs in a thread, which the next call
        cancels; each batch it finds posts FindCounted, the last with `find_count()` exact."""
        self.workers.cancel_group(self, "find")
        needle = self.finder.begin(text, self.page.block_offsets)
        generation = self.finder.generation
        if needle and self.page.text_length > INLINE_FIND:
            self._find_in_thread(needle, self.page.texts, generation)
        else:
            self._found_more(generation, self.finder.find_now(needle, self.page.texts), True)
        self._repaint()

    def find_count(self) -> tuple[int, int, bool]:
        """(1-based position of the current match or 0, matches found, whether finding is
        done: the total is exact)."""
        return self.finder.count()

    @work(thread=True, exclusive=True, group="find")
    def _find_in_thread(self, needle: str, texts: list[str], generation: int) -> None:
        worker = get_current_worker()

        def hand_over(batch: list[int], done: bool) -> None:
            if not worker.is_cancelled:
                self.app.call_from_thread(self._found_more, generation, batch, done)

        self.finder.find_all(needle, texts, lambda: worker.is_cancelled, hand_over)

    def _found_more(self, generation: int, batch: list[int], done: bool) -> None:
        """On the UI thread: more matches (from the find thread, unless a newer find began)."""
        if not self.finder.add(generation, batch, done):
            return
        first = self.finder.first_to_show(self._first_from_top())
        if first is not None:
            self._go_to_match(first)
        self._repaint()
        self.post_message(self.FindCounted())

    def _first_from_top(self) -> int:
        """The first match at or below the top of the view."""
        return self.finder.found.index_from(*self.page.key_of_row(int(self.scroll_y)))

    def find_step(self, step: int) -> None:
        """Go to the next (1) or previous (-1) match, if there are any."""
        index = self.finder.step(step, self._first_from_top())
        if index is not None:
            self._go_to_match(index)

    def _go_to_match(self, index: int) -> None:
        self.finder.current = index
        if self.page.rows:
            row = self.page.row_at(*self.finder.found.at(index))
            self.scroll_to_region(Region(0, row, 1, 1), animate=False, immediate=True)
        self._repaint()

    # -- drawing -------------------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        number = int(self.scroll_y) + y
        width = self.size.width
        if not 0 <= number < len(self.page.rows):
            return Strip.blank(width, self.rich_style)
        strip = self._strips.get(number)
        if strip is None:
            segments = paint_row(
                self.page,
                self.page.rows[number],
                Looks.of(self.get_component_rich_style, self.rich_style),
                self.cursor,
                self.finder,
                self.is_dangling,
            )
            strip = Strip(segments).adjust_cell_length(width, self.rich_style)
            if len(self._strips) > 2000:
                self._strips.clear()
            self._strips[number] = strip
        return strip
