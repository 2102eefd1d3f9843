"""Query lists for the speed figures, built from the tier's own text (deterministic per seed).

The words come from what the tier indexed, so every tier is typed at in its own vocabulary:

- *titles*: the article titles of the index's manifest, as a reader would type them: lower
  case, letters only, at most the first three words ("the permanent revolution");
- *frequent words*: the tier's vocabulary (the did-you-mean word counts beside the index),
  most frequent first, at least 4 letters, English stop words (Whoosh's and a few more) and
  wikitext markup words (`quot`, `ref`, `cite`, … which synth.py inherits from the raw
  sample) left out;
- *word pairs*: adjacent word pairs (neither a stop or markup word, both at least 3 letters)
  counted over a fixed sample of about 3,000 sections (chosen by a hash of the section key,
  so the sample does not depend on the order a parallel build wrote the documents in), seen
  at least twice;
- *headings*: the words of the section headings.

`as_you_type` gives 100 queries (40 titles, 30 frequent words, 30 word pairs), typed
character by character by the benchmark (each prefix is one keystroke, spaces included).
`full_queries` gives words, phrases and field queries; `misspellings` gives one-edit
misspellings of frequent words (deletion, transposition, substitution, insertion in turn;
substituted and inserted letters are QWERTY neighbours of the letter they replace or
follow, as typing slips are), never a word that is itself in the vocabulary, at any
position of the word.
"""

from __future__ import annotations

import collections
import hashlib
import random
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from whoosh.analysis import STOP_WORDS

WORD = re.compile(r"[^\W\d_]+")
MORE_STOP_WORDS = """about after all also any because been before being between both but could did
does during each had has her here him his how its into more most much now one only other our
out over own same she should since some such than their them then there these they those
through under until very was were what where which while who whom why would"""
MARKUP_WORDS = """quot amp nbsp lt gt ref refs cite http https www com org net html htm url
accessdate archivedate archiveurl deadurl isbn issn doi pmid jstor oclc px thumb br td tr
colspan rowspan align style wikitable sfn harvnb"""
STOP = frozenset(STOP_WORDS) | frozenset(MORE_STOP_WORDS.split())
JUNK = frozenset(MARKUP_WORDS.split())
"""Wikitext markup that the synthetic libraries inherit from the sample's raw text (synth.py
counts words of the wikitext): frequent there, never typed by a reader."""
SAMPLE_SECTIONS = 3000
QWERTY = ["qwertyuiop", "asdfghjkl", "zxcvbnm"]
EDITS = ("deletion", "transposition", "substitution", "insertion")


def _neighbours() -> dict[str, str]:
    where = {c: (r, i) for r, row in enumerate(QWERTY) for i, c in enumerate(row)}
    near: dict[str, str] = {}
    for char, (row, col) in where.items():
        found = []
        for other, (r, c) in where.items():
            if other != char and abs(r - row) <= 1 and abs(c - col) <= 1:
                found.append(other)
        near[char] = "".join(sorted(found))
    return near


NEIGHBOURS = _neighbours()


