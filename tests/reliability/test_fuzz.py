"""Fuzzing: articles from the format's grammar and from random bytes, pathological files, and
whatever can be typed into the search.

The normal run uses small example counts (200, and 100 for the slower search properties);
`HYPOTHESIS_PROFILE=reliability-fuzz` runs every property with 10,000 examples and checks
four more shapes for linear time.
"""

from __future__ import annotations

import gc
import math
import shutil
import signal
import time
import unicodedata
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from reliability_support import BIG_RUN, PROFILE, RAW_CONTROL, scaled

from termpedia.content.display import plain_text, section_display
from termpedia.content.library import Shelf, load_article
from termpedia.content.parse import normalize_newlines, parse, render
from termpedia.index.build import documents, update
from termpedia.index.search import Index, SearchHit, SearchResult

CORPUS = Path(__file__).resolve().parents[1] / "fixtures" / "corpus"

# -- the format's grammar, with the hostile bits a real file may hold ------------------------

WORDS = ["revolution", "café", "ünïcode", "语言", "1905", "party", "x", "Über", "naïve", "ǅ"]
HOSTILE = [
    "\x1b[31m",
    "\x1b]0;t\x07",
    "\x1b]8;;http://e\x1b\\",
    "\x1b]52;c;aGk=\x07",
    "\x9b2J",
    "\x9d0;x\x9c",
    "\u202e",
    "\u200b",
    "\ufeff",
    "\x00",
    "\x7f",
    "\x85",
    "\u2028",
    "[bold]",
    "[/]",
    "[@click=app.quit]",
    "[link=x]",
    "\t",
    "\r",
]
word = st.one_of(st.sampled_from(WORDS), st.sampled_from(HOSTILE), st.text(max_size=4))
name = st.lists(st.sampled_from(WORDS), min_size=1, max_size=3).map(" ".join)
link = st.one_of(
    st.builds(
        "[[{}{}{}]]".format,
        st.one_of(name, st.just(""), word),
        st.sampled_from(["", "#", "#Sec", "#a#b", "#café"]),
        st.sampled_from(["", "|", "|label", "|a|b", "|[[x]]"]),
    ),
    st.sampled_from(["[[", "]]", "[[a", "a]]", "[[|]]", "[[#]]", "[[[[a]]]]", "[[a [[b]]", "[["]),
)
inline = st.lists(st.one_of(word, word, link), max_size=8).map(" ".join)
heading_line = st.builds(
    "{}{}{}{}{}".format,
    st.integers(1, 8).map("=".__mul__),
    st.sampled_from(["", " ", "  "]),
    st.one_of(name, inline, st.just("")),
    st.sampled_from(["", " ", "\t"]),
    st.integers(0, 8).map("=".__mul__),
)
table_row = st.builds(
    "|{}{}".format,
    st.lists(st.one_of(inline, st.just(""), st.just("a \\| b")), max_size=4).map("|".join),
    st.sampled_from(["", "|", "| "]),
)
line = st.one_of(
    heading_line,
    st.builds("- {}:{}".format, st.one_of(name, st.text(max_size=70), inline), inline),
    st.builds(
        "{}{}".format,
        st.sampled_from(
            ["- ", "* ", "-", "  - ", "1. ", "12) ", "    3. ", "1917. ", ";", "; ", ":", "::"]
            + ["  : ", ">", "> ", ">> ", "> > ", "|", "\u2007"]
        ),
        inline,
    ),
    table_row,
    st.sampled_from(["|---|", "|:---|---:|", "| --- | :---: |", "|-|", "|---", "| --- |x|"]),
    st.sampled_from(["```", "```python", "````", "``` x`y", "```  ", "`` "]),
    inline,
    st.sampled_from(
        ["", " ", "==", "=", "======", "=======", "- Aliases: A; B;;", "== See also =="]
    ),
)
article_text = st.builds(
    lambda bom, lines, newline, end: bom + newline.join(lines) + end,
    st.sampled_from(["", "\ufeff"]),
    st.lists(line, max_size=30),
    st.sampled_from(["\n", "\r\n"]),
    st.sampled_from(["", "\n", "\r\n", "\n\n"]),
)


