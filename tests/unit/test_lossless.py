"""Property tests: `render(parse(text))` gives the text back, whatever the text.

Run with HYPOTHESIS_PROFILE=fuzz for 10,000 examples per property.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from termpedia.content.display import display_text, section_display
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
