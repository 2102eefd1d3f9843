"""Title normalisation and link resolution over a catalogue of titles and aliases."""

from __future__ import annotations

import bisect
import difflib
import functools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol
from urllib.parse import unquote

from .article import Article, Diagnostic, Section
from .parse import fold_fragment


def normalize_title(title: str) -> str:
    """The form wiki readers compare titles in: URL-decoded, `_` as space, spaces folded,
    surrounding whitespace dropped, first letter upper-case."""
    first = title[:1]
    if (
        first.isupper()
        and title.isprintable()  # no whitespace but " " (every other kind is unprintable)
        and "  " not in title
        and title[-1] != " "
        and "%" not in title
        and "_" not in title
    ):
        return title  # already normal, as nearly every title in a catalogue is: C-speed tests
    if "%" in title:
        title = unquote(title)
    title = " ".join(title.replace("_", " ").split())
    return title[:1].upper() + title[1:]


def split_address(address: str) -> tuple[str, str]:
    """`Title#Section` -> (normalised title, fragment)."""
    title, _, fragment = address.partition("#")
    if "%" in fragment:
        fragment = unquote(fragment)
    return normalize_title(title), fragment.strip().replace("_", " ")


@dataclass(frozen=True)
class Entry:
    """One article in the catalogue."""

    title: str
    library: str
    path: str
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Resolution:
    """What an address resolved to: an entry (or None), the fragment, and other candidates."""

    entry: Entry | None
    fragment: str
    candidates: tuple[Entry, ...] = ()
    via_alias: bool = False


class TitleSource(Protocol):
    """Titles the catalogue does not list itself: an archive read in place, whose titles it
    looks up in the archive (content/archive.py `ArchiveTitles`)."""

    library: str

    def lookup(self, title: str) -> Entry | None:
        """The article of this title (or alias), exactly or ignoring case."""
        ...

    def complete(self, prefix: str, limit: int) -> list[Entry]:
        """Articles whose title starts with `prefix`, ignoring case."""
        ...


