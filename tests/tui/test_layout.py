"""Wrapping and laying out an article: `termpedia.tui.widgets.layout`, without Textual."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.cells import cell_len

from termpedia.content.library import bundled_shelf, load_article
from termpedia.tui.widgets.layout import Block, Row, blocks_of, hanging_indent, layout, wrap_line

ARTICLES = bundled_shelf().root
SEED = ARTICLES / "the-permanent-revolution-and-results-and-prospects.txt"

# Letters, spaces, a tab, wide (CJK, Hangul) and combining characters.
PIECES = list("abcdefg     .,-") + ["\t", "中", "文", "字", "한", "é", "\u0301", "ｗ"]
lines = st.lists(st.sampled_from(PIECES), max_size=120).map("".join)
widths = st.integers(min_value=2, max_value=40)


def slices(text: str, rows: list[tuple[int, int]], start: int = 0) -> list[str]:
    return [text[a - start : b - start] for a, b in rows]


def check_rows(text: str, rows: list[tuple[int, int]], width: int, start: int = 0) -> None:
    assert rows, "even an empty line is one row"
    assert rows[0][0] == start and rows[-1][1] == start + len(text)
    for (_, end), (next_start, _) in zip(rows, rows[1:], strict=False):
        assert end == next_start, f"gap or overlap between rows: {rows}"
    assert "".join(slices(text, rows, start)) == text
    for piece in slices(text, rows, start):
        # Whitespace at the end of a row is allowed to run past the edge (it is never drawn).
        assert cell_len(piece.rstrip()) <= width, (text, width, piece)
        if text:
            assert piece, f"an empty row in the middle of {text!r}: {rows}"


class TestWrapLine:
    def test_a_short_line_is_one_row(self) -> None:
        assert wrap_line("hello world", 0, 20) == [(0, 11)]

    def test_an_empty_line_is_one_empty_row(self) -> None:
        assert wrap_line("", 5, 20) == [(5, 5)]

    def test_words_move_whole_to_the_next_row(self) -> None:
        text = "the quick brown fox jumps"
        rows = wrap_line(text, 0, 10)
        assert [p.rstrip() for p in slices(text, rows)] == ["the quick", "brown fox", "jumps"]
        check_rows(text, rows, 10)

    def test_offsets_are_shifted_by_the_start(self) -> None:
        text = "aaaa bbbb cccc"
        assert wrap_line(text, 100, 9) == [(a + 100, b + 100) for a, b in wrap_line(text, 0, 9)]
        check_rows(text, wrap_line(text, 100, 9), 9, start=100)

    def test_a_word_longer_than_the_row_is_cut(self) -> None:
        text = "x" * 25
        rows = wrap_line(text, 0, 10)
        assert slices(text, rows) == ["x" * 10, "x" * 10, "x" * 5]

    def test_a_long_word_after_a_short_one_starts_a_row_and_is_cut(self) -> None:
        text = "hi " + "y" * 23 + " end"
        rows = wrap_line(text, 0, 10)
        check_rows(text, rows, 10)
        assert slices(text, rows)[0].rstrip() == "hi"
        assert max(cell_len(p.rstrip()) for p in slices(text, rows)) == 10

    def test_cjk_text_is_wrapped_by_cells_not_characters(self) -> None:
        text = "中文字" * 10  # 30 characters, 60 cells, no spaces
        rows = wrap_line(text, 0, 11)
        check_rows(text, rows, 11)
        # A double-width character never straddles the edge: 5 characters (10 cells) a row.
        assert [cell_len(p) for p in slices(text, rows)] == [10] * 6

    def test_mixed_cjk_and_ascii_words(self) -> None:
        text = "Trotsky 托洛茨基 wrote 不断革命论 in 1929 and 1930"
        for width in range(4, 30):
            check_rows(text, wrap_line(text, 0, width), width)

    @settings(max_examples=400, deadline=None)
    @given(text=lines, width=widths)
    def test_rows_never_exceed_the_width_and_cover_the_line(self, text: str, width: int) -> None:
        check_rows(text, wrap_line(text, 0, width), width)

    @settings(max_examples=150, deadline=None)
    @given(text=st.text(alphabet="ab ", max_size=60), width=widths, start=st.integers(0, 500))
    def test_ascii_rows_cover_the_line_from_any_start(
        self, text: str, width: int, start: int
    ) -> None:
        check_rows(text, wrap_line(text, start, width), width, start)


def covered(block: Block, rows: list[Row]) -> list[int]:
    """Offsets of the block's text that rows show, in order."""
    return [offset for row in rows if row.end > row.start for offset in range(row.start, row.end)]


