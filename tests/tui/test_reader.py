"""The reader, driven with Textual's Pilot: what the user presses and what the screen shows."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from pathlib import Path

import pytest
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.command import CommandList, CommandPalette
from textual.content import Content
from textual.pilot import Pilot
from textual.widgets import Static
from textual.widgets._toast import Toast

from termpedia.content.display import DisplayLink
from termpedia.content.library import Shelf, bundled_shelf
from termpedia.index.build import update
from termpedia.index.search import Index
from termpedia.tui.app import TermpediaApp
from termpedia.tui.screens.help import HelpScreen
from termpedia.tui.screens.reader import ReaderScreen
from termpedia.tui.widgets.reading_pane import ReadingPane
from termpedia.tui.widgets.search_bar import SearchBar
from termpedia.tui.widgets.search_results import SearchResults
from termpedia.tui.widgets.section_tree import SectionTree

SEED = "The Permanent Revolution and Results and Prospects"
FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "tui"
SIZE = (100, 30)
# Characters a terminal would act on: C0 (bar newline and tab), DEL, C1, bidi controls.
CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


# -- fixtures and helpers ----------------------------------------------------------------


@pytest.fixture
def index(bundled_index: Path) -> Index:
    return Index(bundled_index)


@pytest.fixture(scope="module")
def fixture_index_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled shelf plus tests/fixtures/tui (hostile and dangling-link articles)."""
    root = tmp_path_factory.mktemp("fixture-index")
    update(root, [Shelf("fixtures", FIXTURES), bundled_shelf()])
    return root


@pytest.fixture
def fixture_index(fixture_index_root: Path) -> Index:
    return Index(fixture_index_root)


@asynccontextmanager
async def reader(
    index: Index,
    start: str | None = SEED,
    size: tuple[int, int] = SIZE,
    notifications: bool = False,
) -> AsyncIterator[Pilot[None]]:
    app = TermpediaApp(index, start)
    # A crash still fails the test (run_test re-raises it), but without Textual's traceback
    # with locals, which takes seconds to build for an app full of articles.
    app._fatal_error = app._close_messages_no_wait
    async with app.run_test(size=size, notifications=notifications) as pilot:
        await settle(pilot)
        yield pilot


async def settle(pilot: Pilot[None]) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def search(pilot: Pilot[None], text: str) -> None:
    """Press `/` and type `text`, then wait for the search-as-you-type worker."""
    await pilot.press("escape", "slash", *text)
    await settle(pilot)


def focused(pilot: Pilot[None]) -> object:
    """The focused widget; compared with `==` (identity for widgets) so mypy does not narrow."""
    return pilot.app.focused


def title_of(pilot: Pilot[None]) -> str:
    article = screen(pilot).article
    assert article is not None, "no article is shown"
    return str(article.title)


def link(pilot: Pilot[None]) -> DisplayLink:
    current = pane(pilot).current_link
    assert current is not None, "no link is selected"
    return current


def plain(prompt: object) -> str:
    assert isinstance(prompt, Content), prompt
    return prompt.plain


def screen(pilot: Pilot[None]) -> ReaderScreen:
    current = pilot.app.screen
    assert isinstance(current, ReaderScreen), current
    return current


def pane(pilot: Pilot[None]) -> ReadingPane:
    return pilot.app.screen.query_one("#reader", ReadingPane)


def pane_lines(pilot: Pilot[None]) -> list[str]:
    reading = pane(pilot)
    return [reading.render_line(y).text for y in range(reading.size.height)]


def screen_lines(pilot: Pilot[None]) -> list[str]:
    """Every row of the terminal as the compositor draws it (all layers)."""
    return [strip.text for strip in pilot.app.screen._compositor.render_strips()]


def top_line(pilot: Pilot[None]) -> str:
    return pane_lines(pilot)[0].strip()


def find_in_pane(pilot: Pilot[None], text: str) -> tuple[int, int]:
    """(x, y) widget offset of the first cell of `text` in the reading pane."""
    for y, line in enumerate(pane_lines(pilot)):
        if text in line:
            # Rendered line index 0 is at content x 0, which is widget x 1 (padding: 0 1).
            return line.index(text) + 1, y
    raise AssertionError(f"{text!r} is not on screen: {pane_lines(pilot)}")


def segments_with(pilot: Pilot[None], text: str) -> Iterator[Segment]:
    reading = pane(pilot)
    for y in range(reading.size.height):
        for segment in reading.render_line(y):
            if text in segment.text:
                yield segment


def style_of(pilot: Pilot[None], text: str) -> Style:
    found = list(segments_with(pilot, text))
    assert found, f"no segment holds {text!r}"
    style = found[0].style
    assert style is not None
    return style


def toasts(pilot: Pilot[None]) -> list[str]:
    return [str(toast.render()) for toast in pilot.app.screen.query(Toast)]


def results(pilot: Pilot[None]) -> SearchResults:
    return pilot.app.screen.query_one("#results", SearchResults)


def note(pilot: Pilot[None]) -> str:
    return str(pilot.app.screen.query_one("#note", Static).render())


def option_texts(pilot: Pilot[None]) -> list[str]:
    hits = results(pilot)
    return [plain(hits.get_option_at_index(i).prompt) for i in range(hits.option_count)]


