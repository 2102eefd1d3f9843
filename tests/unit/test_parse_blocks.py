"""The format's blocks: lists, definitions, quotes, code and tables, as parsed and displayed."""

from __future__ import annotations

import pytest

from termpedia.content.article import Article
from termpedia.content.blocks import read_blocks, split_cells
from termpedia.content.display import (
    DisplayBlock,
    DisplayText,
    display_text,
    plain_text,
    section_display,
)
from termpedia.content.parse import normalize_newlines, parse, render


def lossless(text: str) -> Article:
    article = parse(text)
    assert render(article) == normalize_newlines(text)
    return article


def kinds(text: str) -> list[tuple[str, int, str]]:
    """(kind, depth, marker) of each block of a body."""
    return [(b.kind, b.depth, b.marker) for b in read_blocks(text.split("\n"))]


def shown_blocks(shown: DisplayText) -> list[tuple[str, str]]:
    return [(b.kind, shown.text[b.start : b.end]) for b in shown.blocks]


TABLE = """= Estonia =

Reserves by kind:

| Resource | Location | Reserves |
|---|:---:|---:|
| [[Oil shale]] | north-east | 1,137,700,000 t |
| Peat | [[Tartu County|Tartu]] \\| Võru | 2,370,000,000 t |
| 語言 |
"""


class TestLists:
    def test_bullets_and_numbers_keep_their_markers_and_depth(self) -> None:
        text = "1. one\n2. two\n  - under two\n    3) deeper\n* star\n12. twelve"
        blocks = read_blocks(text.split("\n"))
        assert [(b.list_kind, b.number, b.depth, b.marker) for b in blocks] == [
            ("number", 1, 1, "1."),
            ("number", 2, 1, "2."),
            ("bullet", None, 2, "-"),
            ("number", 3, 3, "3)"),
            ("bullet", None, 1, "*"),
            ("number", 12, 1, "12."),
        ]
        assert display_text(text).text == text  # shown as written

    @pytest.mark.parametrize(
        "line",
        [
            "1917. The revolution came.",
            "1905 was a year.",
            "1.5 million people",
            "2.no space",
            "-dash",
            "*emphasis*",
            "- ",
            "1. ",
            "\u20071. escaped by an importer",
            "\u2007| not a table |",
        ],
    )
    def test_lines_that_stay_paragraphs(self, line: str) -> None:
        assert kinds(line) == [("paragraph", 0, "")]

    def test_item_content_offset(self) -> None:
        shown = display_text("  - nested [[A|a]]")
        (block,) = shown.blocks
        assert shown.text[block.content :] == "nested a"
        assert (block.kind, block.depth, block.list_kind) == ("item", 2, "bullet")


class TestDefinitionsAndQuotes:
    def test_terms_and_definitions(self) -> None:
        text = "; Term\n: Its [[Definition|definition]]\n:: deeper\n  ; indented: text\n:)"
        assert kinds(text) == [
            ("term", 1, ";"),
            ("definition", 1, ":"),
            ("definition", 2, "::"),
            ("paragraph", 0, ""),
            ("definition", 1, ":"),
        ]
        shown = display_text(text)
        assert shown.text == "Term\n  Its definition\n    deeper\n  ; indented: text\n  )"
        assert [shown.text[ln.start : ln.end] for ln in shown.links] == ["definition"]
        assert shown.blocks[1].content == shown.text.index("Its")

    def test_indented_colon_lines_are_text(self) -> None:
        """Wrapped dictionary text ("        :q") stays text: definitions start at the margin."""
        assert kinds("        :q\n   ; then") == [("paragraph", 0, "")]

    def test_block_quotes(self) -> None:
        text = "> Quoted [[A]]\n>> nested\n> > also nested\n>"
        assert kinds(text) == [
            ("quote", 1, ">"),
            ("quote", 2, ">>"),
            ("quote", 2, ">>"),
            ("quote", 1, ">"),
        ]
        shown = display_text(text)
        assert shown.text == "│ Quoted A\n│ │ nested\n│ │ also nested\n│ "
        assert [(ln.target, shown.text[ln.start : ln.end]) for ln in shown.links] == [("A", "A")]

    def test_a_lone_marker_is_text(self) -> None:
        assert kinds(";\n:") == [("paragraph", 0, "")]


class TestCode:
    SOURCE = (
        "= T =\nBefore:\n```bash\nif [[ -f x ]]; then\n\n    echo  'two  spaces'\n```\n"
        "After [[B]].\n"
    )

    def test_code_keeps_every_character_and_has_no_links(self) -> None:
        article = lossless(self.SOURCE)
        assert [ln.target for ln in article.links] == ["B"]
        shown = section_display(article.lead)
        assert shown.text == (
            "Before:\n\nif [[ -f x ]]; then\n\n    echo  'two  spaces'\n\nAfter B."
        )
        code = [b for b in shown.blocks if b.kind == "code"]
        assert [(b.info, b.marker, shown.text[b.start : b.end]) for b in code] == [
            ("bash", "```", "if [[ -f x ]]; then\n\n    echo  'two  spaces'")
        ]
        assert [shown.text[ln.start : ln.end] for ln in shown.links] == ["B"]
        assert article.diagnostics == ()

    def test_a_longer_fence_holds_a_shorter_one(self) -> None:
        text = "````\n```\nstill code [[x]]\n```\n````\n[[y]]"
        assert kinds(text) == [("code", 0, "````"), ("paragraph", 0, "")]
        assert [ln.target for ln in lossless("= T =\n" + text).links] == ["y"]

    def test_an_unclosed_fence_ends_with_its_section_and_warns(self) -> None:
        article = lossless("= T =\n```\ncode [[x]]\n== Next ==\n[[y]]\n")
        assert [ln.target for ln in article.links] == ["y"]
        assert [(d.line, d.message) for d in article.diagnostics] == [
            (2, "code block not closed: it ends with the section")
        ]
        assert section_display(article.lead).text == "code [[x]]"

    def test_backticks_inside_a_line_are_text(self) -> None:
        assert kinds("```a`b\n`` not a fence") == [("paragraph", 0, "")]