class TestLayout:
    @pytest.mark.parametrize("width", [10, 37, 64, 100])
    def test_every_character_of_every_block_is_on_exactly_one_row(self, width: int) -> None:
        blocks = blocks_of(load_article(SEED))
        rows, _ = layout(blocks, width)
        for number, block in enumerate(blocks):
            shown = covered(block, [r for r in rows if r.block == number])
            assert shown == sorted(set(shown)), "rows of a block overlap or go backwards"
            newlines = {i for i, c in enumerate(block.text) if c == "\n"}
            assert set(shown) | newlines == set(range(len(block.text))), "a gap in the rows"
            assert not (set(shown) & newlines)

    @pytest.mark.parametrize("width", [24, 64, 100])
    def test_rows_fit_the_column(self, width: int) -> None:
        blocks = blocks_of(load_article(ARTICLES / "leon-trotsky.txt"))
        rows, _ = layout(blocks, width)
        for row in rows:
            text = blocks[row.block].text[row.start : row.end].rstrip()
            assert row.indent + cell_len(text) <= max(width, 10), (row, text)

    @pytest.mark.parametrize(
        "name", ["the-permanent-revolution-and-results-and-prospects.txt", "leon-trotsky.txt"]
    )
    @pytest.mark.parametrize("width", [20, 64, 100])
    def test_section_starts_are_the_rows_of_the_heading_blocks(self, name: str, width: int) -> None:
        article = load_article(ARTICLES / name)
        blocks = blocks_of(article)
        rows, starts = layout(blocks, width)
        assert starts[0] == (0, ""), "the lead starts at the top"
        headings = [(n, b) for n, b in enumerate(blocks) if b.kind == "heading"]
        assert [anchor for _, anchor in starts[1:]] == [b.anchor for _, b in headings]
        assert [a for a in (s.anchor for s in article.walk()) if a] == [a for _, a in starts[1:]]
        for (row, anchor), (number, block) in zip(starts[1:], headings, strict=True):
            assert rows[row].block == number and rows[row].start == 0, (anchor, rows[row])
            assert block.text.startswith(blocks[number].text[rows[row].start : rows[row].end])
            above = rows[row - 1]
            assert above.start == above.end, f"no blank line above the heading {anchor!r}"
        assert [row for row, _ in starts] == sorted(row for row, _ in starts)

    def test_a_heading_wider_than_the_column_wraps(self) -> None:
        blocks = [
            Block("title", "T", ""),
            Block("heading", "word " * 10, "long", level=2),
            Block("text", "body", "long"),
        ]
        rows, starts = layout(blocks, 12)
        heading_rows = [r for r in rows if r.block == 1 and r.end > r.start]
        assert len(heading_rows) > 1
        assert starts == [(0, ""), (rows.index(heading_rows[0]), "long")]

    def test_infobox_rows_are_indented_past_the_key_column(self) -> None:
        blocks = blocks_of(load_article(SEED))
        rows, _ = layout(blocks, 64)
        keys = [b.label for b in blocks if b.kind == "infobox"]
        assert keys and keys[0] == "Author"
        for row in rows:
            if blocks[row.block].kind == "infobox" and row.end > row.start:
                assert row.indent == max(len(k) for k in keys) + 2

    def test_a_narrow_width_is_raised_to_ten_columns(self) -> None:
        blocks = [Block("text", "abcdefghijklmnopqrstuvwxyz", "")]
        rows, _ = layout(blocks, 3)
        assert [(r.start, r.end) for r in rows] == [(0, 10), (10, 20), (20, 26)]


class TestListItems:
    ITEM = "a wrapped item of the list with quite a few words in it to wrap"

    @pytest.mark.parametrize(
        ("marker", "indent"),
        [("- ", 2), ("* ", 2), ("• ", 2), ("1. ", 3), ("12) ", 4), ("  - ", 4), ("3.\t", 3)],
    )
    def test_a_wrapped_list_item_continues_under_its_text(self, marker: str, indent: int) -> None:
        text = "A paragraph before the list.\n" + marker + self.ITEM
        rows, _ = layout([Block("text", text, "")], 24)
        item = [r for r in rows if r.start >= text.index(marker)]
        assert len(item) > 2, "the item wraps"
        assert item[0].indent == 0 and item[0].first
        assert [r.indent for r in item[1:]] == [indent] * (len(item) - 1)
        shown = [text[r.start : r.end] for r in item]
        assert "".join(shown) == text[text.index(marker) :], "nothing lost or repeated"
        for row, piece in zip(item, shown, strict=True):
            assert row.indent + cell_len(piece.rstrip()) <= 24, (row, piece)

    def test_paragraphs_and_other_blocks_have_no_hanging_indent(self) -> None:
        text = "-not an item, a word with a dash at the start of a long line " * 2
        blocks = [Block("text", text, ""), Block("heading", "- " + self.ITEM, "h", level=2)]
        rows, _ = layout(blocks, 24)
        assert {r.indent for r in rows} == {0}

    def test_a_marker_wider_than_half_the_column_is_not_hung_from(self) -> None:
        assert hanging_indent("123456789. item text", 16) == 0
        assert hanging_indent("123456789. item text", 60) == 11
        assert hanging_indent("-  x", 40) == 3
        assert hanging_indent("- ", 40) == 0

    def test_the_see_also_bullets_of_the_seed_wrap_under_their_text(self) -> None:
        blocks = blocks_of(load_article(SEED))
        rows, _ = layout(blocks, 12)
        bullets = []
        for row in rows:
            text = blocks[row.block].text
            line_start = text.rfind("\n", 0, row.start) + 1
            kind = blocks[row.block].kind
            if kind == "text" and line_start < row.start and text.startswith("- ", line_start):
                bullets.append(row)
        assert bullets, "some See also bullet wraps at 12 columns"
        assert {r.indent for r in bullets} == {2}


def test_every_bundled_article_lays_out_at_common_widths() -> None:
    for path in sorted(Path(ARTICLES).glob("*.txt")):
        blocks = blocks_of(load_article(path))
        for width in (30, 78):
            rows, starts = layout(blocks, width)
            assert len(rows) >= len(blocks)
            assert all(0 <= row < len(rows) for row, _ in starts), path.name
