"""The search bar: searches as the reader types and on Enter, and posts the answers up."""

from __future__ import annotations

from dataclasses import dataclass

from textual import on, work
from textual.binding import Binding
from textual.message import Message
from textual.widgets import Input
from textual.worker import get_current_worker

from termpedia.index.search import IndexDamaged, SearchResult

from ..search_timing import SearchTiming


class SearchBar(Input):
    """Full-text search; `Down` moves into the result list.

    Searches go through the SearchTiming it is given (as an Input is given a Suggester):
    what is typed in a thread that the next change cancels, what is submitted at once."""

    BINDINGS = [Binding("down", "to_results", "Results", show=False, id="search.results")]

    class ResultsWanted(Message):
        """The reader pressed Down to move into the results."""

    @dataclass
    class Answered(Message):
        """The answer for `text` (None: the bar is blank)."""

        text: str
        result: SearchResult | None
        submitted: bool = False
        """The reader pressed Enter: the first hit is wanted."""

    class IndexFailed(Message):
        """The index could not be read (IndexDamaged)."""

    def __init__(
        self, timing: SearchTiming, *, placeholder: str = "", id: str | None = None
    ) -> None:
        super().__init__(placeholder=placeholder, id=id)
        self.timing = timing

    def action_to_results(self) -> None:
        self.post_message(self.ResultsWanted())

    def search_in(self, library: str | None) -> None:
        """Search only `library` from now on ("" for all of them; None changes nothing),
        shown on the bar's border; the bar takes the focus, as what the reader types next
        is the query."""
        if library is None:
            return
        self.timing.library = library
        self.border_title = f"in {library}" if library else None
        shown = f"library {library}" if library else "all libraries"
        self.notify(f"Searching {shown}", timeout=2, markup=False)
        self.screen.set_focus(self)
        if self.value.strip():
            self.answer_now(self.value)

    def search_for(self, text: str) -> None:
        """Put `text` in the bar, give it the focus and search it at once."""
        self.value = text
        self.focus()
        self.answer_now(text)

    def answer_now(self, text: str, submitted: bool = False) -> None:
        """The full answer for `text`, at once (the search as you type is dropped)."""
        self.workers.cancel_group(self, "search")
        try:
            result = self.timing.now(text)
        except IndexDamaged:
            self.post_message(self.IndexFailed())
            return
        self.post_message(self.Answered(text, result, submitted))

    @on(Input.Submitted)
    def submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.answer_now(event.value, submitted=True)

    @on(Input.Changed)
    def typed(self, event: Input.Changed) -> None:
        self.search_soon(event.value, self.timing.keystroke())

    @work(exclusive=True, thread=True, group="search")
    def search_soon(self, text: str, wait: float) -> None:
        worker = get_current_worker()

        def answer(result: SearchResult | None) -> None:
            self.post_message(self.Answered(text, result))  # post_message is thread-safe

        try:
            self.timing.as_you_type(text, wait, answer, lambda: worker.is_cancelled)
        except IndexDamaged:
            self.post_message(self.IndexFailed())

    def take_paste(self, text: str) -> None:
        """Text pasted outside the bar is a query: the bar takes the focus and the text."""
        self.screen.set_focus(self)
        # After the bar's focus event, which selects its old query: the paste replaces it,
        # as keys typed after "/" do.
        self.call_later(self.insert_text_at_cursor, text.removeprefix("/").lstrip())
