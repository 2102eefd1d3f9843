"""`--json` output is cleaned like text output: no control character reaches a terminal.

`jq -r .section` prints a JSON string's characters as they are, so a JSON escape such as
`\\u001b` is no protection: every string of every JSON output goes through the sanitiser that
text output uses (`content.sanitize.visible`, which keeps lengths, so snippet offsets hold).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from conftest import Run, cli_env, run_cli, write_dictionary

from termpedia.content.sanitize import visible

# ESC (a CSI that clears the screen, an OSC title), BEL, C1 CSI and OSC, bidi override.
CONTROLS = "\x1b[2J \x1b]0;pwned\x07 \x9b31m \x9d0;x\x9c \u202egnirts\u202c \u2066i\u2069"
TITLE = f"Evil {CONTROLS} title"
ALIAS = "Alias \x1b[2J \x9b31m \u202ex"  # aliases are split at ";"
HEADING = f"Section {CONTROLS}"
ARTICLE = f"""= {TITLE} =

- Key {CONTROLS}: Value {CONTROLS}
- Aliases: Evilalias; {ALIAS}

Lead zanzibarite {CONTROLS} [[Target {CONTROLS}]] and [[Plain]].

== {HEADING} ==
Body zanzibarite {CONTROLS}.

== See also ==
- Also {CONTROLS}
"""
LINKER = f"= Plain =\n\n== Back {CONTROLS} ==\nSee [[Evilalias]].\n"
UNSAFE = {
    *(chr(c) for c in range(0x20) if chr(c) not in "\n\t"),
    "\x7f",
    *(chr(c) for c in range(0x80, 0xA0)),
    *(chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A), 0x2028, 0x2029)),
}


def strings(data: Any) -> list[str]:
    """Every string in a JSON value, keys included."""
    if isinstance(data, str):
        return [data]
    if isinstance(data, dict):
        return [s for key, value in data.items() for s in [key, *strings(value)]]
    if isinstance(data, list):
        return [s for item in data for s in strings(item)]
    return []


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, str], Path]:
    base = tmp_path_factory.mktemp("json")
    env = cli_env(base / "home")
    library = base / "evil"
    library.mkdir()
    (library / "evil.txt").write_text(ARTICLE, encoding="utf-8")
    (library / "plain.txt").write_text(LINKER, encoding="utf-8")
    # A dictionary in a folder whose name holds the controls: `library list` shows its path.
    index = write_dictionary(base / f"dict {CONTROLS}", [("word", "word\n   A zanzibarite.\n")])
    imported = run_cli(env, "import", "dictd", str(index), "--name", "evil")
    assert imported.code == 0, imported.err
    return env, library


def json_of(hostile: tuple[dict[str, str], Path], *args: str) -> tuple[Run, Any]:
    env, library = hostile
    run = run_cli(env, *args, "--json", "--library", str(library))
    assert run.code == 0, run.err
    return run, run.json()


def assert_clean(run: Run, data: Any) -> None:
    assert "\\u001b" not in run.out and "\\u009b" not in run.out and "\\u202e" not in run.out
    for text in strings(data):
        assert not UNSAFE & set(text), repr(text)


def test_search(hostile: tuple[dict[str, str], Path]) -> None:
    run, hits = json_of(hostile, "search", "zanzibarite", "--limit", "50")
    assert_clean(run, hits)
    places = {(hit["title"], hit["section"]) for hit in hits}
    assert (visible(TITLE), visible(HEADING)) in places
    assert (visible(TITLE), "") in places
    for hit in hits:  # the same length: the match offsets still point at the matched words
        assert [hit["snippet"][s:e].lower() for s, e in hit["matches"]] == ["zanzibarite"]


def test_show(hostile: tuple[dict[str, str], Path]) -> None:
    run, data = json_of(hostile, "show", "Evilalias")
    assert_clean(run, data)
    assert data["title"] == visible(TITLE)
    assert [s["heading"] for s in data["sections"]] == ["", visible(HEADING), "See also"]
    assert data["infobox"][0] == [visible(f"Key {CONTROLS}"), visible(f"Value {CONTROLS}")]
    assert data["aliases"] == ["Evilalias", visible(ALIAS)]
    assert data["see_also"] == [visible(f"Also {CONTROLS}")]
    assert visible(CONTROLS) in data["sections"][1]["text"]


def test_links(hostile: tuple[dict[str, str], Path]) -> None:
    run, data = json_of(hostile, "links", "Evilalias")
    assert_clean(run, data)
    assert data["title"] == visible(TITLE)
    assert [link["target"] for link in data["outgoing"]] == [
        visible(f"Target {CONTROLS}"),
        "Plain",
        visible(f"Also {CONTROLS}"),
    ]
    assert [(hit["title"], hit["section"]) for hit in data["backlinks"]] == [
        ("Plain", visible(f"Back {CONTROLS}"))
    ]


def test_library_list(hostile: tuple[dict[str, str], Path]) -> None:
    env, _ = hostile
    run = run_cli(env, "library", "list", "--json")
    assert run.code == 0, run.err
    rows = run.json()
    assert_clean(run, rows)
    assert isinstance(rows, list) and [row["name"] for row in rows] == ["evil"]
    assert visible(CONTROLS) in rows[0]["source"]


def test_library_list_as_text(hostile: tuple[dict[str, str], Path]) -> None:
    env, _ = hostile
    run = run_cli(env, "library", "list")
    assert run.code == 0, run.err
    assert not UNSAFE & set(run.out) - {"\n"}
    assert visible(CONTROLS) in run.out
