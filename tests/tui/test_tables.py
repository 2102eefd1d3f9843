"""Tables and code in the reading pane: laid out without Textual (layout, Page, painting),
then on screen with Pilot: aligned columns, links in cells, find and search highlights."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from rich.cells import cell_len
from rich.style import Style
from textual.pilot import Pilot
from textual.widgets import Static

from termpedia.content.display import section_display, with_tables
from termpedia.content.importers import converter
from termpedia.content.importers.store import import_library
from termpedia.content.library import Shelf, default_shelves, load_article
from termpedia.content.parse import parse
from termpedia.content.paths import index_dir
from termpedia.content.tables import SEPARATOR, folded_rows, plan_table, render_table
from termpedia.index.build import update
from termpedia.index.search import Index
from termpedia.tui.app import TermpediaApp
from termpedia.tui.screens.reader import ReaderScreen
from termpedia.tui.widgets.find import Finder
from termpedia.tui.widgets.layout import CODE_GOES_ON, CODE_INDENT, Row
from termpedia.tui.widgets.page import Page
from termpedia.tui.widgets.painting import PARTS, Looks, paint_row
from termpedia.tui.widgets.reading_pane import ReadingPane

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "tables"
ESTONIA = "Natural resources of Estonia"
BAR = SEPARATOR.strip()


# -- drawing a Page without Textual ------------------------------------------------------


def plain_looks() -> Looks:
    return Looks(Style.null(), *(Style.null() for _ in PARTS))


def drawn(page: Page, row: Row) -> str:
    """The row as the pane draws it, without the blank cell it starts with."""
    segments = paint_row(page, row, plain_looks(), None, Finder(), lambda link: False)
    return "".join(segment.text for segment in segments)[1:].rstrip()


def table_lines(page: Page) -> list[str]:
    """The drawn lines of the first table of the page (its shaped rows and the blank rows
    between folded rows), a folded value's wrapped rows joined into one line again."""
    shaped = [n for n, row in enumerate(page.rows) if row.shape and row.shape.kind != "code"]
    lines: list[str] = []
    for row in page.rows[shaped[0] : shaped[-1] + 1]:
        text = drawn(page, row)
        shape = row.shape
        if shape is not None and shape.kind == "fold" and not row.first:
            lines[-1] += " " + text.strip()
        else:
            lines.append(text)
    return lines


def table_article(rows: list[list[str]], header: int, align: list[str]) -> str:
    marks = {"left": "---", "right": "---:", "center": ":---:"}
    lines = ["| " + " | ".join(row) + " |" for row in rows]
    lines.insert(header, "|" + "|".join(marks[a] for a in align) + "|")
    return "= Table =\n\nAbove.\n\n" + "\n".join(lines) + "\n\nBelow.\n"


def laid_out(text: str, width: int) -> Page:
    page = Page(parse(text))
    page.lay_out(width)
    return page


# Words of letters, accented letters and double-width characters (never `|` or `[[`).
words = st.text(alphabet="abcdefxyzé中文", min_size=1, max_size=8)
cells = st.lists(words, max_size=3).map(" ".join)
shapes = st.tuples(st.integers(1, 7), st.integers(1, 6), st.integers(0, 2))


@st.composite
def tables(draw: st.DrawFn) -> tuple[list[list[str]], int, list[str]]:
    columns, body, header = draw(shapes)
    rows = [
        [draw(cells) for _ in range(draw(st.integers(1, columns)))] for _ in range(header + body)
    ]
    # The widest row decides the columns (shorter rows are padded with empty cells).
    rows[0] += [draw(cells) for _ in range(columns - len(rows[0]))]
    align = [draw(st.sampled_from(["left", "right", "center"])) for _ in range(columns)]
    return rows, header, align


