"""The lossless article parser: text in, `Article` out, and `render` to go back.

Every scan here is a single pass over each line with `str` methods, or one regular
expression (`_HEADING_START`) that cannot backtrack past a line's leading `=`s, so a 5 MB
line costs what reading it costs; per-file limits (`MAX_SECTIONS`, `MAX_LINKS`,
`MAX_INFOBOX`) bound what a file of nothing but headings or links costs the other layers.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass, replace
from pathlib import PurePath
from typing import NamedTuple

from .article import Article, Diagnostic, Link, LinkKind, Section, Severity

MAX_HEADING_LEVEL = 6
MAX_INFOBOX_KEY = 60
MAX_REPEAT_NOTES = 100
"""Repeated headings warned about one by one; beyond, one line counts the rest."""
MAX_SECTIONS = 10_000
"""Headings read as sections, per file; later heading lines are read as the last section's text.
A tree of more is not something a reader navigates, and each section costs every layer
(parse, index, tree), so a file of 5 MB of headings stays a fast, linear parse."""
MAX_LINKS = 20_000
"""Links read per file (and per section shown): later `[[...]]` stay in the text as written.
A real article has hundreds; this bounds what a file of nothing but links costs."""
MAX_INFOBOX = 1_000
"""Infobox lines per file; later `- Key: Value` lines are read as the lead's text."""
_HEADING_START = re.compile(r"^=+[^=\n]", re.MULTILINE)
"""A line that may be a heading: `=`s, then something else. Linear: `=+` can only give back
the `=`s of one line, and `^` only tries at line starts."""
ALIAS_KEYS = frozenset({"alias", "aliases"})
FENCE = "```"
"""What opens and closes a code block (three or more backticks at the start of a line)."""
SEE_ALSO_ANCHOR = "see-also"


def normalize_newlines(text: str) -> str:
    """Drop a leading BOM and turn CRLF into LF: the only changes `parse` makes to a source."""
    if text.startswith("\ufeff"):
        text = text[1:]
    return text.replace("\r\n", "\n")


def decode(data: bytes, path: str) -> tuple[str, list[Diagnostic]]:
    """Decode UTF-8 bytes, never failing: bad bytes become U+FFFD and are reported by line."""
    problems: list[Diagnostic] = []
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        text = data.decode("utf-8", errors="replace")
        problems.append(Diagnostic(path, line, "error", "invalid UTF-8; bad bytes shown as \ufffd"))
    nul = text.find("\0")
    if nul >= 0:
        line = text.count("\n", 0, nul) + 1
        problems.append(
            Diagnostic(path, line, "error", "NUL bytes in text (is this a binary file?)")
        )
    return text, problems


@functools.lru_cache(maxsize=4096)  # headings repeat (See also, References, ...)
def slugify(heading: str) -> str:
    """An anchor: lowercased, quotes and punctuation dropped, spaces and hyphens to one hyphen."""
    out: list[str] = []
    for char in heading.lower():
        category = unicodedata.category(char)
        if char.isspace() or category == "Pd" or char == "_":
            if out and out[-1] != "-":
                out.append("-")
        elif category[0] in "LNM":
            out.append(char)
    return "".join(out).strip("-")


def fold_fragment(fragment: str) -> str:
    """The form in which a `#Section` fragment is compared to anchors and headings."""
    return slugify(fragment)


def fence_of(line: str) -> int:
    """The number of backticks of a code fence that opens on this line (0: not a fence).

    A fence is three or more backticks at the start of the line, maybe followed by a word
    naming the language; a backtick after them makes the line text."""
    if not line.startswith(FENCE):
        return 0
    ticks = len(line) - len(line.lstrip("`"))
    return 0 if "`" in line[ticks:] else ticks


def closes_fence(line: str, ticks: int) -> bool:
    """Whether the line closes a code block opened by `ticks` backticks: at least as many
    backticks and nothing else but spaces."""
    trimmed = line.rstrip()
    return len(trimmed) >= ticks and trimmed == "`" * len(trimmed)


