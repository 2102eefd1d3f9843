"""dictd headwords that share one definition: one article, the other headwords its aliases.

The dictionary is written here the way dictfmt writes one made with a headword separator
(`dictfmt --headword-separator " / "`): an entry listing several forms on its headword line
(`mouse / mice`) is stored once, and each form has an index line pointing at it. Two other
headwords have entries of their own whose definitions are the same text ("See black hat.").
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import cli_env, encode, run_cli

from termpedia.content.importers.base import Alias, Page, Skipped, compose
from termpedia.content.importers.dictd import DictdConverter
from termpedia.content.importers.store import import_library
from termpedia.content.parse import parse

ENTRIES: list[tuple[tuple[str, ...], str]] = [
    (("00-database-short",), "00-database-short\n     Variants, a test dictionary\n"),
    (("00-database-utf8",), "\n"),
    (
        ("mouse", "mice"),
        "mouse / mice\n n. (pl. mice)\n\n    A pointing device rolled across the desk.\n"
        "    See also {trackball}.\n\n",
    ),
    (
        ("garbage collection", "garbage collect"),
        "garbage collection / garbage collect\n n., v.\n\n"
        "    Reclaiming the memory of objects that nothing refers to any more.\n\n",
    ),
    (("colour", "color"), "colour, color\n n.\n\n    What light does to the eye.\n\n"),
    (("datum",), "datum / data\n n.\n\n    A given; data are several of them.\n\n"),
    (("trackball",), "trackball\n n.\n\n    An upside-down {mouse}.\n\n"),
    (("black hat",), "black hat\n n.\n\n    A cracker.\n\n"),
    (("gray hat",), "gray hat\n n.\n\n    See {black hat}.\n\n"),
    (("white hat",), "white hat\n n.\n\n    See {black hat}.\n\n"),
    (("op",), "OP\n //\n\n    [Usenet] Original poster.\n\n"),
    (("op",), "op\n /op/, n.\n\n    Operator.\n\n"),
]
SUPPLEMENT = ("trackball", "trackball\n v.\n\n    To point with one.\n\n")
"""An entry appended after the sorted index (a supplement): one page with the first."""
ARTICLES = {
    "mouse": "n. (pl. mice)\n\nA pointing device rolled across the desk.\nSee also [[trackball]].",
    "garbage collection": (
        "n., v.\n\nReclaiming the memory of objects that nothing refers to any more."
    ),
    "colour": "n.\n\nWhat light does to the eye.",
    "datum": "n.\n\nA given; data are several of them.",
    "trackball": "n.\n\nAn upside-down [[mouse]].\n\nv.\n\nTo point with one.",
    "black hat": "n.\n\nA cracker.",
    "gray hat": "n.\n\nSee [[black hat]].",
    "OP": "[Usenet] Original poster.",
    "op": "/op/, n.\n\nOperator.",
}
"""One article per distinct definition, titled by the first form its headword line lists,
else by its first headword in index order; `OP` and `op` are different words."""
ALIASES = {
    "mice": "mouse",
    "garbage collect": "garbage collection",
    "color": "colour",
    "data": "datum",  # listed on the headword line only: kept as a name of the article
    "white hat": "gray hat",
}


def write_variants(folder: Path, name: str = "variants") -> Path:
    """`name.index` + `name.dict` as dictfmt writes them: every entry once in the data, an
    index line per headword (sorted ignoring case) with the entry's offset and length."""
    folder.mkdir(parents=True, exist_ok=True)
    data = bytearray()
    lines = []
    for headwords, text in ENTRIES:
        raw = text.encode("utf-8")
        for headword in headwords:
            lines.append(
                (headword.casefold(), f"{headword}\t{encode(len(data))}\t{encode(len(raw))}")
            )
        data += raw
    lines.sort(key=lambda pair: pair[0])
    headword, text = SUPPLEMENT
    raw = text.encode("utf-8")
    lines.append((headword, f"{headword}\t{encode(len(data))}\t{encode(len(raw))}"))
    data += raw
    index = folder / f"{name}.index"
    index.write_text("".join(line + "\n" for _, line in lines), encoding="utf-8")
    (folder / f"{name}.dict").write_bytes(bytes(data))
    return index


@pytest.fixture
def variants(tmp_path: Path) -> Path:
    return write_variants(tmp_path / "dict")


def test_one_article_per_definition_and_variants_as_aliases(variants: Path) -> None:
    items = list(DictdConverter().items(variants))
    pages = {item.title: item.lead for item in items if isinstance(item, Page)}
    aliases = {item.name: item.target for item in items if isinstance(item, Alias)}
    skipped = [item for item in items if isinstance(item, Skipped)]
    assert pages == ARTICLES
    assert aliases == ALIASES
    assert {item.reason for item in skipped} == {"metadata"} and len(skipped) == 2
    # As many articles as distinct definitions (of a title: trackball's two senses are one).
    definitions = {text.split("\n", 1)[1] for headwords, text in ENTRIES[2:]}
    assert len(definitions) == 9 and len(pages) == len(definitions)


def test_the_body_starts_with_the_definition_not_the_forms(variants: Path) -> None:
    pages = {i.title: i for i in DictdConverter().items(variants) if isinstance(i, Page)}
    for page in pages.values():
        assert " / " not in page.lead.split("\n", 1)[0], page.title
    text = compose(pages["mouse"], aliases=["mice"])
    assert text.startswith("= mouse =\n\nmouse\n- Aliases: mice\n\nn. (pl. mice)\n")
    article = parse(text)
    assert article.aliases == ("mice",)
    assert [link.target for link in article.lead.links] == ["trackball"]


def test_imported_variants_resolve_to_the_main_form_without_clashes(
    variants: Path, tmp_path: Path
) -> None:
    from termpedia.content.library import default_shelves
    from termpedia.index.build import update
    from termpedia.index.search import Index

    summary = import_library(DictdConverter(), variants)
    assert (summary.articles, summary.aliases) == (len(ARTICLES), len(ALIASES))
    assert summary.skipped == {"metadata": 2}
    root = tmp_path / "index"
    report = update(root, default_shelves())
    assert not report.problems  # no duplicate-title warnings
    index = Index(root)
    try:
        assert index.catalog.duplicates() == []
        for name, main in ALIASES.items():
            found = index.catalog.resolve(name)
            assert found.entry is not None and found.entry.title == main, name
            assert found.via_alias
        for name in ("op", "OP"):  # two words, told apart by case
            entry = index.catalog.resolve(name).entry
            assert entry is not None and entry.title == name
    finally:
        index.close()


def test_show_a_variant_opens_the_main_form(variants: Path, tmp_path: Path) -> None:
    env = cli_env(tmp_path / "home")
    done = run_cli(env, "import", "dictd", str(variants))
    assert done.code == 0, done.err
    assert "imported 9 articles, 5 aliases" in done.out
    checked = run_cli(env, "check")
    assert checked.code == 0 and checked.err.endswith(": 0 errors, 0 warnings\n"), checked.err
    shown = run_cli(env, "show", "mice")
    assert shown.code == 0, shown.err
    assert shown.out.splitlines()[:5] == [
        "mouse",
        "=====",
        "  Aliases: mice",
        "",
        "n. (pl. mice)",
    ]
    again = run_cli(env, "show", "garbage collect")
    assert again.code == 0 and again.out.splitlines()[0] == "garbage collection"
