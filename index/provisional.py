"""Provisional answers from an archive that its section index does not cover yet: libzim's
own full-text index (the article level) mapped, for the hits a reader sees, to the section
that holds the query's words best; and its title suggestions while typing. No Whoosh here."""

from __future__ import annotations

import re
from collections.abc import Sequence

from termpedia.content.archive import ArchiveError, ZimArchive, location
from termpedia.content.article import Article, Section
from termpedia.content.display import section_display

from .excerpt import excerpt, opening
from .hits import SNIPPET_CHARS, SearchHit, Snippet
from .syntax import plain_words

MAPPED = 6
"""Hits mapped to their best section (the rest point at the article's lead): those a first
screen of results shows (2 at 80x24, about 6 at 120x40). Reading an article costs about 5 ms
at 100,000 articles, most of it libzim decompressing the article's cluster."""
PHRASE_POOL = 100
"""libzim's best matches searched for a quoted phrase: its Searcher takes a phrase as its
words in any order, so the articles holding the words in a row are put first."""


def fulltext_hits(
    zim: ZimArchive, typed: str, limit: int, known: set[tuple[str, str]]
) -> tuple[list[SearchHit], int]:
    """(hits, estimated matches) of libzim's full-text search for `typed`, leaving out the
    articles in `known` ((library, title) already found in the section index)."""
    words = plain_words(typed).split()
    if not words or not zim.has_fulltext:
        return [], 0
    phrases = [_phrase(p.split()) for p in re.findall(r'"([^"]*)"', typed) if len(p.split()) > 1]
    wanted = max(limit + len(known), PHRASE_POOL if phrases else 0)
    try:
        paths, estimated = zim.fulltext(" ".join(words), wanted)
        if phrases:
            paths = _phrases_first(zim, paths, phrases)
    except (ArchiveError, RuntimeError):
        return [], 0
    hits: list[SearchHit] = []
    for path in paths:
        if len(hits) >= limit:
            break
        try:
            title = zim.title_of(path)
            if (zim.name, title) in known:
                continue
            if len(hits) < MAPPED:  # converted for the hits a reader sees first
                hits.append(_mapped(zim, zim.read(path), path, words, phrases))
            else:
                hits.append(lead_hit(zim, title, path))
        except (ArchiveError, RuntimeError, KeyError):
            continue
    return hits, estimated


def _phrases_first(zim: ZimArchive, paths: list[str], phrases: list[re.Pattern[str]]) -> list[str]:
    """`paths` with those whose text holds every phrase first, each group in libzim's order."""
    holding: list[str] = []
    others: list[str] = []
    for path in paths:
        text = zim.plain_text(path)
        (holding if all(p.search(text) for p in phrases) else others).append(path)
    return holding + others


def _phrase(words: list[str]) -> re.Pattern[str]:
    """Words in a row, whatever punctuation or markup stood between them, any case."""
    inner = r"\W+".join(re.escape(w) for w in plain_words(" ".join(words)).split())
    return re.compile(rf"\b{inner}\b", re.IGNORECASE)


def title_hits(zim: ZimArchive, typed: str, limit: int) -> list[SearchHit]:
    """The archive's titles starting with (or, from its title index, holding) what was
    typed, as hits on their leads: search as you type before the index covers the archive."""
    try:
        pairs = zim.suggest(typed.strip(), limit)
    except (ArchiveError, RuntimeError):
        return []
    return [lead_hit(zim, title, path) for title, path in pairs]


def lead_hit(zim: ZimArchive, title: str, path: str) -> SearchHit:
    """A hit on an article's lead, read from nothing but its title."""
    return SearchHit(
        key=f"{zim.name}/{title}#",
        title=title,
        section="",
        anchor="",
        library=zim.name,
        score=0.0,
        snippet=Snippet(""),
        path=location(zim.name, path),
    )


def _mapped(
    zim: ZimArchive,
    article: Article,
    path: str,
    words: list[str],
    phrases: Sequence[re.Pattern[str]] = (),
) -> SearchHit:
    """A hit on the article's section that holds the query's words best, with a snippet."""
    section, trail = _best_section(article, words, phrases)
    text = section_display(section).text
    spans = _spans(text, words)
    if spans:
        first = spans[0][0]
        start = max(0, first - SNIPPET_CHARS // 3)
        end = min(len(text), start + SNIPPET_CHARS)
        inside = [(a, b) for a, b in spans if start <= a and b <= end]
        line, marks = excerpt(text, [(start, end, inside)])
        snippet = Snippet(line, marks)
    else:
        snippet = Snippet(opening(text, SNIPPET_CHARS))
    return SearchHit(
        key=f"{zim.name}/{article.title}#{section.anchor}",
        title=article.title,
        section=" > ".join(trail),
        anchor=section.anchor,
        library=zim.name,
        score=0.0,
        snippet=snippet,
        path=location(zim.name, path),
    )


def _best_section(
    article: Article, words: list[str], phrases: Sequence[re.Pattern[str]] = ()
) -> tuple[Section, tuple[str, ...]]:
    """The section holding the query's phrases, else the most of its words (the lead when
    none does better)."""
    best: tuple[Section, tuple[str, ...]] = (article.lead, ())
    best_count = -1
    for section, trail in article.outline():
        text = section_display(section).text
        found = {w for w in words if _word(w).search(text)}
        count = len(found) * 1000 + sum(len(_word(w).findall(text)) for w in found)
        if phrases and all(p.search(text) for p in phrases):
            count += 1_000_000
        if count > best_count:
            best, best_count = (section, trail), count
    return best


def _spans(text: str, words: list[str]) -> list[tuple[int, int]]:
    spans = sorted((m.start(), m.end()) for w in words for m in _word(w).finditer(text))
    return spans


_PATTERNS: dict[str, re.Pattern[str]] = {}


def _word(word: str) -> re.Pattern[str]:
    """A query word as written or with an ending (`piano` finds `pianos`), any case."""
    found = _PATTERNS.get(word)
    if found is None:
        if len(_PATTERNS) > 512:
            _PATTERNS.clear()
        found = _PATTERNS[word] = re.compile(rf"\b{re.escape(word)}\w*", re.IGNORECASE)
    return found