def code_blocks(lines: list[str], start: int, stop: int) -> list[tuple[int, int, bool]]:
    """The code blocks among lines [start, stop): (opening fence, one past the closing fence
    or `stop`, closed). A heading always ends a section, so a block never runs past `stop`."""
    found: list[tuple[int, int, bool]] = []
    index = start
    while index < stop:
        ticks = fence_of(lines[index])
        if not ticks:
            index += 1
            continue
        end = index + 1
        while end < stop and not closes_fence(lines[end], ticks):
            end += 1
        closed = end < stop
        found.append((index, end + 1 if closed else stop, closed))
        index = end + 1
    return found


class LinkSpan(NamedTuple):
    """One `[[...]]` found in a line: its place and its parts (a tuple: lines of links are many)."""

    start: int
    end: int
    target: str
    fragment: str
    label: str


def scan_links(line: str, limit: int | None = None) -> tuple[list[LinkSpan], int | None]:
    """The `[[target#fragment|label]]` links in one line, and the column of an unclosed `[[`.

    With `limit`, at most that many links; the rest of the line is not scanned."""
    spans: list[LinkSpan] = []
    find, rfind, append = line.find, line.rfind, spans.append
    pos = 0
    while limit is None or len(spans) < limit:
        start = find("[[", pos)
        if start < 0:
            return spans, None
        end = find("]]", start + 2)
        if end < 0:
            return spans, start
        # `[[a [[b]]`: the link is the innermost `[[` before the `]]`.
        start = rfind("[[", start, end)
        inner = line[start + 2 : end]
        pos = end + 2
        address, bar, label = inner.partition("|")
        target, _, fragment = address.partition("#")
        target, fragment = target.strip(), fragment.strip()
        if not target and not fragment:
            continue
        label = label.strip()
        append(LinkSpan(start, pos, target, fragment, label if bar and label else address.strip()))
    return spans, None


@dataclass
class _Heading:
    index: int  # line index
    level: int
    text: str
    balanced: bool


def _heading(line: str) -> tuple[int, str, bool] | None:
    """(level, text, balanced) if the line is a heading; a line of only `=` is not."""
    if not line.startswith("="):
        return None
    trimmed = line.rstrip()
    level = len(line) - len(line.lstrip("="))
    if level > MAX_HEADING_LEVEL or level == len(trimmed):
        return None
    rest = trimmed[level:]
    closing = len(rest) - len(rest.rstrip("="))
    text = rest[: len(rest) - closing].strip()
    return level, text, closing == level


