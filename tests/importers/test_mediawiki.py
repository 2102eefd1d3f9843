"""The MediaWiki XML importer: the shared enwiki sample, small dumps written here, broken files.

The sample (`/work/shared/corpora/enwiki-sample.xml.bz2`, see its README) is converted once per
module and imported + indexed once per module; the tests that need it are skipped, with the
reason, when it is missing.
"""

from __future__ import annotations

import bz2
import gzip
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

import mwparserfromhell
import pytest
from conftest import SHARED, cli_env, run_cli, xdg_dirs

from termpedia.content.display import section_display
from termpedia.content.importers import converter, wikitext
from termpedia.content.importers import mediawiki as mw
from termpedia.content.importers.base import Alias, Item, Page, Skipped, SourceError, compose
from termpedia.content.importers.mediawiki import MediaWikiConverter, RawPage, convert_page
from termpedia.content.importers.store import ImportSummary, import_library
from termpedia.content.parse import parse

SAMPLE = SHARED / "corpora" / "enwiki-sample.xml.bz2"
needs_sample = pytest.mark.skipif(
    not SAMPLE.is_file(), reason=f"shared MediaWiki sample not found at {SAMPLE}"
)
EXPORT_NS = "http://www.mediawiki.org/xml/export-0.11/"


# --- helpers -----------------------------------------------------------------------------


def dump(*pages: tuple[str, int, str] | tuple[str, int, str, str], lang: str = "de") -> str:
    """A small MediaWiki export: (title, ns, wikitext[, redirect target]) per page."""
    parts = [
        f'<mediawiki xmlns="{EXPORT_NS}" version="0.11" xml:lang="{lang}">\n'
        "  <siteinfo>\n    <sitename>Testwiki</sitename>\n    <dbname>testwiki</dbname>\n"
        '    <namespaces>\n      <namespace key="0" case="first-letter" />\n'
        '      <namespace key="1" case="first-letter">Diskussion</namespace>\n'
        '      <namespace key="6" case="first-letter">Datei</namespace>\n'
        '      <namespace key="14" case="first-letter">Kategorie</namespace>\n'
        "    </namespaces>\n  </siteinfo>\n"
    ]
    for number, page in enumerate(pages, 1):
        title, ns, text = page[:3]
        redirect = f"    <redirect title={quoteattr(page[3])} />\n" if len(page) > 3 else ""
        parts.append(
            f"  <page>\n    <title>{escape(title)}</title>\n    <ns>{ns}</ns>\n"
            f"    <id>{number}</id>\n{redirect}    <revision>\n      <id>{number}</id>\n"
            "      <model>wikitext</model>\n      <format>text/x-wiki</format>\n"
            f'      <text xml:space="preserve">{escape(text)}</text>\n'
            "    </revision>\n  </page>\n"
        )
    parts.append("</mediawiki>\n")
    return "".join(parts)


def items_of(path: Path) -> list[Item]:
    return list(MediaWikiConverter().items(path))


def pages_of(items: list[Item]) -> dict[str, Page]:
    return {item.title: item for item in items if isinstance(item, Page)}


def convert(text: str, title: str = "Test") -> Page:
    page = convert_page(RawPage(title, 0, None, text))
    assert isinstance(page, Page), page
    return page


def one_error(path: Path) -> str:
    """The SourceError message of converting `path` (info, then every item)."""
    with pytest.raises(SourceError) as caught:
        conv = MediaWikiConverter()
        conv.info(path)
        for _ in conv.items(path):
            pass
    message = str(caught.value)
    assert "\n" not in message
    assert message.startswith(f"{path}: ")
    return message