def tree(pilot: Pilot[None]) -> SectionTree:
    return pilot.app.screen.query_one("#tree", SectionTree)


async def tab_to(pilot: Pilot[None], target: str, limit: int = 40) -> int:
    """Press Tab until the link cursor is on a link to `target`; the number of presses."""
    for presses in range(1, limit + 1):
        await pilot.press("tab")
        current = pane(pilot).current_link
        if current is not None and current.target == target:
            return presses
    raise AssertionError(f"no link to {target!r} within {limit} Tab presses")


# -- start-up ----------------------------------------------------------------------------


class TestStartUp:
    async def test_no_start_title_opens_the_termpedia_manual(self, index: Index) -> None:
        async with reader(index, None) as pilot:
            assert screen(pilot).title == "termpedia"
            assert screen(pilot).article is not None
            assert title_of(pilot) == "termpedia"
            assert top_line(pilot) == "termpedia"
            assert any(
                "offline encyclopedia for the terminal" in line for line in pane_lines(pilot)
            )
            assert focused(pilot) == pane(pilot)
            assert not results(pilot).display

    async def test_a_title_with_a_section_opens_that_article(self, index: Index) -> None:
        async with reader(index, "Permanent revolution#Origins") as pilot:
            assert screen(pilot).title == "Permanent revolution"
            assert tree(pilot).root.label.plain == "Permanent revolution"

    async def test_a_title_with_a_section_opens_at_that_section(self, index: Index) -> None:
        async with reader(index, "Permanent revolution#Origins") as pilot:
            assert screen(pilot).current_section == "origins"
            assert top_line(pilot) == "Origins"
            assert screen(pilot).sub_title == "Origins"

    async def test_the_start_of_one_heading_names_its_section(self, index: Index) -> None:
        async with reader(index, "Leon Trotsky#Exile") as pilot:
            assert screen(pilot).current_section == "exile-and-death"
            assert screen(pilot).sub_title == "Exile and death"

    async def test_an_unknown_title_opens_the_manual_and_searches_for_it(
        self, index: Index
    ) -> None:
        async with reader(index, "Radek Stalin", notifications=True) as pilot:
            assert screen(pilot).article is not None
            assert title_of(pilot) == "termpedia"
            bar = pilot.app.screen.query_one("#search", SearchBar)
            assert bar.value == "Radek Stalin"
            assert focused(pilot) == bar
            assert results(pilot).display and results(pilot).option_count > 0
            assert "sections match" in note(pilot)
            assert any("No article titled 'Radek Stalin'" in t for t in toasts(pilot))

    async def test_the_seed_shows_its_title_in_the_header_and_the_text(self, index: Index) -> None:
        async with reader(index) as pilot:
            assert screen(pilot).title == SEED
            assert SEED in screen_lines(pilot)[0]
            lines = pane_lines(pilot)
            # The line between the title and the infobox is blank (it once showed "Auth").
            assert lines[0].strip() == SEED
            assert lines[1].strip() == "", lines[1]
            assert lines[2].split() == ["Author", "Leon", "Trotsky"]


# -- the issue's scenario ----------------------------------------------------------------


class TestIssueScenario:
    async def test_search_jump_highlight_follow_back_and_forward(self, index: Index) -> None:
        async with reader(index) as pilot:
            reading = pane(pilot)
            await pilot.press("slash", *"reckless confrontations", "enter")
            await settle(pilot)

            # The search opened the section, at the top of the pane, with the focus in the text.
            assert screen(pilot).current_section == "historical-evaluation"
            assert top_line(pilot) == "Historical evaluation"
            assert screen(pilot).sub_title == "Historical evaluation"
            assert focused(pilot) == reading
            assert not results(pilot).display

            # The words are highlighted: in the model and on screen.
            blocks = [
                n for n, b in enumerate(reading.page.blocks) if b.anchor == "historical-evaluation"
            ]
            assert any(reading.page.matches.get(n) for n in blocks)
            base = reading.rich_style
            for word in ("reckless", "confrontations"):
                style = style_of(pilot, word)
                assert style.bold, word
                assert style.bgcolor is not None and style.bgcolor != base.bgcolor, word
            around = style_of(pilot, "capitalist world")
            assert not around.bold and around.bgcolor == base.bgcolor

            # Tab to the See also link and follow it.
            before = reading.scroll_y
            presses = await tab_to(pilot, "Leon Trotsky bibliography")
            assert presses == 1, "the first Tab selects the first link on screen"
            assert style_of(pilot, "Leon Trotsky bibliography").reverse, "the cursor is shown"
            await pilot.press("enter")
            await pilot.pause()
            assert screen(pilot).article is not None
            assert title_of(pilot) == "Leon Trotsky bibliography"
            assert screen(pilot).title == "Leon Trotsky bibliography"
            assert top_line(pilot) == "Leon Trotsky bibliography"
            assert reading.scroll_y == 0
            assert reading.page.matches == {}, "highlights belong to the searched section only"

            # Back restores the place and the scroll offset, forward goes again.
            await pilot.press("backspace")
            await pilot.pause()
            assert title_of(pilot) == SEED
            assert reading.scroll_y == before
            assert screen(pilot).current_section == "historical-evaluation"
            assert top_line(pilot) == "Historical evaluation"

            await pilot.press("l")
            await pilot.pause()
            assert title_of(pilot) == "Leon Trotsky bibliography"
            assert top_line(pilot) == "Leon Trotsky bibliography"

    async def test_h_also_goes_back_and_there_is_no_history_before_the_first_page(
        self, index: Index
    ) -> None:
        async with reader(index, "Karl Radek") as pilot:
            assert not screen(pilot).can_go_back
            await tab_to(pilot, "Left Opposition")
            await pilot.press("enter")
            await pilot.pause()
            assert title_of(pilot) == "Left Opposition"
            assert screen(pilot).can_go_back
            await pilot.press("h")
            await pilot.pause()
            assert title_of(pilot) == "Karl Radek"
            await pilot.press("h")
            await pilot.pause()
            assert title_of(pilot) == "Karl Radek", "nothing before the first page"
            await pilot.press("l")
            await pilot.pause()
            assert title_of(pilot) == "Left Opposition"


