"""Kiwix ZIM files: HTML articles become pages, redirects aliases, everything else is skipped.

A ZIM archive (read with `libzim.reader.Archive`) holds entries by path. In the old namespace
scheme the path starts with the namespace (`A/` articles and redirects, `I/` images, `-/` CSS,
JavaScript and icons, `M/` metadata, `X/` search indexes); in the new scheme (libzim 7+) the
content entries (`C`) come first and `entry.path` carries no namespace, then the metadata
(`M`), well-known (`W`) and index (`X`) entries follow.

Which entries are articles is one rule, `Articles`, used by the importer and by archives read
in place (content/archive.py): the front articles an archive lists, when it lists them; else
its HTML pages less a saved page's assets (`NAME_files/…`, scripts and styles served as
HTML) and mwoffliner's second copies of an article (aliases). The main page is where the
archive's main-entry pointer leads (`main_entry`).

Article HTML is turned into termpedia text by `html_to_page`, a single pass over the document
with the standard library's `HTMLParser`: headings h2..h6 start sections (whether they sit in
mwoffliner's flat `<details>`/`<summary>` blocks or in plain `<section>`s), paragraphs become
paragraphs, lists the format's lists (numbered ones keep their numbers, nested ones their
depth; `<dl>` terms and definitions), block quotes quote lines, `<pre>` code blocks kept
verbatim, data tables table blocks (a header row, a cell spanning rows repeated in each,
the columns a cell spans after its first left empty; a table of one row or column lays
things out and is read as text), an infobox table the page's infobox pairs, internal links
`[[Title|label]]`, and a "See also" section the page's see-also list. Images, figure
captions, scripts, styles, citation markers, reference lists, navigation boxes, message
boxes, hidden elements and a skin's page chrome (navigation jumps, notices and their
dismiss buttons, edit links, menus, footers) are dropped.
"""

from __future__ import annotations

import contextlib
import functools
import posixpath
import re
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from .base import (
    Alias,
    Item,
    Page,
    Skipped,
    SourceError,
    SourceInfo,
    code_text,
    plain_line,
    table_text,
)
from .wikitables import MAX_COLUMNS, MAX_ROWSPAN, GridCell, span_grid

LANGUAGES = {
    "eng": "en",
    "deu": "de",
    "ger": "de",
    "fra": "fr",
    "fre": "fr",
    "spa": "es",
    "ita": "it",
    "por": "pt",
    "rus": "ru",
    "bul": "bg",
    "pol": "pl",
    "nld": "nl",
    "dut": "nl",
    "swe": "sv",
    "jpn": "ja",
    "zho": "zh",
    "chi": "zh",
    "kor": "ko",
    "tha": "th",
    "lao": "lo",
    "khm": "km",
    "mya": "my",
    "bur": "my",
    "ara": "ar",
}

HTML = "text/html"
MAX_REDIRECT_HOPS = 16
# In the new scheme images and assets share the `C` namespace with the articles: links to
# them are told apart by their folder or suffix (not `.js`: "Node.js" is an article).
ASSET_SUFFIXES = (
    ".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp", ".ico", ".bmp", ".tif", ".tiff",
    ".ogg", ".oga", ".ogv", ".webm", ".mp3", ".mp4", ".wav",
)  # fmt: skip
ASSET_FOLDERS = ("_assets_/", "_res_/", "_mw_/", "_webp_/")


class ZimConverter:
    """Reads a Kiwix ZIM file (old or new namespace scheme)."""

    kind = "zim"
    version = 2
    """Of the conversion: a library imported by an older one is converted again (store.py).
    2: tables as table blocks, numbered, nested and definition lists, quotes, code blocks;
    page chrome dropped; front articles by the archive's listing."""

    def __init__(self, verify: bool = False) -> None:
        self.verify = verify
        """Check the embedded MD5 checksum first: reads the whole file, slow for big ones."""

    def info(self, source: Path) -> SourceInfo:
        archive = _open(source)
        if (
            self.verify
            and _call(source, lambda: archive.has_checksum)
            and not _call(source, archive.check)
        ):
            raise SourceError(f"{source}: corrupt ZIM file (checksum mismatch)")
        language = _metadata(archive, "Language")
        extra = {}
        for key in ("Name", "Date", "Creator", "Publisher", "Scraper"):
            value = _metadata(archive, key)
            if value:
                extra[f"zim_{key.lower()}"] = value
        # libzim counts the articles from the metadata, which may sit in a damaged cluster
        with contextlib.suppress(RuntimeError, ValueError):
            extra["zim_articles"] = str(archive.article_count)
        with contextlib.suppress(RuntimeError, KeyError, ValueError):
            main = main_entry(archive)
            if main is not None:
                extra["zim_main"] = str(main.title or main.path)
        return SourceInfo(
            language=iso639_1(language),
            title=_metadata(archive, "Title"),
            # The import counts every item it receives, and there is one item per entry.
            total=_call(source, lambda: archive.all_entry_count),
            extra=extra,
        )

    def items(self, source: Path) -> Iterator[Item]:
        archive = _open(source)
        rule = _call(source, lambda: Articles(archive))
        for index in range(rule.count):
            try:
                yield _convert(rule, index)
            except (RuntimeError, KeyError, IndexError, ValueError, OSError):
                # libzim notices damage only when it reads an entry or its cluster
                yield Skipped(_name_of(archive, index), "unreadable entry")


