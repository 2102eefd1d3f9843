"""Command palette providers: jump to any article by title."""

from __future__ import annotations

from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content
from textual.fuzzy import Matcher

from termpedia.content.sanitize import visible

MAX_SCORED = 300
EXACT = 1e9
"""The score of an exact title: above any fuzzy score (Textual's run into the hundreds)."""
"""Candidates fuzzy-scored per keystroke; the index narrows the titles to these first."""


def _highlight(matcher: Matcher, title: str) -> Content:
    """The title with the matched letters bold. Not Matcher.highlight: it parses the
    candidate as markup, and titles are data."""
    shown = visible(title)
    content = Content(shown)
    _, offsets = matcher.fuzzy_search.match(matcher.query, shown)
    for offset in offsets:
        content = content.stylize("bold underline", offset, offset + 1)
    return content


class ArticleTitles(Provider):
    """`Title` -> open that article. Candidates come from the index, so 100k titles stay fast."""

    async def discover(self) -> Hits:
        screen = self.screen
        index = getattr(screen, "index", None)
        if index is None:
            return
        for entry in index.complete("", 20):
            yield DiscoveryHit(
                Content(visible(entry.title)), partial(self._open, entry.title), help="Open article"
            )

    async def search(self, query: str) -> Hits:
        screen = self.screen
        index = getattr(screen, "index", None)
        if index is None:
            return
        matcher = self.matcher(query)
        for title in index.title_candidates(query, MAX_SCORED):
            score = matcher.match(title)
            if score > 0:
                # Exact titles go first, whatever the fuzzy score says.
                if title.casefold() == query.strip().casefold():
                    score = EXACT
                yield Hit(
                    score,
                    _highlight(matcher, title),
                    partial(self._open, title),
                    help="Open article",
                )

    def _open(self, title: str) -> None:
        open_address = getattr(self.screen, "open_address", None)
        if open_address is not None:
            open_address(title)
