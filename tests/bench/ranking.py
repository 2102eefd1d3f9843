"""Ranking quality: real link texts as queries, the linked article as the expected answer.

Selection rule (`make_queries`, written to the committed `queries/ranking.tsv` as
`query<TAB>expected title<TAB>source`):

- `zim` (the shared ray-charles.zim): every `<a href="...">text</a>` in an HTML article
  (`A/` namespace, not a redirect) whose href, resolved against the article's path, names an
  entry of the archive; redirects are followed to the final entry, which must be an HTML
  article in `A/`; the expected title is that entry's title (what termpedia's importer uses).
  Links to the linking article itself, fragments (`#cite_note…`), external links (a URL
  scheme, `//`) and asset links are left out. The query is the link's text with whitespace
  normalised.
- `wikibooks` (a Wikibooks-shaped archive in Spanish written by `tests/bench/wikibooks.py`
  with libzim's Creator: books whose parent page lists its subpages `Curso de
  italiano/Lección 3`, prefixed titles `Receta:Café`, `Ayuda:` and `Categoría:` pages): the
  rule of `zim`, in the new namespace scheme (the archive's content entries, paths without
  `A/`).
- `enwiki` (the shared enwiki-sample.xml.bz2): every `[[Target|label]]` in a main-namespace
  article, and every `[[Target]]` (its label is the target as written, which differs from
  the final title when the target is a redirect); the target is normalised as MediaWiki
  does (underscores as spaces, first letter upper case, `#section` dropped) and redirects of
  the dump are followed; the target must be an article of the sample (106 of them).
  Targets with a namespace or interwiki prefix, labels holding markup (`{{`, `<`, `[`,
  `|`) are left out; `''` quote marks are removed.
- All: a pair is kept only when the query differs from the expected title
  (case-insensitively, after normalising spaces) — otherwise the query would be the title;
  queries shorter than 3 characters, with no letter, or a year or decade ("1962",
  "1960s") are dropped; (query, target) pairs are deduplicated case-insensitively; at most
  300 per source are kept, drawn with random.Random(1) from the sorted pairs.

Scoring: termpedia runs `index.search(query, limit=10, library=...)` on an index of the
sources imported with the real importers (plus the bundled articles, filtered out by
`library=`): ray-charles.zim and the MediaWiki sample converted into text files, the
Wikibooks archive read in place as `termpedia import zim` registers it, with its section
index built (`index.archive.build_all`, what `termpedia index` runs); its hits are sections,
so the rank of the expected article is its position among the distinct article titles of
those 10 hits. `kiwix-search ZIM query` (Debian's kiwix-tools, full-text mode, which prints up
to 10 titles) runs on the same ZIM for the `zim` and `wikibooks` queries; it does not apply
to the MediaWiki sample. success@1 = share of queries whose expected title is first; MRR@10
= mean of 1/rank (0 when not in the top 10). Titles are compared case-insensitively after
normalising spaces.

termpedia does not index link texts (the `links` field holds link targets, and is not searched
by plain queries), so no leave-one-out is needed. Should it ever index link texts (anchor text)
as a signal, the score must be leave-one-out: the link a query comes from must not count for
its own target.

Run: `python -m tests.bench.ranking make [--work DIR]` rewrites queries/ranking.tsv (the
sources in the order zim, enwiki, wikibooks, one random.Random(1) drawing for all, so that
a source added after the others leaves their rows as they were; the Wikibooks archive is
written into DIR, default tests/bench/out/work/ranking); `python -m tests.bench` scores it (or
`python -m tests.bench.ranking run --work DIR --out F` with XDG folders set).
"""

from __future__ import annotations

import argparse
import bz2
import json
import os
import posixpath
import random
import re
import shutil
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from dataclasses import asdict
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from .common import BENCH, ENWIKI, ZIM

QUERIES = BENCH / "queries" / "ranking.tsv"
WORK = BENCH / "out" / "work" / "ranking"
"""Where `make` writes the Wikibooks archive (`run` writes it into its --work folder)."""
CAP = 300
SEED = 1
NAMESPACES = {
    "file", "image", "media", "category", "wikipedia", "wp", "template", "help", "portal",
    "special", "talk", "user", "user talk", "wikt", "wiktionary", "s", "wikisource", "q",
    "wikiquote", "b", "wikibooks", "n", "wikinews", "v", "wikiversity", "voy", "wikivoyage",
    "commons", "c", "species", "d", "wikidata", "m", "meta", "mw", "w", "wikipedia talk",
    "draft", "module", "book", "timedtext", "mediawiki", "project",
}  # fmt: skip
YEAR = re.compile(r"\d{2,4}s?")
SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")
WIKILINK = re.compile(r"\[\[([^\[\]|]+)(?:\|([^\[\]]+?))?\]\]")


