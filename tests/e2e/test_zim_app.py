"""End to end: the app on a Kiwix archive read in place (`termpedia X.zim`), in tmux, while
its section index is built by the indexer process beside it: the main page first, the
indexer's progress in the status line, title suggestions at once, typing answered, `e`
making the reader's own copy."""

from __future__ import annotations

import json
import re
import shlex
import time
from pathlib import Path

from conftest import xdg_dirs
from test_tmux import Tmux, termpedia_program, tmux  # noqa: F401 - the fixture

from tests.bench.zimsynth import synthetic_zim

WIDTH = 100


def test_the_app_reads_an_archive_while_indexing_it(tmux: Tmux, tmp_path: Path) -> None:  # noqa: F811
    archive = tmp_path / "bigger.zim"
    made = synthetic_zim(archive, 4000, seed=9)
    title = made.titles[123]
    dirs = xdg_dirs(tmp_path / "xdg")
    env = {"TERM": "xterm-256color", "TEXTUAL_ANIMATIONS": "none", "NO_COLOR": "1", **dirs}
    tmux.start(f"{shlex.quote(termpedia_program())} {shlex.quote(str(archive))}", env)

    # The archive's main page first, and the indexer's progress in the status line.
    tmux.wait_for("the main page", lambda s: any("Synthetic archive" in line for line in s))
    progress = tmux.wait_for(
        "the indexing progress", lambda s: any("Indexing bigger:" in line for line in s)
    )
    shown = next(line for line in progress if "Indexing bigger:" in line)
    assert re.search(r"Indexing bigger: \d+% \([\d,]+ of 4,001 articles", shown), shown

    # Titles are suggested at once, from the archive, while the indexer runs.
    def to_the_search_bar() -> None:
        # Escape, and wait for it to land: "Escape /" sent at once reads as alt+/.
        tmux.send("Escape")
        tmux.wait_for("the text to have the focus", lambda s: "Next link" in s[-1])
        tmux.send("/")
        tmux.wait_for("the search bar", lambda s: "Next link" not in s[-1])

    waits = []
    for prefix in (title[:3], title[:6], title):
        to_the_search_bar()
        tmux.type(prefix)
        started = time.monotonic()
        tmux.wait_for(
            f"suggestions for {prefix!r}",
            lambda s, p=prefix: any(title in line for line in s[3:]) or "match" in "".join(s),
        )
        waits.append(time.monotonic() - started)
    assert max(waits) < 2.0, waits  # answered while the indexer works on both cores
    to_the_search_bar()
    tmux.type(title)
    tmux.wait_for("the title among the results", lambda s: any(title in line for line in s[3:]))
    tmux.send("Enter")
    tmux.wait_for("the article", lambda s: title in s[0])

    # Quitting ends the indexer; its checkpoints keep what it did.
    tmux.send("q")
    tmux.wait_for_exit()
    checkpoints = list(Path(dirs["XDG_CACHE_HOME"]).rglob("checkpoint.json"))
    assert checkpoints
    indexed = sum(json.loads(c.read_text())["articles"] for c in checkpoints)
    assert indexed > 0
