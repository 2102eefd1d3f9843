"""Titles of archives that are not Wikipedia: a subpage (`Book/Lesson 3`) and a prefixed page
(`Recipe:Tea`) go by their last name, with the title boost and the exact-title rules; a
namespace's page (`Help:Searching`) keeps its whole title."""

from __future__ import annotations

import pytest

from termpedia.content.library import Shelf
from termpedia.index.build import update
from termpedia.index.search import Index
from termpedia.index.titles import parent_of, short_name

PAGES = {
    "Italian language": (
        "A course of Italian in lessons. Lesson 1 greets, Lesson 2 counts, Lesson 3 teaches "
        "the regular verbs, Lesson 4 the past. Start with lesson 1, then lesson 2, lesson 3."
    ),
    "Italian language/Lesson 3": "The regular verbs end in are, ere and ire.",
    "Italian language/Lesson 4": "The past tense is made with avere or essere.",
    "Orphan/Lesson 3": "A page whose parent does not exist.",
    "Recipe:Tea": "Boil water, pour it on the leaves and wait three minutes.",
    "Recipe:Bread": "Flour, water, salt and yeast; knead and bake.",
    "Bread": "Bread is a staple food made of flour and water.",
    "Help:Searching": "Type words in the bar above the pages.",
    "Searching tips": "Searching well means choosing words that pages use.",
}


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> Index:
    folder = tmp_path_factory.mktemp("wikibook") / "pages"
    folder.mkdir()
    for number, (title, text) in enumerate(PAGES.items()):
        (folder / f"{number}.txt").write_text(f"= {title} =\n\n{text}\n", "utf-8")
    root = folder.parent / "index"
    update(root, [Shelf("book", folder)])
    return Index(root, archives=[])


def firsts(index: Index, query: str, count: int = 1) -> list[str]:
    return [hit.title for hit in index.search(query).hits[:count]]


def test_the_name_of_a_subpage_or_prefixed_page() -> None:
    assert short_name("Italian language/Lesson 3") == "Lesson 3"
    assert parent_of("Italian language/Lesson 3") == "Italian language"
    assert short_name("Recipe:Tea") == "Tea"
    assert short_name("Help:Searching") == ""
    assert short_name("Star Wars: A New Hope") == ""


def test_a_subpage_is_an_exact_title_by_its_name(index: Index) -> None:
    assert firsts(index, "Lesson 3") == ["Italian language/Lesson 3"]
    assert firsts(index, "lesson 4") == ["Italian language/Lesson 4"]


def test_a_subpage_whose_parent_does_not_exist_is_not_put_first(index: Index) -> None:
    titles = [hit.title for hit in index.search("Lesson 3").hits]
    assert titles.index("Orphan/Lesson 3") > titles.index("Italian language/Lesson 3")


def test_a_prefixed_page_goes_by_its_name_unless_a_page_has_that_title(index: Index) -> None:
    assert firsts(index, "Tea") == ["Recipe:Tea"]
    assert firsts(index, "Bread", 2) == ["Bread", "Recipe:Bread"]


def test_a_namespace_page_keeps_its_whole_title(index: Index) -> None:
    assert firsts(index, "Searching") != ["Help:Searching"]
    assert firsts(index, "Help:Searching") == ["Help:Searching"]


def test_the_full_title_still_matches(index: Index) -> None:
    assert firsts(index, "Italian language/Lesson 3") == ["Italian language/Lesson 3"]
    assert firsts(index, "Italian language") == ["Italian language"]


def test_a_name_inside_a_link_text_leads(index: Index) -> None:
    # Link texts wrap their target's name: "Next: Lesson 4", "Recipe for Bread".
    assert firsts(index, "Next: Lesson 4 of the course") == ["Italian language/Lesson 4"]
    assert firsts(index, "make some Tea now") == ["Recipe:Tea"]


def test_a_short_title_of_an_ordinary_page_inside_a_longer_query_does_not_lead(
    index: Index,
) -> None:
    # A prefixed page's one-word name inside the query leads (Recipe:Bread); the ordinary
    # page of that one-word title (Bread) does not come before it.
    assert firsts(index, "flour water salt yeast bread") == ["Recipe:Bread"]
    assert firsts(index, "good searching tips") == ["Searching tips"]
