"""The app starts only where it can draw: stdin and the stream Textual draws on (stderr) are a
terminal, or Textual's web driver runs it. Elsewhere (`termpedia frobnicate </dev/null | cat`)
the command ends at once with exit 2 and one line on stderr, instead of drawing escape
sequences into a pipe and waiting for keys that never come.
"""

from __future__ import annotations

import os
import pty
import select
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import ROOT, SHARED, Run, cli_env, run_cli

from termpedia.tui import cli

QUICK = 2.0  # seconds: the brief's bound for `termpedia frobnicate </dev/null | cat`


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    environment = cli_env(tmp_path_factory.mktemp("terminal-home"))
    built = run_cli(environment, "index")
    assert built.code == 0, built.err
    return environment


def without_terminal(env: dict[str, str], *args: str, cwd: Path = ROOT) -> Run:
    """stdin from /dev/null, stdout and stderr into pipes; killed after 10 s."""
    started = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-m", "termpedia.tui.cli", *args],
        env=env,
        cwd=cwd,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        out, err = process.communicate(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        out, err = process.communicate()
        pytest.fail(f"still running after 10 s; {len(err)} bytes on stderr: {err[:200]!r}")
    return Run(
        process.returncode,
        out.decode(),
        err.decode(),
        out,
        err,
        time.perf_counter() - started,
    )


def test_unknown_word_without_a_terminal_ends_at_once(env: dict[str, str]) -> None:
    run = without_terminal(env, "frobnicate")
    assert run.code == 2
    assert run.out == ""
    assert run.err_lines == [
        "termpedia: 'frobnicate' is not a command or an article title "
        "(try: termpedia search frobnicate)"
    ]
    assert run.seconds < QUICK


def test_the_suggested_search_is_quoted_for_the_shell(env: dict[str, str]) -> None:
    run = without_terminal(env, "frob nicate's")
    assert run.code == 2
    assert run.err_lines == [
        'termpedia: "frob nicate\'s" is not a command or an article title '
        "(try: termpedia search 'frob nicate'\"'\"'s')"
    ]


def test_open_of_an_unknown_title_without_a_terminal(env: dict[str, str]) -> None:
    run = without_terminal(env, "open", "frobnicate")
    assert run.code == 2
    assert run.out == ""
    assert run.err_lines == [
        "termpedia: no article titled 'frobnicate', and no terminal to search in "
        "(try: termpedia search frobnicate)"
    ]


@pytest.mark.parametrize(
    ("args", "show"),
    [
        (("Leon Trotsky",), "'Leon Trotsky'"),
        (("Leon Trotsky#Exile",), "'Leon Trotsky#Exile'"),
        (("open", "marxism"), "marxism"),
        (("--private", "Marxism"), "Marxism"),
    ],
)
def test_a_title_without_a_terminal_suggests_show(
    env: dict[str, str], args: tuple[str, ...], show: str
) -> None:
    run = without_terminal(env, *args)
    assert run.code == 2
    assert run.out == ""
    assert run.err_lines == [f"termpedia: the app needs a terminal (try: termpedia show {show})"]


@pytest.mark.parametrize("args", [(), ("open",), ("--private",)])
def test_no_word_without_a_terminal(env: dict[str, str], args: tuple[str, ...]) -> None:
    run = without_terminal(env, *args)
    assert run.code == 2
    assert run.out == ""
    assert run.err_lines == ["termpedia: the app needs a terminal (try: termpedia --help)"]


def test_an_article_file_without_a_terminal(env: dict[str, str], tmp_path: Path) -> None:
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "idea.txt").write_text("= Idea =\n\nAn idea.\n")
    run = without_terminal(env, "notes/idea.txt", cwd=tmp_path)
    assert run.code == 2
    assert run.out == ""
    assert run.err_lines == ["termpedia: the app needs a terminal to show notes/idea.txt"]


def test_an_archive_without_a_terminal(env: dict[str, str], tmp_path: Path) -> None:
    """`termpedia X.zim` in a pipe: told to register it instead, and nothing registered."""
    archive = SHARED / "corpora" / "ray-charles.zim"
    if not archive.exists():
        pytest.skip("the shared corpora are not beside this checkout")
    (tmp_path / "wikipedia.zim").symlink_to(archive)
    run = without_terminal(env, "wikipedia.zim", cwd=tmp_path)
    assert run.code == 2
    assert run.out == ""
    assert run.err_lines == [
        "termpedia: the app needs a terminal to read wikipedia.zim "
        "(try: termpedia import zim wikipedia.zim)"
    ]
    assert "wikipedia" not in run_cli(env, "library", "list").out


def test_keys_from_a_terminal_but_stderr_into_a_file(env: dict[str, str]) -> None:
    """Textual draws on stderr: with stderr not a terminal the app cannot start either."""
    leader, follower = pty.openpty()
    try:
        done = subprocess.run(
            [sys.executable, "-m", "termpedia.tui.cli", "frobnicate"],
            env=env,
            cwd=ROOT,
            stdin=follower,
            capture_output=True,
            timeout=10,
        )
    finally:
        os.close(follower)
        os.close(leader)
    assert done.returncode == 2
    assert len(done.stderr.decode().splitlines()) == 1


def test_the_gate(monkeypatch: pytest.MonkeyPatch) -> None:
    """In-process, under pytest, stdin is not a terminal; Textual's web driver (what
    textual-serve sets) needs none."""
    monkeypatch.delenv("TEXTUAL_DRIVER", raising=False)
    assert not cli.can_draw()
    monkeypatch.setenv("TEXTUAL_DRIVER", "textual.drivers.web_driver:WebDriver")
    assert cli.can_draw()
    monkeypatch.setenv("TEXTUAL_DRIVER", "textual.drivers.headless_driver:HeadlessDriver")
    assert not cli.can_draw()


def read_until(leader: int, wanted: bytes, seconds: float) -> bytes:
    """What the program wrote to the terminal, until `wanted` appears or time runs out."""
    seen = b""
    deadline = time.monotonic() + seconds
    while wanted not in seen and time.monotonic() < deadline:
        ready, _, _ = select.select([leader], [], [], 0.1)
        if ready:
            try:
                seen += os.read(leader, 65536)
            except OSError:  # the program ended and closed the terminal
                break
    return seen


def test_in_a_terminal_an_unknown_word_still_opens_the_app_on_a_search(
    env: dict[str, str],
) -> None:
    leader, follower = pty.openpty()
    terminal_env = {**env, "TERM": "xterm-256color", "COLUMNS": "100", "LINES": "30"}
    process = subprocess.Popen(
        [sys.executable, "-m", "termpedia.tui.cli", "frobnicate"],
        env=terminal_env,
        cwd=ROOT,
        stdin=follower,
        stdout=follower,
        stderr=follower,
        start_new_session=True,
    )
    os.close(follower)
    try:
        screen = read_until(leader, b"frobnicate", 30)
        assert b"\x1b[?1049h" in screen, "the app switched to the alternate screen"
        assert b"frobnicate" in screen, "and shows the search for the word"
        time.sleep(0.5)
        os.write(leader, b"\x1b")  # leave the search bar
        time.sleep(0.5)
        os.write(leader, b"q")
        read_until(leader, b"\x1b[?1049l", 10)
        assert process.wait(timeout=10) == 0
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        os.close(leader)
