"""MediaWiki XML dumps (`pages-articles.xml`, plain, `.bz2`, `.gz` or `.xz`) become pages.

The dump is streamed with `xml.etree.ElementTree.iterparse` and every page element is cleared
once it has been converted, so memory stays bounded whatever the size of the dump. The
compression is detected from the file's first bytes, not from its name.

What becomes what:

- Only the main namespace (ns 0) holds articles. Every other namespace is skipped with the
  reason "other namespaces" -- talk pages (`Talk:`, `User talk:`, ...) live in other
  namespaces, so they are skipped too, as are `Wikipedia:`, `File:`, `Template:` pages.
- A redirect (a `<redirect title=...>` element, or wikitext starting `#REDIRECT [[Target]]`)
  becomes an `Alias` from the page title to the target title (any `#fragment` dropped).
- Every other page's wikitext is rendered into a `Page` by `wikitext.render` (sections,
  blocks, tables, templates, infobox, See also, disambiguation pages: see that module).
"""

from __future__ import annotations

import bz2
import gzip
import lzma
import xml.etree.ElementTree as ET
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, cast
from xml.parsers import expat

from .base import Alias, Item, Skipped, SourceError, SourceInfo
from .templates import TemplateReport
from .wikitext import Namespaces, WikitextError, normalize_title, redirect_target, render

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
COMPRESSED_LOOKAHEAD = 4 << 20


class MediaWikiConverter:
    """A MediaWiki XML export: main-namespace pages, redirects as aliases; the template uses
    it met are counted in `templates` (`report()`, `termpedia import … --report`)."""

    kind = "mediawiki"
    version = 2
    """Of the conversion: a library imported by an older one is converted again (store.py).
    2: tables, numbered and nested lists, definitions, quotes, code; templates by rule,
    drop list and fallback; infobox labels."""

    def __init__(self) -> None:
        self.templates = TemplateReport()

    def report(self) -> dict[str, object]:
        """The template report of the items read so far, as JSON-ready data."""
        return self.templates.to_json()

    def info(self, source: Path) -> SourceInfo:
        """Language (the root's `xml:lang`) and site name, reading only the start of the dump."""
        with _reader(source) as reader:
            site = reader.siteinfo()
        extra = {key: site.get(key, "") for key in ("dbname", "base", "generator") if site.get(key)}
        return SourceInfo(site.get("lang", ""), site.get("sitename", ""), None, extra)

    def items(self, source: Path) -> Iterator[Item]:
        """Every page of the dump in order: a Page, an Alias, or a Skipped with its reason."""
        with _reader(source) as reader:
            for raw in reader.pages():
                yield convert_page(raw, reader.namespaces, self.templates)


# --- reading the XML stream --------------------------------------------------------------


@dataclass
class RawPage:
    """What the dump says about one page."""

    title: str
    ns: int | None
    redirect: str | None
    text: str


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


@contextmanager
def _reader(source: Path) -> Iterator[_Reader]:
    stream, what = _open(source)
    try:
        yield _Reader(source, stream, what)
    finally:
        stream.close()


def _open(source: Path) -> tuple[IO[bytes], str]:
    """The decompressed byte stream and what it is ("bzip2", "gzip", "xz" or "XML")."""
    try:
        with open(source, "rb") as handle:
            magic = handle.read(8)
        if magic.startswith(b"BZh"):
            return cast(IO[bytes], bz2.open(source, "rb")), "bzip2"
        if magic.startswith(b"\x1f\x8b"):
            return cast(IO[bytes], gzip.open(source, "rb")), "gzip"
        if magic.startswith(b"\xfd7zXZ\x00"):
            return cast(IO[bytes], lzma.open(source, "rb")), "xz"
        if not magic:
            raise SourceError(f"{source}: empty file")
        if magic.startswith(b"ZIM\x04"):
            raise SourceError(f"{source}: a ZIM file, not a MediaWiki XML dump (import it as zim)")
        if magic.startswith((b"PK\x03\x04", b"7z\xbc\xaf")):
            raise SourceError(f"{source}: an archive, not a MediaWiki XML dump; unpack it first")
        return open(source, "rb"), "XML"  # noqa: SIM115 - closed by _reader
    except OSError as error:
        raise SourceError(f"{source}: {(error.strerror or str(error)).lower()}") from error


