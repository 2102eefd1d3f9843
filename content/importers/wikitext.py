"""Wikitext rendering: one page's MediaWiki markup becomes a Page (lead, sections, infobox).

- Wikitext is read with mwparserfromhell: `== Headings ==` become sections, the text before
  the first heading is the lead, `[[links]]` stay links, `== See also ==` becomes the page's
  See also list, `{{Infobox ...}}` becomes the infobox, tables become one line per row with
  cells joined by " | ", lists become "- " lines; references, comments, files, categories,
  interlanguage links and (almost all) other templates are dropped. Back-matter sections
  (References, External links, Notes, ...) are kept only if text is left in them.
- A disambiguation page (templates such as `{{disambiguation}}`, `{{disambig}}`, `{{dab}}`,
  `{{hndis}}`, `{{geodis}}`, `{{set index article}}`) is kept as an ordinary article -- its
  bullets of links become readable lists of links -- with the infobox pair
  `("Kind", "Disambiguation page")` so that a reader can tell it apart.
- What a link's prefix names (a file, a category, another namespace or wiki, a language) is
  told by `Namespaces`: the usual English names, plus those the dump's siteinfo declares.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import cast

import mwparserfromhell
from mwparserfromhell.nodes import (
    Argument,
    Comment,
    ExternalLink,
    Heading,
    HTMLEntity,
    Node,
    Tag,
    Template,
    Text,
    Wikilink,
)
from mwparserfromhell.parser import Parser
from mwparserfromhell.parser import tokens as wikitokens
from mwparserfromhell.parser.builder import Builder
from mwparserfromhell.wikicode import Wikicode

from ..parse import scan_links, slugify
from .base import Page

# --- what the names in a dump mean -------------------------------------------------------

FILE_NAMESPACES = {"file", "image", "media"}
CATEGORY_NAMESPACES = {"category"}
OTHER_NAMESPACES = {
    "special", "talk", "user", "user talk", "wikipedia", "wikipedia talk", "project",
    "project talk", "wp", "wt", "file talk", "image talk", "mediawiki", "mediawiki talk",
    "template", "template talk", "help", "help talk", "category talk", "portal", "portal talk",
    "book", "book talk", "draft", "draft talk", "education program", "education program talk",
    "timedtext", "timedtext talk", "module", "module talk", "gadget", "gadget talk",
    "gadget definition", "gadget definition talk", "topic",
}  # fmt: skip
INTERWIKI = {
    "wikt", "wiktionary", "s", "wikisource", "q", "wikiquote", "b", "wikibooks", "n",
    "wikinews", "v", "wikiversity", "voy", "wikivoyage", "commons", "c", "species",
    "wikispecies", "meta", "m", "mw", "d", "wikidata", "w", "wmf", "foundation", "incubator",
    "outreach", "phab", "doi", "rfc", "google", "imdbname", "imdbtitle", "iarchive", "arxiv",
}  # fmt: skip
LANGUAGE_PREFIX = re.compile(r"[a-z]{2,3}(?:-[a-z]{2,8})*\Z")


@dataclass
class Namespaces:
    """The dump's namespace names (lower-case), by kind."""

    files: set[str] = field(default_factory=lambda: set(FILE_NAMESPACES))
    categories: set[str] = field(default_factory=lambda: set(CATEGORY_NAMESPACES))
    others: set[str] = field(default_factory=lambda: set(OTHER_NAMESPACES))
    keys: dict[str, int] = field(default_factory=dict)

    def add(self, key: int, name: str) -> None:
        name = " ".join(name.replace("_", " ").split()).lower()
        if not name or key == 0:
            return
        self.keys[name] = key
        if key in (6, -2):
            self.files.add(name)
        elif key == 14:
            self.categories.add(name)
        else:
            self.others.add(name)

    def kind(self, prefix: str) -> str:
        """What a link prefix names: "file", "category", "other" (a namespace or another
        wiki), "language" (an interlanguage link), or "" (none: the main namespace)."""
        folded = " ".join(prefix.replace("_", " ").split()).lower()
        if folded in self.files:
            return "file"
        if folded in self.categories:
            return "category"
        if folded in self.others or folded in INTERWIKI:
            return "other"
        if LANGUAGE_PREFIX.match(prefix.strip()):
            return "language"
        return ""


