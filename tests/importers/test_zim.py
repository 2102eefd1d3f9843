"""The Kiwix ZIM importer, on the shared sample `ray-charles.zim` and on damaged copies of it.

What the sample holds (see /work/shared/corpora/README.md): 471 entries; 125 HTML articles and
142 redirects in `A/`, 131 images in `I/`, 62 CSS/JS/icons in `-/`, 10 metadata entries in
`M/`, one Xapian index in `X/`. Two of the 125 HTML entries are mwoffliner's copies of another
article stored under a redirect's name with that article's title (`A/The_Pages_of_My_Mind` is
"Ray Charles" again, `A/Blue_Funk_(Ray_Charles_song)` is "Soul Brothers"): the importer makes
them aliases, so the library has 123 articles and 142 + 2 aliases.
"""

from __future__ import annotations

import json
import os
import re
import time
from collections import Counter
from pathlib import Path

import pytest
from conftest import SHARED, cli_env, run_cli, xdg_dirs

from termpedia.content.importers import converter
from termpedia.content.importers.base import Alias, Page, Skipped, SourceError, compose
from termpedia.content.importers.store import ImportSummary, import_library
from termpedia.content.importers.zim import ZimConverter, html_to_page, iso639_1

SAMPLE = SHARED / "corpora" / "ray-charles.zim"
needs_sample = pytest.mark.skipif(
    not SAMPLE.is_file(), reason=f"shared sample {SAMPLE} is missing (see corpora/README.md)"
)
TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>")
LINK = re.compile(r"\[\[([^\]|#]*)(#[^\]|]*)?(?:\|([^\]]*))?\]\]")


# --- the sample, converted once ------------------------------------------------------------


@pytest.fixture(scope="module")
def items() -> list[Page | Alias | Skipped]:
    if not SAMPLE.is_file():
        pytest.skip(f"shared sample {SAMPLE} is missing")
    return list(ZimConverter().items(SAMPLE))


@pytest.fixture(scope="module")
def pages(items: list[Page | Alias | Skipped]) -> dict[str, Page]:
    found = [item for item in items if isinstance(item, Page)]
    by_title = {page.title: page for page in found}
    assert len(by_title) == len(found), "two pages share a title"
    return by_title


@pytest.fixture(scope="module")
def aliases(items: list[Page | Alias | Skipped]) -> dict[str, str]:
    return {item.name: item.target for item in items if isinstance(item, Alias)}


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory) -> tuple[ImportSummary, Path, float]:
    """The sample imported into an isolated data dir and indexed: (summary, index root, s)."""
    if not SAMPLE.is_file():
        pytest.skip(f"shared sample {SAMPLE} is missing")
    from termpedia.content.library import default_shelves
    from termpedia.index.build import update

    base = tmp_path_factory.mktemp("zim-import")
    with pytest.MonkeyPatch.context() as patch:
        for key, folder in xdg_dirs(base).items():
            patch.setenv(key, folder)
        started = time.perf_counter()
        summary = import_library(converter("zim"), SAMPLE)
        seconds = time.perf_counter() - started
        root = base / "index"
        update(root, default_shelves())
    return summary, root, seconds


@needs_sample
def test_info_reads_the_metadata() -> None:
    info = ZimConverter().info(SAMPLE)
    assert info.language == "en"  # "eng" in the ZIM
    assert info.title == "Ray Charles"
    assert info.total == 471  # one item per entry: what the progress bar counts
    assert info.extra["zim_articles"] == "125"
    assert info.extra["zim_scraper"] == "mwoffliner 1.9.6"
    assert "name" not in info.extra and "articles" not in info.extra  # would override ours


def test_language_codes() -> None:
    assert iso639_1("eng") == "en"
    assert iso639_1("ger") == "de" and iso639_1("deu") == "de"
    assert iso639_1("fra,eng") == "fr"
    assert iso639_1("zho") == "zh" and iso639_1("chi") == "zh"
    assert iso639_1("tlh") == "tlh"  # unknown codes stay as given
    assert iso639_1("") == ""


def test_every_entry_is_accounted_for(items: list[Page | Alias | Skipped]) -> None:
    kinds = Counter(type(item).__name__ for item in items)
    skipped = Counter(item.reason for item in items if isinstance(item, Skipped))
    assert len(items) == 471
    assert kinds["Page"] == 123
    assert kinds["Alias"] == 144  # 142 redirects + 2 copies of articles under another name
    assert kinds["Page"] + kinds["Alias"] == 125 + 142
    # 131 in I/ plus 33 icons in -/; 15 JS + 14 CSS; M/ and X/
    assert skipped == {"images": 164, "scripts and styles": 29, "metadata": 10, "search index": 1}


