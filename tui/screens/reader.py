"""The reader: search bar, section tree, reading pane. It mediates between widgets and the core."""

from __future__ import annotations

import time
from pathlib import Path

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.reactive import reactive
from textual.screen import Screen
from textual.widgets import Footer, Header, Input, Static
from textual.worker import get_current_worker

from termpedia.content.article import Article
from termpedia.content.library import ArticleError, load_article
from termpedia.content.resolve import fragment_matches
from termpedia.content.sanitize import visible
from termpedia.index.search import Index, SearchHit, SearchResult

from ..history import History, Place
from ..widgets.reading_pane import ReadingPane
from ..widgets.search_bar import SearchBar
from ..widgets.search_results import SearchResults
from ..widgets.section_tree import SectionTree

DEBOUNCE = 0.12
"""Seconds to wait after a keystroke before searching; the next keystroke cancels the wait."""
NARROW = 90
"""Below this width the section tree is hidden until `t` shows it."""


class ReaderScreen(Screen[None]):
    """Reads one article at a time; searches and follows links."""

    AUTO_FOCUS = "#reader"
    BINDINGS = [
        Binding("slash", "search", "Search", id="app.search"),
        Binding("escape", "leave", "Back to text", show=False, id="app.leave"),
        Binding("t", "tree", "Sections", id="app.tree"),
        Binding("n", "section(1)", "Next section", id="app.next_section"),
        Binding("p", "section(-1)", "Prev section", show=False, id="app.prev_section"),
        Binding("backspace,h,alt+left", "go_back", "Back", id="app.back"),
        Binding("l,alt+right", "go_forward", "Forward", show=False, id="app.forward"),
        Binding("question_mark", "help", "Help", id="app.help"),
    ]

    can_go_back: reactive[bool] = reactive(False, bindings=True)
    """Whether there is a place to go back to (greys out the Back key otherwise)."""
    current_section: reactive[str] = reactive("")
    """Anchor of the section at the top of the reading pane."""

    def __init__(self, index: Index, start: str | None = None, file: Path | None = None) -> None:
        super().__init__()
        self.index = index
        self.start = start
        self.file = file
        self.history = History()
        self.article: Article | None = None
        self.library = ""
        self.last_query = ""
        self.tree_wanted = False

    def compose(self) -> ComposeResult:
        yield Header()
        yield SearchBar(
            placeholder='Search (/)   words, "phrases", OR, -word, title:, prefix*', id="search"
        )
        with Horizontal(id="body"):
            yield SectionTree(id="tree")
            with Vertical(id="main"):
                yield Static("", id="note", markup=False)
                yield SearchResults(id="results")
                yield ReadingPane(id="reader")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#results").display = False
        self.query_one("#note").display = False
        if self.file is not None:
            self.open_file(self.file)
        elif not self.open_address(self.start or "termpedia", record=True, quiet=True):
            self.open_address("termpedia", record=True, quiet=True)
            if self.start:
                self.notify(f"No article titled {visible(self.start)!r}", timeout=4)
                self.start_search(self.start)

    def on_resize(self) -> None:
        self._place_tree()

    def _place_tree(self) -> None:
        narrow = self.size.width < NARROW
        self.query_one(SectionTree).display = self.tree_wanted or not narrow

    # -- opening articles ----------------------------------------------------------------

    def open_address(
        self, address: str, record: bool = True, quiet: bool = False, query: str = ""
    ) -> bool:
        """Open `Title#Section` (or `#Section` in this article); False if none."""
        if address.startswith("#") and self.article is not None:
            return self.show(self.article, self.library, address[1:], record=record, query=query)
        resolution = self.index.catalog.resolve(address)
        if resolution.entry is None:
            if not quiet:
                self.dangling(address, bool(resolution.candidates))
            return False
        try:
            article = load_article(Path(resolution.entry.path))
        except ArticleError as error:
            self.notify(visible(str(error.diagnostic)), severity="error", timeout=6)
            return False
        return self.show(
            article, resolution.entry.library, resolution.fragment, record, query=query
        )

    def open_file(self, path: Path) -> None:
        try:
            article = load_article(path)
        except ArticleError as error:
            self.notify(visible(str(error.diagnostic)), severity="error")
            return
        self.show(article, "file", "", record=True)
        for problem in article.diagnostics[:3]:
            self.notify(visible(str(problem)), severity="warning", timeout=6)

    def show(
        self,
        article: Article,
        library: str,
        fragment: str = "",
        record: bool = True,
        scroll_y: int | None = None,
        query: str = "",
    ) -> bool:
        anchor = self._anchor(article, fragment)
        pane = self.query_one(ReadingPane)
        if record:
            self.history.remember_scroll(int(pane.scroll_y))
        self.article, self.library = article, library
        self.title = visible(article.title) + (
            f"  [{library}]" if library not in ("bundled", "") else ""
        )
        self.query_one(SectionTree).show(article)
        language = self.index.language_of(article.path)
        matcher = (lambda text: self.index.matches_in(query, text, language)) if query else None
        pane.show(article, self.exists, anchor=anchor, scroll_y=scroll_y, matcher=matcher)
        self.current_section = pane.anchor
        if record:
            self.history.visit(Place(article.title, library, article.path, anchor))
        self.can_go_back = self.history.can_go_back
        self._place_tree()
        return True

    def _anchor(self, article: Article, fragment: str) -> str:
        if not fragment:
            return ""
        for section in article.walk():
            if section.anchor and fragment_matches(fragment, section.anchor, section.heading):
                return section.anchor
        self.notify(f"No section {visible(fragment)!r} in this article", timeout=3)
        return ""

    def exists(self, address: str) -> bool:
        """Does a link lead to an article (or a section of this one)?"""
        if address.startswith("#"):
            return True
        return self.index.catalog.resolve(address).entry is not None

    def dangling(self, address: str, ambiguous: bool) -> None:
        title = address.partition("#")[0]
        if ambiguous:
            self.notify(f"{visible(title)!r} names more than one article: pick one", timeout=4)
        else:
            self.notify(f"No article titled {visible(title)!r} yet: searching for it", timeout=4)
        self.start_search(title)

    # -- messages from the widgets -------------------------------------------------------

    @on(ReadingPane.LinkFollowed)
    def follow(self, event: ReadingPane.LinkFollowed) -> None:
        event.stop()
        if event.dangling:
            self.dangling(event.address, False)
        else:
            self.open_address(event.address)

    @on(ReadingPane.SectionEntered)
    def section_entered(self, event: ReadingPane.SectionEntered) -> None:
        self.current_section = event.anchor

    def watch_current_section(self, anchor: str) -> None:
        if self.article is None:
            return
        section = self.article.section(anchor)
        self.sub_title = visible(section.heading) if section is not None else ""
        self.query_one(SectionTree).follow(anchor)

    @on(SectionTree.SectionChosen)
    def section_chosen(self, event: SectionTree.SectionChosen) -> None:
        pane = self.query_one(ReadingPane)
        pane.go_to_section(event.anchor)
        pane.focus()

    @on(SearchResults.HitChosen)
    def hit_chosen(self, event: SearchResults.HitChosen) -> None:
        self.open_hit(event.hit)

    def open_hit(self, hit: SearchHit) -> None:
        try:
            article = load_article(Path(hit.path))
        except ArticleError as error:
            self.notify(visible(str(error.diagnostic)), severity="error")
            return
        self.hide_results()
        self.show(article, hit.library, hit.anchor, query=self.last_query)
        self.query_one(ReadingPane).focus()

    # -- searching -----------------------------------------------------------------------

    def start_search(self, text: str) -> None:
        bar = self.query_one(SearchBar)
        bar.value = text
        bar.focus()
        self.search_now(text)

    @on(Input.Changed, "#search")
    def typed(self, event: Input.Changed) -> None:
        self.search_soon(event.value)

    @work(exclusive=True, thread=True, group="search")
    def search_soon(self, text: str) -> None:
        worker = get_current_worker()
        time.sleep(DEBOUNCE)
        if worker.is_cancelled:
            return
        result = self.index.search(text) if text.strip() else None
        if not worker.is_cancelled:
            self.app.call_from_thread(self.show_results, text, result)

    def search_now(self, text: str) -> SearchResult | None:
        self.workers.cancel_group(self, "search")
        result = self.index.search(text) if text.strip() else None
        self.show_results(text, result)
        return result

    @on(Input.Submitted, "#search")
    def submitted(self, event: Input.Submitted) -> None:
        result = self.search_now(event.value)
        if result is not None and result.hits:
            self.open_hit(result.hits[0])

    def show_results(self, text: str, result: SearchResult | None) -> None:
        results = self.query_one(SearchResults)
        note = self.query_one("#note", Static)
        self.last_query = text
        if result is None:
            self.hide_results()
            return
        lines = []
        if result.suggestion:
            lines.append(f"Did you mean: {visible(result.suggestion)}?")
        if result.note:
            lines.append(visible(result.note))
        if not result.hits:
            lines.append(f"No sections match {visible(text)!r}")
        else:
            lines.append(f"{result.total} sections match; Enter opens the first, Down to choose")
        note.update("\n".join(lines))
        note.display = True
        results.show(result)
        results.display = bool(result.hits)

    def hide_results(self) -> None:
        self.query_one(SearchResults).display = False
        self.query_one("#note").display = False

    @on(SearchBar.ResultsWanted)
    def into_results(self) -> None:
        results = self.query_one(SearchResults)
        if results.display and results.option_count:
            results.focus()

    # -- keys ----------------------------------------------------------------------------

    def action_search(self) -> None:
        self.query_one(SearchBar).focus()

    def action_leave(self) -> None:
        self.hide_results()
        self.query_one(ReadingPane).focus()

    def action_tree(self) -> None:
        tree = self.query_one(SectionTree)
        if self.size.width < NARROW:
            self.tree_wanted = not (tree.display and tree.has_focus)
            self._place_tree()
        if tree.display:
            if tree.has_focus:
                self.query_one(ReadingPane).focus()
            else:
                tree.focus()

    def action_section(self, direction: int) -> None:
        self.query_one(ReadingPane).step_section(direction)

    def action_go_back(self) -> None:
        self._travel(self.history.back)

    def action_go_forward(self) -> None:
        self._travel(self.history.forward)

    def _travel(self, move: object) -> None:
        pane = self.query_one(ReadingPane)
        self.history.remember_scroll(int(pane.scroll_y))
        place = move() if callable(move) else None
        if place is None:
            self.notify("No further history", timeout=2)
            return
        if place.library == "file":
            try:
                article = load_article(Path(place.path))
            except ArticleError as error:
                self.notify(visible(str(error.diagnostic)), severity="error")
                return
            self.show(article, "file", record=False, scroll_y=place.scroll_y)
        else:
            resolution = self.index.catalog.resolve(place.title)
            path = Path(place.path if resolution.entry is None else resolution.entry.path)
            try:
                article = load_article(path)
            except ArticleError as error:
                self.notify(visible(str(error.diagnostic)), severity="error")
                return
            self.show(article, place.library, record=False, scroll_y=place.scroll_y)
        pane.focus()

    def action_help(self) -> None:
        from .help import HelpScreen

        self.app.push_screen(HelpScreen(self.active_bindings))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "go_back":
            return self.can_go_back or None
        return True
