"""Which entries of a ZIM archive are articles, its main page and its page chrome: the same
on both paths, `termpedia import zim --copy` (content/importers/zim.py's converter) and an
archive read in place (content/archive.py), since both ask one rule (`zim.Articles`).

The archives are written here with libzim's `Creator` (tests/bench/zimsynth.py):

- a ZIM of web pages saved from a browser, which lists no front articles: two pages, the
  `Tea_files/` folder beside one of them (a 502-byte `index(2).php` served as text/html
  whose body is JavaScript, a style sheet served as text/html, a JavaScript and a CSS file),
  a `loader.php` of JavaScript and a page of nothing but a script;
- a ZIM that lists its front articles, with an HTML entry it does not list and a redirect
  it does;
- a small archive whose main entry points at `main.html`, beside a page named
  `dangling_link`;
- a Wikibooks page saved with its skin's chrome.
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest
from conftest import SHARED, cli_env, run_cli

from termpedia.content import paths
from termpedia.content.archive import ArchiveTitles, ZimArchive, describe
from termpedia.content.blocks import read_blocks
from termpedia.content.importers.base import Alias, Page, Skipped, compose
from termpedia.content.importers.store import import_library, read_metadata
from termpedia.content.importers.zim import SCRIPT_STARTS, ZimConverter
from termpedia.content.parse import render
from tests.bench.zimsynth import ZimPage, article_html, write_zim

RAY = SHARED / "corpora" / "ray-charles.zim"
needs_ray = pytest.mark.skipif(not RAY.is_file(), reason=f"shared sample {RAY} is missing")

SCRIPT = (
    "(function(mw, $) { mw.loader.implement('ext.gadget.dismiss', function() {"
    " var link = '<a href=\"Main_Page\">Main Page</a>'; $('#siteNotice').append(link);"
    " mw.cookie.set('dismissSiteNotice', '1'); }); mw.config.set({'wgNoticeProject':"
    " 'wikibooks', 'wgSiteNoticeId': '2.23', 'wgPageName': 'Cookbook:Tea', 'wgTitle':"
    " 'Tea', 'wgCurRevisionId': 3826009}); mw.loader.state({'ext.dismissableSiteNotice':"
    " 'ready', 'site.styles': 'ready', 'user.styles': 'ready', 'noscript': 'ready'});"
    " })(mediaWiki, jQuery);"
)
SAVED = [
    ZimPage("About.html", "About", article_html("About", [], "Saved by hand."), front=False),
    ZimPage(
        "Tea.html",
        "Tea",
        article_html("Tea", [("Brewing", "Steep for three minutes.")], "Tea is a drink."),
        front=False,
    ),
    ZimPage("Tea_files/index(2).php", "index(2)", SCRIPT, front=False),
    ZimPage("Tea_files/load.php", "load", ".mw-body { color: #202122; }", front=False),
    ZimPage("Tea_files/startup.js", "startup", "var x = 1;", "application/javascript", False),
    ZimPage("Tea_files/style.css", "style", "body { margin: 0 }", "text/css", False),
    ZimPage("frame.html", "frame", "<html><head><script>go()</script></head></html>", front=False),
    ZimPage("loader.php", "loader", "var RLQ = window.RLQ || [];", front=False),
]
SAVED_SKIPPED = {
    "index(2)": "assets of saved pages",
    "load": "assets of saved pages",
    "startup": "scripts and styles",
    "style": "scripts and styles",
    "frame": "scripts and styles",
    "loader": "scripts and styles",
}


@pytest.fixture(scope="module")
def zims(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("zims")
    small = [
        ZimPage("main.html", "Test ZIM file", article_html("Test ZIM file", [], "Welcome.")),
        ZimPage("dangling_link", "dangling_link", '<p>A link to <a href="gone">gone</a>.</p>'),
        ZimPage("favicon.png", "favicon", "not a PNG", mimetype="image/png"),
    ]
    return {
        "saved": write_zim(folder / "saved.zim", SAVED, main="Tea.html", indexing=False),
        "listed": write_listed(folder / "listed.zim"),
        "small": write_zim(folder / "small.zim", small, main="main.html", indexing=False),
        "wikibooks": write_zim(
            folder / "wikibooks.zim",
            [ZimPage("Cookbook:Tea", "Cookbook:Tea", WIKIBOOKS_PAGE)],
            main="Cookbook:Tea",
            indexing=False,
        ),
    }


def write_listed(out: Path) -> Path:
    """A ZIM listing two front articles: a page and a redirect (libzim lets a redirect be
    one); an HTML entry beside them is not one."""
    from libzim.writer import Creator, Hint, Item, StringProvider

    class Entry(Item):  # type: ignore[misc]
        def __init__(self, path: str, title: str, html: str, front: bool) -> None:
            super().__init__()
            self.path, self.title, self.html, self.front = path, title, html, front

        def get_path(self) -> str:
            return self.path

        def get_title(self) -> str:
            return self.title

        def get_mimetype(self) -> str:
            return "text/html"

        def get_contentprovider(self) -> StringProvider:
            return StringProvider(self.html)

        def get_hints(self) -> dict[object, bool]:
            return {Hint.FRONT_ARTICLE: self.front}

    with Creator(str(out)).config_indexing(False, "eng") as creator:
        creator.set_mainpath("Listed")
        creator.add_item(Entry("Listed", "Listed", "<p>A front article.</p>", True))
        creator.add_item(Entry("extra.html", "extra", "<p>Not a front article.</p>", False))
        creator.add_redirection("Other_name", "Other name", "Listed", {Hint.FRONT_ARTICLE: True})
        creator.add_metadata("Title", "Listed")
    return out


def converted(zim: Path) -> tuple[dict[str, Page], dict[str, str], dict[str, str]]:
    """What the copy importer makes of an archive: pages, aliases, skips by title."""
    items = list(ZimConverter().items(zim))
    pages = {item.title: item for item in items if isinstance(item, Page)}
    aliases = {item.name: item.target for item in items if isinstance(item, Alias)}
    skipped = {item.title: item.reason for item in items if isinstance(item, Skipped)}
    return pages, aliases, skipped


def in_place(zim: Path) -> ZimArchive:
    return ZimArchive(describe(zim, zim.stem))


# --- which entries are articles ----------------------------------------------------------


def test_saved_pages_without_front_articles_keep_their_assets_out(zims: dict[str, Path]) -> None:
    pages, aliases, skipped = converted(zims["saved"])
    assert sorted(pages) == ["About", "Tea"] and aliases == {}
    assert {title: skipped[title] for title in SAVED_SKIPPED} == SAVED_SKIPPED
    archive = in_place(zims["saved"])
    assert [archive.entry(i)[1] for i in archive.article_ids()] == ["About", "Tea"]
    assert archive.registration.articles == 2  # counted by the rule, not libzim's 0
    titles = ArchiveTitles(archive)
    for name in ("index(2)", "load", "loader", "frame", "startup"):
        assert titles.lookup(name) is None, name  # not an article: no title finds it
    found = titles.lookup("Tea")
    assert found is not None and found.path == "zim:saved:Tea.html"
    assert archive.main_path() == "Tea.html"


def test_the_saved_archive_on_the_command_line(zims: dict[str, Path], tmp_path: Path) -> None:
    env = cli_env(tmp_path / "in-place")
    registered = run_cli(env, "import", "zim", str(zims["saved"]))
    assert registered.code == 0, registered.err
    assert "(2 articles, en)" in registered.out
    listed = json.loads(run_cli(env, "library", "list", "--json").out)
    assert [(row["name"], row["articles"]) for row in listed] == [("saved", 2)]
    assert run_cli(env, "show", "index(2)").code == 1
    shown = run_cli(env, "show", "Tea")
    assert shown.code == 0 and shown.out.splitlines()[:3] == ["Tea", "===", "Tea is a drink."]
    env = cli_env(tmp_path / "copy")
    copied = run_cli(env, "import", "zim", "--copy", str(zims["saved"]))
    assert copied.code == 0, copied.err
    assert "imported 2 articles, 0 aliases" in copied.out
    assert "assets of saved pages (2)" in copied.out and "scripts and styles (4)" in copied.out
    assert run_cli(env, "show", "index(2)").code == 1


def test_an_archive_that_lists_front_articles(zims: dict[str, Path]) -> None:
    pages, aliases, skipped = converted(zims["listed"])
    assert list(pages) == ["Listed"]
    assert aliases == {"Other name": "Listed"}
    assert skipped["extra"] == "not front articles"
    archive = in_place(zims["listed"])
    assert archive.rule().listed is not None and len(archive.rule().listed) == 2  # + redirect
    assert [archive.entry(i)[1] for i in archive.article_ids()] == ["Listed"]
    assert archive.path_of("extra") == ""
    assert archive.path_of("Other name") == "Listed"


def test_the_main_page_is_the_main_entry_pointer(zims: dict[str, Path], tmp_path: Path) -> None:
    archive = in_place(zims["small"])
    assert archive.main_path() == "main.html"
    assert archive.title_of(archive.main_path()) == "Test ZIM file"
    pages, _, skipped = converted(zims["small"])
    assert sorted(pages) == ["Test ZIM file", "dangling_link"]
    assert pages["dangling_link"].lead == "A link to [[gone]]."  # a page like any other
    assert skipped["favicon"] == "images" and skipped["mainPage"] == "metadata"
    info = ZimConverter().info(zims["small"])
    assert info.extra["zim_main"] == "Test ZIM file"
    summary = import_library(ZimConverter(), zims["small"])
    assert summary.articles == 2
    recorded = read_metadata(paths.libraries_dir() / summary.name)
    assert recorded is not None and recorded["zim_main"] == "Test ZIM file"


# --- page chrome -------------------------------------------------------------------------

WIKIBOOKS_PAGE = """<!DOCTYPE html><html><head><title>Cookbook:Tea</title>
<script>document.documentElement.className="client-js";RLCONF={"wgTitle":"Tea"};</script>
<link rel="stylesheet" href="./Tea_files/load.php"></head>
<body class="mediawiki skin-vector"><div id="mw-page-base" class="noprint"></div>
<div id="content" class="mw-body" role="main"><a id="top"></a>
<div id="siteNotice" class="mw-body-content"><div class="mw-dismissable-notice">
<div class="mw-dismissable-notice-close">[<a tabindex="0" role="button">dismiss</a>]</div>
<div class="mw-dismissable-notice-body">The community has accepted strategy guides!</div>
</div></div>
<div class="mw-indicators mw-body-content"></div>
<h1 id="firstHeading" class="firstHeading">Cookbook:Tea</h1>
<div id="bodyContent" class="mw-body-content">
<div id="siteSub" class="noprint">From Wikibooks, open books for an open world</div>
<div id="contentSub"></div><div id="jump-to-nav"></div>
<a class="mw-jump-link" href="#mw-head">Jump to navigation</a>
<a class="mw-jump-link" href="#searchInput">Jump to search</a>
<div id="mw-content-text" class="mw-content-ltr"><div class="mw-parser-output">
<p>Tea is a drink made by steeping leaves in hot water.</p>
<h2><span class="mw-headline" id="Ingredients">Ingredients</span><span class="mw-editsection">
<span class="mw-editsection-bracket">[</span><a href="https://en.wikibooks.org/w/index.php?\
title=Cookbook:Tea&amp;action=edit&amp;section=1">edit</a>
<span class="mw-editsection-bracket">]</span></span></h2>
<table class="wikitable">
<tr><th>Ingredient</th><th>Amount</th><th>Notes</th></tr>
<tr><td rowspan="2">Water</td><td>250 ml</td><td>boiling</td></tr>
<tr><td>50 ml</td><td>cold, for green tea</td></tr>
<tr><td>Leaves</td><td colspan="2">one teaspoon</td></tr>
</table>
<h2><span class="mw-headline" id="Procedure">Procedure</span>
<span class="editsection">[<a href="x">edit</a>]</span></h2>
<ol><li>Boil the water.</li><li>Warm the pot.
<ol><li>Pour a little water in.</li><li>Swirl it.</li></ol></li>
<li>Add the leaves.</li></ol>
<dl><dt>Steeping</dt><dd>Three to five minutes.<dl><dd>Longer for black tea.</dd></dl></dd></dl>
<blockquote><p>Tea is liquid wisdom.</p><p>Anonymous</p></blockquote>
<pre>kettle --boil
  pot.warm()   # keep [[spaces]]</pre>
