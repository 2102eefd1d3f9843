"""Regenerate the README's pictures: .venv/bin/python docs/screenshot.py

docs/screenshot.svg: the reader at 110x32 after following a search hit;
docs/reader-80x24-search.svg: the reader at 80x24 with the section tree shown (`t`) and a
search open, the smallest common terminal (whole footer keys, ellipsised tree labels);
docs/table-rowspan-80x24.svg: a table with rowspan cells from the shared enwiki sample
(`termpedia import mediawiki` of ../shared/corpora/enwiki-sample.xml.bz2, when it is there)
at 80x24: "American Football Conference", its teams by division, aligned;
docs/ray-charles-filmography-80x24.svg: the Ray Charles filmography of the shared
ray-charles.zim (`termpedia import zim`, read in place) as a table at 80x24.
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
ZIM = HERE.parent.parent / "shared" / "corpora" / "ray-charles.zim"


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

    # As a reader would: the CLI imports a dump or an archive into a library of its own.
    for source, kind, start, picture in (
        (ENWIKI, "mediawiki", ROWSPAN, "table-rowspan-80x24.svg"),
        (ZIM, "zim", "Ray Charles#Film", "ray-charles-filmography-80x24.svg"),
    ):
        if not source.is_file():
            print(f"{source} is not there: docs/{picture} is left as it is")
            continue
        for command in (["import", kind, str(source)], ["index"]):
            cli = [sys.executable, "-m", "termpedia.tui.cli", *command]
            subprocess.run(cli, check=True, env=os.environ, stdout=subprocess.DEVNULL)
        index = open_index(index_dir(), default_shelves()).index
        table = TermpediaApp(index, start)
        async with table.run_test(size=(80, 24)) as pilot:
            await table.workers.wait_for_complete()
            await pilot.pause()
            table.save_screenshot(str(HERE / picture))


if __name__ == "__main__":
    asyncio.run(main())