def normalize_title(title: str) -> str:
    """Underscores as spaces, spaces folded, first letter upper-case."""
    title = " ".join(html.unescape(title).replace("_", " ").split())
    return title[:1].upper() + title[1:]


# --- what the rendering keeps and drops --------------------------------------------------

DISAMBIGUATION = {
    "disambiguation", "disambig", "dab", "disamb", "hndis", "geodis", "numberdis", "mathdab",
    "set index article", "sia", "set index", "shipindex", "mountainindex", "roadindex",
    "sportindex", "given name", "surname", "letter-number combination disambiguation",
    "chinese title disambiguation", "disambiguation cleanup", "hospital disambiguation",
    "school disambiguation", "airport disambiguation", "call sign disambiguation",
    "species latin name disambiguation", "genus disambiguation", "place name disambiguation",
    "human name disambiguation", "lakeindex", "plant common name", "animal common name",
}  # fmt: skip
INFOBOX_OTHER_NAMES = {"taxobox", "automatic taxobox", "speciesbox", "subspeciesbox", "geobox"}
BACK_MATTER = {
    "references", "external-links", "notes", "further-reading", "bibliography", "sources",
    "citations", "footnotes", "notes-and-references", "references-and-notes",
    "notes-and-citations", "works-cited", "explanatory-notes", "general-references",
}  # fmt: skip
SEE_ALSO = "see-also"

DROPPED_TAGS = {
    "ref", "references", "gallery", "imagemap", "timeline", "score", "graph", "templatedata",
    "mapframe", "maplink", "indicator", "categorytree", "inputbox", "charinsert", "noinclude",
    "section", "templatestyles", "hiero",
}  # fmt: skip
RAW_TAGS = {"math", "chem", "ce", "nowiki", "pre", "syntaxhighlight", "source"}
BLOCK_TAGS = {"p", "div", "blockquote", "center", "poem", "ul", "ol", "dl",
              "h1", "h2", "h3", "h4", "h5", "h6", "tr"}  # fmt: skip
LIST_MARKERS = {"li", "dt", "dd"}

# Infobox keys that name pictures, captions or map coordinates rather than facts.
SKIPPED_KEY_WORDS = ("image", "caption", "signature", "map", "logo", "pushpin", "footnote",
                     "alt", "upright", "width", "size", "coord")  # fmt: skip
COORDINATE_KEY = re.compile(r"(lat|long?)(d|m|s|ns|ew|_?deg|_?min|_?sec|_?dir|itude)?\Z")
PICTURE_VALUE = re.compile(r"\.(svg|png|jpe?g|gif|tiff?|webm|ogg|ogv|oga|webp)\Z", re.I)

# Templates whose first positional argument is their visible text.
FIRST_ARGUMENT = {
    "nowrap", "nobr", "nobreak", "small", "smaller", "big", "larger", "abbr", "em", "strong",
    "var", "mvar", "math", "sub", "sup", "smallcaps", "sc", "visible anchor", "vanchor",
    "code", "tt", "samp", "not a typo", "sic", "url", "flag", "flagcountry", "flagu",
    "nihongo", "nts", "angbr", "longitem", "vr", "lang-x", "plainlist", "flatlist",
    "plain list", "center", "nowrap begin", "resize", "lsj", "ill", "interlanguage link",
}  # fmt: skip
QUOTES = {"quote", "blockquote", "cquote", "quotation", "quote box"}
JOINED = {"ubl": ", ", "unbulleted list": ", ", "hlist": " · ", "flat list": ", ",
          "chem": "", "keypress": " + ", "sortname": " "}  # fmt: skip