<p style="display:none">A hidden note.</p>
<span class="hidden">Also hidden.</span><div hidden>Hidden too.</div>
<div class="printfooter">Retrieved from "https://en.wikibooks.org/wiki/Cookbook:Tea"</div>
</div></div>
<div id="catlinks" class="catlinks"><a href="y">Category</a>: <ul><li>Recipes</li></ul></div>
</div></div>
<div id="mw-navigation"><h2>Navigation menu</h2><div id="mw-head">
<nav id="p-personal" role="navigation"><ul><li>Not logged in</li></ul></nav></div></div>
<div id="footer" role="contentinfo"><ul><li>This page was last edited on 1 April 2021.</li>
</ul></div>
</body></html>"""
WIKIBOOKS_TEXT = """= Cookbook:Tea =

Cookbook:Tea

Tea is a drink made by steeping leaves in hot water.

==Ingredients==
| Ingredient | Amount | Notes |
|---|---|---|
| Water | 250 ml | boiling |
| Water | 50 ml | cold, for green tea |
| Leaves | one teaspoon |  |

==Procedure==
1. Boil the water.
2. Warm the pot.
  1. Pour a little water in.
  2. Swirl it.
3. Add the leaves.

; Steeping
: Three to five minutes.
:: Longer for black tea.

> Tea is liquid wisdom.
>
> Anonymous

