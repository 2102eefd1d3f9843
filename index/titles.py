"""Title keys: the folded forms in which titles are looked up exactly (`names` field) and
near-exactly (`near` field). No Whoosh here."""

from __future__ import annotations

import re
import unicodedata

from termpedia.content.resolve import normalize_title


def fold(title: str) -> str:
    """The form titles take in the `names` and `links` fields (commas are separators there)."""
    return normalize_title(title).casefold().replace(",", " ")


_DISAMBIGUATION = re.compile(r"\s\([^()]*\)$")
_DROPPED_G = re.compile(r"(?<=\win)['\u2019](?!\w)")


def near_key(title: str) -> str:
    """The form in which a query is a near-exact title (the `near` field): a trailing
    "(film)" or "(Hank Snow song)" dropped, a dropped g restored (Movin' = Moving), case,
    accents, spaces and punctuation ignored (Hardhearted = Hard Hearted)."""
    title = _DROPPED_G.sub("g", _DISAMBIGUATION.sub("", title.strip()))
    decomposed = unicodedata.normalize("NFKD", title.casefold())
    return "".join(char for char in decomposed if char.isalnum())


NAMESPACES = frozenset(
    {
        # English, and the wikis' own: Wikipedia, Wikibooks, Wikiversity, Wikivoyage...
        "category", "help", "wikipedia", "wp", "template", "portal", "special", "user",
        "talk", "file", "image", "media", "mediawiki", "module", "draft", "project",
        "wikibooks", "wikiversity", "wikivoyage", "wiktionary", "book", "timedtext",
        # German, French, Spanish, Italian, Portuguese
        "kategorie", "hilfe", "vorlage", "benutzer", "datei", "spezial", "diskussion",
        "catégorie", "aide", "modèle", "utilisateur", "fichier", "spécial", "discussion",
        "categoría", "ayuda", "plantilla", "usuario", "archivo", "especial", "discusión",
        "categoria", "aiuto", "utente", "speciale", "predefinição", "ajuda", "usuário",
    }
)  # fmt: skip
"""Prefixes that are an archive's namespaces of meta pages: `Help:Searching` keeps its whole
title (a query "Searching" does not put it first), where `Recipe:Tea` goes by "Tea"."""


def short_name(title: str) -> str:
    """The name a subpage or a prefixed page goes by: "Lesson 3" for `Italian
    language/Lesson 3`, "Tea" for `Recipe:Tea` (no space after the colon: `Star Wars: A New
    Hope` is a title, not a prefix); "" for any other title, and for a namespace's page."""
    parent, slash, last = title.rpartition("/")
    if slash and parent.strip() and last.strip():
        return last.strip()
    prefix, colon, name = title.partition(":")
    if (
        colon
        and prefix.strip()
        and name[:1].strip()
        and prefix.strip().casefold() not in NAMESPACES
    ):
        return name.strip()
    return ""


def parent_of(title: str) -> str:
    """The parent page of a subpage (`Italian language` for `Italian language/Lesson 3`),
    or ""."""
    parent, slash, last = title.rpartition("/")
    return parent.strip() if slash and parent.strip() and last.strip() else ""
