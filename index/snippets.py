"""Hits copied out of Whoosh as plain values, with snippets: the fragments of a section's
text around the query's words that Whoosh's highlighter would pick (ContextFragmenter,
BasicFragmentScorer, text order), found without its re-analysis of the text and cut on
word boundaries (`excerpt`)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from whoosh.analysis import Token
from whoosh.fields import Schema
from whoosh.highlight import (
    FIRST,
    BasicFragmentScorer,
    ContextFragmenter,
    Formatter,
    Fragment,
    top_fragments,
)
from whoosh.query import Query
from whoosh.searching import Hit, Searcher

from . import w3
from .excerpt import excerpt, opening
from .hits import MAX_FRAGMENT, SNIPPET_CHARS, SearchHit, Snippet
from .query import character_prefix, make_parser, parse_query
from .schema import body_field
from .syntax import prepare

Words = dict[str, frozenset[str]]
"""The query's terms by field, prefixes and the like expanded to the index's words."""


def words_in(field: Any, text: str) -> list[tuple[int, int, str | None]]:
    """(start, end, term) of every word of `text` as the field indexes it, None for a word
    it drops: in one pass (`w3.terms_in`), or through the field's analyzer chain when it
    has no one-pass plan."""
    found = w3.terms_in(field, text)
    if found is not None:
        return found
    tokens = field.analyzer(text, chars=True, mode="highlight", removestops=False)
    return [(t.startchar, t.endchar, None if t.stopped else t.text) for t in tokens]


def query_words(searcher: Searcher, query: Query) -> Words:
    """The query's terms in each field that has them, prefixes and the like expanded to the
    words of the index they stand for (once a search, not once a hit); a character of a
    no-space script asked for as a prefix (`京*`, syntax.py) stands for itself alone: its
    bigrams are how the index finds it, not what is marked."""
    words: dict[str, set[str]] = {}
    reader = searcher.reader()
    for leaf in query.leaves():
        if character_prefix(leaf):
            if leaf.fieldname in searcher.schema:
                words.setdefault(leaf.fieldname, set()).add(leaf.text)
            continue
        for fieldname, term in leaf.existing_terms(reader, phrases=True, expand=True):
            if fieldname in searcher.schema:
                text = searcher.schema[fieldname].from_bytes(term)
                words.setdefault(fieldname, set()).add(text)
    return {fieldname: frozenset(found) for fieldname, found in words.items()}


def copy_hit(hit: Hit, words: Words | None = None) -> SearchHit:
    """A plain value from a Whoosh hit, taken while its searcher is open; with the query's
    `words`, its snippet shows where they occur."""
    body = hit.get("text", "")
    snippet: Snippet | None = None
    if words is not None and body:
        snippet = _snippet(hit, body_field(hit.get("language", "en")), body, words)
    if snippet is None:
        snippet = Snippet(opening(body, SNIPPET_CHARS))
    return SearchHit(
        key=hit["key"],
        title=hit["name"],
        section=hit.get("heading", ""),
        anchor=hit["anchor"],
        library=hit["library"],
        score=float(hit.score or 0.0),
        snippet=snippet,
        path=hit["file"],
    )


FRAGMENTER = ContextFragmenter(maxchars=SNIPPET_CHARS, surround=50, charlimit=None)


def _snippet(hit: Hit, fieldname: str, text: str, words: Words) -> Snippet | None:
    """Up to two fragments of `text` around the query's words, chosen and ordered as
    Whoosh's highlighter does, with the text's words found by `words_in`."""
    wanted = words.get(fieldname)
    if not wanted:
        return None
    # Whoosh's highlighter merges overlapping matched tokens first: words never overlap.
    tokens = _matched_tokens(words_in(hit.searcher.schema[fieldname], text), wanted)
    fragments = FRAGMENTER.fragment_tokens(text, tokens)
    best = top_fragments(fragments, 2, BasicFragmentScorer(), FIRST, minscore=1)
    found = SnippetFormatter().format(best)
    return found if found.text else None


class _Word:
    """A word of the text that is not a query word: where it is, for the fragmenter."""

    __slots__ = ("startchar", "endchar")
    matched = False

    def __init__(self, startchar: int, endchar: int) -> None:
        self.startchar = startchar
        self.endchar = endchar


def _matched_tokens(
    words: list[tuple[int, int, str | None]], wanted: frozenset[str]
) -> Iterator[Any]:
    for start, end, term in words:
        if term is not None and term in wanted:
            token = Token(chars=True, boost=1.0, matched=True)
            token.text, token.startchar, token.endchar = term, start, end
            yield token
        else:
            yield _Word(start, end)


class SnippetFormatter(Formatter):  # type: ignore[misc]
    """Returns a `Snippet` (plain text plus offsets) instead of marked-up text: the
    fragments Whoosh's highlighter picks, cut on word boundaries (`excerpt`)."""

    def format(self, fragments: list[Fragment], replace: bool = False) -> Snippet:
        windows: list[tuple[int, int, list[tuple[int, int]]]] = []
        text = ""
        for fragment in sorted(fragments, key=lambda f: f.startchar):
            text = fragment.text
            found = sorted(
                (t for t in fragment.matches if t.startchar is not None),
                key=lambda t: t.startchar,
            )
            # Whoosh sizes fragments by their tokens only; long runs of punctuation would make
            # a snippet of any length, so keep a window around the first match.
            start = fragment.startchar
            end = fragment.endchar
            if end - start > MAX_FRAGMENT:
                first = found[0].startchar if found else start
                start = max(start, first - MAX_FRAGMENT // 3)
                end = start + MAX_FRAGMENT
            inside = [
                (t.startchar, t.endchar) for t in found if start <= t.startchar and t.endchar <= end
            ]
            windows.append((start, end, inside))
        line, spans = excerpt(text, windows)
        return Snippet(line, spans)


def matches(schema: Schema, typed: str, text: str, language: str) -> list[tuple[int, int]]:
    """Where the query's words occur in `text` (for highlighting an opened section)."""
    field = body_field(language)
    query = parse_query(make_parser(schema, [field]), prepare(typed).text)
    if query is None:
        return []
    wanted = {
        term.decode() if isinstance(term, bytes) else str(term)
        for name, term in query.iter_all_terms()
        if name == field
    }
    wanted.update(q.text for q in query.leaves() if character_prefix(q) and q.fieldname == field)
    return [
        (start, end)
        for start, end, term in words_in(schema[field], text)
        if term is not None and term in wanted
    ]
