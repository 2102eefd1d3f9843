"""A screenshot of an article with tables at 80 columns, the smallest common terminal,
compared with its SVG in __snapshots__/ (pytest-textual-snapshot; see test_snapshots.py).

An aligned table (a wrapped cell, a right-aligned column, a link in a cell), then a table
too wide for 80 columns, folded into `Header: value` lines.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from textual.pilot import Pilot

from termpedia.content.library import Shelf
from termpedia.index.build import update
from termpedia.index.search import Index
from termpedia.tui.app import TermpediaApp

TABLES = Path(__file__).resolve().parent.parent / "fixtures" / "tables"

SnapCompare = Callable[..., bool]


@pytest.fixture(scope="module")
def tables_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("tables-index")
    update(root, [Shelf("tables", TABLES)])
    return root


async def settle(pilot: Pilot[None]) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def test_an_article_with_tables_at_80_columns(
    snap_compare: SnapCompare, tables_index: Path
) -> None:
    app = TermpediaApp(Index(tables_index), "Natural resources of Estonia")
    assert snap_compare(app, terminal_size=(80, 30), run_before=settle)
