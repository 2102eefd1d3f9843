"""Kiwix ZIM files: HTML articles become pages, redirects aliases, everything else is skipped.

A ZIM archive (read with `libzim.reader.Archive`) holds entries by path. In the old namespace
scheme the path starts with the namespace (`A/` articles and redirects, `I/` images, `-/` CSS,
JavaScript and icons, `M/` metadata, `X/` search indexes); in the new scheme (libzim 7+) the
content entries (`C`) come first and `entry.path` carries no namespace, then the metadata
(`M`), well-known (`W`) and index (`X`) entries follow.

Article HTML is turned into termpedia text by `html_to_page`, a single pass over the document
with the standard library's `HTMLParser`: headings h2..h6 start sections (whether they sit in
mwoffliner's flat `<details>`/`<summary>` blocks or in plain `<section>`s), paragraphs become
paragraphs, list items `- ` lines, tables rows of cells joined by ` | `, an infobox table the
page's infobox pairs, internal links `[[Title|label]]`, and a "See also" section the page's
see-also list. Images, figure captions, scripts, styles, citation markers, reference lists,
navigation boxes and message boxes are dropped.

mwoffliner stores the target of some Wikipedia redirects a second time, under the redirect's
path but with the target's title; such a copy becomes an alias of the article, not a second
article of the same title.
"""

from __future__ import annotations

import contextlib
import posixpath
import re
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from .base import Alias, Item, Page, Skipped, SourceError, SourceInfo

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
        return SourceInfo(
            language=iso639_1(language),
            title=_metadata(archive, "Title"),
            # The import counts every item it receives, and there is one item per entry.
            total=_call(source, lambda: archive.all_entry_count),
            extra=extra,
        )

    def items(self, source: Path) -> Iterator[Item]:
        archive = _open(source)
        new_scheme = bool(_call(source, lambda: archive.has_new_namespace_scheme))
        count = int(_call(source, lambda: archive.all_entry_count))
        content = _content_range(archive, count) if new_scheme else None
        for index in range(count):
            try:
                yield _convert(archive, index, new_scheme, content)
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


def _convert(archive: Any, index: int, new_scheme: bool, content: range | None) -> Item:
    entry = archive._get_entry_by_id(index)
    path: str = entry.path
    if new_scheme:
        namespace = "C" if content is not None and index in content else ""
        full = f"C/{path}" if namespace == "C" else path
    else:
        namespace, _, _ = path.partition("/")
        full = path
    title = entry.title or path
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
        article = _is_article_path(target.path, new_scheme)
        if not article or not target.get_item().mimetype.startswith(HTML):
            return Skipped(title, "redirects to non-articles")
        return Alias(name=title, target=target.title or target.path)
    item = entry.get_item()
    mimetype: str = item.mimetype
    if not mimetype.startswith(HTML):
        return Skipped(title, _mime_reason(mimetype))
    copied = _copy_of(archive, index, full, title, new_scheme)
    if copied:
        return Alias(name=copied, target=title)
    html = bytes(item.content).decode("utf-8", "replace")
    try:
        return html_to_page(title, html, posixpath.dirname(full), _articles_prefix(full))
    except Exception:  # noqa: BLE001 - one odd page must not end an import of millions
        return Skipped(title, "unparsable HTML")


def _copy_of(archive: Any, index: int, full: str, title: str, new_scheme: bool) -> str:
    """The name this entry stands for, if it is a copy of the article `title` stored under
    another name, else "".

    mwoffliner stores the target of a Wikipedia redirect again, under the redirect's path
    and with the target's title (in the sample, `A/The_Pages_of_My_Mind` is a second copy of
    "Ray Charles"). Such a copy is an alias, not a second article of the same title.
    """
    name = " ".join(unquote(full.partition("/")[2]).replace("_", " ").split())
    if not name or name == " ".join(title.split()):
        return ""
    path = ("" if new_scheme else "A/") + title.replace(" ", "_")
    try:
        if not archive.has_entry_by_path(path):
            return ""
        other = archive.get_entry_by_path(path)
        for _ in range(MAX_REDIRECT_HOPS):
            if not other.is_redirect:
                break
            other = other.get_redirect_entry()
        if int(other._index) == index or other.title != title:
            return ""
    except (RuntimeError, KeyError, ValueError):
        return ""
    return name


def _articles_prefix(full: str) -> str:
    """The path prefix of the articles an article's links point at: `A/` in the old scheme;
    `C/` in the new one, or `C/A/` for the early new-scheme ZIMs that kept the `A/`."""
    if full.startswith("C/A/"):
        return "C/A/"
    return full[:2]


