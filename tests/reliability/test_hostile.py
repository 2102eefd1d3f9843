"""Hostile text through the command line (real processes) and huge articles in the app (Pilot).

Markup and escapes inside the app's reading pane are covered by tests/tui/test_reader.py
(TestHostileText); here: what `show`, `search`, `links` and `check` write to a terminal, their
exit codes, `--json`, and the app on an article of 10,000 headings and one with a 1 MB line.
"""

from __future__ import annotations

import asyncio
import json
import time
from pathlib import Path
from typing import Any

import pytest
from reliability_support import (
    Run,
    cli_shelves,
    index_root,
    make_env,
    raw_controls,
    termpedia,
)

from termpedia.content.parse import MAX_REPEAT_NOTES, slugify
from termpedia.content.sanitize import visible
from termpedia.index.build import update
from termpedia.index.search import Index
from termpedia.tui.app import TermpediaApp
from termpedia.tui.screens.reader import ReaderScreen
from termpedia.tui.widgets.reading_pane import ReadingPane

# Every kind of hostile sequence the issue names, in one string.
HOSTILE = (
    "\x1b[31mred\x1b[0m "  # ANSI CSI colours
    "\x1b]0;pwned\x07 "  # OSC title
    "\x1b]8;;http://evil.example\x1b\\link\x1b]8;;\x1b\\ "  # OSC 8 hyperlink
    "\x1b]52;c;ZWNobyBoaQ==\x07 "  # OSC 52 clipboard write
    "\x9b2J \x9d0;c1\x9c "  # C1 CSI, C1 OSC, C1 ST
    "\u202egnirts\u202c "  # bidi override
    "z\u200bw\u200dj\ufeff "  # zero-width characters
    "nul\x00byte "  # NUL
    "[bold]b[/bold] [link=http://x]l[/link] [@click=app.quit]q[/]"  # Rich / Textual markup
)
HOSTILE_TITLE = f"Hostile {HOSTILE}"
HOSTILE_ARTICLE = f"""= {HOSTILE_TITLE} =

{HOSTILE_TITLE}
- Key {HOSTILE}: Value {HOSTILE}
- Aliases: Evilalias

Lead with the word zanzibarite {HOSTILE} [[Target {HOSTILE}]] and [[Zz other|{HOSTILE}]].

== Section {HOSTILE} ==
Body {HOSTILE} zanzibarite.

== See also ==
- Also {HOSTILE}
"""
OTHER_ARTICLE = "= Zz other =\n\nPoints at [[Evilalias]] and [[Many headings]].\n"
# Two articles an address can mean (aliases differing in case): `show` lists both titles.
TWIN = "= Twin {n} {hostile} =\n\n- Aliases: {alias}\n\nA twin.\n"
HEADINGS = 10_000
MANY_HEADINGS = (
    "= Many headings =\n\nLead linking to [[Long line]] and [[Zz other]].\n\n"
    + "".join(
        f"== Chapter ==\nText {n} with [[Long line#After|a link]].\n" for n in range(HEADINGS)
    )
)
LINE_WORDS = ("loooong " + "-" * 1016) * 1024  # 1 MB, few words: quick to index
LONG_LINE = (
    f"= Long line =\n\nStart [[Many headings]] {LINE_WORDS} end [[Zz other]] quagmirish\n\n"
    "== After ==\nThe end.\n"
)
NESTED = "= Nested =\n\nNested-looking headings.\n\n" + "".join(
    f"{'=' * (n + 2)} Level {n} == == {'=' * (n + 2)}\n== == inner {n} == ==\n" for n in range(50)
)


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, str], Path]:
    """An environment with a library of hostile and huge articles, already indexed."""
    base = tmp_path_factory.mktemp("hostile")
    env = make_env(base / "home")
    library = base / "hostlib"
    library.mkdir()
    files = {
        "hostile.txt": HOSTILE_ARTICLE,
        "other.txt": OTHER_ARTICLE,
        "twin-1.txt": TWIN.format(n=1, hostile=HOSTILE, alias="Twin peak"),
        "twin-2.txt": TWIN.format(n=2, hostile=HOSTILE, alias="TWIN PEAK"),
        "many-headings.txt": MANY_HEADINGS,
        "long-line.txt": LONG_LINE,
        "nested.txt": NESTED,
    }
    for name, text in files.items():
        (library / name).write_text(text, encoding="utf-8")
    # Built here, with the shelves the CLI computes, so no command rebuilds it.
    update(index_root(env), cli_shelves(env, library))
    return env, library


