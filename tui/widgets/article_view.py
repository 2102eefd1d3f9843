"""The body of the reader: section tree, search results, reading pane, find bar, kept in step.

The tree is beside the pane, the search results above the text and the find bar below it.
"""

from __future__ import annotations

from collections.abc import Callable

from textual import getters, on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.timer import Timer
from textual.widgets import Static

from termpedia.content.article import Article
from termpedia.index.search import SearchResult

from ..heap import SETTLE_DELAY, settle_heap
from .find_bar import FindBar
from .find_in_page import FindInPage
from .page import Matcher
from .reading_pane import ReadingPane
from .search_results import SearchResults, describe
from .section_tree import SectionTree

NARROW = 90
"""Below this width the section tree is hidden until `t` shows it."""


class ArticleView(Horizontal):
    """The tree follows the section at the top of the pane and moves the pane to the
    section chosen in it; the find bar finds in the pane and shows its count. The pane's
    and the lists' other messages (links followed, sections entered, hits chosen) go on up."""

    sections = getters.query_one("#tree", SectionTree)
    pane = getters.query_one("#reader", ReadingPane)
    results = getters.query_one("#results", SearchResults)
    note = getters.query_one("#note", Static)
    find_in_page = getters.query_one("#find", FindInPage)

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.tree_wanted = False
        """The reader asked for the tree (`t`) on a narrow terminal."""
        self._heap_timer: Timer | None = None

    def compose(self) -> ComposeResult:
        yield SectionTree(id="tree")
        with Vertical(id="main"):
            yield Static("", id="note", markup=False)
            yield SearchResults(id="results")
            yield ReadingPane(id="reader")
            yield FindInPage(id="find")

    def on_mount(self) -> None:
        self.hide_results()

    def show_article(
        self,
        article: Article,
        exists: Callable[[str], bool],
        anchor: str = "",
        scroll_y: int | None = None,
        matcher: Matcher | None = None,
    ) -> str:
        """Show an article in the tree and the pane (as `ReadingPane.show`); the anchor of
        the section at the top of the pane."""
        self.sections.show(article, exists)
        self.pane.show(article, exists, anchor=anchor, scroll_y=scroll_y, matcher=matcher)
        self.sections.follow(self.pane.top_anchor)
        self.place_tree()
        if self._heap_timer is not None:
            self._heap_timer.stop()
        # Just after the first frame (not in the same refresh, so that it is drawn first),
        # before the reader starts typing in it.
        self._heap_timer = self.set_timer(SETTLE_DELAY, settle_heap)
        return self.pane.top_anchor

    # -- the section tree ----------------------------------------------------------------

    def on_resize(self) -> None:
        self.place_tree()

    def place_tree(self) -> None:
        self.sections.display = self.tree_wanted or self.screen.size.width >= NARROW

    def toggle_tree(self) -> None:
        """`t`: into the tree, or back to the text; on a narrow terminal, show or hide it."""
        tree = self.sections
        if self.screen.size.width < NARROW:
            self.tree_wanted = not (tree.display and tree.has_focus)
            self.place_tree()
            if not tree.display:
                self.pane.focus()
                return
        if tree.display:
            if tree.has_focus:
                self.pane.focus()
            else:
                tree.focus()

    @on(SectionTree.SectionChosen)
    def section_chosen(self, event: SectionTree.SectionChosen) -> None:
        self.pane.go_to_section(event.anchor)
        self.pane.focus()

    @on(ReadingPane.SectionEntered)
    def section_entered(self, event: ReadingPane.SectionEntered) -> None:
        self.sections.follow(event.anchor)

    # -- search results ------------------------------------------------------------------

    def show_results(self, text: str, result: SearchResult) -> None:
        """The note on the results of searching `text` and, if there are any, the hits."""
        self.note.update(describe(text, result))
        self.note.display = True
        self.results.show(result)
        self.results.display = bool(result.hits)

    def hide_results(self) -> None:
        self.results.display = False
        self.note.display = False

    def choose_results(self) -> None:
        """Into the results (`Down` in the search bar), if there are any."""
        if self.results.display and self.results.option_count:
            self.results.focus()

    # -- find in page --------------------------------------------------------------------

    def open_find(self) -> None:
        self.find_in_page.open()

    @on(FindBar.TextChanged)
    def find_changed(self, event: FindBar.TextChanged) -> None:
        # The pane finds in a thread (a newer key cancels it) and goes to the first match
        # itself; it posts FindCounted as the count grows.
        self.pane.find(event.text)

    @on(FindBar.Stepped)
    def find_stepped(self, event: FindBar.Stepped) -> None:
        self.pane.find_step(event.step)
        self.find_in_page.show_count(*self.pane.find_count())

    @on(ReadingPane.FindCounted)
    def find_counted(self) -> None:
        self.find_in_page.show_count(*self.pane.find_count())

    @on(FindBar.Closed)
    def find_closed(self) -> None:
        self.pane.focus()