ARTICLE = """{{Infobox person
| name = Ada Example
| image = Ada.jpg
| caption = A picture
| birth_date = {{birth date|1815|12|10}}
| spouse = [[William King|William]]<br>(m. 1835)
| signature = Sig.svg
| known_for = [[Analytical engine]], {{nowrap|first program}}
| empty =
}}
{{Use dmy dates}}
'''Ada''' is a ''[[person]]'' [[File:X.jpg|thumb|A [[caption]] here]] known<ref>{{cite web
|url=http://x}}</ref> for [[analytical_engine#Design|the engine]]<ref name=a/>.<!-- hidden -->
See [http://example.org the site]. {{lang|fr|Bonjour}} is {{convert|5|km|mi}} away.
[[Category:People]] [[fr:Ada]] [[:fr:Ada|in French]]

== History ==
Text with H<sub>2</sub>O, <small>small</small>, <span>span</span> and <math>x^2</math>.
<blockquote>A quoted line.</blockquote>
<gallery>
File:A.jpg|a gallery caption
</gallery>
* one [[Link]]
** nested
# first
; term : definition

{| class="wikitable"
|+ The caption
! Name !! Value
|-
| a || 1
|-
| style="color:red" | [[b]] || 2
|}

=== Deep ===
=not a heading
==== Deeper ====
Deeper text.

==See Also==
* [[Other page]]
* [[Another#Part|label]]
* {{portal|Science}}

== References ==
{{reflist}}

== External links ==
* [http://x.org Official site]

== Notes ==
<references/>
"""


# --- wikitext -> Page --------------------------------------------------------------------


def test_wikitext_becomes_lead_sections_infobox_and_see_also() -> None:
    page = convert(ARTICLE, "Ada Example")
    assert page.lead == (
        "Ada is a [[Person|person]] known for [[Analytical engine#Design|the engine]].\n"
        "See the site. Bonjour is 5 km away.\nin French"
    )
    assert page.infobox == (
        ("Name", "Ada Example"),
        ("Birth date", "10 December 1815"),
        ("Spouse", "William (m. 1835)"),
        ("Known for", "Analytical engine, first program"),
    )
    assert [(level, heading) for level, heading, _ in page.sections] == [
        (2, "History"),
        (3, "Deep"),
        (4, "Deeper"),
        (2, "External links"),  # References and Notes are empty once cleaned: dropped
    ]
    assert page.see_also == ("Other page", "Another#Part")
    history = page.sections[0][2]
    assert history == (
        "Text with H2O, small, span and x^2.\n\n> A quoted line.\n\n"
        "- one [[Link]]\n  - nested\n1. first\n; term\n: definition\n\n"
        "The caption\n| Name | Value |\n|---|---|\n| a | 1 |\n| [[B|b]] | 2 |"
    )
    assert "gallery" not in history
    assert page.sections[1][2] == "\u2007=not a heading"  # never a heading in body text
    assert page.sections[3][2] == "- Official site"
    text = compose(page)
    for leftover in ("{{", "}}", "<ref", "[[File:", "[[Category:", "Kategorie", "[[fr:", "''"):
        assert leftover not in text
    article = parse(text)
    assert [s.heading for s in article.walk()][1:] == [
        "History",
        "Deep",
        "Deeper",
        "External links",
        "See also",
    ]
    assert [link.target for link in article.see_also] == ["Other page", "Another"]


def test_links_are_normalised_and_other_namespaces_dropped() -> None:
    page = convert(
        "[[foo_bar]] [[ foo  bar |Label]] [[Baz#Some_section]] [[#Local]] [[Qux (film)|]] "
        "[[Image:A.png|thumb|caption [[x]]]] [[:Category:Things|things]] [[wikt:word|word]] "
        "[[Wikipedia:About]] [[de:Foo]] [[OS&nbsp;X]]"
    )
    assert page.lead == (
        "[[Foo bar|foo bar]] [[Foo bar|Label]] [[Baz#Some section]] "
        "[[#Local]] [[Qux (film)|Qux]] things word About [[OS X]]"
    )


def test_templates_are_dropped_but_inline_text_is_kept() -> None:
    page = convert(
        "{{about|x}}A {{lang-fr|mot}} {{nowrap|kept text}} {{convert|3|to|5|mi|km}} "
        "{{citation needed|date=May 2016}}{{sfn|Smith|2000|p=1}} {{ubl|one|two}} "
        "{{Navbox|title=Everything}}{{frac|1|2}} end{{-}}"
    )
    assert page.lead == "A mot kept text 3 to 5 mi one, two 1/2 end"


def test_disambiguation_pages_are_articles_of_their_own_kind() -> None:
    page = convert(
        "'''Mercury''' may refer to:\n* [[Mercury (planet)]], a planet\n"
        "* [[Mercury (element)]]\n\n{{hndis|Mercury}}",
        "Mercury",
    )
    assert page.infobox == (("Kind", "Disambiguation page"),)
    assert page.lead == (
        "Mercury may refer to:\n- [[Mercury (planet)]], a planet\n- [[Mercury (element)]]"
    )
    for name in ("disambiguation", "Disambig", "dab", "geodis", "set index article"):
        assert convert(f"x\n{{{{{name}}}}}").infobox == (("Kind", "Disambiguation page"),)


