"""Chinese text on an 80x24 screen, under Pilot: the reading column wraps it between
characters (never starting a row with a closing mark), the section tree cuts a long heading
by cells, a table of Chinese cells keeps its columns aligned in double-width cells, and the
search results wrap a snippet of Chinese inside their box with the match highlighted.

The library is the Chinese fixture library (tests/fixtures/cjk/zh) with one more article
written here: a long heading and a table of Chinese cells."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import pytest
from conftest import FIXTURES
from rich.cells import cell_len
from textual.pilot import Pilot
from textual.strip import Strip

from termpedia.content.library import Shelf
from termpedia.content.tables import SEPARATOR
from termpedia.index.build import update
from termpedia.index.search import Index
from termpedia.tui.app import TermpediaApp
from termpedia.tui.screens.reader import ReaderScreen
from termpedia.tui.widgets.layout import CLOSING, OPENING
from termpedia.tui.widgets.reading_pane import ReadingPane
from termpedia.tui.widgets.search_results import SearchResults
from termpedia.tui.widgets.section_tree import SectionTree

CHINESE = FIXTURES / "cjk" / "zh"
BEIJING_LEAD = "北京是中华人民共和国的首都，也是全国的政治和文化中心。这座城市位于华北平原的北端。"
LONG_HEADING = "从战国时代的诸侯城墙到秦始皇统一六国以后连接起来的万里长城"
NAMED = "The Great Wall 的名称来自十八世纪的欧洲旅行者，他们把这道城墙叫做伟大的墙。"
"""Latin words, then a clause of Chinese that fits a row of the results alone but not after
them (Textual, which wraps at spaces only, would move it whole to the next row)."""
LENGTH = "两万一千多公里，东起辽宁的虎山，西至新疆的罗布泊，经过十五个省、自治区和直辖市"
"""An infobox value that wraps: its rows line up under it, after keys of wide characters."""
HISTORY = f"""= 长城的历史 =

长城的历史
- 朝代: 秦朝、汉朝、明朝
- 长度: {LENGTH}
- Length: 21,196 km

长城是中国古代修建的军事防御工程，东起山海关，西至嘉峪关，绵延在华北和西北的山脊与沙漠之间。

=={LONG_HEADING}==
战国时期，燕、赵、秦等国各自修筑城墙。秦始皇统一六国以后，把这些城墙连接起来，形成了「万里长城」的雏形。

==各朝代修建的长度==
| 朝代 | 修建年代 | 长度（公里） | 主要材料 |
|---|---|---:|---|
| 秦朝 | 公元前221年 | 5000 | 夯土 |
| 汉朝 | 公元前206年 | 10000 | 夯土与芦苇 |
| 明朝 | 1368年 | 8851 | 砖石 |

===明朝的砖墙===
明朝大规模重修长城，今天看到的砖墙多半是那时留下的。

==名称==
{NAMED}
"""
BAR = SEPARATOR.strip()


@pytest.fixture(scope="module")
def chinese_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    extra = tmp_path_factory.mktemp("wide")
    (extra / "greatwall-history.txt").write_text(HISTORY, encoding="utf-8")
    root = tmp_path_factory.mktemp("chinese-index")
    shelves = [Shelf("zh", CHINESE, language="zh"), Shelf("wide", extra, language="zh")]
    assert update(root, shelves).problems == []
    return root


@asynccontextmanager
async def reader(root: Path, start: str) -> AsyncIterator[Pilot[None]]:
    app = TermpediaApp(Index(root), start)
    app._fatal_error = app._close_messages_no_wait  # type: ignore[method-assign]
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        yield pilot


def screen_of(pilot: Pilot[None]) -> ReaderScreen:
    screen = pilot.app.screen
    assert isinstance(screen, ReaderScreen)
    return screen


def pane(pilot: Pilot[None]) -> ReadingPane:
    return screen_of(pilot).query_one("#reader", ReadingPane)


def pane_lines(pilot: Pilot[None]) -> list[str]:
    """The pane's lines as drawn, less the blank cell each starts with."""
    reading = pane(pilot)
    return [reading.render_line(y).text[1:].rstrip() for y in range(reading.size.height)]


def rows_of(lines: list[str], text: str) -> list[str]:
    """The consecutive lines that show `text` (a paragraph), stripped."""
    stripped = [line.strip() for line in lines]
    for first in range(len(stripped)):
        rows, shown = [], ""
        for line in stripped[first:]:
            if not line or not text.startswith(shown + line):
                break
            rows.append(line)
            shown += line
        if shown == text:
            return rows
    raise AssertionError(f"{text!r} is not on consecutive lines of {stripped}")


