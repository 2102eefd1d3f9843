"""Wikitext blocks in the article format: tables with spans, lists with numbers and depth,
definitions, quotes, code, and the renderer oddities that lost text (mw_odd list)."""

from __future__ import annotations

import pytest

from termpedia.content.display import plain_text, section_display
from termpedia.content.importers.base import Page, compose, table_text
from termpedia.content.importers.mediawiki import RawPage, convert_page
from termpedia.content.importers.wikitext import normalize_title
from termpedia.content.parse import parse


def convert(text: str, title: str = "Test") -> Page:
    page = convert_page(RawPage(title, 0, None, text))
    assert isinstance(page, Page), page
    return page


def tables_of(page: Page) -> list[tuple[int, list[list[str]]]]:
    """(header rows, cell texts) of every table of the composed page, as the reader sees it."""
    article = parse(compose(page))
    assert not article.diagnostics, article.diagnostics
    return [
        (block.table.header_rows, block.table.texts())
        for section in article.walk()
        for block in section_display(section).blocks
        if block.table is not None
    ]


SPANS = """Intro.

{| class="wikitable"
|+ Films by year
! Year !! Title !! Role
|-
| rowspan="2" | 1961 || [[Swing Low]] || Himself
|-
| Ballad in Blue || Himself
|-
| 1989 || colspan="2" | Limit Up
|-
| 2004 || [[Ray (film)|Ray]] || Archive footage
|}
"""


class TestTables:
    def test_rowspan_repeats_and_colspan_leaves_empty(self) -> None:
        page = convert(SPANS)
        assert tables_of(page) == [
            (
                1,
                [
                    ["Year", "Title", "Role"],
                    ["1961", "Swing Low", "Himself"],
                    ["1961", "Ballad in Blue", "Himself"],
                    ["1989", "Limit Up", ""],
                    ["2004", "Ray", "Archive footage"],
                ],
            )
        ]
        assert "Films by year\n| Year | Title | Role |\n|---|---|---|\n" in page.lead
        assert "| 2004 | [[Ray (film)|Ray]] | Archive footage |" in page.lead

    def test_a_spanned_cell_never_gets_a_line_of_its_own(self) -> None:
        page = convert(
            '{|\n! A !! B !! C\n|-\n| 1 || 2 || rowspan="3" | tall\n|-\n| 3 || 4\n|-\n| 5\n|}'
        )
        assert tables_of(page)[0][1] == [
            ["A", "B", "C"],
            ["1", "2", "tall"],
            ["3", "4", "tall"],
            ["5", "", "tall"],
        ]

    def test_a_rowspan_table_reads_aligned_at_80_columns(self) -> None:
        text = plain_text(parse(compose(convert(SPANS, "Filmography"))), width=80)
        assert text.split("\n")[4:11] == [
            "Films by year",
            "Year │ Title          │ Role",
            "─────┼────────────────┼────────────────",
            "1961 │ Swing Low      │ Himself",
            "1961 │ Ballad in Blue │ Himself",
            "1989 │ Limit Up       │",
            "2004 │ Ray            │ Archive footage",
        ]

    def test_links_in_cells_are_links_and_pipes_are_escaped(self) -> None:
        page = convert("{|\n! Name !! Note\n|-\n| [[A|a]] || x {{!}} y\n|-\n| b || c\n|}")
        assert "| [[A|a]] | x \\| y |" in page.lead
        article = parse(compose(page))
        assert [link.target for link in article.lead.links] == ["A"]
        assert tables_of(page)[0][1][1] == ["a", "x | y"]

    def test_navboxes_and_sidebars_are_dropped(self) -> None:
        page = convert(
            'Text.\n{| class="navbox"\n| [[A]] || [[B]]\n|-\n| [[C]] || [[D]]\n|}\n'
            '{| class="wikitable infobox"\n! K !! V\n|-\n| kept || 1\n|}'
        )
        assert tables_of(page) == [(1, [["K", "V"], ["kept", "1"]])]
        assert "[[A]]" not in page.lead

    def test_layout_tables_are_flattened_to_text(self) -> None:
        page = convert(
            "{|\n| [[File:X.png]] Left text || Right text\n|}\n\n{|\n| one\n|-\n| two\n|}"
        )
        assert tables_of(page) == []
        assert page.lead == "Left text\nRight text\n\none\ntwo"

    def test_a_table_in_a_cell_is_read_on_one_line(self) -> None:
        page = convert("{|\n! A !! B\n|-\n| x ||\n{|\n| p || q\n|-\n| r || s\n|}\n|}")
        assert tables_of(page)[0][1][1] == ["x", "p, q; r, s"]

    def test_header_less_tables_start_with_the_delimiter(self) -> None:
        assert table_text([["a", "b"], ["c", "d"]], header_rows=0) == (
            "|---|---|\n| a | b |\n| c | d |"
        )