COLUMNS = {"columns-list", "col-list", "div col", "colbegin", "multicol"}
LITERAL = {"'": "'", "'s": "'s", "!": "|", "pipe": "|", "=": "=", "·": " · ", "dot": " · ",
           "middot": " · ", "bull": " • ", "snd": " – ", "spaced ndash": " – ", "ndash": "–",
           "mdash": "—", "nbsp": " ", "sp": " "}  # fmt: skip
DATES = {"birth date", "death date", "birth date and age", "death date and age", "start date",
         "end date", "start date and age", "dts", "date"}  # fmt: skip
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")  # fmt: skip
RANGE_WORDS = {"-": "–", "–": "–", "to": "to", "and": "and", "or": "or", "by": "by", "x": "×",
               "+/-": "±", "to(-)": "to"}  # fmt: skip

KEPT_TEMPLATES = (
    FIRST_ARGUMENT | QUOTES | set(JOINED) | COLUMNS | set(LITERAL) | DATES
    | {"lang", "langx", "convert", "cvt", "transl", "transliteration", "sort", "frac", "as of",
       "val"}
)  # fmt: skip

ORDINALS = {"st", "nd", "rd", "th", "e", "er", "re", "ª", "º"}

QUOTE_MARKS = re.compile(r"'{2,}")
MAGIC_WORD = re.compile(r"__[A-Z]+__")
LEFTOVER_MARKUP = re.compile(r"\{\{|\}\}|\{\||\|\}")
LEFTOVER_TAG = re.compile(
    r"</?(?:ref|references|center|small|big|span|div|font|li|ul|ol|p|b|i|u|s|sup|sub|br|"
    r"blockquote|tt|code|nowiki|poem|abbr|cite)\b[^<>]*>",
    re.I,
)
# What dropped templates leave behind: "Albania (, ; Shqipëri; )" -> "Albania (Shqipëri)".
EMPTY_START = re.compile(r"\((?:\s*[,;])+\s*")
EMPTY_END = re.compile(r"(?:\s*[,;])+\s*\)")
EMPTY_PARENTHESES = re.compile(r"\s*\(\s*\)")
PARENTHESIS = re.compile(r"\s*\([^()]*\)\Z")


# --- one page ----------------------------------------------------------------------------


def render(title: str, text: str, namespaces: Namespaces) -> Page:
    """A page's wikitext as a Page: lead, sections, infobox and See also list."""
    return _Article(title, text, namespaces).page()


def redirect_target(text: str) -> str:
    """The target of `#REDIRECT [[Target]]` as written, or "" when the line has no link."""
    first_line = text.lstrip().split("\n", 1)[0]
    for link in mwparserfromhell.parse(first_line).filter_wikilinks(recursive=False):
        return str(link.title).strip()
    return ""


