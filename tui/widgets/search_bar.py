"""The search bar: searches as the reader types, and hands the focus down to the results."""

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

    Given a SearchTiming (as an Input is given a Suggester), each change typed is searched in
    a thread that the next change cancels, and the answers are posted up (`Answered`)."""

    BINDINGS = [Binding("down", "to_results", "Results", show=False, id="search.results")]

    class ResultsWanted(Message):
        """The reader pressed Down to move into the results."""

    @dataclass
    class Answered(Message):
        """An answer for `text` as typed so far (None: the bar is blank)."""

        text: str
        result: SearchResult | None

    class IndexFailed(Message):
        """The index could not be read (IndexDamaged)."""

    def __init__(
        self, timing: SearchTiming | None = None, *, placeholder: str = "", id: str | None = None
    ) -> None:
        super().__init__(placeholder=placeholder, id=id)
        self.timing = timing

    def action_to_results(self) -> None:
        self.post_message(self.ResultsWanted())

    @on(Input.Changed)
    def typed(self, event: Input.Changed) -> None:
        if self.timing is not None:
            self.search_soon(event.value, self.timing.keystroke())

    @work(exclusive=True, thread=True, group="search")
    def search_soon(self, text: str, wait: float) -> None:
        if self.timing is None:
            return
        worker = get_current_worker()

        def answer(result: SearchResult | None) -> None:
            self.post_message(self.Answered(text, result))  # post_message is thread-safe

        try:
            self.timing.as_you_type(text, wait, answer, lambda: worker.is_cancelled)
        except IndexDamaged:
            self.post_message(self.IndexFailed())

    def stop_searching(self) -> None:
        """Cancel the search as you type (an answer is given some other way)."""
        self.workers.cancel_group(self, "search")

    def take_paste(self, text: str) -> None:
        """Pasted text outside the bar is a query: focus the bar and put the text in it."""
        self.screen.set_focus(self)
        # After the bar's focus event, which selects its old query: the paste replaces it,
        # as keys typed after "/" do.
        self.call_later(self.insert_text_at_cursor, text.removeprefix("/").lstrip())
