"""Wikitext rendering: one page's MediaWiki markup becomes a Page (lead, sections, infobox).

- Wikitext is read with mwparserfromhell (wikiparse.py): `== Headings ==` become sections,
  the text before the first heading is the lead, `[[links]]` stay links, `== See also ==`
  (a list of links and nothing else) becomes the page's See also list, `{{Infobox ...}}`
  becomes the infobox (infobox.py).
- Blocks become blocks of the article format (content/FORMAT.md): `*` bullets and `#`
  numbered items keep their depth and numbers, `;`/`:` definitions, `<blockquote>` and
  quote templates, `<pre>`/`<syntaxhighlight>` code, `{| … |}` tables (wikitables.py: spans
  resolved, navboxes dropped, layout tables flattened to text).
- Templates are rendered by a rule, dropped by a documented list, or kept by a fallback
  (templates.py); references, comments, files, categories and interlanguage links are
  dropped. Back-matter sections (References, External links, Notes, ...) are kept only if
  text is left in them.
- A disambiguation page (`{{disambiguation}}`, `{{hndis}}`, ...) is kept as an ordinary
  article with the infobox pair `("Kind", "Disambiguation page")`.
- What a link's prefix names (a file, a category, another namespace or wiki, a language) is
  told by `Namespaces`: the usual English names, plus those the dump's siteinfo declares.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable

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
from mwparserfromhell.wikicode import Wikicode

from ..blocks import is_delimiter, line_block, split_cells
from ..parse import slugify
from . import infobox, wikitables
from .base import Page, code_text, table_text, text_line
from .template_rules import Call
from .templates import (
    DISAMBIGUATION,
    INFOBOXES,
    TemplateReport,
    handling,
    normal_name,
    render_template,
)
from .tidy import BLOCK, BLOCK_END, ITEM_END, PRIVATE, literal, tidy
from .wikilists import ListMarkers
from .wikinames import Namespaces, normalize_title, redirect_target
from .wikiparse import DROPPED_TAGS, parse_wikitext
from .wikisections import SEE_ALSO, drop_empty_back_matter, see_also_targets

__all__ = ["Namespaces", "WikitextError", "normalize_title", "redirect_target", "render"]

RAW_TAGS = {"math", "chem", "ce", "nowiki", "pre", "syntaxhighlight", "source"}
CODE_TAGS = {"pre", "syntaxhighlight", "source"}
BLOCK_TAGS = {"p", "div", "center", "poem", "h1", "h2", "h3", "h4", "h5", "h6", "tr"}
LIST_MARKERS = {"li", "dt", "dd"}
ORDINALS = {"st", "nd", "rd", "th", "e", "er", "re", "ª", "º"}
PARENTHESIS = re.compile(r"\s*\([^()]*\)\Z")
_PLACEHOLDER = re.compile(f"{BLOCK}(\\d+){BLOCK_END}")


class WikitextError(Exception):
    """mwparserfromhell could not read the page's wikitext."""


def render(
    title: str, text: str, namespaces: Namespaces, report: TemplateReport | None = None
) -> Page:
    """A page's wikitext as a Page: lead, sections, infobox and See also list. With
    `report`, its template uses are counted there (seen, and reached by the renderer)."""
    return _Article(title, text, namespaces, report).page()


