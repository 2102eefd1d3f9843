"""The figures of the zim tier (see tests/bench/zimtier.py for what each measures), each
beside kiwix's engine (libzim in-process, or the kiwix-search command) or, for the build,
beside a build of the same articles as text files, in the same run."""

from __future__ import annotations

import asyncio
import collections
import json
import random
import shutil
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .common import (
    ROOT,
    TreeMemory,
    children_of,
    have_tmux,
    kib,
    pane_pid,
    proc_status,
    send_keys,
    summary,
    tier_env,
    tmux_session,
    wait_for_text,
)
from .zimtier import text_folder, tree_bytes, write_text

TITLE_SAMPLE = 100
OPENED = 30
PROVISIONAL_SAMPLE = 300
KIWIX_QUERIES = 30
BIG = 50_000
"""Above this many sections, one pass over the as-you-type lists (as the other tiers)."""


def termpedia_command() -> str:
    return str(Path(sys.executable).parent / "termpedia")


@dataclass
class ZimContext:
    home: Path
    work: Path
    env: dict[str, str]
    seed: int
    repeat: int
    articles: int
    zim_file: Path
    archive_info: dict[str, Any]
    rss_seconds: float
    notes: list[str]
    registration: Any = None
    zim: Any = None
    library: str = ""
    root: Path = Path()
    index: Any = None
    sections: int = 0
    text: Any = None
    stored_bytes: dict[str, int] = field(default_factory=dict)
    queries: dict[str, Any] = field(default_factory=dict)

    @property
    def passes(self) -> int:
        return 1 if self.sections > BIG else self.repeat

    def info(self) -> dict[str, Any]:
        archive = self.archive_info
        return {
            "articles": len(self.zim.article_ids()) if self.zim is not None else 0,
            "sections": self.sections,
            "archive": str(self.zim_file),
            "archive_mb": round(archive.get("bytes", 0) / 1e6, 1),
            "fulltext_xapian_mb": round(archive.get("fulltext_xapian_bytes", 0) / 1e6, 2),
            "library": self.library,
            "index": str(self.root),
            "rss_seconds": self.rss_seconds,
        }


def _ms(seconds: list[float]) -> dict[str, Any]:
    return summary(seconds)


def _ratio(a: float | None, b: float | None) -> float | None:
    if a is None or not b:
        return None
    return round(a / b, 2)


# -- 2. registering ----------------------------------------------------------------------------


def register(ctx: ZimContext, runs: int = 3) -> dict[str, Any]:
    """`termpedia import zim FILE` in fresh XDG folders: the last run in the tier's own."""
    from termpedia.content.archive import archive_for, describe
    from termpedia.content.library import default_shelves
    from termpedia.content.paths import index_dir

    command = [termpedia_command(), "import", "zim", str(ctx.zim_file)]
    walls: list[float] = []
    added: list[int] = []
    allocated: list[int] = []
    new_files: dict[str, int] = {}
    for number in range(runs):
        if number < runs - 1:
            base = ctx.home / f"register-{number}"
            shutil.rmtree(base, ignore_errors=True)
            env = tier_env(base)
        else:
            env = ctx.env
        folders = [Path(env["XDG_DATA_HOME"]), Path(env["XDG_CACHE_HOME"])]
        before = tree_bytes(folders)
        started = time.perf_counter()
        done = subprocess.run(command, env=env, cwd=ROOT, capture_output=True, text=True)
        walls.append(time.perf_counter() - started)
        if done.returncode:
            raise RuntimeError(f"import zim exited {done.returncode}: {done.stderr.strip()[-300:]}")
        after = tree_bytes(folders)
        added.append(after[0] - before[0])
        allocated.append(after[1] - before[1])
        new_files = {k: v for k, v in after[2].items() if before[2].get(k) != v}
        if number < runs - 1:
            shutil.rmtree(base, ignore_errors=True)
    started = time.perf_counter()
    again = subprocess.run(command, env=ctx.env, cwd=ROOT, capture_output=True, text=True)
    again_s = time.perf_counter() - started
    shelves = [s for s in default_shelves() if s.archive is not None]
    if len(shelves) != 1:
        raise RuntimeError(f"expected one archive library, found {[s.name for s in shelves]}")
    ctx.registration = shelves[0].archive
    ctx.library = shelves[0].name
    ctx.zim = archive_for(ctx.registration)
    ctx.root = index_dir()
    described = []
    for _ in range(5):
        began = time.perf_counter()
        describe(ctx.zim_file, "probe")
        described.append(time.perf_counter() - began)
    return {
        "command": " ".join(command),
        "runs": runs,
        "wall": summary(walls, "s"),
        "wall_runs_s": [round(w, 3) for w in walls],
        "added_bytes": max(added),
        "added_allocated_bytes": max(allocated),
        "added_files": new_files,
        "reimport_s": round(again_s, 3),
        "reimport_said": again.stdout.strip()[:200],
        "describe_in_process": summary(described),
        "output": done.stdout.strip()[:300],
        "note": "wall time of the subprocess (Python start included); bytes: the files' sizes "
        "added under XDG_DATA_HOME and XDG_CACHE_HOME (allocated blocks beside them); "
        "describe_in_process: content.archive.describe() alone",
    }