def test_copies_of_articles_become_aliases(pages: dict[str, Page], aliases: dict[str, str]) -> None:
    assert aliases["The Pages of My Mind"] == "Ray Charles"
    assert aliases["Blue Funk (Ray Charles song)"] == "Soul Brothers"
    assert "Ray Charles" in pages and "Soul Brothers" in pages


def test_redirects_become_aliases(pages: dict[str, Page], aliases: dict[str, str]) -> None:
    assert aliases["Ray charles"] == "Ray Charles"
    assert aliases["(The Night Time Is) The Right Time"] == "Night Time Is the Right Time"
    assert all(target in pages for target in aliases.values())


def test_sections(pages: dict[str, Page]) -> None:
    with_sections = [page.title for page in pages.values() if page.sections]
    # The README's 124 of 125 counts <h2> headings. Seven articles' only headings are
    # "References" (and "See also"), and an empty reference section is dropped.
    assert len(with_sections) == 115
    bare = sorted(t for t, page in pages.items() if not page.sections and not page.see_also)
    assert len(bare) == 7 and "Main Page" in bare and "Confession Blues" in bare
    ray = pages["Ray Charles"]
    headings = [(level, heading) for level, heading, _ in ray.sections]
    assert headings[0] == (2, "Early life and education")
    assert (3, "1959–1971: Crossover success") in headings
    assert (2, "Discography") in headings and (3, "Television") in headings
    headings_only = {heading for _, heading in headings}
    assert not headings_only & {"References", "Notes", "See also"}
    assert ray.lead.startswith("Ray Charles Robinson (September 23, 1930 – June 10, 2004)")
    early = dict((h, t) for _, h, t in ray.sections)["Early life and education"]
    assert "Wylie Pitman's Red Wing Cafe" in early
    levels = Counter(level for page in pages.values() for level, _, _ in page.sections)
    assert set(levels) <= {2, 3, 4, 5, 6} and levels[2] > 300 and levels[3] > 100


def test_see_also(pages: dict[str, Page]) -> None:
    with_see_also = {title: page.see_also for title, page in pages.items() if page.see_also}
    assert len(with_see_also) == 11
    assert with_see_also["I Don't Need No Doctor"] == ("Ray Charles discography",)
    # mwoffliner unlinks targets that are not in the ZIM; the item's text is the title
    assert with_see_also["Bein' Green"] == ("Rainbow Connection",)
    assert with_see_also["You Got the Right One, Baby"] == ("Catchphrase", "Pepsi")


def test_infobox(pages: dict[str, Page]) -> None:
    infobox = dict(pages["Ray Charles"].infobox)
    assert infobox["Birth name"] == "Ray Charles Robinson"  # the [note 1] marker is gone
    assert infobox["Born"] == "September 23, 1930, Albany, Georgia, U.S."  # hidden date gone
    assert infobox["Genres"].startswith("R&B, soul, blues, gospel")
    assert infobox["Website"] == "raycharles.com"


def test_composed_text_is_clean(pages: dict[str, Page]) -> None:
    for page in pages.values():
        text = compose(page)
        assert not TAG.search(text), (page.title, TAG.search(text))
        for junk in ("../I/", "../-/", ".png", ".jpg", ".svg", "cite_note", "__SUB_LEVEL"):
            assert junk not in text, (page.title, junk)
        assert "[edit]" not in text and "This article is issued from" not in text
        assert not re.search(r"\[\d+\]", text), page.title  # citation markers
    ray = compose(pages["Ray Charles"])
    assert "[[Ray Charles discography|placed multiple singles and albums]]" in ray
    assert "[[What'd I Say]]" in ray
    assert "2004 | [[Ray (film)|Ray]] | Himself | Uncredited, Archival footage" in ray
    assert "Year | Title | Role | Notes" in ray
    assert '\n- [[I Got a Woman]]" (1954)' in ray.replace('- "[[', "- [[")
    # references, navboxes and captions are dropped; the external links' labels stay
    assert "Rolling Stone ranked Charles" in ray and "Retrieved" not in ray
    assert "Studio albums" not in ray and "Charles in 1968" not in ray


