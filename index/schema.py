"""The one Whoosh schema: one document per section. Change it, bump SCHEMA_VERSION (store.py)."""

from __future__ import annotations

import contextlib

from whoosh.analysis import STOP_WORDS, Analyzer, CharsetFilter, LowercaseFilter, StemFilter
from whoosh.fields import ID, KEYWORD, STORED, TEXT, Schema
from whoosh.formats import Positions
from whoosh.lang import NoStemmer, NoStopWords
from whoosh.lang import languages as stemmed_languages
from whoosh.support.charset import accent_map

from . import w3
from .cjk import CjkStopFilter, CjkTokenizer
from .scripts import FULL_WIDTH

# Kept in store.py, which reads manifests without importing Whoosh; change it with the schema.
from .store import SCHEMA_VERSION  # noqa: F401

STEMMED = tuple(sorted(stemmed_languages))
"""Languages Whoosh can stem; any other language's text is only lower-cased and folded."""


FOLDING = {**accent_map, **FULL_WIDTH}
"""Accents (é = e) and full-width ASCII (Ｗｉｋｉ = Wiki) folded, each character for one."""


def text_analyzer() -> Analyzer:
    """Words, lower-cased, stop words dropped, English stems, accents and full-width forms
    folded; runs of scripts written without spaces as bigrams and single characters (as
    Whoosh's StemmingAnalyzer, with index/cjk.py's tokenizer and stop filter)."""
    chain = CjkTokenizer() | LowercaseFilter() | CjkStopFilter(stoplist=STOP_WORDS, minsize=2)
    return chain | StemFilter() | CharsetFilter(FOLDING)


def language_analyzer(language: str) -> Analyzer:
    """The analyzer for a library's body text in this language (Chinese, Japanese, Korean
    and Thai among those without stemming: their text is mostly runs, see text_analyzer)."""
    if language == "en":
        return text_analyzer()
    chain = CjkTokenizer() | LowercaseFilter()
    if language in STEMMED:
        # As Whoosh's LanguageAnalyzer: the language's stop words, then its stemmer.
        with contextlib.suppress(NoStopWords):
            chain = chain | CjkStopFilter(lang=language)
        with contextlib.suppress(NoStemmer):
            chain = chain | StemFilter(lang=language, cachesize=50000)
    return chain | CharsetFilter(FOLDING)


def body_field(language: str) -> str:
    """Where a section's text is indexed: one field per analysed language."""
    if language == "en" or not language:
        return "body"
    return f"body_{language}" if language in STEMMED else "body_plain"


def make_schema() -> Schema:
    analyzer = text_analyzer()
    schema = Schema(
        # Identity and where to find the article again.
        key=STORED(),  # "library/Title#anchor" (not indexed: nothing looks a section up by it)
        file=ID(stored=True),  # absolute path: re-indexing deletes by it
        library=ID(stored=True),
        name=STORED(),  # the article's title as written
        anchor=STORED(),
        language=STORED(),  # the library's language: which body field holds the text
        text=STORED(),  # the section's display text, for snippets
        position=STORED(),  # section order; 0 is the lead
        # What is searched.
        title=TEXT(analyzer=analyzer, field_boost=4.0),  # lead documents only: title + aliases
        heading=TEXT(analyzer=analyzer, stored=True, field_boost=2.0),  # path, " > " joined
        # Exact look-ups. Scorable so that Whoosh keeps length columns for them.
        names=KEYWORD(commas=True, lowercase=True, scorable=True),  # folded title and aliases
        near=KEYWORD(commas=True, scorable=True),  # titles.near_key of the title and aliases
        # A subpage's or prefixed page's name ("Lesson 3", "Tea"), folded and near-keyed.
        short=KEYWORD(commas=True, scorable=True),
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
