"""Small entry points the benchmark runs as subprocesses (with the tier's environment).

`python -m tests.bench.launch build --index DIR --shelf NAME=PATH[=LANG] ...`
    a full build (`update(..., rebuild=True)`) of those shelves; prints one JSON line.
`python -m tests.bench.launch reindex --index DIR --shelf ... --edit PATH --title T --runs N`
    re-index of one edited article in a process that holds only the open index, as the
    app's does: N times, append a new word to PATH, then update() + refresh() + a search
    that must find it; prints one JSON line.
`python -m tests.bench.launch app --index DIR --shelf ... [--start TITLE]`
    the app as `termpedia` starts it (the last index at once, the reader, then its check for
    changed files in the background),
    for an index that was built with shelves the command line would name differently.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import string
import time
from pathlib import Path


def shelves_from(specs: list[str]) -> list[object]:
    from termpedia.content.library import Shelf, bundled_shelf

    shelves: list[object] = []
    for spec in specs:
        name, _, rest = spec.partition("=")
        root, _, language = rest.partition("=")
        if name == "bundled" and not root:
            shelves.append(bundled_shelf())
        else:
            shelves.append(
                Shelf(name, Path(root), writable=name == "user", language=language or "en")
            )
    return shelves


def shelf_specs(shelves: list[object]) -> list[str]:
    """The --shelf arguments for a list of Shelf values."""
    return [f"{s.name}={s.root}={s.language}" for s in shelves]  # type: ignore[attr-defined]


def build(args: argparse.Namespace) -> None:
    from termpedia.index.build import update

    started = time.perf_counter()
    report = update(Path(args.index), shelves_from(args.shelf), rebuild=True)  # type: ignore[arg-type]
    wall = time.perf_counter() - started
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    print(
        json.dumps(
            {
                "seconds": round(report.seconds, 3),
                "wall_seconds": round(wall, 3),
                "articles": report.articles,
                "sections": report.sections,
                "problems": len(report.problems),
                "ru_maxrss_self_mb": round(own / 1024, 1),
                "ru_maxrss_children_mb": round(kids / 1024, 1),
            }
        )
    )


def app(args: argparse.Namespace) -> None:
    from termpedia.index.ensure import open_last

    root = Path(args.index)
    shelves = shelves_from(args.shelf)
    opened = open_last(root, shelves)  # type: ignore[arg-type]
    from termpedia.tui.app import run
    from termpedia.tui.services import Services
    from termpedia.tui.state import ReaderState

    services = Services(
        ReaderState.load(),
        index_root=root,
        shelves=shelves,  # type: ignore[arg-type]
        catch_up=not opened.checked,
    )
    run(opened.index, target=args.start, services=services)


def reindex(args: argparse.Namespace) -> None:
    from termpedia.index.build import update
    from termpedia.index.search import Index

    root = Path(args.index)
    shelves = shelves_from(args.shelf)
    path = Path(args.edit)
    base = path.read_text(encoding="utf-8")
    index = Index(root)
    rng = random.Random(args.seed)
    times, indexed, found = [], [], 0
    for _ in range(args.runs):
        word = "zq" + "".join(rng.choice(string.ascii_lowercase) for _ in range(10))
        path.write_text(f"{base}\nEdited: {word}.\n", encoding="utf-8")
        started = time.perf_counter()
        report = update(root, shelves)  # type: ignore[arg-type]
        index.refresh()
        result = index.search(word, limit=5)
        times.append(time.perf_counter() - started)
        indexed.append(report.indexed)
        found += any(hit.title == args.title for hit in result.hits)
    print(json.dumps({"seconds": times, "files_reindexed": indexed, "found": found}))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("what", choices=("build", "app", "reindex"))
    parser.add_argument("--index", required=True)
    parser.add_argument("--shelf", action="append", default=[])
    parser.add_argument("--start")
    parser.add_argument("--edit")
    parser.add_argument("--title")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    {"build": build, "app": app, "reindex": reindex}[args.what](args)


if __name__ == "__main__":
    main()
