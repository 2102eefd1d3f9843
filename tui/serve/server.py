"""`termpedia serve`: textual-serve's Server, with sessions that are bounded and cleaned up.

Each browser tab is a session: one process running the reader in served mode
(`termpedia.tui.serve.session`). textual-serve 1.1.3 leaves the rest to its users, so this
subclass adds it: at most `max_sessions` at once (then a short busy page), a tab closed or a
network dropped ends its process within a few seconds (a 2 s heartbeat, not 15 s), a process
that dies closes its tab's socket with a reason the page shows, and stopping the server ends
every session first. The page is termpedia's own template, which fetches nothing from
another host.
"""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import logging
import shlex
import signal
import socket
import sys
from asyncio.subprocess import Process
from functools import partial
from pathlib import Path
from typing import Any

import aiohttp_jinja2
from aiohttp import web
from textual_serve.app_service import AppService
from textual_serve.server import Server, to_int

log = logging.getLogger("termpedia.serve")

TEMPLATES = Path(__file__).resolve().parent / "templates"
HEARTBEAT = 2.0
"""Seconds of silence before the server pings a tab; a tab that does not answer within half
of that is gone (textual-serve's 15 s heartbeat took ~21 s to notice a dropped network)."""
GRACE = 1.0
"""Seconds a session has to quit when asked before its process is killed."""
CLOSE_TIMEOUT = 1.0
"""Seconds to wait for a tab to answer the socket's close (a gone tab never does)."""
SHUTDOWN_TIMEOUT = 2.0
"""Seconds aiohttp waits for the handlers once every session has been ended."""

# WebSocket close codes the page explains (4000-4999 are the application's own).
BUSY = 4000
PROCESS_ENDED = 4001
GOING_AWAY = 1001


def session_command(index: Path, libraries: list[Path]) -> str:
    """The shell command textual-serve runs for a session. `exec`, so that the shell becomes
    the reader: one process a session, whose pid the server holds and can end."""
    argv = [sys.executable, "-m", "termpedia.tui.serve.session", "--index", str(index)]
    for folder in libraries:
        argv += ["--library", str(folder)]
    return "exec " + shlex.join(argv)


def is_loopback(host: str) -> bool:
    """Is `host` reachable from this machine only (127.0.0.0/8, ::1, localhost)?"""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def public_url(host: str, port: int) -> str:
    """The address to tell readers: the host as bound, or this machine's name when bound to
    every address (0.0.0.0, ::), which no browser can open."""
    name = host
    with contextlib.suppress(ValueError):
        address = ipaddress.ip_address(host)
        if address.is_unspecified:
            name = socket.gethostname()
        elif address.version == 6:
            name = f"[{host}]"
    return f"http://{name}:{port}"


class Session(AppService):
    """One tab's reader process. Ends it for sure: asked to quit, then killed."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.process: Process | None = None
        self.finished = asyncio.Event()
        """Set when the process's output has ended: it quit, crashed or was killed."""
        self._ending: asyncio.Task[None] | None = None

    async def _open_app_process(self, width: int = 80, height: int = 24) -> Process:
        self.process = await super()._open_app_process(width, height)
        return self.process

    async def run(self) -> None:
        try:
            await super().run()
        finally:
            self.finished.set()

    async def end(self) -> None:
        """Ask the reader to quit, kill it after GRACE seconds, wait for it (idempotent)."""
        if self._ending is None:
            self._ending = asyncio.ensure_future(self._end())
        await asyncio.shield(self._ending)

    async def _end(self) -> None:
        process = self.process
        if process is not None and process.returncode is None:
            await self.send_meta({"type": "quit"})
            try:
                await asyncio.wait_for(process.wait(), GRACE)
            except TimeoutError:
                with contextlib.suppress(ProcessLookupError):
                    process.kill()
                await process.wait()
        # textual-serve's own stop: cancels the session's downloads, waits for its output.
        await super().stop()


