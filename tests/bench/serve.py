"""`python -m tests.bench.serve`: what `termpedia serve` costs, measured on this machine.

The server's memory (idle, and with `--sessions` tabs open), each session's memory (RSS, and
USS: what the process alone holds), the time to the first screen in headless Chromium (page
load to the reader's text in the terminal; the first tab, with a cold browser cache, apart),
a closed tab to its process's end, a dropped network to its process's end, 8 sessions × 20
searches (from Enter to the hit's title heading the screen), and SIGTERM to every process's
end. The bundled encyclopedia, in temporary XDG dirs; prints a Markdown section, which
`--results-md FILE` also puts into FILE (in place of the section of an earlier run).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import aiohttp

from tests.browser.serving import (
    CHROMIUM,
    FIRST_SCREEN,
    QUERIES,
    Served,
    Tab,
    alive,
    chromium,
    expected_titles,
    rss_kib,
    search,
    start_server,
    wait_for_screen,
    wait_until,
)

HEADING = "## Serving to browsers (`termpedia serve`)"


def uss_kib(pid: int) -> int:
    """Memory only this process holds (private pages), in KiB."""
    try:
        lines = Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()
    except OSError:
        return 0
    return sum(int(line.split()[1]) for line in lines if line.startswith("Private_"))


def mib(kib: float) -> str:
    return f"{kib / 1024:.0f} MiB"


def seconds(values: list[float]) -> str:
    """Median and maximum, in seconds."""
    return f"{statistics.median(values):.2f} s (max {max(values):.2f} s)"


def browser_figures(served: Served, folder: Path, tabs: int) -> dict[str, object]:
    """First screen and close-to-exit, one tab after another."""
    first: list[float] = []
    closed: list[float] = []
    with chromium(folder, served.port) as browser:
        for _ in range(tabs):
            before = set(served.sessions())
            page = browser.page()
            started = time.monotonic()
            page.goto(served.url)
            wait_for_screen(page, FIRST_SCREEN, timeout=60)
            first.append(time.monotonic() - started)
            (pid,) = set(served.sessions()) - before
            page.close()
            closed_at = time.monotonic()
            wait_until(lambda pid=pid: not alive(pid), 10)  # type: ignore[misc]
            closed.append(time.monotonic() - closed_at)
        refused = list(browser.refused)
    return {"first_screen": first, "close_to_exit": closed, "refused": refused}


async def load_figures(served: Served, sessions: int, titles: list[str]) -> dict[str, object]:
    """`sessions` tabs at once, 20 searches each; memory before and after."""
    latencies: list[float] = []

    async def searches(tab: Tab, offset: int) -> int:
        answered = 0
        for number in range(20):
            at = (number + offset) % len(QUERIES)
            started = time.monotonic()
            if await search(tab, QUERIES[at], titles[at]):
                answered += 1
                latencies.append(time.monotonic() - started)
        return answered

    async with aiohttp.ClientSession() as client:
        started = time.monotonic()
        tabs = await asyncio.gather(*(Tab.open(client, served.ws_url) for _ in range(sessions)))
        await asyncio.gather(*(tab.wait_for(FIRST_SCREEN, 120) for tab in tabs))
        all_started = time.monotonic() - started
        pids = served.sessions()
        fresh = [(rss_kib(pid), uss_kib(pid)) for pid in pids]
        server_fresh = rss_kib(served.process.pid)
        started = time.monotonic()
        answered = await asyncio.gather(*(searches(tab, n) for n, tab in enumerate(tabs)))
        load_seconds = time.monotonic() - started
        used = [(rss_kib(pid), uss_kib(pid)) for pid in pids]
        server_loaded = rss_kib(served.process.pid)
        stop = await asyncio.to_thread(served.stop)
        await asyncio.gather(*(tab.wait_closed(1) for tab in tabs))
    return {
        "sessions": len(pids),
        "all_first_screens": all_started,
        "session_rss_fresh": [r for r, _ in fresh],
        "session_uss_fresh": [u for _, u in fresh],
        "session_rss_used": [r for r, _ in used],
        "session_uss_used": [u for _, u in used],
        "server_rss_with_sessions": server_fresh,
        "server_rss_after_searches": server_loaded,
        "answered": answered,
        "load_seconds": load_seconds,
        "search_latencies": latencies,
        "sigterm_seconds": stop,
    }


async def alone_figure(served: Served, titles: list[str]) -> list[float]:
    """One session alone, 20 searches: typing + Enter to the hit's title on screen."""
    latencies = []
    async with aiohttp.ClientSession() as client:
        tab = await Tab.open(client, served.ws_url)
        await tab.wait_for(FIRST_SCREEN, 60)
        for query, title in zip(QUERIES, titles, strict=True):
            started = time.monotonic()
            if await search(tab, query, title):
                latencies.append(time.monotonic() - started)
        await tab.close()
    return latencies


async def dropped_figure(served: Served) -> float | None:
    """A tab that stops answering (its network gone): seconds until its process ended."""
    async with aiohttp.ClientSession() as client:
        tab = await Tab.open(client, served.ws_url)
        await tab.wait_for(FIRST_SCREEN, 60)
        (pid,) = served.sessions()
        tab.drop()
        took = await asyncio.to_thread(wait_until, lambda: not alive(pid), 15)
        await tab.close()
        return took


