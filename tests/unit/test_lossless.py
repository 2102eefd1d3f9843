"""Property tests: `render(parse(text))` gives the text back, whatever the text, and articles
made of every block kind (lists, definitions, quotes, code, tables) parse as written.

Run with HYPOTHESIS_PROFILE=fuzz for 10,000 examples per property.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from termpedia.content.blocks import read_blocks
from termpedia.content.display import display_text, section_display, with_tables
from termpedia.content.parse import normalize_newlines, parse, render, slugify

_PROFILES = {
    "default": dict(max_examples=300, deadline=None),
    "fuzz": dict(max_examples=10_000, deadline=None, suppress_health_check=[HealthCheck.too_slow]),
}
for _name, _options in _PROFILES.items():
    settings.register_profile(f"termpedia-{_name}", **_options)  # type: ignore[arg-type]
_SELECTED = os.environ.get("HYPOTHESIS_PROFILE", "default")
PROFILE = settings.get_profile(f"termpedia-{_SELECTED if _SELECTED in _PROFILES else 'default'}")

# Characters that matter to the format, and the ones that break naive line handling.
SPECIAL = "=[]|#-:*\n\r\ufeff\x00\x07\x1b\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029\x9b\u202e\t "
special_chars = st.sampled_from(SPECIAL)
any_text = st.text(
    alphabet=st.one_of(special_chars, st.characters(), st.sampled_from("aZé语 ")), max_size=300
)
line_based = st.lists(
    st.one_of(
        st.sampled_from(["= T =", "== S ==", "=== S", "- K: V", "- Aliases: A; B", "==", ""]),
        st.text(alphabet=st.one_of(special_chars, st.sampled_from("aZ é")), max_size=40),
    ),
    max_size=25,
).map("\n".join)


class TestArbitraryText:
    @PROFILE
    @given(any_text)
    def test_render_of_parse_is_the_normalised_text(self, text: str) -> None:
        assert render(parse(text)) == normalize_newlines(text)

    @PROFILE
    @given(line_based, st.booleans(), st.booleans())
    def test_line_shaped_text_round_trips_with_bom_and_crlf(
        self, text: str, bom: bool, crlf: bool
    ) -> None:
        if crlf:
            text = text.replace("\n", "\r\n")
        if bom:
            text = "\ufeff" + text
        article = parse(text, "dir/name.txt")
        assert render(article) == normalize_newlines(text)
        # Anchors are unique and every diagnostic points into the file.
        anchors = [s.anchor for s in article.walk()]
        assert len(anchors) == len(set(anchors))
        lines = normalize_newlines(text).count("\n") + 1
        assert all(1 <= d.line <= lines for d in article.diagnostics)

    @PROFILE
    @given(any_text)
    def test_display_text_keeps_link_spans_on_their_labels(self, text: str) -> None:
        for see_also in (False, True):
            shown = display_text(text, see_also=see_also)
            for link in shown.links:
                assert 0 <= link.start <= link.end <= len(shown.text)


# A grammar of well-formed articles.
VOCABULARY = [
    "revolution",
    "permanent",
    "café",
    "trotsky",
    "ünïcode",
    "1905",
    "essay",
    "théorie",
    "party",
    "union",
    "war",
]
word = st.sampled_from(VOCABULARY)
name = st.lists(word, min_size=1, max_size=3).map(" ".join).map(lambda s: s[:1].upper() + s[1:])
heading_text = st.one_of(name, name.map(lambda s: f'"{s}"'), name.map(lambda s: f"{s}-{s}"))


link = st.builds(
    "[[{}{}{}]]".format,
    name,
    st.sampled_from(["", "#Early life", '#"Quoted" part', "#café"]),
    st.sampled_from(["", "|label", "|the café"]),
)


paragraph = st.lists(st.one_of(word, word, link), min_size=1, max_size=6).map(" ".join)


@st.composite
def article_source(draw: st.DrawFn) -> tuple[str, str, list[tuple[str, int]]]:
    title = draw(name)
    lines = [draw(st.sampled_from([f"= {title} =", f"={title}="]))]
    if draw(st.booleans()):
        lines += ["", title]
    for key, value in draw(st.lists(st.tuples(name, paragraph), max_size=3)):
        lines.append(f"- {key}: {value}")
    lines.append("")
    lines += draw(st.lists(paragraph, max_size=2))
    expected: list[tuple[str, int]] = []
    for level, text in draw(st.lists(st.tuples(st.integers(2, 4), heading_text), max_size=6)):
        marks = "=" * level
        lines.append(draw(st.sampled_from([f"{marks}{text}{marks}", f"{marks} {text} {marks}"])))
        expected.append((text, level))
        if draw(st.booleans()):
            lines += [draw(paragraph), ""]
    if draw(st.booleans()):
        lines.append("== See also ==")
        expected.append(("See also", 2))
        lines += ["- " + draw(name) for _ in range(draw(st.integers(0, 3)))]
    ending = draw(st.sampled_from(["", "\n", "\n\n"]))
    return title, "\n".join(lines) + ending, expected


class TestGeneratedArticles:
    @PROFILE
    @given(article_source())
    def test_round_trip_headings_and_links(
        self, generated: tuple[str, str, list[tuple[str, int]]]
    ) -> None:
        title, text, expected = generated
        article = parse(text, "generated.txt")
        assert render(article) == text
        assert article.title == title
        walked = [(s.heading, s.level) for s in article.walk() if s is not article.lead]
        assert walked == expected
        for section in article.walk():
            if section.heading:
                assert section.anchor.startswith(slugify(section.heading))
        assert not article.has_errors
        # What the reader sees: labels in place of the markup, each link on its label.
        for section in article.walk():
            shown = section_display(section)
            assert "[[" not in shown.text
            labels = [ln.label for ln in section.links]
            assert [shown.text[d.start : d.end] for d in shown.links] == labels
            assert [(d.target, d.fragment) for d in shown.links] == [
                (ln.target, ln.fragment) for ln in section.links
            ]


# Blocks: every list kind, quotes, code and tables, each with the kinds it must parse as.
cell = st.one_of(word, link, st.just(""), st.builds("{} \\| {}".format, word, word))
row = st.lists(cell, min_size=1, max_size=4).map(
    lambda cells: "| " + " | ".join(cells) + st_choice(cells, [" |", ""])
)


def st_choice(seed: list[str], options: list[str]) -> str:
    """A deterministic choice from `options` (the strategy already drew `seed`)."""
    return options[len(seed) % len(options)]


delimiter = st.lists(
    st.sampled_from(["---", ":---", "---:", ":---:", " ---- "]), min_size=1, max_size=4
).map(lambda cells: "|" + "|".join(cells) + "|")


@st.composite
def block_source(draw: st.DrawFn) -> tuple[list[str], list[str]]:
    """(lines, expected block kinds) of one block or run of one-line blocks."""
    kind = draw(st.sampled_from(["list", "definitions", "quote", "code", "table", "paragraph"]))
    if kind == "list":
        lines, depth, number = [], 1, 1
        for _ in range(draw(st.integers(1, 5))):
            depth = draw(st.integers(1, depth + 1))
            marker = draw(st.sampled_from(["-", "*", f"{number}.", f"{number})"]))
            number += 1
            lines.append("  " * (depth - 1) + f"{marker} {draw(paragraph)}")
        return lines, ["item"] * len(lines)
    if kind == "definitions":
        lines = [f";{draw(st.sampled_from(['', ' ']))}{draw(paragraph)}"]
        lines += [
            f"{':' * draw(st.integers(1, 3))} {draw(paragraph)}"
            for _ in range(draw(st.integers(0, 3)))
        ]
        return lines, ["term"] + ["definition"] * (len(lines) - 1)
    if kind == "quote":
        lines = [
            f"{draw(st.sampled_from(['>', '> ', '>>', '> > ']))}{draw(paragraph)}"
            for _ in range(draw(st.integers(1, 3)))
        ]
        return lines, ["quote"] * len(lines)
    if kind == "code":
        body = draw(
            st.lists(
                st.one_of(
                    paragraph,
                    st.sampled_from(["| a |", "|---|", "- x", "", "  indented [[x]]", "``"]),
                ),
                max_size=4,
            )
        )
        return ["```" + draw(st.sampled_from(["", "python"])), *body, "```"], ["code"]
    if kind == "table":
        header = draw(st.lists(row, max_size=2))
        body = draw(st.lists(row, max_size=4))
        return [*header, draw(delimiter), *body], ["table"]
    return [draw(paragraph)], ["paragraph"]


@st.composite
def article_with_blocks(draw: st.DrawFn) -> tuple[str, list[list[str]]]:
    """An article whose sections hold blocks apart by blank lines, and the kinds per section."""
    lines = ["= Blocks =", ""]
    expected: list[list[str]] = []
    for number in range(draw(st.integers(1, 3))):
        if number:
            lines += ["", f"== Part {number} =="]
        kinds: list[str] = []
        for block_lines, block_kinds in draw(st.lists(block_source(), max_size=5)):
            lines += [*block_lines, ""]
            kinds += block_kinds
        expected.append(kinds)
    return "\n".join(lines) + draw(st.sampled_from(["", "\n"])), expected


class TestGeneratedBlocks:
    @PROFILE
    @given(article_with_blocks())
    def test_blocks_round_trip_and_parse_as_written(
        self, generated: tuple[str, list[list[str]]]
    ) -> None:
        text, expected = generated
        article = parse(text, "blocks.txt")
        assert render(article) == text
        assert article.diagnostics == ()
        sections = list(article.walk())
        assert len(sections) == len(expected)
        for section, kinds in zip(sections, expected, strict=True):
            found = [b.kind for b in read_blocks(section.text.split("\n"))]
            assert found == kinds
            shown = section_display(section)
            # Every link outside code is shown by its label, in order, table cells included.
            labels = [ln.label for ln in section.links]
            assert [shown.text[d.start : d.end] for d in shown.links] == labels
            for block in shown.blocks:
                assert 0 <= block.start <= block.end <= len(shown.text)
                if block.table is not None:
                    for table_row in block.table.rows:
                        assert len(table_row) == block.table.columns
                        for c in table_row:
                            assert shown.text[c.start : c.end] == c.text
                            assert "|" not in c.text or "\\|" in text
            # Tables print, aligned or folded, at any width, losing no value (a folded
            # table names a column's header only beside its values).
            for width in (20, 80):
                printed = with_tables(shown, width)
                for block in shown.blocks:
                    table = block.table
                    for table_row in table.rows[table.header_rows :] if table else ():
                        for c in table_row:
                            assert all(piece in printed for piece in c.text.split())
