"""A page's wikitext as mwparserfromhell's tree, pruned of what the rendering drops anyway."""

from __future__ import annotations

from collections import Counter
from typing import cast

import mwparserfromhell
from mwparserfromhell.parser import Parser
from mwparserfromhell.parser import tokens as wikitokens
from mwparserfromhell.parser.builder import Builder
from mwparserfromhell.wikicode import Wikicode

from .templates import dropped, normal_name

DROPPED_TAGS = {
    "ref", "references", "gallery", "imagemap", "timeline", "score", "graph", "templatedata",
    "mapframe", "maplink", "indicator", "categorytree", "inputbox", "charinsert", "noinclude",
    "section", "templatestyles", "hiero",
}  # fmt: skip


def parse_wikitext(text: str, seen: Counter[str] | None = None) -> Wikicode:
    """mwparserfromhell's tree of the text, without the parts the rendering drops anyway;
    with `seen`, every template use of the text is counted there by name.

    Bold and italic quote marks are left as text (`skip_style_tags`) and removed by `tidy`:
    an unbalanced quote run then cannot make the tokenizer give up on the rest of a link.

    mwparserfromhell tokenizes in C but builds its tree in Python, and building is most of
    the time; references, comments and citation templates are about half the tokens of an
    article. So the token stream is pruned of those balanced runs before the tree is built
    (same tree otherwise). Should the token API ever differ, the plain `parse` is used.
    """
    try:
        stream = Parser()._tokenizer.tokenize(text, 0, True)  # type: ignore[no-untyped-call]
        if seen is not None:
            count_templates(stream, seen)
        pruned = _prune(stream)
    except Exception:  # noqa: BLE001 - a token API that changed: the slow way is still right
        code = mwparserfromhell.parse(text, skip_style_tags=True)
        if seen is not None:
            seen.update(normal_name(t.name.strip_code()) for t in code.filter_templates())
        return code
    return cast(Wikicode, Builder().build(pruned))  # type: ignore[no-untyped-call]


def count_templates(stream: list[object], seen: Counter[str]) -> None:
    """Count each template use of a token stream by its name (the text its name starts with)."""
    t = wikitokens
    for index, token in enumerate(stream[:-1]):
        if type(token) is t.TemplateOpen:
            name = stream[index + 1]
            if type(name) is t.Text:
                seen[normal_name(name.text)] += 1  # type: ignore[attr-defined]


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
                and dropped(normal_name(name.text))  # type: ignore[attr-defined]
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
