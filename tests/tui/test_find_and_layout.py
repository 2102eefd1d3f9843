"""Find in page on huge articles, the first paint, cut tree labels, hanging indents in the
help screen and a footer that shows only whole keys: Pilot tests of what the reader sees."""

from __future__ import annotations

import asyncio
import random
import re
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import pytest
from rich.cells import cell_len
from textual.geometry import Region
from textual.pilot import Pilot
from textual.strip import Strip
from textual.widgets import Static
from textual.widgets._footer import FooterKey

from termpedia.content.library import load_article
from termpedia.index.search import Index
from termpedia.tui.app import TermpediaApp
from termpedia.tui.screens.help import HelpScreen
from termpedia.tui.screens.reader import ReaderScreen
from termpedia.tui.services import Services
from termpedia.tui.state import ReaderState
from termpedia.tui.widgets import find as find_module
from termpedia.tui.widgets import page as page_module
from termpedia.tui.widgets.find import SEPARATOR, Finder, Matches, occurrences, offsets_of
from termpedia.tui.widgets.find_bar import FindBar
from termpedia.tui.widgets.layout import blocks_of
from termpedia.tui.widgets.reading_pane import ReadingPane
from termpedia.tui.widgets.section_tree import SectionTree

SEED = "The Permanent Revolution and Results and Prospects"
KEYSTROKE_BUDGET = 0.2
"""Seconds from a key typed into the find bar to its exact count on screen."""

# -- articles ------------------------------------------------------------------------------

WORDS = ["example", "text", "extra", "index", "lexicon", "word", "alpha", "beta", "max", "ox"]


def long_line_article() -> str:
    """One line of about 1 MB of words (80,000+ of them hold an `x`)."""
    chooser = random.Random(1905)
    words: list[str] = []
    size = 0
    while size < 1_000_000:
        word = chooser.choice(WORDS)
        words.append(word)
        size += len(word) + 1
    return "= Long line =\n\n" + " ".join(words) + "\n\n== After ==\nThe end.\n"


def many_headings_article(count: int = 10_000) -> str:
    body = "".join(f"== Chapter {n} ==\nText {n}, an example of an index.\n" for n in range(count))
    return "= Ten Thousand Headings =\n\nLead of the example.\n\n" + body


@pytest.fixture(scope="module")
def huge_files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("huge")
    files = {"long": long_line_article(), "headings": many_headings_article()}
    paths = {}
    for name, text in files.items():
        paths[name] = folder / f"{name}.txt"
        paths[name].write_text(text, encoding="utf-8")
    return paths


@asynccontextmanager
async def opened(
    bundled_index: Path,
    file: Path | None = None,
    start: str | None = None,
    size: tuple[int, int] = (100, 30),
) -> AsyncIterator[Pilot[None]]:
    """The app as `termpedia FILE` (or `termpedia TITLE`) opens it."""
    made = Services(ReaderState.load(private=True), index_root=bundled_index)
    app = TermpediaApp(Index(bundled_index), start, file=file, services=made)
    app._fatal_error = app._close_messages_no_wait  # type: ignore[method-assign]
    async with app.run_test(size=size) as pilot:
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        yield pilot


def reader_screen(pilot: Pilot[None]) -> ReaderScreen:
    current = pilot.app.screen
    assert isinstance(current, ReaderScreen), current
    return current


def count_text(pilot: Pilot[None]) -> str:
    return str(reader_screen(pilot).query_one("#find-count", Static).render())


def screen_lines(pilot: Pilot[None]) -> list[str]:
    return [strip.text for strip in pilot.app.screen._compositor.render_strips()]


def expected_count(path: Path, needle: str) -> int:
    """str.count on the casefolded text of every block the pane shows."""
    blocks = blocks_of(load_article(path))
    return sum(block.text.casefold().count(needle.casefold()) for block in blocks)


# -- 1. find in page on huge articles ------------------------------------------------------


