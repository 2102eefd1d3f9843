"""Shared fixtures: every test gets its own XDG directories, so no test sees the reader's files."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
ARTICLES = ROOT / "content" / "data" / "articles"
SEED = ARTICLES / "the-permanent-revolution-and-results-and-prospects.txt"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SHARED = ROOT.parent / "shared"


def cli_env(base: Path) -> dict[str, str]:
    """os.environ for a termpedia subprocess, with every XDG directory moved under `base`."""
    env = dict(os.environ)
    for name in ("DATA", "CONFIG", "STATE", "CACHE"):
        folder = base / name.lower()
        folder.mkdir(parents=True, exist_ok=True)
        env[f"XDG_{name}_HOME"] = str(folder)
    env["NO_COLOR"] = "1"
    env["PYTHONIOENCODING"] = "utf-8"
    return env


@pytest.fixture(autouse=True)
def isolated_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Point XDG_{DATA,CONFIG,STATE,CACHE}_HOME into the test's temporary folder."""
    home = tmp_path / "home"
    for name in ("DATA", "CONFIG", "STATE", "CACHE"):
        folder = home / name.lower()
        folder.mkdir(parents=True)
        monkeypatch.setenv(f"XDG_{name}_HOME", str(folder))
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("TEXTUAL_ANIMATIONS", "none")
    yield home


@pytest.fixture(scope="session")
def bundled_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An index of the bundled encyclopedia, built once per test session (read-only use)."""
    from termpedia.content.library import bundled_shelf
    from termpedia.index.build import update

    root = tmp_path_factory.mktemp("bundled-index")
    update(root, [bundled_shelf()])
    return root


def pytest_configure(config: pytest.Config) -> None:
    # pytest-textual-snapshot writes snapshot_report.html into the current folder when a
    # snapshot differs; unless a path was given, write it to the temporary folder instead.
    if config.getoption("--snapshot-report", default=None) == "snapshot_report.html":
        config.option.snapshot_report = str(
            Path(tempfile.gettempdir()) / "termpedia-snapshot-report.html"
        )