def assert_wrapped_between_characters(rows: list[str], width: int) -> None:
    """Rows of a paragraph without spaces: each within `width` cells; each row but the last
    full but for one character moved down with a closing mark (or a wide one that does not
    fit); no row starting with a closing mark or ending with an opening one."""
    for number, row in enumerate(rows):
        assert cell_len(row) <= width, (row, width)
        assert row[0] not in CLOSING, f"row {number} starts with a closing mark: {rows}"
        assert row[-1] not in OPENING, f"row {number} ends with an opening mark: {rows}"
        if number + 1 < len(rows):
            room = width - cell_len(row)
            following = rows[number + 1]
            moved_down = following[1] in CLOSING and room < cell_len(following[:2])
            assert room < cell_len(following[0]) or moved_down, f"row {number} breaks early: {rows}"


class TestReadingColumn:
    async def test_a_chinese_paragraph_wraps_between_characters_inside_the_column(
        self, chinese_index: Path
    ) -> None:
        async with reader(chinese_index, "北京") as pilot:
            width = pane(pilot).column_width
            lines = pane_lines(pilot)
            assert all(cell_len(line) <= width for line in lines), (width, lines)
            rows = rows_of(lines, BEIJING_LEAD)
            assert len(rows) == 2
            # The first row is as full as double-width characters make it.
            assert cell_len(rows[0]) in (width, width - 1), (rows, width)
            assert "".join(rows) == BEIJING_LEAD
            assert_wrapped_between_characters(rows, width)

    async def test_a_closing_mark_never_starts_a_row(
        self, chinese_index: Path, tmp_path: Path
    ) -> None:
        async with reader(chinese_index, "北京") as pilot:
            width = pane(pilot).column_width
            per_row = width // 2
            # A comma right where the first row would end: the character before it goes
            # down with it, so the second row does not start with `，`.
            text = "城" * per_row + "，" + "墙" * (per_row - 3) + "。「长城」在北方。"
            path = tmp_path / "commas.txt"
            path.write_text(f"= 逗号 =\n\n{text}\n", encoding="utf-8")
            screen_of(pilot).open_file(path)
            await pilot.pause()
            rows = rows_of(pane_lines(pilot), text)
            assert rows[0] == "城" * (per_row - 1)
            assert rows[1].startswith("城，")
            assert_wrapped_between_characters(rows, width)

    async def test_chinese_after_latin_words_fills_their_row(
        self, chinese_index: Path, tmp_path: Path
    ) -> None:
        async with reader(chinese_index, "北京") as pilot:
            width = pane(pilot).column_width
            text = "Leon Trotsky " + "在一九二九年被驱逐出境，后来住在土耳其的王子岛上写作。" * 3
            path = tmp_path / "mixed.txt"
            path.write_text(f"= Mixed =\n\n{text}\n", encoding="utf-8")
            screen_of(pilot).open_file(path)
            await pilot.pause()
            lines = [line.strip() for line in pane_lines(pilot)]
            first = next(line for line in lines if line.startswith("Leon Trotsky"))
            # The run of Chinese starts on the row of the Latin words, not on a row of its own.
            assert first.startswith("Leon Trotsky 在一九二九年"), lines
            assert width - 1 <= cell_len(first) <= width, (first, width)

    async def test_infobox_values_line_up_after_keys_of_wide_characters(
        self, chinese_index: Path
    ) -> None:
        async with reader(chinese_index, "长城的历史") as pilot:
            width = pane(pilot).column_width
            lines = pane_lines(pilot)
            assert all(cell_len(line) <= width for line in lines), (width, lines)
            keyed = {
                key: next(line for line in lines if line.startswith(key))
                for key in ("朝代", "长度", "Length")
            }
            values = {"朝代": "秦朝", "长度": LENGTH[:4], "Length": "21,196"}
            starts = {key: cell_len(line[: line.index(values[key])]) for key, line in keyed.items()}
            goes_on = lines[lines.index(keyed["长度"]) + 1]
            starts["(wrapped)"] = len(goes_on) - len(goes_on.lstrip())
            assert len(set(starts.values())) == 1, (starts, lines)
            # The value is whole on its two rows, wrapped between two characters.
            assert keyed["长度"].split(maxsplit=1)[1] + goes_on.strip() == LENGTH, lines


