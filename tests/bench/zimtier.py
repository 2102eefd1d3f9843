"""The `zim100k` tier: a synthetic Kiwix ZIM archive read in place, beside kiwix's engine.

`python -m tests.bench --tiers zim100k` runs it once per size of `--zim-articles` (default
`10000,100000`), smallest first, each size in its own process and XDG folders
(`WORK/tiers/zim100k/aN/xdg`, emptied at the start of the run). The largest size gives the
tier's table; with two sizes or more, the 1,000,000-article figures are extrapolated from
the growth between the two largest (a power law through them) unless 1,000,000 was run:

    .venv/bin/python -m tests.bench --tiers zim100k --zim-articles 10000,100000,1000000

(about 3.3 GB of ZIM, 5 GB of text files and 2 x 17 GB of indexes under WORK, and hours).

The archive is written once per size and seed with `zimsynth.synthetic_zim` (libzim's
Creator with its full-text and title indexes; 5 to 8 sections an article) into
`WORK/zim/synthN-sS.zim` and reused (marker `.complete-N-S.json` beside it); the same
articles as termpedia text files (`base.compose` of the converter's page, as
`ZimArchive.read` converts them) go to `WORK/zim/textN-sS/`, also reused.

Figures, in the order they are measured (each beside its baseline, in one process):

1. `archive`: the ZIM's size and the sizes of its `fulltext/xapian` and `title/xapian`
   entries (found by entry id among the last entries).
2. `register`: `termpedia import zim FILE` as a subprocess in fresh XDG folders (3 runs), wall
   time and the bytes it adds to the data and cache folders (nothing is indexed yet); a
   re-import (nothing to do); `describe()` in-process.
3. `titles`: every prefix (1..n characters, lower case) of 100 titles picked at random:
   `ZimArchive.suggest(prefix, 10)` on the title table (after `build_titles()`, whose time
   and size are given), beside libzim's `SuggestionSearcher(archive).suggest(prefix)
   .getResults(0, 10)` in-process (one searcher, as kiwix-serve keeps one); before the table,
   `suggest` itself (libzim's suggestions and their titles) is timed once too.
4. `first_screen`: 30 articles, not read before, opened in the app under Pilot (100x30)
   until the next refresh is drawn: `screen.open_address(title)` when the app can open an
   archive's article that way, else `read_article(zim:LIB:PATH)` + `screen.show(Found(...))`
   (the figure says which); the conversion alone and the layout alone beside it.
5. `provisional`: before any section indexing, `Index.search(q, limit=20)` (the bundled
   library's index plus libzim's full-text hits mapped to their sections) for 50 queries of
   1-3 words (20 frequent words, 15 word pairs, 15 title phrases from 300 articles read from
   the archive), beside libzim's `Searcher` alone (`getResults(0, 20)`) on the same queries.
8. `app_rss_while_indexing`: the real app (`termpedia` in tmux, TEXTUAL_ANIMATIONS=none) and
   `termpedia index` started beside it: the app's VmRSS sampled every 100 ms (and its VmHWM)
   while the indexer runs (at most `--rss-seconds`, default 120 s; then the indexer is killed
   and the archive's section index removed), a search typed in the app every few seconds.
6. `build`: `index.archive.build` from the archive in a subprocess, from zero: sections/s, peak
   memory (VmHWM of the process and its spawned workers, summed; the largest sampled sum of
   their VmRSS beside it, sampled every 100 ms); and a full build (`update(rebuild=True)`,
   `tests.bench.launch build`) of the same articles as text files, in the same run.
7. `index_size`: the archive's section index folder beside the `fulltext/xapian` entry, with
   a breakdown over every part's Whoosh segments (the files inside each compound `.seg`):
   postings with positions (`.pst`), term dictionary (`.trm`), stored fields (`_stored.col`;
   the UTF-8 bytes of the stored display text given beside it), field lengths (`*_len.col`),
   other columns, and the files beside the segments (TOC, word counts, checkpoints).
9. `as_you_type` / `full_queries` / `kiwix_search`: once indexed, `Index.instant` on every
   prefix of 100 queries and `Index.search` on words, phrases and field queries
   (tests/bench/queries.py lists, from the index's stored sections), beside libzim's
   `SuggestionSearcher` on the same keystrokes and libzim's `Searcher` on the same queries
   (field prefixes dropped: libzim has no fields); then 30 of the full queries through the
   `kiwix-search FILE QUERY` command and the `termpedia search QUERY` command, wall time each.

Run one size by hand: `python -m tests.bench.zimtier run --articles 2000 --work DIR --out F`
with the XDG folders set (the parent does it).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import time
from pathlib import Path
from typing import Any

from .common import ROOT, guarded

ZIM_TIERS = ("zim100k",)
DEFAULT_ARTICLES = "10000,100000"
ONE_MILLION = 1_000_000
XDG_NAMES = ("data", "config", "state", "cache")


def sizes_of(text: str) -> list[int]:
    """`10000,100000` -> [10000, 100000] (sorted, unique)."""
    return sorted({int(part.replace("_", "")) for part in text.split(",") if part.strip()})


def timeout_for(articles: int, floor: float) -> float:
    """Seconds a size may take: the ZIM, two builds and the queries grow with it."""
    return max(floor, 1800 + 0.08 * articles)


# -- the archive and its text files ----------------------------------------------------------


def zim_path(work: Path, articles: int, seed: int) -> Path:
    return work / "zim" / f"synth{articles}-s{seed}.zim"


def make_zim(work: Path, articles: int, seed: int) -> dict[str, Any]:
    """The synthetic archive of `articles` articles, written once and reused."""
    from .zimsynth import synthetic_zim

    path = zim_path(work, articles, seed)
    marker = path.with_name(f".complete-{articles}-{seed}.json")
    if path.exists() and marker.exists():
        info: dict[str, Any] = json.loads(marker.read_text())
        info["reused"] = True
    else:
        path.unlink(missing_ok=True)
        marker.unlink(missing_ok=True)
        print(f"  writing a {articles:,}-article ZIM (libzim's Creator) …", file=sys.stderr)
        written = synthetic_zim(path, articles, seed)
        info = {
            "articles": written.articles,
            "sections": written.sections,
            "seconds": round(written.seconds, 1),
        }
        marker.write_text(json.dumps(info))
        info["reused"] = False
    info.update(entry_sizes(path))
    info["path"] = str(path)
    info["bytes"] = path.stat().st_size
    return info


def entry_sizes(path: Path) -> dict[str, Any]:
    """The sizes of the archive's own indexes (X namespace: python-libzim has no public way
    to them; they are among the last entries, found by id)."""
    from libzim.reader import Archive

    archive = Archive(str(path))
    found: dict[str, Any] = {
        "all_entries": int(archive.all_entry_count),
        "article_count": int(archive.article_count),
        "has_fulltext_index": bool(archive.has_fulltext_index),
        "has_title_index": bool(archive.has_title_index),
    }
    wanted = {"fulltext/xapian": "fulltext_xapian_bytes", "title/xapian": "title_xapian_bytes"}
    count = int(archive.all_entry_count)
    for index in range(count - 1, max(count - 256, -1), -1):
        entry = archive._get_entry_by_id(index)
        key = wanted.get(str(entry.path))
        if key and not entry.is_redirect:
            found[key] = int(entry.get_item().size)
    return found


def text_folder(work: Path, articles: int, seed: int) -> Path:
    return work / "zim" / f"text{articles}-s{seed}"


def write_text(work: Path, articles: int, seed: int, ids: list[int]) -> dict[str, Any]:
    """The archive's articles as termpedia text files (written once, by two processes)."""
    import multiprocessing

    folder = text_folder(work, articles, seed)
    marker = folder / f".complete-{len(ids)}-{converter_digest()}"
    if marker.exists():
        data: dict[str, Any] = json.loads(marker.read_text())
        return {**data, "folder": str(folder), "reused": True}
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    started = time.perf_counter()
    source = str(zim_path(work, articles, seed))
    jobs = [(source, ids[part::2], str(folder)) for part in range(2)]
    with multiprocessing.get_context("spawn").Pool(2) as pool:
        counts = pool.map(_write_part, jobs)
    data = {
        "files": sum(c[0] for c in counts),
        "bytes": sum(c[1] for c in counts),
        "seconds": round(time.perf_counter() - started, 1),
    }
    marker.write_text(json.dumps(data))
    return {**data, "folder": str(folder), "reused": False}


