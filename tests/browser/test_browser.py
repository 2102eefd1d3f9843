"""`termpedia serve` in headless Chromium: the reader answers a search and follows a link;
keys that would write or start programs are off and say so; nothing under termpedia's
folders changes and no process starts; no request goes to another host; the index updated
while serving is picked up; a killed session tells its tab while the others go on; a
closed tab ends its session."""

from __future__ import annotations

import json
import os
import re
import signal
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import cli_env, run_cli

from tests.bench.zimsynth import synthetic_zim
from tests.browser.serving import (
    CHROMIUM,
    Browser,
    Served,
    alive,
    chromium,
    descendants,
    screen_text,
    start_server,
    tree_state,
    wait_for_screen,
    wait_until,
    xdg_folders,
)

pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="chromium is not installed (apt-get install chromium)"
)
pytest.importorskip("playwright.sync_api", reason="playwright is not installed (.[test])")

QUOKKA = """= Quokka =

Quokka
- Kind: Marsupial

The quokka is a small marsupial of Rottnest Island, first described beside [[Leon Trotsky]]
by nobody at all.

==Habitat==
Scrubland on Rottnest Island.

==See also==
- Leon Trotsky
"""

WOMBAT = """= Wombat =

The wombat is a burrowing marsupial of the Snowy Mountains.

==See also==
- Quokka
"""

OWNER_BOOKMARK = "Owner's private bookmark"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Served, Path]]:
    """A server of the bundled encyclopedia, a --library folder and a ZIM archive registered
    in place and not yet indexed (a normal reader would start the archive indexer); the
    owner has bookmarks, history, settings and a key map a session must not see."""
    base = tmp_path_factory.mktemp("served")
    env = cli_env(base)
    shelf = base / "shelf"
    shelf.mkdir()
    (shelf / "quokka.txt").write_text(QUOKKA, encoding="utf-8")
    synthetic_zim(base / "small.zim", 40, seed=5)
    imported = run_cli(env, "import", "zim", str(base / "small.zim"))
    assert imported.code == 0, imported.err
    state = Path(env["XDG_STATE_HOME"]) / "termpedia"
    config = Path(env["XDG_CONFIG_HOME"]) / "termpedia"
    state.mkdir(parents=True)
    config.mkdir(parents=True)
    mark = {"name": OWNER_BOOKMARK, "title": "Karl Radek", "anchor": "", "library": "bundled"}
    (state / "bookmarks.json").write_text(json.dumps([mark]))
    (state / "history.json").write_text(json.dumps([{"title": "Karl Radek"}]))
    (config / "settings.json").write_text(json.dumps({"theme": "gruvbox"}))
    # Read by a session, this would take "/" away from the search bar.
    (config / "keymap.json").write_text(json.dumps({"app.search": "f12"}))
    served = start_server(env, "--library", str(shelf))
    try:
        yield served, base
    finally:
        served.stop()


@pytest.fixture(scope="module")
def browser(
    site: tuple[Served, Path], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Browser]:
    served, _ = site
    with chromium(tmp_path_factory.mktemp("chromium"), served.port) as opened:
        opened.context.grant_permissions(
            ["clipboard-read", "clipboard-write"], origin=served.url.rstrip("/")
        )
        yield opened
    assert opened.refused == [], "the page asked another host for something"


def open_reader(browser: Browser, served: Served) -> tuple[object, int]:
    """A new tab on the reader, once it shows its first screen; and its session's pid."""
    before = set(served.sessions())
    page = browser.page()
    page.goto(served.url)
    wait_for_screen(page, r"Getting around")
    page.focus(".xterm-helper-textarea")
    (pid,) = set(served.sessions()) - before
    return page, pid


def escape(page: object) -> None:
    """Esc, then a pause: an Esc followed at once by a key reads as Alt and that key."""
    page.keyboard.press("Escape")  # type: ignore[attr-defined]
    page.wait_for_timeout(200)  # type: ignore[attr-defined]