class _Article:
    """Renders one page's wikitext into a Page."""

    def __init__(self, title: str, text: str, namespaces: Namespaces) -> None:
        self.title = title
        self.text = text
        self.namespaces = namespaces
        self.infobox: list[tuple[str, str]] = []
        self.disambiguation = False
        self.in_infobox = 0
        self.infobox_seen = False

    def page(self) -> Page:
        code = parse_wikitext(self.text)
        lead: list[Node] = []
        parts: list[tuple[int, Wikicode, list[Node]]] = []
        current = lead
        for node in code.nodes:
            if isinstance(node, Heading):
                current = []
                parts.append((node.level, node.title, current))
            else:
                current.append(node)
        lead_text = self.body(lead)
        sections: list[tuple[int, str, str]] = []
        see_also: list[str] = []
        for level, heading, nodes in parts:
            name = self.plain(heading) or "Untitled"
            text = self.body(nodes)
            slug = slugify(name)
            if slug == SEE_ALSO:
                targets = _see_also_targets(text)
                if targets:
                    see_also.extend(targets)
                    continue
            sections.append((min(max(level, 2), 6), name, text))
        sections = _drop_empty_back_matter(sections)
        infobox = list(self.infobox)
        if self.disambiguation:
            infobox.insert(0, ("Kind", "Disambiguation page"))
        return Page(
            title=self.title,
            lead=lead_text,
            infobox=tuple(infobox),
            sections=tuple(sections),
            see_also=tuple(dict.fromkeys(see_also)),
        )

    # rendering ------------------------------------------------------------------------

    def body(self, nodes: Iterable[Node]) -> str:
        """Readable text with `[[links]]`, lists as "- " lines, tables as " | " rows."""
        out: list[str] = []
        self._nodes(list(nodes), out, plain=False)
        return tidy("".join(out), body=True)

    def plain(self, code: Wikicode | None) -> str:
        """One line of plain text: links as their labels, no markup."""
        return " ".join(self._lines(code))

    def _lines(self, code: Wikicode | None, plain: bool = True) -> list[str]:
        if code is None:
            return []
        out: list[str] = []
        self._nodes(code.nodes, out, plain=plain)
        lines = []
        for line in tidy("".join(out)).split("\n"):
            line = line.strip()
            if line.startswith("- "):
                line = line[2:].strip()
            if line:
                lines.append(line)
        return lines

    def _render(self, code: Wikicode | None, plain: bool) -> str:
        if code is None:
            return ""
        out: list[str] = []
        self._nodes(code.nodes, out, plain)
        return "".join(out).strip()

    def _nodes(self, nodes: list[Node], out: list[str], plain: bool) -> None:
        index = 0
        while index < len(nodes):
            node = nodes[index]
            index += 1
            if isinstance(node, Text):
                value = node.value
                out.append(html.unescape(value) if "&" in value and ";" in value else value)
            elif isinstance(node, Wikilink):
                self._wikilink(node, out, plain)
            elif isinstance(node, Template):
                self._template(node, out, plain)
            elif isinstance(node, Tag):
                if node.wiki_markup and str(node.tag).lower() in LIST_MARKERS:
                    marks = str(node.wiki_markup)
                    while index < len(nodes) and _is_marker(nodes[index]):
                        marks += str(nodes[index].wiki_markup)  # type: ignore[attr-defined]
                        index += 1
                    self._marker(marks, out, plain)
                else:
                    self._tag(node, out, plain)
            elif isinstance(node, ExternalLink):
                if node.title is not None:
                    out.append(self._render(node.title, plain=True))
                elif not node.brackets:
                    out.append(str(node.url))
            elif isinstance(node, HTMLEntity):
                out.append(node.normalize().replace("\xa0", " "))
            elif isinstance(node, Heading):
                out.append("\n" + self.plain(node.title) + "\n")
            elif isinstance(node, Argument):
                if node.default is not None:
                    self._nodes(node.default.nodes, out, plain)
            elif isinstance(node, Comment):
                pass

    def _label(self, code: Wikicode) -> str:
        """A link's label as one line of plain text (most are a single Text node)."""
        nodes = code.nodes
        if len(nodes) == 1 and isinstance(nodes[0], Text):
            value = nodes[0].value
            if not any(mark in value for mark in ("''", "&", "<", "{", "__")):
                return " ".join(value.split())
        return " ".join(self._lines(code))

    def _marker(self, marks: str, out: list[str], plain: bool) -> None:
        if not _at_line_start(out):
            if marks.startswith(":"):  # `; term : definition` on one line
                out.append(": ")
                return
            out.append("\n")
        if plain:
            return
        out.append("  " * (len(marks) - 1) + "- ")

    def _wikilink(self, node: Wikilink, out: list[str], plain: bool) -> None:
        address = str(node.title).strip()
        if "&" in address:
            address = html.unescape(address).replace("\xa0", " ")
        label = None if node.text is None else self._label(node.text)
        if "{" in address or "<" in address or "[" in address:
            out.append(label or self.plain(node.title))
            return
        colon_first = address.startswith(":")
        address = address.lstrip(":").strip()
        prefix, colon, rest = address.partition(":")
        kind = self.namespaces.kind(prefix) if colon else ""
        if kind:
            if not colon_first and kind in ("file", "category", "language"):
                return  # pictures, categories and interlanguage links are not text
            if label:
                out.append(label)
            elif kind == "other":
                out.append(" ".join(rest.replace("_", " ").split()))
            return
        target, hash_mark, fragment = address.partition("#")
        target = normalize_title(target)
        fragment = " ".join(fragment.replace("_", " ").split())
        if node.text is not None and not label and not str(node.text).strip():
            label = PARENTHESIS.sub("", target)  # the pipe trick: [[Foo (bar)|]]
        shown = label or " ".join(address.replace("_", " ").split())
        if plain:
            out.append(shown)
            return
        full = target + (f"#{fragment}" if hash_mark and fragment else "")
        if not full:
            out.append(shown)
            return
        shown = _safe_label(shown)
        if not shown or shown == full:
            out.append(f"[[{full}]]")
        else:
            out.append(f"[[{full}|{shown}]]")

    def _tag(self, node: Tag, out: list[str], plain: bool) -> None:
        name = str(node.tag).strip().lower()
        if name in DROPPED_TAGS:
            return
        if name in ("br", "hr"):
            out.append("\n")
            return
        if name == "table":
            self._table(node, out, plain)
            return
        if node.contents is None:
            return
        if name == "sup":  # 10<sup>6</sup> -> 10^6, but 1<sup>st</sup> -> 1st
            text = self._render(node.contents, plain)
            out.append(text if text in ORDINALS or not text else "^" + text)
            return
        if name in RAW_TAGS:
            text = html.unescape(str(node.contents))
            out.append(text if name in ("pre", "syntaxhighlight", "source") else text.strip())
            return
        if name == "li":
            out.append("\n" + ("" if plain else "- "))
            self._nodes(node.contents.nodes, out, plain)
            out.append("\n")
        elif name in BLOCK_TAGS:
            out.append("\n")
            self._nodes(node.contents.nodes, out, plain)
            out.append("\n")
        elif name in ("td", "th", "caption"):  # a cell outside a table
            self._nodes(node.contents.nodes, out, plain)
            out.append(" ")
        else:
            self._nodes(node.contents.nodes, out, plain)

    def _table(self, node: Tag, out: list[str], plain: bool) -> None:
        rows: list[str] = []
        loose: list[str] = []  # cells before the first `|-`

        def flush() -> None:
            if any(loose):
                rows.append(" | ".join(loose))
            loose.clear()

        def walk(code: Wikicode | None) -> None:
            if code is None:
                return
            for child in code.nodes:
                if not isinstance(child, Tag):
                    continue
                name = str(child.tag).strip().lower()
                if name in ("td", "th"):
                    cell = self._cell(child)
                    if str(child).startswith("|+"):  # mwparserfromhell reads a caption as a cell
                        flush()
                        rows.append(cell[1:].strip())
                    else:
                        loose.append(cell)
                elif name == "caption":
                    flush()
                    rows.append(self._cell(child))
                elif name == "tr":
                    flush()
                    walk(child.contents)
                    flush()
                elif name in ("thead", "tbody", "tfoot"):
                    walk(child.contents)

        walk(node.contents)
        flush()
        rows = [row for row in rows if row.strip()]
        if rows:
            out.append("\n" + "\n".join(rows) + "\n")

    def _cell(self, node: Tag) -> str:
        """A table cell on one line: its lines joined by spaces, its list items by "; "."""
        out: list[str] = []
        self._nodes(node.contents.nodes if node.contents else [], out, plain=False)
        text = ""
        for line in tidy("".join(out)).split("\n"):
            line = line.strip()
            item = line.startswith("- ")
            line = line[2:].strip() if item else line
            if line:
                text += ("; " if item and text else " " if text else "") + line
        return text.replace(" | ", " / ")

    # templates ------------------------------------------------------------------------

    def _template(self, node: Template, out: list[str], plain: bool) -> None:
        name = _template_name(node)
        if name.startswith("infobox") or name in INFOBOX_OTHER_NAMES:
            self._infobox(node)
            return
        if name in DISAMBIGUATION or "disambiguation" in name:
            self.disambiguation = True
            return
        positional = [p.value for p in node.params if not p.showkey]
        text = self._inline_template(name, node, positional, plain)
        if text:
            out.append(text)

    def _inline_template(
        self, name: str, node: Template, positional: list[Wikicode], plain: bool
    ) -> str:
        def arg(index: int) -> str:
            return self._render(positional[index], plain) if index < len(positional) else ""

        def named(key: str) -> str:
            return self._render(node.get(key).value, plain) if node.has(key) else ""

        if name in LITERAL:
            return LITERAL[name]
        if name == "lang" or name == "langx":
            return arg(1)
        if name.startswith("lang-") or name in FIRST_ARGUMENT:
            return arg(len(positional) - 1) if name == "resize" else arg(0)
        if name in ("convert", "cvt"):
            return _convert_units([self.plain(p) for p in positional])
        if name in DATES:
            return _date([self.plain(p) for p in positional])
        if name in ("transl", "transliteration"):
            return arg(len(positional) - 1)
        if name == "sort":
            return arg(1) or arg(0)
        if name == "frac":
            parts = [self.plain(p) for p in positional]
            if len(parts) == 3:
                return f"{parts[0]} {parts[1]}/{parts[2]}"
            return "/".join(parts) if len(parts) == 2 else (f"1/{parts[0]}" if parts else "")
        if name == "as of":
            return f"As of {' '.join(self.plain(p) for p in positional[:3])}".strip()
        if name == "val":
            unit = named("u") or named("ul")
            return f"{arg(0)} {unit}".strip()
        if name in JOINED:
            return JOINED[name].join(t for t in (self._render(p, plain) for p in positional) if t)
        if name in QUOTES:
            text = named("text") or named("quote") or arg(0)
            return text if plain else f"\n{text}\n"
        if name in COLUMNS:
            text = named("content") or (arg(len(positional) - 1) if positional else "")
            return text if plain else f"\n{text}\n"
        return ""

    def _infobox(self, node: Template) -> None:
        """The first infobox is the article's; later ones (a cabinet in a president's
        article, an infobox embedded in another's value) describe something else."""
        if self.in_infobox or self.infobox_seen:
            return
        self.infobox_seen = True
        self.in_infobox += 1
        try:
            for param in node.params:
                if not param.showkey:
                    continue
                key = " ".join(str(param.name).replace("_", " ").split())
                if not key or _skipped_key(key):
                    continue
                value = ""
                for line in self._lines(param.value):
                    joint = " " if value[-1:] in (",", ";", ":", "(") or line[0] == "(" else "; "
                    value += (joint if value else "") + line
                value = value.replace("[[", "").replace("]]", "").strip(" ;,")
                if not value or PICTURE_VALUE.search(value):
                    continue
                self.infobox.append((key[:1].upper() + key[1:], value))
        finally:
            self.in_infobox -= 1