```
kettle --boil
  pot.warm()   # keep [[spaces]]
```
"""


def test_a_wikibooks_page_loses_its_chrome_not_its_text(zims: dict[str, Path]) -> None:
    pages, _, _ = converted(zims["wikibooks"])
    assert compose(pages["Cookbook:Tea"]) == WIKIBOOKS_TEXT
    article = in_place(zims["wikibooks"]).read("Cookbook:Tea")
    assert render(article) == WIKIBOOKS_TEXT  # the same text read in place
    kinds = [
        (section.heading, [block.kind for block in read_blocks(section.text.split("\n"))])
        for section in article.walk()
    ]
    assert kinds == [
        ("", ["paragraph"]),
        ("Ingredients", ["table"]),
        ("Procedure", [*["item"] * 5, "term", "definition", "definition", *["quote"] * 3, "code"]),
    ]


# --- the shared sample -------------------------------------------------------------------

FILM = [
    "## Film",
    "Year │ Title                      │ Role           │ Notes",
    "─────┼────────────────────────────┼────────────────┼────────────────────────────",
    "1961 │ Swingin' Along             │ Himself        │",
    "1965 │ Ballad in Blue             │ Himself        │",
    "1966 │ The Big T.N.T. Show        │ Himself        │ Documentary film",
]


@needs_ray
@pytest.mark.parametrize("copy", [False, True], ids=["in place", "copy"])
def test_ray_charles_filmography_is_an_aligned_table(copy: bool, tmp_path: Path) -> None:
    env = cli_env(tmp_path)
    imported = run_cli(env, "import", "zim", str(RAY), *(["--copy"] if copy else []))
    assert imported.code == 0, imported.err
    shown = run_cli(env, "show", "Ray Charles#Film")
    assert shown.code == 0, shown.err
    lines = shown.out.splitlines()
    assert lines[: len(FILM)] == FILM
    assert "2004 │ Ray                        │ Himself        │ Uncredited, Archival" in lines
    listed = json.loads(run_cli(env, "library", "list", "--json").out)
    assert [row["articles"] for row in listed] == [123]  # articles only: no copies, no assets


@needs_ray
def test_no_ray_charles_article_starts_with_script() -> None:
    pages, _, _ = converted(RAY)
    archive = in_place(RAY)
    ids = archive.article_ids()
    assert len(pages) == len(ids) == 123
    for index in ids:
        path, title = archive.entry(index)
        text = render(archive.read(path))
        assert text == compose(pages[title]), title  # both paths: one conversion
        for section in archive.read(path).walk():
            assert not section.text.encode().startswith(SCRIPT_STARTS), (title, section.heading)


@needs_ray
def test_a_registration_counted_by_the_older_rule_is_counted_again(tmp_path: Path) -> None:
    from termpedia.content.archive import register, registration_in, save_registration

    folder = paths.libraries_dir() / "ray-charles"
    registration, changed = register(RAY, folder)
    assert changed and registration.articles == 123
    assert register(RAY, folder) == (registration, False)  # the same archive: nothing to do
    extra = {k: v for k, v in registration.extra.items() if k != "articles_rule"}
    older = dataclasses.replace(registration, articles=125, extra=extra)  # libzim's count
    save_registration(folder, older)
    again, changed = register(RAY, folder)
    assert changed and again.articles == 123
    assert registration_in(folder) == again
