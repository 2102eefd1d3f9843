"""Find in page: the find bar and its count, docked under the reading pane."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Static

from .find_bar import FindBar


class FindInPage(Horizontal):
    """The bar's messages (FindBar.TextChanged, Stepped, Closed) go up to the screen, which
    finds in the reading pane and hands the count back down with `show_count`."""

    def compose(self) -> ComposeResult:
        yield FindBar(placeholder="Find in page", id="find-bar")
        yield Static("", id="find-count", markup=False)

    def on_mount(self) -> None:
        self.display = False

    def open(self) -> None:
        """Show the bar and give it the focus."""
        self.display = True
        self.query_one(FindBar).focus()

    @on(FindBar.Closed)
    def closed(self) -> None:
        self.display = False  # the message goes on up: the screen gives the text the focus

    def show_count(self, position: int, total: int, done: bool) -> None:
        """The current match (1-based, 0 for none) and the matches found so far: "3 of
        1,204", or "3 of 800+" while counting (`done` False)."""
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