def iso639_1(code: str) -> str:
    """`eng` -> `en` for common languages; the first of a list (`eng,fra`); others as given."""
    first = code.replace(";", ",").split(",")[0].strip().lower()
    return LANGUAGES.get(first, first)


def _open(source: Path) -> Any:
    try:
        from libzim.reader import Archive
    except ImportError as error:  # pragma: no cover - libzim is a dependency
        raise SourceError(f"{source}: cannot read ZIM files (libzim is not installed)") from error
    if not source.is_file():
        raise SourceError(f"{source}: {'not a file' if source.exists() else 'no such file'}")
    try:
        return Archive(str(source))
    except (RuntimeError, OSError, ValueError) as error:
        raise SourceError(f"{source}: {_explain(error)}") from error


def _explain(error: BaseException) -> str:
    message = " ".join(str(error).split()) or type(error).__name__
    lower = message.lower()
    if "magic number" in lower:
        return "not a ZIM file (bad magic number)"
    if "too small" in lower:
        return "not a ZIM file (too small for a ZIM header)"
    if "bad size" in lower:
        return "truncated or corrupt ZIM file (its size does not match its header)"
    return "corrupt ZIM file (" + message[:1].lower() + message[1:].rstrip(".") + ")"


def _call(source: Path, function: Any) -> Any:
    try:
        return function()
    except (RuntimeError, OSError, ValueError) as error:
        raise SourceError(f"{source}: {_explain(error)}") from error


def _metadata(archive: Any, key: str) -> str:
    try:
        return bytes(archive.get_metadata(key)).decode("utf-8", "replace").strip()
    except (RuntimeError, KeyError, ValueError):
        return ""


def _content_range(archive: Any, count: int) -> range:
    """The ids of the `C` entries of a new-scheme archive: they come first, contiguously."""
    users = int(archive.entry_count)

    def is_content(index: int) -> bool:
        try:
            entry = archive._get_entry_by_id(index)
            return int(archive.get_entry_by_path(entry.path)._index) == index
        except (RuntimeError, KeyError, IndexError, ValueError):
            return False

    if users == 0:
        return range(0)
    for start in range(min(count - users, 64) + 1):
        if is_content(start) and is_content(start + users - 1):
            return range(start, start + users)
    return range(0, users)


def _name_of(archive: Any, index: int) -> str:
    try:
        return str(archive._get_entry_by_id(index).path)
    except Exception:  # noqa: BLE001 - any failure: the entry is unreadable anyway
        return f"entry #{index}"


def _convert(rule: Articles, index: int) -> Item:
    archive = rule.archive
    entry = archive._get_entry_by_id(index)
    path: str = entry.path
    title = entry.title or path
    namespace = rule.namespace(index, path)
    if namespace not in ("A", "C"):
        reason = _other_reason(namespace, None if entry.is_redirect else entry)
        return Skipped(title, reason)
    if entry.is_redirect:
        target = entry
        for _ in range(MAX_REDIRECT_HOPS):
            if not target.is_redirect:
                break
            target = target.get_redirect_entry()
        else:
            return Skipped(title, "redirect loops")
        if rule.verdict(int(target._index), target, content=False):
            return Skipped(title, "redirects to non-articles")
        return Alias(name=title, target=target.title or target.path)
    item = entry.get_item()
    mimetype: str = item.mimetype
    if not mimetype.startswith(HTML):
        return Skipped(title, _mime_reason(mimetype))
    verdict = rule.verdict(index, entry)
    if verdict == COPY:
        return Alias(name=rule.name_of(path), target=title)
    if verdict:
        return Skipped(title, verdict)
    html = bytes(item.content).decode("utf-8", "replace")
    full = f"C/{path}" if rule.new_scheme else path
    try:
        return html_to_page(title, html, posixpath.dirname(full), _articles_prefix(full))
    except Exception:  # noqa: BLE001 - one odd page must not end an import of millions
        return Skipped(title, "unparsable HTML")


# --- which entries are articles ----------------------------------------------------------

COPY = "copy of an article"
"""`Articles.verdict` of mwoffliner's second copy of an article (an alias, not an article)."""
NOT_FRONT = "not front articles"
SAVED_ASSETS = "assets of saved pages"
SCRIPTS = "scripts and styles"
LISTING = "listing/titleOrdered/v1"
"""New-scheme archives list their front articles' entry ids (uint32, by title) here."""
ASSET_FOLDER = "_files/"
"""Pages saved from the web keep their assets in a `NAME_files/` folder beside them."""
HEAD = 4096
LISTING_SAMPLE = 4096
"""Listed ids checked before a listing of front articles is taken as it is (`Articles.ids`)."""
"""Bytes of a page read to tell a script from a page."""
SCRIPT_STARTS = (
    b"(function", b"function", b"!function", b"(()", b"var ", b"let ", b"const ", b"window.",
    b"document.", b"/*", b"//", b'"use strict"', b"'use strict'", b"mw.", b"RLQ", b"if(",
    b"@charset", b"@import", b"@media", b"@font-face",
)  # fmt: skip
"""How JavaScript or CSS served as text/html starts (case matters: `Var` is a word)."""
CSS_RULE = re.compile(rb"[^<>{}]{1,300}\{\s*-?[\w-]+\s*:[^<>{}]*\}")
"""A style sheet's first rule: `selector { property: value }`."""
SCRIPTS_AND_TAGS = re.compile(
    rb"<script\b.*?</script\s*>|<style\b.*?</style\s*>|<!--.*?-->|<[^<>]*>", re.S | re.I
)


