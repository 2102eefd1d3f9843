"""The status line under the text: how many problems there are, never a pop-up over the text."""

from __future__ import annotations

from textual.widgets import Static


def plural(count: int, noun: str) -> str:
    """`1 problem`, `2 problems`."""
    return f"{count:,} {noun}" if count == 1 else f"{count:,} {noun}s"


class StatusLine(Static):
    """Hidden while there is nothing to say."""

    def tell_problems(self, count: int, new: int = 0) -> None:
        """How many problems there are (and how many an update just found), and the key
        that lists them."""
        if not count:
            self.update("")
            self.display = False
            return
        things = plural(count, "problem")
        if new:
            things = f"{plural(new, 'new problem')} ({count} in all)"
        self.update(f"{things}: press ! to see them")
        self.display = True
