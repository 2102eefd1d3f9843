"""End to end: the installed `termpedia` program in a real terminal (tmux), driven by keys."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from conftest import xdg_dirs

SEED = "The Permanent Revolution and Results and Prospects"
WIDTH, HEIGHT = 100, 30
DEADLINE = 20.0

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed"),
]


def termpedia_program() -> str:
    found = shutil.which("termpedia") or str(Path(sys.executable).parent / "termpedia")
    if not Path(found).exists():
        pytest.fail(f"the termpedia console script is not installed next to {sys.executable}")
    return found


class Tmux:
    """One tmux server of our own (its own -L socket), holding one session."""

    def __init__(self, socket: str) -> None:
        self.socket = socket
        self.socket_path = ""

    def run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            ["tmux", "-L", self.socket, "-f", "/dev/null", *args],
            check=check,
            capture_output=True,
            text=True,
            timeout=10,
        )

    def start(self, command: str, env: dict[str, str]) -> None:
        exports = " ".join(f"{name}={shlex.quote(value)}" for name, value in env.items())
        self.run(
            "new-session", "-d", "-s", "main", "-x", str(WIDTH), "-y", str(HEIGHT),
            # COLUMNS and LINES (pytest may export them) would override the real pane size.
            f"env -u COLUMNS -u LINES {exports} {command}",
        )  # fmt: skip
        self.socket_path = self.run("display", "-p", "#{socket_path}").stdout.strip()

    def screen(self) -> list[str]:
        result = self.run("capture-pane", "-p", "-t", "main", check=False)
        return result.stdout.splitlines() if result.returncode == 0 else []

    def send(self, *keys: str) -> None:
        self.run("send-keys", "-t", "main", *keys)

    def type(self, text: str) -> None:
        self.run("send-keys", "-t", "main", "-l", text)

    def alive(self) -> bool:
        return self.run("has-session", "-t", "main", check=False).returncode == 0

    def kill(self) -> None:
        self.run("kill-server", check=False)
        if self.socket_path:  # tmux leaves its socket file behind
            Path(self.socket_path).unlink(missing_ok=True)

    def wait_for(self, what: str, test: Callable[[list[str]], bool]) -> list[str]:
        """Poll the screen until `test` holds; fail with the last screen after DEADLINE."""
        end = time.monotonic() + DEADLINE
        lines: list[str] = []
        while time.monotonic() < end:
            lines = self.screen()
            if test(lines):
                return lines
            if not self.alive():
                break
            time.sleep(0.05)
        shown = "\n".join(lines)
        pytest.fail(f"timed out waiting for {what}; the screen was:\n{shown}")

    def wait_for_exit(self) -> None:
        end = time.monotonic() + DEADLINE
        while time.monotonic() < end:
            if not self.alive():
                return
            time.sleep(0.05)
        pytest.fail("the program did not end:\n" + "\n".join(self.screen()))


def header(lines: list[str]) -> str:
    return lines[0].strip() if lines else ""


def footer(lines: list[str]) -> str:
    return lines[-1] if len(lines) == HEIGHT else ""


@pytest.fixture
def tmux(tmp_path: Path) -> Iterator[Tmux]:
    server = Tmux(f"termpedia-e2e-{os.getpid()}-{uuid.uuid4().hex[:10]}")
    try:
        yield server
    finally:
        server.kill()


def test_search_follow_a_link_go_back_and_quit_in_a_real_terminal(
    tmux: Tmux, tmp_path: Path
) -> None:
    env = {
        "TERM": "xterm-256color",
        "TEXTUAL_ANIMATIONS": "none",
        "NO_COLOR": "1",
        # Should a letter reach the reader instead of the search bar, `e` must not start vi.
        "EDITOR": "false",
        "VISUAL": "false",
    }
    env.update(xdg_dirs(tmp_path / "xdg"))
    tmux.start(f"{shlex.quote(termpedia_program())} {shlex.quote(SEED)}", env)

    # The seed opens: its title in the header, the text, and the reading pane's keys in the
    # footer (keys sent before the app is ready would be lost).
    tmux.wait_for(
        "the seed, ready for keys",
        lambda s: (
            header(s).endswith(SEED)
            and any("Author" in line for line in s)
            and "Next link" in footer(s)
        ),
    )

    # `/`, the words, Enter: the section opens with its heading in the header.
    tmux.send("/")
    tmux.wait_for(
        "the search bar to take the focus",
        lambda s: "Search" in footer(s) and "Next link" not in footer(s),
    )
    tmux.type("reckless confrontations")
    tmux.wait_for(
        "the results", lambda s: any(" match" in line and "Enter opens" in line for line in s)
    )
    tmux.send("Enter")
    lines = tmux.wait_for(
        "the Historical evaluation section, down to the See also link",
        lambda s: (
            header(s).endswith(f"{SEED} — Historical evaluation")
            and any("- Leon Trotsky bibliography" in line for line in s)
        ),
    )
    assert any("Historical evaluation" in line[33:] for line in lines[4:6]), "at the top"
    assert any('"reckless' in line for line in lines)

    # The seed's only link is its See also bullet, and it is on screen: one Tab selects it.
    tmux.send("Tab")
    tmux.send("Enter")
    tmux.wait_for("the bibliography", lambda s: header(s).endswith("Leon Trotsky bibliography"))

    # Back: the seed again, at the same place.
    tmux.send("BSpace")
    tmux.wait_for("the seed again", lambda s: header(s).endswith(f"{SEED} — Historical evaluation"))

    tmux.send("q")
    tmux.wait_for_exit()
