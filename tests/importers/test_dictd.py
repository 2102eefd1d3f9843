"""The dictd importer: base-64 offsets, entries to pages, cross references, errors, end to end.

Tiny dictionaries are written by the tests themselves; the Jargon File tests use the shared
corpus (`shared/corpora/jargon`) and are skipped, with the reason, when it is missing.
"""

from __future__ import annotations

import gzip
import os
import re
from pathlib import Path

import pytest
from conftest import SHARED, cli_env, encode, run_cli, write_dictionary

from termpedia.content import paths
from termpedia.content.importers import converter
from termpedia.content.importers.base import Alias, Page, Skipped, SourceError, compose
from termpedia.content.importers.dictd import (
    DictdConverter,
    decode_number,
    is_metadata,
)
from termpedia.content.importers.store import import_library
from termpedia.content.parse import parse

JARGON = SHARED / "corpora" / "jargon" / "jargon.index"
JARGON_DATA = JARGON.with_name("jargon.dict.dz")
needs_jargon = pytest.mark.skipif(
    not (JARGON.is_file() and JARGON_DATA.is_file()),
    reason=f"shared corpus missing: {JARGON} and {JARGON_DATA} (see shared/corpora/README.md)",
)
JARGON_PAGES = 2295
"""Index lines 2,314 = 2,307 headword entries + 7 metadata. The one repeated index headword,
`op`, holds two different words (`OP` "original poster", `op` "operator"): two pages. The
2,307 entries hold 2,295 distinct definitions: the 12 headwords whose definition another
has already ("warm boot": "n. See boot.", as "cold boot") are that article's aliases."""
JARGON_ALIASES = {
    "flower key": "clover key",
    "pretzel key": "clover key",
    "propeller key": "clover key",
    "hard boot": "cold boot",
    "soft boot": "cold boot",
    "warm boot": "cold boot",
    "index of X": "factor",
    "quotient": "factor",
    "white hat": "gray hat",
    "HHOS": "HHOK",
    "M": "kilo-",
    "stroke": "slash",
}


TINY = [
    ("00-database-short", "00-database-short\n     A tiny test dictionary\n"),
    ("00-database-utf8", "\n"),
    ("/dev/null", "/dev/null\n /dev·nuhl/, n.\n\n    A sink. See {bit bucket}.\n\n"),
    (
        "bit bucket",
        "bit bucket\n n.\n\n    1. The universal data sink. Compare {\n    /dev/null}.\n\n"
        "    2. Where lost mail goes; see also {hacker\n    }.\n\n"
        "    See also {/dev/null}, {hacker} and {\n    write-only memory}.\n\n",
    ),
    (
        "glob",
        "glob\n /glob/, vt.\n\n    Shell wildcards, as in foo.{c,h} or {baz,qux}; the { }"
        " pair\n    and {} alone are not references, nor is {C|N>K}x here.\n\n"
        "        indented example line\n\n",
    ),
    ("c|n>k", "C|N>K\n n.\n\n    Coffee through Nose to Keyboard; see {moose[tm]}.\n\n"),
    ("hacker", "hacker\n n.\n\n    One who enjoys {hack value}.\n\n"),
    ("os/2", "OS/2\n /O S too/, n.\n\n    An operating system.\n\n"),
    ("op", "OP\n //\n\n    [Usenet] Original poster.\n\n"),
    ("op", "op\n /op/, n.\n\n    Operator; see {sysop}.\n\n"),
    ("twice", "twice\n n.\n\n    First sense.\n\n"),
    ("twice", "twice\n vt.\n\n    Second sense, {{doubled}} and {{half}.\n\n"),
]


def pages_of(source: Path) -> tuple[dict[str, Page], list[Skipped]]:
    pages: dict[str, Page] = {}
    skipped: list[Skipped] = []
    for item in DictdConverter().items(source):
        if isinstance(item, Page):
            assert item.title not in pages, item.title
            pages[item.title] = item
        elif isinstance(item, Skipped):
            skipped.append(item)
    return pages, skipped


def library_dir(name: str) -> Path:
    return paths.libraries_dir() / name


