"""What every importer produces: pages in termpedia's format, aliases, and skips with reasons."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from ..blocks import is_delimiter, line_block
from ..parse import scan_links

_BACKTICKS = re.compile(r"`+")


FORMAT_VERSION = 2
"""Of the article text importers write: 2 has tables, numbered and nested lists, definitions,
quotes and code blocks (content/FORMAT.md). Part of what decides whether an import of the
same source must be converted again (store.py)."""


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


# --- writing blocks of the article format (content/FORMAT.md, "Blocks") ------------------

MARKUP_STARTS = ("|", ">", ";", ":", "```")
"""How a line of text must not start to stay text (besides `=`, a heading)."""
TEXT_GUARD = "\u2007"
"""A figure space: put in front of text that would be read as markup, it keeps it text."""


def text_line(line: str) -> str:
    """A line of text that the parser reads as text, whatever it starts with."""
    return TEXT_GUARD + line if line.startswith(("=", *MARKUP_STARTS)) else line


def text_lines(text: str) -> str:
    """Plain text (a dictionary's definition, a page's paragraphs) whose every line reads as
    text: a line that would start a table, a quote, a definition or code is guarded."""
    return "\n".join(text_line(line) for line in text.split("\n"))


def plain_line(line: str) -> str:
    """A line of text that the parser reads as text even if it looks like a block: a list
    item (`- x`, `3. x`), a term, a definition, a quote, a table row, code or a heading; for
    a line that was running text in its source (an HTML paragraph)."""
    if line.startswith(("=", *MARKUP_STARTS)) or line_block(line, 0) is not None:
        return TEXT_GUARD + line
    return line


def table_cell(text: str) -> str:
    """A cell's text on one line, each `|` outside its `[[links]]` escaped as `\\|`."""
    text = one_line(text)
    if "|" not in text:
        return text
    spans = scan_links(text)[0]
    out, cursor = [], 0
    for span in spans:
        out.append(text[cursor : span.start].replace("|", "\\|"))
        out.append(text[span.start : span.end])
        cursor = span.end
    out.append(text[cursor:].replace("|", "\\|"))
    return "".join(out)


def table_text(rows: Sequence[Sequence[str]], header_rows: int = 1) -> str:
    """A table block: one `| a | b |` line per row, the delimiter row after the first
    `header_rows` rows (first of all without a header). Short rows are padded."""
    columns = max((len(row) for row in rows), default=0)
    delimiter = "|" + "|".join(["---"] * max(columns, 1)) + "|"
    lines = [] if header_rows else [delimiter]
    for number, row in enumerate(rows):
        cells = [table_cell(cell) for cell in row] + [""] * (columns - len(row))
        line = "| " + " | ".join(cells) + " |"
        if is_delimiter(line):  # a row of `---` cells would be read as a delimiter row
            line = "| " + TEXT_GUARD + line[2:]
        lines.append(line)
        if number + 1 == header_rows:
            lines.append(delimiter)
    return "\n".join(lines)


def code_text(code: str, language: str = "") -> str:
    """A code block: the lines between fences longer than any run of backticks in them."""
    longest = max((len(run) for run in _BACKTICKS.findall(code)), default=0)
    fence = "`" * max(3, longest + 1)
    body = code.strip("\n")
    return f"{fence}{language}\n{body}\n{fence}"


def _body(text: str) -> str:
    """Body text that cannot be mistaken for a heading or an infobox line by the parser."""
    lines = []
    for line in text.strip("\n").split("\n"):
        line = line.rstrip()
        if line.startswith("="):
            line = "\u2007" + line  # a figure space keeps a line of text from being a heading
        lines.append(line)
    return "\n".join(lines)