def check_article(text: str, path: str = "fuzz/article.txt") -> None:
    """Everything the reader's pipeline does with a parsed article, and its invariants."""
    article = parse(text, path)
    source = normalize_newlines(text)
    assert render(article) == source, "lossless"
    lines = source.split("\n")
    assert all(1 <= d.line <= len(lines) for d in article.diagnostics)
    sections = list(article.walk())
    anchors = [s.anchor for s in sections]
    assert len(anchors) == len(set(anchors)), "anchors are unique"
    numbers = [s.line for s in sections if s is not article.lead]
    assert numbers == sorted(numbers) and len(numbers) == len(set(numbers)), "document order"
    for section in sections:
        if section is not article.lead:
            assert section.raw_heading.rstrip("\n") == lines[section.line - 1]
            assert all(child.level > section.level for child in section.children)
        shown = section_display(section)
        assert not RAW_CONTROL.search(shown.text), "display text is sanitised"
        assert all(0 <= ln.start <= ln.end <= len(shown.text) for ln in shown.links)
        for block in shown.blocks:
            assert 0 <= block.start <= block.content <= block.end <= len(shown.text)
            for cells in block.table.rows if block.table else ():
                assert all(shown.text[c.start : c.end] == c.text for c in cells)
    assert not RAW_CONTROL.search(plain_text(article))
    assert not RAW_CONTROL.search(plain_text(article, width=12))
    docs = list(documents(article, "fuzz"))
    assert len(docs) == len(sections)
    assert len({d["key"] for d in docs}) == len(docs), "index keys are unique"


class TestGeneratedArticles:
    @PROFILE
    @given(article_text)
    def test_grammar_articles_parse_display_and_index_safely(self, text: str) -> None:
        check_article(text)

    @PROFILE
    @given(
        article_text,
        st.lists(
            st.tuples(st.integers(0, 10_000), st.sampled_from(HOSTILE + list("=[]|#-:\n"))),
            max_size=8,
        ),
    )
    def test_mutated_grammar_articles_still_parse(
        self, text: str, mutations: list[tuple[int, str]]
    ) -> None:
        for position, insert in mutations:
            cut = position % (len(text) + 1)
            text = text[:cut] + insert + text[cut:]
        check_article(text)

    @PROFILE
    @given(st.text(alphabet=st.characters(exclude_categories=["Cs"]), max_size=400))
    def test_random_text_parses_display_and_index_safely(self, text: str) -> None:
        check_article(text)

    @PROFILE
    @given(
        st.one_of(
            st.binary(max_size=400),
            st.builds(
                lambda text, junk, at: (
                    lambda b: b[: at % (len(b) + 1)] + junk + b[at % (len(b) + 1) :]
                )(text.encode("utf-8")),
                article_text,
                st.sampled_from(
                    [b"\xff", b"\xc3", b"\xe2\x82", b"\xed\xa0\x80", b"\x80\x80", b"\0"]
                ),
                st.integers(0, 5000),
            ),
        )
    )
    def test_any_bytes_load_never_raises_and_bad_utf8_is_located(self, data: bytes) -> None:
        article = load_article(Path("fuzz/bytes.txt"), data)
        text = data.decode("utf-8", errors="replace")
        assert render(article) == normalize_newlines(text)
        try:
            data.decode("utf-8")
        except UnicodeDecodeError as error:
            first = article.diagnostics[0]
            assert (first.severity, first.message.startswith("invalid UTF-8")) == ("error", True)
            assert first.line == data.count(b"\n", 0, error.start) + 1
        check_article(text, "fuzz/bytes.txt")


# -- pathological files: linear time ---------------------------------------------------------

MB = 1024 * 1024
SIZE = 5 * MB
BOUND = 1.0
"""Seconds for a 5 MB file (each shape takes 0.05-0.25 s here): a loaded 2-core machine passes,
while a quadratic blow-up (minutes) cannot."""


