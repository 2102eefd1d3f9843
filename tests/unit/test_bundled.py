"""The bundled encyclopedia: clean files, the seed verbatim, and every link leads somewhere."""

from __future__ import annotations

import pytest
from conftest import ARTICLES, SEED, SHARED

from termpedia.content.library import load_article
from termpedia.content.parse import parse, render
from termpedia.content.resolve import Catalog, Entry, fragment_matches

FILES = sorted(ARTICLES.glob("*.txt"))
ARTICLES_BY_TITLE = {article.title: article for article in map(load_article, FILES)}
CATALOG = Catalog(Entry(a.title, "bundled", a.path, a.aliases) for a in ARTICLES_BY_TITLE.values())


def test_the_bundled_encyclopedia_has_the_seed_and_at_least_16_more_articles() -> None:
    assert "The Permanent Revolution and Results and Prospects" in ARTICLES_BY_TITLE
    assert "termpedia" in ARTICLES_BY_TITLE
    assert len(ARTICLES_BY_TITLE) >= 17
    assert len(FILES) == len(ARTICLES_BY_TITLE), "two files share a title"


def test_the_seed_is_bundled_verbatim() -> None:
    original = SHARED / "seeds" / "000_68d4463fb3b6b5b7.txt"
    if not original.exists():
        pytest.skip(f"{original} is not beside this checkout")
    assert SEED.read_bytes() == original.read_bytes()


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_a_bundled_article_parses_without_diagnostics(path) -> None:  # type: ignore[no-untyped-def]
    assert load_article(path).diagnostics == ()


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_a_bundled_article_round_trips(path) -> None:  # type: ignore[no-untyped-def]
    text = path.read_text(encoding="utf-8")
    assert render(parse(text, str(path))) == text


@pytest.mark.parametrize("title", sorted(ARTICLES_BY_TITLE))
def test_every_link_of_a_bundled_article_leads_to_an_article_and_section(title: str) -> None:
    broken = []
    for link in ARTICLES_BY_TITLE[title].links:
        resolution = CATALOG.resolve(link.address) if link.target else None
        target = (
            ARTICLES_BY_TITLE[resolution.entry.title]
            if resolution and resolution.entry
            else ARTICLES_BY_TITLE[title]
            if not link.target
            else None
        )
        if (
            target is None
            or link.fragment
            and not any(
                fragment_matches(link.fragment, s.anchor, s.heading)
                for s in target.walk()
                if s.anchor
            )
        ):
            broken.append(link.address)
    assert broken == []
