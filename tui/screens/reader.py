"""The reader: search bar, article view, status line. It composes them and mediates."""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from pathlib import Path

from textual import events, getters, on
from textual.actions import SkipAction
from textual.app import ComposeResult
from textual.message import Message
from textual.reactive import reactive
from textual.screen import Screen
from textual.widgets import Header, Input

from termpedia.content.article import Article
from termpedia.content.display import plain_text
from termpedia.content.sanitize import visible
from termpedia.index.search import Index, IndexDamaged, SearchHit

from .. import navigation
from ..history import address_of
from ..navigation import Found, Missing, Unreadable
from ..search_timing import DEBOUNCE, FULL_TEXT_PAUSE, SearchTiming
from ..services import Services, editable_copy, new_article_file
from ..state import Bookmark
from ..upkeep import CaughtUp, Indexing, IndexUpkeep, NewProblems, Report, Said
from ..widgets.article_view import ArticleView
from ..widgets.footer import FittingFooter
from ..widgets.reading_pane import ReadingPane
from ..widgets.search_bar import SearchBar
from ..widgets.search_results import SearchResults
from ..widgets.status_line import StatusLine
from .help import HelpScreen
from .jump import JumpScreen
from .lists import BacklinksScreen, BookmarksScreen, LibraryScreen, ProblemsScreen, VisitsScreen
from .prompt import PromptScreen
from .reader_keys import OFF_WHEN_SERVED, READER_KEYS

__all__ = ["DEBOUNCE", "FULL_TEXT_PAUSE", "ReaderScreen"]  # the benchmark reads DEBOUNCE here


