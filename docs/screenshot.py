"""Regenerate the README's pictures: .venv/bin/python docs/screenshot.py

docs/screenshot.svg: the reader at 110x32 after following a search hit;
docs/reader-80x24-search.svg: the reader at 80x24 with the section tree shown (`t`) and a
search open, the smallest common terminal (whole footer keys, ellipsised tree labels);
docs/table-rowspan-80x24.svg: a table with rowspan cells from the shared enwiki sample
(`termpedia import mediawiki` of ../shared/corpora/enwiki-sample.xml.bz2, when it is there)
at 80x24: "American Football Conference", its teams by division, aligned.
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ENWIKI = HERE.parent.parent / "shared" / "corpora" / "enwiki-sample.xml.bz2"
ROWSPAN = "American Football Conference#Current teams"
"""An article of the enwiki sample whose table has cells spanning rows (its divisions)."""


async def main() -> None:
    work = Path(tempfile.mkdtemp())
    for name in ("DATA", "CONFIG", "STATE", "CACHE"):
        os.environ[f"XDG_{name}_HOME"] = str(work / name.lower())
    from termpedia.content.library import default_shelves
    from termpedia.content.paths import index_dir
    from termpedia.index.ensure import open_index
    from termpedia.tui.app import TermpediaApp

    index = open_index(index_dir(), default_shelves()).index
    app = TermpediaApp(index, "The Permanent Revolution and Results and Prospects")
    async with app.run_test(size=(110, 32)) as pilot:
        await pilot.press("slash", *"knei-paz")
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("tab")
        await pilot.pause()
        app.save_screenshot(str(HERE / "screenshot.svg"))

    small = TermpediaApp(index, "The Permanent Revolution and Results and Prospects")
    async with small.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("t", "slash", *"permanent rev")
        await small.workers.wait_for_complete()
        await pilot.pause(0.5)
        await small.workers.wait_for_complete()
        await pilot.pause()
        small.save_screenshot(str(HERE / "reader-80x24-search.svg"))

    if not ENWIKI.is_file():
        print(f"{ENWIKI} is not there: docs/table-rowspan-80x24.svg is left as it is")
        return
    # As a reader would: the CLI imports the dump into a library of its own and indexes it.
    command = [sys.executable, "-m", "termpedia.tui.cli", "import", "mediawiki", str(ENWIKI)]
    subprocess.run(command, check=True, env=os.environ, stdout=subprocess.DEVNULL)
    index = open_index(index_dir(), default_shelves()).index
    table = TermpediaApp(index, ROWSPAN)
    async with table.run_test(size=(80, 24)) as pilot:
        await table.workers.wait_for_complete()
        await pilot.pause()
        table.save_screenshot(str(HERE / "table-rowspan-80x24.svg"))


if __name__ == "__main__":
    asyncio.run(main())
