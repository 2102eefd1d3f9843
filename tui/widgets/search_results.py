"""The result list: `Title › Section` and a snippet with the matched words highlighted."""

from __future__ import annotations

from dataclasses import dataclass

from textual import on
from textual.binding import Binding
from textual.content import Content
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from termpedia.content.sanitize import visible
from termpedia.index.search import SearchHit, SearchResult


def hit_label(hit: SearchHit) -> Content:
    """Two lines of plain text; the only styling is by offsets, so no markup is ever parsed."""
    where = " › ".join((hit.title, *hit.section.split(" > "))) if hit.section else hit.title
    head = visible(where)
    library = f"  [{hit.library}]" if hit.library != "bundled" else ""
    snippet = visible(hit.snippet.text)
    content = Content(f"{head}{library}\n  {snippet}").stylize("bold", 0, len(head))
    base = len(head) + len(library) + 3
    for start, end in hit.snippet.spans:
        content = content.stylize("bold reverse", base + start, base + end)
    return content


def describe(text: str, result: SearchResult) -> str:
    """The note above the results: did you mean, the index's note, how many sections match."""
    lines = []
    if result.suggestion:
        lines.append(f"Did you mean: {visible(result.suggestion)}?")
    if result.note:
        lines.append(visible(result.note))
    if not result.hits:
        lines.append(f"No sections match {visible(text)!r}")
    else:
        count = f"{result.total:,}+" if result.estimated else f"{result.total:,}"
        one = result.total == 1 and not result.estimated
        where = ("section" if one else "sections") + (" (typing…)" if result.instant else "")
        verb = "matches" if one else "match"
        lines.append(f"{count} {where} {verb}; Enter opens the first, Down to choose")
    return "\n".join(lines)


class SearchResults(OptionList):
    """Hits of the last search; Enter opens one."""

    BINDINGS = [
        Binding("j", "cursor_down", "Down", show=False, id="results.down"),
        Binding("k", "cursor_up", "Up", show=False, id="results.up"),
    ]

    @dataclass
    class HitChosen(Message):
        hit: SearchHit

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.hits: tuple[SearchHit, ...] = ()

    def show(self, result: SearchResult) -> None:
        self.hits = result.hits
        self.clear_options()
        self.add_options(Option(hit_label(hit), id=str(n)) for n, hit in enumerate(result.hits))
        if result.hits:
            self.highlighted = 0

    @on(OptionList.OptionSelected)
    def choose(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.post_message(self.HitChosen(self.hits[event.option_index]))
