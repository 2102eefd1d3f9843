"""Regenerate the README's pictures: .venv/bin/python docs/screenshot.py

docs/screenshot.svg: the reader at 110x32 after following a search hit;
docs/reader-80x24-search.svg: the reader at 80x24 with the section tree shown (`t`) and a
search open, the smallest common terminal (whole footer keys, ellipsised tree labels);
docs/table-rowspan-80x24.svg: a table with rowspan cells from the shared enwiki sample
(`termpedia import mediawiki` of ../shared/corpora/enwiki-sample.xml.bz2, when it is there)
at 80x24: "American Football Conference", its teams by division, aligned;
docs/ray-charles-filmography-80x24.svg: the Ray Charles filmography of the shared
ray-charles.zim (`termpedia import zim`, read in place) as a table at 80x24;
docs/chinese-article-80x24.svg and docs/chinese-search-80x24.svg: the Chinese test library
(tests/fixtures/cjk/zh, language zh) at 80x24: 北京 with the section tree shown, its text
wrapped between characters; a search for 首都 with the matched characters highlighted in
snippets wrapped inside the results.
"""

from __future__ import annotations

import asyncio
import html
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ENWIKI = HERE.parent.parent / "shared" / "corpora" / "enwiki-sample.xml.bz2"
ROWSPAN = "American Football Conference#Current teams"
"""An article of the enwiki sample whose table has cells spanning rows (its divisions)."""
ZIM = HERE.parent.parent / "shared" / "corpora" / "ray-charles.zim"
CHINESE = HERE.parent / "tests" / "fixtures" / "cjk" / "zh"


TEXT = re.compile(r'(<text [^>]*?textLength=")([0-9.]+)("[^>]*>)([^<]*)(</text>)')


def wide_text_lengths(path: Path) -> None:
    """Give each text of an SVG the width of its terminal cells: Rich's export sets a text's
    textLength by its characters, which squeezes a double-width (CJK) character into one
    cell while the next text starts two cells on (its x is counted in cells)."""
    from rich.cells import cell_len

    def widen(match: re.Match[str]) -> str:
        head, length, middle, escaped, tail = match.groups()
        text = html.unescape(escaped)
        cells = cell_len(text)
        if not text or cells == len(text):
            return match.group(0)
        width = float(length) / len(text) * cells
        return f"{head}{width:g}{middle}{escaped}{tail}"

    path.write_text(TEXT.sub(widen, path.read_text(encoding="utf-8")), encoding="utf-8")


async def main() -> None:
    work = Path(tempfile.mkdtemp())
    for name in ("DATA", "CONFIG", "STATE", "CACHE"):
        os.environ[f"XDG_{name}_HOME"] = str(work / name.lower())
    from termpedia.content.library import Shelf, default_shelves
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

    # The Chinese test library, as a library of language zh (what `termpedia import zim`
    # records for a Chinese archive), in an index of its own.
    chinese = open_index(work / "chinese-index", [Shelf("zh", CHINESE, language="zh")]).index
    article = TermpediaApp(chinese, "北京")
    async with article.run_test(size=(80, 24)) as pilot:
        await article.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("t")
        await pilot.pause()
        article.save_screenshot(str(HERE / "chinese-article-80x24.svg"))
    wide_text_lengths(HERE / "chinese-article-80x24.svg")
    search = TermpediaApp(chinese, "北京")
    async with search.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("slash", *"首都")
        await search.workers.wait_for_complete()
        await pilot.pause(0.5)
        await search.workers.wait_for_complete()
        await pilot.pause()
        search.save_screenshot(str(HERE / "chinese-search-80x24.svg"))
    wide_text_lengths(HERE / "chinese-search-80x24.svg")

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
