"""Whoosh's query parser over termpedia's fields, never raising (the reader's syntax is
rewritten into Whoosh's first, by index/syntax.py)."""

from __future__ import annotations

from whoosh import qparser
from whoosh.fields import Schema
from whoosh.qparser import MultifieldParser
from whoosh.qparser.plugins import FieldAliasPlugin
from whoosh.query import Query


def make_parser(schema: Schema, fields: list[str], any_word: bool = False) -> MultifieldParser:
    """A parser over `fields`; words must all match unless `any_word`."""
    group = qparser.OrGroup.factory(0.9) if any_word else qparser.AndGroup
    parser = MultifieldParser(fields, schema, group=group)
    parser.add_plugin(FieldAliasPlugin({"heading": ["section"]}))
    return parser


def parse_query(parser: MultifieldParser, text: str) -> Query | None:
    """Parse, or None if Whoosh cannot."""
    try:
        return parser.parse(text)
    except Exception:  # noqa: BLE001 - Whoosh raises many kinds; any of them means "fall back"
        return None