def repeat(unit: str, size: int = SIZE) -> str:
    return unit * (size // len(unit))


DEEP_MIX = "======\n= a\n====== b ======\n=== c\n== d =\n=======x\n===== e =====\n==\n"
SHAPES: list[object] = [
    pytest.param("[[", lambda: repeat("[["), id="one-line-of-open-brackets"),
    pytest.param("[[a|", lambda: repeat("[[a|"), id="one-line-of-open-link-with-bar"),
    pytest.param("=", lambda: ("=" * 51 + "\n") * 100_000, id="100k-lines-of-equals"),
    pytest.param("== a ==", lambda: repeat("== a ==\n"), id="heading-repeated"),
    pytest.param("- k: v", lambda: repeat("- k: v\n"), id="infobox-line-repeated"),
    pytest.param("deep mix", lambda: repeat(DEEP_MIX), id="deep-equals-mixes"),
    pytest.param("1 MB lines", lambda: ("y" * (MB - 1) + "\n") * 5, id="one-megabyte-lines"),
    pytest.param("```", lambda: repeat("```\n[[a]]\n"), id="code-fences-and-links"),
    pytest.param("| [[", lambda: repeat("| [[a|b]] | c \\| d |\n|---|\n"), id="table-rows"),
]


class TooSlow(Exception):
    pass


def timed_parse(text: str, limit: float) -> float:
    """Seconds `parse(text)` takes, or infinity as soon as it exceeds `limit` (SIGALRM), so a
    quadratic parser fails the test instead of hanging the suite."""

    def expire(signum: int, frame: object) -> None:
        raise TooSlow

    # A handler that raises inside a gc callback (Hypothesis installs one) is swallowed:
    # run none during the parse, and fire again every 0.1 s in case one is swallowed anyway.
    callbacks = gc.callbacks[:]
    gc.callbacks.clear()
    gc.collect()  # no garbage of earlier tests collected on this parse's time
    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, limit, 0.1)
    started = time.perf_counter()
    try:
        article = parse(text, "pathological.txt")
        seconds = time.perf_counter() - started
    except TooSlow:
        # Abandoned: returning (not raising) frees the half-built parse at once, where a
        # failure's traceback would keep it alive and slow every later test's GC.
        return math.inf
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        gc.callbacks[:] = callbacks
    assert render(article) == text
    return seconds


@pytest.mark.parametrize(("shape", "make"), SHAPES)
def test_five_megabyte_pathological_file_parses_in_bounded_time(
    shape: str, make: Callable[[], str]
) -> None:
    text = make()
    assert len(text.encode()) >= 5 * 10**6, shape
    seconds = timed_parse(text, BOUND)
    assert seconds < BOUND, f"{shape}: more than {BOUND} s for 5 MB"


LINEAR: list[object] = [
    pytest.param("== a ==\n", id="heading-repeated"),
    pytest.param(DEEP_MIX, id="deep-mix"),
]
if BIG_RUN:  # more shapes whose cost is per item (a heading, a line, a link)
    LINEAR += [
        pytest.param("=\n", id="lines-of-one-equals"),
        pytest.param("- k: v\n", id="infobox-line-repeated"),
        pytest.param("[[a [[b]] ", id="nested-links-one-line"),
        pytest.param("[[a|b]] ", id="links-one-line"),
    ]