def cli(hostile: tuple[dict[str, str], Path], *args: str) -> Run:
    env, library = hostile
    return termpedia(env, *args, "--library", str(library))


def assert_terminal_safe(run: Run) -> None:
    assert raw_controls(run.raw_out) == [], "raw control characters on stdout"
    assert raw_controls(run.raw_err) == [], "raw control characters on stderr"


# -- text output -----------------------------------------------------------------------------

TEXT_COMMANDS = [
    pytest.param(("show", "Evilalias"), 0, id="show"),
    pytest.param(("show", f"Evilalias#{slugify('Section ' + HOSTILE)}"), 0, id="show-section"),
    pytest.param(("search", "zanzibarite"), 0, id="search"),
    pytest.param(
        ("search", "\x1b]0;x\x07 [bold] zanzibarite \u202e"), 0, id="search-hostile-query"
    ),
    pytest.param(("links", "Evilalias"), 0, id="links"),
    pytest.param(("links", "Zz other"), 0, id="links-backlinks-from-hostile"),
    pytest.param(("show", "Many headings"), 0, id="show-10000-headings"),
    pytest.param(("links", "Long line"), 0, id="links-1mb-line"),
    pytest.param(("search", "quagmirish"), 0, id="search-1mb-line"),
    pytest.param(("show", "Nested"), 0, id="show-50-nested-headings"),
]


@pytest.mark.parametrize(("args", "code"), TEXT_COMMANDS)
def test_text_output_is_terminal_safe_with_the_documented_exit_code(
    hostile: tuple[dict[str, str], Path], args: tuple[str, ...], code: int
) -> None:
    run = cli(hostile, *args)
    assert run.code == code, run.err
    assert run.out, "something was printed"
    assert_terminal_safe(run)
    assert run.seconds < 60


def test_show_prints_the_hostile_text_visibly(hostile: tuple[dict[str, str], Path]) -> None:
    run = cli(hostile, "show", "Evilalias")
    assert run.code == 0
    assert "␛]52;c;ZWNobyBoaQ==␇" in run.out, "OSC 52 is shown, not sent"
    assert "␛]0;pwned␇" in run.out and "␛[31mred" in run.out and "␀" in run.out
    assert "[@click=app.quit]q[/]" in run.out and "[link=http://x]l[/link]" in run.out
    assert "\ufffdgnirts" in run.out, "the bidi override is replaced"
    assert "zanzibarite" in run.out


def test_check_names_every_problem_on_one_line_and_exits_3(
    hostile: tuple[dict[str, str], Path],
) -> None:
    env, library = hostile
    run = termpedia(env, "check", str(library))
    assert run.code == 3, "the NUL byte is an error"
    assert_terminal_safe(run)
    lines = run.out.splitlines()
    assert all(line.startswith(str(library)) for line in lines)
    assert (
        f"{library / 'hostile.txt'}:1: error: NUL bytes in text (is this a binary file?)" in lines
    )
    repeated = [ln for ln in lines if ln.startswith(f"{library / 'many-headings.txt'}:")]
    # The first MAX_REPEAT_NOTES repeats one by one, then one line that counts the rest.
    assert len(repeated) == MAX_REPEAT_NOTES + 1
    assert repeated[-1].endswith(
        f"warning: {HEADINGS - 1 - MAX_REPEAT_NOTES} more repeated headings not listed"
    )
    assert run.err_lines[-1].startswith("checked 7 files: ")


def test_check_of_the_huge_clean_files_exits_0(hostile: tuple[dict[str, str], Path]) -> None:
    env, library = hostile
    run = termpedia(env, "check", str(library / "long-line.txt"), str(library / "nested.txt"))
    assert run.code == 0, run.out
    assert_terminal_safe(run)


# -- JSON ------------------------------------------------------------------------------------

JSON_COMMANDS = {
    "search": ("search", "zanzibarite", "--json"),
    "show": ("show", "Evilalias", "--json"),
    "links": ("links", "Evilalias", "--json"),
}