def main_index(ctx: ZimContext) -> dict[str, Any]:
    """The index of the bundled library (what `termpedia` builds at its first start)."""
    from termpedia.content.library import default_shelves
    from termpedia.index.build import update

    started = time.perf_counter()
    report = update(ctx.root, default_shelves())
    return {
        "articles": report.articles,
        "sections": report.sections,
        "seconds": round(time.perf_counter() - started, 3),
    }


# -- 3. title suggestions ----------------------------------------------------------------------


def titles(ctx: ZimContext) -> dict[str, Any]:
    from libzim.suggestion import SuggestionSearcher

    from termpedia.content.archive import TitleTable

    zim = ctx.zim
    ids = zim.article_ids()
    rng = random.Random(ctx.seed + 40)
    targets = [zim.entry(i) for i in rng.sample(ids, min(TITLE_SAMPLE, len(ids)))]
    prefixes = [
        (title.lower()[:end], path, end == len(title))
        for path, title in targets
        for end in range(1, len(title) + 1)
    ]
    out: dict[str, Any] = {"titles": len(targets), "prefixes": len(prefixes)}
    if zim.table() is None:
        before = []
        for prefix, _, _ in prefixes:
            began = time.perf_counter()
            zim.suggest(prefix, 10)
            before.append(time.perf_counter() - began)
        out["before_table"] = summary(before)
    else:
        out["before_table"] = {"skipped": "the title table was built already"}
    began = time.perf_counter()
    zim.build_titles()
    out["table_build_s"] = round(time.perf_counter() - began, 3)
    table_file = TitleTable.file_for(ctx.registration)
    out["table_bytes"] = table_file.stat().st_size
    searcher = SuggestionSearcher(zim.archive)

    def libzim(prefix: str) -> list[str]:
        return [str(p) for p in searcher.suggest(prefix).getResults(0, 10)]

    for prefix, _, _ in prefixes:  # warm both: pages of the table and of the title index
        zim.suggest(prefix, 10)
        libzim(prefix)
    ours: list[float] = []
    theirs: list[float] = []
    empty = [0, 0]
    typed_to_find: list[list[int]] = [[], []]
    first_found: dict[tuple[int, str], int] = {}
    for number in range(max(1, ctx.repeat)):
        for prefix, path, _whole in prefixes:
            began = time.perf_counter()
            got = [p for _, p in zim.suggest(prefix, 10)]
            ours.append(time.perf_counter() - began)
            began = time.perf_counter()
            listed = libzim(prefix)
            theirs.append(time.perf_counter() - began)
            if number:
                continue
            for side, found in ((0, got), (1, listed)):
                empty[side] += not found
                if path in found and (side, path) not in first_found:
                    first_found[(side, path)] = len(prefix)
    for side in (0, 1):
        typed_to_find[side] = [first_found.get((side, path), -1) for path, _ in targets]
    mine, base = summary(ours), summary(theirs)

    def typed(side: int) -> dict[str, Any]:
        found = [n for n in typed_to_find[side] if n > 0]
        return {
            "found": f"{len(found)}/{len(targets)}",
            "mean_characters": round(statistics.mean(found), 1) if found else None,
        }

    out.update(
        {
            "passes": max(1, ctx.repeat),
            "termpedia": mine,
            "libzim": base,
            "ratio_p95": _ratio(mine["p95_ms"], base["p95_ms"]),
            "empty": {"termpedia": empty[0], "libzim": empty[1]},
            "typed_until_in_top_10": {"termpedia": typed(0), "libzim": typed(1)},
            "note": "termpedia: ZimArchive.suggest(prefix, 10) on the title table (titles "
            "starting with the prefix, any case); libzim: one SuggestionSearcher, "
            "suggest(prefix).getResults(0, 10) (paths only); before_table: suggest() before "
            "the table exists (libzim's suggestions and each hit's title); "
            "typed_until_in_top_10: characters typed until the title is among the 10",
        }
    )
    return out


# -- 4. first screen of an article -------------------------------------------------------------


