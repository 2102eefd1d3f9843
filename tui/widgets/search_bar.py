"""The search bar: an Input that can hand the focus down to the results."""

from __future__ import annotations

from textual.binding import Binding
from textual.message import Message
from textual.widgets import Input


class SearchBar(Input):
    """Full-text search; `Down` moves into the result list."""

    BINDINGS = [Binding("down", "to_results", "Results", show=False, id="search.results")]

    class ResultsWanted(Message):
        """The reader pressed Down to move into the results."""

    def action_to_results(self) -> None:
        self.post_message(self.ResultsWanted())
