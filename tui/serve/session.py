"""One browser tab's reader: `python -m termpedia.tui.serve.session --index DIR [--library DIR]`.

textual-serve starts this for each tab, with Textual's web driver. It opens the last complete
index as it is (it never builds or updates one: `termpedia serve` did that before serving,
and `termpedia index` does it while serving; the reader picks up a new generation by itself)
and runs the reader in served mode: no state read from or written to disk, no editing, no
file opened by path, no index work, no program started.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from termpedia.content.library import Shelf, default_shelves
from termpedia.index.ensure import archives_of
from termpedia.index.search import Index, IndexMissing
from termpedia.index.store import current_generation
from termpedia.tui.services import Services
from termpedia.tui.state import ReaderState


def refuse_editor(app: object, path: Path) -> None:
    """The editor of a served session: there is none (the reader's keys never get here)."""
    raise PermissionError(f"a served session edits no file ({path.name})")


def served_services(shelves: list[Shelf]) -> Services:
    """What a served reader gets: a state of its own in memory, no editor, and no index
    root, so that its IndexUpkeep updates, rebuilds and indexes nothing (and starts no
    archive indexer) while it still picks up what `termpedia index` writes."""
    services = Services(ReaderState.for_session(), index_root=None, shelves=shelves)
    services.editor = refuse_editor
    return services


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="termpedia.tui.serve.session")
    parser.add_argument("--index", type=Path, required=True, metavar="DIR")
    parser.add_argument("--library", type=Path, action="append", default=[], metavar="DIR")
    args = parser.parse_args(argv)
    shelves = default_shelves(args.library)
    try:
        if current_generation(args.index) is None:
            raise IndexMissing(f"{args.index}: no index here yet")
        index = Index(args.index, lazy=True, archives=archives_of(shelves))
    except IndexMissing as error:
        print(f"termpedia: {error} (run termpedia index)", file=sys.stderr)
        return 3
    from termpedia.tui.app import run

    return run(index, services=served_services(shelves))


if __name__ == "__main__":
    raise SystemExit(main())
