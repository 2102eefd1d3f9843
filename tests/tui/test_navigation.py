"""Where the reader goes, without Textual: `termpedia.tui.navigation` (addresses, places, the
trail of places) and `termpedia.tui.widgets.page.Page` (an article laid out in rows)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from termpedia.content import paths
from termpedia.content.library import bundled_shelf, load_article
from termpedia.index.search import Index
from termpedia.tui import navigation
from termpedia.tui.history import Place
from termpedia.tui.navigation import Found, Missing, Trail, Unreadable
from termpedia.tui.state import ReaderState
from termpedia.tui.upkeep import Said
from termpedia.tui.widgets.page import Page

SEED = "The Permanent Revolution and Results and Prospects"
ARTICLES = bundled_shelf().root


@pytest.fixture(scope="module")
def index(bundled_index: Path) -> Index:
    return Index(bundled_index)


class TestLookUp:
    def test_a_title_with_a_section_is_found_with_its_fragment(self, index: Index) -> None:
        found = navigation.look_up(index, "Leon Trotsky#Exile")
        assert isinstance(found, Found)
        assert (found.article.title, found.library, found.fragment) == (
            "Leon Trotsky",
            "bundled",
            "Exile",
        )

    def test_an_unknown_title_is_missing_by_its_title_alone(self, index: Index) -> None:
        assert navigation.look_up(index, "No Such Thing#Part") == Missing("No Such Thing", False)

    def test_a_file_that_cannot_be_read_is_unreadable(self, tmp_path: Path) -> None:
        found = navigation.read(tmp_path / "gone.txt", "user")
        assert isinstance(found, Unreadable) and "gone.txt" in found.message

    def test_a_place_is_read_by_its_title_wherever_the_file_went(self, index: Index) -> None:
        place = Place("Karl Radek", "bundled", "/moved/away.txt")
        found = navigation.read_place(index, place)
        assert isinstance(found, Found) and found.article.title == "Karl Radek"

    def test_links_exist_for_articles_and_sections_of_this_one(self, index: Index) -> None:
        assert navigation.exists(index, "Karl Radek")
        assert navigation.exists(index, "#anything")
        assert not navigation.exists(index, "No Such Thing")

    def test_the_header_names_a_library_other_than_the_bundled_one(self, index: Index) -> None:
        found = navigation.look_up(index, "Karl Radek")
        assert isinstance(found, Found)
        assert navigation.header_title(found) == "Karl Radek"
        assert navigation.header_title(Found(found.article, "mine")) == "Karl Radek  [mine]"

    def test_another_title_is_not_the_one_shown(self, index: Index) -> None:
        shown = load_article(ARTICLES / "leon-trotsky.txt")
        assert all(navigation.another_title(index, shown) != shown.title for _ in range(20))


class TestAnchors:
    def test_a_fragment_names_a_section_by_the_start_of_its_heading(self) -> None:
        article = load_article(ARTICLES / "leon-trotsky.txt")
        assert navigation.anchor_for(article, "Exile") == ("exile-and-death", None)
        assert navigation.anchor_for(article, "") == ("", None)

    def test_a_fragment_naming_no_section_says_so(self) -> None:
        article = load_article(ARTICLES / "leon-trotsky.txt")
        anchor, said = navigation.anchor_for(article, "Nowhere")
        assert anchor == "" and said == Said("No section 'Nowhere' in this article", timeout=3)


def article_of(path: Path) -> Found:
    found = navigation.read(path, "bundled")
    assert isinstance(found, Found)
    return found


class TestTrail:
    def test_a_new_place_remembers_the_scroll_of_the_one_left_and_is_saved(self) -> None:
        trail = Trail(ReaderState())
        radek, seed = (
            article_of(ARTICLES / "karl-radek.txt"),
            article_of(ARTICLES / "the-permanent-revolution-and-results-and-prospects.txt"),
        )
        trail.arrive(radek.article, "bundled", "", left_at=0)
        trail.arrive(seed.article, "bundled", "historical-evaluation", left_at=12)
        assert trail.can_go_back
        back = trail.step(-1, scroll_y=30)
        assert back is not None and (back.title, back.scroll_y) == ("Karl Radek", 12)
        forward = trail.step(1, scroll_y=0)
        assert forward is not None and (forward.title, forward.scroll_y) == (SEED, 30)
        saved = json.loads((paths.state_dir() / "history.json").read_text("utf-8"))
        assert [place["title"] for place in saved] == ["Karl Radek", SEED]
        assert trail.step(1, scroll_y=0) is None

    def test_a_place_shown_again_is_a_visit_but_no_new_place(self) -> None:
        trail = Trail(ReaderState())
        radek = article_of(ARTICLES / "karl-radek.txt")
        trail.arrive(radek.article, "bundled", "", left_at=0)
        trail.arrive(radek.article, "bundled", "", left_at=None)  # gone back to, say
        trail.arrive(radek.article, "bundled", "exile", left_at=None)
        assert len(trail.history.places) == 1
        assert [visit.anchor for visit in trail.visits.newest_first()] == ["exile", ""]

    def test_private_mode_saves_nothing(self) -> None:
        trail = Trail(ReaderState(private=True))
        trail.arrive(article_of(ARTICLES / "karl-radek.txt").article, "bundled", "", 0)
        assert not (paths.state_dir() / "history.json").exists()
        assert not (paths.state_dir() / "visits.json").exists()


class TestPage:
    def test_sections_are_stepped_through_in_order_and_p_goes_to_its_own_heading_first(
        self,
    ) -> None:
        page = Page(load_article(ARTICLES / "leon-trotsky.txt"))
        page.lay_out(60)
        first = page.section_after("", 1, 0)
        assert first == "early-life-and-1905"
        top = page.starts_row(first)
        assert page.section_at(top) == first and page.section_at(top + 1) == first
        assert page.section_after(first, -1, top + 1) == first, "from inside it: its heading"
        assert page.section_after(first, -1, top) == ""
        assert page.section_after("", -1, 0) == "", "nothing before the lead"

    def test_links_are_found_by_row_and_cell(self) -> None:
        page = Page(load_article(ARTICLES / "karl-radek.txt"))
        page.lay_out(60)
        first = page.next_link(None, 1, 0, len(page.rows))
        place = page.links[first]
        row = page.link_row(first)
        cell = page.rows[row].indent + place.link.start - page.rows[row].start
        assert page.link_at(row, cell) == first
        assert page.link_at(row, cell - 1) != first
        assert page.next_link(first, -1, 0, 0) == len(page.links) - 1, "round the start"

    def test_the_words_searched_for_are_highlighted_in_their_section_only(self) -> None:
        def matcher(text: str) -> list[tuple[int, int]]:
            start = text.find("reckless")
            return [(start, start + 8), (start + 2, start + 5)] if start >= 0 else []

        seed = ARTICLES / "the-permanent-revolution-and-results-and-prospects.txt"
        page = Page(load_article(seed), "historical-evaluation", matcher)
        (block,) = page.matches
        assert page.blocks[block].anchor == "historical-evaluation"
        starts, ends = page.matches[block]
        assert len(starts) == 1 and ends[0] - starts[0] == 8, "overlapping spans are merged"
        assert page.highlights_in(block, 0, len(page.blocks[block].text)) == [(starts[0], ends[0])]
