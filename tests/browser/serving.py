"""Driving `termpedia serve` from tests and the bench: the server process, its sessions'
processes (read from /proc), a WebSocket client with a terminal screen (pyte), and headless
Chromium with a page whose terminal text can be read.

The browser is Debian's `chromium`, driven by Playwright (which cannot download its own
browser here); everything under tests/browser skips with one line where it is missing.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import os
import re
import select
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")

# -- processes -------------------------------------------------------------------------


def _stat(pid: int) -> list[str] | None:
    """/proc/PID/stat's fields after the command name (state, ppid, ...), None if gone."""
    try:
        raw = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return raw[raw.rindex(")") + 2 :].split()


def alive(pid: int) -> bool:
    """Running (a zombie, ended and not yet reaped, counts as ended)."""
    fields = _stat(pid)
    return fields is not None and fields[0] != "Z"


def children(pid: int) -> list[int]:
    """The live processes whose parent is `pid`."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            fields = _stat(int(entry.name))
            if fields is not None and fields[0] != "Z" and int(fields[1]) == pid:
                found.append(int(entry.name))
    return sorted(found)


def descendants(pid: int) -> list[int]:
    found = []
    for child in children(pid):
        found += [child, *descendants(child)]
    return found


def rss_kib(pid: int) -> int:
    """Resident memory of a process in KiB (0 if gone)."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def wait_until(check: Callable[[], bool], timeout: float, step: float = 0.05) -> float | None:
    """Seconds until `check()` held, None if it did not within `timeout`."""
    started = time.monotonic()
    while True:
        if check():
            return time.monotonic() - started
        if time.monotonic() - started > timeout:
            return None
        time.sleep(step)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def listening_addresses(port: int) -> list[str]:
    """The local addresses with a TCP socket listening on `port` (from /proc/net/tcp*)."""
    found = []
    for table, width in (("/proc/net/tcp", 8), ("/proc/net/tcp6", 32)):
        try:
            lines = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            local, _, state = line.split()[1:4]
            address, _, hex_port = local.partition(":")
            if state == "0A" and int(hex_port, 16) == port:  # 0A: LISTEN
                if width == 8:
                    found.append(socket.inet_ntoa(bytes.fromhex(address)[::-1]))
                else:
                    found.append(address)
    return found


# -- files -----------------------------------------------------------------------------


def tree_state(*folders: Path) -> dict[str, tuple[int, int, str]]:
    """Every file under the folders: path -> (size, mtime in ns, sha256), to compare."""
    state = {}
    for folder in folders:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                info = path.stat()
                digest = hashlib.sha256(path.read_bytes()).hexdigest()
                state[str(path)] = (info.st_size, info.st_mtime_ns, digest)
            elif path.is_dir():
                state[str(path) + "/"] = (0, 0, "")
    return state


def xdg_folders(env: dict[str, str]) -> list[Path]:
    return [Path(env[f"XDG_{name}_HOME"]) for name in ("DATA", "CONFIG", "STATE", "CACHE")]


# -- the server ------------------------------------------------------------------------


@dataclass
class Served:
    """A running `termpedia serve`."""

    process: subprocess.Popen[bytes]
    port: int
    env: dict[str, str]
    first_line: str
    errors: list[str] = field(default_factory=list)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    @property
    def ws_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/ws"

    def sessions(self) -> list[int]:
        """The sessions' processes: the server's children."""
        return children(self.process.pid)

    def stop(self, timeout: float = 10) -> float | None:
        """SIGTERM; the seconds until the server and all its sessions were gone."""
        pids = [self.process.pid, *descendants(self.process.pid)]
        started = time.monotonic()
        self.process.send_signal(signal.SIGTERM)
        with suppress(subprocess.TimeoutExpired):
            self.process.wait(timeout)
        took = wait_until(lambda: not any(alive(pid) for pid in pids), timeout)
        for pid in pids:  # whatever is left must not outlive the test
            if alive(pid):
                os.kill(pid, signal.SIGKILL)
        if self.process.poll() is None:
            self.process.wait()
        if took is None:
            return None
        return time.monotonic() - started