# -- searching ---------------------------------------------------------------------------


class TestSearchAsYouType:
    async def test_typing_shows_results_as_title_and_section(self, index: Index) -> None:
        async with reader(index) as pilot:
            assert not results(pilot).display
            await search(pilot, "reckless")
            assert results(pilot).display
            assert results(pilot).option_count > 0
            first = option_texts(pilot)[0]
            assert first.splitlines()[0] == f"{SEED} › Historical evaluation"
            assert "reckless" in first.splitlines()[1]
            assert "1 section matches" in note(pilot)
            assert focused(pilot) == pilot.app.screen.query_one("#search")
            assert title_of(pilot) == SEED, "typing alone opens nothing"

    async def test_keys_pasted_in_one_burst_after_slash_all_reach_the_search_bar(
        self, index: Index
    ) -> None:
        async with reader(index) as pilot:
            pane_before = pilot.app.screen.query_one(ReadingPane).scroll_y
            # Queued together, as a terminal delivers a paste: no pause between the keys.
            for key, char in [("slash", "/"), *((c, c) for c in "gap")]:
                pilot.app.post_message(events.Key(key, char))
            await settle(pilot)
            assert pilot.app.screen.query_one(SearchBar).value == "gap"
            assert pilot.app.screen.query_one(ReadingPane).scroll_y == pane_before, (
                "g (top) and p did not act on the page"
            )
            await pilot.press("slash", "x")
            assert pilot.app.screen.query_one(SearchBar).value == "gap/x", "/ is typed there"

    async def test_a_bracketed_paste_of_slash_and_words_goes_into_the_search_bar(
        self, index: Index
    ) -> None:
        async with reader(index) as pilot:
            pane_before = pilot.app.screen.query_one(ReadingPane).scroll_y
            # A terminal with bracketed paste sends a paste as one event, not as keys.
            pilot.app.post_message(events.Paste("/garbage collection"))
            await pilot.pause()
            bar = pilot.app.screen.query_one(SearchBar)
            assert pilot.app.focused is bar and bar.value == "garbage collection"
            assert pilot.app.screen.query_one(ReadingPane).scroll_y == pane_before
            pilot.app.post_message(events.Paste(" more\n"))
            await pilot.pause()
            assert bar.value == "garbage collection more", "a paste in the bar is the bar's"

    async def test_a_pause_in_mid_word_shows_full_results_for_its_completions(
        self, index: Index
    ) -> None:
        async with reader(index) as pilot:
            await search(pilot, "permanent rev")  # waits for the full search after the pause
            assert "Did you mean" not in note(pilot)
            assert "typing" not in note(pilot), "the full answer, not the quick one"
            first = option_texts(pilot)[0]
            assert first.splitlines()[0] == "Permanent revolution"

    @pytest.mark.parametrize(
        "query",
        ["permanent revolution", "trotsky exile", "lenin", "karl radek", "theory of history"],
    )
    async def test_a_pause_after_a_finished_query_lists_what_enter_searches(
        self, index: Index, query: str
    ) -> None:
        async with reader(index) as pilot:
            await search(pilot, query)  # search as you type, then the pause's full search
            assert "typing" not in note(pilot), "the full answer, not the quick one"
            paused = [hit.key for hit in results(pilot).hits]
            assert paused, query
            await pilot.press("enter")
            await settle(pilot)
            # Enter searched the same text and put its hits in the list, then opened the first.
            entered = [hit.key for hit in results(pilot).hits]
            assert paused == entered, query
            assert title_of(pilot) == results(pilot).hits[0].title

    async def test_a_pause_in_mid_word_never_corrects_the_word_being_typed(
        self, index: Index
    ) -> None:
        async with reader(index) as pilot:
            await search(pilot, "reckless conf")
            assert "Did you mean" not in note(pilot), note(pilot)
            await search(pilot, "reckles conf")
            assert "Did you mean: reckless conf?" in note(pilot), note(pilot)

    async def test_one_match_is_counted_in_the_singular(self, index: Index) -> None:
        async with reader(index) as pilot:
            await search(pilot, "lemberg ")
            assert "1 section matches;" in note(pilot), note(pilot)

    async def test_a_key_after_a_pause_is_answered_at_once_quick_keys_wait(
        self, index: Index
    ) -> None:
        async with reader(index) as pilot:
            screen(pilot).timing.debounce = 1.0
            await pilot.press("escape", "slash")
            screen(pilot).timing.last_keystroke = float("-inf")  # long ago
            pilot.app.post_message(events.Key("t", "t"))
            await pilot.pause(0.3)
            assert screen(pilot).last_query == "t", "answered well before the debounce"
            pilot.app.post_message(events.Key("r", "r"))
            await pilot.pause(0.3)
            assert screen(pilot).last_query == "t", "a quick second key waits"
            await pilot.pause(1.0)
            assert screen(pilot).last_query == "tr"

    async def test_a_misspelling_offers_did_you_mean(self, index: Index) -> None:
        async with reader(index) as pilot:
            await search(pilot, "trotksy")
            assert "Did you mean: trotsky?" in note(pilot)
            assert pilot.app.screen.query_one("#note").display

    async def test_down_enters_the_results_and_enter_opens_the_hit_at_its_section(
        self, index: Index
    ) -> None:
        async with reader(index, "Karl Radek") as pilot:
            await search(pilot, "reckless")
            await pilot.press("down")
            assert focused(pilot) == results(pilot)
            assert results(pilot).highlighted == 0
            await pilot.press("enter")
            await pilot.pause()
            assert title_of(pilot) == SEED
            assert screen(pilot).current_section == "historical-evaluation"
            assert top_line(pilot) == "Historical evaluation"
            assert focused(pilot) == pane(pilot)
            assert not results(pilot).display

    async def test_j_and_k_move_in_the_results(self, index: Index) -> None:
        async with reader(index) as pilot:
            await search(pilot, "lenin")
            assert results(pilot).option_count > 2
            await pilot.press("down", "j", "j", "k")
            assert results(pilot).highlighted == 1
            second = results(pilot).hits[1]
            await pilot.press("enter")
            await pilot.pause()
            assert title_of(pilot) == second.title
            assert screen(pilot).current_section == second.anchor

    async def test_escape_hides_the_results_and_returns_to_the_text(self, index: Index) -> None:
        async with reader(index) as pilot:
            await search(pilot, "radek")
            assert results(pilot).display
            await pilot.press("escape")
            assert not results(pilot).display
            assert not pilot.app.screen.query_one("#note").display
            assert focused(pilot) == pane(pilot)
            assert title_of(pilot) == SEED
            await pilot.press("j")
            assert pane(pilot).scroll_y == 1, "letter keys reach the pane again"

    async def test_the_exact_title_comes_first_and_enter_opens_its_lead(self, index: Index) -> None:
        async with reader(index) as pilot:
            await search(pilot, "Karl Radek")
            assert option_texts(pilot)[0].splitlines()[0] == "Karl Radek"
            await pilot.press("enter")
            await settle(pilot)
            assert title_of(pilot) == "Karl Radek"
            assert screen(pilot).current_section == ""
            assert pane(pilot).scroll_y == 0
            assert top_line(pilot) == "Karl Radek"
            assert focused(pilot) == pane(pilot)

    async def test_letters_in_the_search_bar_are_text_and_clearing_it_hides_the_results(
        self, index: Index
    ) -> None:
        async with reader(index) as pilot:
            await search(pilot, "qtnGj")
            assert pilot.app.is_running
            assert pilot.app.screen.query_one("#search", SearchBar).value == "qtnGj"
            assert pane(pilot).scroll_y == 0
            assert tree(pilot).has_focus is False
            await pilot.press(*["backspace"] * 5, *"lenin")
            await settle(pilot)
            assert results(pilot).display
            await pilot.press(*["backspace"] * 5)
            await settle(pilot)
            assert not results(pilot).display
            assert not pilot.app.screen.query_one("#note").display


