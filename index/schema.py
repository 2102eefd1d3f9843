"""The one Whoosh schema: one document per section. Change it, bump SCHEMA_VERSION (store.py)."""

from __future__ import annotations

from whoosh.analysis import (
    Analyzer,
    CharsetFilter,
    LanguageAnalyzer,
    LowercaseFilter,
    RegexTokenizer,
    StemmingAnalyzer,
)
from whoosh.fields import ID, KEYWORD, NUMERIC, STORED, TEXT, Schema
from whoosh.formats import Positions
from whoosh.lang import languages as stemmed_languages
from whoosh.support.charset import accent_map

from . import w3

# Kept in store.py, which reads manifests without importing Whoosh; change it with the schema.
from .store import SCHEMA_VERSION  # noqa: F401

STEMMED = tuple(sorted(stemmed_languages))
"""Languages Whoosh can stem; any other language's text is only lower-cased and folded."""


def text_analyzer() -> Analyzer:
    """Words, lower-cased, stop words dropped, English stems, accents folded (é = e)."""
    return StemmingAnalyzer() | CharsetFilter(accent_map)


def language_analyzer(language: str) -> Analyzer:
    """The analyzer for a library's body text in this language."""
    if language == "en":
        return text_analyzer()
    if language in STEMMED:
        return LanguageAnalyzer(language) | CharsetFilter(accent_map)
    return RegexTokenizer() | LowercaseFilter() | CharsetFilter(accent_map)


def body_field(language: str) -> str:
    """Where a section's text is indexed: one field per analysed language."""
    if language == "en" or not language:
        return "body"
    return f"body_{language}" if language in STEMMED else "body_plain"


def make_schema() -> Schema:
    analyzer = text_analyzer()
    schema = Schema(
        # Identity and where to find the article again.
        key=ID(stored=True, unique=True),  # "library/Title#anchor"
        file=ID(stored=True),  # absolute path: re-indexing deletes by it
        library=ID(stored=True),
        name=STORED(),  # the article's title as written
        anchor=STORED(),
        language=STORED(),  # the library's language: which body field holds the text
        text=STORED(),  # the section's display text, for snippets
        position=NUMERIC(stored=True, sortable=True),  # section order; 0 is the lead
        # What is searched.
        title=TEXT(analyzer=analyzer, field_boost=4.0),  # lead documents only: title + aliases
        heading=TEXT(analyzer=analyzer, stored=True, field_boost=2.0),  # path, " > " joined
        # Exact look-ups. Scorable so that Whoosh keeps length columns for them.
        names=KEYWORD(commas=True, lowercase=True, scorable=True),  # folded title and aliases
        near=KEYWORD(commas=True, scorable=True),  # build.near_key of the title and aliases
        links=KEYWORD(commas=True, lowercase=True, scorable=True),  # folded link targets
    )
    for language in ("en", *STEMMED, "plain"):
        name = body_field(language if language != "plain" else "xx")
        if name not in schema:
            schema.add(name, TEXT(analyzer=language_analyzer(language)))
    for name in schema.names():
        if type(schema[name].format) is Positions:  # the text fields: analysed in one pass
            schema[name].format = w3.text_format(schema[name].format.field_boost)
    return schema


HEAD_FIELDS = ("title", "heading")
"""The fields plain words are looked for in, besides the body fields of the languages present."""
