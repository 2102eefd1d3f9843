"""Command palette providers: jump to any article by title."""

from __future__ import annotations

from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider

from termpedia.content.sanitize import visible

MAX_SCORED = 300
"""Candidates fuzzy-scored per keystroke; the index narrows the titles to these first."""


class ArticleTitles(Provider):
    """`Title` -> open that article. Candidates come from the index, so 100k titles stay fast."""

    async def discover(self) -> Hits:
        screen = self.screen
        index = getattr(screen, "index", None)
        if index is None:
            return
        for entry in index.complete("", 20):
            yield DiscoveryHit(
                visible(entry.title), partial(self._open, entry.title), help="Open article"
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
                    score = 2.0
                yield Hit(
                    score,
                    matcher.highlight(visible(title)),
                    partial(self._open, title),
                    help="Open article",
                )

    def _open(self, title: str) -> None:
        open_address = getattr(self.screen, "open_address", None)
        if open_address is not None:
            open_address(title)