# --- parsing: the token stream pruned before the tree is built ---------------------------


def parse_wikitext(text: str) -> Wikicode:
    """mwparserfromhell's tree of the text, without the parts the rendering drops anyway.

    Bold and italic quote marks are left as text (`skip_style_tags`) and removed by `tidy`:
    an unbalanced quote run then cannot make the tokenizer give up on the rest of a link.

    mwparserfromhell tokenizes in C but builds its tree in Python, and building is most of
    the time; references, comments and citation templates are about half the tokens of an
    article. So the token stream is pruned of those balanced runs before the tree is built
    (same tree otherwise). Should the token API ever differ, the plain `parse` is used.
    """
    try:
        stream = Parser()._tokenizer.tokenize(text, 0, True)  # type: ignore[no-untyped-call]
        pruned = _prune(stream)
    except Exception:  # noqa: BLE001 - a token API that changed: the slow way is still right
        return mwparserfromhell.parse(text, skip_style_tags=True)
    return cast(Wikicode, Builder().build(pruned))  # type: ignore[no-untyped-call]


def _prune(stream: list[object]) -> list[object]:
    """The token stream without dropped tags (`<ref>`...), comments and dropped templates."""
    t = wikitokens
    kept: list[object] = []
    index, count = 0, len(stream)
    while index < count:
        token = stream[index]
        kind = type(token)
        end = -1
        if kind is t.CommentStart:
            end = index + 1
            while end < count and type(stream[end]) is not t.CommentEnd:
                end += 1
        elif kind is t.TagOpenOpen and index + 1 < count:
            name = stream[index + 1]
            if (
                not token.wiki_markup  # type: ignore[attr-defined]
                and type(name) is t.Text
                and name.text.strip().lower() in DROPPED_TAGS  # type: ignore[attr-defined]
            ):
                end = _balanced_end(
                    stream, index, t.TagOpenOpen, (t.TagCloseClose, t.TagCloseSelfclose)
                )
        elif kind is t.TemplateOpen and index + 2 < count:
            name, after = stream[index + 1], stream[index + 2]
            if (
                type(name) is t.Text
                and type(after) in (t.TemplateParamSeparator, t.TemplateClose)
                and _dropped_template(_normal_template_name(name.text))  # type: ignore[attr-defined]
            ):
                end = _balanced_end(stream, index, t.TemplateOpen, (t.TemplateClose,))
        if end < 0:
            kept.append(token)
            index += 1
        elif end >= count:
            raise ValueError("unbalanced tokens")
        else:
            index = end + 1
    return kept


