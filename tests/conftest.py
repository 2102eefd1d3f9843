"""Shared fixtures: every test gets its own XDG directories, so no test sees the reader's files."""

from __future__ import annotations

import gzip
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from termpedia.content.importers.dictd import ALPHABET

ROOT = Path(__file__).resolve().parent.parent
ARTICLES = ROOT / "content" / "data" / "articles"
SEED = ARTICLES / "the-permanent-revolution-and-results-and-prospects.txt"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SHARED = ROOT.parent / "shared"


def xdg_dirs(base: Path) -> dict[str, str]:
    """XDG_{DATA,CONFIG,STATE,CACHE}_HOME: folders made under `base`."""
    made = {}
    for name in ("DATA", "CONFIG", "STATE", "CACHE"):
        folder = base / name.lower()
        folder.mkdir(parents=True, exist_ok=True)
        made[f"XDG_{name}_HOME"] = str(folder)
    return made


def cli_env(base: Path) -> dict[str, str]:
    """os.environ for a termpedia subprocess, with every XDG directory moved under `base`."""
    env = {**os.environ, **xdg_dirs(base)}
    env["NO_COLOR"] = "1"
    env["PYTHONIOENCODING"] = "utf-8"
    return env


@dataclass
class Run:
    """A finished subprocess: exit code, decoded and raw output, wall time."""

    code: int
    out: str
    err: str
    raw_out: bytes
    raw_err: bytes
    seconds: float

    @property
    def err_lines(self) -> list[str]:
        return self.err.splitlines()

    def json(self) -> object:
        return json.loads(self.out)


def run_process(command: list[str], env: dict[str, str], timeout: float = 120) -> Run:
    """`command` in `env`, from the project folder, with no stdin."""
    started = time.perf_counter()
    done = subprocess.run(
        command, env=env, capture_output=True, timeout=timeout, cwd=ROOT, stdin=subprocess.DEVNULL
    )
    return Run(
        done.returncode,
        done.stdout.decode("utf-8"),
        done.stderr.decode("utf-8"),
        done.stdout,
        done.stderr,
        time.perf_counter() - started,
    )


def run_cli(env: dict[str, str], *args: str, timeout: float = 120) -> Run:
    """`python -m termpedia.tui.cli ARGS` in `env`."""
    return run_process([sys.executable, "-m", "termpedia.tui.cli", *args], env, timeout)


@pytest.fixture(autouse=True)
def isolated_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Point XDG_{DATA,CONFIG,STATE,CACHE}_HOME into the test's temporary folder."""
    home = tmp_path / "home"
    for key, folder in xdg_dirs(home).items():
        monkeypatch.setenv(key, folder)
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


# -- a dictd dictionary, for the importer tests -------------------------------------------


def encode(number: int) -> str:
    """dictd base-64, for writing test indexes."""
    digits = ""
    while True:
        number, digit = divmod(number, 64)
        digits = ALPHABET[digit] + digits
        if not number:
            return digits


def write_dictionary(
    folder: Path,
    entries: list[tuple[str, str]],
    name: str = "tiny",
    compress: bool = False,
    index_lines: list[str] | None = None,
) -> Path:
    """`name.index` + `name.dict` (or `.dict.dz`) holding (index headword, text) entries."""
    folder.mkdir(parents=True, exist_ok=True)
    data = bytearray()
    lines = []
    for headword, text in entries:
        raw = text.encode("utf-8")
        lines.append(f"{headword}\t{encode(len(data))}\t{encode(len(raw))}")
        data += raw
    if index_lines is not None:
        lines = index_lines + lines
    index = folder / f"{name}.index"
    index.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    if compress:
        (folder / f"{name}.dict.dz").write_bytes(gzip.compress(bytes(data)))
    else:
        (folder / f"{name}.dict").write_bytes(bytes(data))
    return index
