"""Whoosh's Positions format with the index-time analysis done in one pass.

Whoosh analyses a text through a chain of generators (tokenizer, lower case, stop words,
stemmer, accent folding), each step a Python call per word, and its stemmer's cache is a
Python LFU cache: analysis was about a third of a build. Every step of our analyzers
(schema.py) maps one word to one word, or drops it, without looking at its neighbours, so
`OnePassPositions.word_values` finds the words with the tokenizer's expression, looks
each one up in a dictionary from the word as written to the term it becomes (or None when
a step drops it), and runs the chain only for words not seen before. Positions are
numbered as Whoosh's StopFilter renumbers them. Queries, highlighting and any analyzer of
another shape still go through Whoosh's chain; tests/unit/test_positions.py checks that
both give the same postings.
"""

from __future__ import annotations

import re
from array import array
from collections.abc import Callable, Iterator
from typing import Any

from whoosh.analysis import (
    CharsetFilter,
    CompositeAnalyzer,
    LowercaseFilter,
    RegexTokenizer,
    StemFilter,
    StopFilter,
)
from whoosh.analysis.tokenizers import default_pattern
from whoosh.formats import Positions
from whoosh.lang import stemmer_for_language
from whoosh.system import pack_uint

from ..cjk import CjkStopFilter, CjkTokenizer
from ..scripts import index_terms, run_terms, starts_run
from .raw import from_bytes, raw_bytes

_UNSEEN = "\0"
"""What the cache gives for a word not seen yet: no term holds a NUL (the tokenizer's words
are made of word characters)."""
CACHE_LIMIT = 300_000
"""Words kept in a field's cache before it is emptied (a 100k-section build sees fewer)."""

Step = Callable[[str], str | None]


class _Plan:
    """How an analyzer turns one word as written into a term: its steps, in order."""

    def __init__(
        self, expression: re.Pattern[str], steps: list[Step], renumber: bool, runs: bool = False
    ) -> None:
        if expression.groups and expression.pattern == default_pattern.pattern:
            # findall() gives whole matches only without groups: the same pattern, uncaptured.
            expression = re.compile(r"[\w\*]+(?:\.?[\w\*]+)*", default_pattern.flags)
        self.words = expression.findall if not expression.groups else None
        self.expression = expression
        self.steps = steps
        self.renumber = renumber
        self.runs = runs
        """Runs of no-space scripts are words of several terms (index/cjk.py)."""
        self.cache: dict[str, str | None] = {}

    def pieces(self, word: str) -> Iterator[tuple[str, int, int]]:
        """The pieces a word is highlighted as: itself, or a run's bigrams and characters."""
        if self.runs and starts_run(word):
            yield from run_terms(word, "highlight")
        else:
            yield word, 0, len(word)

    def term(self, word: str) -> str | None:
        text: str | None = word
        for step in self.steps:
            text = step(text)  # type: ignore[arg-type]
            if text is None:
                break
        if len(self.cache) >= CACHE_LIMIT:
            self.cache.clear()
        self.cache[word] = text
        return text


def _plan(analyzer: Any) -> _Plan | None:
    """The plan for an analyzer of the shape above, or None for any other."""
    if not isinstance(analyzer, CompositeAnalyzer):
        return None
    tokenizer, *filters = analyzer.items
    if type(tokenizer) not in (RegexTokenizer, CjkTokenizer) or tokenizer.gaps:
        return None
    steps: list[Step] = []
    renumber = False
    for item in filters:
        kind = type(item)
        if kind is LowercaseFilter:
            steps.append(str.lower)
        elif kind in (StopFilter, CjkStopFilter):
            steps.append(_stop_step(item, runs=kind is CjkStopFilter))
            renumber = renumber or item.renumber
        elif kind is StemFilter:
            steps.append(_stem_step(item))
        elif kind is CharsetFilter:
            steps.append(_charset_step(item.charmap))
        else:
            return None
    return _Plan(tokenizer.expression, steps, renumber, runs=type(tokenizer) is CjkTokenizer)


def _stop_step(stop: StopFilter, runs: bool = False) -> Step:
    stops, low, high = stop.stops, stop.min, stop.max

    def step(text: str) -> str | None:
        short = len(text) < low and not (runs and starts_run(text))
        if short or (high is not None and len(text) > high) or text in stops:
            return None  # dropped
        return text

    return step


