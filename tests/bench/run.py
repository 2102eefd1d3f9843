"""Benchmarks on the bundled encyclopedia, each beside a baseline measured in the same run.

Run: .venv/bin/python tests/bench/run.py [--out tests/bench/out/results.json]

Figures: index build; search latency over 100 varied queries (termpedia's API vs SQLite FTS5
with bm25 and snippet()); cold start to the first screen in tmux (termpedia vs a bare Textual
app); keystroke to results on screen in the app, debounce included; first screen of a 300 KiB
article. Not part of the test suite: timings on a shared machine do not belong in assertions.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
QUERIES = [
    "trotsky",
    "stalin",
    "lenin",
    "revolution",
    "permanent revolution",
    "socialism in one country",
    "left opposition",
    "radek",
    "deutscher",
    "knei-paz",
    "Knei-Paz",
    "1905",
    "bolshevik",
    "menshevik",
    "red army",
    "civil war",
    "exile",
    "mexico",
    "coyoacan",
    "assassination",
    "bibliography",
    "history of the russian revolution",
    "the revolution betrayed",
    "kamenev",
    "zinoviev",
    "bukharin",
    "politburo",
    "central committee",
    "general secretary",
    "poland",
    "warsaw",
    "1920",
    "internationalism",
    "proletarian",
    "marx",
    "engels",
    "capital",
    "dialectical materialism",
    "class struggle",
    "comintern",
    "fourth international",
    "purge",
    "moscow trials",
    "show trial",
    "new economic policy",
    "war communism",
    "industrialisation",
    "collectivisation",
    "five-year plan",
    "petrograd",
    "soviet",
    "duma",
    "october",
    "february",
    "tsar",
    "nicholas",
    "st petersburg",
    "iskra",
    "uneven and combined development",
    "results and prospects",
    '"reckless confrontations"',
    '"permanent revolution"',
    '"socialism in one country"',
    "title:trotsky",
    "heading:exile",
    "heading:legacy",
    "library:bundled lenin",
    "revol*",
    "soc*",
    "trot*",
    "stal*",
    "trotsky OR stalin",
    "trotsky -stalin",
    "lenin NOT stalin",
    "trotksy",
    "stallin",
    "revolutoin",
    "deutcher",
    "bukarin",
    "termpedia",
    "search",
    "keys",
    "article format",
    "aliases",
    "index",
    "command line",
    "exit codes",
    "biography",
    "prophet armed",
    "historian",
    "journalist",
    "essay",
    "1906",
    "germany",
    "translation",
    "publisher",
    "economics",
    "peasantry",
    "working class",
    "socialism",
]


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def summary(values: list[float]) -> dict[str, float]:
    return {
        "p50_ms": round(statistics.median(values) * 1000, 2),
        "p95_ms": round(percentile(values, 0.95) * 1000, 2),
        "max_ms": round(max(values) * 1000, 2),
    }


def bench_build(runs: int = 5) -> dict[str, object]:
    from termpedia.content.library import bundled_shelf
    from termpedia.index.build import update

    times = []
    sections = 0
    for _ in range(runs):
        folder = Path(tempfile.mkdtemp())
        started = time.perf_counter()
        report = update(folder / "ix", [bundled_shelf()], rebuild=True)
        times.append(time.perf_counter() - started)
        sections = report.sections
        shutil.rmtree(folder)
    median = statistics.median(times)
    return {
        "articles": report.articles,
        "sections": sections,
        "full_build_s": round(median, 3),
        "sections_per_s": round(sections / median),
    }


def fts5_baseline(texts: list[tuple[str, str, str]]) -> sqlite3.Connection:
    db = sqlite3.connect(":memory:")
    db.execute("CREATE VIRTUAL TABLE s USING fts5(title, heading, body, tokenize='porter')")
    db.executemany("INSERT INTO s VALUES (?, ?, ?)", texts)
    return db


def fts5_query(typed: str) -> str:
    # FTS5 has its own syntax: quote each word, keep phrases and prefixes.
    words = []
    for word in typed.replace("title:", "").replace("heading:", "").split():
        if word.startswith('"') or word in ("OR", "NOT"):
            words.append(word)
        elif word.endswith("*"):
            words.append('"' + word[:-1].replace('"', "") + '"*')
        else:
            words.append('"' + word.lstrip("-").replace('"', "") + '"')
    return " ".join(words)


def bench_search(index_root: Path) -> dict[str, object]:
    from termpedia.index.search import Index

    started = time.perf_counter()
    index = Index(index_root)
    open_s = time.perf_counter() - started
    ours = []
    for _ in range(3):
        for query in QUERIES:
            began = time.perf_counter()
            index.search(query, limit=20)
            ours.append(time.perf_counter() - began)
    texts = []
    with index._lock:
        for fields in index._searcher.all_stored_fields():
            texts.append((fields["name"], fields.get("heading", ""), fields.get("body", "")))
    db = fts5_baseline(texts)
    theirs = []
    for _ in range(3):
        for query in QUERIES:
            began = time.perf_counter()
            with contextlib.suppress(sqlite3.OperationalError):
                db.execute(
                    "SELECT title, heading, snippet(s, 2, '[', ']', '…', 20) FROM s "
                    "WHERE s MATCH ? ORDER BY bm25(s, 4.0, 2.0, 1.0) LIMIT 20",
                    (fts5_query(query),),
                ).fetchall()
            theirs.append(time.perf_counter() - began)
    mine, base = summary(ours), summary(theirs)
    return {
        "queries": len(QUERIES),
        "open_index_ms": round(open_s * 1000, 1),
        "termpedia": mine,
        "fts5": base,
        "ratio_p95": round(mine["p95_ms"] / max(base["p95_ms"], 0.001), 1),
    }


def wait_for(socket: str, text: str, timeout: float = 20.0) -> float:
    deadline = time.perf_counter() + timeout
    while time.perf_counter() < deadline:
        out = subprocess.run(
            ["tmux", "-L", socket, "capture-pane", "-p"], capture_output=True, text=True
        ).stdout
        if text in out:
            return time.perf_counter()
        time.sleep(0.005)
    raise TimeoutError(text)


def cold_start(command: list[str], expect: str, env: dict[str, str], runs: int = 5) -> list[float]:
    times = []
    for run in range(runs):
        socket = f"bench-{os.getpid()}-{run}"
        started = time.perf_counter()
        subprocess.run(
            ["tmux", "-L", socket, "new-session", "-d", "-x", "100", "-y", "30", *command],
            env=env,
            check=True,
        )
        try:
            times.append(wait_for(socket, expect) - started)
        finally:
            subprocess.run(["tmux", "-L", socket, "kill-server"], capture_output=True)
    return times


BARE_APP = """
from textual.app import App
from textual.widgets import Static
class Bare(App):
    def compose(self):
        yield Static("bare textual ready")