def measure(tabs: int, sessions: int) -> dict[str, object]:
    base = Path(tempfile.mkdtemp(prefix="termpedia-bench-serve-"))
    env = {**os.environ, "NO_COLOR": "1"}
    for name in ("DATA", "CONFIG", "STATE", "CACHE"):
        env[f"XDG_{name}_HOME"] = str(base / name.lower())
    started = time.monotonic()
    served = start_server(env, "--max-sessions", str(max(sessions, 1)))
    startup = time.monotonic() - started  # includes building the bundled index
    try:
        time.sleep(1)
        figures: dict[str, object] = {"server_rss_idle": rss_kib(served.process.pid)}
        figures["startup_with_index_build"] = startup
        if CHROMIUM is not None:
            figures.update(browser_figures(served, base / "chromium", tabs))
        figures["dropped_to_exit"] = asyncio.run(dropped_figure(served))
        titles = expected_titles(base / "cache" / "termpedia" / "index")
        figures["alone_latencies"] = asyncio.run(alone_figure(served, titles))
        wait_until(lambda: not served.sessions(), 10)
        figures.update(asyncio.run(load_figures(served, sessions, titles)))
    finally:
        served.stop()
    return figures


def report(figures: dict[str, object]) -> str:
    rows = [("server memory, idle (RSS)", mib(float(figures["server_rss_idle"])))]  # type: ignore[arg-type]
    count = figures["sessions"]
    rows.append(
        (
            f"server memory with {count} sessions, after their searches (RSS)",
            mib(float(figures["server_rss_after_searches"])),  # type: ignore[arg-type]
        )
    )
    for key, label in (
        ("session_rss_fresh", "a session at its first screen, RSS"),
        ("session_uss_fresh", "a session at its first screen, USS (its own pages)"),
        ("session_rss_used", "a session after 20 searches, RSS"),
        ("session_uss_used", "a session after 20 searches, USS"),
    ):
        values: list[int] = figures[key]  # type: ignore[assignment]
        rows.append((label, f"{mib(statistics.median(values))} (max {mib(max(values))})"))
    first: list[float] = figures.get("first_screen", [])  # type: ignore[assignment]
    if first:
        rows.append(("first screen in Chromium, first tab (cold cache)", f"{first[0]:.2f} s"))
        rows.append(("first screen in Chromium, later tabs", seconds(first[1:] or first)))
        closed: list[float] = figures["close_to_exit"]  # type: ignore[assignment]
        rows.append(("tab closed → its session's process gone", seconds(closed)))
    else:
        rows.append(("first screen in Chromium", "not measured (no chromium)"))
    rows.append(
        (
            f"{count} sessions' first screens, opened at once",
            f"{float(figures['all_first_screens']):.2f} s",  # type: ignore[arg-type]
        )
    )
    dropped = figures["dropped_to_exit"]
    rows.append(
        (
            "network dropped → its session's process gone",
            "not within 15 s" if dropped is None else f"{float(dropped):.2f} s",  # type: ignore[arg-type]
        )
    )
    answered: list[int] = figures["answered"]  # type: ignore[assignment]
    latencies: list[float] = figures["search_latencies"]  # type: ignore[assignment]
    latencies.sort()
    p95 = latencies[int(0.95 * (len(latencies) - 1))] if latencies else 0.0
    rows.append(
        (
            f"{count} sessions × 20 searches, at once",
            f"{sum(answered)} of {20 * len(answered)} answered in "
            f"{float(figures['load_seconds']):.1f} s; typing + Enter to the hit's title on "  # type: ignore[arg-type]
            f"screen p50 {statistics.median(latencies):.2f} s, p95 {p95:.2f} s",
        )
    )
    alone: list[float] = sorted(figures["alone_latencies"])  # type: ignore[type-var]
    rows.append(
        (
            "one session alone × 20 searches",
            f"{len(alone)} of 20 answered; typing + Enter to the hit's title on screen "
            f"p50 {statistics.median(alone):.2f} s, max {alone[-1]:.2f} s",
        )
    )
    sigterm = figures["sigterm_seconds"]
    rows.append(
        (
            f"SIGTERM with {count} sessions open → every process gone",
            "not within 10 s" if sigterm is None else f"{float(sigterm):.2f} s",  # type: ignore[arg-type]
        )
    )
    rows.append(
        (
            "serve's start, building the bundled index first",
            f"{float(figures['startup_with_index_build']):.2f} s",  # type: ignore[arg-type]
        )
    )
    lines = [
        HEADING,
        "",
        f"Measured by `.venv/bin/python -m tests.bench.serve` on {os.cpu_count()} cores "
        f"({time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}): the bundled encyclopedia, "
        "sessions as WebSocket clients with a terminal screen (pyte) in the same process as "
        "the measurement, first screens in headless Chromium.",
        "",
        "| what | figure |",
        "|---|---|",
        *(f"| {what} | {figure} |" for what, figure in rows),
    ]
    return "\n".join(lines) + "\n"


def into_results(path: Path, section: str) -> None:
    """Put `section` into the Markdown file at `path`, in place of an earlier one."""
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    if HEADING in text:
        before, _, rest = text.partition(HEADING)
        after = rest[rest.find("\n## ") + 1 :] if "\n## " in rest else ""
        text = before + section + ("\n" + after if after else "")
    else:
        text = text.rstrip("\n") + "\n\n" + section
    path.write_text(text, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.bench.serve", description=__doc__)
    parser.add_argument("--tabs", type=int, default=5, help="Chromium tabs, one at a time")
    parser.add_argument("--sessions", type=int, default=8, help="sessions at once")
    parser.add_argument("--results-md", type=Path, help="put the section into this file")
    parser.add_argument("--out", type=Path, help="the figures as JSON")
    args = parser.parse_args(argv)
    figures = measure(args.tabs, args.sessions)
    section = report(figures)
    sys.stdout.write(section)
    if args.results_md:
        into_results(args.results_md, section)
    if args.out:
        args.out.write_text(json.dumps(figures, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
