"""The sections of a rendered page: a See also list of links, and back matter left empty."""

from __future__ import annotations

from ..parse import scan_links, slugify

BACK_MATTER = {
    "references", "external-links", "notes", "further-reading", "bibliography", "sources",
    "citations", "footnotes", "notes-and-references", "references-and-notes",
    "notes-and-citations", "works-cited", "explanatory-notes", "general-references",
}  # fmt: skip
SEE_ALSO = "see-also"


def see_also_targets(text: str) -> list[str]:
    """The targets of a See also section that is a list of links and nothing else (one link
    a line, maybe with a word or two of punctuation); [] if anything else is there."""
    targets = []
    for line in text.split("\n"):
        if not line.strip():
            continue
        spans = scan_links(line)[0]
        rest = line.lstrip()
        if not rest.startswith("- ") or len(spans) != 1 or not spans[0].target:
            return []
        left = (line[: spans[0].start] + line[spans[0].end :]).replace("-", "").strip(" .,;:")
        if left:
            return []
        span = spans[0]
        targets.append(span.target + (f"#{span.fragment}" if span.fragment else ""))
    return targets


def drop_empty_back_matter(
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