class Articles:
    """Which entries of a ZIM archive are its articles: the one rule of the importer
    (`termpedia import zim --copy`) and of archives read in place (content/archive.py).

    - An archive that lists its front articles (new scheme, `article_count > 0`: the
      `listing/titleOrdered/v1` entry; python-libzim has no per-entry flag): its listed
      HTML pages, and nothing else.
    - Any other archive (old scheme, or web pages saved without front articles): its HTML
      pages in the articles' namespace (`A` old, `C` new) except the assets of a saved page
      (anything under a `NAME_files/` folder, or a body that is JavaScript or CSS rather than
      a page) and mwoffliner's second copies of an article under a redirect's name (`COPY`:
      aliases of the article).

    Redirects are never articles (they are aliases), nor are images, scripts, styles and
    other assets, whatever the listing says.
    """

    def __init__(self, archive: Any) -> None:
        self.archive = archive
        self.new_scheme = bool(archive.has_new_namespace_scheme)
        self.count = int(archive.all_entry_count)
        self.content = _content_range(archive, self.count) if self.new_scheme else None
        self._front: Any = None

    @functools.cached_property
    def listed(self) -> Any:
        """The listed front articles' ids (`front_listing`), or None when it lists none."""
        return front_listing(self.archive)

    def namespace(self, index: int, path: str) -> str:
        """`A`, `C` (articles), or another namespace (`""`: a new scheme's M, W, X)."""
        if self.content is not None:
            return "C" if index in self.content else ""
        return path.partition("/")[0] if not self.new_scheme else ""

    def name_of(self, path: str) -> str:
        """The name an entry's path makes: `A/The_Pages_of_My_Mind` -> "The Pages of My Mind"."""
        name = path if self.new_scheme else path.partition("/")[2]
        return " ".join(unquote(name).replace("_", " ").split())

    def listed_front(self, index: int) -> bool:
        if self._front is None:
            import numpy as np

            front = np.zeros(self.count, dtype=bool)
            ids = np.frombuffer(self.listed or b"", dtype=np.uint32)
            front[ids[ids < self.count]] = True
            self._front = front
        return bool(self._front[index])

    def verdict(self, index: int, entry: Any, content: bool = True) -> str:
        """ "" when the entry (redirects followed) is an article; `COPY` for a copy of one;
        else why it is not one (a skip reason). Without `content`, what its directory entry
        says (the target of a redirect: reading it would decompress its cluster)."""
        if entry.is_redirect:
            return "other redirects"
        path = str(entry.path)
        if self.namespace(index, path) not in ("A", "C"):
            return "metadata"
        item = entry.get_item()
        mimetype = str(item.mimetype)
        if not mimetype.startswith(HTML):
            return _mime_reason(mimetype)
        if self.listed is not None:
            return "" if self.listed_front(index) else NOT_FRONT
        if ASSET_FOLDER in path:
            return SAVED_ASSETS
        if not content:
            return ""
        if script_only(item):
            return SCRIPTS
        if self.copy_of(index, entry) is not None:
            return COPY
        return ""

    def copy_of(self, index: int, entry: Any) -> Any | None:
        """The article the page `entry` is a second copy of, or None.

        mwoffliner stores the target of a Wikipedia redirect again, under the redirect's path
        and with the target's title (in the sample, `A/The_Pages_of_My_Mind` is a second copy
        of "Ray Charles"). Such a copy is an alias, not a second article of the same title.
        """
        title = str(entry.title)
        path = str(entry.path)
        name = self.name_of(path)
        if not name or name == " ".join(title.split()):
            return None
        own = ("" if self.new_scheme else "A/") + title.replace(" ", "_")
        try:
            if own == path or not self.archive.has_entry_by_path(own):
                return None
            other = self.archive.get_entry_by_path(own)
            for _ in range(MAX_REDIRECT_HOPS):
                if not other.is_redirect:
                    break
                other = other.get_redirect_entry()
            if int(other._index) == index or other.title != title:
                return None
        except (RuntimeError, KeyError, ValueError):
            return None
        return other

    def ids(self) -> Iterator[int]:
        """The entry ids of the articles, in a fixed order: the listing's (by title), less
        its redirects and non-HTML entries; else the archive's order.

        Reading the directory entry of each of millions of listed ids takes seconds (about
        2 µs each), and archives list only pages (mwoffliner's do; libzim lets a writer
        list a redirect): when `LISTING_SAMPLE` ids spread over the listing are all pages,
        the listing is taken as it is."""
        if self.listed is not None:
            listed = self.listed
            step = max(len(listed) // LISTING_SAMPLE, 1)
            if all(self._listed_page(listed[n]) for n in range(0, len(listed), step)):
                yield from (index for index in listed if index < self.count)
            else:
                yield from (index for index in listed if self._listed_page(index))
            return
        archive = self.archive
        articles = self.content if self.content is not None else range(self.count)
        for index in articles:
            try:
                entry = archive._get_entry_by_id(index)
                if entry.is_redirect or self.verdict(index, entry):
                    continue
            except (RuntimeError, KeyError, IndexError, ValueError):
                continue
            yield index

    def _listed_page(self, index: int) -> bool:
        """Is the listed id an HTML page (not a redirect, an image, a PDF)?"""
        if index >= self.count:
            return False
        try:
            entry = self.archive._get_entry_by_id(index)
            return not entry.is_redirect and str(entry.get_item().mimetype).startswith(HTML)
        except (RuntimeError, KeyError, IndexError, ValueError):
            return False


def front_listing(archive: Any) -> Any:
    """The entry ids an archive lists as its front articles (an `array` of uint32, by
    title), or None when it lists none (old scheme, or `article_count` 0)."""
    import array
    import sys

    try:
        if not archive.has_new_namespace_scheme or int(archive.article_count) == 0:
            return None
        count = int(archive.all_entry_count)
        for index in range(count - 1, max(count - 64, -1), -1):  # after the content entries
            entry = archive._get_entry_by_id(index)
            if entry.path == LISTING:
                raw = bytes(entry.get_item().content)
                ids = array.array("I")
                ids.frombytes(raw[: len(raw) // 4 * 4])
                if sys.byteorder == "big":
                    ids.byteswap()
                return ids
    except (RuntimeError, KeyError, IndexError, ValueError):
        return None
    return None


def script_only(item: Any) -> bool:
    """Is an HTML entry's body JavaScript or CSS rather than a page (a saved page's `.php`
    asset served as text/html), or an HTML document of nothing but scripts?"""
    size = int(item.size)
    head = bytes(item.content[:HEAD]).lstrip(b"\xef\xbb\xbf \t\r\n")
    if not head.startswith(b"<"):
        return head.startswith(SCRIPT_STARTS) or bool(CSS_RULE.match(head))
    if size > HEAD or b"<script" not in head.lower():
        return False
    return not SCRIPTS_AND_TAGS.sub(b"", head).strip()


def main_entry(archive: Any) -> Any | None:
    """The archive's main page: where its main-entry pointer leads (redirects followed), or
    None when it has none."""
    if not archive.has_main_entry:
        return None
    entry = archive.main_entry
    for _ in range(MAX_REDIRECT_HOPS):
        if not entry.is_redirect:
            return entry
        entry = entry.get_redirect_entry()
    return None


def _articles_prefix(full: str) -> str:
    """The path prefix of the articles an article's links point at: `A/` in the old scheme;
    `C/` in the new one, or `C/A/` for the early new-scheme ZIMs that kept the `A/`."""
    if full.startswith("C/A/"):
        return "C/A/"
    return full[:2]


def _other_reason(namespace: str, entry: Any) -> str:
    """Why a non-article entry is skipped (`entry` is None for a redirect)."""
    if namespace in ("M", "W"):
        return "metadata"
    if namespace in ("X", "Z"):
        return "search index"
    if namespace in ("I", "J"):
        return "images"
    mimetype = "" if entry is None else str(entry.get_item().mimetype)
    if namespace == "":  # new scheme: the M, W and X entries after the C ones
        return "search index" if "xapian" in mimetype else "metadata"
    if entry is None:
        return "other redirects"
    return _mime_reason(mimetype)


def _mime_reason(mimetype: str) -> str:
    if mimetype.startswith("image/"):
        return "images"
    if mimetype.startswith(("video/", "audio/")):
        return "media"
    if mimetype.startswith(("text/css", "application/javascript", "text/javascript")):
        return "scripts and styles"
    if "xapian" in mimetype:
        return "search index"
    if mimetype.startswith("text/plain"):
        return "metadata"
    return "other"


# --- HTML to a page -----------------------------------------------------------------------


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


VOID = _words("area base br col embed hr img input link meta param source track wbr keygen")
BLOCKS = _words(
    "p div section article details summary blockquote center dl dt dd pre main header footer "
    "address hr figure body html"
)
DROP_TAGS = _words(
    "head script style noscript template img figure figcaption figure-inline audio video "
    "object iframe svg math button input select textarea map h1 title nav"
)
TABLE_PARTS = _words("table tr td th li ul ol")
CLOSES_P = (BLOCKS | TABLE_PARTS | _words("h1 h2 h3 h4 h5 h6 nav aside menu form")) - {"body"}
ENDS_P = BLOCKS | TABLE_PARTS
# Elements that are closed reliably enough to be dropped with everything inside them
# (not p, li, td: HTML lets their end tags out).
DROPPABLE = _words(
    "p div span table sup sub ol ul section aside nav small cite abbr a b i em strong dl center "
    "figure figcaption figure-inline style script noscript template head h1 h2 h3 h4 h5 h6 "
    "audio video object iframe svg math button select textarea map title"
)
DROP_CLASS_PARTS = (
    "navbox", "vertical-navbox", "metadata", "mbox", "ambox", "reflist", "reference", "mw-ref",
    "noprint", "hatnote", "thumb", "gallery", "editsection", "sistersitebox", "catlinks",
    "portal", "sidebar", "mw-empty-elt", "mwe-math-mathml", "printfooter",
    "navigation-not-searchable", "mw-jump-link", "dismissable-notice", "sitenotice",
    "mw-indicators", "vector-menu", "mw-portlet",
)  # fmt: skip
"""Classes (parts of them) of page chrome and apparatus: navigation boxes, jump links,
dismiss buttons, edit links, notices, references, message boxes."""
DROP_CLASS_WORDS = frozenset(
    {"toc", "nomobile", "noviewer", "magnify", "error", "hidden", "sr-only", "visually-hidden"}
)
DROP_IDS = frozenset(
    {
        "toc", "catlinks", "mw-navigation", "footer", "references", "siteNotice",
        "centralNotice", "jump-to-nav", "siteSub", "contentSub", "contentSub2", "mw-head",
        "mw-panel", "mw-head-base", "mw-page-base", "p-personal", "left-navigation",
        "right-navigation",
    }
)  # fmt: skip
"""Ids of a MediaWiki skin's chrome around the article (and of a table of contents or a
reference list; not `References`, a heading's)."""
DROP_ROLES = frozenset({"navigation", "note", "button", "search", "banner"})
HEADINGS = {"h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}
SEE_ALSO = "see also"
APPARATUS = frozenset(
    {
        "references", "notes", "footnotes", "citations", "sources", "notes and references",
        "references and notes", "external links", "bibliography notes",
    }
)  # fmt: skip
HIDDEN = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)
SCHEME = re.compile(
    r"^(?:[a-z][a-z0-9+.-]*:)?//"
    r"|^(?:https?|ftp|mailto|news|irc|ircs|javascript|data|file|geo|tel|urn|sms|xmpp|magnet):",
    re.IGNORECASE,
)
MARKERS = re.compile(r"__(?:SUB_LEVEL_SECTION|SECTION|TOC|NOTOC)_?\d*__")
CELL_BREAK = "\x00"
LINE_BREAK = "\x01"
CELL_BREAKS = re.compile(r"\s*\x00[\s\x00]*")
QUOTES = "\"'\u201c\u201d\u2018\u2019\u00ab\u00bb"


def html_to_page(title: str, html: str, base: str = "A", articles: str = "A/") -> Page:
    """Convert one article's HTML; `base` is the folder of its path (`A`), `articles` the
    path prefix of article entries (`A/` old scheme, `C/` new)."""
    parser = _ArticleParser(base, articles)
    parser.feed(_defuse(html))
    parser.close()
    return parser.page(title)


def _defuse(html: str) -> str:
    """The document with the constructs that make `HTMLParser` quadratic turned into text.

    `HTMLParser` looks for the end of an unterminated tag, comment or declaration from each
    one's start to the end of the document, again and again. After the last `>` nothing can be
    terminated, after the last `-->` no comment, and `<![` (CDATA, only valid in SVG and
    MathML, which are dropped anyway) is never needed. Escaping those keeps parsing linear.
    """
    last = html.rfind(">")
    if "<" in html[last + 1 :]:
        html = html[: last + 1] + html[last + 1 :].replace("<", "&lt;")
    close = html.rfind("-->")
    start = close + 3 if close >= 0 else 0
    if "<!--" in html[start:]:
        html = html[:start] + html[start:].replace("<!--", "&lt;!--")
    if "<![" in html:
        html = html.replace("<![", "&lt;![")
    return html


class _Table:
    __slots__ = ("infobox", "layout", "rows", "row", "caption", "caption_text")

    def __init__(self, infobox: bool, layout: bool) -> None:
        self.infobox = infobox
        self.layout = layout
        """Marked as laying things out (`role="presentation"`): read as text."""
        self.rows: list[list[GridCell]] = []
        self.row: list[GridCell] | None = None
        self.caption = False
        self.caption_text = ""


class _List:
    """An open `<ul>`, `<ol>` or `<dl>`, and the number its next item gets."""

    __slots__ = ("kind", "next")

    def __init__(self, kind: str, start: int) -> None:
        self.kind = kind
        self.next = start


class _Item:
    """An open `<li>`, `<dt>` or `<dd>`: its marker, and where its line is once written."""

    __slots__ = ("marker", "lists", "written")

    def __init__(self, marker: str, lists: int) -> None:
        self.marker = marker
        self.lists = lists
        """How many lists were open around it."""
        self.written: tuple[int, int] | None = None
        """(id of the block list, index) of its line."""


Block = tuple[str, str, int]
"""(kind: p, code, table, or itemN for a line of the Nth outermost list; its text; the
depth of block quotes around it)."""


class _ArticleParser(HTMLParser):
    """One pass over the document; see the module docstring for what becomes what."""

    def __init__(self, base: str, articles: str) -> None:
        super().__init__(convert_charrefs=True)
        self.base = base
        self.articles = articles
        self.skip_tag = ""
        self.skip_depth = 0
        self.noindex = False
        self.buf: list[str] = []
        self.link: tuple[str, int] | None = None  # (target, index of its first text part)
        self.heading: tuple[int, str] | None = None  # (level, id) while inside h2..h6
        self.heading_parts: list[str] = []
        self.tables: list[_Table] = []
        self.lists: list[_List] = []
        self.items: list[_Item] = []
        self.list_number = 0
        """Counts the outermost lists: the lines of one are written together."""
        self.pre = 0
        self.quote = 0
        self.sections: list[tuple[int, str, list[Block]]] = [(0, "", [])]
        self.blocks = self.sections[0][2]
        self.see_also_mode = False
        self.see_also: list[str] = []
        self.block_links: list[str] = []
        self.infobox: list[tuple[str, str]] = []

    # -- the result

    def page(self, title: str) -> Page:
        self._flush()
        lead = _join(self.sections[0][2])
        sections = [(level, heading, _join(blocks)) for level, heading, blocks in self.sections[1:]]
        kept = _kept(sections)
        return Page(
            title=title,
            lead=lead,
            infobox=tuple(self.infobox),
            sections=tuple(s for s, keep in zip(sections, kept, strict=True) if keep),
            see_also=tuple(dict.fromkeys(t for t in self.see_also if t)),
        )

    # -- parser callbacks

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.noindex:
            return
        if self.skip_depth:
            if self.skip_tag != "p":
                if tag == self.skip_tag:
                    self.skip_depth += 1
                return
            if tag not in CLOSES_P:
                return
            self.skip_depth = 0  # a hidden <p> ends where the next block starts
        if self.heading is not None:
            if tag in HEADINGS:  # an unclosed heading: end it
                self._end_heading()
            else:
                if tag == "br":
                    self.heading_parts.append(" ")
                elif tag in DROPPABLE and self._dropped(tag, attrs):  # e.g. an [edit] link
                    self.skip_tag, self.skip_depth = tag, 1
                return  # other markup inside a heading: its text is the heading's
        if self._dropped(tag, attrs):
            if tag in DROPPABLE:
                self.skip_tag, self.skip_depth = tag, 1
            elif tag == "img":
                self._image_text(attrs)
            return
        if tag in HEADINGS and not self.tables:
            self._flush()
            self._close_link()
            self.heading = (HEADINGS[tag], _attr(attrs, "id"))
            self.heading_parts = []
            return
        if tag == "a":
            self._close_link()
            target = self._target(_attr(attrs, "href"), _attr(attrs, "class"))
            if target:
                self.link = (target, len(self.buf))
            return
        if tag == "table":
            self._flush()
            classes = _attr(attrs, "class").lower()
            layout = _attr(attrs, "role") in ("presentation", "none")
            self.tables.append(_Table("infobox" in classes, layout))
            return
        if self.tables:
            self._table_start(tag, attrs)
            return
        if tag in ("ul", "ol", "dl"):
            self._flush()
            if not self.lists:
                self.list_number += 1
            self.lists.append(_List(tag, _number(_attr(attrs, "start"), 1)))
        elif tag in ("li", "dt", "dd"):
            self._flush()
            self._open_item(tag, attrs)
        elif tag == "br":
            self.buf.append(LINE_BREAK)
        elif tag == "pre":
            self._flush()
            self.pre += 1
        elif tag == "blockquote":
            self._flush()
            self.quote += 1
        elif tag in BLOCKS or tag in HEADINGS:
            self._flush()

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if self.noindex:
            return
        if self.skip_depth:
            if tag == self.skip_tag:
                self.skip_depth -= 1
                return
            if self.skip_tag != "p" or tag not in ENDS_P:
                return
            self.skip_depth = 0  # the end of the element around a hidden <p> ends it too
        if self.heading is not None:
            if tag in HEADINGS:
                self._end_heading()
            return
        if tag == "a":
            self._close_link(markup=True)
            return
        if tag == "table":
            if self.tables:
                self._end_table()
            return
        if self.tables:
            self._table_end(tag)
            return
        if tag in ("ul", "ol", "dl"):
            self._flush()
            kinds = [frame.kind for frame in self.lists]
            if tag in kinds:  # a stray end tag closes nothing
                del self.lists[len(kinds) - 1 - kinds[::-1].index(tag) :]
            while self.items and self.items[-1].lists > len(self.lists):
                self.items.pop()
        elif tag in ("li", "dt", "dd"):
            self._flush()
            if self.items and self.items[-1].lists == len(self.lists):
                self.items.pop()
        elif tag == "pre":
            self._flush()
            self.pre = max(self.pre - 1, 0)
        elif tag == "blockquote":
            self._flush()
            self.quote = max(self.quote - 1, 0)
        elif tag in BLOCKS or tag in HEADINGS:
            self._flush()

    def handle_comment(self, data: str) -> None:
        """mwoffliner's licence footer sits between `<!--htdig_noindex-->` comments."""
        marker = data.strip()
        if marker == "htdig_noindex":
            self.noindex = True
        elif marker == "/htdig_noindex":
            self.noindex = False

    def handle_data(self, data: str) -> None:
        if self.skip_depth or self.noindex:
            return
        verbatim = self.pre and not self.tables  # in a code block `[[` is text
        if ("[[" in data or "]]" in data) and not verbatim:
            data = data.replace("[[", "[ [").replace("]]", "] ]")  # not termpedia links
        if "\x00" in data or "\x01" in data:  # the markers of cell and line breaks
            data = data.replace("\x00", "").replace("\x01", "")
        if self.heading is not None:
            self.heading_parts.append(data)
        else:
            self.buf.append(data)

    # -- helpers

    def _dropped(self, tag: str, attrs: list[tuple[str, str | None]]) -> bool:
        """Whether the element is not article text: page chrome, apparatus, hidden."""
        if tag in DROP_TAGS:
            return True
        if tag not in DROPPABLE:
            return False
        classes = ""
        for name, value in attrs:
            if name == "hidden":
                return True
            if not value:
                continue
            if name == "class":
                classes = value.lower()
            elif (
                (name == "style" and HIDDEN.search(value))
                or (name == "role" and value in DROP_ROLES)
                or (name == "id" and value in DROP_IDS)
            ):
                return True
        if classes:
            if "infobox" in classes and tag == "table":
                return False
            if any(part in classes for part in DROP_CLASS_PARTS):
                return True
            if not DROP_CLASS_WORDS.isdisjoint(classes.split()):
                return True
        return False

    def _image_text(self, attrs: list[tuple[str, str | None]]) -> None:
        """A math formula shown as an image keeps its TeX source (the alt text)."""
        if "mwe-math" in _attr(attrs, "class"):
            alt = _attr(attrs, "alt").strip()
            if alt:
                self.handle_data(alt)

    def _target(self, href: str, classes: str) -> str:
        """The termpedia address an href points at, or "" for an external or asset link."""
        href = href.strip()
        if not href or href.startswith("#") or "external" in classes or SCHEME.match(href):
            return ""
        path, _, fragment = href.partition("#")
        path = path.partition("?")[0]
        if not path:
            return ""
        joined = posixpath.normpath(posixpath.join(self.base, path))
        if not joined.startswith(self.articles):
            return ""
        name = joined[len(self.articles) :]
        if (
            not name
            or name.startswith(ASSET_FOLDERS)
            or (self.articles != "A/" and name.lower().endswith(ASSET_SUFFIXES))
        ):
            return ""
        title = " ".join(unquote(name).replace("_", " ").split())
        if not title or "[" in title or "]" in title or "|" in title:
            return ""
        fragment = " ".join(unquote(fragment).replace("_", " ").split())
        return f"{title}#{fragment}" if fragment else title

    def _close_link(self, markup: bool = False) -> None:
        if self.link is None:
            return
        target, start = self.link
        self.link = None
        if start > len(self.buf):
            return
        label = " ".join("".join(self.buf[start:]).replace(LINE_BREAK, " ").split())
        if self.see_also_mode:
            self.block_links.append(target.partition("#")[0])
        if not markup or not label or (self.tables and self.tables[-1].infobox):
            return
        if self.pre and not self.tables:
            return  # a code block has no links: its text stays as written
        label = label.replace("[[", "[").replace("]]", "]").replace("|", "/")
        if label.endswith("]"):
            label += " "
        del self.buf[start:]
        self.buf.append(f"[[{target}]]" if label == target else f"[[{target}|{label}]]")

    def _text(self) -> str:
        """The buffered text, whitespace folded (line breaks from <br> kept), and cleared."""
        raw = "".join(self.buf)
        self.buf.clear()
        if self.link is not None:
            self.link = (self.link[0], 0)
        raw = MARKERS.sub("", raw)
        if self.pre:
            raw = raw.replace(LINE_BREAK, "\n")
            return "\n".join(line.rstrip() for line in raw.split("\n")).strip("\n")
        # in running text a line ends only at a <br>
        lines = (" ".join(line.split()) for line in raw.split(LINE_BREAK))
        return "\n".join(line for line in lines if line)

    def _add(self, kind: str, text: str) -> None:
        self.blocks.append((kind, text, 0 if kind == "table" else self.quote))

    def _flush(self) -> None:
        """End the current block (paragraph or list item) and file it in the current section."""
        if self.tables:
            self._cell_break()
            return
        if not self.buf:
            return
        text = self._text()
        links, self.block_links = self.block_links, []
        if not text.strip():
            return
        item = self.items[-1] if self.items else None
        if self.see_also_mode:
            if links:
                self.see_also.extend(links)
            elif item is not None and "[[" not in text:
                self.see_also.append(" ".join(text.split()).strip(QUOTES + " "))
            return
        if self.pre:  # verbatim: a code block, or quoted lines in a quote
            self._add("p" if self.quote else "code", text if self.quote else code_text(text))
        elif item is None:
            self._add("p", "\n".join(plain_line(line) for line in text.split("\n")))
        elif item.written is None:  # the item's line: its marker, then its text on one line
            self._add(f"item{self.list_number}", item.marker + " ".join(text.split("\n")))
            item.written = (id(self.blocks), len(self.blocks) - 1)
        elif item.written == (id(self.blocks), len(self.blocks) - 1):
            kind, line, quote = self.blocks[-1]  # more of the item (a second paragraph)
            self.blocks[-1] = (kind, line + " " + " ".join(text.split("\n")), quote)
        else:  # text of an item after a list inside it
            self._add("p", "\n".join(plain_line(line) for line in text.split("\n")))

    def _open_item(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        """An `<li>`, `<dt>` or `<dd>`: an item of the list around it (an item of the same
        list still open ends: HTML lets `</li>` out)."""
        while self.items and self.items[-1].lists >= len(self.lists):
            self.items.pop()
        if tag == "dt":
            marker = "; "  # terms and definitions start at the margin
        elif tag == "dd":
            marker = ":" * max(1, sum(1 for frame in self.lists if frame.kind == "dl")) + " "
        else:
            frames = [frame for frame in self.lists if frame.kind != "dl"]
            indent = "  " * max(len(frames) - 1, 0)
            if frames and frames[-1].kind == "ol":
                frame = frames[-1]
                number = _number(_attr(attrs, "value"), frame.next)
                frame.next = number + 1
                # the format's numbers have 1 to 3 digits; others are written in the text
                marker = f"{number}. " if 0 <= number < 1000 else f"- {number}. "
                marker = indent + marker
            else:
                marker = indent + "- "
        self.items.append(_Item(marker, len(self.lists)))

    def _end_heading(self) -> None:
        assert self.heading is not None
        level, anchor = self.heading
        self.heading = None
        text = " ".join(MARKERS.sub("", "".join(self.heading_parts)).split())
        if not text:
            text = " ".join(unquote(anchor).replace("_", " ").split())
        self.heading_parts = []
        self.block_links = []
        self.see_also_mode = text.casefold() == SEE_ALSO or anchor.casefold() == "see_also"
        self.items.clear()
        self.lists.clear()
        if self.see_also_mode:
            self.blocks = []
            return
        self.sections.append((level, text, []))
        self.blocks = self.sections[-1][2]

    # -- tables

    def _cell_break(self) -> None:
        table = self.tables[-1] if len(self.tables) == 1 else None
        if table is not None and table.row is None and not table.caption:
            self.buf.clear()  # text between rows (whitespace, stray markup)
            return
        if self.buf:
            self.buf.append(CELL_BREAK)

    def _table_start(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if len(self.tables) > 1:  # a table inside a cell: its text joins the cell's
            if tag in ("tr", "td", "th", "li", "p", "div", "br", "dd", "dt"):
                self._cell_break()
            return
        table = self.tables[0]
        if tag == "tr":
            self._end_row(table)
            table.row = []
        elif tag in ("td", "th"):
            if table.row is None:
                table.row = []
            self._end_cell(table)
            self.buf.clear()
            rowspan = _number(_attr(attrs, "rowspan"), 1, MAX_ROWSPAN)
            colspan = _number(_attr(attrs, "colspan"), 1, MAX_COLUMNS)
            table.row.append(GridCell("", tag == "th", rowspan, colspan))
        elif tag == "caption":
            table.caption = True
            self.buf.clear()
        elif tag in ("li", "br", "p", "div", "dd", "dt"):
            self._cell_break()

    def _table_end(self, tag: str) -> None:
        if len(self.tables) > 1:
            if tag in ("tr", "td", "th", "li", "p", "div", "ul", "ol"):
                self._cell_break()
            return
        table = self.tables[0]
        if tag in ("td", "th"):
            self._end_cell(table)
        elif tag == "tr":
            self._end_row(table)
        elif tag == "caption" and table.caption:
            table.caption = False
            table.caption_text = _cell(self._text())

    def _end_cell(self, table: _Table) -> None:
        if not table.row:
            return
        text = _cell(self._text())
        if text:
            cell = table.row[-1]
            cell.text = (cell.text + " " + text).strip()

    def _end_row(self, table: _Table) -> None:
        if table.row is None:
            return
        self._end_cell(table)
        row, table.row = table.row, None
        if table.infobox:
            if len(row) >= 2 and row[0].header and not row[1].header and row[0].text:
                value = ", ".join(cell.text for cell in row[1:] if cell.text)
                if value:
                    self.infobox.append((row[0].text, value))
            return
        if any(cell.text for cell in row):
            table.rows.append(row)

    def _end_table(self) -> None:
        table = self.tables.pop()
        if self.tables:
            self._cell_break()
            return
        self._end_row(table)
        self.buf.clear()
        self.block_links = []
        if self.see_also_mode or table.infobox:
            return
        caption = [plain_line(table.caption_text)] if table.caption_text else []
        grid = span_grid(table.rows)
        columns = max((len(row) for row in grid), default=0)
        if table.layout or columns <= 1 or len(grid) <= 1:  # lays things out: its text
            cells = [plain_line(cell.text) for row in table.rows for cell in row if cell.text]
            if caption or cells:
                self._add("p", "\n".join(caption + cells))
            return
        header = 0
        while header < len(table.rows) and all(cell.header for cell in table.rows[header]):
            header += 1
        if header == len(grid):  # headers only: the first row is the header
            header = 1
        self._add("table", "\n".join([*caption, table_text(grid, header)]))


def _kept(sections: list[tuple[int, str, str]]) -> list[bool]:
    """Which sections to keep: a "References" (or "Notes", "External links", ...) left empty
    by dropping its reference list goes, unless a kept subsection needs it. One pass from the
    end: a section's subsections run up to the next section of its level or a higher one."""
    kept = [True] * len(sections)
    ends: list[int] = []  # indices of later sections, levels increasing towards the top
    nearest_kept = len(sections)
    for number in range(len(sections) - 1, -1, -1):
        level, heading, text = sections[number]
        while ends and sections[ends[-1]][0] > level:
            ends.pop()
        end = ends[-1] if ends else len(sections)
        ends.append(number)
        if heading.casefold() in APPARATUS and not text.strip() and nearest_kept >= end:
            kept[number] = False
        else:
            nearest_kept = number
    return kept


def _attr(attrs: list[tuple[str, str | None]], name: str) -> str:
    for key, value in attrs:
        if key == name:
            return value or ""
    return ""


def _number(text: str, default: int, limit: int | None = None) -> int:
    """An attribute's whole number (`start`, `value`, `rowspan`), or `default`; a span is
    at least 1 and at most `limit`."""
    text = text.strip()
    sign = -1 if text.startswith("-") else 1
    digits = ""
    for char in text.lstrip("+-"):
        if not char.isdigit():
            break
        digits += char
    if not digits:
        return default
    number = sign * int(digits[:9])
    return number if limit is None else max(1, min(number, limit))


def _cell(text: str) -> str:
    """A table cell's text on one line, its inner blocks and list items apart by commas."""
    text = " ".join(text.split())
    if CELL_BREAK in text:
        text = CELL_BREAKS.sub(", ", text).strip(", " + CELL_BREAK)
    return text


def _join(blocks: list[Block]) -> str:
    """Blocks as text: apart by a blank line (by a bare `>` line inside a quote); the
    lines of one list together. Lines in block quotes start with `>`, one a level."""
    parts: list[str] = []
    previous: tuple[str, int] | None = None
    for kind, text, quote in blocks:
        if quote:
            marks = ">" * quote
            text = "\n".join(f"{marks} {line}" if line else marks for line in text.split("\n"))
        if previous is not None:
            if kind.startswith("item") and previous == (kind, quote):
                parts.append("\n")
            elif quote and previous[1]:
                parts.append("\n" + ">" * min(quote, previous[1]) + "\n")
            else:
                parts.append("\n\n")
        parts.append(text)
        previous = (kind, quote)
    return "".join(parts)
