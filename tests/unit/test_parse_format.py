"""The article format, feature by feature: headings, anchors, title, infobox, links, robustness."""

from __future__ import annotations

import time

import pytest

from termpedia.content.article import Article, Link
from termpedia.content.display import section_display
from termpedia.content.parse import (
    MAX_INFOBOX,
    MAX_LINKS,
    MAX_SECTIONS,
    decode,
    fold_fragment,
    normalize_newlines,
    parse,
    render,
    scan_links,
    slugify,
)


def headings(article: Article) -> list[tuple[str, int]]:
    return [(s.heading, s.level) for s in article.walk() if s is not article.lead]


def messages(article: Article) -> list[tuple[int, str, str]]:
    return [(d.line, d.severity, d.message) for d in article.diagnostics]


def lossless(text: str, path: str = "<text>") -> Article:
    article = parse(text, path)
    assert render(article) == normalize_newlines(text)
    return article


class TestHeadingSyntax:
    def test_title_without_spaces(self) -> None:
        article = lossless("=Title=\nbody\n")
        assert article.title == "Title"
        assert article.diagnostics == ()

    def test_unbalanced_title_is_read_with_a_warning(self) -> None:
        article = lossless("= Title\nbody\n")
        assert article.title == "Title"
        assert messages(article) == [(1, "warning", "unbalanced '=' around the heading")]

    def test_unbalanced_section_heading_warns_on_its_line(self) -> None:
        article = lossless("= T =\n\n=== Sub ==\n")
        assert headings(article) == [("Sub", 3)]
        assert (3, "warning", "unbalanced '=' around the heading") in messages(article)

    def test_extra_spaces_inside_heading_are_dropped(self) -> None:
        article = lossless("= T =\n==  Spaced  ==\ntext\n")
        section = article.sections[0]
        assert (section.heading, section.anchor) == ("Spaced", "spaced")
        assert article.diagnostics == ()

    def test_trailing_spaces_after_heading_are_allowed(self) -> None:
        article = lossless("= T =  \n== A ==   \n")
        assert article.title == "T"
        assert headings(article) == [("A", 2)]

    @pytest.mark.parametrize("level", [2, 3, 4, 5, 6])
    def test_levels_two_to_six(self, level: int) -> None:
        marks = "=" * level
        text = "= T =\n" + "".join(f"{'=' * n} L{n} {'=' * n}\n" for n in range(2, level + 1))
        article = lossless(text + f"{marks} Last {marks}\nbody\n")
        assert headings(article)[-1] == ("Last", level)
        assert article.diagnostics == ()

    def test_seven_equals_signs_is_not_a_heading(self) -> None:
        article = lossless("= T =\n======= Seven =======\n")
        assert article.sections == ()
        assert article.lead.text == "======= Seven ======="

    @pytest.mark.parametrize("line", ["=", "==", "======", "=======", "===   ", "=============="])
    def test_a_line_of_only_equals_signs_is_not_a_heading(self, line: str) -> None:
        article = lossless(f"= T =\n{line}\ntext\n")
        assert article.sections == ()
        assert article.lead.text == f"{line}\ntext"

    def test_indented_heading_is_text(self) -> None:
        article = lossless("= T =\n == A ==\n")
        assert article.sections == ()

    def test_quoted_headings_keep_their_quotes(self) -> None:
        article = lossless('= T =\n=="Quoted"==\n')
        assert article.sections[0].heading == '"Quoted"'
        assert article.sections[0].anchor == "quoted"

    def test_equals_inside_heading_text_is_kept(self) -> None:
        article = lossless("= T =\n== a=b ==\n")
        assert article.sections[0].heading == "a=b"

    def test_empty_heading_warns_and_gets_a_fallback_anchor(self) -> None:
        article = lossless("= T =\n==  ==\nbody\n")
        assert article.sections[0].heading == ""
        assert article.sections[0].anchor == "section"
        assert (2, "warning", "empty heading") in messages(article)

    def test_heading_lines_are_one_based(self) -> None:
        article = lossless("= T =\n\nlead\n\n== A ==\n\n=== B ===\n\n== C ==\n")
        assert [(s.heading, s.line) for s in article.walk()] == [
            ("", 1),
            ("A", 5),
            ("B", 7),
            ("C", 9),
        ]

    def test_second_level_one_heading_is_a_section_with_warning(self) -> None:
        article = lossless("= T =\n= Again =\n")
        assert article.title == "T"
        assert headings(article) == [("Again", 1)]
        assert (2, "warning", "a second level-1 heading; read as a section") in messages(article)


