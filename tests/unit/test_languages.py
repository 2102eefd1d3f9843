"""A library's text is analysed in its language: German stems, Bulgarian plain folding."""

from __future__ import annotations

from pathlib import Path

from termpedia.content.library import Shelf
from termpedia.index.build import update
from termpedia.index.search import Index

GERMAN = """= Arbeiterbewegung =

Die Revolutionen der Arbeiter veränderten die Häuser der Städte.
"""
BULGARIAN = """= Революция =

Революцията от 1905 година.
"""
ENGLISH = """= Workers =

The workers' revolutions.
"""


def test_each_library_is_searched_in_its_own_language(tmp_path: Path) -> None:
    shelves = []
    for name, language, text in (
        ("deutsch", "de", GERMAN),
        ("bulgarski", "bg", BULGARIAN),
        ("english", "en", ENGLISH),
    ):
        folder = tmp_path / name
        folder.mkdir()
        (folder / "a.txt").write_text(text, encoding="utf-8")
        shelves.append(Shelf(name, folder, language=language))
    update(tmp_path / "index", shelves)
    index = Index(tmp_path / "index")
    assert index.language_of(str(tmp_path / "deutsch" / "a.txt")) == "de"

    def libraries(query: str) -> set[str]:
        return {hit.library for hit in index.search(query).hits}

    # German stemming: "Haus" finds "Häuser" (stem haus) only in the German library.
    assert libraries("Haus") == {"deutsch"}
    assert "english" in libraries("revolution")
    assert "deutsch" in libraries("Revolution")
    # No Bulgarian stemmer: words are matched as written, lower-cased.
    assert libraries("революцията") == {"bulgarski"}
    assert libraries("РЕВОЛЮЦИЯТА") == {"bulgarski"}
