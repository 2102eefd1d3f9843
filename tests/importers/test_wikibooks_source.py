"""The Wikibooks-shaped archive of the ranking benchmark (tests/bench/wikibooks.py): it is
written with libzim's Creator in the new namespace scheme, holds subpages, prefixed titles,
namespace pages and parent pages that list their subpages, and its link texts give the
`wikibooks` queries of tests/bench/queries/ranking.tsv by the selection rule."""

from __future__ import annotations

import posixpath
from pathlib import Path
from urllib.parse import unquote

import pytest

from tests.bench import wikibooks
from tests.bench.ranking import _Anchors, read_queries, unique_pairs, zim_pairs


@pytest.fixture(scope="module")
def archive_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return wikibooks.write(tmp_path_factory.mktemp("wikibooks"))


@pytest.fixture(scope="module")
def archive(archive_path: Path):  # type: ignore[no-untyped-def]
    from libzim.reader import Archive

    return Archive(str(archive_path))


def html_of(archive, path: str) -> str:  # type: ignore[no-untyped-def]
    return bytes(archive.get_entry_by_path(path).get_item().content).decode("utf-8")


def test_the_archive_is_spanish_and_in_the_new_namespace_scheme(archive) -> None:  # type: ignore[no-untyped-def]
    assert archive.has_new_namespace_scheme
    assert bytes(archive.get_metadata("Language")).decode() == "spa"
    assert archive.has_fulltext_index and archive.has_title_index
    assert archive.main_entry.get_item().path == "Portada"
    assert archive.article_count == wikibooks.describe()["pages"] >= 100


def test_subpages_prefixed_titles_and_namespace_pages(archive) -> None:  # type: ignore[no-untyped-def]
    for path, title in [
        ("Curso_de_italiano/Lección_3", "Curso de italiano/Lección 3"),
        ("Curso_de_alemán/Unidad_10", "Curso de alemán/Unidad 10"),
        (
            "Manual_de_jardinería/Plagas_y_enfermedades/Pulgones",
            "Manual de jardinería/Plagas y enfermedades/Pulgones",
        ),
        ("Receta:Té", "Receta:Té"),
        ("Receta:Café_con_leche", "Receta:Café con leche"),
        ("Libro_de_cocina:Pan_de_maíz", "Libro de cocina:Pan de maíz"),
        ("Ayuda:Buscar", "Ayuda:Buscar"),
        ("Categoría:Recetas", "Categoría:Recetas"),
        ("Esperanto", "Esperanto"),
        ("Café", "Café"),  # an ordinary page whose name is also `Receta:Café`'s bare name
    ]:
        entry = archive.get_entry_by_path(path)
        assert entry.title == title and not entry.is_redirect
    assert archive.has_entry_by_path("Receta:Café")
    assert not archive.has_entry_by_path("Café_con_leche")  # a bare name that is no title
    assert archive.get_entry_by_path("Zamenhof").get_redirect_entry().title == (
        "Ludwik Lejzer Zamenhof"
    )
    shape = wikibooks.describe()
    assert shape["subpages"] >= 50 and shape["third_level"] >= 2
    assert shape["prefixed"] >= 15 and shape["namespace_pages"] >= 3


def test_a_parent_page_lists_its_subpages_by_relative_links(archive) -> None:  # type: ignore[no-untyped-def]
    parser = _Anchors()
    parser.feed(html_of(archive, "Curso_de_italiano"))
    listed = {}
    for href, text in parser.found:
        path = posixpath.normpath(unquote(href))
        if path.startswith("Curso_de_italiano/"):
            listed[archive.get_entry_by_path(path).title] = text
    assert len(listed) == 12
    assert listed["Curso de italiano/Lección 6"] == "Lección 6: los verbos regulares"
    # a subpage links to its neighbours relative to its own folder
    parser = _Anchors()
    parser.feed(html_of(archive, "Curso_de_italiano/Lección_3"))
    hrefs = {text: href for href, text in parser.found}
    assert hrefs["← Lección 2"] == "../Curso_de_italiano/Lecci%C3%B3n_2"
    assert hrefs["Lección 4 →"] == "../Curso_de_italiano/Lecci%C3%B3n_4"
    # a first segment with a colon starts with ./ (not a URL scheme)
    parser = _Anchors()
    parser.feed(html_of(archive, "Libro_de_cocina"))
    assert ("./Receta:Caf%C3%A9", "Café") in parser.found


def test_the_text_is_the_same_every_run_and_the_archive_is_reused(archive_path: Path) -> None:
    assert wikibooks.fingerprint() == wikibooks.fingerprint()
    written = archive_path.stat().st_mtime_ns
    assert wikibooks.write(archive_path.parent) == archive_path
    assert archive_path.stat().st_mtime_ns == written


def test_the_selection_rule_gives_the_committed_queries(archive_path: Path) -> None:
    pairs = unique_pairs(zim_pairs(archive_path, "wikibooks"))
    assert len(pairs) >= 80
    found = {(query, title) for query, title, _ in pairs}
    assert ("Lección 3: los artículos", "Curso de italiano/Lección 3") in found
    assert ("Pan de maíz", "Libro de cocina:Pan de maíz") in found
    assert ("Zamenhof", "Ludwik Lejzer Zamenhof") in found  # through a redirect
    assert not any(query.casefold() == title.casefold() for query, title in found)
    committed = sorted(row for row in read_queries() if row[2] == "wikibooks")
    assert committed == pairs, "rewrite them: python -m tests.bench.ranking make"
