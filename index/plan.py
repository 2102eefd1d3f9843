"""Search plans: what a search will do, decided before anything is read. A plan is a plain
value: the query attempts to try in turn (text, fields, all words or any), the library
filter, the limit, snippets, whether to offer "did you mean". The planner has no side
effects; index/runner.py carries a plan out. No Whoosh here.

The retry ladder lives here, once:

- as you type (`instant`): titles and headings, the unfinished last word standing for its
  commonest completions; if nothing matches there, the full text for the words before it;
- full (`full`), after a pause or on Enter: the unfinished last word's completions (after a
  pause in mid-word), then the words as typed, then (plain words with no section holding
  all of them) any of the words.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal, Protocol

from .syntax import prepare, runs_as_bigrams

SNIPPETS = 10
"""Hits that get a highlighted snippet (about a screenful); the rest show their opening."""
COMPLETIONS = 6
"""How many completions of an unfinished last word search as you type looks for."""
INSTANT_FIELDS = ("title", "heading")  # schema.HEAD_FIELDS
"""Search as you type looks in titles and headings first: their postings are short, so
every keystroke is answered fast however large the library."""
ANY_WORD_NOTE = "no section has every word; showing sections with any"

Suggest = Literal["never", "if_few", "always"]


class Words(Protocol):
    """What the planner reads of the index's vocabulary (`spelling.Vocabulary`): word
    counts of all the text and of titles and headings, and completions of a prefix."""

    @property
    def counts(self) -> Mapping[str, int]: ...

    @property
    def heads(self) -> Mapping[str, int]: ...

    def expand(self, prefix: str, limit: int = 6, heads: bool = True) -> list[str]: ...


@dataclass(frozen=True)
class Attempt:
    """One query to try: its text in Whoosh's syntax, the fields, all words or any."""

    text: str
    fields: tuple[str, ...]
    any_word: bool = False
    note: str = ""
    """Told to the reader when this attempt is the one that answers."""
    suggest: Suggest = "if_few"
    """Whether "did you mean" is offered when this attempt answers: never (a completion
    answered), if it finds few sections, or always (only any of the words matched)."""


@dataclass(frozen=True)
class SearchPlan:
    """A search: attempts tried in order until one finds a section (or a title matches)."""

    typed: str
    """What the reader typed: the exact-title leads and "did you mean" are about it."""
    attempts: tuple[Attempt, ...]
    limit: int = 20
    library: str = ""
    """Only this library's sections ("" for all)."""
    snippets: int = SNIPPETS
    unfinished: bool = False
    """The last word may be unfinished: it is never "corrected"."""
    instant: bool = False
    note: str = ""
    """What preparing the typed text had to say (an unclosed quote ignored, ...)."""


def full(
    typed: str,
    fields: tuple[str, ...],
    words: Words,
    limit: int = 20,
    library: str = "",
    unfinished: bool = False,
) -> SearchPlan:
    """The full search (on Enter, or when typing pauses, `unfinished`)."""
    prepared = prepare(typed)
    attempts: list[Attempt] = []
    last = typed.rpartition(" ")[2].lower()
    # A word of the index is searched as it is; only a word that is not (yet) one stands for
    # its completions, and if none of them fits, the words as typed are searched.
    if unfinished and last not in words.counts:
        completed = _completed(typed, words, COMPLETIONS, heads=False)
        if completed:
            attempts.append(Attempt(prepare(completed).text, fields, suggest="never"))
    attempts.append(Attempt(prepared.text, fields))
    if prepared.plain and len(prepared.text.split()) > 1:
        attempts.append(Attempt(prepared.text, fields, True, ANY_WORD_NOTE, "always"))
    return SearchPlan(
        typed, tuple(attempts), limit, library, SNIPPETS, unfinished, False, prepared.note
    )


def instant(
    typed: str,
    fields: tuple[str, ...],
    words: Words,
    limit: int = 20,
    library: str = "",
) -> SearchPlan:
    """Search as you type: a last word still being typed (no space after it) stands for its
    most frequent completions, so `permanent rev` finds `permanent revolution` before the
    word is finished. Titles and headings first (their postings are short); only if nothing
    matches there, the full text, for the words before the unfinished one (or its commonest
    completion when it is the only one), where a run of Chinese, Japanese or Korean is its
    bigrams in any order rather than their phrase (`syntax.runs_as_bigrams`). No snippets,
    no "did you mean": `full` gives the full answer."""
    head, _, last = typed.rpartition(" ")
    heads = tuple(f for f in fields if f in INSTANT_FIELDS)
    bodies = tuple(f for f in fields if f not in INSTANT_FIELDS)
    first = _completed(typed, words, COMPLETIONS, heads=True) or typed
    # While a later word is being typed, the words before it: a completion common in the
    # body would only add the cost of reading its long postings.
    partial = last.isalpha()
    second = head if partial and head.strip() else _completed(typed, words, 1, False) or typed
    attempts = (
        Attempt(prepare(first).text, heads, suggest="never"),
        Attempt(prepare(runs_as_bigrams(second)).text, bodies, suggest="never"),
    )
    note = prepare(typed).note
    return SearchPlan(typed, attempts, limit, library, 0, True, True, note)


def _completed(typed: str, words: Words, count: int, heads: bool) -> str:
    """`typed` with its last word, if it is one being typed, as an OR of that word (if it is
    a word of the index) and its `count` most frequent completions; "" if none."""
    head, _, last = typed.rpartition(" ")
    if not last.isalpha():
        return ""
    found = words.expand(last, count, heads=heads)
    word = last.lower()
    if word in (words.heads if heads else words.counts) and word not in found:
        found = [word, *found[: count - 1]]  # a rare finished word still counts
    return f"{head} ({' OR '.join(found)})".strip() if found else ""
