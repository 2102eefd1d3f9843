"""The reader: search bar, section tree, reading pane. It mediates between widgets and the core."""

from __future__ import annotations

import gc
import time
from pathlib import Path

from textual import events, on, work
from textual.actions import SkipAction
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.notifications import SeverityLevel
from textual.reactive import reactive
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Header, Input, Static
from textual.worker import get_current_worker

from termpedia.content.article import Article
from termpedia.content.library import ArticleError, load_article
from termpedia.content.resolve import find_section, sections_starting
from termpedia.content.sanitize import visible
from termpedia.index.search import Index, IndexDamaged, SearchHit, SearchResult
from termpedia.index.store import IndexBusy

from ..history import History, Place, Visit, VisitLog
from ..services import Services
from ..widgets.find_bar import FindBar
from ..widgets.footer import FittingFooter
from ..widgets.reading_pane import ReadingPane
from ..widgets.search_bar import SearchBar
from ..widgets.search_results import SearchResults
from ..widgets.section_tree import SectionTree
from .reader_features import ReaderFeatures

DEBOUNCE = 0.12
"""While keys come faster than this (seconds apart), each waits this long before searching
and the next one cancels the wait; the first key after a pause searches at once."""
FULL_TEXT_PAUSE = 0.3
"""Seconds of no typing after which the full text is searched (titles and headings first)."""
NARROW = 90
HEAP_SETTLE_DELAY = 0.02
"""Seconds after an article is shown before `settle_heap`."""
"""Below this width the section tree is hidden until `t` shows it."""