def first_screen(ctx: ZimContext) -> dict[str, Any]:
    from termpedia.index.archive import folder_of

    try:
        return asyncio.run(_first_screen(ctx))
    finally:
        # The app starts indexing the archive beside itself (and stops when it quits): the
        # figures after this one start from no section index.
        shutil.rmtree(folder_of(ctx.root, ctx.registration), ignore_errors=True)


async def _first_screen(ctx: ZimContext) -> dict[str, Any]:
    from termpedia.tui.app import TermpediaApp  # noqa: I001 - first, as in `termpedia`
    from termpedia.content.archive import location
    from termpedia.content.library import read_article
    from termpedia.index.search import Index
    from termpedia.tui.navigation import Found
    from termpedia.tui.widgets.layout import blocks_of, layout

    zim = ctx.zim
    cached = getattr(zim, "_articles", {})
    ids = zim.article_ids()
    rng = random.Random(ctx.seed + 50)
    sample = [zim.entry(i) for i in rng.sample(ids, min(OPENED + 20, len(ids)))]
    picks = [(path, title) for path, title in sample if path not in cached][: OPENED + 1]
    app = TermpediaApp(Index(ctx.root, archives=[ctx.registration]), "termpedia")
    totals: list[float] = []
    calls: list[float] = []
    reads: list[float] = []
    lays: list[float] = []
    sizes: list[int] = []
    wrong = []
    via = ""
    async with app.run_test(size=(100, 30)) as driver:
        await driver.pause()
        screen = app.screen

        async def drawn() -> None:
            future = asyncio.get_running_loop().create_future()
            app.call_after_refresh(future.set_result, None)
            await future

        # The first article (untimed) tells which way the app can open them.
        first_path, first_title = picks[0]
        if screen.open_address(first_title, quiet=True):
            via = "open_address"
        else:
            via = "read_article + show"
            article = read_article(location(ctx.library, first_path))
            screen.show(Found(article, ctx.library))
        await drawn()
        await driver.pause()
        for path, title in picks[1:]:
            where = location(ctx.library, path)
            started = time.perf_counter()
            if via == "open_address":
                screen.open_address(title, quiet=True)
            else:
                article = read_article(where)
                reads.append(time.perf_counter() - started)
                screen.show(Found(article, ctx.library))
            calls.append(time.perf_counter() - started)
            await drawn()
            totals.append(time.perf_counter() - started)
            shown = screen.article
            if shown is None or shown.title != title:
                wrong.append(title)
            await driver.pause()  # untimed
            article = read_article(where)  # from the archive's cache now: layout alone
            began = time.perf_counter()
            layout(blocks_of(article), 98)
            lays.append(time.perf_counter() - began)
            sizes.append(sum(len(s.text) for s in article.walk()))
    out: dict[str, Any] = {
        "articles": len(totals),
        "via": via,
        "termpedia": summary(totals),
        "call": summary(calls),
        "layout_alone": summary(lays),
        "article_chars": {"median": statistics.median(sizes) if sizes else 0},
        "wrong_article": wrong[:5],
        "note": "time from asking the app to open the article until the next refresh is "
        "drawn (call_after_refresh), 100x30 under Pilot; each article read from the archive "
        "for the first time (converted from its HTML); call: the synchronous part; "
        "layout_alone: tui/widgets/layout.py's layout(blocks_of(article), 98) of the same, "
        "already converted, article",
    }
    if reads:
        out["conversion"] = summary(reads)
    if via != "open_address":
        out["app_gap"] = (
            "ReaderScreen.open_address cannot open an article of an archive read in place "
            "(tui/navigation.read reads every location with load_article(Path), which takes "
            "zim:LIBRARY:PATH for a file name): timed as read_article(location) + "
            "screen.show(Found(article, library)), the app's own show() and drawing"
        )
    return out


# -- 5. provisional full text ------------------------------------------------------------------


def _sample_rows(ctx: ZimContext, count: int) -> tuple[list[str], list[tuple[str, str, str, str]]]:
    """(titles, (key, title, heading, text) of every section) of `count` articles read from
    the archive at random."""
    from termpedia.content.display import section_display

    zim = ctx.zim
    ids = zim.article_ids()
    rng = random.Random(ctx.seed + 60)
    titles, rows = [], []
    for index in rng.sample(ids, min(count, len(ids))):
        path, _ = zim.entry(index)
        article = zim.read(path)
        titles.append(article.title)
        for section, trail in article.outline():
            text = section_display(section).text
            rows.append(
                (f"{article.title}#{section.anchor}", article.title, " > ".join(trail), text)
            )
    return titles, rows