def test_links_point_at_titles_in_the_sample(
    pages: dict[str, Page], aliases: dict[str, str]
) -> None:
    names = set(pages) | set(aliases)
    targets: Counter[str] = Counter()
    for page in pages.values():
        for target, _, _ in LINK.findall(compose(page)):
            targets[target] += 1
    assert sum(targets.values()) > 800
    assert targets["Ray Charles discography"] >= 1
    unknown = {t for t in targets if t not in names}
    assert unknown == set(), unknown  # mwoffliner keeps only links to entries in the ZIM


@needs_sample
def test_conversion_is_quick() -> None:
    started = time.perf_counter()
    count = sum(isinstance(item, Page) for item in ZimConverter().items(SAMPLE))
    assert count == 123
    assert time.perf_counter() - started < 5  # about 1 s on one core


# --- end to end: the library and the index --------------------------------------------------


def test_import_and_index(imported: tuple[ImportSummary, Path, float]) -> None:
    from termpedia.index.search import Index

    summary, root, _ = imported
    assert summary.articles == 123
    # 144 aliases, all to imported articles; none equals its target's title
    assert summary.aliases == 144
    assert summary.language == "en"
    assert summary.skipped == {
        "images": 164,
        "scripts and styles": 29,
        "metadata": 10,
        "search index": 1,
    }
    index = Index(root)
    try:
        hits = index.search('"monopolize the union hall\'s piano"', limit=3).hits
        assert hits and hits[0].title == "Ray Charles"
        assert hits[0].library == "ray-charles"
        assert hits[0].section.endswith(
            "1945–1952: Florida, Los Angeles, Seattle and San Bernardino CA first hits"
        )
        assert hits[0].section.startswith("Early life and education > ")
        hits = index.search('"Wylie Pitman"', limit=3).hits
        assert hits[0].title == "Ray Charles" and hits[0].section == "Early life and education"

        resolved = index.catalog.resolve("Ray charles")
        assert resolved.entry is not None and resolved.entry.title == "Ray Charles"
        copy = index.catalog.resolve("The Pages of My Mind")
        assert copy.entry is not None and copy.entry.title == "Ray Charles"
        see_also = index.catalog.resolve("Ray Charles discography")  # "I Don't Need No Doctor"
        assert see_also.entry is not None and see_also.entry.library == "ray-charles"
        linked = index.catalog.resolve("Unchain My Heart (song)#Personnel")
        assert linked.entry is not None and linked.fragment == "Personnel"
    finally:
        index.close()


def test_import_rate(imported: tuple[ImportSummary, Path, float]) -> None:
    summary, _, seconds = imported
    assert summary.seconds > 0
    assert seconds < 10  # about 1.2 s here: 2.3 MB, 471 entries


# --- damaged sources ------------------------------------------------------------------------


def _damaged(kind: str, folder: Path) -> Path:
    data = SAMPLE.read_bytes()
    path = folder / f"{kind}.zim"
    if kind == "truncated":
        path.write_bytes(data[:100_000])
    elif kind == "flipped-header":
        damaged = bytearray(data)
        for offset in range(24, 32):  # cluster count and path pointer table position
            damaged[offset] ^= 0xFF
        path.write_bytes(bytes(damaged))
    elif kind == "text":
        path.write_text("This is not a ZIM file.\n" * 40, encoding="utf-8")
    elif kind == "empty":
        path.write_bytes(b"")
    elif kind == "flipped-cluster":
        damaged = bytearray(data)
        for offset in range(450_000, 450_064):  # inside the LZMA cluster of some articles
            damaged[offset] ^= 0xFF
        path.write_bytes(bytes(damaged))
    else:
        raise AssertionError(kind)
    return path


BROKEN = {
    "truncated": "truncated or corrupt ZIM file",
    "flipped-header": "corrupt ZIM file (cluster count cannot be higher than article count)",
    "text": "not a ZIM file (bad magic number)",
    "empty": "not a ZIM file (too small for a ZIM header)",
}