class TestNesting:
    def test_sections_nest_under_the_nearest_lower_level(self) -> None:
        article = lossless("= T =\n== A ==\n=== A1 ===\n==== A1a ====\n=== A2 ===\n== B ==\n")
        a, b = article.sections
        assert [c.heading for c in a.children] == ["A1", "A2"]
        assert [c.heading for c in a.children[0].children] == ["A1a"]
        assert b.children == ()
        assert [s.heading for s in article.walk()] == ["", "A", "A1", "A1a", "A2", "B"]

    def test_skipped_level_warns_with_its_line(self) -> None:
        article = lossless("= T =\n== A ==\ntext\n==== D ====\n")
        assert messages(article) == [(4, "warning", "heading level jumps from 2 to 4")]
        assert article.sections[0].children[0].heading == "D"

    def test_first_section_below_level_two_warns(self) -> None:
        article = lossless("= T =\n=== Deep ===\n")
        assert messages(article) == [(2, "warning", "heading level jumps from 1 to 3")]

    def test_section_text_excludes_surrounding_blank_lines(self) -> None:
        article = lossless("= T =\n== A ==\n\n\npara one\n\npara two\n\n\n== B ==\n")
        assert article.sections[0].text == "para one\n\npara two"
        assert article.sections[0].raw_body == "\n\npara one\n\npara two\n\n\n"


class TestAnchors:
    @pytest.mark.parametrize(
        ("heading", "anchor"),
        [
            ("Historical evaluation", "historical-evaluation"),
            ('"The Permanent Revolution"', "the-permanent-revolution"),
            ("Knei-Paz", "knei-paz"),
            ("1945–1952: Florida", "1945-1952-florida"),
            ("Early life (1879–1898)", "early-life-1879-1898"),
            ("Café society", "café-society"),
            ("Ελληνικά", "ελληνικά"),
            ("Stalin's bloc", "stalins-bloc"),
            ("  Spaced   out  ", "spaced-out"),
            ("snake_case", "snake-case"),
            ("A -- B", "a-b"),
            ("1905", "1905"),
            ("!!!", ""),
        ],
    )
    def test_slugify(self, heading: str, anchor: str) -> None:
        assert slugify(heading) == anchor

    def test_fold_fragment_ignores_case_and_quotes(self) -> None:
        assert fold_fragment('"The Permanent REVOLUTION"') == "the-permanent-revolution"

    def test_anchor_of_parsed_heading(self) -> None:
        article = lossless("= T =\n== 1945–1952: Florida ==\n== Café ==\n")
        assert [s.anchor for s in article.sections] == ["1945-1952-florida", "café"]

    def test_duplicate_headings_get_numbered_anchors_and_warnings(self) -> None:
        article = lossless("= T =\n== Notes ==\n== Notes ==\n== Notes ==\n")
        assert [s.anchor for s in article.sections] == ["notes", "notes-2", "notes-3"]
        assert messages(article) == [
            (3, "warning", "repeated heading 'Notes': anchor is #notes-2"),
            (4, "warning", "repeated heading 'Notes': anchor is #notes-3"),
        ]

    def test_headings_differing_in_case_or_quotes_share_a_slug(self) -> None:
        article = lossless('= T =\n== Exile ==\n== "exile" ==\n')
        assert [s.anchor for s in article.sections] == ["exile", "exile-2"]

    def test_duplicate_anchor_does_not_collide_with_a_written_one(self) -> None:
        article = lossless("= T =\n== A 2 ==\n== A ==\n== A ==\n")
        anchors = [s.anchor for s in article.sections]
        assert len(set(anchors)) == 3
        assert anchors[:2] == ["a-2", "a"]

    def test_headings_without_letters_get_unique_fallback_anchors(self) -> None:
        article = lossless("= T =\n== !!! ==\n== ??? ==\n")
        assert [s.anchor for s in article.sections] == ["section", "section-2"]

    def test_anchor_lookup(self) -> None:
        article = lossless("= T =\n== A ==\n=== B ===\n")
        found = article.section("b")
        assert found is not None and found.heading == "B"