# Base-64 ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("digits", "value"),
    [
        ("A", 0),
        ("B", 1),
        ("Z", 25),
        ("a", 26),
        ("0", 52),
        ("+", 62),
        ("/", 63),
        ("BA", 64),
        ("Ph", 993),
        ("//", 4095),
        ("BAA", 4096),
        ("CBcG", 2 * 64**3 + 1 * 64**2 + 28 * 64 + 6),
    ],
)
def test_decode_number(digits: str, value: int) -> None:
    assert decode_number(digits) == value
    assert encode(value) == digits


@pytest.mark.parametrize("bad", ["", "P h", "P-h", "é", "12=", "\t"])
def test_decode_number_rejects_invalid_digits(bad: str) -> None:
    with pytest.raises(ValueError):
        decode_number(bad)


def test_metadata_names() -> None:
    for name in (
        "00-database-info",
        "00-database-short",
        "00-database-dictfmt-1.13.0",
        "00databaseinfo",
        "00DATABASESHORT",
    ):
        assert is_metadata(name)
    for name in ("0", "00", "1tbs", "404", "database"):
        assert not is_metadata(name)


# Tiny dictionaries --------------------------------------------------------------------------


def test_tiny_dictionary_pages(tmp_path: Path) -> None:
    pages, skipped = pages_of(write_dictionary(tmp_path, TINY))
    assert sorted(skipped, key=lambda s: s.title) == [
        Skipped("00-database-short", "metadata"),
        Skipped("00-database-utf8", "metadata"),
    ]
    assert sorted(pages) == [
        "/dev/null",
        "C|N>K",
        "OP",
        "OS/2",
        "bit bucket",
        "glob",
        "hacker",
        "op",
        "twice",
    ]
    # The headword line is not repeated; the pronunciation / part of speech leads.
    assert pages["/dev/null"].lead == "/dev·nuhl/, n.\n\nA sink. See [[bit bucket]]."
    assert pages["/dev/null"].see_also == ("bit bucket",)
    # Title case comes from the entry text (dictfmt lower-cases the index).
    assert pages["OS/2"].lead.startswith("/O S too/, n.\n\nAn operating system.")
    # An empty pronunciation `//` is dropped.
    assert pages["OP"].lead == "[Usenet] Original poster."
    assert pages["op"].lead == "/op/, n.\n\nOperator; see [[sysop]]."


def test_references_across_lines_and_see_also(tmp_path: Path) -> None:
    pages, _ = pages_of(write_dictionary(tmp_path, TINY))
    lead = pages["bit bucket"].lead
    assert lead == (
        "n.\n\n1. The universal data sink. Compare\n[[/dev/null]].\n\n"
        "2. Where lost mail goes; see also\n[[hacker]].\n\n"
        "See also [[/dev/null]], [[hacker]] and\n[[write-only memory]]."
    )
    assert "{" not in lead and "}" not in lead
    assert pages["bit bucket"].see_also == ("/dev/null", "hacker", "write-only memory")
    assert pages["hacker"].see_also == ()  # no trailing See sentence


def test_braces_that_are_not_references(tmp_path: Path) -> None:
    pages, _ = pages_of(write_dictionary(tmp_path, TINY))
    lead = pages["glob"].lead
    assert "foo.{c,h}" in lead and "{baz,qux}" in lead and "the { }" in lead
    assert "and {} alone" in lead
    # A reference that cannot be a link (`|`) becomes plain text without braces.
    assert "nor is C|N>Kx here" in lead
    assert "{{" not in pages["twice"].lead
    assert "[[" not in lead
    assert pages["C|N>K"].lead.endswith("see moose[tm].")
    # De-indented by the common indentation; deeper lines keep their extra indentation.
    assert "\n    indented example line" in lead
    assert "\nShell wildcards" in lead


def test_repeated_headwords(tmp_path: Path) -> None:
    pages, _ = pages_of(write_dictionary(tmp_path, TINY))
    # Same headword, same title: one page, entries joined by a blank line in index order.
    assert pages["twice"].lead == (
        "n.\n\nFirst sense.\n\nvt.\n\nSecond sense, [[doubled]] and {[[half]]."
    )
    # Same index headword, different words (OP / op): two pages.
    assert "OP" in pages and "op" in pages


