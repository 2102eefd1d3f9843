"""Turning what the reader typed into a Whoosh query, never raising."""

from __future__ import annotations

import re
from dataclasses import dataclass

from whoosh import qparser
from whoosh.fields import Schema
from whoosh.qparser import MultifieldParser
from whoosh.qparser.plugins import FieldAliasPlugin
from whoosh.query import Query

_FIELD = re.compile(r"(?<![\w:])(\w+):")
KNOWN_FIELDS = frozenset({"title", "heading", "library"})
_EMPTY_FIELD = re.compile(r"(?<![\w:])(title|heading|library):(?=\s|$)")
OPERATORS = frozenset({"AND", "OR", "NOT", "ANDNOT", "ANDMAYBE"})


@dataclass(frozen=True)
class Prepared:
    """A query string in Whoosh's syntax, whether it is plain words, and a note for the reader."""

    text: str
    plain: bool
    note: str = ""


def prepare(typed: str) -> Prepared:
    """Rewrite the reader's syntax into Whoosh's.

    `-word` (a minus at the start of a word) means NOT; a minus inside a word, as in
    `Knei-Paz`, does not. Unknown `field:` prefixes, unbalanced quotes and brackets are
    read as plain text, with a note.
    """
    notes: list[str] = []
    text = typed.replace("\0", " ")
    if text.count('"') % 2:
        text = text.replace('"', "")
        notes.append("an unclosed quote was ignored")
    if text.count("(") != text.count(")"):
        text = text.replace("(", " ").replace(")", " ")
        notes.append("unbalanced brackets were ignored")
    empty = _EMPTY_FIELD.findall(text)
    if empty:
        text = _EMPTY_FIELD.sub(" ", text)
        notes.append(f"{empty[0]}: needs a word after it; ignored")
    # Whoosh reads `word:` as a field name: only our fields may be, the rest is text.
    text = _FIELD.sub(
        lambda m: m.group(0) if m.group(1) in KNOWN_FIELDS else m.group(1) + " ", text
    )
    words: list[str] = []
    quoted = False
    plain = True
    for piece in re.split(r"(\s+)", text):
        if not piece or piece.isspace():
            words.append(piece)
            continue
        if not quoted and piece.startswith("-") and len(piece) > 1 and piece[1] not in "- ":
            words.append("NOT " + piece[1:])
            plain = False
        else:
            words.append(piece)
        if piece in OPERATORS or any(c in piece for c in '"*:()?') or piece.startswith("-"):
            plain = False
        if piece.count('"') % 2:
            quoted = not quoted
    return Prepared("".join(words).strip(), plain, "; ".join(notes))


def make_parser(schema: Schema, fields: list[str], any_word: bool = False) -> MultifieldParser:
    """A parser over `fields`; words must all match unless `any_word`."""
    group = qparser.OrGroup.factory(0.9) if any_word else qparser.AndGroup
    parser = MultifieldParser(fields, schema, group=group)
    parser.add_plugin(FieldAliasPlugin({"heading": ["section"]}))
    return parser


def plain_words(typed: str) -> str:
    """The typed text with every character of Whoosh's syntax removed."""
    words = re.findall(r"\w+(?:[-'.]\w+)*", typed)
    return " ".join(w for w in words if w not in OPERATORS)


def parse_query(parser: MultifieldParser, text: str) -> Query | None:
    """Parse, or None if Whoosh cannot."""
    try:
        return parser.parse(text)
    except Exception:  # noqa: BLE001 - Whoosh raises many kinds; any of them means "fall back"
        return None