def start_server(env: dict[str, str], *options: str, timeout: float = 60) -> Served:
    """`termpedia serve --port FREE OPTIONS`, once it says it is serving."""
    port = free_port()
    command = [sys.executable, "-m", "termpedia.tui.cli", "serve", "--port", str(port), *options]
    process = subprocess.Popen(
        command,
        env=env,
        cwd=ROOT,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert process.stdout is not None
    line = b""
    deadline = time.monotonic() + timeout
    while b"\n" not in line and time.monotonic() < deadline:
        ready, _, _ = select.select([process.stdout], [], [], 0.1)
        if ready:  # os.read: the pipe's buffered reader would hide bytes from select
            chunk = os.read(process.stdout.fileno(), 4096)
            if not chunk:
                break
            line += chunk
    if b"serving on" not in line:
        process.kill()
        _, err = process.communicate()
        raise AssertionError(f"termpedia serve did not start: {line!r} {err!r}")
    return Served(process, port, env, line.decode())


@contextmanager
def serving(env: dict[str, str], *options: str) -> Iterator[Served]:
    served = start_server(env, *options)
    try:
        yield served
    finally:
        served.stop()


# -- a WebSocket client with a screen ------------------------------------------------------


class Tab:
    """A session seen as a browser tab sees it: keys in, a terminal screen out (pyte). It
    reads the socket all along and answers the server's pings, until `drop()`: then it
    answers nothing, like a tab whose network went."""

    def __init__(self, websocket: Any, width: int = 100, height: int = 30) -> None:
        import pyte

        self.websocket = websocket
        self.screen = pyte.Screen(width, height)
        self.stream = pyte.ByteStream(self.screen)
        self._received: list[bytes] = []
        self._drawing = threading.Lock()
        self.closed_with: tuple[int | None, str] | None = None
        self.answering = True
        self._reading = asyncio.ensure_future(self._read())

    @classmethod
    async def open(cls, client: Any, ws_url: str, width: int = 100, height: int = 30) -> Tab:
        """A tab on `ws_url` through an aiohttp ClientSession, sized as a browser says."""
        websocket = await client.ws_connect(
            f"{ws_url}?width={width}&height={height}", autoping=False
        )
        tab = cls(websocket, width, height)
        await websocket.send_str(json.dumps(["resize", {"width": width, "height": height}]))
        return tab

    async def _read(self) -> None:
        import aiohttp

        while True:
            message = await self.websocket.receive()
            if message.type == aiohttp.WSMsgType.BINARY:
                # Drawn later, off the event loop: pyte is slow, and a pong held up by it
                # past the server's heartbeat would end the session.
                self._received.append(message.data)
            elif message.type == aiohttp.WSMsgType.PING:
                if self.answering:
                    await self.websocket.pong(message.data)
            elif message.type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSING):
                self.closed_with = (self.websocket.close_code, str(message.extra or ""))
                return
            elif message.type in (aiohttp.WSMsgType.CLOSED, aiohttp.WSMsgType.ERROR):
                if self.closed_with is None:
                    self.closed_with = (self.websocket.close_code, "")
                return

    def _draw(self) -> None:
        with self._drawing:
            received, self._received = self._received, []
            for data in received:
                self.stream.feed(data)

    @property
    def text(self) -> str:
        """The screen as the session has drawn it so far."""
        self._draw()
        return "\n".join(self.screen.display)

    async def send(self, keys: str) -> None:
        await self.websocket.send_str(json.dumps(["stdin", keys]))

    async def type(self, text: str, gap: float = 0.02) -> None:
        """One key a message, as a browser sends them."""
        for key in text:
            await self.send(key)
            await asyncio.sleep(gap)

    async def wait_for(self, pattern: str, timeout: float = 20) -> bool:
        """Until the screen shows `pattern` (a regular expression); False if it did not."""
        deadline = time.monotonic() + timeout
        while True:
            await asyncio.to_thread(self._draw)
            if re.search(pattern, "\n".join(self.screen.display)):
                return True
            if self.closed_with is not None or time.monotonic() > deadline:
                return False
            await asyncio.sleep(0.03)

    async def wait_closed(self, timeout: float) -> None:
        with suppress(TimeoutError):
            await asyncio.wait_for(asyncio.shield(self._reading), timeout)

    def drop(self) -> None:
        """From now on, answer nothing (the server's pings included)."""
        self.answering = False

    async def close(self) -> None:
        """Close the tab, as a browser does (a close frame)."""
        await self.websocket.close()
        self._reading.cancel()
        with suppress(asyncio.CancelledError):
            await self._reading


# -- Chromium --------------------------------------------------------------------------

