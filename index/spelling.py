"""Did-you-mean: a vocabulary of the library's words with counts, and edit-distance suggestions.

Whoosh's own corrector works on the stemmed lexicon (suggesting stems) or needs a spelling
graph that slows every build; a plain word-count table kept beside the index is smaller, is
updated incrementally, and lets suggestions be ranked by edit distance and then frequency.
"""

from __future__ import annotations

import bisect
import heapq
import json
import re
import string
from collections import Counter
from pathlib import Path

from whoosh.analysis import STOP_WORDS

from .scripts import NOSPACE, NOSPACE_RANGES, fold_width
from .store import write_atomically
from .syntax import OPERATORS

WORDS = "words.json"
# Words of spaced scripts only: a run of a no-space script is not a word to count or correct.
_WORD = re.compile(rf"[^\W\d_{NOSPACE_RANGES}]{{2,30}}")
_LETTERS = string.ascii_lowercase


def words_in(text: str) -> list[str]:
    return [word.lower() for word in _WORD.findall(fold_width(text))]


class Vocabulary:
    """Word -> how often it occurs in the indexed text; and the same for the words of titles,
    aliases and headings alone, which search as you type completes against."""

    def __init__(self, counts: Counter[str] | None = None, heads: Counter[str] | None = None):
        self.counts: Counter[str] = counts if counts is not None else Counter()
        self.heads: Counter[str] = heads if heads is not None else Counter()
        self._sorted: dict[bool, list[str]] = {}
        self._expansions: dict[tuple[str, bool], list[str]] = {}

    @classmethod
    def load(cls, folder: Path) -> Vocabulary:
        try:
            data = json.loads((folder / WORDS).read_text(encoding="utf-8"))
            return cls(
                Counter({str(k): int(v) for k, v in data["words"].items()}),
                Counter({str(k): int(v) for k, v in data["heads"].items()}),
            )
        except (OSError, ValueError, AttributeError, KeyError, TypeError):
            return cls()

    @classmethod
    def joined(cls, folders: list[Path]) -> Vocabulary:
        """The word counts of several indexes (an index and its archives') added up."""
        found = cls.load(folders[0])
        for folder in folders[1:]:
            other = cls.load(folder)
            found.counts.update(other.counts)
            found.heads.update(other.heads)
        return found

    def save(self, folder: Path) -> None:
        data = {"words": self.counts, "heads": self.heads}
        write_atomically(folder / WORDS, json.dumps(data, ensure_ascii=False))

    def add(self, text: str, head: bool = False) -> None:
        """Count the words of `text`; `head` for titles, aliases and headings."""
        words = words_in(text)
        self.counts.update(words)
        if head:
            self.heads.update(words)
        self._sorted.clear()
        self._expansions.clear()

    def __contains__(self, word: str) -> bool:
        return word.lower() in self.counts

    def expand(self, prefix: str, limit: int = 6, heads: bool = True) -> list[str]:
        """The `limit` most frequent words that start with `prefix`: of titles and headings,
        or (`heads=False`) of all the text."""
        prefix = prefix.lower()
        cached = self._expansions.get((prefix, heads))
        if cached is not None:
            return cached[:limit]
        counts = self.heads if heads else self.counts
        if heads not in self._sorted:
            self._sorted[heads] = sorted(counts)
        words = self._sorted[heads]
        start = bisect.bisect_left(words, prefix)
        stop = bisect.bisect_left(words, prefix + "\uffff")
        # Stop words are not indexed: completing to one would search for nothing.
        candidates = (w for w in words[start:stop] if w not in STOP_WORDS)
        found = heapq.nlargest(limit, candidates, key=counts.__getitem__)
        if len(self._expansions) > 5000:
            self._expansions.clear()
        self._expansions[(prefix, heads)] = found
        return found

    def suggest(self, word: str) -> str | None:
        """The likeliest intended word: the closest by edit distance, then the most frequent."""
        word = word.lower()
        if len(word) < 3 or word in self.counts or not word.isalpha():
            return None
        near = [w for w in _edits(word) if w in self.counts]
        if not near:
            near = [w for e in _edits(word) for w in _edits(e) if w in self.counts]
        if not near:
            return None
        # Keep the first letter when we can: misspellings rarely change it.
        same_start = [w for w in near if w[0] == word[0]]
        return max(same_start or near, key=lambda w: self.counts[w])


def _edits(word: str) -> set[str]:
    """Every string one deletion, transposition, replacement or insertion away."""
    letters = _LETTERS if word.isascii() else _LETTERS + "".join(sorted(set(word)))
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    deletes = {a + b[1:] for a, b in splits if b}
    transposes = {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1}
    replaces = {a + c + b[1:] for a, b in splits if b for c in letters}
    inserts = {a + c + b for a, b in splits for c in letters}
    return deletes | transposes | replaces | inserts


def corrected(typed: str, vocabulary: Vocabulary, unfinished: bool = False) -> str | None:
    """A corrected query ("did you mean"): each unknown word replaced by the likeliest
    indexed word; None when nothing changed. With `unfinished`, the last word is left as it
    is if it starts an indexed word, for then it is a word still being typed ("conf"), not
    a misspelling ("trotksy")."""
    changed = False
    words = []
    typed_words = typed.split()
    for number, word in enumerate(typed_words):
        bare = word.strip('"()*')
        if unfinished and number == len(typed_words) - 1 and vocabulary.expand(bare, 1, False):
            pass  # a word being typed is not a misspelling
        elif NOSPACE.search(bare):
            pass  # nor is a run of a script written without spaces
        elif ":" not in word and bare.upper() not in OPERATORS and bare not in vocabulary:
            better = vocabulary.suggest(bare)
            if better:
                word = word.replace(bare, better)
                changed = True
        words.append(word)
    return " ".join(words) if changed else None