def provisional_queries(ctx: ZimContext) -> list[str]:
    """50 queries of 1-3 words from articles of the archive: 20 frequent words, 15 word
    pairs, 15 title phrases."""
    from . import queries

    if "provisional" in ctx.queries:
        return list(ctx.queries["provisional"])
    names, rows = _sample_rows(ctx, PROVISIONAL_SAMPLE)
    text = queries.TierText.collect(names, rows, len(rows), None)
    rng = random.Random(ctx.seed + 61)
    taken: set[str] = set()
    chosen = [
        *queries._pick(rng, text.frequent_words(500), 20, taken),
        *queries._pick(rng, text.word_pairs(500), 15, taken),
        *queries._pick(rng, text.title_phrases(), 15, taken),
    ]
    rng.shuffle(chosen)
    ctx.queries["provisional"] = chosen
    return chosen


def provisional(ctx: ZimContext) -> dict[str, Any]:
    """Before any section indexing: `Index.search` (libzim's hits mapped to sections) beside
    libzim's Searcher alone."""
    from libzim.search import Query, Searcher

    from termpedia.index.provisional import MAPPED
    from termpedia.index.search import Index

    chosen = provisional_queries(ctx)
    index = Index(ctx.root, archives=[ctx.registration])
    if index.coverage[ctx.library].articles:
        raise RuntimeError("the archive's section index is not empty: not provisional")
    searcher = Searcher(ctx.zim.archive)
    ours: list[float] = []
    theirs: list[float] = []
    slowest: list[tuple[float, str]] = []
    hits = with_section = no_hits = 0
    counted = collections.Counter[str]()
    for number in range(max(1, ctx.repeat)):
        for query in chosen:
            began = time.perf_counter()
            result = index.search(query, limit=20)
            took = time.perf_counter() - began
            ours.append(took)
            slowest.append((took, query))
            began = time.perf_counter()
            search = searcher.search(Query().set_query(query))
            list(search.getResults(0, 20))
            theirs.append(time.perf_counter() - began)
            if number == 0:
                no_hits += not result.hits
                # Before indexing, every hit of the archive is provisional (first or last).
                shown = [hit for hit in result.hits if hit.library == ctx.library]
                hits += len(shown)
                with_section += sum(1 for hit in shown[:MAPPED] if hit.section)
                counted["provisional_results"] += bool(result.provisional)
    index.close()
    mine, base = summary(ours), summary(theirs)
    slowest.sort(reverse=True)
    return {
        "queries": len(chosen),
        "passes": max(1, ctx.repeat),
        "termpedia": mine,
        "libzim": base,
        "ratio_p95": _ratio(mine["p95_ms"], base["p95_ms"]),
        "provisional_hits": hits,
        "mapped_to_a_section": with_section,
        "results_with_provisional_hits": counted["provisional_results"],
        "no_hits": no_hits,
        "slowest": [[round(t * 1000, 1), q] for t, q in slowest[:8]],
        "note": "termpedia: Index.search(q, limit=20) before any section indexing (the "
        "bundled library's index, then libzim's full-text hits, the first 6 converted and "
        "mapped to their best section with a snippet); libzim: one Searcher, "
        "search(q).getResults(0, 20) (paths only)",
    }


# -- 8. the app while the indexer runs ---------------------------------------------------------