def _is_article_path(path: str, new_scheme: bool) -> bool:
    return new_scheme or path.startswith("A/")


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
    "noprint", "hatnote", "thumb", "gallery", "mw-editsection", "sistersitebox", "catlinks",
    "portal", "sidebar", "mw-empty-elt", "mwe-math-mathml", "printfooter",
    "navigation-not-searchable",
)  # fmt: skip
DROP_CLASS_WORDS = frozenset({"toc", "nomobile", "noviewer", "magnify", "error"})
DROP_IDS = frozenset({"toc", "catlinks", "mw-navigation", "footer", "references"})
HEADINGS = {"h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}
SEE_ALSO = "see also"
APPARATUS = frozenset(
    {
        "references", "notes", "footnotes", "citations", "sources", "notes and references",
        "references and notes", "external links", "bibliography notes",
    }
)  # fmt: skip
HIDDEN = re.compile(r"display\s*:\s*none", re.IGNORECASE)
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
    __slots__ = ("infobox", "rows", "row", "header", "caption")

    def __init__(self, infobox: bool) -> None:
        self.infobox = infobox
        self.rows: list[list[str]] = []
        self.row: list[str] | None = None
        self.header: list[bool] = []
        self.caption = False


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
        self.list_depth = 0
        self.open_items: list[int] = []  # list depths at which an <li> is open
        self.pre = 0
        self.sections: list[tuple[int, str, list[tuple[str, str]]]] = [(0, "", [])]
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
            self.tables.append(_Table("infobox" in _attr(attrs, "class").lower()))
            return
        if self.tables:
            self._table_start(tag)
            return
        if tag in ("ul", "ol"):
            self._flush()
            self.list_depth += 1
        elif tag == "li":
            self._flush()
            if not self.open_items or self.open_items[-1] != self.list_depth:
                self.open_items.append(self.list_depth)
        elif tag == "br":
            self.buf.append(LINE_BREAK)
        elif tag == "pre":
            self._flush()
            self.pre += 1
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
        if tag in ("ul", "ol"):
            self._flush()
            self.list_depth = max(self.list_depth - 1, 0)
            while self.open_items and self.open_items[-1] > self.list_depth:
                self.open_items.pop()
        elif tag == "li":
            self._flush()
            if self.open_items and self.open_items[-1] == self.list_depth:
                self.open_items.pop()
        elif tag == "pre":
            self._flush()
            self.pre = max(self.pre - 1, 0)
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
        if "[[" in data or "]]" in data:  # literal brackets are text, not termpedia links
            data = data.replace("[[", "[ [").replace("]]", "] ]")
        if "\x00" in data or "\x01" in data:  # the markers of cell and line breaks
            data = data.replace("\x00", "").replace("\x01", "")
        if self.heading is not None:
            self.heading_parts.append(data)
        else:
            self.buf.append(data)

    # -- helpers

    def _dropped(self, tag: str, attrs: list[tuple[str, str | None]]) -> bool:
        if tag in DROP_TAGS:
            return True
        if tag not in DROPPABLE:
            return False
        classes = ""
        for name, value in attrs:
            if not value:
                continue
            if name == "class":
                classes = value.lower()
            elif (
                (name == "style" and HIDDEN.search(value))
                or (name == "role" and value in ("navigation", "note"))
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
            raw = raw.replace(LINE_BREAK, "\n").replace("\t", "    ")
            return "\n".join(line.rstrip() for line in raw.split("\n")).strip("\n")
        # in running text a line ends only at a <br>
        lines = (" ".join(line.split()) for line in raw.split(LINE_BREAK))
        return "\n".join(line for line in lines if line)

    def _flush(self) -> None:
        """End the current block (paragraph or list item) and file it in the current section."""
        if self.tables:
            self._cell_break()
            return
        if not self.buf:
            return
        text = self._text()
        links, self.block_links = self.block_links, []
        if not text:
            return
        in_item = bool(self.open_items)
        if self.see_also_mode:
            if links:
                self.see_also.extend(links)
            elif in_item and "[[" not in text:
                self.see_also.append(" ".join(text.split()).strip(QUOTES + " "))
            return
        if in_item:
            indent = "  " * (max(self.list_depth, 1) - 1)
            text = "\n".join(f"{indent}- {line}" for line in text.split("\n"))
            self.blocks.append(("li", text))
        else:
            self.blocks.append(("pre" if self.pre else "p", text))

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
        self.open_items.clear()
        self.list_depth = 0
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

    def _table_start(self, tag: str) -> None:
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
            table.header.append(tag == "th")
            table.row.append("")
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
            text = _cell(self._text())
            if text:
                table.rows.append([text])

    def _end_cell(self, table: _Table) -> None:
        if table.row is None or not table.row:
            return
        text = _cell(self._text())
        if text:
            table.row[-1] = (table.row[-1] + " " + text).strip()

    def _end_row(self, table: _Table) -> None:
        if table.row is None:
            return
        self._end_cell(table)
        row, header = table.row, table.header
        table.row, table.header = None, []
        if table.infobox:
            if len(row) >= 2 and header[0] and not header[1] and row[0] and row[1]:
                self.infobox.append((row[0], ", ".join(c for c in row[1:] if c)))
            return
        while row and not row[-1]:
            row.pop()
        if row:
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
        for row in table.rows:
            self.blocks.append(("row", " | ".join(row)))


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


def _cell(text: str) -> str:
    """A table cell's text on one line, its inner blocks and list items apart by commas."""
    text = " ".join(text.split())
    if CELL_BREAK in text:
        text = CELL_BREAKS.sub(", ", text).strip(", " + CELL_BREAK)
    return text


def _join(blocks: list[tuple[str, str]]) -> str:
    """Blocks as text: paragraphs apart by a blank line; list items and table rows together."""
    parts: list[str] = []
    previous = ""
    for kind, text in blocks:
        if parts:
            together = kind == previous and kind in ("li", "row")
            parts.append("\n" if together else "\n\n")
        parts.append(text)
        previous = kind
    return "".join(parts)
