"""Subpage and prefixed titles (`Book/Chapter/Page`, `Recipe:Tea`) in the reading pane's
title and at the root of the section tree: the path dimmed, its pages linked."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import pytest
from rich.cells import cell_len
from rich.segment import Segment
from textual.pilot import Pilot

from termpedia.content.library import Shelf
from termpedia.index.build import update
from termpedia.index.search import Index
from termpedia.tui.app import TermpediaApp
from termpedia.tui.screens.reader import ReaderScreen
from termpedia.tui.widgets.layout import title_path
from termpedia.tui.widgets.reading_pane import ReadingPane
from termpedia.tui.widgets.section_tree import SectionTree

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "subpages"
PAGES = {"Book", "Book/Chapter", "Encyclopaedia of Everything Ever Written", "[bold]Notes[/bold]"}


class TestTitlePath:
    def test_a_subpage_links_each_part_of_its_path_that_is_a_page(self) -> None:
        quiet, links = title_path("Book/Chapter/Page", PAGES.__contains__)
        assert quiet == len("Book/Chapter/")
        assert [(link.start, link.end, link.target) for link in links] == [
            (0, 4, "Book"),
            (5, 12, "Book/Chapter"),
        ]

    def test_a_part_that_is_no_page_is_dimmed_but_not_linked(self) -> None:
        quiet, links = title_path("Book/Missing chapter/Page", PAGES.__contains__)
        assert quiet == len("Book/Missing chapter/")
        assert [link.target for link in links] == ["Book"]

    def test_a_slash_is_no_path_when_no_page_of_the_path_exists(self) -> None:
        assert title_path("AC/DC", PAGES.__contains__) == (0, ())
        assert title_path("Book/Chapter/Page", None) == (0, ())

    def test_a_prefix_is_dimmed_a_colon_and_a_space_is_part_of_a_title(self) -> None:
        assert title_path("Recipe:Tea", PAGES.__contains__) == (len("Recipe:"), ())
        assert title_path("Help:Searching", PAGES.__contains__) == (len("Help:"), ())
        assert title_path("Star Wars: A New Hope", PAGES.__contains__) == (0, ())
        assert title_path(":Tea", PAGES.__contains__) == (0, ())


# -- in the app ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def subpages_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("subpages-index")
    update(root, [Shelf("book", FIXTURES)])
    return root


@asynccontextmanager
async def reader(
    root: Path, start: str, size: tuple[int, int] = (100, 20)
) -> AsyncIterator[Pilot[None]]:
    app = TermpediaApp(Index(root), start)
    app._fatal_error = app._close_messages_no_wait  # type: ignore[method-assign]
    async with app.run_test(size=size) as pilot:
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        yield pilot


def pane(pilot: Pilot[None]) -> ReadingPane:
    return pilot.app.screen.query_one("#reader", ReadingPane)


def title_segments(pilot: Pilot[None]) -> list[Segment]:
    """The segments of the pane's first line (the title), without blank ones."""
    return [s for s in pane(pilot).render_line(0) if s.text.strip()]


def tree(pilot: Pilot[None]) -> SectionTree:
    return pilot.app.screen.query_one("#tree", SectionTree)


def title_of(pilot: Pilot[None]) -> str:
    screen = pilot.app.screen
    assert isinstance(screen, ReaderScreen) and screen.article is not None
    return screen.article.title


class TestSubpageTitles:
    async def test_the_title_shows_its_path_dimmed_with_links_to_the_parent_pages(
        self, subpages_index: Path
    ) -> None:
        async with reader(subpages_index, "Book/Chapter/Page") as pilot:
            segments = title_segments(pilot)
            assert "".join(s.text for s in segments) == "Book/Chapter/Page"
            looks = {s.text: s.style for s in segments if s.style is not None}
            assert looks["Page"].bold, "the page's own name stands out"
            for part in ("Book", "Chapter"):
                assert not looks[part].bold and looks[part].underline, part
            assert not looks["/"].bold and not looks["/"].underline
            # The tree's root is the same title, its path dimmed.
            label = tree(pilot).root.label
            dimmed = "".join(
                label.plain[span.start : span.end]
                for span in label.spans
                if "dim" in str(span.style)
            )
            assert label.plain == "Book/Chapter/Page" and dimmed == "Book/Chapter/"
            # The header goes by the page's own name, its path after it.
            assert pilot.app.screen.title == "Page  (Book/Chapter)  [book]"

    async def test_tab_reaches_the_parent_pages_and_enter_opens_one(
        self, subpages_index: Path
    ) -> None:
        async with reader(subpages_index, "Book/Chapter/Page") as pilot:
            await pilot.press("tab")
            link = pane(pilot).current_link
            assert link is not None and link.target == "Book"
            await pilot.press("tab")
            link = pane(pilot).current_link
            assert link is not None and link.target == "Book/Chapter"
            await pilot.press("enter")
            await pilot.app.workers.wait_for_complete()
            await pilot.pause()
            assert title_of(pilot) == "Book/Chapter"
            # Its own parent, Book, is a link in its title too.
            await pilot.press("tab")
            link = pane(pilot).current_link
            assert link is not None and link.target == "Book"

    async def test_a_prefixed_title_dims_its_prefix(self, subpages_index: Path) -> None:
        async with reader(subpages_index, "Recipe:Tea") as pilot:
            looks = {s.text: s.style for s in title_segments(pilot) if s.style is not None}
            assert set(looks) == {"Recipe:", "Tea"}
            assert looks["Tea"].bold and not looks["Recipe:"].bold

    async def test_a_slash_in_a_title_whose_parent_is_no_page_is_just_a_title(
        self, subpages_index: Path
    ) -> None:
        async with reader(subpages_index, "AC/DC") as pilot:
            segments = title_segments(pilot)
            assert [s.text for s in segments] == ["AC/DC"]
            await pilot.press("tab")
            link = pane(pilot).current_link
            assert link is None or link.target != "AC"

    async def test_a_title_that_looks_like_markup_is_shown_as_written(
        self, subpages_index: Path
    ) -> None:
        async with reader(subpages_index, "[bold]Notes[/bold]/[red]Page[/red]") as pilot:
            text = "".join(s.text for s in title_segments(pilot))
            assert text == "[bold]Notes[/bold]/[red]Page[/red]"
            await pilot.press("tab")
            link = pane(pilot).current_link
            assert link is not None and link.target == "[bold]Notes[/bold]"
            assert tree(pilot).root.label.plain == "[bold]Notes[/bold]/[red]Page[/red]"
            drawn = tree(pilot).render_line(0).text
            assert drawn.rstrip().endswith("[/bold]/[red]Page[/red]"), drawn  # not markup

    async def test_a_path_too_long_for_the_tree_gives_way_before_the_name(
        self, subpages_index: Path
    ) -> None:
        title = "Encyclopaedia of Everything Ever Written/Chapter Seventeen/Page"
        async with reader(subpages_index, title, size=(120, 20)) as pilot:
            sections = tree(pilot)
            line = sections.render_line(0).text.rstrip()
            width = sections.scrollable_content_region.width
            assert cell_len(line) <= width
            assert line.endswith("Seventeen/Page"), line
            assert "…" in line and not line.endswith("…")
            assert "".join(s.text for s in title_segments(pilot)) == title