def norm(text: str) -> str:
    return " ".join(text.split())


def keep(query: str, expected: str) -> bool:
    query = norm(query)
    if len(query) < 3 or not any(c.isalpha() for c in query) or YEAR.fullmatch(query):
        return False
    return query.casefold() != norm(expected).casefold()


# -- the ZIM ---------------------------------------------------------------------------------


class _Anchors(HTMLParser):
    """(href, text) of every <a> element, nested markup flattened."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, str]] = []
        self._href: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            self._href = dict(attrs).get("href") or ""
            self._text = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self._href is not None:
            self.found.append((self._href, "".join(self._text)))
            self._href = None

    def handle_data(self, data: str) -> None:
        if self._href is not None:
            self._text.append(data)


def _final(archive: Any, entry: Any) -> Any:
    for _ in range(16):
        if not entry.is_redirect:
            return entry
        entry = entry.get_redirect_entry()
    return None


def _content_ids(archive: Any) -> range:
    """The ids of the article entries: all in the old scheme (`A/` tells them apart), the
    `C` entries in the new one (first, contiguous; the `M`, `W`, `X` entries follow)."""
    if not archive.has_new_namespace_scheme:
        return range(archive.all_entry_count)
    users = int(archive.entry_count)
    for start in range(archive.all_entry_count - users + 1):
        entry = archive._get_entry_by_id(start)
        path = entry.path
        if archive.has_entry_by_path(path) and archive.get_entry_by_path(path)._index == start:
            return range(start, start + users)
    return range(0)


def _external(href: str) -> bool:
    """A fragment, a protocol-relative or absolute URL (a scheme: `https:`, `mailto:`)."""
    return href.startswith(("#", "//")) or "://" in href or SCHEME.match(href) is not None


def zim_pairs(path: Path = ZIM, source: str = "zim") -> list[tuple[str, str, str]]:
    """(link text, final title, source) of every kept link of the archive's HTML articles."""
    from libzim.reader import Archive

    archive = Archive(str(path))
    prefix = "" if archive.has_new_namespace_scheme else "A/"
    pairs = []
    for number in _content_ids(archive):
        entry = archive._get_entry_by_id(number)
        if not entry.path.startswith(prefix) or entry.is_redirect:
            continue
        item = entry.get_item()
        if not item.mimetype.startswith("text/html"):
            continue
        parser = _Anchors()
        parser.feed(bytes(item.content).decode("utf-8", "replace"))
        for href, text in parser.found:
            if not href or _external(href):
                continue
            target = unquote(href.split("#", 1)[0].split("?", 1)[0])
            if not target:
                continue
            full = posixpath.normpath(posixpath.join(posixpath.dirname(entry.path), target))
            if full.startswith("../") or not full.startswith(prefix):
                continue
            if not archive.has_entry_by_path(full):
                continue
            final = _final(archive, archive.get_entry_by_path(full))
            if final is None or not final.path.startswith(prefix):
                continue
            if not final.get_item().mimetype.startswith("text/html"):
                continue
            title = norm(final.title)
            if title == norm(entry.title) or not keep(text, title):
                continue
            pairs.append((norm(text), title, source))
    return pairs


def wikibooks_pairs(work: Path) -> list[tuple[str, str, str]]:
    from .wikibooks import write

    return zim_pairs(write(work), "wikibooks")


# -- the MediaWiki sample -----------------------------------------------------------------------


def _wiki_title(text: str) -> str:
    title = norm(text.replace("_", " "))
    return title[:1].upper() + title[1:]


