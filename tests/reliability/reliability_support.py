"""Shared helpers of the reliability suite: environments, CLI runs, polling, generated corpora.

Not a conftest (the other suites do `from conftest import ...`, so a second conftest module
would shadow theirs); the test modules import what they need from here.
"""

from __future__ import annotations

import hashlib
import os
import random
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from conftest import Run, run_cli, run_process
from hypothesis import HealthCheck, settings

from termpedia.content.library import BUNDLED, USER, Shelf, bundled_shelf, library_name

ROOT = Path(__file__).resolve().parents[2]

# -- hypothesis profiles ---------------------------------------------------------------------
# Default: small, for the normal run. HYPOTHESIS_PROFILE=reliability-fuzz: the big run.
settings.register_profile(
    "reliability-default",
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile(
    "reliability-fuzz",
    max_examples=10_000,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
BIG_RUN = os.environ.get("HYPOTHESIS_PROFILE") == "reliability-fuzz"
PROFILE = settings.get_profile("reliability-fuzz" if BIG_RUN else "reliability-default")


def scaled(default: int, big: int) -> settings:
    """A profile with another example count (for slow properties), scaled in the big run."""
    return settings(PROFILE, max_examples=big if BIG_RUN else default)


# -- environments and the command line -------------------------------------------------------


def make_env(base: Path, **overrides: Path) -> dict[str, str]:
    """os.environ with the four XDG directories under `base` (or as given), no colour."""
    env = dict(os.environ)
    for name in ("DATA", "CONFIG", "STATE", "CACHE"):
        folder = overrides.get(name.lower(), base / name.lower())
        folder.mkdir(parents=True, exist_ok=True)
        env[f"XDG_{name}_HOME"] = str(folder)
    env["TEXTUAL_ANIMATIONS"] = "none"
    env["NO_COLOR"] = "1"
    env["PYTHONIOENCODING"] = "utf-8"
    return env


def data_dir(env: dict[str, str]) -> Path:
    return Path(env["XDG_DATA_HOME"]) / "termpedia"


def state_dir(env: dict[str, str]) -> Path:
    return Path(env["XDG_STATE_HOME"]) / "termpedia"


def index_root(env: dict[str, str]) -> Path:
    return Path(env["XDG_CACHE_HOME"]) / "termpedia" / "index"


def cli_shelves(env: dict[str, str], *extra: Path) -> list[Shelf]:
    """The shelves the CLI computes in `env` (user articles, --library folders, bundled), so an
    index built in the test process is up to date for the CLI. No imported libraries."""
    shelves = [Shelf(USER, data_dir(env) / "articles", writable=True)]
    shelves += [Shelf(library_name(folder.resolve().name), folder) for folder in extra]
    shelves.append(bundled_shelf())
    assert len({s.name for s in shelves}) == len(shelves)
    assert BUNDLED in {s.name for s in shelves}
    return shelves


def termpedia(env: dict[str, str], *args: str, timeout: float = 120) -> Run:
    """`python -m termpedia.tui.cli ARGS` in `env`."""
    return run_cli(env, *args, timeout=timeout)


def python(env: dict[str, str], script: str, *args: str, timeout: float = 120) -> Run:
    """`python -c SCRIPT ARGS` in `env` (for patched CLI runs and library calls)."""
    return run_process([sys.executable, "-c", script, *args], env, timeout)


def spawn(env: dict[str, str], script: str, *args: str) -> subprocess.Popen[bytes]:
    """`python -c SCRIPT ARGS` in the background."""
    return subprocess.Popen(
        [sys.executable, "-c", script, *args],
        env=env,
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


def patched_cli(patch: str) -> str:
    """A script that runs `patch` (Python source) and then the CLI's main on sys.argv[1:]."""
    return (
        f"{patch}\nimport sys\nfrom termpedia.tui.cli import main\nsys.exit(main(sys.argv[1:]))\n"
    )


SHORT_LOCK_WAIT = """
import termpedia.tui.cli as _cli
_real_open_index = _cli.open_index
def _open_index(*args, **kwargs):
    kwargs["lock_timeout"] = 0.3
    return _real_open_index(*args, **kwargs)
_cli.open_index = _open_index
"""
"""Makes the CLI wait 0.3 s for the writer lock instead of 10 s (the code path is the same)."""


# -- terminal safety -------------------------------------------------------------------------

# What a terminal acts on: C0 but newline and tab, DEL, C1, bidi embeddings/overrides/isolates.
RAW_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def raw_controls(data: bytes) -> list[str]:
    """The control characters in a UTF-8 output stream (it must decode)."""
    return sorted({f"U+{ord(c):04X}" for c in RAW_CONTROL.findall(data.decode("utf-8"))})


# -- polling ---------------------------------------------------------------------------------


def wait_for(
    condition: Callable[[], object], timeout: float = 30.0, interval: float = 0.005
) -> object:
    """Poll `condition` until it is truthy; its value, or AssertionError at the deadline."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() >= deadline:
            raise AssertionError(f"condition not met within {timeout} s")
        time.sleep(interval)


# -- snapshots of user data ------------------------------------------------------------------


def snapshot(folder: Path) -> dict[str, str]:
    """relative path -> content hash of every file below `folder` (symlinks not followed)."""
    found = {}
    for path in sorted(folder.rglob("*")):
        if path.is_file() and not path.is_symlink():
            found[str(path.relative_to(folder))] = hashlib.blake2b(path.read_bytes()).hexdigest()
    return found


# -- generated corpora -----------------------------------------------------------------------

WORDS = ["alpha", "beta", "gamma", "delta", "omega", "sigma", "kappa", "lambda", "theta", "zeta"]


def write_bulk_articles(folder: Path, count: int, seed: int = 7) -> None:
    """`count` small article files (enough of them that a full build takes seconds)."""
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    for number in range(count):
        body = " ".join(f"{rng.choice(WORDS)}{rng.randrange(400)}" for _ in range(12))
        (folder / f"bulk-{number:05d}.txt").write_text(
            f"= Bulk article {number} =\n\nCommon bulkword {body}.\n", encoding="utf-8"
        )


BULK_ARTICLES = 2000
"""User articles of the bulk home: a full build of them takes a couple of seconds."""
_BULK_HOME: list[Path] = []


def bulk_home(factory: object) -> Path:
    """A home whose user articles are BULK_ARTICLES generated files, indexed; built once per
    session (`factory` is pytest's tmp_path_factory)."""
    if not _BULK_HOME:
        from termpedia.index.build import update

        base = factory.mktemp("bulk-home")  # type: ignore[attr-defined]
        env = make_env(base)
        write_bulk_articles(data_dir(env) / "articles", BULK_ARTICLES)
        update(index_root(env), cli_shelves(env))
        _BULK_HOME.append(base)
    return _BULK_HOME[0]


def bulk_env(factory: object, home: Path) -> dict[str, str]:
    """An environment for one test: the bulk articles (shared, never written) as its user
    articles, a copy of their index, and state, config and cache dirs of its own."""
    base = bulk_home(factory)
    env = make_env(home, data=base / "data")
    shutil.copytree(index_root(make_env(base)), index_root(env))
    return env