def converter_digest() -> str:
    """A digest of the converter's source: text files written by another version of it are
    written again."""
    import hashlib

    from termpedia.content.importers import base, zim

    digest = hashlib.blake2b(digest_size=6)
    for module in (base, zim):
        digest.update(Path(str(module.__file__)).read_bytes())
    return digest.hexdigest()


def _write_part(job: tuple[str, list[int], str]) -> tuple[int, int]:
    """Write these entries as text files, converted as `ZimArchive.read` converts them."""
    from libzim.reader import Archive

    from termpedia.content.importers.base import compose
    from termpedia.content.importers.zim import HTML, MAX_REDIRECT_HOPS, html_to_page

    source, ids, out = job
    archive = Archive(source)
    files = size = 0
    for index in ids:
        entry = archive._get_entry_by_id(index)
        for _ in range(MAX_REDIRECT_HOPS):
            if not entry.is_redirect:
                break
            entry = entry.get_redirect_entry()
        item = entry.get_item()
        if not str(item.mimetype).startswith(HTML):
            continue
        html = bytes(item.content).decode("utf-8", "replace")
        full = str(entry.path)
        base = full.rpartition("/")[0]
        prefix = "A/" if full.startswith("A/") else ""
        text = compose(html_to_page(str(entry.title or full), html, base, prefix))
        path = Path(out) / f"{index // 1000:04d}" / f"a{index:08d}.txt"
        path.parent.mkdir(exist_ok=True)
        data = text.encode("utf-8")
        path.write_bytes(data)
        files += 1
        size += len(data)
    return files, size


