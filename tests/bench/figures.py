"""The figures, each measured beside its baseline in the same process and run.

Every function takes the tier context (`tiers.Context`) and returns a JSON-able dict; the
tier worker wraps each one so that an exception becomes an error string in the results.
Timings are wall-clock (`time.perf_counter`) on a machine other processes may use: read
medians and p95s, not single numbers.
"""

from __future__ import annotations

import asyncio
import json
import random
import string
import subprocess
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .common import (
    BENCH,
    ROOT,
    TreeMemory,
    du_mb,
    have_tmux,
    kib,
    pane_pid,
    proc_status,
    send_keys,
    summary,
    timed_start,
    tmux_session,
    wait_for_text,
)

if TYPE_CHECKING:
    from .tiers import Context

BARE_APP = """
from textual.app import App
from textual.widgets import Static
class Bare(App):
    def compose(self):
        yield Static("bare textual ready")
Bare().run()
"""
BARE_MARKER = "bare textual ready"
BURSTS = 12
"""Times the keystroke query is typed fast, for the debounced keystroke-to-screen figure."""


# -- 5. building ---------------------------------------------------------------------------


def build(ctx: Context) -> dict[str, Any]:
    """A full build (rebuild=True) in a subprocess: time, sections/s, peak memory of the
    process and its children (a parallel build forks workers)."""
    tier = ctx.tier
    if tier.reused_index:
        # A build of the reused index recorded by whoever built it: /tmp/ix100k-build.json.
        record = Path(tier.reused_index.rstrip("/") + "-build.json")
        recorded: dict[str, Any] = {"skipped": f"index reused from {tier.reused_index}"}
        if record.exists():
            data = json.loads(record.read_text())
            recorded = {"recorded": data, "source": str(record)}
            seconds = data.get("seconds") or data.get("build_s") or data.get("full_build_s")
            sections = data.get("sections")
            if seconds and sections:
                recorded["seconds"] = seconds
                recorded["sections"] = sections
                recorded["sections_per_s"] = round(float(sections) / float(seconds))
            peaks = [k for k in data if "peak" in k and k.endswith("mb")]
            if peaks:
                recorded["peak_mb"] = data[peaks[0]]
                recorded["peak_mb_note"] = f"recorded as {peaks[0]!r} in {record}"
        else:
            recorded["skipped"] += f"; no {record}: no build figure for it"
        return recorded
    from .launch import shelf_specs

    command = [sys.executable, "-m", "tests.bench.launch", "build", "--index", str(tier.index)]
    for spec in shelf_specs(tier.shelves):
        command += ["--shelf", spec]
    started = time.perf_counter()
    process = subprocess.Popen(
        command, cwd=ROOT, env=ctx.env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    with TreeMemory(process.pid) as memory:
        out, err = process.communicate()
    wall = time.perf_counter() - started
    if process.returncode:
        raise RuntimeError(f"build failed ({process.returncode}): {err.strip()[-500:]}")
    report = json.loads(out.strip().splitlines()[-1])
    return {
        **report,
        "process_seconds": round(wall, 3),
        "sections_per_s": round(report["sections"] / max(report["seconds"], 1e-9)),
        "peak_mb": memory.hwm_sum_mb,
        "peak_mb_note": "sum of VmHWM of the build process and its children (sampled 20/s)",
        "peak_tree_rss_mb": memory.peak_rss_mb,
    }


def fts5_build(ctx: Context) -> dict[str, Any]:
    fts = ctx.fts
    assert fts is not None
    return {
        "sections": fts.rows,
        "seconds": round(fts.build_seconds, 3),
        "sections_per_s": round(fts.rows / max(fts.build_seconds, 1e-9)),
        "size_mb": fts.size_mb(),
        "read_stored_seconds": round(ctx.read_seconds, 3),
    }


def index_size(ctx: Context) -> dict[str, Any]:
    index = ctx.index
    assert index is not None
    files = sorted(p for p in Path(index.generation).iterdir() if p.is_file())
    return {
        "generation": str(index.generation),
        "mb": du_mb(Path(index.generation)),
        "files": {p.name: round(p.stat().st_size / 2**20, 2) for p in files},
        "fts5_mb": ctx.fts.size_mb() if ctx.fts is not None else None,
    }


def reindex(ctx: Context, runs: int = 5) -> dict[str, Any]:
    """Edit one article, then update() + refresh() + a search that finds the new word, in a
    process that holds only the open index, as the app's does (`launch reindex`): in this
    process, which holds the tier's whole text and FTS5 tables, the cyclic GC walking that
    heap added 100 ms and more to each update."""
    from termpedia.index.build import update

    from .launch import shelf_specs

    path = ctx.edit_article()
    update(ctx.tier.index, ctx.tier.shelves)  # add it (not timed)
    command = [sys.executable, "-m", "tests.bench.launch", "reindex"]
    command += ["--index", str(ctx.tier.index)]
    for spec in shelf_specs(ctx.tier.shelves):
        command += ["--shelf", spec]
    command += ["--edit", str(path), "--title", ctx.EDIT_TITLE, "--runs", str(runs)]
    command += ["--seed", str(ctx.seed + 10)]
    run = subprocess.run(command, cwd=ROOT, env=ctx.env, capture_output=True, text=True)
    if run.returncode:
        raise RuntimeError(f"reindex failed ({run.returncode}): {run.stderr.strip()[-500:]}")
    report = json.loads(run.stdout.strip().splitlines()[-1])
    ctx.index.refresh()  # type: ignore[union-attr]
    return {
        "termpedia": summary(report["seconds"]),
        "found": f"{report['found']}/{runs}",
        "files_reindexed": report["files_reindexed"],
        "article_bytes": path.stat().st_size,
        "process": "launch reindex (a process holding only the open index)",
    }


# -- 1 and 2. searching --------------------------------------------------------------------


def as_you_type(ctx: Context) -> dict[str, Any]:
    """Every keystroke of 100 queries through `index.instant` (no debounce) and FTS5.

    FTS5 answers each keystroke as a prefix query over all columns, the baseline the goal
    is judged against. termpedia searches titles and headings first and falls back to the
    full text when they have no hit (`SearchResult.instant`)."""
    index, fts = ctx.index, ctx.fts
    assert index is not None and fts is not None
    queries: list[str] = ctx.queries["as_you_type"]
    ours: list[float] = []
    theirs: list[float] = []
    same: list[float] = []
    slowest: list[tuple[float, str]] = []
    empty = fts_empty = 0
    for _ in range(ctx.passes):
        for query in queries:
            for end in range(1, len(query) + 1):
                typed = query[:end]
                started = time.perf_counter()
                result = index.instant(typed, limit=20)
                took = time.perf_counter() - started
                ours.append(took)
                slowest.append((took, typed))
                empty += not result.hits
                started = time.perf_counter()
                answer = fts.instant(typed, limit=20)
                theirs.append(time.perf_counter() - started)
                fts_empty += not answer
                same.append(theirs[-1])
    mine, base, like = summary(ours), summary(theirs), summary(same)
    slowest.sort(reverse=True)
    return {
        "queries": len(queries),
        "keystrokes": len(ours),
        "passes": ctx.passes,
        "termpedia": mine,
        "fts5": base,
        "fts5_same_fields": like,
        "ratio_p95": round(mine["p95_ms"] / max(like["p95_ms"], 1e-3), 2),
        "ratio_p95_all_columns": round(mine["p95_ms"] / max(base["p95_ms"], 1e-3), 2),
        "empty_results": empty,
        "fts5_empty_results": fts_empty,
        "slowest": [[round(t * 1000, 1), q] for t, q in slowest[:8]],
    }


def full_queries(ctx: Context) -> dict[str, Any]:
    """Submitted queries (words, phrases, field queries) through `index.search` and FTS5."""
    index, fts = ctx.index, ctx.fts
    assert index is not None and fts is not None
    kinds: dict[str, list[str]] = ctx.queries["full"]
    ours_all: list[float] = []
    theirs_all: list[float] = []
    by_kind: dict[str, Any] = {}
    slowest: list[tuple[float, str]] = []
    for kind, queries in kinds.items():
        ours: list[float] = []
        theirs: list[float] = []
        empty = 0
        for number in range(ctx.passes + 1):
            for query in queries:
                started = time.perf_counter()
                result = index.search(query, limit=20)
                took = time.perf_counter() - started
                ours.append(took)
                slowest.append((took, query))
                if number == 0:
                    empty += not result.hits
                started = time.perf_counter()
                fts.search(query, limit=20)
                theirs.append(time.perf_counter() - started)
        by_kind[kind] = {
            "queries": len(queries),
            "termpedia": summary(ours),
            "fts5": summary(theirs),
            "no_hits": empty,
        }
        ours_all += ours
        theirs_all += theirs
    mine, base = summary(ours_all), summary(theirs_all)
    slowest.sort(reverse=True)
    return {
        "termpedia": mine,
        "fts5": base,
        "ratio_p95": round(mine["p95_ms"] / max(base["p95_ms"], 1e-3), 2),
        "passes": ctx.passes + 1,
        "by_kind": by_kind,
        "slowest": [[round(t * 1000, 1), q] for t, q in slowest[:8]],
    }


def did_you_mean(ctx: Context) -> dict[str, Any]:
    """One-edit misspellings of frequent words: latency of `search`, and whether the
    suggestion is the intended word."""
    index = ctx.index
    assert index is not None
    typos: list[list[str]] = ctx.queries["misspellings"]
    times: list[float] = []
    hits = 0
    none = 0
    by_edit: dict[str, list[int]] = {}
    missed = []
    for number in range(ctx.passes):
        for typo, intended, kind in typos:
            started = time.perf_counter()
            result = index.search(typo, limit=20)
            times.append(time.perf_counter() - started)
            if number:
                continue
            got = (result.suggestion or "").strip().lower()
            ok = got == intended
            hits += ok
            none += not got
            counts = by_edit.setdefault(kind, [0, 0])
            counts[0] += ok
            counts[1] += 1
            if not ok and len(missed) < 20:
                missed.append(f"{typo} -> {got or '(none)'} (meant {intended})")
    return {
        "misspellings": len(typos),
        "termpedia": summary(times),
        "hit_rate": round(hits / max(len(typos), 1), 3),
        "no_suggestion": none,
        "by_edit": {k: f"{v[0]}/{v[1]}" for k, v in by_edit.items()},
        "missed": missed,
    }


# -- 1 (on screen) and 4. the app under Pilot ------------------------------------------------


def pilot(ctx: Context, keystrokes: bool, runs: int = 5) -> dict[str, Any]:
    return asyncio.run(_pilot(ctx, keystrokes, runs))


async def _pilot(ctx: Context, keystrokes: bool, runs: int) -> dict[str, Any]:
    # The app's module first, as in `termpedia`: it sets Textual's frame rate before
    # Textual is imported.
    from termpedia.tui.app import TermpediaApp  # noqa: I001
    from termpedia.index.search import Index
    from termpedia.tui.screens.reader import DEBOUNCE
    from textual import events

    out: dict[str, Any] = {}
    largest = ctx.largest_article()
    generated = ctx.generated_article()
    app = TermpediaApp(Index(ctx.tier.index), ctx.tier.start)
    async with app.run_test(size=(100, 30)) as driver:
        await driver.pause()
        screen = app.screen
        if keystrokes:
            query: str = ctx.queries["keystroke"]
            await driver.press("slash")
            await driver.pause()
            bar = screen.query_one("#search")

            def key(char: str) -> None:
                # As the terminal driver delivers a key (Pilot.press also waits for idleness).
                app.post_message(events.Key("space" if char == " " else char, char))

            async def on_screen(typed: str, started: float) -> tuple[float, float]:
                """(results set, results drawn) for `typed`, in seconds since `started`."""
                deadline = started + 10
                while screen.last_query != typed:
                    if time.perf_counter() > deadline:
                        raise TimeoutError(f"no results for {typed!r} after 10 s")
                    await asyncio.sleep(0.001)
                shown = time.perf_counter() - started
                # On screen: the next refresh after the results were set has been drawn.
                drawn = asyncio.get_running_loop().create_future()
                app.call_after_refresh(drawn.set_result, None)
                await drawn
                return shown, time.perf_counter() - started

            # Typing with pauses (a reader looking at each list): every key measured.
            times, shown = [], []
            for end in range(1, len(query) + 1):
                started = time.perf_counter()
                key(query[end - 1])
                set_at, drawn_at = await on_screen(query[:end], started)
                shown.append(set_at)
                times.append(drawn_at)
                await asyncio.sleep(0.2)  # untimed: longer than the debounce
            # Typing fast (a key every 50 ms): from the burst's last key to its results.
            burst, burst_shown = [], []
            for _ in range(BURSTS):
                bar.value = ""  # type: ignore[attr-defined]
                await asyncio.sleep(0.5)
                for char in query[:-1]:
                    key(char)
                    await asyncio.sleep(0.05)
                started = time.perf_counter()
                key(query[-1])
                set_at, drawn_at = await on_screen(query, started)
                burst_shown.append(set_at)
                burst.append(drawn_at)
            await driver.press("escape")
            await driver.pause()
            out["keystroke_to_screen"] = {
                "query": query,
                "debounce_ms": DEBOUNCE * 1000,
                "termpedia": summary(times),
                "to_results_set": summary(shown),
                "typing_fast": summary(burst),
                "typing_fast_to_results_set": summary(burst_shown),
                "note": "a key event posted as the terminal driver does, to last_query == typed "
                "and the next screen refresh drawn (call_after_refresh); termpedia: every key, "
                "0.2 s apart (the first key after a pause is searched at once); typing_fast: "
                f"the last key of the query typed at 50 ms a key (debounced), {BURSTS} runs; "
                "to_results_set: until the results are set",
                "goal_ms": DEBOUNCE * 1000 + 50,
            }
        opened: dict[str, list[float]] = {"largest": [], "generated_300KiB": []}
        calls: dict[str, list[float]] = {"largest": [], "generated_300KiB": []}
        for _ in range(runs):
            for name, path in (("largest", largest), ("generated_300KiB", generated)):
                started = time.perf_counter()
                screen.open_file(path)
                calls[name].append(time.perf_counter() - started)
                drawn = asyncio.get_running_loop().create_future()
                app.call_after_refresh(drawn.set_result, None)
                await drawn
                opened[name].append(time.perf_counter() - started)
                await driver.pause()  # untimed
        out["open_article"] = {
            name: {
                "path": str(path),
                "bytes": path.stat().st_size,
                "termpedia": summary(opened[name]),
                "open_file_call": summary(calls[name]),
            }
            for name, path in (("largest", largest), ("generated_300KiB", generated))
        }
        out["open_article"]["note"] = (
            "termpedia: open_file() until the next screen refresh is drawn "
            "(call_after_refresh); open_file_call: the synchronous call alone (parse, layout)"
        )
    return out


# -- 3 and 6. the real program in tmux -------------------------------------------------------


def cold_start(ctx: Context, runs: int = 5) -> dict[str, Any]:
    """Process start to the first screen, in tmux: no update to do, one file to re-index,
    and a bare Textual app showing one Static."""
    if not have_tmux():
        return {"skipped": "tmux is not installed"}
    from termpedia.index.build import update
    from termpedia.index.ensure import needs_update
    from termpedia.index.store import current_generation

    tier = ctx.tier
    update(tier.index, tier.shelves)
    if needs_update(tier.index, tier.shelves):
        raise RuntimeError("the start-up check would still update the index")
    # Byte-compiled, as an installed package is (pip compiles site-packages, Textual's
    # included): with PYTHONDONTWRITEBYTECODE set, as on some CI machines, an editable
    # install would otherwise compile termpedia's modules at every start (~60 ms at 100k).
    plain = {k: v for k, v in ctx.env.items() if k != "PYTHONDONTWRITEBYTECODE"}
    folders = ["content", "index", "tui", "tests/bench"]
    compile_all = [sys.executable, "-m", "compileall", "-q", *folders]
    subprocess.run(compile_all, cwd=ROOT, env=plain, check=True, stdout=subprocess.DEVNULL)
    command = tier.app_command()
    marker = (tier.marker,)
    # One untimed start of each first: it warms the page cache, and it absorbs a re-index
    # that this process could not foresee (the program's code changed since it started).
    with tmux_session(command, ctx.env, "warm") as (socket, _):
        wait_for_text(socket, marker, timeout=1800)
    timed_start([sys.executable, "-c", BARE_APP], ctx.env, (BARE_MARKER,), "b")
    bare, quiet, busy = [], [], []
    rng = random.Random(ctx.seed + 20)
    discarded: list[float] = []

    def start(name: str) -> float:
        # A start that built a new generation (a full rebuild: the program's code changed
        # under the benchmark, e.g. a new schema version) is not a start-up; run it again.
        for _ in range(3):
            before = current_generation(tier.index)
            took = timed_start(command, ctx.env, marker, name)
            if current_generation(tier.index) == before:
                return took
            discarded.append(round(took, 3))
        raise RuntimeError("every start rebuilt the index")

    for _ in range(runs):
        bare.append(timed_start([sys.executable, "-c", BARE_APP], ctx.env, (BARE_MARKER,), "b"))
        quiet.append(start("q"))
        ctx.edit_article("zq" + "".join(rng.choice(string.ascii_lowercase) for _ in range(9)))
        busy.append(start("u"))
    leftover = needs_update(tier.index, tier.shelves)
    added = summary(quiet, "s")["p50_s"] - summary(bare, "s")["p50_s"]
    return {
        "command": " ".join(command),
        "marker": tier.marker,
        "no_update": summary(quiet, "s"),
        "with_update": summary(busy, "s"),
        "bare_textual": summary(bare, "s"),
        "added_s": round(added, 3),
        "runs_s": {
            "no_update": [round(x, 3) for x in quiet],
            "with_update": [round(x, 3) for x in busy],
            "bare_textual": [round(x, 3) for x in bare],
        },
        "update_left_undone": leftover,
        "discarded_rebuilding_starts_s": discarded,
    }


def app_memory(ctx: Context) -> dict[str, Any]:
    """Peak RSS (VmHWM) of the app in tmux after a few searches and opened hits."""
    if not have_tmux():
        return {"skipped": "tmux is not installed"}
    from termpedia.index.store import current_generation

    tier = ctx.tier
    queries = [q for q in ctx.queries["as_you_type"] if len(q) >= 4][:5]
    # A start that rebuilt the index (the program changed under the benchmark) would report
    # the build's peak: start once to let it happen, untimed.
    before = current_generation(tier.index)
    with tmux_session(tier.app_command(), ctx.env, "rss0") as (socket, _):
        wait_for_text(socket, (tier.marker,), timeout=1800)
    rebuilt = current_generation(tier.index) != before
    with tmux_session(tier.app_command(), ctx.env, "rss") as (socket, _):
        wait_for_text(socket, (tier.marker,))
        pid = pane_pid(socket)
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
        after_start = kib(proc_status(pid).get("VmHWM", "0"))
        for query in queries:
            # Keys sent in one burst reach the reading pane before `/` has moved the focus
            # (a person types slower): wait a little after `/` and after clearing the bar.
            send_keys(socket, "/")
            time.sleep(0.25)
            send_keys(socket, "C-u")
            time.sleep(0.1)
            send_keys(socket, query, literal=True)
            wait_for_text(socket, (query,), timeout=5)
            wait_for_text(
                socket, ("sections match", "section matches", "No sections match"), timeout=20
            )
            time.sleep(0.3)
            send_keys(socket, "Enter")
            time.sleep(0.4)
        status = proc_status(pid)
    return {
        "vmhwm_mb": round(kib(status.get("VmHWM", "0")) / 1024, 1),
        "vmrss_mb": round(kib(status.get("VmRSS", "0")) / 1024, 1),
        "vmhwm_after_start_mb": round(after_start / 1024, 1),
        "searches": queries,
        "process": cmdline.strip()[:200],
        "first_start_rebuilt_the_index": rebuilt,
    }


def generated_article(path: Path, titles: list[str], texts: list[str], seed: int) -> Path:
    """A deterministic ~300 KiB article: infobox, 2- and 3-level sections of the tier's own
    text, links to existing titles, a See also list."""
    rng = random.Random(seed + 30)
    size = 300 * 1024
    words = " ".join(texts).split() or ["lorem", "ipsum", "dolor", "sit", "amet"]
    parts = ["= A long benchmark article =\n\nA long benchmark article\n"]
    parts.append("- Kind: benchmark\n- Size: 300 KiB\n\n")
    parts.append("A generated article to time the first screen of a long article.\n")
    number = 0
    total = sum(len(p) for p in parts)
    while total < size:
        number += 1
        level = 2 if number % 3 else 3
        chunk = []
        for _ in range(rng.randint(3, 6)):
            start = rng.randrange(max(1, len(words) - 120))
            sentence = " ".join(words[start : start + rng.randint(40, 110)])
            if titles and rng.random() < 0.6:
                sentence += f" See [[{rng.choice(titles)}]]."
            chunk.append(sentence)
        text = f"\n{'=' * level}Part {number}{'=' * level}\n" + "\n\n".join(chunk) + "\n"
        parts.append(text)
        total += len(text)
    parts.append("\n==See also==\n" + "".join(f"- {t}\n" for t in titles[:3]))
    path.write_text("".join(parts), encoding="utf-8")
    return path


__all__ = ["BENCH"]