class ReaderServer(Server):
    """textual-serve's Server with termpedia's page and sessions that end when they should."""

    def __init__(
        self,
        command: str,
        host: str,
        port: int,
        max_sessions: int,
        public_url: str,
    ) -> None:
        super().__init__(
            command,
            host=host,
            port=port,
            title="termpedia",
            public_url=public_url,
            templates_path=TEMPLATES,
        )
        self.max_sessions = max_sessions
        self.sessions: dict[web.WebSocketResponse, Session] = {}
        self.stopping = False

    @property
    def full(self) -> bool:
        return self.stopping or len(self.sessions) >= self.max_sessions

    def busy_text(self) -> str:
        return f"termpedia serves {self.max_sessions} readers at once, and all of them are in use."

    # -- pages ---------------------------------------------------------------------------

    async def handle_index(self, request: web.Request) -> web.StreamResponse:
        if self.full:
            context = {"message": self.busy_text()}
            return aiohttp_jinja2.render_template("busy.html", request, context, status=503)
        response: web.StreamResponse = await super().handle_index(request)
        return response

    # -- sessions ------------------------------------------------------------------------

    async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
        websocket = web.WebSocketResponse(heartbeat=HEARTBEAT, timeout=CLOSE_TIMEOUT)
        await websocket.prepare(request)
        if self.full:
            # A page loaded while a place was free, or a client that skipped the page.
            await websocket.close(code=BUSY, message=self.busy_text().encode())
            return websocket
        width = min(max(to_int(request.query.get("width", "80"), 80), 10), 1000)
        height = min(max(to_int(request.query.get("height", "24"), 24), 5), 500)
        session = Session(
            self.command,
            write_bytes=websocket.send_bytes,
            write_str=websocket.send_str,
            close=partial(self.close_tab, websocket),
            download_manager=self.download_manager,
            debug=self.debug,
        )
        self.sessions[websocket] = session
        try:
            await session.start(width, height)
            await self._converse(websocket, session)
        except Exception as error:  # a bad message from the tab, a failed start
            log.warning("session ended: %r", error)
        finally:
            await session.end()  # first: a gone tab would hold up the socket's close
            del self.sessions[websocket]
            await self.close_tab(websocket)
        return websocket

    async def _converse(self, websocket: web.WebSocketResponse, session: Session) -> None:
        """Pass the tab's messages on until the tab goes or the session's process ends; a
        process that ended without closing the tab (killed, crashed) tells the tab so."""
        reading = asyncio.ensure_future(self._process_messages(websocket, session))
        ended = asyncio.ensure_future(session.finished.wait())
        try:
            await asyncio.wait({reading, ended}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            ended.cancel()
        if ended.done() and not ended.cancelled() and not websocket.closed:
            code = session.process.returncode if session.process is not None else None
            reason = "This reader's session ended unexpectedly"
            reason += f" (exit status {code})." if code is not None else "."
            await websocket.close(code=PROCESS_ENDED, message=reason.encode())
        with contextlib.suppress(asyncio.CancelledError):
            await reading  # ends once the socket is closed
        if reading.done() and not reading.cancelled() and reading.exception() is not None:
            raise reading.exception()  # type: ignore[misc]

    # -- starting and stopping -----------------------------------------------------------

    async def on_startup(self, app: web.Application) -> None:
        """Nothing: textual-serve prints its logo here; `_serve` prints the URL once bound."""

    async def on_shutdown(self, app: web.Application) -> None:
        """End every session (then close its tab) before aiohttp waits for the handlers."""
        self.stopping = True
        ending = [self._close(websocket, session) for websocket, session in self.sessions.items()]
        await asyncio.gather(*ending, return_exceptions=True)

    async def _close(self, websocket: web.WebSocketResponse, session: Session) -> None:
        await session.end()
        await self.close_tab(websocket)

    async def close_tab(self, websocket: web.WebSocketResponse) -> None:
        """Close a tab's socket: the session is over, or (stopping) the server is."""
        if self.stopping:
            await websocket.close(code=GOING_AWAY, message=b"The termpedia server has stopped.")
        else:
            await websocket.close()

    def initialize_logging(self) -> None:
        logging.basicConfig(level="DEBUG" if self.debug else "WARNING", format="%(message)s")

    def serve(self, debug: bool = False) -> None:
        """Serve until Ctrl+C or SIGTERM, then end every session and return."""
        self.debug = debug
        self.initialize_logging()
        asyncio.run(self._serve())

    async def _serve(self) -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for number in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(number, stop.set)
        runner = web.AppRunner(await self._make_app(), shutdown_timeout=SHUTDOWN_TIMEOUT)
        await runner.setup()
        try:
            await web.TCPSite(runner, self.host, self.port).start()
            # Only now: whoever reads this line can connect.
            print(f"termpedia: serving on {self.public_url}/ (Ctrl+C stops)", flush=True)
            await stop.wait()
        finally:
            await runner.cleanup()  # on_shutdown ends the sessions, then the handlers go


def serve(
    index: Path,
    libraries: list[Path],
    host: str = "127.0.0.1",
    port: int = 8000,
    max_sessions: int = 8,
    public: str | None = None,
) -> int:
    """Serve the reader of the index at `index` (and the libraries of `--library`) until
    stopped; the exit code."""
    command = session_command(index, libraries)
    server = ReaderServer(command, host, port, max_sessions, public or public_url(host, port))
    server.serve()
    return 0
