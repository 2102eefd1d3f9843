"""The result list: `Title › Section` and a snippet with the matched words highlighted."""

from __future__ import annotations

from dataclasses import dataclass

from rich.cells import get_character_cell_size
from textual import on
from textual.binding import Binding
from textual.content import Content
from textual.css.styles import RulesMap
from textual.message import Message
from textual.strip import Strip
from textual.style import Style
from textual.visual import RenderOptions
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from termpedia.content.sanitize import visible
from termpedia.index.search import SearchHit, SearchResult

from .layout import wrap_line


class HitLabel(Content):
    """A hit's label, whose lines holding wide (CJK) characters are wrapped as the reading
    pane wraps them (`layout.wrap_line`: between characters, never before a closing mark).
    Textual wraps at spaces only: a clause of Chinese, which has none, would go whole to the
    next line, leaving the line before it all but empty."""

    def __init__(self, content: Content) -> None:
        super().__init__(content.plain, list(content.spans), content.cell_length)
        self._wrapped: tuple[int, Content] | None = None

    def at_width(self, width: int) -> Content:
        """The label with each line holding wide characters wrapped to `width` cells."""
        if self._wrapped is not None and self._wrapped[0] == width:
            return self._wrapped[1]
        lines: list[Content] = []
        for line in self.split(allow_blank=True):
            text = line.plain
            if width < 2 or not _has_wide(text):
                lines.append(line)
                continue
            cuts = [start for start, _ in wrap_line(text, 0, width)[1:]]
            lines.extend(piece.rstrip() for piece in line.divide(cuts))
        wrapped = Content("\n").join(lines)
        self._wrapped = (width, wrapped)
        return wrapped

    def get_height(self, rules: RulesMap, width: int) -> int:
        return self.at_width(width).get_height(rules, width)

    def render_strips(
        self, width: int, height: int | None, style: Style, options: RenderOptions
    ) -> list[Strip]:
        return self.at_width(width).render_strips(width, height, style, options)


def _has_wide(text: str) -> bool:
    return not text.isascii() and any(
        get_character_cell_size(char) == 2 for char in text if char >= "\u1100"
    )


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
    return HitLabel(content)


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