@needs_sample
@pytest.mark.parametrize("kind", sorted(BROKEN))
def test_a_broken_file_is_a_source_error(kind: str, tmp_path: Path) -> None:
    bad = _damaged(kind, tmp_path)
    for call in (ZimConverter().info, lambda p: list(ZimConverter().items(p))):
        with pytest.raises(SourceError) as caught:
            call(bad)
        message = str(caught.value)
        assert message.startswith(f"{bad}: ") and "\n" not in message
        assert BROKEN[kind] in message
    with pytest.raises(SourceError):
        import_library(ZimConverter(), bad)
    libraries = Path(os.environ["XDG_DATA_HOME"]) / "termpedia" / "libraries"
    assert not libraries.exists() or list(libraries.iterdir()) == []


@needs_sample
def test_a_damaged_cluster_skips_its_entries(tmp_path: Path) -> None:
    bad = _damaged("flipped-cluster", tmp_path)
    summary = import_library(ZimConverter(), bad)  # libzim notices only when reading entries
    # the entries before the damage in the cluster decompress; the ones after do not
    assert summary.skipped.get("unreadable entry", 0) > 0
    assert summary.articles + summary.skipped["unreadable entry"] == 123
    assert summary.articles > 100


@needs_sample
def test_verify_checks_the_embedded_checksum(tmp_path: Path) -> None:
    assert ZimConverter(verify=True).info(SAMPLE).title == "Ray Charles"
    bad = _damaged("flipped-cluster", tmp_path)
    with pytest.raises(SourceError, match="checksum mismatch"):
        ZimConverter(verify=True).info(bad)


@needs_sample
def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match="no such file"):
        ZimConverter().info(tmp_path / "nothing.zim")


# --- the command line -----------------------------------------------------------------------


@needs_sample
def test_cli_rejects_broken_files(tmp_path: Path) -> None:
    env = cli_env(tmp_path / "home")
    libraries = Path(env["XDG_DATA_HOME"]) / "termpedia" / "libraries"
    for kind in sorted(BROKEN):
        bad = _damaged(kind, tmp_path)
        done = run_cli(env, "import", "zim", str(bad))
        assert done.code == 3, (kind, done.err)
        lines = done.err.splitlines()
        assert len(lines) == 1, (kind, lines)
        assert lines[0].startswith(f"termpedia: {bad}: ") and BROKEN[kind] in lines[0]
        assert done.out == ""
        assert not libraries.exists() or list(libraries.iterdir()) == []


@needs_sample
def test_cli_import_and_library_list(tmp_path: Path) -> None:
    env = cli_env(tmp_path / "home")
    done = run_cli(env, "import", "zim", str(SAMPLE), "--copy")
    assert done.code == 0, done.err
    assert "imported 123 articles, 144 aliases" in done.out
    assert "into library 'ray-charles'" in done.out
    listed = run_cli(env, "library", "list", "--json")
    assert listed.code == 0, listed.err
    rows = json.loads(listed.out)
    assert [(r["name"], r["kind"], r["articles"], r["language"]) for r in rows] == [
        ("ray-charles", "zim", 123, "en")
    ]
    again = run_cli(env, "import", "zim", str(SAMPLE), "--copy")
    assert again.code == 0 and "already imported" in again.out


# --- the HTML conversion on its own ---------------------------------------------------------


PLAIN = """<!DOCTYPE html><html><head><title>T</title><style>p{}</style>
<script>var x = "<p>no</p>";</script></head><body>
<h1>Thing</h1>
<p>The <b>thing</b> is <a href="Other_thing" title="Other thing">another thing</a>'s
cousin<sup class="reference"><a href="#cite_note-1">[1]</a></sup>, see
<a href="Caf%C3%A9_au_lait#History_of_it">the history</a>, <a href="Thing_two">Thing two</a>,
<a href="https://example.org/x" class="external">a site</a> and
<a href="../I/m/Picture.jpg"><img src="../I/m/Picture.jpg" alt="pic"></a>.</p>
<table class="infobox"><tr><th colspan="2">Thing</th></tr>
<tr><th>Born</th><td>1900<br>Paris</td></tr><tr><th>Kinds</th><td><ul><li>a</li><li>b</li></ul></td></tr>
</table>
<div class="thumb"><img src="x.png"><div class="thumbcaption">A caption</div></div>
<p style="display:none">hidden</p><p>Second paragraph.</p>
<section><h2 id="History">History</h2><p>Long ago.</p>
<ul><li>one</li><li>two<ul><li>nested</li></ul></li></ul>
<h3>Details</h3><table class="wikitable"><caption>Cap</caption><tr><th>A</th><th>B</th></tr>
<tr><td>1</td><td><a href="Two">2</a></td></tr></table>
<h4 id="Deep">Deep</h4><pre>line one
  line two</pre></section>
<h2 id="See_also">See also</h2><ul><li><a href="Related_thing">Related thing</a></li>
<li>"Unlinked thing"</li></ul>
<h2 id="References">References</h2><ol class="references"><li>Ref</li></ol>
<h2>External links</h2><div class="navbox"><a href="X">X</a></div>
<h2>Notes</h2><div class="reflist"><ol class="references"><li>Note</li></ol></div>
<h3>Sub of notes</h3><p>kept</p>
</body></html>"""


