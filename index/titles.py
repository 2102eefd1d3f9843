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