class TestLists:
    def test_numbered_lists_keep_their_numbers_and_nested_lists_their_depth(self) -> None:
        page = convert("# one\n# two\n#* under two\n#*# deeper\n# three\n\n# again one")
        assert page.lead == (
            "1. one\n2. two\n  - under two\n    1. deeper\n3. three\n\n1. again one"
        )
        article = parse(compose(page))
        blocks = section_display(article.lead).blocks
        assert [(b.list_kind, b.number, b.depth) for b in blocks] == [
            ("number", 1, 1),
            ("number", 2, 1),
            ("bullet", None, 2),
            ("number", 1, 3),
            ("number", 3, 1),
            ("number", 1, 1),
        ]

    def test_definitions_and_indentation(self) -> None:
        page = convert("; Term : its definition\n; Other\n: More\n:: deeper\n:<math>x^2</math>")
        assert page.lead == "; Term\n: its definition\n; Other\n: More\n:: deeper\n: x^2"

    def test_html_lists(self) -> None:
        page = convert("<ol><li>first</li><li>second<ul><li>inner</li></ul></li></ol>")
        assert page.lead == "1. first\n2. second\n  - inner"

    def test_text_that_would_read_as_markup_is_guarded(self) -> None:
        page = convert("{{dropped-unknown-x}}: not a definition\n> not a quote\n| not a row |")
        article = parse(compose(page))
        assert [b.kind for b in section_display(article.lead).blocks] == ["paragraph"]


class TestQuotesAndCode:
    def test_block_quotes(self) -> None:
        page = convert(
            "<blockquote>Line one.\n\nLine [[two]].</blockquote>\n{{quote|Said.|Someone}}"
        )
        assert page.lead == "> Line one.\n>\n> Line [[Two|two]].\n\n> Said.\n> — Someone"

    def test_code_keeps_whitespace_parentheses_and_quote_marks(self) -> None:
        page = convert(
            'Call <code>main()</code>:\n<syntaxhighlight lang="python">\ndef main():\n'
            "    if x:\n        return 'a''b'\n}\n</syntaxhighlight>\n"
            "and <nowiki>''quoted''</nowiki>."
        )
        assert page.lead == (
            "Call main():\n\n```python\ndef main():\n    if x:\n        return 'a''b'\n}\n```\n\n"
            "and ''quoted''."
        )
        article = parse(compose(page))
        (code,) = [b for b in section_display(article.lead).blocks if b.kind == "code"]
        assert code.info == "python"


class TestOddities:
    def test_colon_links_without_label_show_their_name(self) -> None:
        page = convert("See [[:Category:Things]], [[:File:X.jpg]] and [[:fr:Ada]].")
        assert page.lead == "See Category:Things, File:X.jpg and fr:Ada."

    def test_bare_bracketed_urls_and_symbol_lines_stay(self) -> None:
        assert convert("Site [http://example.org]\n\n★").lead == "Site http://example.org\n\n★"

    def test_normalize_title_keeps_a_letter_without_a_one_letter_capital(self) -> None:
        assert normalize_title("ßtraße") == "ßtraße"  # not "SStraße"
        assert normalize_title("foo_bar  baz") == "Foo bar baz"

    def test_see_also_with_descriptions_or_subsections_stays_a_section(self) -> None:
        page = convert(
            "x\n== See also ==\nAlso read:\n* [[A]], a thing\n=== More ===\n* [[B]]\n== Notes ==\nn"
        )
        assert page.see_also == ()
        assert [(level, heading) for level, heading, _ in page.sections] == [
            (2, "See also"),
            (3, "More"),
            (2, "Notes"),
        ]
        assert page.sections[0][2] == "Also read:\n- [[A]], a thing"

    def test_a_see_also_list_of_links_becomes_the_see_also_list(self) -> None:
        page = convert("x\n== See also ==\n* [[A]]\n* [[B#Part|b]]\n")
        assert page.see_also == ("A", "B#Part")
        assert page.sections == ()

    def test_a_renderer_failure_is_skipped_with_its_reason(
        self, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        from termpedia.content.importers import wikitext

        def broken(self: object, node: object, out: object, plain: object) -> None:
            raise TypeError("a bug")

        monkeypatch.setattr(wikitext._Article, "_wikilink", broken)
        item = convert_page(RawPage("T", 0, None, "[[x]]"))
        assert item.reason == "pages the converter failed on (TypeError)"  # type: ignore[union-attr]