# -- the section tree --------------------------------------------------------------------


class TestSectionTree:
    async def test_t_focuses_the_tree_and_enter_jumps_to_a_section(self, index: Index) -> None:
        async with reader(index, "Leon Trotsky") as pilot:
            sections = tree(pilot)
            assert sections.display
            labels = [str(line.node.label) for line in sections._tree_lines]
            assert labels == [
                "Leon Trotsky",
                "Early life and 1905",
                "Revolution and civil war",
                "Struggle with Stalin and exile",
                "Opposition",
                "Exile and death",
                "Legacy and interpretation",
                "See also",
            ]
            await pilot.press("t")
            assert focused(pilot) == sections
            assert sections.cursor_node is sections.root
            await pilot.press("j")
            assert sections.cursor_node.data == "early-life-and-1905"
            await pilot.press("down")
            assert sections.cursor_node.data == "revolution-and-civil-war"
            await pilot.press("k", "down", "down")
            assert sections.cursor_node.data == "struggle-with-stalin-and-exile"
            await pilot.press("enter")
            await pilot.pause()
            assert screen(pilot).current_section == "struggle-with-stalin-and-exile"
            assert top_line(pilot) == "Struggle with Stalin and exile"
            assert screen(pilot).sub_title == "Struggle with Stalin and exile"
            assert focused(pilot) == pane(pilot)

    async def test_left_collapses_a_node_and_right_expands_it(self, index: Index) -> None:
        async with reader(index, "Leon Trotsky") as pilot:
            sections = tree(pilot)
            await pilot.press("t", "j", "j", "j")
            node = sections.cursor_node
            assert node is not None and node.data == "struggle-with-stalin-and-exile"
            assert node.is_expanded and len(node.children) == 2
            rows = len(sections._tree_lines)
            await pilot.press("left")
            assert not node.is_expanded
            assert len(sections._tree_lines) == rows - 2
            await pilot.press("j")
            assert sections.cursor_node.data == "legacy-and-interpretation", "children are hidden"
            await pilot.press("k", "right")
            assert node.is_expanded
            await pilot.press("j")
            assert sections.cursor_node.data == "opposition"
            await pilot.press("left")
            assert sections.cursor_node is node, "left on a leaf goes to its parent"

    async def test_scrolling_the_pane_moves_the_tree_cursor(self, index: Index) -> None:
        async with reader(index, "Leon Trotsky") as pilot:
            sections = tree(pilot)
            await pilot.press("n")
            assert sections.cursor_node.data == "early-life-and-1905"
            await pilot.press("n", "n")
            assert screen(pilot).current_section == "struggle-with-stalin-and-exile"
            assert sections.cursor_node.data == "struggle-with-stalin-and-exile"
            await pilot.press("G")
            assert sections.cursor_node.data == screen(pilot).current_section != ""
            await pilot.press("g")
            assert sections.cursor_node is sections.root
            # Into a collapsed node: the tree expands it to show where the reader is.
            await pilot.press("t", "j", "j", "j", "left", "t")
            assert not sections.cursor_node.is_expanded
            assert focused(pilot) == pane(pilot)
            for _ in range(4):
                await pilot.press("n")
            assert screen(pilot).current_section == "opposition"
            assert sections.cursor_node.data == "opposition"
            assert sections.cursor_node.parent.is_expanded

    async def test_n_visits_every_section_in_turn(self, index: Index) -> None:
        async with reader(index, "Leon Trotsky") as pilot:
            seen = []
            for _ in range(9):
                await pilot.press("n")
                seen.append(screen(pilot).current_section)
            assert list(dict.fromkeys(seen)) == [
                "early-life-and-1905",
                "revolution-and-civil-war",
                "struggle-with-stalin-and-exile",
                "opposition",
                "exile-and-death",
                "legacy-and-interpretation",
                "see-also",
            ]
            assert tree(pilot).cursor_node.data == "see-also"


