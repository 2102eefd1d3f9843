"""Screenshots of the reader, compared with the SVGs in __snapshots__/ (pytest-textual-snapshot).

Regenerate after an intended change of looks with
`.venv/bin/python -m pytest tests/snapshots --snapshot-update`, then look at the SVGs.
The index is built in the test session's temporary folder (no clock, no paths on screen).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import Input

from termpedia.index.search import Index
from termpedia.tui.app import TermpediaApp

SEED = "The Permanent Revolution and Results and Prospects"
SIZE = (100, 30)

SnapCompare = Callable[..., bool]
"""pytest-textual-snapshot's `snap_compare(app, press=, terminal_size=, run_before=)`."""


def make_app(bundled_index: Path, start: str | None = SEED) -> TermpediaApp:
    return TermpediaApp(Index(bundled_index), start)


async def settle(pilot: Pilot[None]) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def test_the_seed_article(snap_compare: SnapCompare, bundled_index: Path) -> None:
    assert snap_compare(make_app(bundled_index), terminal_size=SIZE, run_before=settle)


def test_search_results_for_permanent_revolution(
    snap_compare: SnapCompare, bundled_index: Path
) -> None:
    async def type_query(pilot: Pilot[None]) -> None:
        await settle(pilot)
        # A blinking cursor could be caught in either phase: keep it steadily shown.
        pilot.app.screen.query_one("#search", Input).cursor_blink = False
        await pilot.press("slash", *"permanent revolution")
        await settle(pilot)

    assert snap_compare(make_app(bundled_index), terminal_size=SIZE, run_before=type_query)


def test_the_help_screen(snap_compare: SnapCompare, bundled_index: Path) -> None:
    async def open_help(pilot: Pilot[None]) -> None:
        await settle(pilot)
        await pilot.press("question_mark")
        await pilot.pause()

    assert snap_compare(make_app(bundled_index), terminal_size=SIZE, run_before=open_help)