class _Article:
    """Renders one page's wikitext into a Page (and is the `Renderer` of template rules)."""

    def __init__(
        self, title: str, text: str, namespaces: Namespaces, report: TemplateReport | None
    ) -> None:
        self.title = title
        self.source = PRIVATE.sub("", text)
        self.namespaces = namespaces
        self.report = report
        self.reached: set[int] = set()
        self.infobox: list[tuple[str, str]] = []
        self.disambiguation = False
        self.infobox_seen = False
        self.flat = 0  # > 0 inside a cell, an infobox value, a heading, a label: one line
        self.blocks: list[str] = []
        self.lists = ListMarkers()
        self.html_lists: list[str] = []
        self.trailing: set[int] = set()

    def page(self) -> Page:
        try:
            code = parse_wikitext(self.source, self.report.seen if self.report else None)
        except Exception as error:  # noqa: BLE001 - mwparserfromhell gives up on a page
            raise WikitextError(str(error)) from error
        lead: list[Node] = []
        parts: list[tuple[int, Wikicode, list[Node]]] = []
        current = lead
        for node in code.nodes:
            if isinstance(node, Heading):
                current = []
                parts.append((node.level, node.title, current))
            else:
                current.append(node)
        self.trailing = self._trailing_templates(code.nodes)
        lead_text = self.body(lead)
        sections: list[tuple[int, str, str]] = []
        see_also: list[str] = []
        for number, (level, heading, nodes) in enumerate(parts):
            name = self.plain(heading) or "Untitled"
            text = self.body(nodes)
            has_children = number + 1 < len(parts) and parts[number + 1][0] > level
            if slugify(name) == SEE_ALSO and not has_children:
                targets = see_also_targets(text)
                if targets:
                    see_also.extend(targets)
                    continue
            sections.append((min(max(level, 2), 6), name, text))
        sections = drop_empty_back_matter(sections)
        fields = list(self.infobox)
        if self.disambiguation:
            fields.insert(0, ("Kind", "Disambiguation page"))
        return Page(
            title=self.title,
            lead=lead_text,
            infobox=tuple(fields),
            sections=tuple(sections),
            see_also=tuple(dict.fromkeys(see_also)),
        )

    def _trailing_templates(self, nodes: list[Node]) -> set[int]:
        """The templates after the last text of the page (among categories, comments and
        blank lines): where Wikipedia puts its navigation boxes. None in a page of nothing
        but templates."""
        found: set[int] = set()
        for node in reversed(nodes):
            if isinstance(node, Template):
                found.add(id(node))
            elif not (
                isinstance(node, Comment)
                or isinstance(node, Text)
                and not node.value.strip()
                or isinstance(node, Wikilink)
                and self._metadata_link(node)
            ):
                return found
        return set()

    def _metadata_link(self, node: Wikilink) -> bool:
        """A category or interlanguage link: not text."""
        prefix, colon, _ = str(node.title).strip().partition(":")
        return bool(colon) and self.namespaces.kind(prefix) in ("category", "language")

    # the Renderer of template rules -----------------------------------------------------

    def text(self, code: Wikicode | None, plain: bool) -> str:
        if code is None:
            return ""
        out: list[str] = []
        self.flat += plain
        try:
            self._nodes(code.nodes, out, plain)
        finally:
            self.flat -= plain
        return "".join(out).strip()

    def clean(self, text: str) -> str:
        """Rendered text tidied, its blocks back in place (for a block of a rule's own)."""
        return self._restore(tidy(text, body=not self.flat))

    def block(self, text: str) -> str:
        if self.flat:
            return " " + _flattened(text) + " "
        self.blocks.append(text)
        return f"\n{BLOCK}{len(self.blocks) - 1}{BLOCK_END}\n"

    def visit(self, node: Template) -> None:
        self._note(node, "rule")

    def field(self, label: str, value: str) -> None:
        if value and label not in (key for key, _ in self.infobox):
            self.infobox.append((label, value))

    def _note(self, node: Template, how: str) -> None:
        """Count a template use the renderer reached, and how it was handled (once)."""
        if self.report is not None and id(node) not in self.reached:
            self.reached.add(id(node))
            self.report.handled[normal_name(node.name.strip_code()), how] += 1

    # rendering ------------------------------------------------------------------------

    def body(self, nodes: Iterable[Node]) -> str:
        """Readable text with `[[links]]` and the format's blocks (lists, tables, code)."""
        out: list[str] = []
        self._nodes(list(nodes), out, plain=False)
        return self._restore(tidy("".join(out), body=True))

    def _restore(self, text: str) -> str:
        for _ in range(8):  # blocks inside blocks (a list in a quote) come back in turns
            if BLOCK not in text:
                break
            text = _PLACEHOLDER.sub(lambda m: self.blocks[int(m.group(1))], text)
        return text

    def plain(self, code: Wikicode | None) -> str:
        """One line of plain text: links as their labels, no markup."""
        return " ".join(self._lines(code))

    def _lines(self, code: Wikicode | None, plain: bool = True) -> list[str]:
        if code is None:
            return []
        out: list[str] = []
        self.flat += 1
        try:
            self._nodes(code.nodes, out, plain=plain)
        finally:
            self.flat -= 1
        lines = []
        for line in tidy("".join(out)).split("\n"):
            line = line.strip()
            if line.startswith("- "):
                line = line[2:].strip()
            if line:
                lines.append(line)
        return lines

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
                    out.append(self.text(node.title, plain=True))
                else:
                    out.append(str(node.url))
            elif isinstance(node, HTMLEntity):
                out.append(node.normalize().replace("\xa0", " "))
            elif isinstance(node, Heading):
                out.append("\n" + self.plain(node.title) + "\n")
            elif isinstance(node, Argument) and node.default is not None:
                self._nodes(node.default.nodes, out, plain)

    def _label(self, code: Wikicode) -> str:
        """A link's label as one line of plain text (most are a single Text node)."""
        nodes = code.nodes
        if len(nodes) == 1 and isinstance(nodes[0], Text):
            value = nodes[0].value
            if not any(mark in value for mark in ("''", "&", "<", "{", "__")):
                return " ".join(value.split())
        return " ".join(self._lines(code))

    # lists ------------------------------------------------------------------------------

    def _marker(self, marks: str, out: list[str], plain: bool) -> None:
        """A wikitext list line's start (`*`, `#`, `;`, `:`, nested as `#*`)."""
        if not _at_line_start(out):
            if not marks.startswith(":"):
                out.append("\n")
            elif self.flat or plain:  # `; term : definition` on one line
                out.append(": ")
                return
            else:
                out.append("\n")
        if plain:
            return
        if self.flat:
            out.append("  " * (len(marks) - 1) + "- ")
            return
        self.lists.item(marks[-1], len(marks), out)

    # links ------------------------------------------------------------------------------

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
            else:  # [[:Category:X]], [[:File:X.jpg]], [[:fr:Ada]] show their name
                out.append(" ".join(address.replace("_", " ").split()))
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
        out.append(f"[[{full}]]" if not shown or shown == full else f"[[{full}|{shown}]]")

    # tags -------------------------------------------------------------------------------

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
            text = self.text(node.contents, plain)
            out.append(text if text in ORDINALS or not text else "^" + text)
        elif name in CODE_TAGS and not (self.flat or plain):
            raw = str(node.contents)
            code = html.unescape(raw) if name == "pre" else raw
            language = str(node.get("lang").value).strip() if node.has("lang") else ""
            out.append(self.block(code_text(code, language if language.isalnum() else "")))
        elif name in RAW_TAGS:
            out.append(literal(" ".join(html.unescape(str(node.contents)).split())))
        elif name == "blockquote" and not (self.flat or plain):
            quoted = self.clean(self.text(node.contents, plain=False))
            out.append(self.block("\n".join(f"> {ln}" if ln else ">" for ln in quoted.split("\n"))))
        elif name in ("ul", "ol", "dl"):
            self.html_lists.append(name)
            if not _at_line_start(out):
                out.append("\n")
            self._nodes(node.contents.nodes, out, plain)
            if not _at_line_start(out):
                out.append("\n")
            self.html_lists.pop()
        elif name in LIST_MARKERS:
            self._html_item(name, node, out, plain)
        elif name in BLOCK_TAGS or name == "blockquote":
            out.append("\n")
            self._nodes(node.contents.nodes, out, plain)
            out.append("\n")
        elif name in ("td", "th", "caption"):  # a cell outside a table
            self._nodes(node.contents.nodes, out, plain)
            out.append(" ")
        else:
            self._nodes(node.contents.nodes, out, plain)

    def _html_item(self, name: str, node: Tag, out: list[str], plain: bool) -> None:
        """`<li>`, `<dt>`, `<dd>`: a list line at the depth of the HTML lists around it."""
        if not _at_line_start(out):
            out.append("\n")
        if not plain:
            if self.flat:
                out.append("- ")
            else:
                kind = {"dt": ";", "dd": ":"}.get(
                    name, "#" if self.html_lists[-1:] == ["ol"] else "*"
                )
                self.lists.item(kind, max(len(self.html_lists), 1), out)
        self._nodes(node.contents.nodes if node.contents else [], out, plain)
        if not _at_line_start(out):
            out.append("\n")

    def _table(self, node: Tag, out: list[str], plain: bool) -> None:
        if wikitables.furniture(node):
            return
        table = wikitables.read_table(node, self._cell)
        if not table.rows:
            if table.caption:
                out.append(f"\n{table.caption}\n")
            return
        if self.flat or plain:  # a table in a cell or a value: its rows on one line
            out.append(" " + "; ".join(", ".join(c for c in row if c) for row in table.rows) + " ")
            return
        caption = [text_line(table.caption)] if table.caption else []
        if table.layout:
            lines = [text_line(cell) for row in table.rows for cell in row if cell]
            out.append("\n" + self.clean("\n".join(caption + lines)) + "\n")
            return
        out.append(self.block("\n".join([*caption, table_text(table.rows, table.header_rows)])))

    def _cell(self, node: Tag) -> str:
        """A table cell on one line: its lines and list items joined by "; "."""
        out: list[str] = []
        self.flat += 1
        try:
            self._nodes(node.contents.nodes if node.contents else [], out, plain=False)
        finally:
            self.flat -= 1
        text = ""
        for line in tidy("".join(out)).split("\n"):
            line = line.strip()
            line = line[2:].strip() if line.startswith("- ") else line
            if line:
                text += (_joint(text, line) if text else "") + line
        return text

    # templates ------------------------------------------------------------------------

    def _template(self, node: Template, out: list[str], plain: bool) -> None:
        name = normal_name(node.name.strip_code())
        if name.startswith("infobox") or name in INFOBOXES:
            self._note(node, "rule")
            self._infobox(node)
        elif name in DISAMBIGUATION or "disambiguation" in name:
            self._note(node, "rule")
            self.disambiguation = True
        elif id(node) in self.trailing and handling(name) == "fallback":
            self._note(node, "navigation")  # alone after the page's text: a navbox
        else:
            text, how = render_template(Call(name, node, self, plain))
            self._note(node, how)
            if text:
                out.append(text)

    def _infobox(self, node: Template) -> None:
        """The first infobox is the article's; later ones (a cabinet in a president's
        article, an infobox embedded in another's value) describe something else."""
        if self.infobox_seen:
            return
        self.infobox_seen = True
        params = []
        for param in node.params:
            if not param.showkey:
                continue
            key = " ".join(str(param.name).split())
            if not key or infobox.skipped(key):
                continue
            value = ""
            for line in self._lines(param.value):
                joint = " " if value[-1:] in (",", ";", ":", "(") or line[0] == "(" else "; "
                value += (joint if value else "") + line
            params.append((key, value.replace("[[", "").replace("]]", "").strip(" ;,")))
        self.infobox.extend(infobox.fields(params))


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
            return part.endswith("\n") or part.endswith(ITEM_END)
    return True


def _joint(before: str, line: str) -> str:
    """Between two lines of a cell (`<br>`, list items): "; " between items ("Richard Day;
    Paul Groesse"), a space inside a phrase broken across lines ("Native Hawaiian and other")."""
    last = before.rsplit(None, 1)[-1].lower() if before.strip() else ""
    inside = before[-1:] in (",", ";", ":", "(", "-") or last in ("and", "or", "&", "of", "the")
    return " " if inside or line[:1].islower() else "; "


def _safe_label(label: str) -> str:
    return " ".join(label.replace("[[", "").replace("]]", "").replace("|", " ").split())


def _flattened(text: str) -> str:
    """A block's lines as one line of text: markers, quote marks and table rules gone."""
    parts = []
    for line in text.split("\n"):
        if is_delimiter(line):
            continue
        if line.startswith("|"):
            parts.append(", ".join(line[a:b] for a, b in split_cells(line)))
            continue
        block = line_block(line, 0)
        parts.append(line[block.content :] if block else line)
    return "; ".join(part.strip() for part in parts if part.strip())