# -- reading keys ------------------------------------------------------------------------


class TestReadingKeys:
    async def test_scrolling_keys_move_the_text(self, index: Index) -> None:
        async with reader(index, "Leon Trotsky") as pilot:
            reading = pane(pilot)
            height = reading.size.height
            page, half = height - 1, height // 2
            assert reading.max_scroll_y > 2 * height, "a long article is needed"

            async def press(key: str, expected: float) -> None:
                await pilot.press(key)
                assert reading.scroll_y == expected, key

            await press("j", 1)
            await press("down", 2)
            await press("k", 1)
            await press("up", 0)
            await press("k", 0)
            await press("space", page)
            await press("b", 0)
            await press("pagedown", page)
            await press("pagedown", 2 * page)
            await press("pageup", page)
            await press("ctrl+d", page + half)
            await press("ctrl+u", page)
            await press("G", reading.max_scroll_y)
            await press("j", reading.max_scroll_y)
            await press("g", 0)
            await press("end", reading.max_scroll_y)
            assert pane_lines(pilot)[-1].strip() == "- Isaac Deutscher", "the end is on screen"
            await press("home", 0)
            # What is drawn follows the offset.
            first = pane_lines(pilot)
            await press("j", 1)
            await press("j", 2)
            await press("j", 3)
            assert pane_lines(pilot)[:-3] == first[3:]

    async def test_n_and_p_go_to_the_next_and_previous_heading(self, index: Index) -> None:
        async with reader(index, "Leon Trotsky") as pilot:
            reading = pane(pilot)
            await pilot.press("n")
            assert top_line(pilot) == "Early life and 1905"
            assert screen(pilot).sub_title == "Early life and 1905"
            await pilot.press("n")
            assert top_line(pilot) == "Revolution and civil war"
            await pilot.press("p")
            assert top_line(pilot) == "Early life and 1905"
            await pilot.press("j", "j", "p")
            assert top_line(pilot) == "Early life and 1905", "p from inside a section: its heading"
            await pilot.press("p")
            assert reading.scroll_y == 0
            assert top_line(pilot) == "Leon Trotsky"
            assert screen(pilot).sub_title == ""
            await pilot.press("p")
            assert reading.scroll_y == 0


# -- links -------------------------------------------------------------------------------


