"""What reaches the screen: links shown by their labels, control characters made visible."""

from __future__ import annotations

import pytest
from conftest import SEED

from termpedia.content.display import display_text, plain_text, section_display
from termpedia.content.parse import parse
from termpedia.content.sanitize import visible


class TestDisplayText:
    def test_links_are_replaced_by_labels(self) -> None:
        shown = display_text("See [[Leon Trotsky]] and [[Karl Radek|Radek]] or [[A#B|c]].")
        assert shown.text == "See Leon Trotsky and Radek or c."

    def test_link_spans_cover_their_labels(self) -> None:
        shown = display_text("x [[Leon Trotsky]] y [[Karl Radek|Radek]]\n[[A#Sec|in A]] [[#Local]]")
        assert [shown.text[ln.start : ln.end] for ln in shown.links] == [
            "Leon Trotsky",
            "Radek",
            "in A",
            "#Local",
        ]
        assert [(ln.target, ln.fragment, ln.kind) for ln in shown.links] == [
            ("Leon Trotsky", "", "inline"),
            ("Karl Radek", "", "inline"),
            ("A", "Sec", "inline"),
            ("", "Local", "inline"),
        ]
        assert [ln.address for ln in shown.links] == [
            "Leon Trotsky",
            "Karl Radek",
            "A#Sec",
            "#Local",
        ]

    def test_spans_stay_right_after_control_characters(self) -> None:
        shown = display_text("\x1b[31m [[Red|red]] \x07 [[Blue]]")
        assert [shown.text[ln.start : ln.end] for ln in shown.links] == ["red", "Blue"]
        assert "\x1b" not in shown.text and "\x07" not in shown.text

    def test_unclosed_link_is_left_as_text(self) -> None:
        shown = display_text("a [[B]] c [[D")
        assert shown.text == "a B c [[D"
        assert [ln.target for ln in shown.links] == ["B"]

    def test_see_also_bullets_become_links(self) -> None:
        shown = display_text(
            "- Leon Trotsky\n*   Karl Radek#Exile\n- [[X|ex]]\nprose", see_also=True
        )
        assert shown.text == "- Leon Trotsky\n*   Karl Radek#Exile\n- ex\nprose"
        assert [
            (shown.text[ln.start : ln.end], ln.target, ln.fragment, ln.kind) for ln in shown.links
        ] == [
            ("Leon Trotsky", "Leon Trotsky", "", "see_also"),
            ("Karl Radek#Exile", "Karl Radek", "Exile", "see_also"),
            ("ex", "X", "", "see_also"),
        ]

    def test_bullets_outside_see_also_are_plain_text(self) -> None:
        assert display_text("- Leon Trotsky").links == ()

    def test_seed_see_also_section_displays_one_link(self) -> None:
        article = parse(SEED.read_text(encoding="utf-8"))
        section = article.section("see-also")
        assert section is not None
        shown = section_display(section)
        assert shown.text == "- Leon Trotsky bibliography"
        (link,) = shown.links
        assert shown.text[link.start : link.end] == "Leon Trotsky bibliography"
        assert link.kind == "see_also"


VISIBLE_CASES = [
    ("\x1b", "\u241b"),  # ESC -> ␛
    ("\x07", "\u2407"),  # BEL -> ␇
    ("\x00", "\u2400"),  # NUL -> ␀
    ("\r", "\u240d"),  # CR -> ␍
    ("\x7f", "\u2421"),  # DEL -> ␡
    ("\x9b", "\ufffd"),  # C1 CSI
    ("\x9d", "\ufffd"),  # C1 OSC
    ("\u202e", "\ufffd"),  # RIGHT-TO-LEFT OVERRIDE
    ("\u2066", "\ufffd"),  # LEFT-TO-RIGHT ISOLATE
    ("\u2028", " "),  # LINE SEPARATOR
]


class TestVisible:
    @pytest.mark.parametrize(("char", "shown"), VISIBLE_CASES)
    def test_control_character_is_shown_as_a_visible_one(self, char: str, shown: str) -> None:
        assert visible(f"a{char}b") == f"a{shown}b"

    def test_every_c0_and_c1_control_but_newline_and_tab_is_replaced(self) -> None:
        controls = [chr(c) for c in (*range(0x20), 0x7F, *range(0x80, 0xA0))]
        result = visible("".join(controls))
        assert len(result) == len(controls)
        assert {c for c in result if c.isprintable() is False} <= {"\n", "\t"}
        assert result[ord("\n")] == "\n" and result[ord("\t")] == "\t"

    def test_length_never_changes(self) -> None:
        text = "\x1b]0;title\x07 \x9b31m \u202eevil\u202c\x00\x7f"
        assert len(visible(text)) == len(text)

    def test_escape_sequence_is_defused(self) -> None:
        assert visible("\x1b]0;title\x07") == "\u241b]0;title\u2407"

    def test_newlines_tabs_and_ordinary_text_are_kept(self) -> None:
        text = "Line one\n\tCafé — 語 [bold]x[/bold]"
        assert visible(text) == text


class TestPlainText:
    @pytest.fixture(scope="class")
    def text(self) -> str:
        return str(plain_text(parse(str(SEED.read_text(encoding="utf-8")))))

    def test_starts_with_title_and_underline(self, text: str) -> None:
        title = "The Permanent Revolution and Results and Prospects"
        assert text.startswith(f"{title}\n{'=' * len(title)}\n")

    def test_contains_the_infobox(self, text: str) -> None:
        assert "  Author: Leon Trotsky\n" in text
        assert "  Media Type: Print.\n" in text

    def test_contains_every_heading_marked_by_level(self, text: str) -> None:
        lines = text.split("\n")
        for heading in (
            "# Synopsis",
            '## "The Permanent Revolution"',
            '## "Results and Prospects"',
            "# Historical evaluation",
            "# See also",
        ):
            assert heading in lines

    def test_contains_the_bodies_in_order(self, text: str) -> None:
        order = [
            "is a 1930 book",
            "is a 1928 essay",
            "is a 1906 essay",
            '"reckless confrontations"',
            "- Leon Trotsky bibliography",
        ]
        positions = [text.index(piece) for piece in order]
        assert positions == sorted(positions)
        assert text.endswith("- Leon Trotsky bibliography\n")

    def test_one_section_and_its_subsections(self) -> None:
        article = parse(SEED.read_text(encoding="utf-8"))
        text = plain_text(article, "synopsis")
        assert text.startswith("# Synopsis\n")
        assert "1928 essay" in text and "1906 essay" in text
        assert "Author" not in text and "reckless" not in text

    def test_links_and_controls_in_plain_text(self) -> None:
        article = parse("= T\x1b =\n- Key: va\x07lue\n\nSee [[Target|the label]].\n")
        text = plain_text(article)
        assert "the label" in text and "[[" not in text
        assert "\x1b" not in text and "\x07" not in text
        assert "T\u241b" in text and "va\u2407lue" in text


class TestBlocksAreSanitised:
    def test_table_cells_code_and_quotes_show_control_characters(self) -> None:
        shown = display_text(
            "| \x1b[31mred | [[A|\x07bell]] |\n|---|---|\n> \x9b2J\n```\n\x1b]0;t\x07\n```"
        )
        assert "\x1b" not in shown.text and "\x07" not in shown.text and "\x9b" not in shown.text
        (table,) = [b.table for b in shown.blocks if b.table is not None]
        assert [cell.text for cell in table.rows[0]] == ["\u241b[31mred", "\u2407bell"]
        assert all(shown.text[c.start : c.end] == c.text for c in table.rows[0])
