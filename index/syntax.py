"""The reader's query syntax rewritten into Whoosh's, with notes on what was ignored. Pure
string work: no Whoosh here, so planning a search does not import it."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .scripts import NOSPACE, PHRASE_SLOP

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
        # `-a`, `-j`: an ending being written about ("nouns in -a"), not an exclusion.
        if not quoted and piece.startswith("-") and len(piece) > 2 and piece[1] not in "- ":
            words.append("NOT " + piece[1:])
            plain = False
        else:
            words.append(piece)
        negated = piece.startswith("-") and len(piece) > 2
        if piece in OPERATORS or any(c in piece for c in '"*:()?') or negated:
            plain = False
        if piece.count('"') % 2:
            quoted = not quoted
    text, phrased = runs_as_phrases("".join(words).strip())
    return Prepared(text, plain and not phrased, "; ".join(notes))


_QUOTED_CHARACTER = re.compile(f'"\\s*({NOSPACE.pattern[:-1]})\\s*"(?!~)')
"""A quoted single character of a no-space script: a phrase of one term, its prefix query."""


def runs_as_phrases(text: str) -> tuple[str, bool]:
    """`text` with each run of three or more characters of a no-space script written as
    the phrase of its bigrams (`"中心地"~1`, index/scripts.py), each quoted phrase that
    holds such a run given the slop it needs beside other words (~2), and each character
    standing alone as the prefix of the terms that hold it (`京*`: a character is indexed
    in the bigram it starts, or alone at a run's end); whether a phrase was made. A run of
    two characters stays a word (one term)."""
    parts = _QUOTED_CHARACTER.sub(r"\1", text).split('"')
    changed = False
    for number, part in enumerate(parts):
        if number % 2 == 0:
            replaced = NOSPACE.sub(_as_phrase, part)
            changed = changed or ('"' in replaced)
            parts[number] = replaced
        elif (
            NOSPACE.search(part)
            and number + 1 < len(parts)
            and not parts[number + 1].startswith("~")
        ):
            parts[number + 1] = f"~{PHRASE_SLOP + 1}" + parts[number + 1]
            changed = True
    return '"'.join(parts), changed


def runs_as_bigrams(text: str) -> str:
    """`text` with each unquoted run of three or more characters of a no-space script
    written as its bigrams, all required in any order (`中心地` → `中心 心地`): search as
    you type in the full text, where checking the phrase over long postings of common
    bigrams cost up to 75 ms a key; the full search after the pause checks it."""
    parts = text.split('"')
    for number in range(0, len(parts), 2):
        parts[number] = NOSPACE.sub(_as_bigrams, parts[number])
    return '"'.join(parts)


def _as_bigrams(match: re.Match[str]) -> str:
    run = match.group(0)
    if len(run) < 3:
        return run
    bigrams = " ".join(run[n : n + 2] for n in range(len(run) - 1))
    if match.string[match.start() - 1 : match.start()] == ":":
        return f"({bigrams}) "  # a field's value: all of them stay bound to the field
    return f" {bigrams} "


def _as_phrase(match: re.Match[str]) -> str:
    run = match.group(0)
    if len(run) == 2:
        return run
    before = match.string[match.start() - 1 : match.start()]
    after = match.string[match.end() : match.end() + 1]
    # Apart from a word it touches (not from `title:`, which must stay bound to it).
    left = " " if before and before not in " :(" else ""
    right = " " if after and after not in " )" else ""
    if len(run) == 1:
        if after == "*" or match.string[: match.start()].endswith("library:"):
            return run
        return f"{left}{run}*{right}"
    return f'{left}"{run}"~{PHRASE_SLOP}{right}'


def plain_words(typed: str) -> str:
    """The typed text with every character of Whoosh's syntax removed."""
    words = re.findall(r"\w+(?:[-'.]\w+)*", typed)
    return " ".join(w for w in words if w not in OPERATORS)
