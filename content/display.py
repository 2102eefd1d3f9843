"""Article text as a reader sees it: links shown by their labels, with their spans."""

from __future__ import annotations

from dataclasses import dataclass

from .article import Article, LinkKind, Section
from .parse import MAX_LINKS, SEE_ALSO_ANCHOR, scan_links, slugify
from .sanitize import visible


@dataclass(frozen=True)
class DisplayLink:
    """A link at [start, end) of a `DisplayText`."""

    start: int
    end: int
    target: str
    fragment: str
    kind: LinkKind

    @property
    def address(self) -> str:
        return f"{self.target}#{self.fragment}" if self.fragment else self.target


@dataclass(frozen=True)
class DisplayText:
    """Plain, sanitised text and the links in it."""

    text: str
    links: tuple[DisplayLink, ...] = ()


def display_text(text: str, see_also: bool = False) -> DisplayText:
    """Replace `[[...]]` by labels (and, in a See also list, make plain bullets links).

    Like the parser, at most `MAX_LINKS` links: later ones are shown as written."""
    out: list[str] = []
    links: list[DisplayLink] = []
    offset = 0
    for number, line in enumerate(text.split("\n")):
        if number:
            out.append("\n")
            offset += 1
        spans, _ = scan_links(line, MAX_LINKS - len(links))
        if (
            see_also
            and line[:2] in ("- ", "* ")
            and not spans
            and "[[" not in line
            and len(links) < MAX_LINKS
        ):
            target = line[2:].strip()
            if target:
                start = offset + 2 + (len(line[2:]) - len(line[2:].lstrip()))
                address, _, fragment = target.partition("#")
                links.append(
                    DisplayLink(
                        start, start + len(target), address.strip(), fragment.strip(), "see_also"
                    )
                )
            out.append(line)
            offset += len(line)
            continue
        kind: LinkKind = "see_also" if see_also and line[:2] in ("- ", "* ") else "inline"
        cursor = 0
        for span in spans:
            out.append(line[cursor : span.start])
            offset += span.start - cursor
            links.append(
                DisplayLink(offset, offset + len(span.label), span.target, span.fragment, kind)
            )
            out.append(span.label)
            offset += len(span.label)
            cursor = span.end
        out.append(line[cursor:])
        offset += len(line) - cursor
    return DisplayText(visible("".join(out)), tuple(links))


def section_display(section: Section) -> DisplayText:
    """The section's body as displayed."""
    return display_text(section.text, see_also=slugify(section.heading) == SEE_ALSO_ANCHOR)


def plain_text(article: Article, anchor: str | None = None) -> str:
    """The article (or one section and its subsections) as plain text, e.g. for `show`."""
    parts: list[str] = []
    if anchor is None:
        parts.append(visible(article.title))
        parts.append("=" * min(len(article.title), 100))
        for key, value in article.infobox:
            parts.append(visible(f"  {key}: {value}"))
        if article.infobox:
            parts.append("")
        sections = list(article.walk())
    else:
        start = article.section(anchor)
        sections = list(start.walk()) if start is not None else []
    for section in sections:
        if section.heading:
            parts.append("")
            parts.append(visible("#" * (section.level - 1) + " " + section.heading))
        body = section_display(section).text
        if body:
            parts.append(body)
    return "\n".join(parts).strip("\n") + "\n"
