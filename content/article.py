"""The article model: frozen values that every other layer reads."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Literal

Severity = Literal["error", "warning"]
LinkKind = Literal["inline", "see_also"]
BlockKind = Literal["paragraph", "item", "term", "definition", "quote", "code", "table"]
"""What a run of a section's body lines is (content/FORMAT.md, "Blocks")."""
ListKind = Literal["bullet", "number"]
Align = Literal["left", "right", "center"]


@dataclass(frozen=True)
class Diagnostic:
    """Something odd in a source file, located by file and 1-based line."""

    path: str
    line: int
    severity: Severity
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.severity}: {self.message}"


@dataclass(frozen=True)
class Link:
    """An outgoing link: `[[target#fragment|label]]` inline, or a See also bullet."""

    target: str
    """The target title as written (no fragment), e.g. `Leon Trotsky`."""
    fragment: str
    """The `#Section` part without the `#`, or ""."""
    label: str
    """What the reader sees."""
    kind: LinkKind
    line: int
    """1-based line in the source file."""
    column: int
    """0-based column of the link's first character in that line."""

    @property
    def address(self) -> str:
        """`target#fragment`, the form that `resolve` and the CLI accept."""
        return f"{self.target}#{self.fragment}" if self.fragment else self.target


@dataclass(frozen=True)
class Section:
    """A heading and its text; the lead is the section with level 1 and an empty heading."""

    heading: str
    """The heading as written, quotes kept; "" for the lead."""
    level: int
    anchor: str
    """Unique within the article; "" for the lead."""
    text: str
    """The section's own body for display, without leading and trailing blank lines
    (for the lead: without the title repeat and the infobox)."""
    line: int
    """1-based line of the heading (of the title line, or 1, for the lead)."""
    links: tuple[Link, ...]
    """Links in this section's own body, in reading order."""
    raw_heading: str
    """The heading line exactly as in the source, newline included ("" for a lead without title)."""
    raw_body: str
    """Everything between this heading and the next, exactly as in the source."""
    children: tuple[Section, ...] = ()

    def walk(self) -> Iterator[Section]:
        """This section and all below it, in document order."""
        yield self
        for child in self.children:
            yield from child.walk()


@dataclass(frozen=True)
class Article:
    """A parsed article. `render(article)` gives back its source exactly."""

    title: str
    path: str
    lead: Section
    sections: tuple[Section, ...]
    """Top-level sections (each with its children), in document order."""
    infobox: tuple[tuple[str, str], ...] = ()
    aliases: tuple[str, ...] = ()
    see_also: tuple[Link, ...] = ()
    prologue: str = ""
    """Text before the title line (kept for losslessness; a warning is raised)."""
    diagnostics: tuple[Diagnostic, ...] = field(default=(), compare=False)

    def walk(self) -> Iterator[Section]:
        """Every section, the lead first, in document order."""
        yield self.lead
        for section in self.sections:
            yield from section.walk()

    @property
    def links(self) -> tuple[Link, ...]:
        """Every outgoing link in reading order (See also bullets included)."""
        return tuple(link for section in self.walk() for link in section.links)

    def section(self, anchor: str) -> Section | None:
        """The section with this anchor ("" is the lead)."""
        return next((s for s in self.walk() if s.anchor == anchor), None)

    def outline(self) -> Iterator[tuple[Section, tuple[str, ...]]]:
        """Every section with its heading path (top level first; () for the lead)."""
        yield self.lead, ()

        def below(
            section: Section, trail: tuple[str, ...]
        ) -> Iterator[tuple[Section, tuple[str, ...]]]:
            here = (*trail, section.heading)
            yield section, here
            for child in section.children:
                yield from below(child, here)

        for section in self.sections:
            yield from below(section, ())

    @property
    def has_errors(self) -> bool:
        return any(d.severity == "error" for d in self.diagnostics)