class TestLinks:
    async def test_tab_and_shift_tab_move_the_link_cursor(self, index: Index) -> None:
        async with reader(index, "Karl Radek") as pilot:
            reading = pane(pilot)
            assert reading.current_link is None
            await pilot.press("enter")
            assert title_of(pilot) == "Karl Radek", "enter with no link selected"
            await pilot.press("tab")
            assert link(pilot).target == "Left Opposition"
            await pilot.press("tab")
            assert link(pilot).target == "Leon Trotsky"
            assert style_of(pilot, "Leon Trotsky").reverse
            assert not style_of(pilot, "Left Opposition").reverse
            await pilot.press("shift+tab")
            assert link(pilot).target == "Left Opposition"
            await pilot.press("shift+tab")
            assert link(pilot).kind == "see_also", "shift+tab wraps to the last link"
            assert link(pilot).target == "Polish–Soviet War"
            assert reading.max_scroll_y == 0 or reading.scroll_y > 0, "scrolled to the cursor"

    async def test_a_link_with_a_label_opens_its_target(self, index: Index) -> None:
        async with reader(index, "Karl Radek") as pilot:
            await tab_to(pilot, "The Permanent Revolution and Results and Prospects")
            assert link(pilot).kind == "inline"
            await pilot.press("enter")
            await pilot.pause()
            assert title_of(pilot) == SEED

    async def test_a_dangling_link_looks_different_and_searches_for_its_title(
        self, fixture_index: Index
    ) -> None:
        async with reader(fixture_index, "Dangling Links", notifications=True) as pilot:
            dangling = style_of(pilot, "No Such")
            live = style_of(pilot, "Karl Radek")
            assert dangling.underline and live.underline
            assert dangling.color != live.color
            assert dangling.italic and not live.italic
            await tab_to(pilot, "No Such Article")
            await pilot.press("enter")
            await settle(pilot)
            bar = pilot.app.screen.query_one("#search", SearchBar)
            assert focused(pilot) == bar
            assert bar.value == "No Such Article"
            assert title_of(pilot) == "Dangling Links"
            assert any("No article titled 'No Such Article'" in t for t in toasts(pilot))

    async def test_a_mouse_click_on_a_link_follows_it(self, index: Index) -> None:
        async with reader(index, "Karl Radek") as pilot:
            x, y = find_in_pane(pilot, "Marxist journalist")
            await pilot.click("#reader", offset=(x + 2, y))  # plain text: nothing happens
            await pilot.pause()
            assert title_of(pilot) == "Karl Radek"
            assert pane(pilot).current_link is None
            x, y = find_in_pane(pilot, "Left Opposition")
            await pilot.click("#reader", offset=(x + 5, y))
            await pilot.pause()
            assert title_of(pilot) == "Left Opposition"
            await pilot.press("backspace")
            await pilot.pause()
            assert title_of(pilot) == "Karl Radek"

    async def test_a_click_on_either_end_of_a_link_follows_it_and_beside_it_does_not(
        self, index: Index
    ) -> None:
        async with reader(index, "Karl Radek") as pilot:
            x, y = find_in_pane(pilot, "Left Opposition")
            await pilot.click("#reader", offset=(x - 1, y))  # the space before the link
            await pilot.pause()
            assert title_of(pilot) == "Karl Radek"
            await pilot.click("#reader", offset=(x + len("Left Opposition") - 1, y))  # last "n"
            await pilot.pause()
            assert title_of(pilot) == "Left Opposition"


# -- help and quitting -------------------------------------------------------------------

CONTRACT_KEYS = [
    "/", "escape", "t", "n", "p", "backspace", "h", "l", "tab", "shift+tab", "enter",
    "j", "k", "g", "G", "space", "b", "ctrl+d", "ctrl+u", "pageup", "pagedown", "?", "q", "ctrl+p",
]  # fmt: skip
MISSING_FROM_HELP = {"h", "q", "!", "L", "H"}


async def help_keys(pilot: Pilot[None]) -> tuple[set[str], str]:
    await pilot.press("question_mark")
    await pilot.pause()
    assert isinstance(pilot.app.screen, HelpScreen)
    keys: set[str] = set()
    texts = []
    for static in pilot.app.screen.query(Static):
        text = str(static.render())
        texts.append(text)
        if "help-keys" in static.classes:
            for line in text.splitlines():
                column = re.split(r"\s{2,}", line, maxsplit=1)[0]
                keys.update(key.strip() for key in column.split(", "))
    return keys, "\n".join(texts)


class TestHelp:
    async def test_question_mark_lists_the_keys_and_escape_closes_it(self, index: Index) -> None:
        async with reader(index) as pilot:
            keys, text = await help_keys(pilot)
            assert "Keys" in text and "Reading pane" in text and "Section tree" in text
            missing = [k for k in CONTRACT_KEYS if k not in keys and k not in MISSING_FROM_HELP]
            assert missing == [], f"keys missing from the help screen: {missing}\n{text}"
            assert any("Keys   (Esc closes)" in line for line in screen_lines(pilot)), "drawn"
            await pilot.press("escape")
            await pilot.pause()
            assert isinstance(pilot.app.screen, ReaderScreen)
            assert focused(pilot) == pane(pilot)

    async def test_the_help_lists_h_for_back_and_q_for_quit(self, index: Index) -> None:
        async with reader(index) as pilot:
            keys, text = await help_keys(pilot)
            assert keys >= MISSING_FROM_HELP, text

    async def test_question_mark_and_q_close_the_help_without_quitting(self, index: Index) -> None:
        async with reader(index) as pilot:
            for key in ("question_mark", "q"):
                await pilot.press("question_mark")
                await pilot.pause()
                assert isinstance(pilot.app.screen, HelpScreen)
                await pilot.press(key)
                await pilot.pause()
                assert isinstance(pilot.app.screen, ReaderScreen), key
                assert pilot.app.is_running, key


