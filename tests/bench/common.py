"""Helpers shared by the benchmark modules: statistics, process memory, tmux, environments.

Nothing here imports termpedia: the tier workers set their XDG folders first.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import statistics
import subprocess
import sys
import threading
import time
import traceback
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
BENCH = Path(__file__).resolve().parent
SHARED = ROOT.parent / "shared" / "corpora"
ENWIKI = SHARED / "enwiki-sample.xml.bz2"
ZIM = SHARED / "ray-charles.zim"
XDG = ("DATA", "CONFIG", "STATE", "CACHE")


# -- statistics ------------------------------------------------------------------------------


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..1) of a non-empty list."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def summary(seconds: list[float], unit: str = "ms") -> dict[str, Any]:
    """Median, p95 and max of timings given in seconds, in `unit` ("ms" or "s")."""
    if not seconds:
        return {"n": 0}
    scale, digits = (1000.0, 2) if unit == "ms" else (1.0, 3)
    return {
        "n": len(seconds),
        f"p50_{unit}": round(statistics.median(seconds) * scale, digits),
        f"p95_{unit}": round(percentile(seconds, 0.95) * scale, digits),
        f"max_{unit}": round(max(seconds) * scale, digits),
    }


def guarded(results: dict[str, Any], name: str, function: Callable[[], Any]) -> Any:
    """Run one figure; an exception becomes an error string in the results, not an abort."""
    started = time.perf_counter()
    print(f"  · {name} …", file=sys.stderr, flush=True)
    try:
        value = function()
    except Exception as error:  # noqa: BLE001 - one broken figure must not end the run
        tail = traceback.format_exc().strip().splitlines()[-3:]
        results[name] = {"error": f"{type(error).__name__}: {error}", "trace": tail}
        print(f"    error: {type(error).__name__}: {error}", file=sys.stderr, flush=True)
        return None
    if isinstance(value, dict):
        value.setdefault("figure_seconds", round(time.perf_counter() - started, 1))
    results[name] = value
    return value


# -- environments ----------------------------------------------------------------------------


def tier_env(base: Path, extra: dict[str, str] | None = None) -> dict[str, str]:
    """The environment of a tier: its own XDG folders, no inherited terminal size."""
    env = dict(os.environ)
    for name in XDG:
        folder = base / name.lower()
        folder.mkdir(parents=True, exist_ok=True)
        env[f"XDG_{name}_HOME"] = str(folder)
    for name in ("COLUMNS", "LINES", "TMUX", "TMUX_PANE", "NO_COLOR"):
        env.pop(name, None)
    env["TEXTUAL_ANIMATIONS"] = "none"
    env["PYTHONHASHSEED"] = "0"
    env.update(extra or {})
    return env


# -- memory ----------------------------------------------------------------------------------


def proc_status(pid: int) -> dict[str, str]:
    fields: dict[str, str] = {}
    with contextlib.suppress(OSError):
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            key, _, value = line.partition(":")
            fields[key] = value.strip()
    return fields


def kib(value: str) -> int:
    """`12345 kB` -> 12345."""
    try:
        return int(value.split()[0])
    except (IndexError, ValueError):
        return 0


def children_of(pid: int) -> list[int]:
    """Every descendant of `pid` (from /proc/*/stat)."""
    parents: dict[int, int] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry.name}/stat").read_text()
        except OSError:
            continue
        # pid (comm) state ppid ...: comm may hold spaces and parentheses
        after = stat.rsplit(")", 1)[-1].split()
        with contextlib.suppress(IndexError, ValueError):
            parents[int(entry.name)] = int(after[1])
    found, frontier = [], [pid]
    while frontier:
        parent = frontier.pop()
        kids = [child for child, ppid in parents.items() if ppid == parent]
        found.extend(kids)
        frontier.extend(kids)
    return found


class TreeMemory:
    """Samples a process and its descendants: the largest sum of their RSS seen, and each
    process's own high-water mark (VmHWM), summed at the end (an upper bound: pages shared
    after a fork count once per process); and the largest sum of their private memory
    (RssAnon: RSS less the pages of mapped files, which the page cache holds anyway)."""

    def __init__(self, pid: int, interval: float = 0.05) -> None:
        self.pid = pid
        self.interval = interval
        self.peak_rss_kib = 0
        self.peak_anon_kib = 0
        self.hwm_kib: dict[int, int] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> TreeMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        while not self._stop.is_set():
            self.sample()
            self._stop.wait(self.interval)

    def sample(self) -> None:
        total = anon = 0
        for pid in [self.pid, *children_of(self.pid)]:
            status = proc_status(pid)
            total += kib(status.get("VmRSS", "0"))
            anon += kib(status.get("RssAnon", "0"))
            hwm = kib(status.get("VmHWM", "0"))
            if hwm:
                self.hwm_kib[pid] = max(self.hwm_kib.get(pid, 0), hwm)
        self.peak_rss_kib = max(self.peak_rss_kib, total)
        self.peak_anon_kib = max(self.peak_anon_kib, anon)

    @property
    def hwm_sum_mb(self) -> float:
        return round(sum(self.hwm_kib.values()) / 1024, 1)

    @property
    def peak_rss_mb(self) -> float:
        return round(self.peak_rss_kib / 1024, 1)

    @property
    def peak_anon_mb(self) -> float:
        return round(self.peak_anon_kib / 1024, 1)


def du_mb(folder: Path) -> float:
    """Disk use of a folder as `du` counts it (allocated blocks), in MB."""
    total = 0
    for path in folder.rglob("*"):
        with contextlib.suppress(OSError):
            if path.is_file() and not path.is_symlink():
                total += path.stat().st_blocks * 512
    return round(total / 2**20, 2)


# -- tmux ------------------------------------------------------------------------------------


def have_tmux() -> bool:
    return shutil.which("tmux") is not None


def capture(socket: str) -> str:
    return subprocess.run(
        ["tmux", "-L", socket, "capture-pane", "-p"], capture_output=True, text=True
    ).stdout


def wait_for_text(socket: str, texts: tuple[str, ...], timeout: float = 30.0) -> float:
    """perf_counter() when one of `texts` is first on the pane (polled every 5 ms)."""
    deadline = time.perf_counter() + timeout
    while time.perf_counter() < deadline:
        screen = capture(socket)
        if any(text in screen for text in texts):
            return time.perf_counter()
        time.sleep(0.005)
    raise TimeoutError(f"{texts!r} not on the screen after {timeout} s:\n{capture(socket)}")


@contextlib.contextmanager
def tmux_session(
    command: list[str], env: dict[str, str], name: str, width: int = 100, height: int = 30
) -> Iterator[tuple[str, float]]:
    """A tmux server of its own running `command`, and perf_counter() just before it was
    started; the server is killed afterwards."""
    socket = f"tpbench-{os.getpid()}-{name}"
    subprocess.run(["tmux", "-L", socket, "kill-server"], capture_output=True)
    started = time.perf_counter()
    subprocess.run(
        [
            "tmux",
            "-L",
            socket,
            "-f",
            "/dev/null",
            "new-session",
            "-d",
            "-x",
            str(width),
            "-y",
            str(height),
            *command,
        ],
        env=env,
        check=True,
    )
    try:
        yield socket, started
    finally:
        subprocess.run(["tmux", "-L", socket, "kill-server"], capture_output=True)


def pane_pid(socket: str) -> int:
    out = subprocess.run(
        ["tmux", "-L", socket, "display-message", "-p", "#{pane_pid}"],
        capture_output=True,
        text=True,
    ).stdout.strip()
    return int(out)


def send_keys(socket: str, *keys: str, literal: bool = False) -> None:
    flags = ["-l"] if literal else []
    subprocess.run(["tmux", "-L", socket, "send-keys", *flags, *keys], check=True)


def timed_start(
    command: list[str], env: dict[str, str], expect: tuple[str, ...], name: str
) -> float:
    """Seconds from starting `command` in a fresh tmux to `expect` on its screen."""
    with tmux_session(command, env, name) as (socket, started):
        return wait_for_text(socket, expect) - started