def app_rss_while_indexing(ctx: ZimContext) -> dict[str, Any]:
    """The real app in tmux (`termpedia`, the archive its only library: it opens on the
    archive's main page and starts its indexer process beside itself): the app's VmRSS and
    the indexer's memory (it and its workers) sampled while a search is typed in the app
    every few seconds; after rss_seconds (or when the indexer is done) the app quits, which
    stops the indexer, and the indexer's work is removed (the build figure starts from zero)."""
    if not have_tmux():
        return {"skipped": "tmux is not installed"}
    from termpedia.index.archive import coverage, folder_of

    words = provisional_queries(ctx)
    main_title = ctx.zim.title_of(ctx.zim.main_path())
    samples: list[int] = []
    stop = threading.Event()
    typed = []
    typing_prefixes = [q[:end] for q in words for end in range(1, len(q) + 1)]
    from termpedia.index.search import Index

    during = Index(ctx.root, archives=[ctx.registration])
    keystrokes: list[float] = []
    with tmux_session([termpedia_command()], ctx.env, "zrss") as (socket, _):
        wait_for_text(socket, (main_title,), timeout=180)
        pid = pane_pid(socket)
        at_start = kib(proc_status(pid).get("VmRSS", "0"))
        indexer = _indexer_of(pid, timeout=30)

        def sample() -> None:
            while not stop.is_set():
                value = kib(proc_status(pid).get("VmRSS", "0"))
                if value:
                    samples.append(value)
                stop.wait(0.1)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        started = time.perf_counter()
        with TreeMemory(indexer, interval=0.2) as indexer_memory:
            number = 0
            while _alive(indexer) and time.perf_counter() - started < ctx.rss_seconds:
                query = words[number % len(words)]
                number += 1
                try:
                    send_keys(socket, "Escape")
                    time.sleep(0.25)
                    send_keys(socket, "/")
                    time.sleep(0.25)
                    send_keys(socket, "C-u")
                    time.sleep(0.1)
                    send_keys(socket, query, literal=True)
                    wait_for_text(socket, (query,), timeout=5)
                    typed.append(query)
                except (TimeoutError, subprocess.CalledProcessError):
                    pass
                # Search as you type meanwhile, as the app's search bar does it (titles of
                # the archive while its index is partial), timed key by key for 3.5 s.
                until = time.perf_counter() + 3.5
                while time.perf_counter() < until:
                    prefix = typing_prefixes[len(keystrokes) % len(typing_prefixes)]
                    began = time.perf_counter()
                    during.instant(prefix, limit=20)
                    keystrokes.append(time.perf_counter() - began)
                    time.sleep(0.05)  # a fast typist: 20 keys a second
            finished = not _alive(indexer)
            ran = time.perf_counter() - started
        status = proc_status(pid)
        stop.set()
        sampler.join()
        send_keys(socket, "Escape")
        time.sleep(0.25)
        send_keys(socket, "q")
        for _ in range(100):  # quitting stops the indexer
            if not _alive(indexer) and not proc_status(pid):
                break
            time.sleep(0.1)
    covered = coverage(ctx.root, ctx.registration)
    shutil.rmtree(folder_of(ctx.root, ctx.registration), ignore_errors=True)
    return {
        "app_peak_rss_mb": round(max(samples, default=0) / 1024, 1),
        "app_vmhwm_mb": round(kib(status.get("VmHWM", "0")) / 1024, 1),
        "app_rss_at_start_mb": round(at_start / 1024, 1),
        "app_rss_at_end_mb": round(kib(status.get("VmRSS", "0")) / 1024, 1),
        "samples": len(samples),
        "indexer_seconds": round(ran, 1),
        "indexer_finished": finished,
        "indexer_articles": covered.articles,
        "indexer_total": covered.total,
        "indexer_peak_mb": indexer_memory.hwm_sum_mb,
        "searches_typed": typed,
        "as_you_type_while_indexing": summary(keystrokes),
        "note": "the app (`termpedia` in tmux, 100x30) on the archive's main page, with the "
        "indexer process it starts beside itself; a search typed in the app every ~4 s; the "
        "app's VmRSS sampled every 100 ms (its VmHWM at the end beside it), the indexer's "
        "memory summed over it and its workers; after rss_seconds the app quits (stopping "
        "the indexer) and the partial index is removed (the build figure starts from zero); "
        "meanwhile Index.instant timed on every prefix of the typed searches, 20 keys a second",
    }


