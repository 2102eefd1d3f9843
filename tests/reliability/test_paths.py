"""Paths: whatever an imported article's title is, its file lands inside the library folder,
under a name no other title shares (even on a case- or normalisation-insensitive disk).
"""

from __future__ import annotations

import itertools
import os
import tempfile
import unicodedata
from pathlib import Path, PurePosixPath

from conftest import write_dictionary
from hypothesis import given
from hypothesis import strategies as st
from reliability_support import PROFILE, scaled

from termpedia.content import paths
from termpedia.content.importers.base import one_line
from termpedia.content.importers.dictd import DictdConverter, is_metadata
from termpedia.content.importers.store import import_library, remove_library, safe_name
from termpedia.content.library import load_article

WINDOWS_RESERVED = {"CON", "PRN", "AUX", "NUL"} | {
    f"{d}{n}" for d in ("COM", "LPT") for n in range(10)
}
HOSTILE_TITLES = [
    "CON",
    "NUL",
    "COM1",
    "AUX",
    "PRN",
    "LPT1",
    "con",
    "nul.txt",
    "CON.txt",
    "Con.tXt",
    "-fu",
    "--help",
    "-",
    ".",
    "..",
    "...",
    ".hidden",
    "..hidden",
    "~",
    "~root",
    "$HOME",
    "/",
    "\\",
    "//",
    "a/b",
    "a\\b",
    "a_b",
    "a-b",
    "a b",
    "a:b",
    "a.b",
    "../../etc/passwd",
    "/etc/passwd",
    "..\\..\\windows",
    "C:\\Windows\\system32",
    "a\x00b",
    "\x00",
    "*",
    "?",
    '<>|"',
    "Apple",
    "APPLE",
    "apple",
    "aPPLE",
    unicodedata.normalize("NFC", "é"),
    unicodedata.normalize("NFD", "é"),
    unicodedata.normalize("NFC", "Ångström"),
    unicodedata.normalize("NFD", "Ångström"),
    "ﬁ",
    "fi",
    "Ⅻ",
    "XII",
    "\u202eevil",
    "x" * 1000,
    "語" * 1000,
    "é" * 500,
    "a" + "/" * 999,
]
PIECES = [
    "/",
    "\\",
    "..",
    ".",
    "\x00",
    ":",
    "-",
    " ",
    "é",
    "e\u0301",
    "A",
    "a",
    "CON",
    "NUL",
    "COM1",
    "AUX",
    "PRN",
    "*",
    "?",
    "<",
    ">",
    "|",
    '"',
    "\t",
    "\n",
    "\u202e",
    "語",
    "~",
    "$",
]
titles = st.one_of(
    st.text(alphabet=st.characters(exclude_categories=["Cs"]), max_size=60),
    st.lists(st.sampled_from(PIECES), max_size=40).map("".join),
    st.sampled_from(HOSTILE_TITLES),
    st.text(min_size=200, max_size=1000),
    st.text(max_size=30).map(lambda t: unicodedata.normalize("NFD", t)),
    st.text(max_size=30).map(lambda t: "." + t),
    st.text(max_size=30).map(str.upper),
)


def check_name(title: str, work: Path) -> str:
    name = safe_name(title)
    path = PurePosixPath(name)
    assert not path.is_absolute() and not name.startswith(("/", "\\"))
    assert len(path.parts) == 2, "exactly one folder"
    assert ".." not in path.parts and "." not in path.parts
    assert name.endswith(".txt")
    assert name.isascii() and name.isprintable()
    assert not any(c in name for c in '\\:*?"<>|\x00')
    for part in path.parts:
        assert 0 < len(part.encode()) <= 255
        assert not part.startswith((".", "-", " ")) and not part.endswith((".", " "))
        assert part.split(".")[0].upper() not in WINDOWS_RESERVED
    assert (work / name).resolve().is_relative_to(work.resolve())
    return name


WORK = Path(tempfile.gettempdir()) / "termpedia-safe-name-work"


