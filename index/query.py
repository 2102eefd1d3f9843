"""Whoosh's query parser over termpedia's fields, never raising (the reader's syntax is
rewritten into Whoosh's first, by index/syntax.py)."""

from __future__ import annotations

from whoosh import qparser
from whoosh.fields import Schema
from whoosh.qparser import MultifieldParser
from whoosh.qparser.plugins import FieldAliasPlugin
from whoosh.query import Prefix, Query

from .scripts import is_run


def make_parser(schema: Schema, fields: list[str], any_word: bool = False) -> MultifieldParser:
    """A parser over `fields`; words must all match unless `any_word`."""
    group = qparser.OrGroup.factory(0.9) if any_word else qparser.AndGroup
    parser = MultifieldParser(fields, schema, group=group)
    parser.add_plugin(FieldAliasPlugin({"heading": ["section"]}))
    return parser


def parse_query(parser: MultifieldParser, text: str) -> Query | None:
    """Parse, or None if Whoosh cannot."""
    try:
        query: Query = parser.parse(text)
    except Exception:  # noqa: BLE001 - Whoosh raises many kinds; any of them means "fall back"
        return None
    for leaf in query.leaves():
        if character_prefix(leaf):
            # A character of a no-space script (syntax.py asks for it as a prefix): its hits
            # ranked by its bigrams' scores, as its own term's once were, not all equal.
            leaf.constantscore = False
    return query


def character_prefix(query: Query) -> bool:
    """Is this query a character of a no-space script asked for as a prefix (`京*`,
    syntax.py)? The index holds such a character in the bigrams it starts."""
    return isinstance(query, Prefix) and len(query.text) == 1 and is_run(query.text)
