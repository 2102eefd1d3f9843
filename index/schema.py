"""The one Whoosh schema: one document per section. Change it, bump SCHEMA_VERSION."""

from __future__ import annotations

from whoosh.analysis import Analyzer, CharsetFilter, StemmingAnalyzer
from whoosh.fields import ID, KEYWORD, NUMERIC, STORED, TEXT, Schema
from whoosh.support.charset import accent_map

SCHEMA_VERSION = 2
"""Stored beside each index generation; a different number forces a full rebuild."""


def text_analyzer() -> Analyzer:
    """Words, lower-cased, stop words dropped, English stems, accents folded (é = e)."""
    return StemmingAnalyzer() | CharsetFilter(accent_map)


def make_schema() -> Schema:
    analyzer = text_analyzer()
    return Schema(
        # Identity and where to find the article again.
        key=ID(stored=True, unique=True),  # "library/Title#anchor"
        file=ID(stored=True),  # absolute path: re-indexing deletes by it
        library=ID(stored=True),
        name=STORED(),  # the article's title as written
        anchor=STORED(),
        position=NUMERIC(stored=True, sortable=True),  # section order; 0 is the lead
        # What is searched.
        title=TEXT(analyzer=analyzer, field_boost=4.0),  # lead documents only: title + aliases
        article=TEXT(analyzer=analyzer),  # the article's title on every section
        heading=TEXT(analyzer=analyzer, stored=True, field_boost=2.0),  # path, " > " joined
        body=TEXT(analyzer=analyzer, stored=True),
        infobox=TEXT(analyzer=analyzer),
        # Exact look-ups.
        names=KEYWORD(commas=True, lowercase=True),  # folded title and aliases (lead only)
        links=KEYWORD(commas=True, lowercase=True),  # folded link targets, for backlinks
    )


SEARCH_FIELDS = ("title", "article", "heading", "body", "infobox")
"""The fields plain words are looked for in."""
FIELD_ALIASES = {"title": "title", "heading": "heading", "library": "library"}