def test_compose_and_parse(tmp_path: Path) -> None:
    pages, _ = pages_of(write_dictionary(tmp_path, TINY))
    article = parse(compose(pages["bit bucket"]))
    assert article.title == "bit bucket"
    assert article.infobox == ()
    assert [link.target for link in article.lead.links] == [
        "/dev/null",
        "hacker",
        "/dev/null",
        "hacker",
        "write-only memory",
    ]
    assert [link.target for link in article.see_also] == [
        "/dev/null",
        "hacker",
        "write-only memory",
    ]
    assert not [d for d in article.diagnostics if d.severity == "error"]


def test_source_forms_and_dictzip_agree(tmp_path: Path) -> None:
    plain = write_dictionary(tmp_path / "plain", TINY)
    packed = write_dictionary(tmp_path / "packed", TINY, compress=True)
    expected = pages_of(plain)
    for source in (
        plain,
        plain.with_suffix(".dict"),
        plain.parent,
        packed,
        packed.with_name("tiny.dict.dz"),
        packed.parent,
    ):
        assert pages_of(source) == expected, source
    info = DictdConverter().info(packed)
    assert info.title == "A tiny test dictionary"
    assert info.language == ""
    assert info.total == len(TINY)
    assert info.extra["dictd_utf8"] == "yes"


