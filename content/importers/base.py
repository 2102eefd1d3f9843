"""What every importer produces: pages in termpedia's format, aliases, and skips with reasons."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol


class SourceError(Exception):
    """A source that cannot be read: the message is one line naming the file and the problem."""


@dataclass(frozen=True)
class Page:
    """One converted article."""

    title: str
    lead: str = ""
    infobox: tuple[tuple[str, str], ...] = ()
    sections: tuple[tuple[int, str, str], ...] = ()
    """(level 2..6, heading, text) in document order; text may hold `[[links]]`."""
    see_also: tuple[str, ...] = ()


@dataclass(frozen=True)
class Alias:
    """Another name (a redirect) for the article titled `target`."""

    name: str
    target: str


@dataclass(frozen=True)
class Skipped:
    """Something in the source that did not become an article, and why."""

    title: str
    reason: str


Item = Page | Alias | Skipped


@dataclass
class SourceInfo:
    """What the source says about itself."""

    language: str = ""
    """An ISO 639 code ("en", "de"), or "" when unknown."""
    title: str = ""
    total: int | None = None
    """How many items to expect (for the progress bar), when known cheaply."""
    extra: dict[str, str] = field(default_factory=dict)


class Converter(Protocol):
    """An importer: reads one source kind and streams items."""

    kind: str

    def info(self, source: Path) -> SourceInfo: ...

    def items(self, source: Path) -> Iterator[Item]: ...


def compose(page: Page, aliases: Sequence[str] = ()) -> str:
    """The page as termpedia article text (the format in content/FORMAT.md)."""
    title = one_line(page.title)
    parts = [f"= {title} =\n\n{title}\n"]
    infobox = list(page.infobox)
    if aliases:
        infobox.append(("Aliases", "; ".join(one_line(a).replace(";", ",") for a in aliases)))
    for key, value in infobox:
        key = one_line(key).replace(":", " ").replace("[[", "[ [").strip() or "Note"
        parts.append(f"- {key[:60]}: {one_line(value)}\n")
    if page.lead.strip():
        lead = _body(page.lead)
        if lead.startswith("- ") and ":" in lead.split("\n", 1)[0]:
            lead = "\u2007" + lead  # would be read as an infobox line otherwise
        parts.append("\n" + lead + "\n")
    for level, heading, text in page.sections:
        marks = "=" * min(max(level, 2), 6)
        parts.append(f"\n{marks}{one_line(heading) or 'Untitled'}{marks}\n")
        if text.strip():
            parts.append(_body(text) + "\n")
    if page.see_also:
        parts.append("\n==See also==\n")
        parts.extend(f"- {one_line(target)}\n" for target in page.see_also)
    return "".join(parts)


def one_line(text: str) -> str:
    return " ".join(text.split())


def _body(text: str) -> str:
    """Body text that cannot be mistaken for a heading or an infobox line by the parser."""
    lines = []
    for line in text.strip("\n").split("\n"):
        line = line.rstrip()
        if line.startswith("="):
            line = "\u2007" + line  # a figure space keeps a line of text from being a heading
        lines.append(line)
    return "\n".join(lines)
