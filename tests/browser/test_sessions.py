"""`termpedia serve`'s sessions as WebSocket clients with a terminal screen, as a browser's
tab has them: 8 at once each answer 20 searches, a 9th gets the busy page, closing them (or
a network that drops) leaves no session process within 5 s, SIGTERM ends everything within
5 s; the command prints its URL and listens on 127.0.0.1 only, unless told otherwise."""

from __future__ import annotations

import asyncio
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import aiohttp
import pytest
from conftest import cli_env

from tests.browser.serving import (
    FIRST_SCREEN,
    QUERIES,
    Served,
    Tab,
    alive,
    expected_titles,
    listening_addresses,
    search,
    serving,
    start_server,
    wait_until,
)


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    return cli_env(tmp_path_factory.mktemp("sessions"))


@pytest.fixture
def served(env: dict[str, str]) -> Iterator[Served]:
    with serving(env) as server:
        yield server


async def eight_tabs_search(served: Served, titles: list[str]) -> dict[str, object]:
    async with aiohttp.ClientSession() as client:
        tabs = await asyncio.gather(*(Tab.open(client, served.ws_url) for _ in range(8)))
        started = await asyncio.gather(*(tab.wait_for(FIRST_SCREEN, 60) for tab in tabs))
        pids = served.sessions()

        async def searches(tab: Tab, offset: int) -> int:
            answered = 0
            for number in range(20):
                at = (number + offset) % len(QUERIES)
                answered += await search(tab, QUERIES[at], titles[at])
            return answered

        answered = await asyncio.gather(*(searches(tab, n) for n, tab in enumerate(tabs)))
        # The 9th tab: the page says busy, and a socket opened anyway is closed as busy.
        try:
            urllib.request.urlopen(served.url, timeout=5)
            busy_page = (0, "")
        except urllib.error.HTTPError as error:
            busy_page = (error.code, error.read().decode())
        ninth = await Tab.open(client, served.ws_url)
        await ninth.wait_closed(3)
        closing = time.monotonic()
        await asyncio.gather(*(tab.close() for tab in tabs))
        gone = await asyncio.to_thread(wait_until, lambda: not any(alive(pid) for pid in pids), 5)
        return {
            "started": started,
            "pids": pids,
            "answered": answered,
            "busy_page": busy_page,
            "ninth": ninth.closed_with,
            "gone": gone,
            "closing": closing,
        }


def test_eight_sessions_answer_twenty_searches_each_and_a_ninth_is_told_busy(
    served: Served, env: dict[str, str]
) -> None:
    titles = expected_titles(Path(env["XDG_CACHE_HOME"]) / "termpedia" / "index")
    found = asyncio.run(eight_tabs_search(served, titles))
    assert found["started"] == [True] * 8
    assert len(found["pids"]) == 8  # type: ignore[arg-type]
    assert found["answered"] == [20] * 8
    status, page = found["busy_page"]  # type: ignore[misc]
    assert status == 503 and "termpedia is busy" in page and "8 readers at once" in page
    assert found["ninth"] is not None and found["ninth"][0] == 4000  # type: ignore[index]
    assert found["gone"] is not None, "a session process outlived its closed tab by 5 s"
    assert served.sessions() == []
    assert served.process.poll() is None


async def drop_network(served: Served) -> tuple[int, float | None]:
    """A tab whose network goes: it stops answering the server's pings (and everything)."""
    async with aiohttp.ClientSession() as client:
        tab = await Tab.open(client, served.ws_url)
        assert await tab.wait_for(FIRST_SCREEN, 60)
        (pid,) = served.sessions()
        tab.drop()
        silent = time.monotonic()
        gone = await asyncio.to_thread(wait_until, lambda: not alive(pid), 8)
        took = None if gone is None else time.monotonic() - silent
        await tab.close()
        return pid, took


def test_a_dropped_network_ends_its_session_within_5_s(served: Served) -> None:
    _, took = asyncio.run(drop_network(served))
    assert took is not None and took < 5, f"the session lived {took} s after its tab went"


def test_sigterm_ends_the_server_and_every_session_within_5_s(env: dict[str, str]) -> None:
    served = start_server(env)
    try:

        async def scenario() -> tuple[float | None, list[tuple[int | None, str] | None]]:
            async with aiohttp.ClientSession() as client:
                tabs = await asyncio.gather(*(Tab.open(client, served.ws_url) for _ in range(3)))
                assert all(await asyncio.gather(*(t.wait_for(FIRST_SCREEN, 60) for t in tabs)))
                assert len(served.sessions()) == 3
                took = await asyncio.to_thread(served.stop)
                await asyncio.gather(*(tab.wait_closed(1) for tab in tabs))
                return took, [tab.closed_with for tab in tabs]

        took, closed = asyncio.run(scenario())
    finally:
        served.stop()
    assert took is not None and took < 5, f"SIGTERM took {took} s"
    assert served.process.returncode == 0
    assert [code for code, _ in closed] == [1001] * 3  # type: ignore[misc]


def test_serve_prints_its_url_answers_200_and_listens_on_loopback_only(
    served: Served,
) -> None:
    assert served.first_line.strip() == (
        f"termpedia: serving on http://127.0.0.1:{served.port}/ (Ctrl+C stops)"
    )
    with urllib.request.urlopen(served.url, timeout=5) as response:
        page = response.read().decode()
        assert response.status == 200
    assert 'class="textual-terminal"' in page
    assert "https://" not in page and "http://" not in page, "the page names another host"
    assert listening_addresses(served.port) == ["127.0.0.1"]


def test_another_host_is_warned_of_and_named_in_the_url(env: dict[str, str]) -> None:
    served = start_server(env, "--host", "0.0.0.0", "--public-url", "http://reader.lan:1")
    served.stop()
    assert served.process.stderr is not None
    warning = served.process.stderr.read().decode()
    assert "warning: listening on 0.0.0.0: everyone who can reach it" in warning
    assert len(warning.splitlines()) == 1
    assert "serving on http://reader.lan:1/" in served.first_line