SCRIPT_HOOK = "const t=new w(e,{ping:r});"
"""Where textual-serve's script makes its terminal (a `w`, its `terminal` the xterm.js one),
which it keeps in a closure: the served script is rewritten to expose it, for the tests."""

SCREEN_JS = """() => {
  const term = window.termpediaTerminal;
  if (!term) return "";
  const buffer = term.buffer.active, lines = [];
  for (let row = 0; row < term.rows; row++) {
    const line = buffer.getLine(buffer.viewportY + row);
    lines.push(line ? line.translateToString(true) : "");
  }
  return lines.join("\\n");
}"""


def expose_terminal(route: Any) -> None:
    """Serve textual.js with its terminal put on `window.termpediaTerminal`."""
    response = route.fetch()
    script = response.text()
    assert SCRIPT_HOOK in script, "textual-serve's script changed: update SCRIPT_HOOK"
    exposed = script.replace(SCRIPT_HOOK, SCRIPT_HOOK + "window.termpediaTerminal=t.terminal;")
    route.fulfill(response=response, body=exposed)


@dataclass
class Browser:
    """Headless Chromium with its own profile, cache and home, that refuses (and records)
    every request to another host than the server."""

    context: Any
    port: int
    refused: list[str] = field(default_factory=list)

    def page(self) -> Any:
        page = self.context.new_page()
        page.route("**/static/js/textual.js", expose_terminal)
        return page

    def _guard(self, route: Any) -> None:
        url = route.request.url
        if url.startswith(f"http://127.0.0.1:{self.port}/") or url.startswith(
            f"ws://127.0.0.1:{self.port}/"
        ):
            route.fallback()
        else:
            self.refused.append(url)
            route.abort()


@contextmanager
def chromium(folder: Path, port: int) -> Iterator[Browser]:
    """Chromium in `folder` (profile, cache, HOME and XDG dirs of its own)."""
    from playwright.sync_api import sync_playwright

    home = folder / "home"
    home.mkdir(parents=True, exist_ok=True)
    env = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": str(home),
        **{f"XDG_{name}_HOME": str(home / name.lower()) for name in ("DATA", "CONFIG", "CACHE")},
    }
    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(folder / "profile"),
            executable_path=CHROMIUM,
            args=["--no-sandbox", f"--disk-cache-dir={folder / 'cache'}"],
            env=env,
            viewport={"width": 1100, "height": 720},
        )
        browser = Browser(context, port)
        context.route("**/*", browser._guard)
        try:
            yield browser
        finally:
            context.close()


def screen_text(page: Any) -> str:
    text: str = page.evaluate(SCREEN_JS)
    return text


def wait_for_screen(page: Any, pattern: str, timeout: float = 20) -> str:
    """The terminal's text once it matches `pattern`; AssertionError with the text if not."""
    text = ""

    def shown() -> bool:
        nonlocal text
        text = screen_text(page)
        return re.search(pattern, text) is not None

    if wait_until(shown, timeout, step=0.05) is None:
        raise AssertionError(f"the page never showed {pattern!r}; it shows:\n{text}")
    return text


# -- searching as a reader does, for the load test and the bench ----------------------

FIRST_SCREEN = r"Getting around"
QUERIES = [
    "leon trotsky",
    "karl radek",
    "joseph stalin",
    "grigory zinoviev",
    "isaac deutscher",
    "lev kamenev",
    "nikolai bukharin",
    "vladimir lenin",
    "red army",
    "left opposition",
    "polish soviet war",
    "marxism",
    "socialism in one country",
    "proletarian internationalism",
    "baruch knei-paz",
    "results and prospects",
    "1905 russian revolution",
    "communist party of the soviet union",
    "leon trotsky bibliography",
    "permanent revolution",
]


def expected_titles(index_root: Path) -> list[str]:
    """The title each of QUERIES' first hit has, as the server's index answers it."""
    from termpedia.index.search import Index

    index = Index(index_root, archives=[])
    return [index.search(query).hits[0].title for query in QUERIES]


async def search(tab: Tab, query: str, title: str) -> bool:
    """Type a search and Enter (the first hit opens): True once its title heads the screen."""
    await tab.type("/")
    await tab.type(query, gap=0.005)  # in place of the last query, which "/" selects
    await tab.send("\r")
    # The header: exactly this title (and the section's heading, if any).
    return await tab.wait_for(rf"\A ⭘ +{re.escape(title)}( — [^\n]*)? *\n", timeout=30)