class TestTitle:
    def test_text_before_title_is_kept_and_warned(self) -> None:
        article = lossless("stray\n\n= T =\nbody\n")
        assert article.title == "T"
        assert article.prologue == "stray\n\n"
        assert article.lead.line == 3
        assert article.lead.text == "body"
        assert (1, "warning", "text before the title line") in messages(article)

    def test_blank_lines_before_title_are_not_warned(self) -> None:
        article = lossless("\n\n= T =\nbody\n")
        assert article.diagnostics == ()
        assert article.prologue == "\n\n"

    def test_missing_title_comes_from_the_file_stem(self) -> None:
        article = lossless("Just some text.\n== Part ==\nmore\n", "notes/my-idea.txt")
        assert article.title == "my-idea"
        assert messages(article) == [
            (1, "warning", "no '= Title =' line; the title is taken from the file name")
        ]
        assert article.lead.text == "Just some text."
        assert headings(article) == [("Part", 2)]

    def test_missing_title_without_a_path_is_empty(self) -> None:
        assert lossless("text\n").title == ""

    def test_empty_title_warns_and_falls_back_to_stem(self) -> None:
        article = lossless("= =\nbody\n", "dir/fallback.txt")
        assert article.title == "fallback"
        assert (1, "warning", "empty title") in messages(article)

    def test_title_repeat_line_is_skipped_in_lead(self) -> None:
        article = lossless("= T =\n\nT\n\nLead.\n")
        assert article.lead.text == "Lead."

    def test_lead_that_does_not_repeat_title_is_kept(self) -> None:
        article = lossless("= T =\nNot the title.\n")
        assert article.lead.text == "Not the title."


class TestInfobox:
    def test_pairs_are_read_in_order(self) -> None:
        article = lossless("= T =\nT\n- Born: 1879\n- Died: 1940\n\nLead.\n")
        assert article.infobox == (("Born", "1879"), ("Died", "1940"))
        assert article.lead.text == "Lead."

    def test_infobox_without_title_repeat(self) -> None:
        article = lossless("= T =\n- Born: 1879\nLead.\n")
        assert article.infobox == (("Born", "1879"),)

    def test_value_may_contain_colons(self) -> None:
        article = lossless("= T =\n- Time: 10:30\n")
        assert article.infobox == (("Time", "10:30"),)

    def test_infobox_ends_at_the_first_other_line(self) -> None:
        article = lossless("= T =\nT\n- K: V\nnot a pair\n- K2: V2\n")
        assert article.infobox == (("K", "V"),)
        assert article.lead.text == "not a pair\n- K2: V2"

    def test_infobox_ends_at_a_blank_line(self) -> None:
        article = lossless("= T =\nT\n- K: V\n\n- K2: V2\n")
        assert article.infobox == (("K", "V"),)
        assert article.lead.text == "- K2: V2"

    def test_bullet_without_colon_is_not_a_pair(self) -> None:
        article = lossless("= T =\n- just a bullet\n")
        assert article.infobox == ()
        assert article.lead.text == "- just a bullet"

    def test_aliases_are_split_on_semicolons(self) -> None:
        article = lossless("= T =\nT\n- Aliases: First name; Second ;; Third\n- Alias: Fourth\n")
        assert article.aliases == ("First name", "Second", "Third", "Fourth")
        assert ("Aliases", "First name; Second ;; Third") in article.infobox

    def test_infobox_stops_before_sections(self) -> None:
        article = lossless("= T =\n- K: V\n== A ==\n- K2: V2\n")
        assert article.infobox == (("K", "V"),)
        assert article.sections[0].text == "- K2: V2"