@dataclass
class TierText:
    """What the query lists are made from."""

    titles: list[str] = field(default_factory=list)
    headings: list[str] = field(default_factory=list)
    sample: list[str] = field(default_factory=list)
    counts: collections.Counter[str] = field(default_factory=collections.Counter)

    @classmethod
    def collect(
        cls,
        titles: Iterable[str],
        rows: Iterable[tuple[str, str, str, str]],
        total_rows: int,
        counts: collections.Counter[str] | None,
    ) -> TierText:
        """`rows` are (key, title, heading, text) of every section."""
        keep_one_in = max(1, total_rows // SAMPLE_SECTIONS)
        headings: set[str] = set()
        sample: list[tuple[str, str]] = []
        own_counts: collections.Counter[str] = collections.Counter()
        for key, _title, heading, text in rows:
            if heading:
                headings.add(heading.rsplit(" > ", 1)[-1])
            if _bucket(key) % keep_one_in == 0:
                sample.append((key, text))
                if counts is None:
                    own_counts.update(w.lower() for w in WORD.findall(text))
        sample.sort()
        return cls(
            titles=sorted(set(titles)),
            headings=sorted(headings),
            sample=[text for _, text in sample],
            counts=counts if counts else own_counts,
        )

    def frequent_words(self, limit: int = 2000, min_len: int = 4) -> list[str]:
        ranked = sorted(self.counts.items(), key=lambda item: (-item[1], item[0]))
        return [
            w
            for w, _ in ranked
            if len(w) >= min_len and w.isalpha() and w not in STOP | JUNK and len(w) <= 20
        ][:limit]

    def word_pairs(self, limit: int = 2000) -> list[str]:
        pairs: collections.Counter[str] = collections.Counter()
        for text in self.sample:
            words = [w.lower() for w in WORD.findall(text)]
            for a, b in zip(words, words[1:], strict=False):
                if a in STOP or b in STOP or a in JUNK or b in JUNK:
                    continue
                if len(a) >= 3 and len(b) >= 3 and a != b:
                    pairs[f"{a} {b}"] += 1
        ranked = sorted(pairs.items(), key=lambda item: (-item[1], item[0]))
        return [p for p, c in ranked if c >= 2][:limit]

    def title_phrases(self) -> list[str]:
        phrases = {title_phrase(t) for t in self.titles}
        return sorted(p for p in phrases if len(p) >= 3)

    def title_words(self) -> list[str]:
        words = {w.lower() for t in self.titles for w in WORD.findall(t)}
        return sorted(w for w in words if len(w) >= 4 and w not in STOP | JUNK)

    def heading_words(self) -> list[str]:
        words = {w.lower() for h in self.headings for w in WORD.findall(h)}
        return sorted(w for w in words if len(w) >= 4 and w not in STOP | JUNK)


def _bucket(key: str) -> int:
    return int.from_bytes(hashlib.blake2b(key.encode(), digest_size=4).digest(), "big")


def title_phrase(title: str) -> str:
    return " ".join(w.lower() for w in WORD.findall(title)[:3])


def _pick(rng: random.Random, pool: list[str], count: int, taken: set[str]) -> list[str]:
    fresh = [p for p in pool if p not in taken]
    chosen = rng.sample(fresh, min(count, len(fresh)))
    taken.update(chosen)
    return chosen


def as_you_type(text: TierText, seed: int = 1, count: int = 100) -> list[str]:
    """`count` queries to type key by key: titles, frequent words and word pairs."""
    rng = random.Random(seed)
    taken: set[str] = set()
    titles = [p[:32].rstrip() for p in text.title_phrases()]
    parts = [
        _pick(rng, titles, count * 4 // 10, taken),
        _pick(rng, text.frequent_words(1000), count * 3 // 10, taken),
        _pick(rng, text.word_pairs(1000), count * 3 // 10, taken),
    ]
    queries = [q for part in parts for q in part]
    spare = [*text.frequent_words(3000), *titles]
    queries += _pick(rng, spare, count - len(queries), taken)
    rng.shuffle(queries)
    return queries[:count]


def keystroke_query(queries: list[str], length: int = 20) -> str:
    """A query of exactly `length` characters for the on-screen keystroke figure."""
    long_enough = sorted((q for q in queries if len(q) >= length), key=lambda q: (len(q), q))
    if long_enough:
        return long_enough[0][:length]
    return " ".join(queries)[:length]


def full_queries(text: TierText, seed: int = 1) -> dict[str, list[str]]:
    """Queries submitted whole (Enter): plain words, phrases, field queries."""
    rng = random.Random(seed + 1)
    taken: set[str] = set()
    pairs = text.word_pairs(1000)
    words = [
        *_pick(rng, text.frequent_words(1000), 15, taken),
        *_pick(rng, pairs, 10, taken),
        *_pick(rng, text.title_phrases(), 5, taken),
    ]
    phrases = [f'"{p}"' for p in _pick(rng, pairs, 20, taken)]
    fields = [f"title:{w}" for w in _pick(rng, text.title_words(), 10, taken)]
    fields += [f"heading:{w}" for w in _pick(rng, text.heading_words(), 10, taken)]
    return {"words": words, "phrases": phrases, "fields": fields}


def misspell(word: str, kind: str, rng: random.Random) -> str:
    """`word` with one edit of `kind` at a random position."""
    position = rng.randrange(len(word))
    if kind == "deletion":
        return word[:position] + word[position + 1 :]
    if kind == "transposition":
        position = min(position, len(word) - 2)
        return word[:position] + word[position + 1] + word[position] + word[position + 2 :]
    near = NEIGHBOURS.get(word[position], "") or "etaoin"
    if kind == "substitution":
        return word[:position] + rng.choice(near) + word[position + 1 :]
    # insertion: a neighbour of a letter, slipped in just before or just after it
    at = position + rng.randint(0, 1)
    return word[:at] + rng.choice(near) + word[at:]


def misspellings(text: TierText, seed: int = 1, count: int = 100) -> list[tuple[str, str, str]]:
    """(typo, intended word, edit kind): one-edit misspellings of frequent words."""
    rng = random.Random(seed + 2)
    pool = [w for w in text.frequent_words(3000, min_len=5) if w.isascii()]
    found: list[tuple[str, str, str]] = []
    seen: set[str] = set()
    attempts = 0
    while len(found) < count and pool and attempts < count * 200:
        attempts += 1
        kind = EDITS[len(found) % len(EDITS)]
        word = rng.choice(pool)
        typo = misspell(word, kind, rng)
        if typo == word or typo in text.counts or typo in seen or len(typo) < 3:
            continue
        seen.add(typo)
        found.append((typo, word, kind))
    return found