@pytest.fixture(scope="module")
def json_runs(hostile: tuple[dict[str, str], Path]) -> dict[str, Run]:
    return {name: cli(hostile, *args) for name, args in JSON_COMMANDS.items()}


def strings(data: Any) -> list[str]:
    if isinstance(data, str):
        return [data]
    if isinstance(data, dict):
        return [s for key, value in data.items() for s in strings(key) + strings(value)]
    if isinstance(data, list):
        return [s for item in data for s in strings(item)]
    return []


@pytest.mark.parametrize("command", sorted(JSON_COMMANDS))
def test_json_parses_and_carries_the_exact_text(json_runs: dict[str, Run], command: str) -> None:
    run = json_runs[command]
    assert run.code == 0, run.err
    data = json.loads(run.out)
    # Every string of every JSON output goes through the one sanitiser, as text output does.
    assert visible(HOSTILE_TITLE) in strings(data), "the title, its controls made visible"
    # JSON escapes C0 (ESC, BEL, NUL) as \u001b etc.: those never reach the terminal raw.
    assert not any(0 < ord(c) < 0x20 and c not in "\n\t" for c in run.out)
    assert raw_controls(run.raw_err) == []


@pytest.mark.parametrize("command", sorted(JSON_COMMANDS))
def test_json_carries_no_raw_c1_or_bidi_controls(json_runs: dict[str, Run], command: str) -> None:
    assert raw_controls(json_runs[command].raw_out) == []


# -- messages that quote titles and headings -------------------------------------------------

RAW_IN_MESSAGES = (
    "BUG: tui/cli.py _resolve: {where} are joined into the one-line error without visible(), "
    "so ESC, BEL, OSC 52 (clipboard write), C1 and U+202E from an article reach the terminal "
    "on stderr"
)


@pytest.mark.parametrize(
    ("args", "shown"),
    [
        pytest.param(
            ("show", "hostile"),
            "no article titled 'hostile'; closest: Hostile ",
            id="unknown-title-closest",
        ),
        pytest.param(
            ("links", "Evilalias#nosuch"),
            "has no section 'nosuch'; sections: Section ",
            id="unknown-section-lists-headings",
        ),
        pytest.param(
            ("show", "twin Peak"),
            "'twin Peak' could mean: Twin 1 ",
            id="ambiguous-title-candidates",
        ),
    ],
)
def test_not_found_messages_are_one_terminal_safe_line(
    hostile: tuple[dict[str, str], Path], args: tuple[str, ...], shown: str
) -> None:
    run = cli(hostile, *args)
    assert run.code == 1
    assert run.out == ""
    assert shown in run.err
    assert len(run.err_lines) == 1, "one line"
    assert raw_controls(run.raw_err) == []


# -- the app on huge articles ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "first_section"),
    [("Many headings", "chapter"), ("Long line", "after")],
    ids=["10000-headings", "1mb-line"],
)
async def test_the_app_opens_a_huge_article_and_g_n_tab_q_work(
    hostile: tuple[dict[str, str], Path], title: str, first_section: str
) -> None:
    env, _ = hostile
    started = time.perf_counter()
    app = TermpediaApp(Index(index_root(env)), title)
    app._fatal_error = app._close_messages_no_wait  # type: ignore[method-assign]
    async with asyncio.timeout(120):
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.app.workers.wait_for_complete()
            await pilot.pause()
            screen = pilot.app.screen
            assert isinstance(screen, ReaderScreen)
            assert screen.article is not None and screen.article.title == title
            pane = screen.query_one("#reader", ReadingPane)
            assert pane.max_scroll_y > 30
            await pilot.press("n")
            await pilot.pause()
            assert screen.current_section == first_section
            await pilot.press("G")
            await pilot.pause()
            assert pane.scroll_y == pane.max_scroll_y
            await pilot.press("g")
            await pilot.pause()
            assert pane.scroll_y == 0
            await pilot.press("tab")
            await pilot.pause()
            assert pane.current_link is not None
            await pilot.press("q")
            await pilot.pause()
            assert not app.is_running
    assert app.return_code == 0
    assert time.perf_counter() - started < 60