class TestSectionTree:
    async def test_a_long_chinese_heading_is_cut_with_an_ellipsis_at_the_trees_width(
        self, chinese_index: Path
    ) -> None:
        async with reader(chinese_index, "长城的历史") as pilot:
            await pilot.press("t")
            await pilot.pause()
            tree = screen_of(pilot).query_one("#tree", SectionTree)
            width = tree.scrollable_content_region.width
            labels, nodes = {}, {}
            for y in range(tree.size.height):
                node = tree.get_node_at_line(int(tree.scroll_y) + y)
                if node is not None:
                    labels[str(node.label)] = tree.render_line(y).text.rstrip()
                    nodes[str(node.label)] = node
            line = labels[LONG_HEADING]
            assert cell_len(line) <= width, (line, width)
            assert line.endswith("…"), line
            kept = line[: -len("…")].split(" ")[-1]
            assert kept and LONG_HEADING.startswith(kept), (line, kept)
            # Cut at the width: the next character (two cells) would not have fitted.
            assert width - cell_len(line) < 2, (line, width)
            # Short headings are whole, at the same guides' depth.
            assert labels["各朝代修建的长度"].endswith("各朝代修建的长度")
            assert labels["明朝的砖墙"].endswith("明朝的砖墙")
            assert tree.is_cut(nodes[LONG_HEADING])
            assert not tree.is_cut(nodes["明朝的砖墙"])


class TestTable:
    async def test_a_table_of_chinese_cells_is_aligned_in_double_width_cells(
        self, chinese_index: Path
    ) -> None:
        async with reader(chinese_index, "长城的历史#各朝代修建的长度") as pilot:
            width = pane(pilot).column_width
            lines = pane_lines(pilot)
            table = [line for line in lines if BAR in line]
            assert len(table) == 4, lines  # the header and three rows
            assert all(cell_len(line) <= width for line in lines)
            # Every bar at the same cell of every line: the columns are aligned.
            bars = {
                tuple(cell_len(line[:i]) for i, char in enumerate(line) if char == BAR)
                for line in table
            }
            assert len(bars) == 1, table
            cells = [[part.strip() for part in line.split(BAR)] for line in table]
            assert cells[0] == ["朝代", "修建年代", "长度（公里）", "主要材料"]
            assert cells[2] == ["汉朝", "公元前206年", "10000", "夯土与芦苇"]
            rule = lines[lines.index(table[0]) + 1]
            assert set(rule.strip()) == {"─", "┼"}
            # The length column is right-aligned: its numbers end where its header ends.
            ends = {
                cell_len(line[: line.index(row[2]) + len(row[2])])
                for line, row in zip(table, cells, strict=True)
            }
            assert len(ends) == 1, table


def highlighted(strips: list[Strip]) -> list[str]:
    """The runs of reverse-styled text on each line (adjacent segments joined)."""
    runs: list[str] = []
    for strip in strips:
        run = ""
        for segment in strip:
            if segment.style is not None and segment.style.reverse and segment.text.strip():
                run += segment.text
            elif run:
                runs.append(run)
                run = ""
        if run:
            runs.append(run)
    return runs


class TestSearchResults:
    async def search(self, pilot: Pilot[None], query: str) -> SearchResults:
        await pilot.press("slash", *query)
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        return screen_of(pilot).query_one("#results", SearchResults)

    async def test_a_snippet_of_chinese_wraps_between_characters_inside_the_box(
        self, chinese_index: Path
    ) -> None:
        async with reader(chinese_index, "北京") as pilot:
            results = await self.search(pilot, "旅行者")
            assert [(hit.title, hit.section) for hit in results.hits] == [("长城的历史", "名称")]
            inner = results.scrollable_content_region.width
            strips = [results.render_line(y) for y in range(results.size.height)]
            lines = [strip.text.rstrip() for strip in strips]
            assert all(cell_len(line) <= results.size.width for line in lines), lines
            first = next(i for i, line in enumerate(lines) if "The Great Wall" in line)
            row, following = lines[first].strip(" │"), lines[first + 1].strip(" │")
            # The clause starts on the row of the Latin words and goes on in the next row,
            # between two characters, none of them lost or repeated.
            assert row.startswith("The Great Wall 的名称来自"), lines
            assert row + following == NAMED, lines
            assert following[0] not in CLOSING
            assert cell_len(lines[first].rstrip(" │")) >= inner - 2, (lines[first], inner)
            assert highlighted(strips) == ["旅行者"], highlighted(strips)

    async def test_a_longer_snippet_is_folded_between_characters_with_its_match_highlighted(
        self, chinese_index: Path
    ) -> None:
        async with reader(chinese_index, "长城") as pilot:
            results = await self.search(pilot, "首都")
            assert [hit.title for hit in results.hits] == ["北京", "北京"]
            strips = [results.render_line(y) for y in range(results.size.height)]
            lines = [strip.text.strip(" │") for strip in strips]
            first = next(i for i, line in enumerate(lines) if line.startswith("北京是中华"))
            assert lines[first] + lines[first + 1] == BEIJING_LEAD, lines
            assert lines[first + 1][0] not in CLOSING
            assert highlighted(strips) == ["首都", "首都"], highlighted(strips)
