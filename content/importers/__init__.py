"""Importers: MediaWiki XML dumps, Kiwix ZIM files and dictd dictionaries become libraries."""

from __future__ import annotations

from importlib import import_module

from .base import Converter

KINDS = {
    "mediawiki": ("termpedia.content.importers.mediawiki", "MediaWikiConverter"),
    "zim": ("termpedia.content.importers.zim", "ZimConverter"),
    "dictd": ("termpedia.content.importers.dictd", "DictdConverter"),
}


def converter(kind: str) -> Converter:
    """The converter for a source kind; imported on demand (libzim is heavy)."""
    module, name = KINDS[kind]
    cls = getattr(import_module(module), name)
    return cls()  # type: ignore[no-any-return]