class _Parser:
    def __init__(self, text: str, path: str) -> None:
        self.path = path
        self.text = text
        self.lines = text.split("\n")
        self.diagnostics: list[Diagnostic] = []
        self.anchors: set[str] = {""}
        self.repeats: dict[str, int] = {}
        self.repeated = 0
        self.links_left = MAX_LINKS  # -1 once the limit has been reported

    def note(self, index: int, severity: Severity, message: str) -> None:
        self.diagnostics.append(Diagnostic(self.path, index + 1, severity, message))

    def raw(self, start: int, stop: int) -> str:
        """Lines [start, stop) joined exactly as in the source, newline after each but the last."""
        if start >= stop:
            return ""
        chunk = "\n".join(self.lines[start:stop])
        return chunk + "\n" if stop < len(self.lines) else chunk

    def anchor_for(self, heading: str, index: int) -> str:
        base = slugify(heading) or "section"
        # Remember the last suffix per base, so 10,000 equal headings stay linear.
        anchor, n = base, self.repeats.get(base, 1)
        if anchor in self.anchors:
            while anchor in self.anchors:
                n += 1
                anchor = f"{base}-{n}"
            self.repeats[base] = n
        if n > 1:
            self.repeated += 1
            if self.repeated <= MAX_REPEAT_NOTES:
                self.note(index, "warning", f"repeated heading {heading!r}: anchor is #{anchor}")
        self.anchors.add(anchor)
        return anchor

    def links_in(self, start: int, stop: int, see_also: bool) -> list[Link]:
        chunk = "\n".join(self.lines[start:stop])
        code: set[int] = set()
        if FENCE in chunk:
            for first, end, closed in code_blocks(self.lines, start, stop):
                code.update(range(first, end))
                if not closed:
                    self.note(first, "warning", "code block not closed: it ends with the section")
        if not see_also and "[[" not in chunk:
            return []  # one C-speed test instead of a scan per line
        links: list[Link] = []
        for index in range(start, stop):
            if index in code:
                continue  # code is text: `[[` there is not a link
            line = self.lines[index]
            bullet = see_also and line[:2] in ("- ", "* ")
            if not bullet and "[[" not in line:
                continue
            if self.links_left < 0:
                break  # past the limit, which has been reported
            if self.links_left == 0:
                if bullet or scan_links(line, 1)[0]:  # a link, not just brackets
                    self.over_links(index)
                    break
                continue
            kind: LinkKind = "see_also" if bullet else "inline"
            spans, unclosed = scan_links(line, self.links_left)
            if len(spans) == self.links_left and scan_links(line[spans[-1].end :], 1)[0]:
                self.over_links(index)  # the limit is reached within this line
            if unclosed is not None:
                self.note(index, "warning", "unclosed [[ link")
            if bullet and not spans and "[[" not in line:
                body = line[2:]
                target = body.strip()
                if target:
                    address, _, fragment = target.partition("#")
                    column = 2 + len(body) - len(body.lstrip())
                    links.append(
                        Link(
                            address.strip(), fragment.strip(), target, "see_also", index + 1, column
                        )
                    )
                    self.links_left -= 1
                continue
            for span in spans:
                links.append(
                    Link(span.target, span.fragment, span.label, kind, index + 1, span.start)
                )
            if self.links_left >= 0:
                self.links_left -= len(spans)
        return links

    def over_links(self, index: int) -> None:
        self.note(index, "warning", f"more than {MAX_LINKS:,} links: later ones not listed")
        self.links_left = -1

    def body_text(self, start: int, stop: int) -> str:
        while start < stop and not self.lines[start].strip():
            start += 1
        while stop > start and not self.lines[stop - 1].strip():
            stop -= 1
        return "\n".join(self.lines[start:stop])

    def headings(self) -> list[_Heading]:
        found: list[_Heading] = []
        # Only lines that start with "=" and hold something else can be headings: the regular
        # expression skips the rest at C speed, and their line numbers are counted on the way.
        index, counted = 0, 0
        for match in _HEADING_START.finditer(self.text):
            index += self.text.count("\n", counted, match.start())
            counted = match.start()
            parsed = _heading(self.lines[index])
            if parsed is None:
                continue
            level, text, balanced = parsed
            has_title = bool(found) and found[0].level == 1  # parse() takes it as the title
            if len(found) - has_title == MAX_SECTIONS:
                self.note(
                    index,
                    "warning",
                    f"more than {MAX_SECTIONS:,} headings: from here on, heading lines are "
                    "read as text of the section above",
                )
                break
            found.append(_Heading(index, level, text, balanced))
            if not balanced:
                self.note(index, "warning", "unbalanced '=' around the heading")
            if not text:
                self.note(index, "warning", "empty heading")
        return found

    def parse(self) -> Article:
        headings = self.headings()
        end = len(self.lines)
        title_heading = headings[0] if headings and headings[0].level == 1 else None
        if title_heading is not None:
            headings = headings[1:]
            title = title_heading.text
            title_index = title_heading.index
            if not title:
                self.note(title_index, "warning", "empty title")
            if any(line.strip() for line in self.lines[:title_index]):
                self.note(0, "warning", "text before the title line")
            prologue = self.raw(0, title_index)
            lead_start = title_index + 1
            title_line = self.raw(title_index, title_index + 1)
        else:
            title = ""
            title_index = 0
            prologue, title_line, lead_start = "", "", 0
            self.note(0, "warning", "no '= Title =' line; the title is taken from the file name")
        if not title:
            title = PurePath(self.path).stem if self.path != "<text>" else ""
        lead_stop = headings[0].index if headings else end

        # Title repeat, then the infobox, then the lead's paragraphs.
        cursor = lead_start
        while cursor < lead_stop and not self.lines[cursor].strip():
            cursor += 1
        if cursor < lead_stop and title and self.lines[cursor].strip() == title:
            cursor += 1
        while cursor < lead_stop and not self.lines[cursor].strip():
            cursor += 1
        infobox: list[tuple[str, str]] = []
        aliases: list[str] = []
        while cursor < lead_stop:
            pair = _infobox_pair(self.lines[cursor])
            if pair is None:
                break
            if len(infobox) == MAX_INFOBOX:
                self.note(
                    cursor, "warning", f"more than {MAX_INFOBOX:,} infobox lines: the rest is text"
                )
                break
            infobox.append(pair)
            if pair[0].lower() in ALIAS_KEYS:
                aliases.extend(a.strip() for a in pair[1].split(";") if a.strip())
            cursor += 1
        lead = Section(
            heading="",
            level=1,
            anchor="",
            text=self.body_text(cursor, lead_stop),
            line=title_index + 1,
            links=tuple(self.links_in(cursor, lead_stop, see_also=False)),
            raw_heading=title_line,
            raw_body=self.raw(lead_start, lead_stop),
        )
        sections, see_also = self.sections(headings, end)
        if self.repeated > MAX_REPEAT_NOTES:
            self.note(
                0,
                "warning",
                f"{self.repeated - MAX_REPEAT_NOTES} more repeated headings not listed",
            )
        return Article(
            title=title,
            path=self.path,
            lead=lead,
            sections=sections,
            infobox=tuple(infobox),
            aliases=tuple(aliases),
            see_also=tuple(see_also),
            prologue=prologue,
            diagnostics=tuple(self.diagnostics),
        )

    def sections(
        self, headings: list[_Heading], end: int
    ) -> tuple[tuple[Section, ...], list[Link]]:
        # Build flat, then nest: a section belongs under the nearest earlier one of lower level.
        flat: list[tuple[int, Section]] = []
        see_also: list[Link] = []
        previous_level = 1
        last_line = len(self.lines) - 1
        for number, heading in enumerate(headings):
            stop = headings[number + 1].index if number + 1 < len(headings) else end
            if heading.level == 1:
                self.note(heading.index, "warning", "a second level-1 heading; read as a section")
            elif heading.level > previous_level + 1:
                self.note(
                    heading.index,
                    "warning",
                    f"heading level jumps from {previous_level} to {heading.level}",
                )
            previous_level = heading.level
            anchor = self.anchor_for(heading.text, heading.index)
            is_see_also = slugify(heading.text) == SEE_ALSO_ANCHOR
            first = heading.index + 1
            empty = stop == first  # a heading right before the next: the common bulk case
            links = [] if empty else self.links_in(first, stop, see_also=is_see_also)
            if is_see_also:
                see_also.extend(link for link in links if link.kind == "see_also")
            line = self.lines[heading.index]
            flat.append(
                (
                    heading.level,
                    Section(
                        heading=heading.text,
                        level=heading.level,
                        anchor=anchor,
                        text="" if empty else self.body_text(first, stop),
                        line=first,
                        links=tuple(links),
                        raw_heading=line + "\n" if heading.index < last_line else line,
                        raw_body="" if empty else self.raw(first, stop),
                    ),
                )
            )
        return _nest(flat), see_also