@pytest.mark.parametrize("unit", LINEAR)
def test_item_dense_files_are_linear(unit: str) -> None:
    """The slow shapes above are slow by a constant, not quadratic: 4x the text, ~4x the time.

    The parser's own work: CPU time of this process (other processes on the machine do not
    count) with the cyclic GC paused (its cost depends on what earlier tests left alive).
    """

    def cpu_seconds(text: str) -> float:
        gc.collect()
        gc.disable()
        started = time.process_time()
        try:
            assert timed_parse(text, 30) < 30
        finally:
            gc.enable()
        return time.process_time() - started

    small = min(cpu_seconds(repeat(unit, MB // 8)) for _ in range(2))
    large = cpu_seconds(repeat(unit, MB // 2))
    assert large / small < 8, f"{small:.2f} s for 128 KB but {large:.2f} s for 512 KB"


@pytest.mark.parametrize(
    "unit", ["- x [[a]]\n", "> q\n", "```\n[[a]]\n", "| [[a|b]] | c \\| d |\n|---|\n"]
)
def test_display_of_block_dense_files_is_linear(unit: str) -> None:
    """A file of nothing but list items, quotes, code fences or table rows has a block per
    line: its display text (what the index and the reader show) costs time in proportion."""

    def cpu_seconds(text: str) -> float:
        article = parse(text, "dense.txt")
        gc.collect()
        gc.disable()
        started = time.process_time()
        try:
            section_display(article.lead)
        finally:
            gc.enable()
        return time.process_time() - started

    small = min(cpu_seconds(repeat(unit, MB // 8)) for _ in range(2))
    large = cpu_seconds(repeat(unit, MB // 2))
    assert large / small < 8, f"{small:.2f} s for 128 KB but {large:.2f} s for 512 KB"


# -- whatever is typed into the search -------------------------------------------------------

EXTRA = {
    "unicode.txt": "= Ünïcode Straße =\n\n- Aliases: 语言; NUL\n\nNaïve café 语言 Straße, "
    "AND OR NOT in text, C++ and C# and -minus and title:colon.\n\n== Zweite ==\nZweite café.\n",
    "hostile.txt": "= Hostile [bold]x[/bold] =\n\n\x1b[31mred\x1b[0m \x9b2J \u202egnirts "
    "[@click=app.quit]q[/] quokka.\n",
}


@pytest.fixture(scope="module")
def fuzz_index(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Index]:
    folder = tmp_path_factory.mktemp("query-fuzz")
    shutil.copytree(CORPUS, folder / "fixtures")
    (folder / "extra").mkdir()
    for file, text in EXTRA.items():
        (folder / "extra" / file).write_text(text, encoding="utf-8")
    update(
        folder / "index", [Shelf("fixtures", folder / "fixtures"), Shelf("extra", folder / "extra")]
    )
    index = Index(folder / "index")
    yield index
    index.close()


SYNTAX = [
    '"',
    "(",
    ")",
    ":",
    "*",
    "-",
    "?",
    "~",
    "^",
    "[",
    "]",
    "{",
    "}",
    "\\",
    "/",
    "+",
    "!",
    "'",
    "AND",
    "OR",
    "NOT",
    "ANDNOT",
    "ANDMAYBE",
    "TO",
    "title:",
    "heading:",
    "library:",
    "section:",
    "x:",
    "\x00",
    "#",
    "%",
    "%zz",
    "%00",
    "_",
    "zorblax",
    "nebula",
    "café",
    "语言",
    "Straße",
    "e\u0301",
    "\u202e",
    "\x1b[31m",
    "[bold]",
    " ",
    "  ",
    "\t",
    "\n",
]
typed = st.one_of(
    st.text(alphabet=st.characters(exclude_categories=["Cs"])),
    st.lists(st.one_of(st.sampled_from(SYNTAX), st.text(max_size=3)), max_size=14).map("".join),
    st.lists(st.sampled_from(SYNTAX), max_size=10).map(" ".join),
)


def check_result(result: SearchResult, query: str, limit: int) -> None:
    assert isinstance(result, SearchResult)
    assert result.query == query
    assert isinstance(result.hits, tuple) and len(result.hits) <= limit
    assert all(isinstance(hit, SearchHit) for hit in result.hits)
    assert len({hit.key for hit in result.hits}) == len(result.hits)
    assert result.total >= len(result.hits)
    assert isinstance(result.note, str)
    for hit in result.hits:
        assert all(0 <= a <= b <= len(hit.snippet.text) for a, b in hit.snippet.spans)


AWKWARD = [
    "(" * 300 + "a" + ")" * 300,
    "a " * 3000,
    "a*" * 300,
    "*",
    "title:*",
    "[a TO z]",
    "{a TO}",
    "title:(zorblax OR",
    "NOT NOT NOT",
    "- - -",
    '""',
    "zorblax~3^2",
    "library:",
    "\x00" * 50,
    unicodedata.normalize("NFD", "café Straße"),
    "ﬃ 𝕏 ǅ",
]


class TestTypedQueries:
    # 100 examples in the normal run (a search costs a few ms), 10,000 in the big run.
    @scaled(100, 10_000)
    @given(typed)
    def test_any_query_returns_a_search_result(self, fuzz_index: Index, query: str) -> None:
        result = fuzz_index.search(query, limit=7)
        check_result(result, query, 7)
        if not result.hits:
            assert result.total == 0

    @scaled(100, 10_000)
    @given(typed, st.sampled_from(["", "fixtures", "extra", "nosuch"]))
    def test_any_query_in_a_library_and_every_typed_entry_point(
        self, fuzz_index: Index, query: str, library: str
    ) -> None:
        check_result(fuzz_index.search(query, limit=5, library=library), query, 5)
        check_result(fuzz_index.instant(query, limit=5, library=library), query, 5)  # as typed
        text = EXTRA["unicode.txt"]
        for start, end in fuzz_index.matches_in(query, text):
            assert 0 <= start < end <= len(text)
        assert isinstance(fuzz_index.rank_titles(query), list)  # `o`, the title jump
        assert isinstance(fuzz_index.title_candidates(query), list)  # the command palette
        fuzz_index.complete(query)
        fuzz_index.catalog.resolve(query)  # a typed address / link target
        fuzz_index.catalog.closest(query)
        fuzz_index.backlinks(query)

    @pytest.mark.parametrize(
        "query",
        AWKWARD,
        ids=lambda query: ascii(query)[:24],
    )
    def test_awkward_queries(self, fuzz_index: Index, query: str) -> None:
        started = time.perf_counter()
        check_result(fuzz_index.search(query), query, 20)
        assert time.perf_counter() - started < 5

    def test_the_unicode_and_hostile_articles_are_found(self, fuzz_index: Index) -> None:
        assert fuzz_index.search("café").hits
        assert fuzz_index.search("quokka").hits[0].title == "Hostile [bold]x[/bold]"
        assert fuzz_index.search("C++ -minus").total >= 0
