"""A modal list to pick one entry from (bookmarks, history, backlinks), with optional actions."""

from __future__ import annotations

from collections.abc import Callable

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

Action = Callable[[str], list[tuple[str, str]] | None]
"""Called with the highlighted entry's id; returns the new entries, or None to close."""


class PickScreen(ModalScreen[str | None]):
    """Pick one of `entries` (id, label); Enter returns its id, Esc returns None."""

    BINDINGS = [Binding("escape", "dismiss_none", "Close", id="pick.close")]

    def __init__(
        self,
        title: str,
        entries: list[tuple[str, str]],
        hint: str = "Enter opens · Esc closes",
        actions: dict[str, tuple[str, Action]] | None = None,
    ) -> None:
        super().__init__()
        self.heading = title
        self.entries = entries
        self.actions = actions or {}
        extra = " · ".join(f"{key} {label}" for key, (label, _) in self.actions.items())
        self.hint = hint + (f" · {extra}" if extra else "")

    def compose(self) -> ComposeResult:
        with Vertical(id="pick"):
            yield Static(Content(self.heading).stylize("bold"), id="pick-title")
            yield OptionList(id="pick-list")
            yield Static(Content(self.hint), id="pick-hint")

    def on_mount(self) -> None:
        self.fill(self.entries)
        self.query_one(OptionList).focus()

    def fill(self, entries: list[tuple[str, str]]) -> None:
        self.entries = entries
        options = self.query_one(OptionList)
        options.clear_options()
        if not entries:
            options.add_option(Option(Content("(nothing here yet)"), disabled=True))
        options.add_options(Option(Content(label), id=key) for key, label in entries)
        if entries:
            options.highlighted = 0

    def on_key(self, event: object) -> None:
        key = getattr(event, "key", "")
        if key in self.actions:
            getattr(event, "stop", lambda: None)()
            options = self.query_one(OptionList)
            index = options.highlighted
            if index is None or not self.entries:
                return
            option = options.get_option_at_index(index)
            if option.id is None:
                return
            entries = self.actions[key][1](option.id)
            if entries is None:
                self.dismiss(None)
            else:
                self.fill(entries)

    @on(OptionList.OptionSelected)
    def chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(event.option.id)

    def action_dismiss_none(self) -> None:
        self.dismiss(None)