class ReaderScreen(Screen[None]):
    """Reads one article at a time; searches and follows links."""

    AUTO_FOCUS = "#reader"
    BINDINGS = READER_KEYS

    can_go_back: reactive[bool] = reactive(False, bindings=True)
    """Whether there is a place to go back to (greys out the Back key otherwise)."""
    current_section: reactive[str] = reactive("")
    """Anchor of the section at the top of the reading pane."""

    view = getters.query_one("#body", ArticleView)
    pane = getters.query_one("#reader", ReadingPane)
    search_bar = getters.query_one("#search", SearchBar)

    @dataclass
    class IndexReported(Message):
        """The index upkeep has something to say (posted from whichever thread found it)."""

        report: Report

    def __init__(
        self,
        index: Index,
        start: str | None = None,
        file: Path | None = None,
        services: Services | None = None,
    ) -> None:
        super().__init__()
        self.index = index
        self.start = start
        self.file = file
        self.services = services or Services()
        self.state = self.services.state
        self.trail = navigation.Trail(self.state)
        self.timing = SearchTiming(index)
        upkeep_worker = partial(self.run_worker, thread=True, group="upkeep")
        self.upkeep = IndexUpkeep(
            index, self.services.index_root, self.services.shelves, self._reported, upkeep_worker
        )
        self.article: Article | None = None
        self.library = ""
        self.last_query = ""
        """The text whose results are on screen."""
        self.dangling_title = ""
        """The target of the last dangling link followed: `a` offers it as the new title."""
        self.pending_start = ""
        """A start title the last index did not have, opened if the catch-up adds it."""

    def say(self, said: Said | None) -> None:
        """Notify, always as plain text: messages quote titles, headings and paths from
        articles, which must never be read as markup."""
        if said is not None:
            self.notify(said.text, severity=said.severity, timeout=said.timeout, markup=False)

    def compose(self) -> ComposeResult:
        placeholder = 'Search (/)   words, "phrases", OR, -word, title:, prefix*'
        yield Header()
        yield SearchBar(self.timing, placeholder=placeholder, id="search")
        yield ArticleView(id="body")
        yield StatusLine("", id="status", markup=False)
        yield FittingFooter()

    def on_mount(self) -> None:
        self.tell_problems()
        # In a thread: reading the archives' indexer's new batches opens their segments.
        pick_up = partial(
            self.run_worker, self.upkeep.pick_up, thread=True, group="pick-up", exclusive=True
        )
        self.set_interval(2.0, pick_up)
        if self.file is not None:
            self.open_file(self.file)
        elif not self.open_address(self.start or "termpedia", quiet=True):
            self.open_address("termpedia", quiet=True)
            if self.start:
                self.say(Said(f"No article titled {visible(self.start)!r}", timeout=4))
                self.search_bar.search_for(self.start)
                self.pending_start = self.start if self.services.catch_up else ""
        if self.services.catch_up:
            self.services.catch_up = False  # once per run, not per screen
            # Once the first screen is drawn: the worker's scan would hold the GIL meanwhile.
            self.call_after_refresh(self.upkeep.catch_up)  # then it starts index_archives
        else:
            self.call_after_refresh(self.upkeep.index_archives)

    def on_unmount(self) -> None:
        self.upkeep.stop_indexing()

    # -- opening articles ----------------------------------------------------------------

    def open_address(self, address: str, quiet: bool = False) -> bool:
        """Open `Title#Section` (or `#Section` in this article); False if none (`quiet`:
        without a word or a search for it)."""
        if address.startswith("#") and self.article is not None:
            return self.show(Found(self.article, self.library, address[1:]))
        return self.show(navigation.look_up(self.index, address), quiet=quiet)

    def open_file(self, path: Path) -> None:
        if self.show(navigation.read(path, navigation.FILE)):
            self.tell_problems()

    def show(
        self,
        found: Found | Missing | Unreadable,
        record: bool = True,
        scroll_y: int | None = None,
        query: str = "",
        quiet: bool = False,
    ) -> bool:
        """Show a found article at the section its fragment names (or at `scroll_y`), the
        words of `query` highlighted there; `record`: a new place in back/forward. What was
        not found is searched for, or (unreadable) told of; then False is returned."""
        if isinstance(found, Unreadable):
            self.say(Said(found.message, "error", found.timeout))
            return False
        if isinstance(found, Missing):
            if not quiet:
                self.dangling(found.title, found.ambiguous)
            return False
        article, library = found.article, found.library
        anchor, said = navigation.anchor_for(article, found.fragment)
        self.say(said)
        left_at = int(self.pane.scroll_y) if record else None
        self.article, self.library = article, library
        exists = partial(navigation.exists, self.index)
        self.title = navigation.header_title(found, exists)
        language = self.index.language_of(article.path)
        matcher = partial(self.index.matches_in, query, language=language) if query else None
        self.current_section = self.view.show_article(article, exists, anchor, scroll_y, matcher)
        self.trail.arrive(article, library, anchor, left_at)
        self.can_go_back = self.trail.can_go_back
        return True

    def dangling(self, address: str, ambiguous: bool) -> None:
        """A link or title that leads nowhere, or to several articles: say so, search it."""
        title = address.partition("#")[0]
        self.say(navigation.dangling_note(title, ambiguous))
        if not ambiguous:
            self.dangling_title = title
        self.search_bar.search_for(title)

    def open_chosen(self, address: str | None) -> None:
        """Open what a list or the title jump returned (None: it was closed)."""
        if address:
            self.open_address(address)
            self.pane.focus()

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
        section = self.article.section(anchor) if self.article is not None else None
        self.sub_title = visible(section.heading) if section is not None else ""

    @on(SearchResults.HitChosen)
    def hit_chosen(self, event: SearchResults.HitChosen) -> None:
        self.open_hit(event.hit)

    def open_hit(self, hit: SearchHit) -> None:
        found = navigation.read(hit.path, hit.library, hit.anchor)
        if isinstance(found, Found):
            self.view.hide_results()
        if self.show(found, query=self.last_query):
            self.pane.focus()

    def _travel(self, direction: int) -> None:
        place = self.trail.step(direction, int(self.pane.scroll_y))
        if place is None:
            self.say(Said("No further history", timeout=2))
        elif self.show(navigation.read_place(self.index, place), False, place.scroll_y):
            self.pane.focus()

    # -- search results ------------------------------------------------------------------

    @on(SearchBar.Answered)
    def answered(self, event: SearchBar.Answered) -> None:
        text, result = event.text, event.result
        if self.view.results.has_focus and text == self.last_query:
            return  # the reader is choosing among these: do not swap the list under them
        self.last_query = text
        if result is None:
            self.view.hide_results()
            return
        self.view.show_results(text, result)
        if event.submitted and result.hits:
            self.open_hit(result.hits[0])

    @on(SearchBar.ResultsWanted)
    def into_results(self) -> None:
        self.view.choose_results()

    # -- keeping the index up to date ----------------------------------------------------

    def _reported(self, report: Report) -> None:
        self.post_message(self.IndexReported(report))  # from any thread: post_message is safe

    @on(SearchBar.IndexFailed)
    def rebuild_index(self) -> None:
        """The index could not be read: build it again in the background, keep reading."""
        if self.state.served:  # a served session never writes the index
            self.say(Said("The search index is damaged: `termpedia index` rebuilds it", "error"))
            return
        self.upkeep.rebuild()

    @on(IndexReported)
    def index_reported(self, event: IndexReported) -> None:
        report = event.report
        if isinstance(report, Said):
            self.say(report)
        elif isinstance(report, NewProblems):
            self.tell_problems(report.count)
        elif isinstance(report, Indexing):
            self.query_one("#status", StatusLine).tell_progress(report.text)
        elif isinstance(report, CaughtUp) and self.pending_start:
            # The start title was not in the last index; the catch-up may have added it.
            title, self.pending_start = self.pending_start, ""
            if self.index.catalog.resolve(title).entry is not None:
                self.view.hide_results()
                self.open_address(title)

    def problems(self) -> list[str]:
        """Everything wrong, for the Problems list (`!`) and the status line."""
        diagnostics = self.article.diagnostics if self.article is not None else ()
        return self.upkeep.problems(diagnostics, self.state.problems)

    def tell_problems(self, new: int = 0) -> None:
        self.query_one("#status", StatusLine).tell_problems(len(self.problems()), new)

    def after_edit(self, path: Path, anchor: str) -> None:
        """Re-index, re-parse and show an edited file at the same section."""
        indexed = self.upkeep.after_edit(path)
        found = navigation.read(path, self.index.library_of(str(path)) or "user", anchor)
        if self.show(found, record=False) and isinstance(found, Found):
            self.tell_problems(len(found.article.diagnostics))
            if indexed:
                self.say(Said(f"Re-indexed {visible(found.article.title)}", timeout=2))

    # -- keys ----------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return (self.can_go_back or None) if action == "go_back" else True

    def action_search(self) -> None:
        if isinstance(self.focused, Input):
            raise SkipAction  # a "/" typed into the search or find bar
        # At once, not after the queued keys as `focus()` would: they belong in the search bar.
        self.set_focus(self.search_bar)

    def on_paste(self, event: events.Paste) -> None:
        """Text pasted outside the search and find bars (which take their own pastes) is a
        search: a terminal with bracketed paste sends "/garbage collection" as one paste,
        which would otherwise be lost on the reading pane."""
        text = " ".join(event.text.split())
        if text:
            event.stop()
            self.search_bar.take_paste(text)

    def action_leave(self) -> None:
        self.view.hide_results()
        self.pane.focus()

    def action_tree(self) -> None:
        self.view.toggle_tree()

    def action_section(self, direction: int) -> None:
        self.pane.step_section(direction)

    def action_go_back(self) -> None:
        self._travel(-1)

    def action_go_forward(self) -> None:
        self._travel(1)

    def action_help(self) -> None:
        self.app.push_screen(HelpScreen(self.active_bindings, served=self.state.served))

    def action_find(self) -> None:
        self.view.open_find()

    def action_jump(self) -> None:
        self.app.push_screen(JumpScreen(self.index), self.open_chosen)

    def action_backlinks(self) -> None:
        if self.article is None:
            return
        try:
            hits = self.index.backlinks(self.article.title)
        except IndexDamaged:
            self.rebuild_index()
            return
        self.app.push_screen(BacklinksScreen(self.article.title, hits), self.open_chosen)

    def action_bookmark(self) -> None:
        if self.article is not None and self.article.title:
            bookmark = Bookmark.at(self.article, self.current_section, self.library)
            self.state.add_bookmark(bookmark)
            private = " (not saved: private mode)" if self.state.private else ""
            private = " (for this session only)" if self.state.served else private
            self.say(Said(f"Bookmarked {visible(bookmark.name)}{private}", timeout=3))

    def action_bookmarks(self) -> None:
        self.app.push_screen(BookmarksScreen(self.state), self.open_chosen)

    def action_history(self) -> None:
        self.app.push_screen(VisitsScreen(self.trail.visits, self.state), self.open_chosen)

    def action_problems(self) -> None:
        self.app.push_screen(ProblemsScreen(self.problems()))

    def action_pick_library(self) -> None:
        self.app.push_screen(LibraryScreen(self.index.libraries), self.search_bar.search_in)

    def action_random(self) -> None:
        title = navigation.another_title(self.index, self.article)
        if title:
            self.open_address(title)

    def action_copy_text(self) -> None:
        if self.article is not None:
            self.app.copy_to_clipboard(plain_text(self.article, self.current_section or None))
            self.say(Said("Copied the section as text", timeout=2))

    def action_copy_link(self) -> None:
        if self.article is not None and self.article.title:
            address = address_of(self.article.title, self.current_section)
            self.app.copy_to_clipboard(f'termpedia "{address}"')
            self.say(Said(f"Copied: termpedia {visible(address)!r}", timeout=3))

    def off_when_served(self, binding_id: str) -> bool:
        """Served to a browser, a key that would write files or start a program says why
        it does nothing (and True is returned)."""
        if self.state.served:
            self.say(Said(OFF_WHEN_SERVED[binding_id], "warning", 4))
        return self.state.served

    def action_edit(self) -> None:
        if self.off_when_served("app.edit"):
            return
        if self.article is not None:
            self.edit(editable_copy(self.article, self.library), self.current_section)

    def edit(self, path: Path, anchor: str) -> None:
        """Let the reader edit `path` (the app is suspended meanwhile), then show it."""
        self.services.edit(self.app, path)
        self.after_edit(path, anchor)

    def action_new_article(self) -> None:
        if self.off_when_served("app.new"):
            return
        prompt = PromptScreen("Title of the new article", self.dangling_title)
        self.app.push_screen(prompt, self.new_article)

    def new_article(self, title: str | None) -> None:
        """Open the article titled `title` if there is one, else write it from a template."""
        if not title:
            return
        if self.index.catalog.resolve(title).entry is not None:
            self.open_address(title)
            self.say(Said(f"{visible(title)!r} exists already", timeout=3))
            return
        self.edit(new_article_file(title), "")
