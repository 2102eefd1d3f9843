"""The benchmark suite: every tier in its own process and XDG folders, then the ranking.

Run (from the project folder):

    .venv/bin/python -m tests.bench [--tiers bundled,enwiki,synth10k,synthcjk10k,synth100k,zim100k]
        [--out tests/bench/out/results.json] [--results-md tests/bench/RESULTS.md]
        [--work tests/bench/out/work] [--seed 1] [--repeat 2] [--no-ranking]
        [--zim-articles 10000,100000] [--rss-seconds 120]

It prints a table per tier and the ranking table, and writes the JSON (and Markdown). The
default tiers are bundled, enwiki and synth10k (a few minutes); synthcjk10k (a Chinese
library beside synth10k, a few minutes more), synth100k and zim100k are opt-in. zim100k
runs once per size of --zim-articles (the largest gives its table; 1,000,000 articles are
extrapolated from the two largest unless run: `--zim-articles 10000,100000,1000000`). See
the package docstring (tests/bench/__init__.py) for what is measured and how, and
tests/bench/zimtier.py for the zim tier.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shlex
import sqlite3
import subprocess
import sys
import time
from datetime import UTC, datetime
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from . import report, zimreport
from .common import BENCH, ROOT, tier_env
from .synthcjk import COMPARED
from .tiers import LEAD_ARTICLES_100K, LEAD_INDEX_100K, TIERS
from .zimtier import DEFAULT_ARTICLES, ZIM_TIERS, sizes_of, timeout_for

DEFAULT_TIERS = "bundled,enwiki,synth10k"
ALL_TIERS = (*TIERS, *ZIM_TIERS)


def machine() -> dict[str, str]:
    info: dict[str, str] = {"cores (nproc)": str(os.cpu_count())}
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                info["CPU"] = line.split(":", 1)[1].strip()
                break
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                info["memory"] = f"{int(line.split()[1]) / 2**20:.1f} GiB"
                break
    except OSError:
        pass
    info["OS"] = f"{platform.system()} {platform.release()}"
    info["Python"] = platform.python_version()
    for name, dist in (("Textual", "textual"), ("Whoosh", "whoosh-reloaded")):
        try:
            info[name] = version(dist)
        except PackageNotFoundError:
            info[name] = "not installed"
    info["SQLite (FTS5 baseline)"] = sqlite3.sqlite_version
    try:
        kiwix = subprocess.run(
            ["dpkg-query", "-W", "-f", "${Version}", "kiwix-tools"], capture_output=True, text=True
        )
        info["kiwix-tools"] = kiwix.stdout.strip() or "not installed"
    except OSError:
        info["kiwix-tools"] = "not installed"
    return info


def command_line(argv: list[str]) -> str:
    python = Path(sys.executable)
    with_venv = ROOT / ".venv" / "bin"
    shown = f".venv/bin/{python.name}" if python.parent == with_venv else str(python)
    return " ".join([shown, "-m", "tests.bench", *(shlex.quote(a) for a in argv)])


def run_worker(
    module: str, args: list[str], env: dict[str, str], out: Path, timeout: float
) -> dict[str, Any]:
    """One tier (or the ranking) in a subprocess; its failure becomes an error entry."""
    out.unlink(missing_ok=True)
    command = [sys.executable, "-m", module, *args, "--out", str(out)]
    started = time.perf_counter()
    try:
        done = subprocess.run(command, cwd=ROOT, env=env, timeout=timeout)
    except subprocess.TimeoutExpired:
        return {"error": f"timed out after {timeout:.0f} s"}
    if done.returncode or not out.exists():
        return {
            "error": f"worker exited with {done.returncode} after "
            f"{time.perf_counter() - started:.0f} s (see its stderr above)"
        }
    data: dict[str, Any] = json.loads(out.read_text())
    return data


def run_zim(name: str, work: Path, args: argparse.Namespace) -> dict[str, Any]:
    """The zim tier: one worker per size of --zim-articles (smallest first), each in its own
    process and XDG folders, combined into one entry (the largest size's table)."""
    runs: dict[int, dict[str, Any]] = {}
    for size in sizes_of(args.zim_articles):
        home = work / "tiers" / name / f"a{size}"
        env = tier_env(home / "xdg")
        worker_args = [
            "run",
            "--tier",
            name,
            "--articles",
            str(size),
            "--work",
            str(work),
            "--seed",
            str(args.seed),
            "--repeat",
            str(args.repeat),
            "--rss-seconds",
            str(args.rss_seconds),
        ]
        print(f"[{name}] {size:,} articles", file=sys.stderr, flush=True)
        timeout = timeout_for(size, args.timeout)
        runs[size] = run_worker(
            "tests.bench.zimtier", worker_args, env, home / "result.json", timeout
        )
    return zimreport.combine(name, runs)


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = argparse.ArgumentParser(
        prog="python -m tests.bench",
        description=__doc__,
        formatter_class=argparse.RawTextHelpFormatter,
    )
    parser.add_argument("--tiers", default=DEFAULT_TIERS, help=f"of {', '.join(ALL_TIERS)}")
    parser.add_argument("--out", type=Path, default=BENCH / "out" / "results.json")
    parser.add_argument("--results-md", type=Path, help="also write this Markdown report")
    parser.add_argument("--work", type=Path, default=BENCH / "out" / "work")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=2, help="passes over the query lists")
    parser.add_argument("--no-ranking", action="store_true")
    parser.add_argument("--synth100k-articles", default=str(LEAD_ARTICLES_100K))
    parser.add_argument("--synth100k-index", default=str(LEAD_INDEX_100K))
    parser.add_argument("--timeout", type=float, default=3600, help="seconds per tier")
    parser.add_argument(
        "--zim-articles",
        default=DEFAULT_ARTICLES,
        help="zim100k: the archive sizes to run, comma-separated (default %(default)s; "
        "1,000,000: 10000,100000,1000000)",
    )
    parser.add_argument(
        "--rss-seconds",
        type=float,
        default=120.0,
        help="zim100k: how long the indexer runs beside the app (default %(default)s)",
    )
    args = parser.parse_args(argv)
    tiers = [t.strip() for t in args.tiers.split(",") if t.strip()]
    unknown = [t for t in tiers if t not in ALL_TIERS]
    if unknown:
        parser.error(f"unknown tiers {unknown}; tiers: {', '.join(ALL_TIERS)}")
    tiers.sort(key=ALL_TIERS.index)
    file_tiers = [t for t in tiers if t in TIERS]
    work = args.work.resolve()
    work.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    results: dict[str, Any] = {
        "meta": {
            "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
            "command": command_line(argv),
            "machine": machine(),
            "seed": args.seed,
            "repeat": args.repeat,
            "tiers": tiers,
            "load_average_at_start": " ".join(f"{x:.2f}" for x in os.getloadavg()),
        },
        "tiers": {},
    }
    if any(t in ZIM_TIERS for t in tiers):
        results["meta"]["zim_articles"] = sizes_of(args.zim_articles)
    for name in tiers:
        print(f"[{name}] running", file=sys.stderr, flush=True)
        if name in ZIM_TIERS:
            results["tiers"][name] = run_zim(name, work, args)
            print(
                f"[{name}] done in {results['tiers'][name].get('seconds', '?')} s", file=sys.stderr
            )
            continue
        env = tier_env(work / "tiers" / name / "xdg")
        worker_args = [
            name,
            "--work",
            str(work),
            "--seed",
            str(args.seed),
            "--repeat",
            str(args.repeat),
            "--synth100k-articles",
            args.synth100k_articles,
            "--synth100k-index",
            args.synth100k_index,
        ]
        # Keystrokes on screen: the bundled tier and the biggest tier of the run (and both
        # tiers of a pair the report sets side by side).
        paired = name in COMPARED and set(COMPARED) <= set(tiers)
        if name in ("bundled", file_tiers[-1]) or paired:
            worker_args.append("--keystroke")
        out = work / "tiers" / name / "result.json"
        data = run_worker("tests.bench.tiers", worker_args, env, out, args.timeout)
        data.setdefault("tier", name)
        results["tiers"][name] = data
        print(f"[{name}] done in {data.get('seconds', '?')} s", file=sys.stderr, flush=True)
    if not args.no_ranking:
        print("[ranking] running", file=sys.stderr, flush=True)
        env = tier_env(work / "ranking" / "xdg")
        out = work / "ranking" / "result.json"
        ranking_args = ["run", "--work", str(work / "ranking"), "--seed", str(args.seed)]
        results["ranking"] = run_worker("tests.bench.ranking", ranking_args, env, out, 1800)
    results["meta"]["seconds"] = round(time.perf_counter() - started, 1)
    results["meta"]["load_average_at_end"] = " ".join(f"{x:.2f}" for x in os.getloadavg())
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=1, ensure_ascii=False))
    print(report.text_report(results))
    print(f"\ntotal {results['meta']['seconds']:.0f} s; JSON in {args.out}")
    if args.results_md:
        args.results_md.parent.mkdir(parents=True, exist_ok=True)
        args.results_md.write_text(report.markdown(results), encoding="utf-8")
        print(f"Markdown in {args.results_md}")


if __name__ == "__main__":
    main()