class _Reader:
    """Streams a dump's elements, turning every way it can be broken into a SourceError."""

    def __init__(self, source: Path, stream: IO[bytes], what: str) -> None:
        self.source = source
        self.stream = stream
        self.what = what
        self.namespaces = Namespaces()
        self.root: ET.Element | None = None
        self.site: dict[str, str] = {}

    def _events(self) -> Iterator[tuple[str, ET.Element, int]]:
        """(event, element, depth) for the whole stream; depth 0 is the root element."""
        depth = -1
        try:
            for event, element in ET.iterparse(self.stream, events=("start", "end")):
                if event == "start":
                    depth += 1
                    if depth == 0:
                        self._check_root(element)
                    yield event, element, depth
                else:
                    yield event, element, depth
                    depth -= 1
        except ET.ParseError as error:
            problem = self._xml_problem(error)
            if self.what != "XML":
                # Corrupt compressed data decodes to garbage before the block's checksum is
                # checked: read on a little (a bzip2 block is under 1 MB) to tell which it is.
                try:
                    self.stream.read(COMPRESSED_LOOKAHEAD)
                except (EOFError, OSError, zlib.error, lzma.LZMAError):
                    line, column = getattr(error, "position", (0, 0))
                    problem = (
                        f"corrupt {self.what} data (it fails its checksum; the garbled text "
                        f"stops the XML parser at line {line}, column {column})"
                    )
            raise SourceError(f"{self.source}: {problem}") from error
        except EOFError as error:
            raise SourceError(
                f"{self.source}: truncated {self.what} data (the file ends inside the "
                "compressed stream)"
            ) from error
        except (OSError, zlib.error, lzma.LZMAError) as error:
            if isinstance(error, OSError) and error.errno is not None:
                problem = (error.strerror or str(error)).lower()
                raise SourceError(f"{self.source}: {problem}") from error
            detail = str(error).rstrip(".") or type(error).__name__
            raise SourceError(
                f"{self.source}: truncated or corrupt {self.what} data ({detail})"
            ) from error

    def _check_root(self, element: ET.Element) -> None:
        self.root = element
        if _local(element.tag) != "mediawiki":
            raise SourceError(
                f"{self.source}: not a MediaWiki XML export "
                f"(the root element is <{_local(element.tag)}>, not <mediawiki>)"
            )
        self.site["lang"] = element.get(XML_LANG, "").strip()

    def _xml_problem(self, error: ET.ParseError) -> str:
        line, column = getattr(error, "position", (0, 0))
        code = getattr(error, "code", 0)
        reason = expat.ErrorString(code) if code else str(error)
        where = f"line {line}, column {column}"
        if self.root is None:
            if code == expat.errors.codes[expat.errors.XML_ERROR_NO_ELEMENTS] and line <= 1:
                return f"no XML in the {'decompressed data' if self.what != 'XML' else 'file'}"
            return f"not XML ({reason} at {where})"
        if code == expat.errors.codes[expat.errors.XML_ERROR_NO_ELEMENTS]:
            return f"truncated XML (the data ends inside an element at {where})"
        return f"malformed XML at {where} ({reason})"

    def _read_siteinfo(self, element: ET.Element) -> None:
        for child in element:
            name = _local(child.tag)
            if name == "namespaces":
                for namespace in child:
                    try:
                        key = int(namespace.get("key", ""))
                    except ValueError:
                        continue
                    self.namespaces.add(key, namespace.text or "")
            elif child.text and child.text.strip():
                self.site[name] = child.text.strip()

    def siteinfo(self) -> dict[str, str]:
        """What the start of the dump says (language, site name...); reads no page."""
        for event, element, depth in self._events():
            if depth == 1 and _local(element.tag) == "siteinfo" and event == "end":
                self._read_siteinfo(element)
                break
            if depth == 1 and event == "start" and _local(element.tag) == "page":
                break
        return self.site

    def pages(self) -> Iterator[RawPage]:
        """Every `<page>`, its element cleared (and dropped from the root) once read."""
        text: str | None = None
        for event, element, depth in self._events():
            if event != "end":
                continue
            name = _local(element.tag)
            if name == "revision" and depth == 2:
                # Full-history dumps hold many revisions: keep only the latest text.
                for child in element:
                    if _local(child.tag) == "text":
                        text = child.text or ""
                element.clear()
            elif depth == 1:
                if name == "siteinfo":
                    self._read_siteinfo(element)
                elif name == "page":
                    yield self._page(element, text or "")
                text = None
                element.clear()
                if self.root is not None:
                    self.root.clear()

    def _page(self, element: ET.Element, text: str) -> RawPage:
        title, ns, redirect = "", None, None
        for child in element:
            name = _local(child.tag)
            if name == "title":
                title = (child.text or "").strip()
            elif name == "ns":
                try:
                    ns = int((child.text or "").strip())
                except ValueError:
                    ns = None
            elif name == "redirect":
                redirect = child.get("title", "")
        if ns is None:  # old dumps have no <ns>: the title's prefix says
            prefix, colon, _ = title.partition(":")
            ns = self.namespaces.keys.get(prefix.strip().lower(), 0) if colon else 0
        return RawPage(title, ns, redirect, text)


# --- one page ----------------------------------------------------------------------------


def convert_page(
    raw: RawPage, namespaces: Namespaces | None = None, report: TemplateReport | None = None
) -> Item:
    """A page of the dump as a Page, an Alias or a Skipped; never raises for one bad page.

    A page mwparserfromhell cannot read is skipped as "unparsable wikitext"; one the renderer
    fails on is skipped with the error's name, so that it shows in the import's summary."""
    title = " ".join(raw.title.split())
    if not title:
        return Skipped("(no title)", "pages without a title")
    if raw.ns != 0:
        return Skipped(title, "other namespaces")
    try:
        return _convert(title, raw, namespaces or Namespaces(), report)
    except WikitextError:
        return Skipped(title, "unparsable wikitext")
    except RecursionError:
        return Skipped(title, "wikitext nested too deeply")
    except Exception as error:  # noqa: BLE001 - one page must not end a long import
        return Skipped(title, f"pages the converter failed on ({type(error).__name__})")


def _convert(
    title: str, raw: RawPage, namespaces: Namespaces, report: TemplateReport | None
) -> Item:
    target = raw.redirect or None  # old dumps write an empty <redirect />
    if target is None and raw.text.lstrip()[:9].casefold() == "#redirect":
        target = redirect_target(raw.text)
    if target is not None:
        address = target.partition("#")[0]
        prefix, colon, _ = address.lstrip(":").partition(":")
        if colon and namespaces.kind(prefix):
            return Skipped(title, "redirects to other namespaces")
        address = normalize_title(address.lstrip(":"))
        if not address:
            return Skipped(title, "redirects without a target")
        return Alias(title, address)
    if not raw.text.strip():
        return Skipped(title, "empty pages")
    return render(title, raw.text, namespaces, report)
