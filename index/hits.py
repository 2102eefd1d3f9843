"""Search results as plain values: what the reader sees of a search, never Whoosh objects.
No Whoosh here."""

from __future__ import annotations

from dataclasses import dataclass

SNIPPET_CHARS = 160
"""About how long a snippet (or a hit's opening, without one) is."""
MAX_FRAGMENT = 240
"""The longest piece of text a snippet shows around one match."""


@dataclass(frozen=True)
class Snippet:
    """Plain text around the matches, and the [start, end) offsets of the matched words."""

    text: str
    spans: tuple[tuple[int, int], ...] = ()


@dataclass(frozen=True)
class SearchHit:
    """One matching section."""

    key: str
    title: str
    section: str
    """The heading path joined with " > ", "" for the lead."""
    anchor: str
    library: str
    score: float
    snippet: Snippet
    path: str


@dataclass(frozen=True)
class SearchResult:
    """The hits for a query, with what the reader should be told about it."""

    query: str
    hits: tuple[SearchHit, ...]
    total: int
    note: str = ""
    """E.g. that any word was searched because no section has them all."""
    suggestion: str | None = None
    """A corrected query ("did you mean"), when hits are few."""
    estimated: bool = False
    """There are more matches than `total` (which is then the number of hits asked for)."""
    instant: bool = False
    """A search-as-you-type answer (titles and headings, no snippets); `search` gives the
    full one."""
    provisional: int = 0
    """How many of the hits come from an archive its section index does not cover yet:
    libzim's full text or titles, mapped to sections as well as can be."""