def test_plain_layout() -> None:
    page = html_to_page("Thing", PLAIN)
    assert page.lead == (
        "The thing is [[Other thing|another thing]]'s cousin, see "
        "[[Café au lait#History of it|the history]], [[Thing two]], a site and .\n\n"
        "Second paragraph."
    )
    assert page.infobox == (("Born", "1900, Paris"), ("Kinds", "a, b"))
    assert page.see_also == ("Related thing", "Unlinked thing")
    assert page.sections == (
        (2, "History", "Long ago.\n\n- one\n- two\n  - nested"),
        (3, "Details", "Cap\n| A | B |\n|---|---|\n| 1 | [[Two|2]] |"),
        (4, "Deep", "```\nline one\n  line two\n```"),
        (2, "Notes", ""),  # kept for its subsection
        (3, "Sub of notes", "kept"),
    )


def test_new_scheme_links() -> None:
    html = (
        '<p><a href="../C/Foo_bar">x</a> <a href="Baz">Baz</a> <a href="./_assets_/a.css">c</a>'
        ' <a href="../I/pic.png">i</a> <a href="../-/s/x">s</a></p>'
    )
    page = html_to_page("T", html, base="C", articles="C/")
    assert page.lead == "[[Foo bar|x]] [[Baz]] c i s"
    assets = '<p><a href="Node.js">Node.js</a> <a href="_assets_/x">x</a> <a href="P.JPG">p</a>'
    assert html_to_page("T", assets, "C", "C/").lead == "[[Node.js]] x p"
    old = html_to_page("T", html)  # old scheme: "../C/..." is not an article
    assert old.lead == "x [[Baz]] c i s"


def test_mwoffliner_details_layout() -> None:
    html = (
        '<h1 class="section-heading"><span id="title_0">T</span></h1><div id="mf-section-0">'
        "<p>Lead.</p></div>"
        '<details data-level="2"><summary class="section-heading"><h2 id="A_b">A b</h2>'
        "</summary><p>In A.</p></details>"
        '<details data-level="3" open=""><summary class="section-heading"><h3 id="C">C</h3>'
        "</summary><p>In C.</p></details>"
        "<!--htdig_noindex--><div>This article is issued from Wikipedia.</div>"
        "<!--/htdig_noindex-->"
    )
    page = html_to_page("T", html)
    assert page.lead == "Lead."
    assert page.sections == ((2, "A b", "In A."), (3, "C", "In C."))


def test_mediawiki_headings_with_edit_links() -> None:
    html = (
        '<p>x</p><h2><span class="mw-headline" id="History">History</span>'
        '<span class="mw-editsection">[<a href="https://x.org/edit">edit</a>]</span></h2>'
        "<p>y</p>"
        '<h2><span class="mw-headline" id="See_also">See also</span></h2>'
        '<ul><li><a href="/wiki/Elsewhere">Elsewhere</a></li></ul>'
    )
    page = html_to_page("T", html)
    assert page.sections == ((2, "History", "y"),)
    assert page.see_also == ("Elsewhere",)  # not a link into the ZIM: the item's text


def test_literal_brackets_are_not_links() -> None:
    page = html_to_page("T", "<p>[[|Manhattan Jazz Quintet|Andy]] and a]]</p>")
    assert "[[" not in page.lead and "]]" not in page.lead


@pytest.mark.parametrize(
    "unit", ["<a ", "</", "<?", "<!x", "<!-- a > ", "<![CDATA[ ", '<a x="', "<div>", "<a href=X>y"]
)
def test_parsing_stays_linear_on_garbage(unit: str) -> None:
    timings = []
    for count in (10_000, 40_000):
        started = time.perf_counter()
        html_to_page("T", unit * count)
        timings.append(time.perf_counter() - started)
    assert timings[1] < 1.5 + 8 * timings[0], (unit, timings)  # 4x the input, not 16x