class TestLinks:
    def link(self, line: str) -> Link:
        article = lossless(f"= T =\n{line}\n")
        (link,) = article.links
        return link

    def test_plain_link(self) -> None:
        assert self.link("see [[Leon Trotsky]] now") == Link(
            "Leon Trotsky", "", "Leon Trotsky", "inline", 2, 4
        )

    def test_labelled_link(self) -> None:
        assert self.link("[[Leon Trotsky|Trotsky]]") == Link(
            "Leon Trotsky", "", "Trotsky", "inline", 2, 0
        )

    def test_link_with_section_and_label(self) -> None:
        link = self.link("x [[Leon Trotsky#Exile|in exile]]")
        assert link == Link("Leon Trotsky", "Exile", "in exile", "inline", 2, 2)
        assert link.address == "Leon Trotsky#Exile"

    def test_link_to_a_section_of_the_same_article(self) -> None:
        link = self.link("[[#History]]")
        assert (link.target, link.fragment, link.label) == ("", "History", "#History")
        assert link.address == "#History"

    def test_spaces_inside_link_are_trimmed(self) -> None:
        link = self.link("[[ A  #  B | c ]]")
        assert (link.target, link.fragment, link.label) == ("A", "B", "c")

    def test_empty_label_falls_back_to_address(self) -> None:
        assert self.link("[[A|]]").label == "A"

    def test_empty_links_are_ignored(self) -> None:
        assert lossless("= T =\n[[]] [[ | ]]\n").links == ()

    def test_nested_opening_takes_the_innermost(self) -> None:
        spans, unclosed = scan_links("[[a [[b]]")
        assert [(s.start, s.target) for s in spans] == [(4, "b")]
        assert unclosed is None

    def test_links_in_reading_order_with_lines_and_columns(self) -> None:
        article = lossless("= T =\n[[A]] and [[B]]\n== S ==\nx [[C|c]]\n")
        assert [(ln.target, ln.line, ln.column) for ln in article.links] == [
            ("A", 2, 0),
            ("B", 2, 10),
            ("C", 4, 2),
        ]
        assert [ln.target for ln in article.sections[0].links] == ["C"]

    def test_unclosed_link_warns_with_its_line(self) -> None:
        article = lossless("= T =\nok [[A]]\nbroken [[B and more\n")
        assert [ln.target for ln in article.links] == ["A"]
        assert messages(article) == [(3, "warning", "unclosed [[ link")]

    def test_link_does_not_span_lines(self) -> None:
        article = lossless("= T =\n[[A\nB]]\n")
        assert article.links == ()
        assert (2, "warning", "unclosed [[ link") in messages(article)

    def test_see_also_bullets_become_links(self) -> None:
        article = lossless(
            "= T =\n== See also ==\n- Plain\n*   Star#Part\n- [[Linked|label]]\ntext\n"
        )
        assert article.see_also == (
            Link("Plain", "", "Plain", "see_also", 3, 2),
            Link("Star", "Part", "Star#Part", "see_also", 4, 4),
            Link("Linked", "", "label", "see_also", 5, 2),
        )

    def test_bullets_outside_see_also_are_not_links(self) -> None:
        article = lossless("= T =\n== Works ==\n- Plain\n")
        assert article.links == ()
        assert article.see_also == ()

    def test_inline_link_in_see_also_prose_is_inline(self) -> None:
        article = lossless("= T =\n== See also ==\nAlso [[X]].\n")
        assert [(ln.target, ln.kind) for ln in article.links] == [("X", "inline")]
        assert article.see_also == ()

    def test_empty_link_bullet_in_see_also_is_not_a_link(self) -> None:
        article = lossless("= T =\n== See also ==\n- [[]]\n")
        assert article.see_also == ()


class TestNewlinesAndEncoding:
    def test_bom_and_crlf_are_normalised(self) -> None:
        text = "\ufeff= T =\r\nT\r\n- K: V\r\n\r\nLead.\r\n== A ==\r\nbody\r\n"
        article = parse(text)
        assert render(article) == "= T =\nT\n- K: V\n\nLead.\n== A ==\nbody\n"
        assert article.title == "T"
        assert article.infobox == (("K", "V"),)
        assert article.sections[0].text == "body"

    def test_lone_carriage_returns_are_kept(self) -> None:
        text = "= T =\nline\rsame line\n"
        assert render(parse(text)) == text

    def test_decode_reports_invalid_utf8_by_line(self) -> None:
        text, problems = decode(b"= T =\nok\nbad \xff here\n", "a.txt")
        assert text == "= T =\nok\nbad \ufffd here\n"
        assert [str(p) for p in problems] == [
            "a.txt:3: error: invalid UTF-8; bad bytes shown as \ufffd"
        ]

    def test_decode_reports_nul_bytes_by_line(self) -> None:
        text, problems = decode(b"= T =\n\nx\x00y\n", "b.txt")
        assert text == "= T =\n\nx\x00y\n"
        assert [(p.line, p.severity) for p in problems] == [(3, "error")]
        assert "NUL" in problems[0].message

    def test_decode_of_clean_text_has_no_problems(self) -> None:
        assert decode("= Café =\n".encode(), "c.txt") == ("= Café =\n", [])