def test_a_session_searches_follows_links_and_changes_nothing(
    site: tuple[Served, Path], browser: Browser
) -> None:
    served, _ = site
    before = tree_state(*xdg_folders(served.env))
    page, pid = open_reader(browser, served)
    keys = page.keyboard  # type: ignore[attr-defined]

    keys.type("/")
    keys.type("rottnest marsupial")
    wait_for_screen(page, r"Quokka")
    keys.press("Enter")
    wait_for_screen(page, r"^.*Quokka  \[shelf\]")  # the header: the title and its library
    keys.press("Tab")
    keys.press("Enter")
    text = wait_for_screen(page, r"^.*Leon Trotsky")
    assert "Quokka" not in text.splitlines()[0]

    keys.press("e")
    wait_for_screen(page, r"Editing is off here")
    keys.press("a")
    wait_for_screen(page, r"New articles are off here")
    keys.press("m")
    wait_for_screen(page, r"for this session only")
    keys.press("'")
    text = wait_for_screen(page, r"Leon Trotsky")
    assert OWNER_BOOKMARK not in text
    escape(page)
    # The notices of e and a stay a few seconds, over the rows of the help read below.
    assert wait_until(lambda: "off here" not in screen_text(page), 20) is not None
    keys.press("?")
    text = wait_for_screen(page, r"Served to a browser")
    assert "Bookmarks and history last for this session only" in text
    # e and a, off, are gone from between their neighbours.
    assert re.search(r"Random article *│[^\n]*\n[^\n]*Search in library", text), text
    assert "Edit article" not in text and "New article" not in text
    escape(page)

    keys.press("y")
    wait_for_screen(page, r"Copied the section")
    copied = page.evaluate("navigator.clipboard.readText()")  # type: ignore[attr-defined]
    assert "Trotsky" in copied

    # No editor, indexer or other program: the server runs this one session, which runs
    # nothing; and not a file of termpedia's changed (the owner's files included).
    assert served.sessions() == [pid]
    assert descendants(pid) == []
    assert tree_state(*xdg_folders(served.env)) == before
    page.close()  # type: ignore[attr-defined]


def test_an_index_update_while_serving_is_picked_up(
    site: tuple[Served, Path], browser: Browser
) -> None:
    served, base = site
    page, _ = open_reader(browser, served)
    (base / "shelf" / "wombat.txt").write_text(WOMBAT, encoding="utf-8")
    indexed = run_cli(served.env, "index", "--library", str(base / "shelf"))
    assert indexed.code == 0, indexed.err
    keys = page.keyboard  # type: ignore[attr-defined]
    # The open session: at its next search (it looks for a new generation every 2 s).
    wait_until(lambda: False, 2.5)
    keys.type("/snowy burrowing")
    wait_for_screen(page, r"Wombat")
    page.close()  # type: ignore[attr-defined]
    # A new session.
    page, _ = open_reader(browser, served)
    page.keyboard.type("/snowy burrowing")  # type: ignore[attr-defined]
    wait_for_screen(page, r"Wombat")
    page.close()  # type: ignore[attr-defined]


def test_a_killed_session_tells_its_tab_and_the_others_go_on(
    site: tuple[Served, Path], browser: Browser
) -> None:
    served, _ = site
    doomed, doomed_pid = open_reader(browser, served)
    other, _ = open_reader(browser, served)
    os.kill(doomed_pid, signal.SIGKILL)
    doomed.wait_for_selector("body.-closed .ended", timeout=5000)  # type: ignore[attr-defined]
    message = doomed.inner_text("#ended-message")  # type: ignore[attr-defined]
    assert "ended unexpectedly" in message
    assert served.process.poll() is None
    other.keyboard.type("/marsupial")  # type: ignore[attr-defined]
    wait_for_screen(other, r"Quokka")
    doomed.close()  # type: ignore[attr-defined]
    other.close()  # type: ignore[attr-defined]


def test_closing_a_tab_ends_its_session_within_5_s(
    site: tuple[Served, Path], browser: Browser
) -> None:
    served, _ = site
    page, pid = open_reader(browser, served)
    assert "termpedia" in screen_text(page)
    page.close()  # type: ignore[attr-defined]
    took = wait_until(lambda: not alive(pid), 5)
    assert took is not None, "the session's process outlived its tab by 5 s"
