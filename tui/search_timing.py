"""When to search as the reader types: debounce, quick answer, full answer on a pause.

No Textual here: the clock and the sleep are given, so tests run it on a fake clock. The
search bar runs `as_you_type` in a worker thread that the next key cancels.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Protocol

from termpedia.index.search import SearchResult

DEBOUNCE = 0.12
"""While keys come faster than this (seconds apart), each waits this long before searching
and the next one cancels the wait; the first key after a pause searches at once."""
FULL_TEXT_PAUSE = 0.3
"""Seconds of no typing after which the full text is searched (titles and headings first)."""


class Searchable(Protocol):
    """What is searched: `index.search.Index`, or a fake in tests."""

    def instant(self, typed: str, limit: int = ..., library: str = ...) -> SearchResult: ...

    def search(
        self, typed: str, limit: int = ..., library: str = ..., unfinished: bool = ...
    ) -> SearchResult: ...


class SearchTiming:
    """Decides when to search `index` and which answer to ask for: the quick one (`instant`)
    as you type, the full one (`search`) when typing pauses or on Enter."""

    def __init__(
        self,
        index: Searchable,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.index = index
        self.clock = clock
        self.sleep = sleep
        self.library = ""
        """Search only this library ("" for all of them)."""
        self.debounce = DEBOUNCE
        self.full_text_pause = FULL_TEXT_PAUSE
        self.last_keystroke = float("-inf")
        """clock() at the last change typed into the search bar."""

    def keystroke(self) -> float:
        """Note a change typed into the search bar; the seconds to wait before searching it.

        A key after a pause is answered at once (a search as you type costs milliseconds);
        keys in quick succession wait, so the list does not flicker while a word is typed."""
        now = self.clock()
        wait = self.debounce if now - self.last_keystroke < self.debounce else 0.0
        self.last_keystroke = now
        return wait

    def as_you_type(
        self,
        text: str,
        wait: float,
        show: Callable[[SearchResult | None], None],
        cancelled: Callable[[], bool],
    ) -> None:
        """After `wait`, show the quick answer; if typing then pauses for `full_text_pause`,
        the full one, where a last word with no space after it may be unfinished and stands
        for its completions. Stops as soon as `cancelled()` (a newer key came). None is shown
        for blank text. Index errors (IndexDamaged) propagate."""
        if wait:
            self.sleep(wait)
        if cancelled():
            return
        result = self.index.instant(text, library=self.library) if text.strip() else None
        if cancelled():
            return
        show(result)
        if result is None or not result.instant:
            return
        # The quick answer came first; the full one, with snippets, if typing pauses.
        self.sleep(self.full_text_pause)
        if cancelled():
            return
        result = self._full(text, unfinished=not text.endswith(" "))
        if not cancelled():
            show(result)

    def now(self, text: str) -> SearchResult | None:
        """The full answer for a query the reader submitted (Enter): its words as typed."""
        return self._full(text, unfinished=False) if text.strip() else None

    def _full(self, text: str, unfinished: bool) -> SearchResult:
        return self.index.search(text, library=self.library, unfinished=unfinished)
