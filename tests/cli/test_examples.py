"""Every `termpedia ...` example in README.md's code blocks and in `termpedia --help` works.

Each example that prints is run as written, by `sh`, in a folder that holds the files the
examples name (`dump.xml.bz2`, `wikipedia.zim`, `jargon.index`: the shared test corpora;
`notes/idea.txt` and `~/notes`: an article), against the bundled encyclopedia, and must exit 0.
Examples that open the app are checked without it: their title and section resolve in the
bundled index, their file parses, and without a terminal the command says the app needs
one (rather than that the word is unknown).
"""

from __future__ import annotations

import os
import re
import shlex
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, SHARED, cli_env

from termpedia.content.library import load_article
from termpedia.content.resolve import find_section
from termpedia.index.search import Index
from termpedia.tui import cli

CORPORA = SHARED / "corpora"
# The files the examples name, and where the test takes them from.
PLACEHOLDERS = {
    "dump.xml.bz2": [CORPORA / "enwiki-sample.xml.bz2"],
    "wikipedia.zim": [CORPORA / "ray-charles.zim"],
    "jargon.index": [CORPORA / "jargon" / "jargon.index", CORPORA / "jargon" / "jargon.dict.dz"],
}
IDEA = "= Idea =\n\nAn idea about [[Leon Trotsky#Exile]].\n\n== See also ==\n- Marxism\n"
DEADLINE = 120  # seconds for one example (an import indexes its library too)


def examples_in_readme() -> list[str]:
    """The `termpedia ...` lines of README.md's fenced code blocks, as written."""
    lines, inside = [], False
    for line in (ROOT / "README.md").read_text(encoding="utf-8").splitlines():
        if line.lstrip().startswith("```"):
            inside = not inside
        elif inside and re.match(r"\s*termpedia(\s|$)", line):
            lines.append(line.strip())
    return lines


def examples_in_help() -> list[str]:
    done = subprocess.run(
        [sys.executable, "-m", "termpedia.tui.cli", "--help"],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    return [
        line.strip() for line in done.stdout.splitlines() if re.match(r"\s*termpedia(\s|$)", line)
    ]


def command_of(example: str) -> str:
    """The command of an example line: what comes before its description (2+ spaces)."""
    return re.split(r"\s{2,}", example, maxsplit=1)[0]


def opens_the_app(command: str) -> bool:
    try:
        return str(cli.parse_arguments(shlex.split(command)[1:]).command) == "open"
    except SystemExit:  # a usage error: run it, and let it fail there
        return False


def serves(command: str) -> bool:
    return shlex.split(command)[1:2] == ["serve"]


def needs(command: str) -> list[Path]:
    """The corpus files an example needs (`library remove jargon`: what made `jargon`)."""
    words = shlex.split(command)
    named = [name for name in PLACEHOLDERS if name in words]
    if words[1:3] == ["library", "remove"]:
        named += [name for name in PLACEHOLDERS if name.split(".")[0] in words[3:]]
    return [path for name in named for path in PLACEHOLDERS[name]]


@pytest.fixture(scope="module")
def examples() -> list[str]:
    """The commands of README's examples, then those of --help that README does not have."""
    found = [command_of(line) for line in [*examples_in_readme(), *examples_in_help()]]
    assert len(examples_in_readme()) >= 10 and len(examples_in_help()) >= 10
    return list(dict.fromkeys(found))


@pytest.fixture
def workdir(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    """The folder the examples run in, with the files they name, and their environment:
    XDG folders of their own, HOME (for `~/notes`) and `termpedia` on PATH."""
    work = tmp_path / "work"
    work.mkdir()
    for name, sources in PLACEHOLDERS.items():
        for source in sources:
            if source.exists():  # `jargon.index` and `jargon.dict.dz` side by side
                (work / (name.split(".")[0] + "".join(source.suffixes))).symlink_to(source)
    home = tmp_path / "home"
    for folder in (work / "notes", home / "notes"):
        folder.mkdir(parents=True)
        (folder / "idea.txt").write_text(IDEA, encoding="utf-8")
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    program = bin_dir / "termpedia"  # this checkout's command, whatever is installed
    program.write_text(f'#!/bin/sh\nexec {shlex.quote(sys.executable)} -m termpedia.tui.cli "$@"\n')
    program.chmod(0o755)
    env = cli_env(tmp_path / "xdg")
    env.update(HOME=str(home), PATH=f"{bin_dir}{os.pathsep}{env.get('PATH', '')}")
    env.pop("TEXTUAL_DRIVER", None)
    return work, env


def run_example(command: str, work: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["sh", "-c", f"{command} </dev/null"],
        cwd=work,
        env=env,
        capture_output=True,
        text=True,
        timeout=DEADLINE,
    )


def serve_example(
    command: str, work: Path, env: dict[str, str]
) -> subprocess.CompletedProcess[str]:
    """A `termpedia serve` example runs until stopped: it must print the URL it serves on,
    then stop cleanly (exit 0) on SIGTERM, as from a service manager."""
    process = subprocess.Popen(
        shlex.split(command),
        cwd=work,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        first = process.stdout.readline()  # blocks until the port is bound (or it exits)
        assert re.search(r"serving on http://\S+:\d+/", first), (command, first)
        process.send_signal(signal.SIGTERM)
        stdout, stderr = process.communicate(timeout=DEADLINE)
    finally:
        process.kill()
        process.wait()
    return subprocess.CompletedProcess(command, process.returncode, first + stdout, stderr)


def test_examples_that_print_exit_0(
    examples: list[str], workdir: tuple[Path, dict[str, str]]
) -> None:
    work, env = workdir
    failures, skipped = [], []
    for command in examples:
        if opens_the_app(command):
            continue
        missing = [path for path in needs(command) if not path.exists()]
        if missing:
            skipped.append(f"{command} (no {', '.join(map(str, missing))})")
            continue
        done = (
            serve_example(command, work, env)
            if serves(command)
            else run_example(command, work, env)
        )
        if done.returncode != 0 or "Traceback" in done.stderr:
            failures.append(f"{command}\n  exit {done.returncode}: {done.stderr.strip()}")
    assert not failures, "\n".join(failures)
    if skipped:
        pytest.skip("the shared corpora are not beside this checkout: " + "; ".join(skipped))


def test_examples_that_open_the_app_name_what_exists(
    examples: list[str], workdir: tuple[Path, dict[str, str]], bundled_index: Path
) -> None:
    work, env = workdir
    index = Index(bundled_index)
    opening = [command for command in examples if opens_the_app(command)]
    assert len(opening) >= 4, opening
    for command in opening:
        target = cli.parse_arguments(shlex.split(command)[1:]).target
        if target is None:  # the app starts on its manual
            assert index.catalog.resolve("termpedia").entry is not None
        elif target.endswith(".txt"):
            article = load_article(work / target)
            assert article.title and not article.diagnostics, command
        elif target.endswith(".zim"):  # read in place: the file is an archive that opens
            if not (work / target).exists():
                continue  # the shared corpora are not beside this checkout
            assert cli._is_archive(work / target), command
        else:
            resolution = index.catalog.resolve(target)
            assert resolution.entry is not None, f"{command}: no such title"
            if resolution.fragment:
                article = load_article(Path(resolution.entry.path))
                section = find_section(article, resolution.fragment)
                assert section is not None, f"{command}: no such section"
        # Through the real command: recognised, and stopped for want of a terminal.
        done = run_example(command, work, env)
        assert done.returncode == 2, (command, done.stderr)
        assert done.stderr.startswith("termpedia: the app needs a terminal"), done.stderr