class ReaderScreen(ReaderFeatures, Screen[None]):
    """Reads one article at a time; searches and follows links."""

    AUTO_FOCUS = "#reader"
    BINDINGS = [
        # Priority: run as the key arrives, so keys pasted right after it reach the search bar.
        Binding("slash", "search", "Search", id="app.search", priority=True),
        Binding("escape", "leave", "Back to text", show=False, id="app.leave"),
        Binding("t", "tree", "Sections", id="app.tree"),
        Binding("n", "section(1)", "Next section", show=False, id="app.next_section"),
        Binding("p", "section(-1)", "Prev section", show=False, id="app.prev_section"),
        Binding("backspace,h,alt+left", "go_back", "Back", id="app.back"),
        Binding("l,alt+right", "go_forward", "Forward", show=False, id="app.forward"),
        Binding("question_mark", "help", "Help", id="app.help"),
        Binding("ctrl+f", "find", "Find", id="app.find"),
        Binding("o", "jump", "Go to title", show=False, id="app.jump"),
        Binding("w", "backlinks", "What links here", show=False, id="app.backlinks"),
        Binding("m", "bookmark", "Bookmark", show=False, id="app.bookmark"),
        Binding("apostrophe", "bookmarks", "Bookmarks", show=False, id="app.bookmarks"),
        Binding("H", "history", "History", show=False, id="app.history"),
        Binding("r", "random", "Random article", show=False, id="app.random"),
        Binding("e", "edit", "Edit article", show=False, id="app.edit"),
        Binding("a", "new_article", "New article", show=False, id="app.new"),
        Binding("L", "pick_library", "Search in library", show=False, id="app.library"),
        Binding("exclamation_mark", "problems", "Problems", show=False, id="app.problems"),
        Binding("y", "copy_text", "Copy section", show=False, id="app.copy_text"),
        Binding("Y", "copy_link", "Copy link", show=False, id="app.copy_link"),
    ]

    can_go_back: reactive[bool] = reactive(False, bindings=True)
    """Whether there is a place to go back to (greys out the Back key otherwise)."""
    current_section: reactive[str] = reactive("")
    """Anchor of the section at the top of the reading pane."""

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
        self.history = History()
        self.history.restore(self.state.history)
        self.visits = VisitLog(self.state.visits)
        """Every article shown, for the history list (`H`); `history` is back/forward."""
        self.article: Article | None = None
        self.library = ""
        self.last_query = ""
        self.last_keystroke = 0.0
        self._heap_timer: Timer | None = None
        """time.monotonic() of the last change typed into the search bar."""
        self.pending_start = ""
        """A start title the last index did not have, opened if the catch-up adds it."""
        self.tree_wanted = False
        self.dangling_title = ""
        self.library_filter = ""
        """Search only this library ("" for all); chosen with `L`."""
        """The target of the last dangling link followed: `a` offers it as the new title."""

    def notify(  # type: ignore[override]
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = False,
    ) -> None:
        """As Widget.notify, but messages are plain text by default: they quote titles,
        headings and paths from articles, which must never be read as markup."""
        super().notify(message, title=title, severity=severity, timeout=timeout, markup=markup)

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
                with Horizontal(id="find"):
                    yield FindBar(placeholder="Find in page", id="find-bar")
                    yield Static("", id="find-count", markup=False)
        yield Static("", id="status", markup=False)
        yield FittingFooter()

    def on_mount(self) -> None:
        self.query_one("#results").display = False
        self.query_one("#note").display = False
        self.query_one("#find").display = False
        self.tell_problems()
        self.set_interval(2.0, self.check_index)
        if self.file is not None:
            self.open_file(self.file)
        elif not self.open_address(self.start or "termpedia", record=True, quiet=True):
            self.open_address("termpedia", record=True, quiet=True)
            if self.start:
                self.notify(f"No article titled {visible(self.start)!r}", timeout=4)
                self.start_search(self.start)
                self.pending_start = self.start if self.services.catch_up else ""
        if self.services.catch_up:
            self.services.catch_up = False  # once per run, not per screen
            # Once the first screen is drawn: the worker's scan would hold the GIL meanwhile.
            self.call_after_refresh(self.catch_up)

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
        self.tell_problems()

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
            self.state.save_history(list(self.history.places))
        if self.visits.add(Visit(article.title, library, article.path, anchor, time.time())):
            self.state.save_visits(self.visits.visits)
        self.can_go_back = self.history.can_go_back
        self._place_tree()
        if self._heap_timer is not None:
            self._heap_timer.stop()
        # Just after the first frame (not in the same refresh, so that it is drawn first),
        # before the reader starts typing in it.
        self._heap_timer = self.set_timer(HEAP_SETTLE_DELAY, settle_heap)
        return True

    def _anchor(self, article: Article, fragment: str) -> str:
        if not fragment:
            return ""
        section = find_section(article, fragment)
        if section is not None:
            return section.anchor
        several = sections_starting(article, fragment)
        if several:
            names = ", ".join(visible(s.heading) for s in several[:4])
            self.notify(f"{visible(fragment)!r} starts several sections: {names}", timeout=4)
        else:
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
            self.notify(
                f"No article titled {visible(title)!r} yet: searching for it (a starts one)",
                timeout=5,
            )
            self.dangling_title = title
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
        now = time.monotonic()
        # A key after a pause is answered at once (a search as you type costs milliseconds);
        # keys in quick succession wait, so the list does not flicker while a word is typed.
        wait = DEBOUNCE if now - self.last_keystroke < DEBOUNCE else 0.0
        self.last_keystroke = now
        self.search_soon(event.value, wait)

    @work(exclusive=True, thread=True, group="search")
    def search_soon(self, text: str, wait: float = DEBOUNCE) -> None:
        worker = get_current_worker()
        if wait:
            time.sleep(wait)
        if worker.is_cancelled:
            return
        try:
            result = self._search(text, as_you_type=True)
            if worker.is_cancelled:
                return
            self.app.call_from_thread(self.show_results, text, result)
            if result is None or not result.instant:
                return
            # The quick answer came first; the full one, with snippets, if typing pauses.
            time.sleep(FULL_TEXT_PAUSE)
            if worker.is_cancelled:
                return
            result = self._search(text, paused=True)
        except IndexDamaged:
            self.app.call_from_thread(self.rebuild_index)
            return
        if not worker.is_cancelled:
            self.app.call_from_thread(self.show_results, text, result)

    def search_now(self, text: str) -> SearchResult | None:
        self.workers.cancel_group(self, "search")
        try:
            result = self._search(text)
        except IndexDamaged:
            self.rebuild_index()
            return None
        self.show_results(text, result)
        return result

    def _search(
        self, text: str, as_you_type: bool = False, paused: bool = False
    ) -> SearchResult | None:
        """The quick answer as you type; the full one when typing pauses (the last word
        may be unfinished, so it stands for its completions) or on Enter (as typed)."""
        if not text.strip():
            return None
        if as_you_type:
            return self.index.instant(text, library=self.library_filter)
        unfinished = paused and not text.endswith(" ")
        return self.index.search(text, library=self.library_filter, unfinished=unfinished)

    def rebuild_index(self) -> None:
        """The index could not be read: build it again in the background, keep reading."""
        if any(w.group == "rebuild" and w.is_running for w in self.workers):
            return  # a rebuild, or the catch-up (which rebuilds a damaged index), is running
        self.notify("The search index is damaged: rebuilding it from the articles…", timeout=5)
        self._rebuild()

    @work(thread=True, exclusive=True, group="rebuild", name="rebuild")
    def _rebuild(self) -> None:
        self.app.call_from_thread(self.notify, self._rebuild_now(), timeout=3)

    def _rebuild_now(self) -> str:
        try:
            self.services.reindex(rebuild=True)
        except IndexBusy:
            # Another process holds the writer: it is rebuilding; check_index picks it up.
            return "Another termpedia is rebuilding the index"
        except OSError as error:
            return f"The index could not be rebuilt: {visible(str(error))}"
        self.index.refresh()
        return "The search index is rebuilt"

    @work(thread=True, exclusive=True, group="rebuild", name="catch-up")
    def catch_up(self) -> None:
        """After the first screen: re-index what changed in the libraries since the index
        was written (the start-up check, moved off the reader's way), then open the index
        files, so that the first search does not wait for them."""
        message = self._update_index()
        try:
            self.index.warm()
        except IndexDamaged:
            notice = "The search index is damaged: rebuilding it from the articles…"
            self.app.call_from_thread(self.notify, notice, timeout=5)
            message = self._rebuild_now()
        if message:
            self.app.call_from_thread(self.notify, message, timeout=3)
        if self.pending_start:
            self.app.call_from_thread(self._open_pending_start)

    def _open_pending_start(self) -> None:
        """The start title was not in the last index; the catch-up may have added it."""
        title, self.pending_start = self.pending_start, ""
        if self.index.catalog.resolve(title).entry is not None:
            self.hide_results()
            self.open_address(title, record=True)

    def _update_index(self) -> str:
        """Bring the index up to date; what to tell the reader ("" if nothing changed)."""
        try:
            report = self.services.reindex()
        except IndexBusy:
            return ""  # another process is updating it: check_index picks its work up
        except OSError as error:
            message = f"The index could not be updated: {visible(str(error))}"
            self.app.call_from_thread(self.notify, message, severity="error", timeout=8)
            return ""
        if report is None or not (report.full or report.indexed or report.removed):
            return ""  # nothing changed: nothing to say (not even old warnings)
        self.index.refresh()
        if report.new_problems:
            self.app.call_from_thread(self.tell_problems, len(report.new_problems))
        if report.full:
            return f"Index rebuilt: {report.articles} articles"
        return f"Index updated: {report.indexed} re-indexed, {report.removed} removed"

    def problems(self) -> list[str]:
        """Everything that is wrong, for the Problems list (`!`): the open article's
        diagnostics, the reader's damaged state files, the libraries' problems."""
        found = [str(d) for d in self.article.diagnostics] if self.article else []
        found += self.state.problems
        found += [str(d) for d in self.index.problems()]  # an unreadable log reads as empty
        return list(dict.fromkeys(found))

    def tell_problems(self, new: int = 0) -> None:
        """One line in the status area, never a pop-up over the text: how many problems
        there are (and how many an update just found), and the key that lists them."""
        count = len(self.problems())
        status = self.query_one("#status", Static)
        if not count:
            status.update("")
            status.display = False
            return
        things = plural(count, "problem")
        if new:
            things = f"{plural(new, 'new problem')} ({count} in all)"
        status.update(f"{things}: press ! to see them")
        status.display = True

    def check_index(self) -> None:
        """Another process may have updated the index: pick up its new generation."""
        if self.index.refresh():
            self.can_go_back = self.history.can_go_back

    @on(Input.Submitted, "#search")
    def submitted(self, event: Input.Submitted) -> None:
        result = self.search_now(event.value)
        if result is not None and result.hits:
            self.open_hit(result.hits[0])

    def show_results(self, text: str, result: SearchResult | None) -> None:
        results = self.query_one(SearchResults)
        note = self.query_one("#note", Static)
        if results.has_focus and text == self.last_query:
            return  # the reader is choosing among these: do not swap the list under them
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
            count = f"{result.total:,}+" if result.estimated else f"{result.total:,}"
            one = result.total == 1 and not result.estimated
            where = ("section" if one else "sections") + (" (typing…)" if result.instant else "")
            verb = "matches" if one else "match"
            lines.append(f"{count} {where} {verb}; Enter opens the first, Down to choose")
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
        if isinstance(self.focused, Input):
            raise SkipAction  # a "/" typed into the search or find bar
        # At once, not after the queued keys as `focus()` would: they belong in the search bar.
        self.set_focus(self.query_one(SearchBar))

    def on_paste(self, event: events.Paste) -> None:
        """Text pasted outside the search and find bars (which take their own pastes) is a
        search: a terminal with bracketed paste sends "/garbage collection" as one paste,
        which would otherwise be lost on the reading pane."""
        text = " ".join(event.text.split())
        if not text:
            return
        event.stop()
        bar = self.query_one(SearchBar)
        self.set_focus(bar)
        # After the bar's focus event, which selects its old query: the paste replaces it,
        # as keys typed after "/" do.
        bar.call_later(bar.insert_text_at_cursor, text.removeprefix("/").lstrip())

    def action_leave(self) -> None:
        self.hide_results()
        self.query_one(ReadingPane).focus()

    def action_tree(self) -> None:
        tree = self.query_one(SectionTree)
        if self.size.width < NARROW:
            self.tree_wanted = not (tree.display and tree.has_focus)
            self._place_tree()
            if not tree.display:
                self.query_one(ReadingPane).focus()
                return
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

    # -- reader features -----------------------------------------------------------------

    def action_find(self) -> None:
        self.query_one("#find").display = True
        self.query_one(FindBar).focus()

    @on(FindBar.TextChanged)
    def find_changed(self, event: FindBar.TextChanged) -> None:
        # The pane finds in a thread (a newer key cancels it) and goes to the first match
        # itself; it posts FindCounted as the count grows.
        self.query_one(ReadingPane).find(event.text)

    @on(FindBar.Stepped)
    def find_stepped(self, event: FindBar.Stepped) -> None:
        self.query_one(ReadingPane).find_step(event.step)
        self._show_count()

    @on(ReadingPane.FindCounted)
    def find_counted(self) -> None:
        self._show_count()

    def _show_count(self) -> None:
        """The current match and the count: "3 of 1,204", or "3 of 800+" while counting."""
        position, total, done = self.query_one(ReadingPane).find_count()
        more = "" if done else "+"
        if position:
            label = f"{position:,} of {total:,}{more}"
        elif total:
            label = f"{total:,}{more} matches"
        elif not done:
            label = "finding…"
        else:
            label = "no matches" if self.query_one(FindBar).value else ""
        self.query_one("#find-count", Static).update(label)

    @on(FindBar.Closed)
    def find_closed(self) -> None:
        self.query_one("#find").display = False
        self.query_one(ReadingPane).focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "go_back":
            return self.can_go_back or None
        return True


def plural(count: int, noun: str) -> str:
    """`1 problem`, `2 problems`."""
    return f"{count:,} {noun}" if count == 1 else f"{count:,} {noun}s"


def settle_heap() -> None:
    """Once an article is on screen: collect what the last one left, then freeze the heap.

    An open article with its rows and section tree is many objects (10,000 headings:
    ~230,000), and each full collection of the cyclic garbage collector walks them all
    (~90 ms there, ~40 ms for the bundled ones), at whatever moment it falls due: often on
    the next key typed into the search or find bar. Frozen objects are left out of
    collections; they are unfrozen here before the next article's collection so that
    the ones this article leaves behind are freed, not kept forever."""
    gc.unfreeze()
    gc.collect()
    gc.freeze()
