"""The ZIM issue's walk-through at full size, as a reader would do it, with what it printed.

Usage: .venv/bin/python -m tests.bench.zimwalk [--articles 100000] [--seed 1]
       [--work tests/bench/out/work] [--no-index]

On the zim tier's synthetic archive (written once by libzim's Creator, reused), in XDG
folders of its own: `termpedia import zim` (wall time, bytes added); straight after, `show` of
an article by title and `search` by its title and by a phrase of its body, four words in a
row (provisional answers); `termpedia index` killed with SIGKILL once half of the archive is
indexed, then run again (where its progress starts); the phrase again once indexed; the
archive moved away (`library list`, `show` and its exit code) and put back (`index` has
nothing to do).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

from .zimtier import make_zim

NAME = "walk"


def run(env: dict[str, str], *args: str, timeout: float = 600) -> tuple[int, str, str, float]:
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "termpedia.tui.cli", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        stdin=subprocess.DEVNULL,
    )
    return done.returncode, done.stdout, done.stderr, time.perf_counter() - started


def tree_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def indexed(home: Path) -> tuple[int, int]:
    """Articles indexed and in all, from the parts' checkpoints and the archive's record
    (what the indexer itself goes by)."""
    done = total = 0
    for checkpoint in home.rglob("part-*/checkpoint.json"):
        done += int(json.loads(checkpoint.read_text())["articles"])
    for record in home.rglob("archives/*/archive.json"):
        total = int(json.loads(record.read_text())["articles"])
    return done, total


def clean(line: str) -> str:
    return line.replace("\x1b[K", "").strip()


def show(label: str, result: tuple[int, str, str, float], lines: int = 4) -> None:
    code, out, err, seconds = result
    print(f"$ {label}   -> exit {code}, {seconds:.2f} s")
    for line in (out.strip().splitlines() + err.strip().splitlines())[:lines]:
        print(f"    {line[:150]}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--work", type=Path, default=Path("tests/bench/out/work"))
    parser.add_argument(
        "--no-index", action="store_true", help="stop after the searches straight after import"
    )
    options = parser.parse_args()
    info = make_zim(options.work, options.articles, options.seed)
    archive = Path(info["path"]).resolve()
    print(f"archive: {archive} ({info['bytes'] / 1e6:.1f} MB, {options.articles:,} articles)")
    home = options.work / "zimwalk"
    shutil.rmtree(home, ignore_errors=True)
    env = dict(os.environ, NO_COLOR="1", PYTHONIOENCODING="utf-8")
    for name in ("DATA", "CONFIG", "STATE", "CACHE"):
        (home / name.lower()).mkdir(parents=True)
        env[f"XDG_{name}_HOME"] = str((home / name.lower()).resolve())
    run(env, "index")  # the bundled index first, as on any machine that ran termpedia once
    before = tree_bytes(home)
    result = run(env, "import", "zim", str(archive), "--name", NAME)
    show(f"termpedia import zim {archive.name} --name {NAME}", result)
    print(f"    bytes added: {tree_bytes(home) - before:,}")

    from libzim.reader import Archive  # type: ignore[import-not-found]

    zim = Archive(str(archive))
    entry = zim._get_entry_by_id(zim.entry_count // 3)
    while entry.is_redirect or not entry.get_item().mimetype.startswith("text/html"):
        entry = zim._get_entry_by_id(entry._index + 1)
    title = entry.title
    shown = run(env, "show", title)
    show(f"termpedia show {title!r}", shown)
    body = [line for line in shown[1].splitlines() if len(line.split()) > 12]
    # Four words in a row of one sentence of the body, the ones a reader would remember: of
    # the sentences' four-word windows, the one whose words are in the fewest articles
    # (libzim's estimated matches of each word alone).
    from libzim.search import Query, Searcher

    searcher = Searcher(zim)
    articles_with: dict[str, int] = {}

    def spread(word: str) -> int:
        if word not in articles_with:
            found = searcher.search(Query().set_query(word))
            articles_with[word] = int(found.getEstimatedMatches())
        return articles_with[word]

    runs = [r.split() for line in body for r in re.split(r"[^A-Za-z ]+", line)]
    windows = [run[n : n + 4] for run in runs for n in range(len(run) - 3)]
    phrase = " ".join(min(windows, key=lambda w: sum(spread(x.lower()) for x in w)))
    show(f"termpedia search {title!r}", run(env, "search", title, "--limit", "3"))
    quoted = f'"{phrase}"'
    show(f"termpedia search '{quoted}'", run(env, "search", quoted, "--limit", "3"))

    if options.no_index:
        return
    print("$ termpedia index   (killed with SIGKILL once half the archive is indexed)")
    started = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-m", "termpedia.tui.cli", "index"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    total = options.articles
    while True:
        time.sleep(2)
        done, total = indexed(home)
        if total and done * 2 >= total:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
            break
        if process.poll() is not None:
            raise SystemExit("index finished before half way")
    print(f"    killed after {time.perf_counter() - started:.0f} s at {done:,} of {total:,}")
    time.sleep(1)
    done, total = indexed(home)
    print(f"    after the kill, library list: {done:,} of {total:,} indexed")
    process = subprocess.Popen(
        ["script", "-qfec", f"{sys.executable} -m termpedia.tui.cli index", "/dev/null"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    assert process.stdout is not None
    started = time.perf_counter()
    output = process.stdout.read()
    process.wait()
    draws = [d for d in re.split(r"[\r\n]", output) if "indexing" in d and "/" in d]
    print(
        f"$ termpedia index   (again) -> exit {process.returncode}, "
        f"{time.perf_counter() - started:.0f} s"
    )
    if draws:
        print(f"    its first progress line: {clean(draws[0])}")
    for line in output.splitlines()[-3:]:
        print(f"    {clean(line)[-150:]}")
    show(f"termpedia search '{quoted}'", run(env, "search", quoted, "--limit", "3"))

    away = archive.with_name(archive.name + ".away")
    archive.rename(away)
    try:
        show("(archive moved away) termpedia library list", run(env, "library", "list"), 8)
        show(f"(archive moved away) termpedia show {title!r}", run(env, "show", title))
    finally:
        away.rename(archive)
    show("(put back) termpedia library list", run(env, "library", "list"), 8)
    show("(put back) termpedia index", run(env, "index"))
    show(f"(put back) termpedia search '{quoted}'", run(env, "search", quoted, "--limit", "1"))


if __name__ == "__main__":
    main()
