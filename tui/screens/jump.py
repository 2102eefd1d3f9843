"""Jump to a title: type, see matching titles (exact first), Enter opens. A palette-free way."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from termpedia.content.sanitize import visible
from termpedia.index.search import Index

SHOWN = 30


class JumpScreen(ModalScreen[str | None]):
    """Titles matching what is typed, from the index; returns the chosen title."""

    BINDINGS = [
        Binding("escape", "dismiss_none", "Cancel", id="jump.cancel"),
        Binding("down", "into_list", "Titles", show=False, id="jump.down"),
    ]

    def __init__(self, index: Index) -> None:
        super().__init__()
        self.index = index

    def compose(self) -> ComposeResult:
        with Vertical(id="jump"):
            yield Static(
                Content("Go to title (Enter opens the first, Down to choose)").stylize("bold")
            )
            yield Input(placeholder="title…", id="jump-input")
            yield OptionList(id="jump-list")

    def on_mount(self) -> None:
        self.show_titles("")

    @on(Input.Changed, "#jump-input")
    def typed(self, event: Input.Changed) -> None:
        self.show_titles(event.value)

    def show_titles(self, typed: str) -> None:
        titles = self.index.rank_titles(typed, SHOWN)
        options = self.query_one(OptionList)
        options.clear_options()
        options.add_options(Option(Content(visible(t)), id=t) for t in titles)
        if titles:
            options.highlighted = 0

    @on(Input.Submitted, "#jump-input")
    def submitted(self, event: Input.Submitted) -> None:
        event.stop()
        titles = self.index.rank_titles(event.value, 1)
        self.dismiss(titles[0] if titles else None)

    @on(OptionList.OptionSelected, "#jump-list")
    def chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(event.option.id)

    def action_into_list(self) -> None:
        self.query_one(OptionList).focus()

    def action_dismiss_none(self) -> None:
        self.dismiss(None)