Bare().run()
"""


def bench_start(env: dict[str, str]) -> dict[str, object]:
    if shutil.which("tmux") is None:
        return {"skipped": "tmux is not installed"}
    termpedia = str(Path(sys.executable).parent / "termpedia")
    subprocess.run([termpedia, "index"], env=env, check=True, capture_output=True)
    ours = cold_start([termpedia], "Getting around", env)
    bare = cold_start([sys.executable, "-c", BARE_APP], "bare textual ready", env)
    return {
        "termpedia_s": round(statistics.median(ours), 3),
        "termpedia_max_s": round(max(ours), 3),
        "bare_textual_s": round(statistics.median(bare), 3),
        "added_s": round(statistics.median(ours) - statistics.median(bare), 3),
    }


def big_article(path: Path, size: int = 300 * 1024) -> Path:
    parts = ["= A long article =\n\nA long article\n- Kind: benchmark\n\n"]
    words = [
        "revolution",
        "party",
        "congress",
        "[[Leon Trotsky]]",
        "essay",
        "exile",
        "history",
        "theory",
    ]
    number = 0
    while sum(len(p) for p in parts) < size:
        number += 1
        parts.append(f"==Section {number}==\n")
        sentence = " ".join(words[(number + i) % len(words)] for i in range(60))
        parts.append((sentence + ". ") * 8 + "\n\n")
    path.write_text("".join(parts), encoding="utf-8")
    return path


async def bench_app(index_root: Path, folder: Path) -> dict[str, object]:
    from termpedia.index.search import Index
    from termpedia.tui.app import TermpediaApp
    from termpedia.tui.screens.reader import DEBOUNCE

    app = TermpediaApp(Index(index_root), "The Permanent Revolution and Results and Prospects")
    keystrokes = []
    first_screen = []
    article = big_article(folder / "long.txt")
    async with app.run_test(size=(100, 30)) as pilot:
        screen = app.screen
        await pilot.press("slash")
        typed = ""
        for char in "permanent revolution" * 1:
            typed += char
            started = time.perf_counter()
            await pilot.press(char)
            while screen.last_query != typed:
                await asyncio.sleep(0.002)
            await pilot.pause()
            keystrokes.append(time.perf_counter() - started)
        await pilot.press("escape")
        for _ in range(5):
            started = time.perf_counter()
            screen.open_file(article)
            await pilot.pause()
            first_screen.append(time.perf_counter() - started)
    return {
        "keystroke_to_results": {**summary(keystrokes[-20:]), "debounce_ms": DEBOUNCE * 1000},
        "first_screen_300KiB_ms": round(statistics.median(first_screen) * 1000, 1),
        "first_screen_300KiB_max_ms": round(max(first_screen) * 1000, 1),
        "article_bytes": article.stat().st_size,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--out", type=Path, default=ROOT / "tests" / "bench" / "out" / "results.json"
    )
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="termpedia-bench-"))
    env = dict(os.environ)
    for name in ("DATA", "CONFIG", "STATE", "CACHE"):
        env[f"XDG_{name}_HOME"] = str(work / name.lower())
        os.environ[f"XDG_{name}_HOME"] = env[f"XDG_{name}_HOME"]
    env["TEXTUAL_ANIMATIONS"] = "none"
    from termpedia.content.library import default_shelves
    from termpedia.content.paths import index_dir
    from termpedia.index.build import update

    update(index_dir(), default_shelves())
    results = {
        "machine": f"{os.cpu_count()} cores, Python {sys.version.split()[0]}",
        "build": bench_build(),
        "search": bench_search(index_dir()),
        "cold_start": bench_start(env),
        "app": asyncio.run(bench_app(index_dir(), work)),
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2))
    print(json.dumps(results, indent=2))
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