class TestNeverRaises:
    def test_empty_string(self) -> None:
        article = lossless("")
        assert article.sections == ()
        assert article.lead.text == ""

    def test_only_headings(self) -> None:
        article = lossless("== A ==\n== B ==\n=== C ===", "only.txt")
        assert headings(article) == [("A", 2), ("B", 2), ("C", 3)]
        assert article.title == "only"

    def test_nul_bytes(self) -> None:
        text = "= T\x00 =\n\x00\x00\n== \x00 ==\n[[\x00]]\n"
        article = lossless(text)
        assert article.title == "T\x00"

    def test_five_megabyte_single_line(self) -> None:
        text = "word " * 999_999 + "word"
        article = lossless(text, "big.txt")
        assert article.lead.text == text

    def test_five_megabytes_of_link_brackets(self) -> None:
        lossless("[[" * 1_300_000 + "]]" * 1_300_000)

    def test_ten_thousand_headings(self) -> None:
        text = "= T =\n" + "".join(
            f"{'=' * (2 + n % 5)} H{n} {'=' * (2 + n % 5)}\nbody {n}\n" for n in range(10_000)
        )
        article = lossless(text)
        walked = [s for s in article.walk() if s is not article.lead]
        assert len(walked) == 10_000
        assert walked[-1].heading == "H9999"

    def test_many_identical_headings_parse_in_linear_time(self) -> None:
        text = "= T =\n" + "== Same ==\n" * 4_000
        started = time.perf_counter()
        article = parse(text)
        elapsed = time.perf_counter() - started
        assert article.sections[-1].anchor == "same-4000"
        assert elapsed < 0.5


class TestLimits:
    """Past the per-file limits the rest is text: kept, shown, warned about at its line."""

    def test_headings_past_the_limit_are_text_of_the_last_section(self) -> None:
        text = "= T =\n" + "".join(f"== H{n} ==\nbody {n}\n" for n in range(MAX_SECTIONS + 2))
        article = lossless(text)
        walked = [s for s in article.walk() if s is not article.lead]
        assert len(walked) == MAX_SECTIONS
        last = walked[-1]
        assert last.heading == f"H{MAX_SECTIONS - 1}"
        n = MAX_SECTIONS
        assert last.text == f"body {n - 1}\n== H{n} ==\nbody {n}\n== H{n + 1} ==\nbody {n + 1}"
        first_text_heading = 2 + 2 * MAX_SECTIONS
        assert (
            first_text_heading,
            "warning",
            "more than 10,000 headings: from here on, "
            "heading lines are read as text of the section above",
        ) in messages(article)

    def test_a_file_without_a_title_gets_the_same_number_of_sections(self) -> None:
        article = lossless("== H ==\n" * (MAX_SECTIONS + 1))
        assert len(article.sections) == MAX_SECTIONS
        assert article.sections[-1].text == "== H =="

    def test_links_past_the_limit_stay_as_written(self) -> None:
        text = "= T =\nx " + "[[A|a]] " * (MAX_LINKS + 1) + "\n== See also ==\n- B\n"
        article = lossless(text)
        assert len(article.links) == MAX_LINKS
        assert article.see_also == ()
        over = [m for m in messages(article) if m[2].startswith("more than 20,000 links")]
        assert over == [(2, "warning", "more than 20,000 links: later ones not listed")], (
            "once, at the line where the limit was passed"
        )
        shown = section_display(article.lead)
        assert len(shown.links) == MAX_LINKS
        assert shown.text.endswith("a a [[A|a]] ")

    def test_exactly_the_limit_is_no_warning_and_brackets_are_not_links(self) -> None:
        text = "= T =\nx " + "[[A|a]] " * MAX_LINKS + "\nfoo [[]] [[ ]]\n"
        article = lossless(text)
        assert len(article.links) == MAX_LINKS
        assert not [m for m in messages(article) if "links" in m[2]]
        article = lossless(text + "then [[B]]\n")
        assert [m for m in messages(article) if "links" in m[2]] == [
            (4, "warning", "more than 20,000 links: later ones not listed")
        ]

    def test_infobox_lines_past_the_limit_are_lead_text(self) -> None:
        text = "= T =\n" + "".join(f"- K{n}: v\n" for n in range(MAX_INFOBOX + 1)) + "Lead.\n"
        article = lossless(text)
        assert len(article.infobox) == MAX_INFOBOX
        assert article.lead.text == f"- K{MAX_INFOBOX}: v\nLead."
        assert (2 + MAX_INFOBOX, "warning", "more than 1,000 infobox lines: the rest is text") in (
            messages(article)
        )