def _indexer_of(app: int, timeout: float) -> int:
    """The pid of the indexer process the app started (`python -m termpedia.index.archive`)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for child in children_of(app):
            try:
                command = Path(f"/proc/{child}/cmdline").read_bytes()
            except OSError:
                continue
            if b"termpedia.index.archive" in command:
                return child
        time.sleep(0.1)
    raise TimeoutError(f"the app ({app}) started no indexer within {timeout:.0f} s")


def _alive(pid: int) -> bool:
    state = proc_status(pid).get("State", "")
    return bool(state) and not state.startswith("Z")


# -- 6. building -------------------------------------------------------------------------------


def _measured(command: list[str], env: dict[str, str]) -> tuple[dict[str, Any], TreeMemory, float]:
    """Run a build entry point that prints one JSON line; its memory sampled every 100 ms."""
    started = time.perf_counter()
    process = subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    with TreeMemory(process.pid, interval=0.1) as memory:
        out, err = process.communicate()
    wall = time.perf_counter() - started
    if process.returncode:
        raise RuntimeError(f"{command[2:4]} failed ({process.returncode}): {err.strip()[-500:]}")
    report: dict[str, Any] = json.loads(out.strip().splitlines()[-1])
    # Linux keeps ru_maxrss across exec: the figure of the process that started it.
    for key in ("ru_maxrss_self_mb", "ru_maxrss_children_mb"):
        report.pop(key, None)
    return report, memory, wall


def build(ctx: ZimContext) -> dict[str, Any]:
    """`index.archive.build` from zero in a subprocess (two spawned workers)."""
    from termpedia.index.archive import coverage, folder_of

    if coverage(ctx.root, ctx.registration).articles:
        shutil.rmtree(folder_of(ctx.root, ctx.registration), ignore_errors=True)
    command = [sys.executable, "-m", "tests.bench.zimtier", "build-archive"]
    command += ["--index", str(ctx.root)]
    report, memory, wall = _measured(command, ctx.env)
    ctx.sections = int(report["sections"])
    return {
        **report,
        "process_seconds": round(wall, 3),
        "sections_per_s": round(report["sections"] / max(report["seconds"], 1e-9)),
        "peak_mb": memory.hwm_sum_mb,
        "peak_tree_rss_mb": memory.peak_rss_mb,
        "peak_private_mb": memory.peak_anon_mb,
        "processes": len(memory.hwm_kib),
        "peak_mb_note": "sum of VmHWM of the build process and its workers (sampled every "
        "100 ms); peak_tree_rss_mb: the largest sum of their VmRSS seen at one sample; "
        "peak_private_mb: the largest sum of their RssAnon (RSS less mapped files' pages)",
    }


def text_build(ctx: ZimContext) -> dict[str, Any]:
    """The same articles as text files, built as a library (`update(rebuild=True)`)."""
    from termpedia.index.store import current_generation

    from .common import du_mb

    written = write_text(ctx.work, ctx.articles, ctx.seed, ctx.zim.article_ids())
    folder = text_folder(ctx.work, ctx.articles, ctx.seed)
    index = ctx.home / "text-index"
    shutil.rmtree(index, ignore_errors=True)
    language = ctx.registration.language
    command = [sys.executable, "-m", "tests.bench.launch", "build", "--index", str(index)]
    command += ["--shelf", f"zimtext={folder}={language}"]
    report, memory, wall = _measured(command, ctx.env)
    generation = current_generation(index)
    size = du_mb(generation) if generation else None
    shutil.rmtree(index, ignore_errors=True)  # as big as the archive's: not kept
    return {
        **report,
        "process_seconds": round(wall, 3),
        "sections_per_s": round(report["sections"] / max(report["seconds"], 1e-9)),
        "peak_mb": memory.hwm_sum_mb,
        "peak_tree_rss_mb": memory.peak_rss_mb,
        "peak_private_mb": memory.peak_anon_mb,
        "index_mb": size,
        "text_files": written,
        "note": "the archive's articles written as termpedia text files (compose() of the "
        "converter's page, as ZimArchive.read converts them; written once, not timed), then "
        "a full build of that folder alone (tests.bench.launch build)",
    }


# -- 7. size, and the stored sections ----------------------------------------------------------


def _part_searchers(ctx: ZimContext) -> Iterator[Any]:
    from whoosh.filedb.filestore import FileStorage

    from termpedia.index import w3  # noqa: F401 - the codec the parts were written with
    from termpedia.index.archive import part_folders

    for part in part_folders(ctx.root, ctx.registration):
        ix = FileStorage(str(part), supports_mmap=False).open_index()
        searcher = ix.searcher()
        try:
            yield searcher
        finally:
            searcher.close()


def stored_pass(ctx: ZimContext) -> dict[str, Any]:
    """One pass over the archive index's stored sections: the query lists (tests/bench/
    queries.py, as the other tiers make them) and the bytes of each stored field."""
    from termpedia.index.search import Index

    from . import queries

    index = Index(ctx.root, archives=[ctx.registration])
    coverage = index.coverage[ctx.library]
    if not coverage.complete:
        raise RuntimeError(f"the archive's section index is incomplete: {coverage}")
    ctx.index = index
    ctx.sections = coverage.sections
    stored: collections.Counter[str] = collections.Counter()
    rows_seen = [0]

    def rows() -> Iterator[tuple[str, str, str, str]]:
        for searcher in _part_searchers(ctx):
            for fields in searcher.all_stored_fields():
                for name, value in fields.items():
                    stored[name] += len(str(value).encode("utf-8"))
                rows_seen[0] += 1
                yield (
                    str(fields.get("key", "")),
                    str(fields.get("name", "")),
                    str(fields.get("heading", "")),
                    str(fields.get("text", "")),
                )

    began = time.perf_counter()
    names = [ctx.zim.entry(i)[1] for i in ctx.zim.article_ids()]
    counts = index.vocabulary.counts
    ctx.text = queries.TierText.collect(names, rows(), coverage.sections, counts or None)
    typing = queries.as_you_type(ctx.text, ctx.seed)
    ctx.queries.update(
        {
            "as_you_type": typing,
            "full": queries.full_queries(ctx.text, ctx.seed),
        }
    )
    ctx.stored_bytes = dict(stored)
    return {
        "sections_read": rows_seen[0],
        "seconds": round(time.perf_counter() - began, 1),
        "stored_field_bytes": dict(sorted(stored.items())),
        "index_sections": index.section_count,
    }


def _kind(name: str) -> str:
    """What a file inside a segment holds."""
    if name.endswith(".pst"):
        return "postings (with positions)"
    if name.endswith(".trm"):
        return "term dictionary"
    if name.endswith("_stored.col"):
        return "stored fields"
    if name.endswith("_len.col"):
        return "field lengths"
    if name.endswith((".vpo", ".vps")):
        return "term vectors"
    if name.endswith(".col"):
        return "other columns"
    return "other segment files"


def index_size(ctx: ZimContext) -> dict[str, Any]:
    from whoosh.filedb.filestore import FileStorage

    from termpedia.index import w3  # noqa: F401
    from termpedia.index.archive import folder_of

    folder = folder_of(ctx.root, ctx.registration)
    apparent, allocated, files = tree_bytes([folder])
    kinds: collections.Counter[str] = collections.Counter()
    segments = 0
    inside: set[str] = set()
    for part in sorted(p for p in folder.glob("part-*") if p.is_dir()):
        storage = FileStorage(str(part), supports_mmap=False)
        ix = storage.open_index()
        for segment in ix._segments():
            segments += 1
            if segment.is_compound():
                name = segment.make_filename(segment.COMPOUND_EXT)
                inside.add(f"{part.name}/{name}")
                compound = segment.open_compound_file(storage)
                try:
                    for member in compound.list():
                        kinds[_kind(member)] += compound.file_length(member)
                finally:
                    compound.close()
            else:
                for member in segment.list_files(storage):
                    inside.add(f"{part.name}/{member}")
                    kinds[_kind(member)] += storage.file_length(member)
    beside = sum(size for name, size in files.items() if name.split("/", 1)[-1] not in inside)
    kinds["beside the segments (TOC, word counts, checkpoints)"] += beside
    xapian = ctx.archive_info.get("fulltext_xapian_bytes") or 0
    mb = apparent / 1e6
    return {
        "folder": str(folder),
        "mb": round(mb, 2),
        "allocated_mb": round(allocated / 1e6, 2),
        "fulltext_xapian_mb": round(xapian / 1e6, 2),
        "ratio": _ratio(apparent, xapian),
        "segments": segments,
        "breakdown_mb": {k: round(v / 1e6, 2) for k, v in kinds.most_common()},
        "stored_text_utf8_mb": round(ctx.stored_bytes.get("text", 0) / 1e6, 2),
        "stored_fields_utf8_mb": round(sum(ctx.stored_bytes.values()) / 1e6, 2),
        "note": "MB = 10^6 bytes, apparent sizes; the breakdown sums the files inside every "
        "part's segments (Whoosh's compound .seg files listed by CompoundStorage); "
        "stored_text_utf8_mb: the UTF-8 bytes of the stored display text, before Whoosh "
        "stores it",
    }


# -- 9. once indexed -------------------------------------------------------------------------


def libzim_text(query: str) -> str:
    """A query for libzim: field prefixes dropped (it has no fields), the rest as typed."""
    words = []
    for word in query.split():
        head, colon, rest = word.partition(":")
        words.append(rest if colon and head in ("title", "heading") else word)
    return " ".join(words)


def as_you_type(ctx: ZimContext) -> dict[str, Any]:
    from libzim.suggestion import SuggestionSearcher

    index = ctx.index
    typing: list[str] = ctx.queries["as_you_type"]
    searcher = SuggestionSearcher(ctx.zim.archive)
    ours: list[float] = []
    theirs: list[float] = []
    slowest: list[tuple[float, str]] = []
    empty = base_empty = 0
    for number in range(ctx.passes):
        for query in typing:
            for end in range(1, len(query) + 1):
                typed = query[:end]
                began = time.perf_counter()
                result = index.instant(typed, limit=20)
                took = time.perf_counter() - began
                ours.append(took)
                slowest.append((took, typed))
                began = time.perf_counter()
                found = list(searcher.suggest(typed).getResults(0, 20))
                theirs.append(time.perf_counter() - began)
                if number == 0:
                    empty += not result.hits
                    base_empty += not found
    mine, base = summary(ours), summary(theirs)
    slowest.sort(reverse=True)
    return {
        "queries": len(typing),
        "keystrokes": len(ours),
        "passes": ctx.passes,
        "termpedia": mine,
        "libzim": base,
        "ratio_p95": _ratio(mine["p95_ms"], base["p95_ms"]),
        "empty_results": empty,
        "libzim_empty_results": base_empty,
        "slowest": [[round(t * 1000, 1), q] for t, q in slowest[:8]],
        "note": "termpedia: Index.instant(prefix, limit=20), every prefix of 100 queries "
        "(tests/bench/queries.py); libzim: one SuggestionSearcher, suggest(prefix)"
        ".getResults(0, 20), kiwix's search as you type (titles only)",
    }


def full_queries(ctx: ZimContext) -> dict[str, Any]:
    from libzim.search import Query, Searcher

    index = ctx.index
    kinds: dict[str, list[str]] = ctx.queries["full"]
    searcher = Searcher(ctx.zim.archive)
    ours_all: list[float] = []
    theirs_all: list[float] = []
    by_kind: dict[str, Any] = {}
    slowest: list[tuple[float, str]] = []
    for kind, chosen in kinds.items():
        ours: list[float] = []
        theirs: list[float] = []
        empty = base_empty = 0
        for number in range(ctx.passes + 1):
            for query in chosen:
                began = time.perf_counter()
                result = index.search(query, limit=20)
                took = time.perf_counter() - began
                ours.append(took)
                slowest.append((took, query))
                began = time.perf_counter()
                search = searcher.search(Query().set_query(libzim_text(query)))
                found = list(search.getResults(0, 20))
                theirs.append(time.perf_counter() - began)
                if number == 0:
                    empty += not result.hits
                    base_empty += not found
        by_kind[kind] = {
            "queries": len(chosen),
            "termpedia": summary(ours),
            "libzim": summary(theirs),
            "no_hits": empty,
            "libzim_no_hits": base_empty,
        }
        ours_all += ours
        theirs_all += theirs
    mine, base = summary(ours_all), summary(theirs_all)
    slowest.sort(reverse=True)
    return {
        "termpedia": mine,
        "libzim": base,
        "ratio_p95": _ratio(mine["p95_ms"], base["p95_ms"]),
        "passes": ctx.passes + 1,
        "by_kind": by_kind,
        "slowest": [[round(t * 1000, 1), q] for t, q in slowest[:8]],
        "note": "termpedia: Index.search(q, limit=20), sections with snippets; libzim: one "
        "Searcher, search(q).getResults(0, 20), articles (paths only), title:/heading: "
        "prefixes dropped",
    }


def kiwix_search(ctx: ZimContext) -> dict[str, Any]:
    """`kiwix-search FILE QUERY` and `termpedia search QUERY`, wall time per query."""
    if shutil.which("kiwix-search") is None:
        return {"skipped": "kiwix-search is not installed (apt-get install kiwix-tools)"}
    kinds: dict[str, list[str]] = ctx.queries["full"]
    chosen = [*kinds.get("words", [])[:15], *kinds.get("phrases", [])[:10]]
    chosen += kinds.get("fields", [])[: KIWIX_QUERIES - len(chosen)]
    kiwix = ["kiwix-search", str(ctx.zim_file)]
    ours = [termpedia_command(), "search"]
    subprocess.run([*kiwix, "warm"], capture_output=True, timeout=60)
    subprocess.run([*ours, "warm"], capture_output=True, env=ctx.env, cwd=ROOT, timeout=120)
    theirs_s: list[float] = []
    ours_s: list[float] = []
    codes: collections.Counter[str] = collections.Counter()
    empty = [0, 0]
    for query in chosen:
        began = time.perf_counter()
        done = subprocess.run([*kiwix, libzim_text(query)], capture_output=True, timeout=60)
        theirs_s.append(time.perf_counter() - began)
        empty[1] += not done.stdout.strip()
        codes[f"kiwix-search {done.returncode}"] += 1
        began = time.perf_counter()
        mine = subprocess.run(
            [*ours, query], capture_output=True, env=ctx.env, cwd=ROOT, timeout=120
        )
        ours_s.append(time.perf_counter() - began)
        empty[0] += not mine.stdout.strip()
        codes[f"termpedia {mine.returncode}"] += 1
    mine_summary, base = summary(ours_s), summary(theirs_s)
    return {
        "queries": len(chosen),
        "termpedia_search": mine_summary,
        "kiwix_search": base,
        "ratio_p50": _ratio(mine_summary["p50_ms"], base["p50_ms"]),
        "exit_codes": dict(codes),
        "no_output": {"termpedia": empty[0], "kiwix-search": empty[1]},
        "note": "wall time of each command as a subprocess (process start included), one run "
        "a query after one untimed run of each; kiwix-search's full-text mode on the ZIM, "
        "termpedia search on the tier's index",
    }
