"""The Textual app: wiring only. Services come in through the constructor."""

from __future__ import annotations

import os
from pathlib import Path

# Textual draws a change at its next frame, up to 1/TEXTUAL_FPS later, or two (17-33 ms at
# its default of 60): at 120 a keystroke's results are on screen ~25 ms sooner. Read when
# Textual is first imported, which is here for `termpedia`; the reader's own value wins.
os.environ.setdefault("TEXTUAL_FPS", "120")

from textual.app import App  # noqa: E402
from textual.binding import Binding  # noqa: E402

from termpedia.content.sanitize import visible
from termpedia.index.search import Index

from .commands import ArticleTitles
from .heap import prepare_reader_process
from .screens.reader import ReaderScreen
from .services import Services
from .state import ReaderState, load_keymap


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
        services: Services | None = None,
    ) -> None:
        super().__init__()
        self.index = index
        self.start = start
        self.file = file
        self.services = services or Services(index_root=index.root)
        if self.served and file is not None:
            raise ValueError("a served session opens no file by its path")
        self._server_pid = os.getppid()

    @property
    def served(self) -> bool:
        """A browser session of `termpedia serve` (see `ReaderState.served`)."""
        return self.services.state.served

    def get_default_screen(self) -> ReaderScreen:
        return ReaderScreen(self.index, self.start, self.file, self.services)

    def on_mount(self) -> None:
        if self.served:
            # The server owner's key map is theirs; a session's keys are the documented ones.
            self.set_interval(1.0, self._check_server)
        else:
            self._load_keymap()
        theme = self.services.state.theme
        if theme and theme in self.available_themes:
            self.theme = theme
        self.theme_changed_signal.subscribe(self, self._remember_theme)

    def _check_server(self) -> None:
        """A served session ends with its server, even one killed without a word."""
        if os.getppid() != self._server_pid:
            self.exit()

    def _load_keymap(self) -> None:
        keymap, problem = load_keymap()
        if problem:
            self.notify(visible(problem), severity="warning", markup=False)
        if keymap:
            self.set_keymap(keymap)

    def _remember_theme(self, theme: object) -> None:
        self.services.state.save_theme(self.theme)


def run(
    index: Index,
    target: str | None = None,
    file: Path | None = None,
    services: Services | None = None,
    private: bool = False,
) -> int:
    """Run the app until the reader quits; the exit code for the CLI."""
    services = services or Services(ReaderState.load(private=private), index_root=index.root)
    prepare_reader_process(reads_archives=bool(index.archives))
    TermpediaApp(index, target, file, services).run()
    return 0