def _balanced_end(
    stream: list[object], start: int, opening: type, closing: tuple[type, ...]
) -> int:
    """The index of the token closing the one at `start` (nesting counted), or len(stream)."""
    depth = 0
    for index in range(start, len(stream)):
        kind = type(stream[index])
        if kind is opening:
            depth += 1
        elif kind in closing:
            depth -= 1
            if depth == 0:
                return index
    return len(stream)


def _dropped_template(name: str) -> bool:
    """Is this a template the rendering drops (no text, no infobox, no disambiguation)?"""
    return not (
        name.startswith(("infobox", "lang-"))
        or name in INFOBOX_OTHER_NAMES
        or name in DISAMBIGUATION
        or "disambiguation" in name
        or name in KEPT_TEMPLATES
    )


# --- small helpers of the rendering ------------------------------------------------------


def _is_marker(node: Node) -> bool:
    return (
        isinstance(node, Tag)
        and bool(node.wiki_markup)
        and str(node.tag).lower() in LIST_MARKERS
        and node.self_closing
    )


def _at_line_start(out: list[str]) -> bool:
    for part in reversed(out):
        if part:
            return part.endswith("\n")
    return True


def _template_name(node: Template) -> str:
    return _normal_template_name(node.name.strip_code())


def _normal_template_name(text: str) -> str:
    name = " ".join(text.replace("_", " ").split()).lower()
    for prefix in ("subst:", "safesubst:", "template:", "msgnw:"):
        if name.startswith(prefix):
            name = name[len(prefix) :].strip()
    return name