class TestSafeName:
    @PROFILE
    @given(titles)
    def test_any_title_is_a_safe_relative_file_name(self, title: str) -> None:
        check_name(title, WORK)

    @PROFILE
    @given(st.lists(titles, unique=True, max_size=40))
    def test_different_titles_get_different_names(self, titles: list[str]) -> None:
        names = [safe_name(t) for t in titles]
        assert len(set(names)) == len(titles)
        assert len({n.casefold() for n in names}) == len(titles), "case-insensitive disks too"

    def test_the_hostile_titles_pairwise(self) -> None:
        names = {title: check_name(title, WORK) for title in HOSTILE_TITLES}
        for (a, name_a), (b, name_b) in itertools.combinations(names.items(), 2):
            assert name_a.casefold() != name_b.casefold(), (a, b)

    def test_the_named_pairs(self) -> None:
        groups = [
            ["Apple", "APPLE", "apple"],
            [unicodedata.normalize("NFC", "é"), unicodedata.normalize("NFD", "é")],
            ["a/b", "a_b", "a-b"],
        ]
        for group in groups:
            names = [safe_name(t) for t in group]
            assert len({n.casefold() for n in names}) == len(group), group

    def test_a_lone_surrogate_does_not_raise(self) -> None:
        check_name("bad \ud800 surrogate", WORK)


# -- end to end: an import of hostile headwords ----------------------------------------------


def files_below(folder: Path) -> list[Path]:
    found = []
    for directory, folders, files in os.walk(folder):
        for name in folders + files:
            path = Path(directory, name)
            assert not path.is_symlink(), path
            if path.is_file():
                found.append(path)
    return found


def import_and_check(headwords: list[str], source: Path, name: str) -> None:
    """Import `headwords` as a dictd dictionary; every file is in libraries/NAME, one per
    title, named safe_name(title), holding that title."""
    entries = [(h, f"\n   Definition number {n}.\n") for n, h in enumerate(headwords)]
    index = write_dictionary(source, entries, name)
    summary = import_library(DictdConverter(), index, name=name)
    expected = {one_line(h) for h in headwords}
    assert summary.articles == len(expected), summary.line()
    data = paths.data_dir()
    library = paths.libraries_dir() / name
    written = files_below(data)  # the whole data dir
    assert written, "the library has files"
    for path in written:
        assert path.resolve().is_relative_to(library.resolve()), path
    articles = [p for p in written if p.suffix == ".txt"]
    assert sorted(p.name for p in written if p.suffix != ".txt") == ["library.json"]
    titles = [load_article(p).title for p in articles]
    assert sorted(titles) == sorted(expected), "one file per title, each holding its title"
    for title in expected:
        assert (library / safe_name(title)).is_file()


def test_an_import_of_hostile_headwords_writes_only_inside_the_library(tmp_path: Path) -> None:
    headwords = [h for h in HOSTILE_TITLES if "\n" not in h and "\t" not in h and one_line(h)]
    import_and_check(headwords, tmp_path / "src", "evil")
    # Nothing anywhere else: the source, and the library (plus its metadata).
    everything = {p.relative_to(tmp_path).parts[:5] for p in files_below(tmp_path)}
    assert everything <= {("src", "evil.index"), ("src", "evil.dict")} | {
        ("home", "data", "termpedia", "libraries", "evil")
    }


headword = st.text(
    alphabet=st.characters(exclude_categories=["Cs"], exclude_characters="\t\n\r"),
    min_size=1,
    max_size=80,
).filter(lambda h: bool(one_line(h)) and not is_metadata(h))
_counter = itertools.count()


@scaled(15, 500)
@given(
    st.lists(
        st.one_of(headword, st.sampled_from([h for h in HOSTILE_TITLES if "\t" not in h])),
        max_size=25,
        unique_by=one_line,
    )
)
def test_an_import_of_generated_headwords_writes_only_inside_the_library(
    headwords: list[str],
) -> None:
    name = f"fuzz{next(_counter)}"
    with tempfile.TemporaryDirectory() as source:
        try:
            if headwords:
                import_and_check(headwords, Path(source), name)
        finally:
            remove_library(name)
