"""A reader that stops reading (`termpedia search ... | head -1`) ends the command quietly.

As grep does: nothing on stderr, and exit status 141 (128 + SIGPIPE, what a shell reports
for grep killed by the signal).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, cli_env, run_cli

CLOSED_PIPE = 141
SECTIONS = 8
ARTICLES = 150  # 1,200 sections: far more output than a pipe holds (64 KB)


@pytest.fixture(scope="module")
def big(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, str], Path]:
    """An indexed library whose search output is about 300 KB."""
    base = tmp_path_factory.mktemp("pipe")
    env = cli_env(base / "home")
    # Unbuffered, a text stream drops what a partial write left (a CPython limitation), so a
    # closed pipe can go unnoticed: test what a reader's shell normally runs, buffered.
    env.pop("PYTHONUNBUFFERED", None)
    library = base / "zoo"
    library.mkdir()
    body = "The zebra grazes on the wide plain beside the river with its herd. " * 4
    for n in range(ARTICLES):
        sections = "".join(f"== Part {k} ==\n{body}\n" for k in range(SECTIONS))
        (library / f"zebra-{n}.txt").write_text(f"= Zebra {n} =\n\n{body}\n\n{sections}")
    (library / "long.txt").write_text("= Long zebra =\n\n" + "A zebra grazes.\n\n" * 20_000)
    built = run_cli(env, "index", "--library", str(library))
    assert built.code == 0, built.err
    return env, library


def command(*args: str) -> list[str]:
    return [sys.executable, "-m", "termpedia.tui.cli", *args]


def read_one_line_and_close(env: dict[str, str], *args: str) -> tuple[bytes, int, bytes]:
    """Run the command, read its first line, close the pipe: (line, exit status, stderr)."""
    process = subprocess.Popen(
        command(*args),
        env=env,
        cwd=ROOT,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert process.stdout is not None and process.stderr is not None
    line = process.stdout.readline()
    process.stdout.close()
    try:
        err = process.stderr.read()
        code = process.wait(timeout=60)
    finally:
        process.kill()
    return line, code, err


@pytest.mark.parametrize(
    "args",
    [
        pytest.param(("search", "*", "--limit", "1000"), id="search"),
        pytest.param(("search", "zebra", "--limit", "1000", "--json"), id="search-json"),
        pytest.param(("show", "Long zebra"), id="show"),
    ],
)
def test_reader_that_stops_reading(big: tuple[dict[str, str], Path], args: tuple[str, ...]) -> None:
    env, library = big
    line, code, err = read_one_line_and_close(env, *args, "--library", str(library))
    assert line, "the first line was written"
    assert err == b""
    assert code == CLOSED_PIPE


def test_reader_gone_before_anything_was_written(big: tuple[dict[str, str], Path]) -> None:
    """The output is small and still in Python's buffer when the command ends: the error
    comes when it is flushed, and must be as quiet."""
    env, library = big
    for args in (("search", "zebra", "--limit", "1"), ("--help",), ("--version",)):
        process = subprocess.Popen(
            command(*args, "--library", str(library)) if len(args) > 1 else command(*args),
            env=env,
            cwd=ROOT,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        assert process.stdout is not None
        process.stdout.close()  # long before the interpreter has started
        try:
            _, err = process.communicate(timeout=60)
        finally:
            process.kill()
        assert err == b"", args
        assert process.returncode == CLOSED_PIPE, args


def test_shell_pipeline_into_head(big: tuple[dict[str, str], Path]) -> None:
    env, library = big
    script = (
        f'{sys.executable} -m termpedia.tui.cli search "*" --limit 1000 --library "$1" | head -1'
    )
    done = subprocess.run(
        ["sh", "-c", script, "sh", str(library)],
        env=env,
        cwd=ROOT,
        capture_output=True,
        stdin=subprocess.DEVNULL,
        timeout=60,
    )
    assert done.returncode == 0
    assert len(done.stdout.splitlines()) == 1
    assert done.stderr == b""