class Catalog:
    """Every title and alias of the open libraries, for resolving links and completing titles.

    Entries come in priority order: where two share a title, the first one wins and the
    clash is listed by `duplicates()`. `sources` are asked after the entries (archives read
    in place, too large to list).
    """

    def __init__(self, entries: Iterable[Entry], sources: Sequence[TitleSource] = ()) -> None:
        self.entries = list(entries)
        self.sources = tuple(sources)
        self._exact: dict[str, list[tuple[Entry, bool]]] = {}
        for entry in self.entries:
            self._exact.setdefault(normalize_title(entry.title), []).append((entry, False))
            for alias in entry.aliases:
                self._exact.setdefault(normalize_title(alias), []).append((entry, True))

    @functools.cached_property
    def _folded(self) -> dict[str, list[tuple[Entry, bool]]]:
        """Names ignoring case, built when first needed: resolving an exact title (the
        first screen) does not wait for it. Entries keep their priority order."""
        order = {id(entry): number for number, entry in enumerate(self.entries)}
        folded: dict[str, list[tuple[Entry, bool]]] = {}
        for key, pairs in self._exact.items():
            folded.setdefault(key.casefold(), []).extend(pairs)
        for pairs in folded.values():
            pairs.sort(key=lambda pair: (order[id(pair[0])], pair[1]))
        return folded

    @functools.cached_property
    def _sorted(self) -> list[str]:
        return sorted(self._folded)

    def __len__(self) -> int:
        return len(self.entries)

    def resolve(self, address: str) -> Resolution:
        """Exact normalised match first; else a unique case-insensitive match; else candidates."""
        title, fragment = split_address(address)
        exact = _titles_first(self._exact.get(title, []))
        if exact:
            entry, via_alias = exact[0]
            return Resolution(entry, fragment, tuple(e for e, _ in exact[1:]), via_alias)
        folded = self._folded.get(title.casefold(), [])
        # Titles that differ only in case are different articles: choose only when the
        # case-insensitive match names one spelling (then the exact-match rules apply).
        spellings = {
            normalize_title(entry.title if not alias else _alias_of(entry, title))
            for entry, alias in folded
        }
        if len(spellings) == 1 or len({id(entry) for entry, _ in folded}) == 1:
            ranked = _titles_first(folded)
            return Resolution(ranked[0][0], fragment, tuple(e for e, _ in ranked[1:]), ranked[0][1])
        if not folded:
            for source in self.sources:
                found = source.lookup(title)
                if found is not None:
                    return Resolution(found, fragment)
        return Resolution(None, fragment, tuple(entry for entry, _ in _titles_first(folded)))

    def exists(self, title: str) -> bool:
        """Is there an article of this title (or alias)?"""
        return self.resolve(title).entry is not None

    def complete(self, prefix: str, limit: int = 20) -> list[Entry]:
        """Articles whose title or alias starts with `prefix`, ignoring case."""
        folded = normalize_title(prefix).casefold() if prefix.strip() else ""
        start = bisect.bisect_left(self._sorted, folded)
        found: list[Entry] = []
        seen: set[int] = set()
        for key in self._sorted[start:]:
            if not key.startswith(folded) or len(found) >= limit:
                break
            for entry, _ in _titles_first(self._folded[key]):
                if id(entry) not in seen:
                    seen.add(id(entry))
                    found.append(entry)
        for source in self.sources:
            if len(found) >= limit or not prefix.strip():
                break
            found.extend(source.complete(prefix, limit - len(found)))
        return found[:limit]

    def duplicates(self) -> list[list[Entry]]:
        """Groups of entries that share one normalised title.

        The reader's own copy of a bundled article (made by editing it) overrides it on
        purpose, so that pair is not a duplicate.
        """
        groups = []
        for pairs in self._exact.values():
            titled = [entry for entry, is_alias in pairs if not is_alias]
            if any(entry.library == "user" for entry in titled):
                titled = [entry for entry in titled if entry.library != "bundled"]
            if len(titled) > 1:
                groups.append(titled)
        return groups

    def clashes(self) -> list[Diagnostic]:
        """A warning for each article whose title an article before it has too (links go
        to that one), located at its file's first line."""
        found = []
        for first, *others in self.duplicates():
            for other in others:
                message = f"the title {first.title!r} is also in {first.path}; links go to that one"
                found.append(Diagnostic(other.path, 1, "warning", message))
        return found

    def closest(self, address: str, limit: int = 3) -> list[str]:
        """Titles that look like the address, for 'did you mean' on an unknown title."""
        title = split_address(address)[0].casefold()
        names = difflib.get_close_matches(title, self._sorted, n=limit, cutoff=0.6)
        prefixed = [e.title for e in self.complete(title, limit)]
        titles = [self._folded[name][0][0].title for name in names]
        return list(dict.fromkeys(titles + prefixed))[:limit]


def _alias_of(entry: Entry, title: str) -> str:
    """The alias of `entry` that matches `title` ignoring case."""
    folded = title.casefold()
    return next((a for a in entry.aliases if normalize_title(a).casefold() == folded), title)


def _titles_first(pairs: list[tuple[Entry, bool]]) -> list[tuple[Entry, bool]]:
    """A real title beats an alias of the same name; otherwise keep priority order."""
    return sorted(pairs, key=lambda pair: pair[1])


def fragment_matches(fragment: str, anchor: str, heading: str) -> bool:
    """Does `#fragment` name this section? By anchor or heading, ignoring case and quotes."""
    folded = fold_fragment(fragment)
    return folded == anchor or folded == fold_fragment(heading)


def sections_starting(article: Article, fragment: str) -> list[Section]:
    """Sections whose heading starts with `#fragment`, folded as `fragment_matches` folds
    (case, quotes and punctuation ignored), in document order."""
    folded = fold_fragment(fragment)
    if not folded:
        return []
    return [s for s in article.walk() if s.anchor and fold_fragment(s.heading).startswith(folded)]


def find_section(article: Article, fragment: str) -> Section | None:
    """The section `#fragment` names, or None: the first whose anchor or heading matches it
    (`fragment_matches`); else the one heading that starts with it (`#Exile` names "Exile
    and death"); none when no heading does or two or more do. The lead is never named.

    The one rule for `termpedia "Title#Section"`, `show`, `links` and `[[Title#Section]]`.
    """
    if not fragment:
        return None
    for section in article.walk():
        if section.anchor and fragment_matches(fragment, section.anchor, section.heading):
            return section
    starting = sections_starting(article, fragment)
    return starting[0] if len(starting) == 1 else None
