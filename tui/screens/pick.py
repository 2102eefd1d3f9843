"""A modal list to pick one entry from, with optional keys that act on the highlighted one."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

Entries = list[tuple[str, str]]
"""(id, label) rows; labels are plain text, never markup."""
Action = Callable[[str], Entries | None]
"""Called with the highlighted entry's id; returns the new entries, or None to close."""


class PickScreen(ModalScreen[str | None]):
    """Pick one of `entries`; Enter returns `result_for` its id, Esc returns None."""

    BINDINGS = [Binding("escape", "dismiss_none", "Close", id="pick.close")]

    def __init__(
        self,
        title: str,
        entries: Entries,
        hint: str = "Enter opens · Esc closes",
        actions: Mapping[str, tuple[str, Action]] | None = None,
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

    def fill(self, entries: Entries) -> None:
        self.entries = entries
        options = self.query_one(OptionList)
        options.clear_options()
        if not entries:
            options.add_option(Option(Content("(nothing here yet)"), disabled=True))
        options.add_options(Option(Content(label), id=key) for key, label in entries)
        if entries:
            options.highlighted = 0

    def result_for(self, key: str) -> str | None:
        """What choosing the entry `key` returns (its id unless a subclass says otherwise)."""
        return key

    def on_key(self, event: events.Key) -> None:
        if event.key in self.actions:
            event.stop()
            options = self.query_one(OptionList)
            index = options.highlighted
            if index is None or not self.entries:
                return
            option = options.get_option_at_index(index)
            if option.id is None:
                return
            entries = self.actions[event.key][1](option.id)
            if entries is None:
                self.dismiss(None)
            else:
                self.fill(entries)

    @on(OptionList.OptionSelected)
    def chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        key = event.option.id
        self.dismiss(None if key is None else self.result_for(key))

    def action_dismiss_none(self) -> None:
        self.dismiss(None)
