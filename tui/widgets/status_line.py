"""The status line under the text: how many problems there are, never a pop-up over the text."""

from __future__ import annotations

from textual.widgets import Static


def plural(count: int, noun: str) -> str:
    """`1 problem`, `2 problems`."""
    return f"{count:,} {noun}" if count == 1 else f"{count:,} {noun}s"


class StatusLine(Static):
    """Hidden while there is nothing to say: how far the archives' indexing got, and how
    many problems there are."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self._problems = ""
        self._progress = ""

    def tell_problems(self, count: int, new: int = 0) -> None:
        """How many problems there are (and how many an update just found), and the key
        that lists them."""
        things = plural(count, "problem")
        if new:
            things = f"{plural(new, 'new problem')} ({count} in all)"
        self._problems = f"{things}: press ! to see them" if count else ""
        self._show()

    def tell_progress(self, text: str) -> None:
        """How far the indexing of the archives read in place got ("" when it is done)."""
        self._progress = text
        self._show()

    def _show(self) -> None:
        line = " · ".join(part for part in (self._progress, self._problems) if part)
        self.update(line)
        self.display = bool(line)