# -- folders ---------------------------------------------------------------------------------


def xdg_folders(env: dict[str, str]) -> list[Path]:
    return [Path(env[f"XDG_{name.upper()}_HOME"]) for name in XDG_NAMES]


def empty_xdg(env: dict[str, str]) -> None:
    """Start the size from nothing: no registration, no index, no title table."""
    for folder in xdg_folders(env):
        folder.mkdir(parents=True, exist_ok=True)
        for child in folder.iterdir():
            if child.is_dir() and not child.is_symlink():
                shutil.rmtree(child)
            else:
                child.unlink()


def tree_bytes(folders: list[Path]) -> tuple[int, int, dict[str, int]]:
    """(apparent bytes, allocated bytes, {relative path: bytes}) of the files under folders."""
    apparent = allocated = 0
    files: dict[str, int] = {}
    for folder in folders:
        for path in folder.rglob("*"):
            try:
                if path.is_file() and not path.is_symlink():
                    info = path.stat()
                    apparent += info.st_size
                    allocated += info.st_blocks * 512
                    files[f"{folder.name}/{path.relative_to(folder)}"] = info.st_size
            except OSError:
                continue
    return apparent, allocated, files


# -- the worker ------------------------------------------------------------------------------


def run_size(options: argparse.Namespace) -> dict[str, Any]:
    from . import zimfigures
    from .zimfigures import ZimContext

    started = time.perf_counter()
    env = dict(os.environ)
    work = options.work.resolve()
    home = options.out.resolve().parent
    name = options.tier
    out: dict[str, Any] = {"tier": name, "kind": "zim", "articles_asked": options.articles}
    figs: dict[str, Any] = {}
    notes: list[str] = []
    out["figures"] = figs
    out["notes"] = notes
    empty_xdg(env)
    print(f"[{name}] {options.articles:,} articles: the archive", file=sys.stderr, flush=True)
    archive = guarded(figs, "archive", lambda: make_zim(work, options.articles, options.seed))
    if archive is None:
        out["seconds"] = round(time.perf_counter() - started, 1)
        return out
    ctx = ZimContext(
        home=home,
        work=work,
        env=env,
        seed=options.seed,
        repeat=options.repeat,
        articles=options.articles,
        zim_file=Path(archive["path"]),
        archive_info=archive,
        rss_seconds=options.rss_seconds,
        notes=notes,
    )
    guarded(figs, "register", lambda: zimfigures.register(ctx))
    if ctx.registration is None:
        out["seconds"] = round(time.perf_counter() - started, 1)
        return out
    guarded(figs, "main_index", lambda: zimfigures.main_index(ctx))
    guarded(figs, "titles", lambda: zimfigures.titles(ctx))
    guarded(figs, "first_screen", lambda: zimfigures.first_screen(ctx))
    if figs["first_screen"].get("app_gap"):
        notes.append(figs["first_screen"]["app_gap"])
    guarded(figs, "provisional", lambda: zimfigures.provisional(ctx))
    guarded(figs, "app_rss_while_indexing", lambda: zimfigures.app_rss_while_indexing(ctx))
    guarded(figs, "build", lambda: zimfigures.build(ctx))
    guarded(figs, "text_build", lambda: zimfigures.text_build(ctx))
    guarded(figs, "stored", lambda: zimfigures.stored_pass(ctx))
    guarded(figs, "index_size", lambda: zimfigures.index_size(ctx))
    guarded(figs, "as_you_type", lambda: zimfigures.as_you_type(ctx))
    guarded(figs, "full_queries", lambda: zimfigures.full_queries(ctx))
    guarded(figs, "kiwix_search", lambda: zimfigures.kiwix_search(ctx))
    out["info"] = ctx.info()
    out["queries"] = ctx.queries
    out["seconds"] = round(time.perf_counter() - started, 1)
    return out