# --- the new namespace scheme (a ZIM written here with libzim's writer) -------------------


def test_new_namespace_scheme(tmp_path: Path) -> None:
    writer = pytest.importorskip("libzim.writer")

    class Entry(writer.Item):  # type: ignore[misc,name-defined]
        def __init__(self, path: str, title: str, mimetype: str, content: str) -> None:
            super().__init__()
            self.path, self.title, self.mimetype, self.content = path, title, mimetype, content

        def get_path(self) -> str:
            return self.path

        def get_title(self) -> str:
            return self.title

        def get_mimetype(self) -> str:
            return self.mimetype

        def get_contentprovider(self) -> object:
            return writer.StringProvider(self.content)

        def get_hints(self) -> dict[object, bool]:
            return {writer.Hint.FRONT_ARTICLE: self.mimetype == "text/html"}

    source = tmp_path / "new.zim"
    with writer.Creator(str(source)).config_indexing(False, "deu") as creator:
        creator.set_mainpath("Home")
        creator.add_metadata("Title", "Test wiki")
        creator.add_metadata("Language", "deu")
        creator.add_item(
            Entry("Home", "Home", "text/html", '<p>See <a href="Other_page#Part_two">it</a>.</p>')
        )
        creator.add_item(
            Entry(
                "Other_page",
                "Other page",
                "text/html",
                '<p>Lead <a href="./Home">Home</a></p><h2>Part two</h2><p>Two.</p>'
                '<h2 id="See_also">See also</h2><ul><li><a href="Home">Home</a></li></ul>',
            )
        )
        creator.add_item(Entry("pic.png", "pic.png", "image/png", "not really a PNG"))
        creator.add_redirection("Other", "Other (redirect)", "Other_page", {})
    zim = ZimConverter()
    info = zim.info(source)
    assert (info.language, info.title) == ("de", "Test wiki")
    found = list(zim.items(source))
    pages = {item.title: item for item in found if isinstance(item, Page)}
    assert set(pages) == {"Home", "Other page"}
    assert pages["Home"].lead == "See [[Other page#Part two|it]]."
    assert pages["Other page"].sections == ((2, "Part two", "Two."),)
    assert pages["Other page"].see_also == ("Home",)
    assert Alias("Other (redirect)", "Other page") in found
    reasons = Counter(item.reason for item in found if isinstance(item, Skipped))
    assert reasons["images"] == 1 and reasons["metadata"] >= 3
    assert set(reasons) <= {"images", "metadata", "search index"}


# --- tables, lists, quotes and code (the article format's blocks) -------------------------


def test_a_table_with_spans_is_a_table_block() -> None:
    html = (
        '<table class="wikitable"><caption>Results</caption>'
        '<tr><th rowspan="2">Year</th><th colspan="2">Place</th></tr>'
        "<tr><th>City</th><th>Country</th></tr>"
        '<tr><td rowspan="2"><a href="Y1990">1990</a></td><td>Rome</td><td>Italy</td></tr>'
        "<tr><td>Paris</td><td>France | EU</td></tr>"
        '<tr><th>Total</th><td colspan="2">2 cities</td></tr></table>'
    )
    # Two header rows (all th); a cell spanning rows is repeated (linked once), the columns
    # a cell spans after its first are empty; a `|` in a cell is escaped; the caption leads.
    assert html_to_page("T", html).lead == (
        "Results\n"
        "| Year | Place |  |\n"
        "| Year | City | Country |\n"
        "|---|---|---|\n"
        "| [[Y1990|1990]] | Rome | Italy |\n"
        "| 1990 | Paris | France \\| EU |\n"
        "| Total | 2 cities |  |"
    )


def test_tables_that_lay_things_out_are_text() -> None:
    html = (
        "<table><tr><td><p>Left column text.</p></td><td>Right <b>column</b>.</td></tr></table>"
        '<table role="presentation"><tr><td>a</td><td>b</td></tr><tr><td>c</td><td>d</td></tr>'
        "</table><table><tr><td>one</td></tr><tr><td>two</td></tr></table>"
    )
    assert html_to_page("T", html).lead == (
        "Left column text.\nRight column.\n\na\nb\nc\nd\n\none\ntwo"
    )


