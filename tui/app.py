"""The Textual app: wiring only. Services come in through the constructor."""

from __future__ import annotations

from pathlib import Path

from textual.app import App
from textual.binding import Binding

from termpedia.content.library import Shelf
from termpedia.index.search import Index

from .commands import ArticleTitles
from .screens.reader import ReaderScreen


class TermpediaApp(App[None]):
    """termpedia: an offline encyclopedia for the terminal."""

    CSS_PATH = "styles/app.tcss"
    TITLE = "termpedia"
    COMMANDS = App.COMMANDS | {ArticleTitles}
    BINDINGS = [Binding("q", "quit", "Quit", id="app.quit")]

    def __init__(
        self,
        index: Index,
        start: str | None = None,
        file: Path | None = None,
        shelves: list[Shelf] | None = None,
    ) -> None:
        super().__init__()
        self.index = index
        self.start = start
        self.file = file
        self.shelves = shelves or []

    def get_default_screen(self) -> ReaderScreen:
        return ReaderScreen(self.index, self.start, self.file)


def run(
    index: Index,
    target: str | None = None,
    file: Path | None = None,
    shelves: list[Shelf] | None = None,
) -> int:
    """Run the app until the reader quits; the exit code for the CLI."""
    TermpediaApp(index, target, file, shelves).run()
    return 0