def build_archive(options: argparse.Namespace) -> None:
    """`build-archive`: every registered archive's section index (`index.archive.build`),
    one JSON line."""
    from termpedia.content.library import default_shelves
    from termpedia.index.archive import build

    root = Path(options.index)
    done = []
    started = time.perf_counter()
    for shelf in default_shelves():
        if shelf.archive is None:
            continue
        began = time.perf_counter()
        covered = build(root, shelf)
        done.append(
            {
                "library": covered.library,
                "articles": covered.articles,
                "total": covered.total,
                "sections": covered.sections,
                "seconds": round(time.perf_counter() - began, 3),
            }
        )
    print(
        json.dumps(
            {
                "archives": done,
                "seconds": round(time.perf_counter() - started, 3),
                "sections": sum(d["sections"] for d in done),
                "articles": sum(d["articles"] for d in done),
            }
        )
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        prog="python -m tests.bench.zimtier",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("what", choices=("run", "build-archive"))
    parser.add_argument("--tier", default=ZIM_TIERS[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--work", type=Path)
    parser.add_argument("--out", type=Path)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--rss-seconds", type=float, default=120.0)
    parser.add_argument("--index", help="build-archive: the index root")
    options = parser.parse_args()
    if "XDG_CACHE_HOME" not in os.environ:
        raise SystemExit("run through `python -m tests.bench` (it sets the tier's XDG folders)")
    os.chdir(ROOT)
    if options.what == "build-archive":
        build_archive(options)
        return
    if options.work is None or options.out is None:
        parser.error("run needs --work and --out")
    result = run_size(options)
    options.out.write_text(json.dumps(result, indent=1, ensure_ascii=False))


if __name__ == "__main__":
    main()
