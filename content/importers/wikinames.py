"""What the names in a MediaWiki dump mean: namespaces, other wikis, languages; titles."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

import mwparserfromhell

FILE_NAMESPACES = {"file", "image", "media"}
CATEGORY_NAMESPACES = {"category"}
OTHER_NAMESPACES = {
    "special", "talk", "user", "user talk", "wikipedia", "wikipedia talk", "project",
    "project talk", "wp", "wt", "file talk", "image talk", "mediawiki", "mediawiki talk",
    "template", "template talk", "help", "help talk", "category talk", "portal", "portal talk",
    "book", "book talk", "draft", "draft talk", "education program", "education program talk",
    "timedtext", "timedtext talk", "module", "module talk", "gadget", "gadget talk",
    "gadget definition", "gadget definition talk", "topic",
}  # fmt: skip
INTERWIKI = {
    "wikt", "wiktionary", "s", "wikisource", "q", "wikiquote", "b", "wikibooks", "n",
    "wikinews", "v", "wikiversity", "voy", "wikivoyage", "commons", "c", "species",
    "wikispecies", "meta", "m", "mw", "d", "wikidata", "w", "wmf", "foundation", "incubator",
    "outreach", "phab", "doi", "rfc", "google", "imdbname", "imdbtitle", "iarchive", "arxiv",
}  # fmt: skip
LANGUAGE_PREFIX = re.compile(r"[a-z]{2,3}(?:-[a-z]{2,8})*\Z")


@dataclass
class Namespaces:
    """The dump's namespace names (lower-case), by kind."""

    files: set[str] = field(default_factory=lambda: set(FILE_NAMESPACES))
    categories: set[str] = field(default_factory=lambda: set(CATEGORY_NAMESPACES))
    others: set[str] = field(default_factory=lambda: set(OTHER_NAMESPACES))
    keys: dict[str, int] = field(default_factory=dict)

    def add(self, key: int, name: str) -> None:
        name = " ".join(name.replace("_", " ").split()).lower()
        if not name or key == 0:
            return
        self.keys[name] = key
        if key in (6, -2):
            self.files.add(name)
        elif key == 14:
            self.categories.add(name)
        else:
            self.others.add(name)

    def kind(self, prefix: str) -> str:
        """What a link prefix names: "file", "category", "other" (a namespace or another
        wiki), "language" (an interlanguage link), or "" (none: the main namespace)."""
        folded = " ".join(prefix.replace("_", " ").split()).lower()
        if folded in self.files:
            return "file"
        if folded in self.categories:
            return "category"
        if folded in self.others or folded in INTERWIKI:
            return "other"
        if LANGUAGE_PREFIX.match(prefix.strip()):
            return "language"
        return ""


def normalize_title(title: str) -> str:
    """Underscores as spaces, spaces folded, first letter upper-case (`ß` stays `ß`)."""
    title = " ".join(html.unescape(title).replace("_", " ").split())
    first = title[:1].upper()
    return (first if len(first) == 1 else title[:1]) + title[1:]


def redirect_target(text: str) -> str:
    """The target of `#REDIRECT [[Target]]` as written, or "" when the line has no link."""
    first_line = text.lstrip().split("\n", 1)[0]
    for link in mwparserfromhell.parse(first_line).filter_wikilinks(recursive=False):
        return str(link.title).strip()
    return ""