def test_cells_hold_their_lists_and_code_on_one_line() -> None:
    html = (
        '<table class="wikitable"><tr><th>Name</th><th>Notes</th></tr>'
        "<tr><td>A</td><td><ul><li>x</li><li>y</li></ul></td></tr>"
        "<tr><td>B</td><td><pre>code [[x]]</pre></td></tr></table>"
    )
    assert html_to_page("T", html).lead == (
        "| Name | Notes |\n|---|---|\n| A | x, y |\n| B | code [ [x] ] |"
    )


def test_numbered_and_nested_lists_keep_numbers_and_depth() -> None:
    html = (
        '<ol start="3"><li>three</li><li>four<ul><li>bullet<ol><li value="7">seven</li>'
        "<li>eight</li></ol></li></ul></li><li>five<p>more of five</p></li></ol>"
        "<p>Between.</p><ul><li>a<ul><li>b</li></ul>after b</li></ul>"
        '<ol start="999"><li>x</li><li>y</li></ol>'
    )
    assert html_to_page("T", html).lead == (
        "3. three\n4. four\n  - bullet\n    7. seven\n    8. eight\n5. five more of five\n\n"
        "Between.\n\n"
        "- a\n  - b\n\nafter b\n\n"
        "999. x\n- 1000. y"  # the format's numbers have at most 3 digits
    )


def test_definition_lists_quotes_and_code() -> None:
    html = (
        "<dl><dt>Term one</dt><dd>Meaning one.</dd><dd>Meaning two.</dd><dt>Term two</dt>"
        "<dd><ul><li>listed meaning</li></ul></dd></dl>"
        "<blockquote><p>Outer.</p><blockquote><p>Inner<br>two lines.</p></blockquote>"
        "<p>Outer again.</p></blockquote>"
        '<pre>for x in [[1, 2]]:\n\t<a href="Print">print</a>(x)\n</pre>'
        "<p>Text with <code>[[not a link]]</code>.</p>"
    )
    assert html_to_page("T", html).lead == (
        "; Term one\n: Meaning one.\n: Meaning two.\n; Term two\n- listed meaning\n\n"
        "> Outer.\n>\n>> Inner\n>> two lines.\n>\n> Outer again.\n\n"
        "```\nfor x in [[1, 2]]:\n\tprint(x)\n```\n\n"  # verbatim: tab, brackets, no link
        "Text with [ [not a link] ]."
    )


def test_paragraphs_that_look_like_blocks_stay_text() -> None:
    html = "".join(
        f"<p>{text}</p>"
        for text in (
            "- not a list",
            "12. not a number",
            "| not a table |",
            "; not a term",
            "&gt; not a quote",
            "```not code",
            "== not a heading ==",
            "1917. a year",
        )
    )
    page = html_to_page("T", html)
    guard = "\u2007"
    assert page.lead.split("\n\n") == [
        f"{guard}- not a list",
        f"{guard}12. not a number",
        f"{guard}| not a table |",
        f"{guard}; not a term",
        f"{guard}> not a quote",
        f"{guard}```not code",
        f"{guard}== not a heading ==",
        "1917. a year",  # four digits are not an item number
    ]
    from termpedia.content.blocks import read_blocks

    lines = compose(page).split("\n")[3:]
    assert {block.kind for block in read_blocks(lines)} == {"paragraph"}


def test_hidden_elements_and_buttons_are_dropped() -> None:
    html = (
        "<p>Seen.</p><div hidden>Unseen.</div><p style='visibility: hidden'>Unseen too.</p>"
        "<a role='button'>dismiss</a><span class='sr-only'>screen reader</span>"
        "<div class='mw-jump-link'>Jump to navigation</div><p>Seen again.</p>"
    )
    assert html_to_page("T", html).lead == "Seen.\n\nSeen again."


@needs_sample
def test_a_library_imported_by_the_older_converter_is_converted_again() -> None:
    from termpedia.content import paths

    first = import_library(ZimConverter(), SAMPLE)
    assert first.version == "2.2" and not first.unchanged  # format 2, converter 2
    metadata = paths.libraries_dir() / first.name / "library.json"
    data = json.loads(metadata.read_text(encoding="utf-8"))
    data["version"] = "2.1"  # as the converter before tables wrote it
    metadata.write_text(json.dumps(data), encoding="utf-8")
    again = import_library(ZimConverter(), SAMPLE)
    assert not again.unchanged and again.articles == 123
    assert import_library(ZimConverter(), SAMPLE).unchanged  # the same version: nothing to do
