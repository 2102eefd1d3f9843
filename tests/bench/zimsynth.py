"""Kiwix ZIM archives written with libzim's Creator, for the tests and the benchmarks.

Usage: .venv/bin/python -m tests.bench.zimsynth OUT.zim --articles 100000 [--seed 1]

`write_zim` writes any pages given (HTML articles, redirects, assets); `synthetic_pages`
makes articles of 5 to 8 sections of prose in the shape mwoffliner gives Wikipedia articles
(`<h2>` sections, internal links `<a href="Other_title">`, a lead paragraph), with the word
statistics of tests/bench/synth.py, so that libzim's own full-text and title indexes and
termpedia's see the same text.
"""

from __future__ import annotations

import argparse
import html
import random
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from .synth import _accumulate, vocabulary


@dataclass(frozen=True)
class ZimPage:
    """One entry: an HTML article (`front` for a front article), an asset, or a redirect."""

    path: str
    title: str
    content: str = ""
    mimetype: str = "text/html"
    front: bool = True
    redirect_to: str = ""


@dataclass
class Written:
    path: Path
    articles: int = 0
    sections: int = 0
    seconds: float = 0.0
    titles: list[str] = field(default_factory=list)


def write_zim(
    out: Path,
    pages: Iterable[ZimPage],
    main: str = "",
    language: str = "eng",
    title: str = "Test archive",
    indexing: bool = True,
    cluster_bytes: int = 0,
) -> Path:
    """Write the pages into a new ZIM archive at `out` (with libzim's full-text and title
    indexes when `indexing`), its main entry `main`; `cluster_bytes`: libzim's cluster size
    when not its default."""
    from libzim.writer import Creator, Hint, Item, StringProvider

    class _Item(Item):  # type: ignore[misc]
        def __init__(self, page: ZimPage) -> None:
            super().__init__()
            self.page = page

        def get_path(self) -> str:
            return self.page.path

        def get_title(self) -> str:
            return self.page.title

        def get_mimetype(self) -> str:
            return self.page.mimetype

        def get_contentprovider(self) -> StringProvider:
            return StringProvider(self.page.content)

        def get_hints(self) -> dict[object, bool]:
            return {Hint.FRONT_ARTICLE: self.page.front and self.page.mimetype == "text/html"}

    out.parent.mkdir(parents=True, exist_ok=True)
    out.unlink(missing_ok=True)
    creator = Creator(str(out)).config_verbose(False).config_indexing(indexing, language)
    if cluster_bytes:
        creator.config_clustersize(cluster_bytes)
    with creator as made:
        if main:
            made.set_mainpath(main)
        for page in pages:
            if page.redirect_to:
                made.add_redirection(page.path, page.title, page.redirect_to, {})
            else:
                made.add_item(_Item(page))
        for key, value in (
            ("Title", title),
            ("Language", language),
            ("Creator", "termpedia tests"),
            ("Publisher", "termpedia tests"),
            ("Date", "2026-12-03"),
            ("Description", "Synthetic articles for termpedia's tests"),
            ("Name", "termpedia_test_archive"),
        ):
            made.add_metadata(key, value)
    return out


def article_html(title: str, sections: list[tuple[str, str]], lead: str) -> str:
    """An article as mwoffliner writes one: a lead, then `<h2>` sections."""
    parts = [
        "<!DOCTYPE html><html><head><meta charset='utf-8'>",
        f"<title>{html.escape(title)}</title></head><body>",
        f"<h1>{html.escape(title)}</h1><p>{lead}</p>",
    ]
    for heading, body in sections:
        anchor = heading.replace(" ", "_")
        parts.append(f"<h2 id='{html.escape(anchor)}'>{html.escape(heading)}</h2><p>{body}</p>")
    parts.append("</body></html>")
    return "".join(parts)


def synthetic_pages(articles: int, seed: int = 1) -> Iterator[tuple[ZimPage, int]]:
    """(page, its number of sections) for `articles` articles of 5 to 8 sections."""
    rng = random.Random(seed)
    words, weights = vocabulary()
    cumulative = list(_accumulate(weights))

    def sentence_text(count: int) -> str:
        chosen = rng.choices(words, cum_weights=cumulative, k=count)
        sentences, start = [], 0
        while start < count:
            length = rng.randint(8, 24)
            sentence = " ".join(chosen[start : start + length])
            sentences.append(sentence[:1].upper() + sentence[1:] + ".")
            start += length
        return " ".join(sentences)

    titles = [
        " ".join(w.capitalize() for w in rng.choices(words[:5000], k=rng.randint(1, 3))) + f" {n}"
        for n in range(1, articles + 1)
    ]
    for number, title in enumerate(titles):
        count = rng.randint(5, 8)
        sections = []
        for _ in range(count):
            heading = " ".join(rng.choices(words[:3000], k=rng.randint(1, 3))).capitalize()
            body = html.escape(sentence_text(rng.randint(40, 160)))
            if rng.random() < 0.5:
                other = titles[rng.randrange(len(titles))]
                link = f"<a href='{html.escape(other.replace(' ', '_'))}'>{html.escape(other)}</a>"
                body = f"{body} See {link}."
            sections.append((heading, body))
        lead = html.escape(sentence_text(rng.randint(30, 80)))
        path = title.replace(" ", "_")
        yield ZimPage(path, title, article_html(title, sections, lead)), count + 1
        if number % 50 == 0:  # a redirect now and then, as real archives have many
            yield ZimPage(f"{path}_(redirect)", f"{title} (redirect)", redirect_to=path), 0


def synthetic_zim(out: Path, articles: int, seed: int = 1) -> Written:
    """A synthetic archive of `articles` articles (see `synthetic_pages`)."""
    written = Written(out)
    started = time.perf_counter()

    def pages() -> Iterator[ZimPage]:
        for page, sections in synthetic_pages(articles, seed):
            if sections:
                written.articles += 1
                written.sections += sections
                if len(written.titles) < 5000:
                    written.titles.append(page.title)
            yield page

    first = "Synthetic_main"
    home = ZimPage(first, "Synthetic archive", article_html("Synthetic archive", [], "Home."))
    write_zim(out, [home, *pages()] if articles < 2000 else _chain(home, pages()), main=first)
    written.seconds = time.perf_counter() - started
    return written


def _chain(first: ZimPage, rest: Iterator[ZimPage]) -> Iterator[ZimPage]:
    yield first
    yield from rest


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("out", type=Path)
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    written = synthetic_zim(args.out, args.articles, args.seed)
    print(
        f"{written.articles} articles, {written.sections} sections in {written.seconds:.1f} s: "
        f"{args.out} ({args.out.stat().st_size / 1e6:.1f} MB)"
    )


if __name__ == "__main__":
    main()