def test_a_page_the_parser_cannot_handle_is_skipped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = wikitext.parse_wikitext

    def fragile(text: str, seen: Counter[str] | None = None) -> object:
        if "BROKEN" in text:
            raise RuntimeError("mwparserfromhell gives up")
        return real(text, seen)

    monkeypatch.setattr(wikitext, "parse_wikitext", fragile)
    source = tmp_path / "one-bad-page.xml"
    source.write_text(dump(("A", 0, "a"), ("Bad", 0, "BROKEN {{"), ("C", 0, "c")), "utf-8")
    assert items_of(source) == [
        Page("A", lead="a"),
        Skipped("Bad", "unparsable wikitext"),
        Page("C", lead="c"),
    ]


def test_pruned_tokens_give_the_same_pages_as_the_plain_parser(
    sample_texts: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """parse_wikitext drops refs, comments and dropped templates from the token stream
    before building the tree; what a page becomes must not change."""
    titles = ["Anarchism", "Albania", "Alabama", "Ada", "Amphibian", "ASCII"]
    fast = [convert(sample_texts[t], t) for t in titles]
    monkeypatch.setattr(
        wikitext,
        "parse_wikitext",
        lambda text, seen=None: mwparserfromhell.parse(text, skip_style_tags=True),
    )
    assert [convert(sample_texts[t], t) for t in titles] == fast


# --- small dumps -------------------------------------------------------------------------


def test_small_dump_items_and_info(tmp_path: Path) -> None:
    xml = dump(
        (
            "Alpha",
            0,
            "Alpha [[Datei:A.png|thumb|x]]text.[[Kategorie:Leute]]\n== Part ==\nPart text.",
        ),
        ("Beta", 0, "#REDIRECT [[Alpha#Part]]", "Alpha#Part"),
        ("Gamma", 0, "#redirect [[alpha_beta]] {{R from move}}"),  # no <redirect> element
        ("Diskussion:Alpha", 1, "A talk page."),
        ("Delta", 0, "#REDIRECT [[Wikipedia:Sandbox]]", "Wikipedia:Sandbox"),
        ("Empty", 0, ""),
    )
    source = tmp_path / "small.xml"
    source.write_text(xml, encoding="utf-8")
    info = MediaWikiConverter().info(source)
    assert (info.language, info.title, info.total) == ("de", "Testwiki", None)
    assert info.extra == {"dbname": "testwiki"}
    assert items_of(source) == [
        Page("Alpha", lead="Alpha text.", sections=((2, "Part", "Part text."),)),
        Alias("Beta", "Alpha"),
        Alias("Gamma", "Alpha beta"),
        Skipped("Diskussion:Alpha", "other namespaces"),
        Skipped("Delta", "redirects to other namespaces"),
        Skipped("Empty", "empty pages"),
    ]


def test_compression_is_detected_by_content_not_name(tmp_path: Path) -> None:
    xml = dump(("Alpha", 0, "Text of '''alpha'''."), ("Beta", 0, "x", "Alpha")).encode()
    plain = tmp_path / "plain.xml"
    plain.write_bytes(xml)
    expected = items_of(plain)
    assert expected == [Page("Alpha", lead="Text of alpha."), Alias("Beta", "Alpha")]
    for name, data in (
        ("dump.xml.bz2", bz2.compress(xml)),
        ("dump.xml.gz", gzip.compress(xml)),
        ("misnamed.xml", bz2.compress(xml)),  # bzip2 data under a plain name
        ("misnamed.bz2", gzip.compress(xml)),
        ("plain.gz", xml),
    ):
        source = tmp_path / name
        source.write_bytes(data)
        assert items_of(source) == expected, name
        assert MediaWikiConverter().info(source).language == "de"


def test_xml_without_namespace_is_read_too(tmp_path: Path) -> None:
    xml = dump(("Alpha", 0, "Text.")).replace(f' xmlns="{EXPORT_NS}"', "")
    source = tmp_path / "bare.xml"
    source.write_text(xml, encoding="utf-8")
    assert items_of(source) == [Page("Alpha", lead="Text.")]


def test_pages_are_cleared_while_streaming(tmp_path: Path) -> None:
    """Memory stays bounded: the root holds only the pages of the chunk being parsed
    (iterparse reads 16 KiB at a time), not every page read so far."""
    source = tmp_path / "many.xml"
    source.write_text(dump(*((f"Page {n}", 0, "word " * 4000) for n in range(100))), "utf-8")
    sizes = []
    with mw._reader(source) as reader:
        for raw in reader.pages():
            assert reader.root is not None and len(raw.text) == 20000
            sizes.append(len(reader.root))
    assert len(sizes) == 100
    assert max(sizes) <= 2


# --- broken sources ----------------------------------------------------------------------


@pytest.fixture()
def synthetic_bz2(tmp_path: Path) -> bytes:
    """A bzip2 dump of a few hundred KB of varied text."""
    pages = [
        (f"Page {n}", 0, f"Text {n} " + " ".join(str(n * k) for k in range(400)))
        for n in range(150)
    ]
    return bz2.compress(dump(*pages).encode())


def test_truncated_sample_raises_one_line_error(tmp_path: Path) -> None:
    if not SAMPLE.is_file():
        pytest.skip(f"shared MediaWiki sample not found at {SAMPLE}")
    data = SAMPLE.read_bytes()
    bad = tmp_path / "half.xml.bz2"
    bad.write_bytes(data[: len(data) // 2])
    assert "truncated bzip2 data" in one_error(bad)


def test_flipped_bytes_in_bzip2_raise_one_line_error(tmp_path: Path, synthetic_bz2: bytes) -> None:
    data = bytearray(synthetic_bz2)
    for index in range(len(data) // 2, len(data) // 2 + 32):
        data[index] ^= 0xFF
    bad = tmp_path / "flipped.xml.bz2"
    bad.write_bytes(bytes(data))
    assert "corrupt bzip2 data" in one_error(bad)


def test_broken_sources_raise_one_line_errors(tmp_path: Path) -> None:
    xml = dump(*((f"Page {n}", 0, "Some text. " * 50) for n in range(20))).encode()
    cut = xml[: xml.find(b"<page>", len(xml) // 2) + 200]
    cases = {
        "cut.xml": (cut, "truncated XML (the data ends inside an element at line"),
        "cut.xml.gz": (gzip.compress(xml)[:-30], "truncated gzip data"),
        "empty.xml": (b"", "empty file"),
        "notes.txt": (b"Just some notes,\nnot XML at all.\n", "not XML (syntax error at line 1"),
        "page.html": (b"<html><body>hi</body></html>", "not a MediaWiki XML export"),
        "bad.xml": (xml[:900] + b"<<" + xml[900:], "malformed XML at line"),
        "nothing.xml.bz2": (bz2.compress(b""), "no XML in the decompressed data"),
    }
    for name, (data, expected) in cases.items():
        bad = tmp_path / name
        bad.write_bytes(data)
        message = one_error(bad)
        assert expected in message, (name, message)


def test_pages_before_a_break_are_yielded(tmp_path: Path) -> None:
    xml = dump(*((f"Page {n}", 0, "Some text.") for n in range(10))).encode()
    bad = tmp_path / "cut.xml"
    bad.write_bytes(xml[: xml.find(b"<title>Page 5</title>")])
    seen = []
    with pytest.raises(SourceError):
        for item in MediaWikiConverter().items(bad):
            seen.append(item.title)
    assert seen == [f"Page {n}" for n in range(5)]


@pytest.mark.parametrize("kind", ["truncated", "not-xml"])
def test_cli_import_of_a_broken_source_exits_3_and_leaves_no_library(
    tmp_path: Path, synthetic_bz2: bytes, kind: str
) -> None:
    bad = tmp_path / f"{kind}.xml.bz2"
    bad.write_bytes(synthetic_bz2[:-200] if kind == "truncated" else b"hello, world\n")
    env = cli_env(tmp_path / "cli")
    done = run_cli(env, "import", "mediawiki", str(bad), timeout=60)
    assert done.code == 3, done.err
    lines = done.err.strip().splitlines()
    assert len(lines) == 1 and bad.name in lines[0], done.err
    libraries = Path(env["XDG_DATA_HOME"]) / "termpedia" / "libraries"
    assert not libraries.exists() or list(libraries.iterdir()) == []


def test_import_library_of_a_broken_source_leaves_nothing(
    tmp_path: Path, isolated_dirs: Path, synthetic_bz2: bytes
) -> None:
    bad = tmp_path / "broken.xml.bz2"
    bad.write_bytes(synthetic_bz2[: len(synthetic_bz2) // 2])
    with pytest.raises(SourceError, match="broken.xml.bz2: truncated bzip2 data"):
        import_library(converter("mediawiki"), bad)
    libraries = isolated_dirs / "data" / "termpedia" / "libraries"
    assert list(libraries.iterdir()) == []


# --- the shared sample -------------------------------------------------------------------


@pytest.fixture(scope="module")
def sample_items() -> list[Item]:
    if not SAMPLE.is_file():
        pytest.skip(f"shared MediaWiki sample not found at {SAMPLE}")
    return items_of(SAMPLE)


@pytest.fixture(scope="module")
def sample_pages(sample_items: list[Item]) -> dict[str, Page]:
    return pages_of(sample_items)


@pytest.fixture(scope="module")
def sample_texts() -> dict[str, str]:
    """Raw wikitext of the sample's articles, by title."""
    if not SAMPLE.is_file():
        pytest.skip(f"shared MediaWiki sample not found at {SAMPLE}")
    texts = {}
    with mw._reader(SAMPLE) as reader:
        for raw in reader.pages():
            texts[raw.title] = raw.text
    return texts


@needs_sample
def test_sample_info() -> None:
    info = MediaWikiConverter().info(SAMPLE)
    assert (info.language, info.title, info.total) == ("en", "Wikipedia", None)
    assert info.extra["dbname"] == "enwiki"


@needs_sample
def test_sample_counts_match_the_readme(sample_items: list[Item]) -> None:
    kinds = Counter(type(item).__name__ for item in sample_items)
    assert kinds == {"Page": 106, "Alias": 99, "Skipped": 1}
    skipped = [item for item in sample_items if isinstance(item, Skipped)]
    assert skipped == [
        Skipped("Wikipedia:Adding Wikipedia articles to Nupedia", "other namespaces")
    ]
    assert Alias("AccessibleComputing", "Computer accessibility") in sample_items


@needs_sample
def test_sample_articles_have_sections(sample_pages: dict[str, Page]) -> None:
    """105 of the 106 articles have headings (README). 104 keep at least one section:
    "Answer" has only Notes/References/External links, all empty once templates and
    categories are gone, so they are dropped. The 78 See also sections become the page's
    See also list when they are a list of links and nothing else (49), and stay sections
    where they say more (descriptions after links, prose, subsections: 29). Every article
    composes into a valid article whose sections are exactly the Page's (plus See also)."""
    with_sections = {title for title, page in sample_pages.items() if page.sections}
    assert len(with_sections) == 104
    assert set(sample_pages) - with_sections == {"Answer", "Asia Minor (disambiguation)"}
    listed = {title for title, page in sample_pages.items() if page.see_also}
    kept = {
        title
        for title, page in sample_pages.items()
        if any(heading == "See also" for _, heading, _ in page.sections)
    }
    assert (len(listed), len(kept), len(listed & kept)) == (49, 29, 0)
    for page in sample_pages.values():
        article = parse(compose(page))
        assert article.title == page.title
        assert article.lead.text.strip() or page.sections, page.title
        headings = [section.heading for section in article.walk()][1:]
        expected = [heading for _, heading, _ in page.sections]
        assert headings == expected + (["See also"] if page.see_also else []), page.title
        assert not [d for d in article.diagnostics if d.severity == "error"], page.title


@needs_sample
def test_sample_text_is_free_of_markup(sample_pages: dict[str, Page]) -> None:
    for page in sample_pages.values():
        text = compose(page)
        for leftover in ("{{", "}}", "<ref", "[[File:", "[[Image:", "[[Category:", "&nbsp;"):
            assert leftover not in text, (page.title, leftover)
        for private in ("\ue000", "\ue001", "\ue002", "\ue003", "\ue004"):
            assert private not in text, page.title
        for key, value in page.infobox:
            assert "[[" not in value and "]]" not in value, (page.title, key)
        for number, (level, heading, body) in enumerate(page.sections):
            if heading in ("References", "External links", "Notes", "Further reading"):
                # kept only with text left in it or in a subsection
                after = page.sections[number + 1 : number + 2]
                assert body.strip() or (after and after[0][0] > level), (page.title, heading)
            assert not any(line.startswith("=") for line in body.split("\n")), page.title


@needs_sample
def test_sample_see_also_and_infobox(sample_pages: dict[str, Page]) -> None:
    anthropology = parse(compose(sample_pages["Anthropology"]))
    assert "List of anthropologists" in [link.target for link in anthropology.see_also]
    section = anthropology.section("see-also")
    assert section is not None and "- [[Theological anthropology]], a sub-field of theology" in (
        section.text
    )
    assert "Bibliography of Albania" in sample_pages["Albania"].see_also
    albania = dict(sample_pages["Albania"].infobox)
    assert albania["Capital"] == "Tirana"
    assert albania["Government type"] == "Unitary parliamentary constitutional republic"
    assert not any(key.lower().startswith(("image", "map")) for key in albania)
    lincoln = dict(sample_pages["Abraham Lincoln"].infobox)
    assert lincoln["Birth date"] == "12 February 1809"
    assert sample_pages["Ada"].infobox == (("Kind", "Disambiguation page"),)


@needs_sample
def test_sample_table_becomes_a_table(sample_pages: dict[str, Page]) -> None:
    article = parse(compose(sample_pages["Alabama"]))
    tables = [
        block.table
        for section in article.walk()
        for block in section_display(section).blocks
        if block.table is not None and block.table.texts()[0][0] == "Racial composition"
    ]
    assert len(tables) == 1
    (table,) = tables
    assert table.header_rows == 1
    assert table.texts()[:2] == [
        ["Racial composition", "1990", "2000", "2010"],
        ["White", "73.6%", "71.1%", "68.5%"],
    ]
    assert [link.target for link in table.rows[1][0].links] == ["White American"]


# --- end to end: import, index, search, resolve -----------------------------------------


@dataclass
class Imported:
    first: ImportSummary
    second: ImportSummary
    index_root: Path


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Imported]:
    """The sample imported (twice) and indexed once, in XDG dirs of this module's own."""
    if not SAMPLE.is_file():
        pytest.skip(f"shared MediaWiki sample not found at {SAMPLE}")
    from termpedia.content.library import default_shelves
    from termpedia.index.build import update

    base = tmp_path_factory.mktemp("mediawiki-e2e")
    with pytest.MonkeyPatch.context() as patch:
        for key, folder in xdg_dirs(base).items():
            patch.setenv(key, folder)
        first = import_library(converter("mediawiki"), SAMPLE)
        second = import_library(converter("mediawiki"), SAMPLE)
        root = base / "index"
        update(root, default_shelves())
        yield Imported(first, second, root)


@needs_sample
def test_import_summary(imported: Imported) -> None:
    """106 articles. Of the 99 ns-0 redirects only 13 point at an article that is in the
    shortened sample (e.g. AynRand -> Ayn Rand, ANOVA -> Analysis of variance); the other 86
    point at articles cut from it (AccessibleComputing -> Computer accessibility, ...) and
    are skipped with that reason, as is the one ns-4 page."""
    summary = imported.first
    assert summary.articles == 106
    assert summary.aliases == 13
    assert summary.skipped == {"aliases of missing articles": 86, "other namespaces": 1}
    assert summary.language == "en"
    assert not summary.unchanged
    assert imported.second.unchanged
    assert imported.second.articles == 106


@needs_sample
def test_search_and_resolve_in_the_imported_sample(imported: Imported) -> None:
    from termpedia.index.search import Index

    index = Index(imported.index_root)
    try:
        hits = index.search('"la camaraderie amoureuse"').hits
        assert hits, "a phrase from the middle of Anarchism is not found"
        assert (hits[0].title, hits[0].section) == ("Anarchism", "Topics of interest > Free love")
        alias = index.catalog.resolve("AynRand")
        assert alias.entry is not None and alias.entry.title == "Ayn Rand" and alias.via_alias
        assert index.catalog.resolve("AccessibleComputing").entry is None  # target not in sample
        target = index.catalog.resolve("List of anthropologists")  # a See also of Anthropology
        assert target.entry is not None and target.entry.library == "enwiki-sample"
    finally:
        index.close()