def enwiki_pairs(path: Path = ENWIKI) -> list[tuple[str, str, str]]:
    articles: dict[str, str] = {}
    redirects: dict[str, str] = {}
    with bz2.open(path, "rb") as handle:
        for _, element in ET.iterparse(handle):
            if element.tag.rsplit("}", 1)[-1] != "page":
                continue
            fields = {child.tag.rsplit("}", 1)[-1]: child for child in element}
            title = fields["title"].text or ""
            if (fields["ns"].text or "") == "0":
                redirect = fields.get("redirect")
                if redirect is not None:
                    redirects[title] = _wiki_title(redirect.get("title", ""))
                else:
                    revision = fields["revision"]
                    text = next(
                        (c.text or "" for c in revision if c.tag.rsplit("}", 1)[-1] == "text"), ""
                    )
                    articles[title] = text
            element.clear()
    pairs = []
    for source, text in articles.items():
        for target, label in WIKILINK.findall(text):
            target = target.strip()
            label = label or target  # [[Target]] shows its target: a redirect's name
            if target.startswith((":", "#")):
                continue
            prefix, colon, _ = target.partition(":")
            if colon and prefix.strip().lower() in NAMESPACES | {"en", "fr", "de", "es"}:
                continue
            title = _wiki_title(target.split("#", 1)[0])
            for _ in range(5):
                if title in articles or title not in redirects:
                    break
                title = redirects[title]
            if title not in articles or title == source:
                continue
            if any(mark in label for mark in ("{{", "<", "[", "|", "=")):
                continue
            label = norm(label.replace("'''", "").replace("''", ""))
            if keep(label, title):
                pairs.append((label, title, "enwiki"))
    return pairs


def select(
    pairs: list[tuple[str, str, str]], rng: random.Random, cap: int = CAP
) -> tuple[int, list[tuple[str, str, str]]]:
    """How many pairs are left once deduplicated (case-insensitively), and at most `cap` of
    them drawn with `rng`."""
    found = unique_pairs(pairs)
    return len(found), sorted(rng.sample(found, min(cap, len(found))))


def unique_pairs(pairs: list[tuple[str, str, str]]) -> list[tuple[str, str, str]]:
    unique: dict[tuple[str, str], tuple[str, str, str]] = {}
    for query, title, name in sorted(pairs):
        unique.setdefault((query.casefold(), title), (query, title, name))
    return sorted(unique.values())


def make_queries(
    out: Path = QUERIES, cap: int = CAP, seed: int = SEED, work: Path = WORK
) -> dict[str, int]:
    """Write the query file; returns how many pairs each source had and kept."""
    rng = random.Random(seed)
    lines = []
    counts = {}
    for source, pairs in (
        ("zim", zim_pairs()),
        ("enwiki", enwiki_pairs()),
        ("wikibooks", wikibooks_pairs(work)),
    ):
        found, chosen = select(pairs, rng, cap)
        counts[f"{source}_pairs"] = found
        counts[f"{source}_kept"] = len(chosen)
        lines += ["\t".join(row) for row in chosen]
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return counts


def read_queries(path: Path = QUERIES) -> list[tuple[str, str, str]]:
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            query, expected, source = line.split("\t")
            rows.append((query, expected, source))
    return rows


# -- scoring ---------------------------------------------------------------------------------


def rank_of(expected: str, titles: list[str]) -> int:
    """1-based position of `expected` among the distinct titles (0: not in the top 10)."""
    wanted = norm(expected).casefold()
    distinct = list(dict.fromkeys(norm(t).casefold() for t in titles))[:10]
    return distinct.index(wanted) + 1 if wanted in distinct else 0


def score(ranks: list[int], seconds: list[float]) -> dict[str, Any]:
    from .common import summary

    n = max(len(ranks), 1)
    return {
        "queries": len(ranks),
        "success_at_1": round(sum(r == 1 for r in ranks) / n, 3),
        "mrr_at_10": round(sum(1 / r for r in ranks if r) / n, 3),
        "in_top_10": round(sum(r > 0 for r in ranks) / n, 3),
        "latency": summary(seconds),
    }


def kiwix(zim: Path, query: str) -> list[str]:
    done = subprocess.run(
        ["kiwix-search", str(zim), query], capture_output=True, text=True, timeout=30
    )
    return [line.strip() for line in done.stdout.splitlines() if line.strip()]


def _scored(
    queries: list[tuple[str, str]], titles_of: Any
) -> tuple[list[int], list[float], list[str]]:
    """Ranks, seconds and the first 15 misses ("query: wanted, rank, got") of a system whose
    `titles_of(query)` gives its ranked titles."""
    ranks, seconds, misses = [], [], []
    for query, expected in queries:
        started = time.perf_counter()
        titles = titles_of(query)
        seconds.append(time.perf_counter() - started)
        rank = rank_of(expected, titles)
        ranks.append(rank)
        if rank != 1 and len(misses) < 15:
            top = titles[0] if titles else "(no hits)"
            misses.append(f"{query!r}: wanted {expected!r}, rank {rank or '>10'}, got {top!r}")
    return ranks, seconds, misses


