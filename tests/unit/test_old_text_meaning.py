"""No old text changes meaning: every bundled and fixture article parses as it did before
tables, numbered lists, definitions, quotes and code blocks were added to the format.

`data/parse_before_issue16.json` was recorded with the parser and display text of before
(commit c9053e1): per file its title, infobox and plain text, and per section its text, links
and display text (hashes) and display links. The only intended difference is that the lines
those articles hold are now also read into blocks: a test below lists which kinds they are.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from pathlib import Path

import pytest
from conftest import ARTICLES, FIXTURES, ROOT

from termpedia.content.blocks import read_blocks
from termpedia.content.display import plain_text, section_display
from termpedia.content.parse import parse

RECORDED = json.loads(
    (Path(__file__).parent / "data" / "parse_before_issue16.json").read_text(encoding="utf-8")
)
FILES = sorted(ARTICLES.glob("*.txt")) + sorted((FIXTURES / "corpus").glob("*.txt"))


def digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def test_every_recorded_file_is_still_here() -> None:
    assert sorted(RECORDED) == sorted(str(path.relative_to(ROOT)) for path in FILES)


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_parse_and_display_are_as_before(path: Path) -> None:
    before = RECORDED[str(path.relative_to(ROOT))]
    article = parse(path.read_text(encoding="utf-8"), path.name)
    assert article.title == before["title"]
    assert [list(pair) for pair in article.infobox] == before["infobox"]
    assert digest(plain_text(article)) == before["plain"]
    now = []
    for section in article.walk():
        shown = section_display(section)
        now.append(
            {
                "anchor": section.anchor,
                "text": digest(section.text),
                "links": [
                    [ln.target, ln.fragment, ln.label, ln.kind, ln.line, ln.column]
                    for ln in section.links
                ],
                "display": digest(shown.text),
                "display_links": [
                    [ln.start, ln.end, ln.target, ln.fragment, ln.kind] for ln in shown.links
                ],
            }
        )
    assert now == before["sections"]


def test_the_only_blocks_in_old_articles_are_paragraphs_and_bullets() -> None:
    """The intended difference: bullet lines are now list items (depth 1, as written);
    nothing in the old articles reads as a table, a numbered item, a definition, a quote or
    code."""
    kinds: Counter[tuple[str, str | None, int]] = Counter()
    for path in FILES:
        for section in parse(path.read_text(encoding="utf-8"), path.name).walk():
            for block in read_blocks(section.text.split("\n")):
                kinds[block.kind, block.list_kind, block.depth] += 1
    assert set(kinds) == {("paragraph", None, 0), ("item", "bullet", 1)}