class TestQuit:
    async def test_q_quits(self, index: Index) -> None:
        app = TermpediaApp(index, SEED)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            await pilot.press("q")
            await pilot.pause()
            assert not app.is_running
        assert app.return_code == 0
        assert app.return_value is None


# -- hostile text ------------------------------------------------------------------------


HOSTILE = "Hostile markup"


def assert_no_controls(lines: list[str]) -> None:
    for line in lines:
        assert not CONTROL.search(line), f"a control character reaches the screen: {line!r}"
        assert not any(unicodedata.category(c) == "Cc" for c in line), repr(line)


class TestHostileText:
    async def test_markup_is_shown_literally_and_controls_are_made_visible(
        self, fixture_index: Index
    ) -> None:
        async with reader(fixture_index, HOSTILE) as pilot:
            text = "\n".join(pane_lines(pilot))
            assert "[bold]x[/bold]" in text
            assert "[@click=app.quit]click[/]" in text
            assert "[link=https://x]l[/link]" in text
            assert "[bold]Key[/bold]" in text, "infobox keys too"
            assert "Heading [bold]x[/bold] ␛[31mred" in text, "headings too"
            assert "␛]0;pwned␇" in text and "␛[31mred" in text and "␀" in text
            assert "\ufffdgnirts" in text, "the bidi override is replaced"
            assert_no_controls(pane_lines(pilot))
            assert_no_controls(screen_lines(pilot))
            # The header too.
            assert "[@click=app.quit]click[/]" in screen(pilot).title
            assert "Hostile [bold]x[/bold] [@click=app.quit]click[/]" in screen_lines(pilot)[0]

    async def test_clicking_the_click_markup_in_the_text_does_not_quit(
        self, fixture_index: Index
    ) -> None:
        async with reader(fixture_index, HOSTILE) as pilot:
            for _ in range(3):
                x, y = find_in_pane(pilot, "[@click=app.quit]click[/]")
                await pilot.click("#reader", offset=(x + len("[@click=app.quit]") + 2, y))
                await pilot.pause()
                assert pilot.app.is_running
                await pilot.press("n")
            x = screen_lines(pilot)[0].index("click[/]")
            await pilot.click(offset=(x + 2, 0))  # in the header title
            await pilot.pause()
            assert pilot.app.is_running
            assert title_of(pilot).startswith("Hostile")

    async def test_tab_and_enter_around_the_markup_only_follow_real_links(
        self, fixture_index: Index
    ) -> None:
        async with reader(fixture_index, HOSTILE) as pilot:
            targets = []
            for _ in range(4):
                await pilot.press("tab")
                targets.append(link(pilot).target)
            assert targets == ["Karl Radek", "Leon Trotsky", "Karl Radek", "Karl Radek"]
            await pilot.press("tab", "enter")
            await pilot.pause()
            assert pilot.app.is_running
            assert title_of(pilot) == "Leon Trotsky"
            await pilot.press("backspace")
            await pilot.pause()
            assert title_of(pilot).startswith("Hostile")
            await pilot.press("shift+tab", "enter")
            await pilot.pause()
            assert pilot.app.is_running
            assert title_of(pilot) == "Karl Radek"

    async def test_a_search_lists_it_with_the_markup_in_the_snippet(
        self, fixture_index: Index
    ) -> None:
        async with reader(fixture_index, "Karl Radek") as pilot:
            await search(pilot, "bold")
            texts = option_texts(pilot)
            assert texts, "the hostile article matches 'bold'"
            assert texts[0].startswith("Hostile [bold]x[/bold] [@click=app.quit]click[/]")
            assert "[fixtures]" in texts[0].splitlines()[0]
            assert any("[bold]" in t.splitlines()[1] for t in texts)
            assert_no_controls([line for t in texts for line in t.splitlines()])
            assert_no_controls(screen_lines(pilot))

    async def test_the_section_tree_shows_markup_literally_and_clicking_it_is_harmless(
        self, fixture_index: Index
    ) -> None:
        async with reader(fixture_index, HOSTILE) as pilot:
            sections = tree(pilot)
            labels = [str(line.node.label) for line in sections._tree_lines]
            # The root label shows the title's markup literally; click on its "[bold]" part.
            row = next(y for y, line in enumerate(screen_lines(pilot)) if "[bold]" in line[:32])
            x = screen_lines(pilot)[row].index("[bold]")
            await pilot.click(offset=(x + 1, row))
            await pilot.pause()
            assert pilot.app.is_running, "clicking a heading in the tree quit the app"
            assert labels[1] == "Heading [bold]x[/bold] ␛[31mred"

    async def test_a_heading_with_a_stray_closing_tag_opens(self, fixture_index: Index) -> None:
        async with reader(fixture_index, "Stray heading") as pilot:
            assert pilot.app.is_running
            assert "A stray [/] closing tag" in "\n".join(pane_lines(pilot))

    async def test_a_dangling_link_with_a_stray_closing_tag_is_harmless(
        self, fixture_index: Index
    ) -> None:
        async with reader(fixture_index, "Stray link", notifications=True) as pilot:
            await tab_to(pilot, "Nowhere [/bold] page")
            await pilot.press("enter")
            await settle(pilot)
            await pilot.pause(0.05)
            assert pilot.app.is_running
            assert pilot.app.screen.query_one("#search", SearchBar).value == "Nowhere [/bold] page"
            assert any("Nowhere [/bold] page" in t for t in toasts(pilot))

    async def test_an_unknown_start_title_with_markup_is_shown_literally(
        self, fixture_index: Index
    ) -> None:
        async with reader(fixture_index, "Oops [/bold] page", notifications=True) as pilot:
            await pilot.pause(0.05)
            assert pilot.app.is_running
            assert any("Oops [/bold] page" in t for t in toasts(pilot))

    async def test_the_command_palette_lists_a_hostile_title_literally(
        self, fixture_index: Index
    ) -> None:
        async with reader(fixture_index, "Karl Radek") as pilot:
            await pilot.press("ctrl+p")
            await pilot.pause()
            await pilot.press(*"hostile")
            prompts = await palette_prompts(pilot)
            literal = "Hostile [bold]x[/bold] [@click=app.quit]"
            assert any(p.startswith(literal) for p in prompts), prompts


