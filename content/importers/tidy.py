"""Rendered wikitext cleaned line by line: quote marks, spaces, leftovers, and markup guards."""

from __future__ import annotations

import re

from .base import MARKUP_STARTS, TEXT_GUARD

ITEM = "\ue002"
"""Starts a list line the renderer wrote (`ITEM + "  - " + ITEM_END + text`): its marker and
indentation are kept; any other line that looks like markup is guarded as text."""
ITEM_END = "\ue003"
LITERAL = "\ue004"
"""Put between the quotes of `''` in `<nowiki>` and code, so that they stay."""
BLOCK, BLOCK_END = "\ue000", "\ue001"
"""Around the number of a block (a table, code, a quote) kept out of the clean-up."""
PRIVATE = re.compile("[\ue000-\ue004]")

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
EMPTY_PARENTHESES = re.compile(r"(?:^|\s+)\(\s*\)")
"""`( )` after a space: what a dropped template leaves (`main()` in code is kept)."""
RESIDUE = set(" -–—.,;:()[]|/·•*")
"""A body line of nothing but these is what a dropped citation or template left."""


def tidy(text: str, body: bool = False) -> str:
    """Trivial clean-up of rendered text, line by line: quote marks, spaces, blank lines.

    In `body` text, a line of only punctuation ("- ." where a citation was) goes, and a line
    of text that would read as markup (`|`, `>`, `;`, `:`, three backticks, `=`) is guarded
    with a figure space; list lines the renderer wrote keep their marker.
    """
    lines: list[str] = []
    for line in text.split("\n"):
        marker = ""
        if line.startswith(ITEM):
            marker, _, line = line[1:].partition(ITEM_END)
            if not body:
                marker = "- " if marker.strip() else ""
        stripped = _clean(line)
        if not stripped or stripped == "-" or (body and set(stripped) <= RESIDUE):
            if lines and lines[-1]:
                lines.append("")
            continue
        if marker:
            lines.append(marker + stripped)
            continue
        indent = ""
        if stripped.startswith("- ") and line.startswith(" "):
            indent = line[: len(line) - len(line.lstrip(" "))]
        if body and stripped.startswith(("=", *MARKUP_STARTS)):
            stripped = TEXT_GUARD + stripped  # text, never a heading, a table or a quote
        elif stripped.startswith("="):
            stripped = TEXT_GUARD + stripped
        lines.append(indent + stripped)
    while lines and not lines[-1]:
        lines.pop()
    return "\n".join(lines).replace(LITERAL, "")


def _clean(line: str) -> str:
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
    return stripped


def literal(text: str) -> str:
    """Text whose quote marks `tidy` must keep (from `<nowiki>` or `<math>`)."""
    return text.replace("''", "'" + LITERAL + "'")