class TestFindOnHugeArticles:
    @pytest.mark.parametrize("name", ["long", "headings"])
    async def test_each_key_typed_into_find_shows_the_exact_count_within_0_2_s(
        self, bundled_index: Path, huge_files: dict[str, Path], name: str
    ) -> None:
        path = huge_files[name]
        timings: list[float] = []
        shown_after: list[float] = []
        async with opened(bundled_index, path) as pilot:
            await pilot.press("ctrl+f")
            await pilot.pause()
            typed = ""
            for key in "exa":
                typed += key
                total = expected_count(path, typed)
                assert total > 1000, (typed, total)
                wanted = re.compile(rf"^\d+ of {total:,}$")

                async def count_shown(wanted: re.Pattern[str] = wanted) -> float:
                    while not wanted.match(count_text(pilot)):
                        await asyncio.sleep(0.002)
                    return time.perf_counter()

                started = time.perf_counter()
                watcher = asyncio.create_task(count_shown())
                await pilot.press(key)
                while not wanted.match(count_text(pilot)):
                    assert time.perf_counter() - started < 5, (typed, count_text(pilot))
                    await pilot.pause(0.01)
                timings.append(time.perf_counter() - started)
                shown_after.append(await watcher - started)
            print(
                f"\n{name}: key to exact count {[f'{t * 1000:.0f} ms' for t in shown_after]}; "
                f"with Pilot's press {[f'{t * 1000:.0f} ms' for t in timings]}"
            )
            # From the key's arrival to the exact count on screen (Pilot's own press, which
            # waits for the app to go idle, adds up to 100 ms on a loaded machine).
            assert max(shown_after) < KEYSTROKE_BUDGET, (shown_after, timings)
            assert reader_screen(pilot).query_one(FindBar).value == "exa"
            # Stepping stays quick and counts from the current match.
            started = time.perf_counter()
            await pilot.press("enter", "enter", "up")
            assert count_text(pilot).startswith("2 of "), count_text(pilot)
            assert time.perf_counter() - started < KEYSTROKE_BUDGET * 3

    async def test_keys_typed_in_a_burst_all_reach_the_find_bar_and_the_count_is_exact(
        self, bundled_index: Path, huge_files: dict[str, Path]
    ) -> None:
        path = huge_files["long"]
        async with opened(bundled_index, path) as pilot:
            await pilot.press("ctrl+f", *"ex", "backspace", "x", "t")
            await pilot.app.workers.wait_for_complete()
            await pilot.pause()
            assert reader_screen(pilot).query_one(FindBar).value == "ext"
            assert count_text(pilot) == f"1 of {expected_count(path, 'ext'):,}"

    async def test_the_last_match_of_a_huge_line_is_drawn_as_the_current_one(
        self, bundled_index: Path, huge_files: dict[str, Path]
    ) -> None:
        path = huge_files["long"]
        async with opened(bundled_index, path) as pilot:
            await pilot.press("ctrl+f", *"lexicon")
            await pilot.app.workers.wait_for_complete()
            await pilot.pause()
            total = expected_count(path, "lexicon")
            await pilot.press("up")  # from the first match back to the last
            await pilot.pause()
            assert count_text(pilot) == f"{total:,} of {total:,}"
            pane = reader_screen(pilot).query_one(ReadingPane)
            assert pane.scroll_y > pane.max_scroll_y - pane.size.height
            current = [
                segment.text
                for y in range(pane.size.height)
                for segment in pane.render_line(y)
                if segment.style is not None and segment.style.reverse
            ]
            assert current == ["lexicon"], current

    async def test_a_long_count_shows_its_progress_then_the_exact_total(
        self,
        bundled_index: Path,
        huge_files: dict[str, Path],
        monkeypatch: pytest.MonkeyPatch,
    ) -> None:
        # Small windows and no delay before reports: the count is shown many times as it grows.
        monkeypatch.setattr(find_module, "WINDOW", 4096)
        monkeypatch.setattr(find_module, "FIRST_REPORT", 0.0)
        monkeypatch.setattr(find_module, "REPORT_EVERY", 0.0)
        path = huge_files["long"]
        async with opened(bundled_index, path) as pilot:
            count = reader_screen(pilot).query_one("#find-count", Static)
            shown: list[str] = []
            update = count.update
            monkeypatch.setattr(count, "update", lambda label: (shown.append(label), update(label)))
            await pilot.press("ctrl+f", "x")
            await pilot.app.workers.wait_for_complete()
            await pilot.pause()
            total = expected_count(path, "x")
            assert shown[-1] == f"1 of {total:,}"
            growing = [label for label in shown if label.endswith("+")]
            assert len(growing) > 5, shown[:10]
            assert all(re.fullmatch(r"1 of [\d,]+\+", label) for label in growing), growing[:5]
            numbers = [int(label[5:-1].replace(",", "")) for label in growing]
            assert numbers == sorted(numbers) and numbers[0] < total and numbers[-1] <= total