def _charset_step(charmap: dict[int, str]) -> Step:
    def step(text: str) -> str:
        return text.translate(charmap)

    return step


def _stem_step(stem: StemFilter) -> Step:
    # The filter's own stemmer (Porter, or its language's), without its LFU cache.
    stem_word = stemmer_for_language(stem.lang) if stem.lang else stem.stemfn
    ignore = stem.ignore

    def step(text: str) -> str:
        return text if text in ignore else stem_word(text)

    return step


_ONE_POSITION = [bytes(pack_uint(1)) + raw_bytes(array("I", [n])) for n in range(4096)]


class OnePassPositions(Positions):  # type: ignore[misc]
    """Positions, with `word_values` analysing a text in one pass when it can, and each
    posting's positions stored as 4-byte numbers after Whoosh's count (Whoosh pickles a
    list of deltas, which cost a third of writing a posting; reading is faster too)."""

    packs_positions = True
    """The codec packs a block of these values as arrays (`codec.pack_positions`)."""

    def __init__(self, field_boost: float = 1.0, **options: Any) -> None:
        super().__init__(field_boost=field_boost, **options)
        self._plans: dict[int, tuple[Any, _Plan | None]] = {}

    def __getstate__(self) -> dict[str, Any]:
        state = dict(self.__dict__)
        state.pop("_plans", None)  # rebuilt where the schema is unpickled
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        self._plans = {}

    def encode(self, poslist: list[int]) -> bytes:
        if len(poslist) == 1 and poslist[0] < len(_ONE_POSITION):
            return _ONE_POSITION[poslist[0]]  # most words occur once in a section
        return bytes(pack_uint(len(poslist))) + raw_bytes(array("I", poslist))

    def decode_positions(self, valuestring: bytes) -> list[int]:
        return list(from_bytes("I", valuestring[4:]))

    def _plan_for(self, analyzer: Any) -> _Plan | None:
        known = self._plans.get(id(analyzer))
        if known is None or known[0] is not analyzer:
            known = (analyzer, _plan(analyzer))
            self._plans[id(analyzer)] = known
        return known[1]

    def word_values(
        self, value: Any, analyzer: Any, **kwargs: Any
    ) -> Iterator[tuple[str, int, float, bytes]]:
        plan = self._plan_for(analyzer) if isinstance(value, str) else None
        if plan is None or set(kwargs) - {"mode"}:
            yield from super().word_values(value, analyzer, **kwargs)
            return
        cache = plan.cache
        positions: dict[str, list[int]] = {}
        position = -1
        renumber = plan.renumber
        if plan.words is not None:
            words = plan.words(value)
        else:
            words = [match.group(0) for match in plan.expression.finditer(value)]
        number = -1
        runs = plan.runs
        pieces: list[str] = []
        for word in words:
            if runs and word >= "\u0e00" and starts_run(word):
                # A run of a no-space script: its bigrams and last character, one position each.
                pieces[:] = index_terms(word)
            else:
                pieces[:] = (word,)
            for piece in pieces:
                number += 1
                term = cache.get(piece, _UNSEEN)
                if term is _UNSEEN:
                    term = plan.term(piece)
                if term is None:  # dropped (a stop word)
                    continue
                # Whoosh's StopFilter keeps the first kept word's position and numbers the
                # rest one after another; without it, a word's position is its number.
                position = number if not renumber or position < 0 else position + 1
                found = positions.get(term)
                if found is None:
                    positions[term] = [position]
                else:
                    found.append(position)
        boost = self.field_boost
        encode = self.encode
        for term, found in positions.items():
            yield term, len(found), len(found) * boost, encode(found)


def terms_in(
    field_format: Any, analyzer: Any, text: str
) -> list[tuple[int, int, str | None]] | None:
    """(start, end, term) of every word of `text`, the term None for a word the analyzer
    drops (a stop word), found in one pass with the field's plan; None when the field has
    no plan (an analyzer of another shape, or a format other than OnePassPositions)."""
    plan = field_format._plan_for(analyzer) if isinstance(field_format, OnePassPositions) else None
    if plan is None:
        return None
    cache = plan.cache
    found: list[tuple[int, int, str | None]] = []
    for match in plan.expression.finditer(text):
        at = match.start()
        for piece, start, end in plan.pieces(match.group(0)):
            term = cache.get(piece, _UNSEEN)
            if term is _UNSEEN:
                term = plan.term(piece)
            found.append((at + start, at + end, term))
    return found