def _skipped_key(key: str) -> bool:
    folded = key.lower()
    words = folded.replace("-", " ").split()
    if COORDINATE_KEY.match(folded.replace(" ", "_")):
        return True
    return any(word.startswith(SKIPPED_KEY_WORDS) for word in words) or folded in ("alt",)


def _safe_label(label: str) -> str:
    return " ".join(label.replace("[[", "").replace("]]", "").replace("|", " ").split())


def _convert_units(parts: list[str]) -> str:
    """`{{convert|5|km|mi}}` -> "5 km"; `{{convert|5|to|10|km}}` -> "5 to 10 km"."""
    if len(parts) >= 4 and parts[1] in RANGE_WORDS:
        word = RANGE_WORDS[parts[1]]
        joined = f"{parts[0]}–{parts[2]}" if word == "–" else f"{parts[0]} {word} {parts[2]}"
        return f"{joined} {parts[3]}"
    return " ".join(parts[:2])


def _date(parts: list[str]) -> str:
    """`{{birth date|1809|2|12}}` -> "12 February 1809"."""
    numbers = [p for p in parts[:3] if p.isdigit()]
    if len(numbers) == 3 and 1 <= int(numbers[1]) <= 12:
        return f"{int(numbers[2])} {MONTHS[int(numbers[1]) - 1]} {numbers[0]}"
    if len(numbers) >= 2 and 1 <= int(numbers[1]) <= 12:
        return f"{MONTHS[int(numbers[1]) - 1]} {numbers[0]}"
    return numbers[0] if numbers else (parts[0] if parts else "")


