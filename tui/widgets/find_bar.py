"""The find-in-page bar: matches highlighted as you type, Enter/Down next, Up previous."""

from __future__ import annotations

from dataclasses import dataclass

from textual import on
from textual.binding import Binding
from textual.message import Message
from textual.widgets import Input


class FindBar(Input):
    """Many terminals cannot send Shift+Enter, so Up goes to the previous match."""

    BINDINGS = [
        Binding("down", "step(1)", "Next match", show=False, id="find.next"),
        Binding("up", "step(-1)", "Previous match", show=False, id="find.previous"),
        Binding("escape", "close", "Close", show=False, id="find.close"),
    ]

    @dataclass
    class TextChanged(Message):
        text: str

    @dataclass
    class Stepped(Message):
        step: int

    class Closed(Message):
        """The reader closed the bar (the position in the text stays)."""

    @on(Input.Changed)
    def changed(self, event: Input.Changed) -> None:
        event.stop()
        self.post_message(self.TextChanged(event.value))

    @on(Input.Submitted)
    def submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.post_message(self.Stepped(1))

    def action_step(self, step: int) -> None:
        self.post_message(self.Stepped(step))

    def action_close(self) -> None:
        self.post_message(self.Closed())
