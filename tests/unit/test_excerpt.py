"""Snippet excerpts: cut on word boundaries with an ellipsis, white space collapsed, the
matched words' offsets kept."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from termpedia.index.excerpt import ELLIPSIS, excerpt, opening

TEXT = (
    "It was argued at length. In the view of Knei-Paz, the theory was a leading figure of speech."
)


def test_a_window_ending_inside_a_word_takes_the_word_whole() -> None:
    end = TEXT.index("Knei") + len("Knei")
    line, _ = excerpt(TEXT, [(TEXT.index("In the"), end, [])])
    assert line == f"{ELLIPSIS} In the view of Knei-Paz, {ELLIPSIS}"


def test_a_window_starting_inside_a_word_takes_the_word_whole() -> None:
    start = TEXT.index("igure")
    line, _ = excerpt(TEXT, [(start, len(TEXT), [])])
    assert line == f"{ELLIPSIS} figure of speech."


def test_no_ellipsis_where_nothing_was_left_out() -> None:
    line, _ = excerpt(TEXT, [(0, len(TEXT), [])])
    assert line == TEXT


def test_runs_of_space_are_collapsed_and_spans_follow() -> None:
    text = "compiler compiler     A utility\n\n  that   makes compilers"
    start = text.index("utility")
    line, spans = excerpt(text, [(0, len(text), [(start, start + len("utility"))])])
    assert line == "compiler compiler A utility that makes compilers"
    assert [line[a:b] for a, b in spans] == ["utility"]


def test_two_windows_are_joined_by_an_ellipsis() -> None:
    a, b = TEXT.index("argued"), TEXT.index("theory")
    line, spans = excerpt(
        TEXT,
        [(a, a + 6, [(a, a + 6)]), (b, b + 6, [(b, b + 6)])],
    )
    assert line == f"{ELLIPSIS} argued {ELLIPSIS} theory {ELLIPSIS}"
    assert [line[x:y] for x, y in spans] == ["argued", "theory"]


def test_the_opening_ends_after_a_whole_word() -> None:
    text = "Karl Radek was a leading figure of the Communist International and a journalist."
    line = opening(text, 22)
    assert line == f"Karl Radek was a leading {ELLIPSIS}"


@given(
    st.text(alphabet="ab \n-", min_size=1, max_size=80),
    st.integers(0, 80),
    st.integers(0, 80),
)
def test_any_window_gives_whole_words_and_valid_spans(text: str, one: int, two: int) -> None:
    start, end = sorted((min(one, len(text)), min(two, len(text))))
    words = [(i, i + 1) for i in range(start, end) if text[i] == "a"]
    line, spans = excerpt(text, [(start, end, words)])
    assert "  " not in line and "\n" not in line
    for x, y in spans:
        assert line[x:y] == "a"
    core = line.removeprefix(f"{ELLIPSIS} ").removesuffix(f" {ELLIPSIS}")
    assert core == "" or core in " ".join(text.split()) or core == line