# --- clean-up of rendered text and sections ----------------------------------------------


def tidy(text: str, body: bool = False) -> str:
    """Trivial clean-up of rendered text, line by line: quote marks, spaces, blank lines.

    In `body` text, a line without a letter or digit ("- ." where a citation was) goes too.
    """
    lines: list[str] = []
    for line in text.split("\n"):
        if "''" in line:
            line = QUOTE_MARKS.sub("", line)
        if "__" in line:
            line = MAGIC_WORD.sub("", line)
        if "{" in line or "}" in line:
            line = LEFTOVER_MARKUP.sub("", line)
        if "<" in line:
            line = LEFTOVER_TAG.sub(" ", line)
        stripped = " ".join(line.split())
        if "(" in stripped:
            stripped = EMPTY_START.sub("(", stripped)
            stripped = EMPTY_END.sub(")", stripped)
            stripped = EMPTY_PARENTHESES.sub("", stripped).strip()
        if (
            not stripped
            or stripped == "-"
            or (body and not any(char.isalnum() for char in stripped))
        ):
            if lines and lines[-1]:
                lines.append("")
            continue
        indent = ""
        if stripped.startswith("- ") and line.startswith(" "):
            indent = line[: len(line) - len(line.lstrip(" "))]
        if stripped.startswith("="):
            stripped = "\u2007" + stripped  # never a heading inside body text
        lines.append(indent + stripped)
    while lines and not lines[-1]:
        lines.pop()
    return "\n".join(lines)


def _see_also_targets(text: str) -> list[str]:
    """The link targets on the bullet lines of a See also section."""
    targets = []
    for line in text.split("\n"):
        if line.lstrip().startswith("- "):
            for span in scan_links(line)[0]:
                if span.target:
                    targets.append(span.target + (f"#{span.fragment}" if span.fragment else ""))
    return targets


def _drop_empty_back_matter(
    sections: list[tuple[int, str, str]],
) -> list[tuple[int, str, str]]:
    """References, External links, Notes... without text (and no kept subsection) go."""
    keep = [True] * len(sections)
    for index in range(len(sections) - 1, -1, -1):
        level, heading, text = sections[index]
        if text.strip() or slugify(heading) not in BACK_MATTER:
            continue
        child = index + 1
        has_child = False
        while child < len(sections) and sections[child][0] > level:
            has_child = has_child or keep[child]
            child += 1
        keep[index] = has_child
    return [section for section, kept in zip(sections, keep, strict=True) if kept]