class TestFindIndex:
    """The find module alone: offsets as str.count counts them, looked up by bisection."""

    @pytest.mark.parametrize(
        ("haystack", "needle"),
        [
            ("aaaaaaa" * 3000, "aa"),
            ("aaaaaaa" * 3000, "aaa"),
            ("abcab" * 10_000, "cab"),
            ("x" * 5, "xxxxxx"),
            ("", "a"),
            ("ab" * 40_000 + "a", "ba"),
        ],
    )
    def test_occurrences_are_what_str_count_counts_across_windows(
        self, haystack: str, needle: str, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        expected = []
        start = haystack.find(needle)
        while start >= 0:
            expected.append(start)
            start = haystack.find(needle, start + len(needle))
        for window in (7, 1000, 65_536):
            monkeypatch.setattr(find_module, "WINDOW", window)
            found = [offset for batch in occurrences(haystack, needle) for offset in batch]
            assert found == expected, window
            assert len(found) == haystack.count(needle)

    def test_matches_answer_by_block_and_row(self) -> None:
        texts = ["title", "an ex and ex", "", "no", "ex"]
        offsets = offsets_of(texts)
        joined = SEPARATOR.join(texts)
        assert [joined[o : o + len(t)] for o, t in zip(offsets, texts, strict=True)] == texts
        matches = Matches(2, offsets)
        matches.add([o for batch in occurrences(joined, "ex") for o in batch])
        assert matches.total == 3
        assert [matches.at(i) for i in range(3)] == [(1, 3), (1, 10), (4, 0)]
        assert matches.index_from(0, 0) == 0
        assert matches.index_from(1, 4) == 1
        assert matches.index_from(2, 0) == 2
        assert matches.index_from(4, 1) == 3
        assert matches.index_from(9, 0) == 3
        assert list(matches.in_row(1, 0, 4)) == [(0, 3)], "a match running off the row's end"
        assert list(matches.in_row(1, 4, 11)) == [(0, 3), (1, 10)], "and onto the next row"
        assert list(matches.in_row(1, 5, 10)) == []
        assert list(matches.in_row(3, 0, 2)) == []


class TestFinder:
    """The find-in-page state alone: stale batches, the first match shown, stepping round."""

    TEXTS = ["title", "an ex and ex", "", "no", "ex"]

    def test_a_batch_of_an_older_find_is_dropped(self) -> None:
        finder = Finder()
        needle = finder.begin("EX", offsets_of(self.TEXTS))
        assert needle == "ex"
        old = finder.generation
        finder.begin("ex", offsets_of(self.TEXTS))
        assert not finder.add(old, [1, 2, 3], done=True)
        assert finder.count() == (0, 0, False)

    def test_the_first_match_below_the_top_is_shown_then_steps_go_round(self) -> None:
        finder = Finder()
        finder.begin("ex", offsets_of(self.TEXTS))
        assert finder.add(finder.generation, finder.find_now("ex", self.TEXTS), done=True)
        assert finder.count() == (0, 3, True)
        assert finder.first_to_show(1) == 1
        assert finder.first_to_show(3) == 0, "none below the top: the first of all"
        finder.current = 2
        assert finder.first_to_show(0) is None, "one is current already"
        assert finder.step(1, 0) == 0 and finder.step(-1, 0) == 1
        assert finder.count() == (3, 3, True)

    def test_while_counting_the_top_waits_for_a_match_below_it(self) -> None:
        finder = Finder()
        finder.begin("ex", offsets_of(self.TEXTS))
        finder.add(finder.generation, [9], done=False)
        assert finder.first_to_show(1) is None, "more may come below the top"

    def test_a_needle_across_blocks_finds_nothing(self) -> None:
        finder = Finder()
        assert finder.begin(f"ex{SEPARATOR}an", offsets_of(self.TEXTS)) == ""
        assert finder.find_now("", self.TEXTS) == []


# -- 2. the first paint --------------------------------------------------------------------


class TestFirstPaint:
    @pytest.mark.parametrize("size", [(100, 30), (80, 24)])
    async def test_the_text_is_only_ever_laid_out_at_the_final_width(
        self,
        bundled_index: Path,
        huge_files: dict[str, Path],
        monkeypatch: pytest.MonkeyPatch,
        size: tuple[int, int],
    ) -> None:
        widths: list[int] = []
        real_layout = page_module.layout

        def recording_layout(blocks: list[object], width: int) -> object:
            widths.append(width)
            return real_layout(blocks, width)  # type: ignore[arg-type]

        frames: list[list[str]] = []
        real_render_lines = ReadingPane.render_lines

        def recording_render_lines(pane: ReadingPane, crop: Region) -> list[Strip]:
            strips = real_render_lines(pane, crop)
            frames.append([strip.text.strip() for strip in strips])
            return strips

        monkeypatch.setattr(page_module, "layout", recording_layout)
        monkeypatch.setattr(ReadingPane, "render_lines", recording_render_lines)
        async with opened(bundled_index, huge_files["headings"], size=size) as pilot:
            pane = reader_screen(pilot).query_one(ReadingPane)
            final = pane.column_width
            assert final > 40
            assert widths and set(widths) == {final}, widths
            assert frames[0][:3] == ["Ten Thousand Headings", "", "Lead of the example."], (
                "the first frame shows the text at its final width"
            )


# -- 3. section-tree labels ----------------------------------------------------------------


CUT_HEADINGS = (
    "= Cut labels =\n\nLead.\n\n"
    "== A heading much too long for the section tree to show whole ==\nText.\n\n"
    "=== 中文字中文字中文字中文字中文字中文字中文字 ===\nWide.\n\n"
    "== Short ==\nText.\n"
)


def tree_lines(tree: SectionTree) -> list[tuple[str, str]]:
    """(line as drawn, full label) for every line of the tree on screen."""
    shown = []
    for y in range(tree.size.height):
        node = tree.get_node_at_line(int(tree.scroll_y) + y)
        if node is not None:
            shown.append((tree.render_line(y).text.rstrip(), node.label.plain))
    return shown


def assert_cut_with_ellipsis(tree: SectionTree) -> int:
    """Every label is whole or ends with `…` where it was cut; how many were cut."""
    cut = 0
    width = tree.scrollable_content_region.width
    for line, full in tree_lines(tree):
        assert cell_len(line) <= width, (line, width)
        if full in line:
            continue
        assert line.endswith("…"), f"cut without an ellipsis: {line!r}"
        kept = line[:-1]
        assert any(full.startswith(kept[i:]) for i in range(len(kept)) if kept[i:].strip()), (
            line,
            full,
        )
        cut += 1
    return cut


class TestSectionTreeLabels:
    async def test_a_long_title_in_the_tree_ends_with_an_ellipsis(
        self, bundled_index: Path
    ) -> None:
        async with opened(bundled_index, start=SEED) as pilot:
            tree = reader_screen(pilot).query_one(SectionTree)
            assert assert_cut_with_ellipsis(tree) >= 1

    async def test_wide_characters_are_cut_by_cells_and_the_tooltip_shows_the_whole_heading(
        self, bundled_index: Path, tmp_path: Path
    ) -> None:
        path = tmp_path / "cut.txt"
        path.write_text(CUT_HEADINGS, encoding="utf-8")
        async with opened(bundled_index, path) as pilot:
            tree = reader_screen(pilot).query_one(SectionTree)
            assert assert_cut_with_ellipsis(tree) == 2
            await pilot.press("t", "j")
            await pilot.pause()
            assert tree.cursor_node is not None
            assert tree.tooltip == "A heading much too long for the section tree to show whole"
            await pilot.press("j")
            await pilot.pause()
            assert tree.tooltip == "中文字" * 7
            await pilot.press("j")
            await pilot.pause()
            assert tree.tooltip is None, "a whole label needs no tooltip"

    async def test_a_wider_tree_cuts_the_labels_again(
        self, bundled_index: Path, tmp_path: Path
    ) -> None:
        path = tmp_path / "cut.txt"
        path.write_text(CUT_HEADINGS, encoding="utf-8")
        async with opened(bundled_index, path, size=(140, 30)) as pilot:
            tree = reader_screen(pilot).query_one(SectionTree)
            assert assert_cut_with_ellipsis(tree) == 2
            tree.styles.width = 80
            await pilot.pause()
            await pilot.pause()
            assert assert_cut_with_ellipsis(tree) == 0
            tree.styles.width = 24
            await pilot.pause()
            await pilot.pause()
            assert assert_cut_with_ellipsis(tree) >= 2


# -- 4. the help screen's hanging indent ---------------------------------------------------


class TestHelpHangingIndent:
    async def test_a_wrapped_description_continues_under_the_description_column(
        self, bundled_index: Path
    ) -> None:
        async with opened(bundled_index, start=SEED, size=(60, 100)) as pilot:
            await pilot.press("question_mark")
            await pilot.pause()
            assert isinstance(pilot.app.screen, HelpScreen)
            lines = screen_lines(pilot)
            number = next(n for n, line in enumerate(lines) if "Command palette" in line)
            line, after = lines[number], lines[number + 1]
            keys_at, text_at = line.index("ctrl+p"), line.index("Command palette")
            assert keys_at < text_at
            assert after[keys_at:text_at].strip() == "", f"not indented:\n{line}\n{after}"
            assert after[text_at] != " ", f"the continuation is not under the text:\n{after}"


# -- 5. the footer -------------------------------------------------------------------------


class TestFooter:
    @pytest.mark.parametrize("size", [(80, 24), (120, 40)])
    async def test_the_footer_shows_only_whole_keys(
        self, bundled_index: Path, size: tuple[int, int]
    ) -> None:
        async with opened(bundled_index, start=SEED, size=size) as pilot:
            footer_line = screen_lines(pilot)[-1]
            keys = list(reader_screen(pilot).query(FooterKey))
            shown = [key for key in keys if key.display]
            assert shown, footer_line
            for key in shown:
                assert f"{key.key_display} {key.description}" in footer_line, footer_line
            descriptions = [key.description for key in shown]
            assert "Search" in descriptions, "the first key is always there"
            if size[0] >= 120:
                assert "Quit" in descriptions, "nothing is dropped when everything fits"

    async def test_a_resize_drops_and_brings_back_keys(self, bundled_index: Path) -> None:
        async with opened(bundled_index, start=SEED, size=(120, 40)) as pilot:

            def shown() -> list[str]:
                return [k.description for k in reader_screen(pilot).query(FooterKey) if k.display]

            wide = shown()
            assert "Quit" in wide
            await pilot.resize_terminal(60, 24)
            await pilot.pause()
            narrow = shown()
            assert narrow == wide[: len(narrow) - 1] + ["palette"] and "Quit" not in narrow
            footer_line = screen_lines(pilot)[-1]
            for key in reader_screen(pilot).query(FooterKey):
                if key.display:
                    assert f"{key.key_display} {key.description}" in footer_line, footer_line
            await pilot.resize_terminal(120, 40)
            await pilot.pause()
            assert shown() == wide


class TestFindCountFits:
    async def test_a_long_count_is_shown_whole_beside_the_find_bar(
        self, bundled_index: Path, huge_files: dict[str, Path]
    ) -> None:
        path = huge_files["long"]
        async with opened(bundled_index, path, size=(80, 24)) as pilot:
            await pilot.press("ctrl+f", "e")
            await pilot.app.workers.wait_for_complete()
            await pilot.press("up")  # the last match: the longest position
            total = f"{expected_count(path, 'e'):,}"
            assert count_text(pilot) == f"{total} of {total}"
            assert any(f"{total} of {total}" in line for line in screen_lines(pilot))