class TestTableLayout:
    @settings(max_examples=150, deadline=None)
    @given(table=tables(), width=st.integers(24, 100))
    def test_the_pane_draws_a_table_as_show_does_by_one_rule(
        self, table: tuple[list[list[str]], int, list[str]], width: int
    ) -> None:
        rows, header, align = table
        page = laid_out(table_article(rows, header, align), width)
        shown = page.blocks[1]
        block = next(
            b
            for b in section_display(parse(table_article(rows, header, align)).lead).blocks
            if b.table
        )
        assert block.table is not None
        expected = render_table(block.table.texts(), header, block.table.align, width)
        if not any(expected):
            return  # a table of empty cells draws nothing
        texts = block.table.texts()
        if plan_table(texts, block.table.align, width).widths is None:
            # The pane cuts a label wider than half the column (`fold_label`); show does not.
            labels = [label for _, values in folded_rows(texts, header) for label, _ in values]
            assume(all(cell_len(label) + 2 <= width // 2 for label in labels))
        assert table_lines(page) == expected, shown.text
        for row in page.rows:
            assert cell_len(drawn(page, row)) <= width, drawn(page, row)

    @settings(max_examples=150, deadline=None)
    @given(table=tables(), width=st.integers(24, 100))
    def test_every_character_of_a_cell_is_drawn_once_and_found_on_its_row(
        self, table: tuple[list[list[str]], int, list[str]], width: int
    ) -> None:
        rows, header, align = table
        text = table_article(rows, header, align)
        page = laid_out(text, width)
        number = 1  # the lead: the table's block
        shown = next(b for b in section_display(parse(text).lead).blocks if b.table)
        assert shown.table is not None
        plan = plan_table(shown.table.texts(), shown.table.align, width)
        folded = plan.widths is None
        pieces = [
            (row_index, start, end)
            for row_index, row in enumerate(page.rows)
            if row.block == number and row.shape is not None
            for start, end, _ in row.shape.pieces
        ]
        starts = [row.start for row in page.rows if row.block == number]
        assert starts == sorted(starts), "rows must start in order, for bisection"
        for row_number, row in enumerate(shown.table.rows):
            if folded and row_number < shown.table.header_rows < len(shown.table.rows):
                continue  # a folded table's header is drawn as its rows' labels
            for cell in row:
                for offset in range(cell.start, cell.end):
                    if cell.text[offset - cell.start].isspace():
                        continue
                    holders = [r for r, a, b in pieces if a <= offset < b]
                    assert len(holders) == 1, (offset, cell, holders)
                    assert page.row_at(number, offset) == holders[0], (offset, cell)

    def test_a_table_too_wide_is_folded_into_header_value_lines_as_show_folds_it(self) -> None:
        article = load_article(FIXTURES / "estonia.txt")
        page = Page(article)
        page.lay_out(76)
        mines = article.section("mines")
        assert mines is not None
        expected = with_tables(section_display(mines), 76).split("\n")
        start = expected.index("Mine: Estonia")
        table = expected[start : expected.index("Notes: the largest underground mine") + 1]
        lines = [drawn(page, row) for row in page.rows]
        first = lines.index("Mine: Estonia")
        assert lines[first : first + len(table)] == table
        assert "Mine: Narva" in lines and "Notes:" not in " ".join(lines[first + len(table) :])

    def test_links_in_cells_are_found_under_the_cells_they_are_drawn_in(self) -> None:
        page = Page(load_article(FIXTURES / "estonia.txt"))
        page.lay_out(76)
        checked = 0
        for index, place in enumerate(page.links):
            block = page.blocks[place.block]
            if block.kind != "text":
                continue
            row_number = page.row_at(place.block, place.link.start)
            row = page.rows[row_number]
            if row.shape is None:
                continue
            x = next(
                left + cell_len(block.text[start : place.link.start])
                for start, end, left in row.shape.pieces
                if start <= place.link.start < end
            )
            label = block.text[place.link.start : place.link.end]
            assert page.link_at(row_number, row.indent + x) == index, label
            assert drawn(page, row)[row.indent + x :].startswith(label)
            checked += 1
        assert checked >= 3  # Oil shale, Tartu, and Oil shale in the folded table

    def test_wide_characters_take_two_cells_in_their_column(self) -> None:
        text = table_article([["名前", "value"], ["中文字", "x"], ["ab", "yy"]], 1, ["left"] * 2)
        lines = table_lines(laid_out(text, 60))
        assert lines == render_table(
            [["名前", "value"], ["中文字", "x"], ["ab", "yy"]], 1, ["left"] * 2, 60
        )
        bars = {cell_len(line[: line.index(BAR)]) for line in lines if BAR in line}
        assert bars == {7}, lines


class TestCodeLayout:
    CODE = "    indented = {'a':   1,\n\tb: 2}\n" + "x = '" + "y" * 130 + "'"

    def test_code_keeps_its_spaces_and_a_long_line_is_cut_at_the_edge_not_rewrapped(
        self,
    ) -> None:
        text = f"= Code =\n\nBefore.\n\n```\n{self.CODE}\n```\n\nAfter.\n"
        page = laid_out(text, 60)
        rows = [row for row in page.rows if row.shape is not None and row.shape.kind == "code"]
        lines = [drawn(page, row) for row in rows]
        indent = " " * CODE_INDENT
        assert lines[0] == indent + "    indented = {'a':   1,"
        assert lines[1] == indent + "    b: 2}", "a tab is four cells"
        long_rows = lines[2:]
        assert [line[:CODE_INDENT] for line in long_rows] == [indent] + [CODE_GOES_ON + " "] * (
            len(long_rows) - 1
        )
        assert all(len(line) == 60 for line in long_rows[:-1]), "cut at the edge"
        assert "".join(line[CODE_INDENT:] for line in long_rows) == self.CODE.split("\n")[2]

    def test_the_same_words_in_a_paragraph_are_wrapped_at_spaces(self) -> None:
        page = laid_out("= Text =\n\n" + "word " * 30 + "\n", 40)
        assert all(drawn(page, row).endswith("word") for row in page.rows[2:])


# -- on screen -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def tables_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("tables-index")
    update(root, [Shelf("tables", FIXTURES)])
    return root


@asynccontextmanager
async def reader(
    root: Path, start: str = ESTONIA, size: tuple[int, int] = (80, 24)
) -> AsyncIterator[Pilot[None]]:
    app = TermpediaApp(Index(root), start)
    app._fatal_error = app._close_messages_no_wait  # type: ignore[method-assign]
    async with app.run_test(size=size) as pilot:
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        yield pilot


def pane(pilot: Pilot[None]) -> ReadingPane:
    return pilot.app.screen.query_one("#reader", ReadingPane)


def pane_lines(pilot: Pilot[None]) -> list[str]:
    reading = pane(pilot)
    return [reading.render_line(y).text.rstrip() for y in range(reading.size.height)]


def segments_on_screen(pilot: Pilot[None]) -> list[tuple[int, str, Style]]:
    """(line, text, style) of every segment the pane draws."""
    reading = pane(pilot)
    found = []
    for y in range(reading.size.height):
        for segment in reading.render_line(y):
            if segment.style is not None and segment.text.strip():
                found.append((y, segment.text, segment.style))
    return found


def count_text(pilot: Pilot[None]) -> str:
    return str(pilot.app.screen.query_one("#find-count", Static).render())


class TestTablesOnScreen:
    async def test_the_table_is_aligned_at_80_columns_with_its_header_styled(
        self, tables_index: Path
    ) -> None:
        async with reader(tables_index) as pilot:
            lines = pane_lines(pilot)
            table = [line for line in lines if BAR in line]
            assert len(table) == 6, lines  # header, four rows (one wrapped onto two lines)
            # Every bar at the same cell in every line: the columns are aligned.
            bars = {
                tuple(cell_len(line[:i]) for i, char in enumerate(line) if char == BAR)
                for line in table
            }
            assert len(bars) == 1, table
            assert all(cell_len(line) <= 80 for line in lines)
            header = next(line for line in table if "Resource" in line)
            assert header.split(BAR)[0].strip() == "Resource"
            assert [part.strip() for part in header.split(BAR)] == ["Resource", "Where", "Reserves"]
            rule = lines[lines.index(header) + 1]
            assert set(rule.strip()) == {"─", "┼"}
            # The third column is right-aligned: its numbers end where "Reserves" ends.
            ends = {cell_len(line.rstrip()) for line in table if line.rstrip()[-1] in "tn s"}
            assert len(ends) == 1, table
            styles = {text.strip(): style for _, text, style in segments_on_screen(pilot)}
            assert styles["Resource"].bold and not styles["Peat"].bold
            # A long cell wraps inside its column, under its first line.
            wrapped = next(i for i, line in enumerate(lines) if "near the" in line)
            assert "Gulf of Finland" in lines[wrapped + 1]
            column = cell_len(lines[wrapped][: lines[wrapped].index("north-east")])
            assert cell_len(lines[wrapped + 1][: lines[wrapped + 1].index("Gulf")]) == column

    async def test_tab_reaches_a_link_in_a_cell_and_enter_follows_it(
        self, tables_index: Path
    ) -> None:
        async with reader(tables_index) as pilot:
            await pilot.press("tab")
            await pilot.pause()
            link = pane(pilot).current_link
            assert link is not None and link.target == "Oil shale"
            cursor = [(y, t) for y, t, s in segments_on_screen(pilot) if s.reverse]
            assert len(cursor) == 1 and cursor[0][1] == "Oil shale"
            line = pane_lines(pilot)[cursor[0][0]]
            assert line.strip().startswith("Oil shale") and BAR in line
            await pilot.press("tab")
            await pilot.pause()
            second = pane(pilot).current_link
            assert second is not None and second.target == "Tartu County"
            await pilot.press("shift+tab", "enter")
            await pilot.app.workers.wait_for_complete()
            await pilot.pause()
            screen = pilot.app.screen
            assert isinstance(screen, ReaderScreen)
            assert screen.article is not None and screen.article.title == "Oil shale"

    async def test_find_in_page_highlights_a_word_in_a_cell(self, tables_index: Path) -> None:
        async with reader(tables_index) as pilot:
            await pilot.press("ctrl+f", *"rakvere")
            await pilot.app.workers.wait_for_complete()
            await pilot.pause()
            assert count_text(pilot) == "1 of 1"
            current = [(y, t) for y, t, s in segments_on_screen(pilot) if s.reverse]
            assert [t for _, t in current] == ["Rakvere"], current
            line = pane_lines(pilot)[current[0][0]]
            assert line.strip().startswith("Phosphorite") and BAR in line

    async def test_find_sees_a_cell_of_a_folded_table(self, tables_index: Path) -> None:
        async with reader(tables_index) as pilot:
            await pilot.press("ctrl+f", *"underground")
            await pilot.app.workers.wait_for_complete()
            await pilot.pause()
            assert count_text(pilot) == "1 of 1"
            current = [(y, t) for y, t, s in segments_on_screen(pilot) if s.reverse]
            assert [t for _, t in current] == ["underground"], current
            assert pane_lines(pilot)[current[0][0]].strip().startswith("Notes: the largest")

    async def test_searched_words_are_highlighted_in_the_cells(self, tables_index: Path) -> None:
        async with reader(tables_index, start="Oil shale") as pilot:
            await pilot.press("slash", *"phosphorite")
            await pilot.app.workers.wait_for_complete()
            await pilot.pause()
            await pilot.press("enter")
            await pilot.app.workers.wait_for_complete()
            await pilot.pause()
            screen = pilot.app.screen
            assert isinstance(screen, ReaderScreen)
            assert screen.article is not None and screen.article.title == ESTONIA
            base = pane(pilot).rich_style
            found = [(y, s) for y, t, s in segments_on_screen(pilot) if t == "Phosphorite"]
            assert found, pane_lines(pilot)
            y, style = found[0]
            assert style.bgcolor is not None and style.bgcolor != base.bgcolor
            assert BAR in pane_lines(pilot)[y]


# -- a real archive ----------------------------------------------------------------------

ZIM = Path(__file__).resolve().parents[2].parent / "shared" / "corpora" / "ray-charles.zim"


@pytest.mark.skipif(not ZIM.exists(), reason=f"{ZIM} is not beside this checkout")
async def test_the_ray_charles_filmography_is_an_aligned_table(isolated_dirs: Path) -> None:
    import_library(converter("zim"), ZIM)
    update(index_dir(), default_shelves())
    async with reader(index_dir(), start="Ray Charles#Film") as pilot:
        lines = pane_lines(pilot)
        assert lines[0].strip() == "Film", lines
        table = [line for line in lines if BAR in line]
        assert len(table) >= 10, lines
        header = [part.strip() for part in table[0].split(BAR)]
        assert header == ["Year", "Title", "Role", "Notes"], table
        bars = {
            tuple(cell_len(line[:i]) for i, char in enumerate(line) if char == BAR)
            for line in table
        }
        assert len(bars) == 1, table
        assert any(line.split(BAR)[1].strip() == "Swingin' Along" for line in table), table
