"""Scripts written without spaces between words (Chinese, Japanese, Korean, Thai, Lao, Khmer,
Burmese): what counts as one, how a run of them becomes terms, and the folding of
full-width ASCII. No Whoosh here: the analysis (index/cjk.py), the one-pass analysis
(index/w3/positions.py), the query syntax and the word counts all use these.

A run of such characters is indexed as its overlapping character bigrams and its single
characters (Lucene's CJK bigram filter and Xapian's n-gram mode are the models): `北京是`
gives 北京, 北, 京是, 京, 是, in that order, each one position after the one before, so that
the bigrams of the run sit two positions apart. A query of one character finds the
character; of two, the bigram; of three or more, the phrase of its bigrams with a slop of
two (`syntax.prepare` writes it so), which finds exactly the texts holding the run.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

NOSPACE_RANGES = (
    "\u0e00-\u0e7f"  # Thai
    "\u0e80-\u0eff"  # Lao
    "\u1000-\u109f"  # Myanmar
    "\u1100-\u11ff"  # Hangul Jamo
    "\u1780-\u17ff"  # Khmer
    "\u19e0-\u19ff"  # Khmer symbols
    "\u2e80-\u2fdf"  # CJK radicals
    "\u3005-\u3007"  # 々 〆 〇
    "\u3021-\u3029"  # Hangzhou numerals
    "\u3031-\u3035"  # kana repeat marks
    "\u3040-\u30fa\u30fc-\u30ff"  # Hiragana, Katakana (not ・, the middle dot: a separator)
    "\u3130-\u318f"  # Hangul compatibility Jamo
    "\u31f0-\u31ff"  # Katakana phonetic extensions
    "\u3400-\u4dbf"  # CJK extension A
    "\u4e00-\u9fff"  # CJK unified ideographs
    "\ua960-\ua97f"  # Hangul Jamo extended A
    "\uac00-\ud7af"  # Hangul syllables
    "\ud7b0-\ud7ff"  # Hangul Jamo extended B
    "\uf900-\ufaff"  # CJK compatibility ideographs
    "\uff66-\uff9f"  # half-width Katakana
    "\U00020000-\U0003134f"  # CJK extensions B to G
)
NOSPACE = re.compile(f"[{NOSPACE_RANGES}]+")
WORD_PATTERN = f"[{NOSPACE_RANGES}]+|[^\\W{NOSPACE_RANGES}]+(?:\\.?[^\\W{NOSPACE_RANGES}]+)*"
"""A word as the analysis finds it: a run of no-space script, or Whoosh's default word
(`\\w+(\\.?\\w+)*`) of any other script."""
WORD = re.compile(WORD_PATTERN)
PHRASE_SLOP = 1
"""The slop of a phrase of bigrams: a run's bigrams are indexed at consecutive positions."""


def is_run(word: str) -> bool:
    """Is this word (as `WORD` finds it) a run of no-space script?"""
    return bool(word) and NOSPACE.fullmatch(word) is not None


def starts_run(word: str) -> bool:
    """Is this word, as `WORD` finds it, a run? (`WORD` never mixes a run with other
    characters, so its first character tells, and most words begin below U+0E00.)"""
    return bool(word) and word[0] >= "\u0e00" and NOSPACE.match(word, 0, 1) is not None


def run_terms(run: str, mode: str = "highlight") -> Iterator[tuple[str, int, int]]:
    """(term, start, end) of a run's terms, in position order (each one position after the
    one before). `index`: its bigrams, then its last character alone; a character is then
    found as a bigram it starts or as a run's last character, which a query of one
    character asks for as a prefix (syntax.py). Indexing every character besides its
    bigram made a third more postings, and the build of a Chinese library 2.5 times slower
    than a Latin one's. `query`: the bigrams only (the character of a run of one).
    `highlight`: each bigram and each character, so that a match of either is marked."""
    if len(run) == 1:
        yield run, 0, 1
        return
    last = len(run) - 1
    for at in range(last):
        yield run[at : at + 2], at, at + 2
        if mode == "highlight":
            yield run[at], at, at + 1
    if mode != "query":
        yield run[last], last, last + 1


def index_terms(run: str) -> list[str]:
    """The terms `run_terms(run, "index")` gives, without their offsets (building's hot path)."""
    if len(run) == 1:
        return [run]
    terms = [run[at : at + 2] for at in range(len(run) - 1)]
    terms.append(run[-1])
    return terms


FULL_WIDTH = {code: chr(code - 0xFEE0) for code in range(0xFF01, 0xFF5F)}
"""Full-width ASCII (`Ｗｉｋｉ１２`) folded to ASCII one for one: the text's length is kept,
so highlight offsets stay right (NFKC would fold more, and change lengths)."""
FULL_WIDTH[0x3000] = " "  # the ideographic space


def fold_width(text: str) -> str:
    return text.translate(FULL_WIDTH)


SEPARATORS = "。，、「」『』（）！？：；・〜"
"""Punctuation of these scripts: never part of a word (they are not word characters)."""
