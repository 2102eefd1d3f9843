"""The baseline: SQLite FTS5 (the standard library's sqlite3) over the same sections.

One row per indexed section: title (the article title, on every section, as termpedia's
`article` field has it), heading (the heading path) and body (the section's display text,
the text termpedia stores for snippets). Tokenizer `porter unicode61 remove_diacritics 2`
(stemmed and accent-folded like termpedia's body), with prefix indexes for 2 and 3
characters (`prefix='2 3'`, what an FTS5 search-as-you-type would be set up with). The
table lives in a temporary file, like termpedia's index on disk. Ranking is
`bm25(s, 4.0, 2.0, 1.0)` (termpedia's title and heading boosts) and every query asks for
`snippet()` of the body, LIMIT 20.

Typed text becomes an FTS5 query: every word quoted (so FTS5 syntax cannot break it) and
ANDed; as you type, the last word (no space after it yet) is a prefix query `"word"*` (in
every column, and, when termpedia answered that keystroke from titles and headings only, a
second time restricted to `{title heading}` for a like-for-like comparison);
`"phrases"` stay phrases and `title:word` / `heading:word` become column filters.
"""

from __future__ import annotations

import re
import sqlite3
import time
from collections.abc import Iterable
from pathlib import Path

TOKEN = re.compile(r"\w+")
SELECT = (
    "SELECT title, heading, snippet(s, 2, '[', ']', '…', 24) FROM s WHERE s MATCH ? "
    "ORDER BY bm25(s, 4.0, 2.0, 1.0) LIMIT ?"
)


def _quoted(word: str) -> str:
    return '"' + word.replace('"', "") + '"'


def prefix_query(typed: str) -> str | None:
    """The FTS5 query for a keystroke: words ANDed, the unfinished last one a prefix."""
    words = TOKEN.findall(typed.lower())
    if not words:
        return None
    parts = [_quoted(w) for w in words]
    if TOKEN.fullmatch(typed[-1]):
        parts[-1] += "*"
    return " AND ".join(parts)


def full_query(typed: str) -> str | None:
    """The FTS5 query for a submitted query: words, "phrases", title:/heading: filters."""
    parts = []
    for match in re.finditer(r'(\w+:)?"([^"]*)"|(\S+)', typed):
        field, phrase, word = match.group(1), match.group(2), match.group(3)
        if phrase is not None:
            words = TOKEN.findall(phrase.lower())
            if words:
                text = '"' + " ".join(words) + '"'
                parts.append(f"{field[:-1]}:{text}" if field else text)
            continue
        column, _, rest = word.partition(":")
        if rest and column in ("title", "heading"):
            parts.extend(f"{column}:{_quoted(w)}" for w in TOKEN.findall(rest.lower()))
        else:
            parts.extend(_quoted(w) for w in TOKEN.findall(word.lower()))
    return " AND ".join(parts) if parts else None


class Fts5:
    """An FTS5 table over the sections, built once, queried like termpedia."""

    def __init__(self, path: Path) -> None:
        self.path = path
        path.unlink(missing_ok=True)
        self.db = sqlite3.connect(str(path))
        self.db.execute("PRAGMA journal_mode=OFF")
        self.db.execute("PRAGMA synchronous=OFF")
        self.db.execute(
            "CREATE VIRTUAL TABLE s USING fts5(title, heading, body, "
            "tokenize='porter unicode61 remove_diacritics 2', prefix='2 3')"
        )
        self.rows = 0
        self.build_seconds = 0.0

    def build(self, rows: Iterable[tuple[str, str, str]]) -> float:
        """Insert every section (in one transaction) and merge the index; seconds taken."""
        started = time.perf_counter()
        with self.db:
            for row in rows:
                self.db.execute("INSERT INTO s VALUES (?, ?, ?)", row)
                self.rows += 1
        self.db.execute("INSERT INTO s(s) VALUES ('optimize')")
        self.db.commit()
        self.build_seconds = time.perf_counter() - started
        return self.build_seconds

    def run(self, query: str | None, limit: int = 20) -> list[tuple[str, str, str]]:
        if not query:
            return []
        try:
            return self.db.execute(SELECT, (query, limit)).fetchall()
        except sqlite3.OperationalError:
            return []

    def instant(
        self, typed: str, limit: int = 20, columns: tuple[str, ...] = ()
    ) -> list[tuple[str, str, str]]:
        """The keystroke's prefix query; with `columns`, in those columns only."""
        query = prefix_query(typed)
        if query and columns:
            query = "{" + " ".join(columns) + "} : (" + query + ")"
        return self.run(query, limit)

    def search(self, typed: str, limit: int = 20) -> list[tuple[str, str, str]]:
        return self.run(full_query(typed), limit)

    def size_mb(self) -> float:
        return round(self.path.stat().st_size / 2**20, 2)

    def close(self) -> None:
        self.db.close()
        self.path.unlink(missing_ok=True)