def _nest(flat: list[tuple[int, Section]]) -> tuple[Section, ...]:
    """Turn (level, section) pairs in document order into a tree."""
    result: list[Section] = []
    index, count = 0, len(flat)
    while index < count:
        level, section = flat[index]
        stop = index + 1
        while stop < count and flat[stop][0] > level:
            stop += 1
        if stop == index + 1:
            result.append(section)  # no subsections: the common case, no recursion
        else:
            result.append(_with_children(section, _nest(flat[index + 1 : stop])))
        index = stop
    return tuple(result)


def _with_children(section: Section, children: tuple[Section, ...]) -> Section:
    return replace(section, children=children) if children else section


def _infobox_pair(line: str) -> tuple[str, str] | None:
    if not line.startswith("- "):
        return None
    key, colon, value = line[2:].partition(":")
    key = key.strip()
    if not colon or not key or len(key) > MAX_INFOBOX_KEY or "[[" in key:
        return None
    return key, value.strip()


def parse(text: str, path: str = "<text>") -> Article:
    """Parse article text; never raises. Oddities become `article.diagnostics`."""
    return _Parser(normalize_newlines(text), path).parse()


def render(article: Article) -> str:
    """The article's source, exactly (after BOM removal and CRLF to LF)."""
    parts = [article.prologue, article.lead.raw_heading, article.lead.raw_body]
    for section in article.walk():
        if section is not article.lead:
            parts.append(section.raw_heading)
            parts.append(section.raw_body)
    return "".join(parts)