def _check_wikibooks(rows: list[tuple[str, str, str]], work: Path) -> None:
    """The committed wikibooks rows must be what the archive's links give now: all of them
    (when there are at most CAP), or some of them."""
    found = unique_pairs(wikibooks_pairs(work))
    committed = sorted(row for row in rows if row[2] == "wikibooks")
    matches = committed == found if len(found) <= CAP else set(committed) <= set(found)
    if not matches:
        raise RuntimeError(
            f"{QUERIES.name}: the wikibooks rows do not match tests/bench/wikibooks.py "
            "(rewrite them: python -m tests.bench.ranking make)"
        )


def run(work: Path, seed: int = SEED) -> dict[str, Any]:
    """Import the sources into this process's XDG folders, index, and score."""
    from termpedia.content.archive import register
    from termpedia.content.importers import converter
    from termpedia.content.importers.store import import_library
    from termpedia.content.library import default_shelves, library_name
    from termpedia.content.paths import index_dir, libraries_dir
    from termpedia.index.archive import build_all
    from termpedia.index.build import update
    from termpedia.index.search import Index

    from .wikibooks import describe, write

    if not QUERIES.exists():
        make_queries(QUERIES, CAP, seed, work)
    rows = read_queries()
    _check_wikibooks(rows, work)
    wikibooks_zim = write(work)
    registration, _ = register(
        wikibooks_zim, libraries_dir() / library_name(wikibooks_zim.name.split(".")[0])
    )
    libraries = {
        "zim": (import_library(converter("zim"), ZIM).name, ZIM),
        "enwiki": (import_library(converter("mediawiki"), ENWIKI).name, None),
        "wikibooks": (registration.name, wikibooks_zim),
    }
    update(index_dir(), default_shelves())
    covered = build_all(index_dir(), default_shelves())  # what `termpedia index` runs
    index = Index(index_dir())
    rule = "\n\n".join(__doc__.split("\n\n")[1:3]).strip()  # the heading and its list
    result: dict[str, Any] = {"rule": rule, "sources": {}}
    have_kiwix = shutil.which("kiwix-search") is not None
    for source, (library, zim) in libraries.items():
        queries = [(q, e) for q, e, s in rows if s == source]
        systems: dict[str, Any] = {}

        def termpedia_titles(query: str, library: str = library) -> list[str]:
            return [hit.title for hit in index.search(query, limit=10, library=library).hits]

        ranks, seconds, misses = _scored(queries, termpedia_titles)
        systems["termpedia"] = {**score(ranks, seconds), "misses": misses}
        if zim is not None:
            if not have_kiwix:
                systems["kiwix-search"] = {
                    "skipped": "kiwix-search not installed (apt-get install -y kiwix-tools)"
                }
            else:
                ranks, seconds, misses = _scored(queries, lambda q, zim=zim: kiwix(zim, q))
                systems["kiwix-search"] = {
                    **score(ranks, seconds),
                    "misses": misses,
                    "note": "latency includes starting the kiwix-search process",
                }
        entry: dict[str, Any] = {"library": library, "systems": systems}
        if source == "wikibooks":
            entry["archive"] = {
                "file": wikibooks_zim.name,
                "language": "es",
                "mode": "in place (`termpedia import zim`), section index built",
                **describe(),
                "coverage": [c if isinstance(c, str) else asdict(c) for c in covered],
            }
        result["sources"][source] = entry
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description="ranking quality (see the module docstring)")
    parser.add_argument("what", choices=("make", "run"))
    parser.add_argument("--work", type=Path)
    parser.add_argument("--out", type=Path)
    parser.add_argument("--seed", type=int, default=SEED)
    args = parser.parse_args()
    if args.what == "make":
        print(json.dumps(make_queries(QUERIES, CAP, args.seed, args.work or WORK)))
        return
    if "XDG_CACHE_HOME" not in os.environ:
        raise SystemExit("run through `python -m tests.bench` (it sets the XDG folders)")
    result = run(args.work or WORK, args.seed)
    text = json.dumps(result, indent=1, ensure_ascii=False)
    if args.out:
        args.out.write_text(text)
    else:
        sys.stdout.write(text)


if __name__ == "__main__":
    main()