def test_data_in_a_temporary_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Past MEMORY_LIMIT a .dict.dz is decompressed to a temporary file: same pages."""
    from termpedia.content.importers import dictd

    packed = write_dictionary(tmp_path, TINY, compress=True)
    expected = pages_of(packed)
    monkeypatch.setattr(dictd, "MEMORY_LIMIT", 16)
    monkeypatch.setattr(dictd, "CHUNK", 7)
    assert pages_of(packed) == expected


def test_malformed_lines_are_skipped(tmp_path: Path) -> None:
    index = write_dictionary(
        tmp_path,
        TINY,
        index_lines=[
            "garbage without tabs",
            "two\tfields",
            "bad digits\tA-B\tC",
            "too\tmany\tfields\there\tnow",
            "\tAA\tB",
            "",
            "beyond\tBAAAA\tZ",
            "empty\tA\tA",
        ],
    )
    pages, skipped = pages_of(index)
    assert len(pages) == 9
    assert Skipped("line 1", "malformed index line") in skipped
    assert Skipped("two", "malformed index line") in skipped
    assert Skipped("bad digits", "malformed index line") in skipped
    assert Skipped("too", "malformed index line") in skipped
    assert Skipped("line 5", "malformed index line") in skipped
    assert Skipped("beyond", "entry outside the data file") in skipped
    assert Skipped("empty", "empty entry") in skipped
    # Through the store: the import continues and counts the skips.
    summary = import_library(DictdConverter(), index)
    assert summary.articles == 9
    assert summary.skipped == {
        "malformed index line": 5,
        "entry outside the data file": 1,
        "empty entry": 1,
        "metadata": 2,
    }


def test_invalid_utf8_is_replaced(tmp_path: Path) -> None:
    index = tmp_path / "bad.index"
    data = b"caf\xe9\n n.\n\n    Bad \xff byte.\n"
    index.write_text(f"caf\xe9\tA\t{encode(len(data))}\n", encoding="utf-8")
    (tmp_path / "bad.dict").write_bytes(data)
    pages, _ = pages_of(index)
    [page] = pages.values()
    assert page.title == "caf\xe9"  # the index headword: the text's first line did not match
    assert page.lead == "caf\ufffd\n n.\n\n    Bad \ufffd byte."


def test_missing_data_file(tmp_path: Path) -> None:
    index = write_dictionary(tmp_path, TINY)
    (tmp_path / "tiny.dict").unlink()
    for call in (DictdConverter().info, lambda s: list(DictdConverter().items(s))):
        with pytest.raises(SourceError) as raised:
            call(index)
        assert str(raised.value) == f"{index}: no .dict or .dict.dz beside the index"


@pytest.mark.parametrize("content", ["", "\n\n", "a\tb\n"])
def test_empty_index(tmp_path: Path, content: str) -> None:
    index = write_dictionary(tmp_path, TINY)
    index.write_text(content, encoding="utf-8")
    with pytest.raises(SourceError) as raised:
        list(DictdConverter().items(index))
    message = str(raised.value)
    assert message.startswith(f"{index}: no entries") and "\n" not in message
    with pytest.raises(SourceError):
        import_library(DictdConverter(), index)
    assert not library_dir("tiny").exists()


def test_truncated_dictzip(tmp_path: Path) -> None:
    index = write_dictionary(tmp_path, TINY * 20, compress=True)
    packed = tmp_path / "tiny.dict.dz"
    packed.write_bytes(packed.read_bytes()[: packed.stat().st_size // 2])
    with pytest.raises(SourceError) as raised:
        import_library(DictdConverter(), index)
    message = str(raised.value)
    assert (
        message.startswith(f"{packed}: corrupt or truncated dictzip file") and "\n" not in message
    )
    assert not library_dir("tiny").exists()
    assert not list(paths.libraries_dir().glob(".*"))


def test_not_gzip(tmp_path: Path) -> None:
    index = write_dictionary(tmp_path, TINY, compress=True)
    (tmp_path / "tiny.dict.dz").write_bytes(b"plain text, not gzip\n" * 10)
    with pytest.raises(SourceError, match="corrupt or truncated dictzip"):
        list(DictdConverter().items(index))


def test_registered_kind() -> None:
    assert isinstance(converter("dictd"), DictdConverter)
    assert converter("dictd").kind == "dictd"


@pytest.mark.parametrize("damage", ["empty index", "no data", "truncated"])
def test_cli_bad_source(tmp_path: Path, damage: str) -> None:
    index = write_dictionary(tmp_path / "src", TINY * 20, compress=True)
    if damage == "empty index":
        index.write_text("", encoding="utf-8")
    elif damage == "no data":
        (tmp_path / "src" / "tiny.dict.dz").unlink()
    else:
        packed = tmp_path / "src" / "tiny.dict.dz"
        packed.write_bytes(packed.read_bytes()[: packed.stat().st_size // 2])
    done = run_cli(cli_env(tmp_path / "xdg"), "import", "dictd", str(index))
    assert done.code == 3, done.err
    lines = done.err_lines
    assert len(lines) == 1 and "tiny." in lines[0], done.err
    libraries = tmp_path / "xdg" / "data" / "termpedia" / "libraries"
    assert not libraries.is_dir() or not list(libraries.iterdir())


# The Jargon File ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def jargon() -> tuple[dict[str, Page], list[Skipped]]:
    if not (JARGON.is_file() and JARGON_DATA.is_file()):
        pytest.skip(f"shared corpus missing: {JARGON} (see shared/corpora/README.md)")
    return pages_of(JARGON)


def _raw_jargon() -> list[tuple[str, str]]:
    data = gzip.decompress(JARGON_DATA.read_bytes())
    entries = []
    for line in JARGON.read_text(encoding="utf-8").splitlines():
        headword, offset, length = line.split("\t")
        start = decode_number(offset)
        entries.append((headword, data[start : start + decode_number(length)].decode("utf-8")))
    return entries


@needs_jargon
def test_jargon_counts(jargon: tuple[dict[str, Page], list[Skipped]]) -> None:
    pages, skipped = jargon
    assert len(pages) == JARGON_PAGES
    assert len(skipped) == 7 and {s.reason for s in skipped} == {"metadata"}
    assert {s.title for s in skipped} == {
        "00-database-allchars",
        "00-database-alphabet",
        "00-database-dictfmt-1.13.0",
        "00-database-info",
        "00-database-short",
        "00-database-url",
        "00-database-utf8",
    }
    for title in (
        "/dev/null",
        "CP/M",
        "OS/2",
        "-fu",
        "(TM)",
        "OP",
        "op",
        "C|N>K",
        "Cancelmoose[tm]",
        "ELIZA effect",
        "hacker",
        "kluge",
    ):
        assert title in pages, title
    info = DictdConverter().info(JARGON)
    assert info.title == "The Jargon File (version 4.4.7, 29 Dec 2003)"
    assert info.total == 2314
    assert info.extra["dictd_utf8"] == "yes"


@needs_jargon
def test_jargon_headwords_of_one_definition_are_aliases() -> None:
    items = list(DictdConverter().items(JARGON))
    aliases = {item.name: item.target for item in items if isinstance(item, Alias)}
    assert aliases == JARGON_ALIASES
    pages = {item.title: item for item in items if isinstance(item, Page)}
    raw = dict(_raw_jargon())
    for name, main in aliases.items():  # the same text after the headword line: none lost
        assert raw[name.casefold()].split("\n", 1)[1] == raw[main.casefold()].split("\n", 1)[1]
        assert main in pages and name not in pages
    assert pages["cold boot"].lead == "n.\n\nSee [[boot]]."


@needs_jargon
def test_jargon_hacker_links(jargon: tuple[dict[str, Page], list[Skipped]]) -> None:
    pages, _ = jargon
    folded = {title.casefold() for title in pages}
    article = parse(compose(pages["hacker"]))
    targets = [link.target for link in article.lead.links]
    assert {"hack value", "cracker"} <= set(targets)
    assert all(target.casefold() in folded for target in targets), targets
    assert article.lead.text.startswith("n.\n\n[originally, someone who makes furniture")


@needs_jargon
def test_jargon_references(jargon: tuple[dict[str, Page], list[Skipped]]) -> None:
    pages, _ = jargon
    raw = dict(_raw_jargon())
    assert re.search(r"\{\n +ELIZA effect\}", raw["ad-hockery"])
    assert "[[ELIZA effect]]" in pages["ad-hockery"].lead
    headwords = {" ".join(h.split()).casefold() for h in raw if not is_metadata(h)}
    links = 0
    for page in pages.values():
        text = compose(page)
        assert "{[[" not in text and "]]}" not in text, page.title
        for match in re.finditer(r"\{([^{}]*)\}", text):
            target = " ".join(match.group(1).split())
            # Braces left over never hold a headword that could have been a link.
            assert target.casefold() not in headwords or set(target) & set("[]|#"), (
                page.title,
                target,
            )
        links += text.count("[[")
    # 5,418 brace pairs in the data: 5,386 become links (1 is `{C|N>K}`, 31 are code or
    # globs), 12 of them in the definitions of aliases (one link each: "See {boot}.").
    assert links == 5386 - 12
    assert sum(1 for page in pages.values() if page.see_also) > 300
    assert pages["OS/2"].see_also == ("monstrosity", "cretinous", "second-system effect")


@needs_jargon
def test_jargon_end_to_end(tmp_path: Path) -> None:
    from termpedia.content.library import default_shelves
    from termpedia.index.build import update
    from termpedia.index.search import Index

    summary = import_library(DictdConverter(), JARGON)
    assert summary.name == "jargon"
    assert summary.articles == JARGON_PAGES
    assert summary.aliases == len(JARGON_ALIASES)
    assert summary.skipped == {"metadata": 7}
    root = tmp_path / "index"
    report = update(root, default_shelves())
    assert not report.problems
    index = Index(root)

    # A phrase from deep inside the longest entry (25 kB) finds it.
    result = index.search('"relative youth of the MUD cultures"')
    assert result.hits and result.hits[0].title == "talk mode"
    assert result.hits[0].library == "jargon"

    kluge = index.catalog.resolve("kluge").entry
    assert kluge is not None and kluge.title == "kluge" and kluge.library == "jargon"
    assert index.catalog.resolve("Kluge").entry == kluge
    for name in ("op", "OP"):  # two words, told apart by case
        entry = index.catalog.resolve(name).entry
        assert entry is not None and entry.title == name
    warm = index.catalog.resolve("warm boot")  # an alias: the main form's article
    assert warm.entry is not None and warm.entry.title == "cold boot" and warm.via_alias
    assert index.catalog.duplicates() == []

    hacker = index.catalog.resolve("hacker").entry
    assert hacker is not None
    article = parse(Path(hacker.path).read_text(encoding="utf-8"))
    for link in article.lead.links:
        entry = index.catalog.resolve(link.target).entry
        assert entry is not None and entry.library == "jargon", link.target

    # Nothing outside the library folder in the data dir.
    data = paths.data_dir()
    library = paths.libraries_dir() / "jargon"
    files = [Path(folder, name) for folder, _, names in os.walk(data) for name in names]
    assert len(files) == JARGON_PAGES + 1
    assert all(path.is_relative_to(library) for path in files)
    assert (library / "library.json").is_file()