# -- terminal width ----------------------------------------------------------------------


class TestNarrowTerminal:
    async def test_a_narrow_terminal_hides_the_tree_until_t(self, index: Index) -> None:
        async with reader(index, "Leon Trotsky", size=(80, 24)) as pilot:
            sections = tree(pilot)
            assert not sections.display
            assert not any("Early life and 1905" in line for line in screen_lines(pilot))
            reading = pane(pilot)
            assert reading.size.width > 70, "the pane takes the whole width"
            await pilot.press("t")
            assert sections.display
            assert focused(pilot) == sections
            assert any("Early life and 1905" in line for line in screen_lines(pilot))
            await pilot.press("j", "enter")
            await pilot.pause()
            assert screen(pilot).current_section == "early-life-and-1905"
            assert top_line(pilot) == "Early life and 1905"

    async def test_a_wide_terminal_shows_the_tree(self, index: Index) -> None:
        async with reader(index, "Leon Trotsky", size=(120, 30)) as pilot:
            sections = tree(pilot)
            assert sections.display
            assert any(line.startswith("├── Early life and 1905") for line in screen_lines(pilot))
            assert focused(pilot) == pane(pilot)
            await pilot.press("t")
            assert focused(pilot) == sections
            await pilot.press("t")
            assert sections.display and focused(pilot) == pane(pilot)

    async def test_the_text_rewraps_when_the_terminal_is_resized(self, index: Index) -> None:
        async with reader(index, "Leon Trotsky", size=(120, 30)) as pilot:
            await pilot.press("n", "n")
            assert top_line(pilot) == "Revolution and civil war"
            await pilot.resize_terminal(80, 24)
            await pilot.pause()
            assert not tree(pilot).display
            assert top_line(pilot) == "Revolution and civil war", "the section stays on top"
            await pilot.resize_terminal(120, 30)
            await pilot.pause()
            assert tree(pilot).display
            assert top_line(pilot) == "Revolution and civil war"

    async def test_t_again_hides_the_tree_and_returns_to_the_text(self, index: Index) -> None:
        async with reader(index, "Leon Trotsky", size=(80, 24)) as pilot:
            await pilot.press("t")
            assert tree(pilot).display
            await pilot.press("t")
            assert not tree(pilot).display
            assert focused(pilot) == pane(pilot)
            await pilot.press("j")
            assert pane(pilot).scroll_y == 1


# -- command palette ---------------------------------------------------------------------


async def palette_prompts(pilot: Pilot[None]) -> list[str]:
    """The palette's options once its search has settled."""
    prompts: list[str] = []
    for _ in range(40):
        await pilot.pause(0.05)
        palette = pilot.app.screen
        assert isinstance(palette, CommandPalette)
        commands = palette.query_one(CommandList)
        now = [plain(commands.get_option_at_index(i).prompt) for i in range(commands.option_count)]
        if now and now == prompts:
            return now
        prompts = now
    return prompts


class TestCommandPalette:
    async def test_ctrl_p_finds_a_title_and_enter_opens_it(self, index: Index) -> None:
        async with reader(index) as pilot:
            await pilot.press("ctrl+p")
            await pilot.pause()
            assert isinstance(pilot.app.screen, CommandPalette)
            await pilot.press(*"radek")
            prompts = await palette_prompts(pilot)
            assert prompts and prompts[0].splitlines()[0] == "Karl Radek"
            await pilot.press("enter")
            await pilot.pause()
            assert title_of(pilot) == "Karl Radek"
            assert top_line(pilot) == "Karl Radek"
            await pilot.press("backspace")
            await pilot.pause()
            assert title_of(pilot) == SEED

    async def test_the_palette_puts_the_exact_title_first(self, index: Index) -> None:
        async with reader(index) as pilot:
            await pilot.press("ctrl+p")
            await pilot.pause()
            await pilot.press(*"Leon Trotsky")
            prompts = await palette_prompts(pilot)
            assert prompts[0].splitlines()[0] == "Leon Trotsky"
            assert any(p.startswith("Leon Trotsky bibliography") for p in prompts)