class TestTables:
    def test_table_cells_header_alignment_and_links(self) -> None:
        article = lossless(TABLE)
        links = [(ln.target, ln.label, ln.line, ln.column) for ln in article.lead.links]
        assert links == [("Oil shale", "Oil shale", 7, 2), ("Tartu County", "Tartu", 8, 9)]
        shown = section_display(article.lead)
        (block,) = [b for b in shown.blocks if b.kind == "table"]
        table = block.table
        assert table is not None
        assert table.header_rows == 1
        assert table.align == ("left", "center", "right")
        assert table.texts() == [
            ["Resource", "Location", "Reserves"],
            ["Oil shale", "north-east", "1,137,700,000 t"],
            ["Peat", "Tartu | Võru", "2,370,000,000 t"],
            ["語言", "", ""],
        ]
        # Every cell is where the display text says, and its links are the links in it.
        for row in table.rows:
            for cell in row:
                assert shown.text[cell.start : cell.end] == cell.text
                for link in cell.links:
                    assert cell.start <= link.start <= link.end <= cell.end
        assert [ln.target for ln in table.rows[2][1].links] == ["Tartu County"]
        assert list(shown.links) == [ln for row in table.rows for c in row for ln in c.links]
        # Searchable: the cells' words are in the display text, one row per line.
        assert shown.text[block.start : block.end].split("\n") == [
            "Resource | Location | Reserves",
            "Oil shale | north-east | 1,137,700,000 t",
            "Peat | Tartu | Võru | 2,370,000,000 t",
            "語言",
        ]

    def test_pipe_lines_without_a_delimiter_row_are_text(self) -> None:
        text = "| a | b |\n| c | d |"
        assert kinds(text) == [("paragraph", 0, "")]
        assert display_text(text).text == text

    @pytest.mark.parametrize("delimiter", ["|-", "|--|", "| - |", "|---|x|", "|-|-|"])
    def test_what_is_not_a_delimiter_row(self, delimiter: str) -> None:
        assert kinds(f"| a |\n{delimiter}\n| b |") == [("paragraph", 0, "")]

    def test_a_table_without_header_and_a_later_delimiter(self) -> None:
        shown = display_text("|---|---|\n| a | b\n|---|---|\n| c")
        (block,) = shown.blocks
        assert block.table is not None
        assert (block.table.header_rows, block.table.texts()) == (0, [["a", "b"], ["c", ""]])
        assert shown.text == "a | b\nc"

    def test_several_header_rows(self) -> None:
        (block,) = display_text("| A | B |\n| a | b |\n| --- | --- |\n| 1 | 2 |").blocks
        assert block.table is not None and block.table.header_rows == 2

    @pytest.mark.parametrize(
        ("row", "cells"),
        [
            ("| a | b |", ["a", "b"]),
            ("| a | b", ["a", "b"]),
            ("|a||b|  ", ["a", "", "b"]),
            ("| [[x|y]] | z |", ["[[x|y]]", "z"]),
            ("| a \\| b | c", ["a \\| b", "c"]),
            ("|", []),
            ("| | |", ["", ""]),
            ("| [[open | b", ["[[open", "b"]),
        ],
    )
    def test_split_cells(self, row: str, cells: list[str]) -> None:
        assert [row[a:b] for a, b in split_cells(row)] == cells

    def test_a_table_ends_at_the_first_line_not_starting_with_a_bar(self) -> None:
        assert kinds("| a |\n|---|\nafter\n| b |") == [
            ("table", 0, ""),
            ("paragraph", 0, ""),
        ]


class TestShow:
    def test_show_aligns_a_table_by_terminal_cells(self) -> None:
        lines = plain_text(lossless(TABLE)).split("\n")
        assert lines[4:] == [
            "Resource  │   Location   │        Reserves",
            "──────────┼──────────────┼────────────────",
            "Oil shale │  north-east  │ 1,137,700,000 t",
            "Peat      │ Tartu | Võru │ 2,370,000,000 t",
            "語言      │              │",
            "",
        ]

    def test_a_table_a_little_too_wide_wraps_its_widest_column(self) -> None:
        lines = plain_text(lossless(TABLE), width=40).split("\n")
        assert max(map(len, lines)) <= 40
        assert lines[6:10] == [
            "Oil shale │  north-east  │ 1,137,700,000",
            "          │              │             t",
            "Peat      │ Tartu | Võru │ 2,370,000,000",
            "          │              │             t",
        ]

    def test_a_table_too_wide_is_folded_into_header_value_lines(self) -> None:
        assert plain_text(lossless(TABLE), width=30).split("\n")[4:] == [
            "Resource: Oil shale",
            "Location: north-east",
            "Reserves: 1,137,700,000 t",
            "",
            "Resource: Peat",
            "Location: Tartu | Võru",
            "Reserves: 2,370,000,000 t",
            "",
            "Resource: 語言",
            "",
        ]

    def test_blocks_of_a_whole_section(self) -> None:
        shown = display_text("Intro\ntext\n\n- a\n; T\n: d\n> q\n```\nc\n```")
        assert shown_blocks(shown) == [
            ("paragraph", "Intro\ntext"),
            ("item", "- a"),
            ("term", "T"),
            ("definition", "  d"),
            ("quote", "│ q"),
            ("code", "c"),
        ]
        assert all(isinstance(b, DisplayBlock) for b in shown.blocks)
