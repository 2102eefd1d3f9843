"""The `termpedia` command as a user runs it: real processes, exit codes, stdout and stderr."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest
from conftest import Run, cli_env, run_process, write_dictionary

from termpedia.content.library import bundled_shelf, load_article

SEED_TITLE = "The Permanent Revolution and Results and Prospects"
CONSOLE_SCRIPT = Path(sys.executable).parent / "termpedia"


make_env = cli_env


def termpedia(env: dict[str, str], *args: str, script: bool = False) -> Run:
    command = [str(CONSOLE_SCRIPT)] if script else [sys.executable, "-m", "termpedia.tui.cli"]
    return run_process([*command, *args], env)


def bundled_titles() -> set[str]:
    return {load_article(path).title for path in bundled_shelf().root.glob("*.txt")}


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """An environment whose index of the bundled encyclopedia is already built."""
    environment = make_env(tmp_path_factory.mktemp("cli-home"))
    built = termpedia(environment, "index")
    assert built.code == 0, built.err
    return environment


@pytest.fixture
def fresh_env(tmp_path: Path) -> dict[str, str]:
    return make_env(tmp_path / "fresh-home")


@pytest.fixture(scope="module")
def bad_library(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder of awkward article files."""
    folder = tmp_path_factory.mktemp("bad") / "badlib"
    folder.mkdir()
    (folder / "bad-utf8.txt").write_bytes(
        b"= Bad Bytes =\n\nline two\nbroken \xff\xfe here zanzibarite\n"
    )
    (folder / "nul.txt").write_bytes(b"= Nul Bytes =\n\nhello\x00world\n")
    (folder / "headings.txt").write_text("== A ==\n== B ==\n=== C ===\n")
    (folder / "empty.txt").write_text("")
    # One 5 MB line, without a newline (few words, so indexing it stays quick).
    (folder / "huge.txt").write_text(("quokka " + "-" * 993) * 5_000)
    (folder / "x.txt").mkdir()
    (folder / "x.txt" / "inside.txt").write_text("= Inside =\n\n[[dangling\n")
    (folder / "escapes.txt").write_text(
        "= Escapes =\n\n[bold]x[/bold] and \x1b]0;title\x07 and \x1b[31mred\x1b[0m here.\n"
    )
    return folder


@pytest.fixture(scope="module")
def bad_env(tmp_path_factory: pytest.TempPathFactory, bad_library: Path) -> dict[str, str]:
    """An environment whose index already holds the bad library (given as --library)."""
    environment = make_env(tmp_path_factory.mktemp("bad-home"))
    built = termpedia(environment, "index", "--library", str(bad_library))
    assert built.code == 3, "built, but the bad bytes are errors, as for `check`"
    assert built.out.startswith("index built: ")
    return environment


class TestSearch:
    def test_phrase_as_json(self, env: dict[str, str]) -> None:
        run = termpedia(env, "search", '"reckless confrontations"', "--json")
        assert run.code == 0, run.err
        hits = run.json()
        assert isinstance(hits, list) and hits
        first = hits[0]
        assert {"title", "section", "anchor", "library", "score", "snippet"} <= set(first)
        assert (first["title"], first["section"], first["anchor"]) == (
            SEED_TITLE,
            "Historical evaluation",
            "historical-evaluation",
        )
        assert first["library"] == "bundled"
        assert isinstance(first["score"], float) and first["score"] > 0
        assert '"reckless confrontations"' in first["snippet"]
        assert [first["snippet"][s:e] for s, e in first["matches"]] == [
            "reckless",
            "confrontations",
        ]

    def test_hyphenated_name(self, env: dict[str, str]) -> None:
        run = termpedia(env, "search", "Knei-Paz", "--json", "--limit", "100")
        assert run.code == 0, run.err
        hits = run.json()
        assert isinstance(hits, list)
        places = {(hit["title"], hit["section"]) for hit in hits}
        assert (SEED_TITLE, "Historical evaluation") in places
        if "Baruch Knei-Paz" not in bundled_titles():
            pytest.skip("the bundled article 'Baruch Knei-Paz' does not exist yet")
        assert "Baruch Knei-Paz" in {title for title, _ in places}

    def test_text_output(self, env: dict[str, str]) -> None:
        run = termpedia(env, "search", '"reckless confrontations"')
        assert run.code == 0
        lines = run.out.splitlines()
        assert lines[0].startswith(f"{SEED_TITLE} › Historical evaluation  (")
        assert lines[0].endswith(", bundled)")
        assert lines[1].startswith("    ") and "reckless confrontations" in lines[1]
        assert "\x1b" not in run.out

    def test_limit(self, env: dict[str, str]) -> None:
        run = termpedia(env, "search", "Trotsky", "--json", "--limit", "2")
        hits = run.json()
        assert isinstance(hits, list) and len(hits) == 2

    def test_no_hits_exits_1(self, env: dict[str, str]) -> None:
        run = termpedia(env, "search", "xylophonequasar")
        assert run.code == 1
        assert run.out == ""
        assert run.err_lines[-1] == "termpedia: no hits for 'xylophonequasar'"

    def test_no_hits_as_json_is_an_empty_list(self, env: dict[str, str]) -> None:
        run = termpedia(env, "search", "xylophonequasar", "--json")
        assert run.code == 1
        assert run.json() == []

    def test_json_stays_clean_when_notes_go_to_stderr(self, env: dict[str, str]) -> None:
        run = termpedia(env, "search", 'reckless "', "--json")
        assert run.code == 0
        assert "termpedia: an unclosed quote was ignored" in run.err_lines
        hits = run.json()
        assert isinstance(hits, list) and hits[0]["section"] == "Historical evaluation"

    def test_did_you_mean_goes_to_stderr(self, env: dict[str, str]) -> None:
        run = termpedia(env, "search", "trotksy", "--json")
        assert run.code == 1
        assert run.json() == []
        assert "termpedia: did you mean: trotsky" in run.err_lines

    def test_unreadable_query_does_not_crash(self, env: dict[str, str]) -> None:
        run = termpedia(env, "search", "AND OR (", "--json")
        assert run.code in (0, 1)
        assert isinstance(run.json(), list)
        assert "Traceback" not in run.err

    def test_limit_below_one_is_a_usage_error(self, env: dict[str, str]) -> None:
        run = termpedia(env, "search", "x", "--limit", "0")
        assert run.code == 2
        assert run.err_lines == ["termpedia: --limit must be at least 1"]

    def test_console_script(self, env: dict[str, str]) -> None:
        if not CONSOLE_SCRIPT.exists():
            pytest.skip("console script not installed")
        run = termpedia(env, "search", '"reckless confrontations"', "--json", script=True)
        assert run.code == 0
        hits = run.json()
        assert isinstance(hits, list) and hits[0]["title"] == SEED_TITLE


class TestShow:
    def test_bibliography(self, env: dict[str, str]) -> None:
        if "Leon Trotsky bibliography" not in bundled_titles():
            pytest.skip("the bundled article 'Leon Trotsky bibliography' does not exist yet")
        run = termpedia(env, "show", "Leon Trotsky bibliography")
        assert run.code == 0, run.err
        assert run.out.startswith("Leon Trotsky bibliography\n=========================\n")

    def test_whole_seed_article(self, env: dict[str, str]) -> None:
        run = termpedia(env, "show", SEED_TITLE)
        assert run.code == 0
        assert run.out.startswith(f"{SEED_TITLE}\n")
        for piece in (
            "  Author: Leon Trotsky",
            "# Synopsis",
            '## "Results and Prospects"',
            "reckless",
        ):
            assert piece in run.out
        assert run.out.endswith("- Leon Trotsky bibliography\n")

    def test_section_by_loose_address(self, env: dict[str, str]) -> None:
        run = termpedia(
            env, "show", "the_permanent revolution and results and prospects#Historical evaluation"
        )
        assert run.code == 0, run.err
        assert run.out.startswith("# Historical evaluation\n")
        assert "reckless confrontations" in run.out
        assert "Results and Prospects is a 1906" not in run.out
        assert "Author" not in run.out

    def test_section_with_subsections(self, env: dict[str, str]) -> None:
        run = termpedia(env, "show", f"{SEED_TITLE}#synopsis")
        assert run.code == 0
        assert "1928 essay" in run.out and "1906 essay" in run.out
        assert "reckless" not in run.out

    def test_json(self, env: dict[str, str]) -> None:
        run = termpedia(env, "show", f"{SEED_TITLE}#Historical_evaluation", "--json")
        assert run.code == 0
        data = run.json()
        assert isinstance(data, dict)
        assert data["title"] == SEED_TITLE
        assert data["anchor"] == "historical-evaluation"
        assert data["infobox"][0] == ["Author", "Leon Trotsky"]
        assert data["see_also"] == ["Leon Trotsky bibliography"]
        assert [s["heading"] for s in data["sections"]] == ["Historical evaluation"]

    def test_unknown_title_names_the_closest_on_one_line(self, env: dict[str, str]) -> None:
        run = termpedia(env, "show", "Permanent Revolution and Results and Prospectz")
        assert run.code == 1
        assert run.out == ""
        assert len(run.err_lines) == 1
        line = run.err_lines[0]
        assert line.startswith(
            "termpedia: no article titled 'Permanent Revolution and Results and Prospectz'; "
            "closest: "
        )
        assert SEED_TITLE in line

    def test_unknown_section(self, env: dict[str, str]) -> None:
        run = termpedia(env, "show", f"{SEED_TITLE}#Early life")
        assert run.code == 1
        assert run.err_lines == [
            f"termpedia: '{SEED_TITLE}' has no section 'Early life'; sections: Synopsis, "
            '"The Permanent Revolution", "Results and Prospects", Historical evaluation, See also'
        ]

    def test_section_named_by_the_start_of_its_heading(self, env: dict[str, str]) -> None:
        run = termpedia(env, "show", "Leon Trotsky#Exile")
        assert run.code == 0, run.err
        assert run.out.startswith("## Exile and death\n")
        linked = termpedia(env, "links", "Leon Trotsky#exile and")
        assert linked.code == 0, linked.err

    def test_start_of_two_headings_names_neither(self, env: dict[str, str]) -> None:
        run = termpedia(env, "show", "Leon Trotsky#E")
        assert run.code == 1
        assert run.out == ""
        assert run.err_lines == [
            "termpedia: 'Leon Trotsky' has no section 'E'; 2 headings start with it: "
            "Early life and 1905, Exile and death"
        ]


class TestLinks:
    def test_outgoing_links_of_the_seed(self, env: dict[str, str]) -> None:
        run = termpedia(env, "links", SEED_TITLE, "--json")
        assert run.code == 0
        data = run.json()
        assert isinstance(data, dict)
        (link,) = data["outgoing"]
        assert (link["target"], link["kind"], link["line"]) == (
            "Leon Trotsky bibliography",
            "see_also",
            32,
        )
        if "Leon Trotsky bibliography" in bundled_titles():
            assert link["resolves_to"] == "Leon Trotsky bibliography"
            assert link["dangling"] is False

    def test_text_marks_inline_and_see_also_links(self, env: dict[str, str]) -> None:
        run = termpedia(env, "links", "Leon Trotsky")
        assert run.code == 0, run.err
        lines = run.out.splitlines()
        outgoing = lines[1 : lines.index("links to Leon Trotsky:")]
        assert lines[0] == "links from Leon Trotsky:"
        assert outgoing[0] == "  inline    Vladimir Lenin"
        assert "  see also  Leon Trotsky bibliography" in outgoing
        assert "  inline    Leon Trotsky bibliography" in outgoing
        data = termpedia(env, "links", "Leon Trotsky", "--json").json()
        assert isinstance(data, dict)
        kinds = {"inline": "inline  ", "see_also": "see also"}
        links = data["outgoing"]
        assert outgoing == [f"  {kinds[link['kind']]}  {link['target']}" for link in links]

    def test_dangling_links_are_marked(self, env: dict[str, str], tmp_path: Path) -> None:
        (tmp_path / "a.txt").write_text(
            "= Aardvark =\n\nSee [[Nowhere yet]].\n\n== See also ==\n- Leon Trotsky\n- Nor here\n"
        )
        run = termpedia(env, "links", "Aardvark", "--library", str(tmp_path))
        assert run.code == 0, run.err
        assert run.out.splitlines()[:4] == [
            "links from Aardvark:",
            "  inline    Nowhere yet  (no article yet)",
            "  see also  Leon Trotsky",
            "  see also  Nor here  (no article yet)",
        ]

    def test_backlinks_sorted_by_title_then_section(self, env: dict[str, str]) -> None:
        data = termpedia(env, "links", "Leon Trotsky", "--json").json()
        assert isinstance(data, dict)
        places = [(hit["title"], hit["section"]) for hit in data["backlinks"]]
        assert len(places) > 10
        assert places == sorted(places, key=lambda p: (p[0].casefold(), p[1].casefold()))
        assert ("Karl Radek", "") in places and ("Karl Radek", "See also") in places
        run = termpedia(env, "links", "Leon Trotsky")
        lines = run.out.splitlines()
        backlinks = lines[lines.index("links to Leon Trotsky:") + 1 :]
        assert backlinks == [f"  {t} › {s}" if s else f"  {t}" for t, s in places]


class TestOptionsAndUsage:
    def test_version(self, env: dict[str, str]) -> None:
        run = termpedia(env, "--version")
        assert run.code == 0
        assert run.out.strip() == "termpedia 0.1.0"

    def test_help_lists_commands_and_exit_codes(self, env: dict[str, str]) -> None:
        run = termpedia(env, "--help")
        assert run.code == 0
        for command in ("open", "search", "show", "index", "check", "links"):
            assert f"termpedia {command}" in run.out or f"  {command} " in run.out, command
        for code in (
            "0 success",
            "1 nothing found",
            "2 usage error",
            "3 bad input",
            "4 busy",
            "141 the reader of the output stopped reading",
        ):
            assert code in " ".join(run.out.split()), code

    def test_missing_argument_is_a_usage_error(self, env: dict[str, str]) -> None:
        run = termpedia(env, "search")
        assert run.code == 2
        assert "usage:" in run.err

    @pytest.mark.parametrize("option", ["--library", "--index"])
    def test_option_missing_its_value_is_a_usage_error(
        self, env: dict[str, str], option: str
    ) -> None:
        run = termpedia(env, option)
        assert "Traceback" not in run.err
        assert run.code == 2

    def test_unknown_option_is_a_usage_error(self, env: dict[str, str]) -> None:
        assert termpedia(env, "search", "x", "--bogus").code == 2

    def test_library_that_is_not_a_folder(self, env: dict[str, str], tmp_path: Path) -> None:
        file = tmp_path / "file.txt"
        file.write_text("= F =\n")
        for folder in (file, tmp_path / "missing"):
            run = termpedia(env, "search", "x", "--library", str(folder))
            assert run.code == 3
            assert run.err_lines == [f"termpedia: {folder}: not a folder of articles"]

    def test_global_option_before_or_after_the_command(
        self, bad_env: dict[str, str], bad_library: Path
    ) -> None:
        after = termpedia(bad_env, "search", "zanzibarite", "--library", str(bad_library), "--json")
        before = termpedia(
            bad_env, "--library", str(bad_library), "search", "zanzibarite", "--json"
        )
        for run in (after, before):
            assert run.code == 0, run.err
            hits = run.json()
            assert isinstance(hits, list) and hits[0]["title"] == "Bad Bytes"

    def test_library_before_and_after_the_command_are_both_used(
        self, bad_env: dict[str, str], bad_library: Path, tmp_path: Path
    ) -> None:
        other = tmp_path / "other"
        other.mkdir()
        (other / "wombat.txt").write_text("= Wombat =\n\nA burrowing wombatine marsupial.\n")
        run = termpedia(
            bad_env,
            "--library",
            str(bad_library),
            "search",
            "zanzibarite",
            "--library",
            str(other),
            "--json",
        )
        assert run.code == 0
        hits = run.json()
        assert isinstance(hits, list) and hits[0]["title"] == "Bad Bytes"

    def test_index_option(self, env: dict[str, str], tmp_path: Path) -> None:
        folder = tmp_path / "my-index"
        run = termpedia(
            env, "search", '"reckless confrontations"', "--index", str(folder), "--json"
        )
        assert run.code == 0
        assert (folder / "CURRENT").is_file()


class TestIndexCommand:
    def test_build_then_up_to_date(self, fresh_env: dict[str, str]) -> None:
        first = termpedia(fresh_env, "index")
        assert first.code == 0
        assert len(first.out.splitlines()) == 1
        assert first.out.startswith("index built: ")
        assert " articles, " in first.out and " sections, " in first.out
        second = termpedia(fresh_env, "index")
        assert second.code == 0
        assert len(second.out.splitlines()) == 1
        assert second.out.startswith("index up to date: ")

    def test_rebuild(self, fresh_env: dict[str, str]) -> None:
        termpedia(fresh_env, "index")
        run = termpedia(fresh_env, "index", "--rebuild")
        assert run.code == 0
        assert run.out.startswith("index built: ")

    def test_new_user_article_is_picked_up(self, fresh_env: dict[str, str]) -> None:
        termpedia(fresh_env, "index")
        articles = Path(fresh_env["XDG_DATA_HOME"]) / "termpedia" / "articles"
        articles.mkdir(parents=True)
        (articles / "mine.txt").write_text("= My Note =\n\nAbout the okapi.\n")
        run = termpedia(fresh_env, "index")
        assert run.out.startswith("index updated: ")
        assert "1 re-indexed" in run.out
        hits = termpedia(fresh_env, "search", "okapi", "--json").json()
        assert isinstance(hits, list) and hits[0]["library"] == "user"


class TestCheck:
    def test_bad_files_are_named_by_path_and_line(
        self, env: dict[str, str], bad_library: Path
    ) -> None:
        run = termpedia(env, "check", str(bad_library))
        assert run.code == 3
        lines = run.out.splitlines()
        expected = [
            f"{bad_library / 'bad-utf8.txt'}:4: error: invalid UTF-8",
            f"{bad_library / 'nul.txt'}:3: error: NUL bytes",
            f"{bad_library / 'headings.txt'}:1: warning: no '= Title =' line",
            f"{bad_library / 'empty.txt'}:1: warning: no '= Title =' line",
            f"{bad_library / 'huge.txt'}:1: warning: no '= Title =' line",
            f"{bad_library / 'x.txt' / 'inside.txt'}:3: warning: unclosed [[ link",
        ]
        for prefix in expected:
            assert any(line.startswith(prefix) for line in lines), prefix
        assert run.err_lines[-1] == "checked 7 files: 2 errors, 4 warnings"

    def test_escapes_in_messages_are_made_visible(
        self, env: dict[str, str], tmp_path: Path
    ) -> None:
        folder = tmp_path / "esc"
        folder.mkdir()
        (folder / "a\x1b[31m.txt").write_text("no title\n")
        run = termpedia(env, "check", str(folder))
        assert run.code == 0
        assert b"\x1b" not in run.raw_out
        assert "a\u241b[31m.txt:1: warning" in run.out

    def test_clean_files_exit_0(self, env: dict[str, str]) -> None:
        run = termpedia(
            env,
            "check",
            str(bundled_shelf().root / "the-permanent-revolution-and-results-and-prospects.txt"),
        )
        assert run.code == 0
        assert run.out == ""
        assert run.err_lines == ["checked 1 file: 0 errors, 0 warnings"]

    def test_counts_agree_in_number(self, env: dict[str, str], tmp_path: Path) -> None:
        (tmp_path / "one.txt").write_bytes(b"before the title\n= One =\n\nbad \xff byte\n")
        run = termpedia(env, "check", str(tmp_path / "one.txt"))
        assert run.code == 3
        assert run.err_lines == ["checked 1 file: 1 error, 1 warning"]
        (tmp_path / "two.txt").write_bytes(b"= Two =\n\nbad \xff\n\n= Again =\n")
        run = termpedia(env, "check", str(tmp_path))
        assert run.err_lines == ["checked 2 files: 2 errors, 2 warnings"]

    def test_missing_file_is_an_error(self, env: dict[str, str], tmp_path: Path) -> None:
        missing = tmp_path / "missing.txt"
        run = termpedia(env, "check", str(missing))
        assert run.code == 3
        assert run.out.startswith(f"{missing}:0: error: ")

    def test_opening_a_folder_named_like_an_article_is_bad_input(
        self, env: dict[str, str], bad_library: Path
    ) -> None:
        run = termpedia(env, str(bad_library / "x.txt"))
        assert run.code == 3
        assert run.err_lines == [
            f"termpedia: {bad_library / 'x.txt'}:0: error: is a folder, not a file"
        ]


class TestBadLibrary:
    def test_search_still_finds_the_seed(self, bad_env: dict[str, str], bad_library: Path) -> None:
        run = termpedia(
            bad_env, "search", '"reckless confrontations"', "--library", str(bad_library), "--json"
        )
        assert run.code == 0
        hits = run.json()
        assert isinstance(hits, list) and hits[0]["title"] == SEED_TITLE

    def test_show_still_shows_the_seed(self, bad_env: dict[str, str], bad_library: Path) -> None:
        run = termpedia(bad_env, "show", f"{SEED_TITLE}#see also", "--library", str(bad_library))
        assert run.code == 0
        assert run.out == "# See also\n- Leon Trotsky bibliography\n"

    def test_invalid_utf8_article_is_searchable_and_showable(
        self, bad_env: dict[str, str], bad_library: Path
    ) -> None:
        found = termpedia(
            bad_env, "search", "zanzibarite", "--library", str(bad_library), "--json"
        ).json()
        assert isinstance(found, list) and found[0]["title"] == "Bad Bytes"
        assert found[0]["library"] == "badlib"
        shown = termpedia(bad_env, "show", "bad bytes", "--library", str(bad_library))
        assert shown.code == 0
        assert shown.out == "Bad Bytes\n=========\nline two\nbroken \ufffd\ufffd here zanzibarite\n"

    def test_markup_and_escapes_are_printed_harmlessly(
        self, bad_env: dict[str, str], bad_library: Path
    ) -> None:
        run = termpedia(bad_env, "show", "Escapes", "--library", str(bad_library))
        assert run.code == 0
        assert b"\x1b" not in run.raw_out and b"\x07" not in run.raw_out
        assert "[bold]x[/bold]" in run.out
        assert "\u241b]0;title\u2407" in run.out
        found = termpedia(bad_env, "search", "Escapes", "--library", str(bad_library))
        assert found.code == 0
        assert b"\x1b" not in found.raw_out and b"\x07" not in found.raw_out

    def test_file_without_title_is_found_by_its_file_name(
        self, bad_env: dict[str, str], bad_library: Path
    ) -> None:
        run = termpedia(bad_env, "show", "headings", "--library", str(bad_library))
        assert run.code == 0
        assert run.out.startswith("headings\n")
        assert "# A" in run.out and "## C" in run.out

    def test_five_megabyte_line_article_is_searchable(
        self, bad_env: dict[str, str], bad_library: Path
    ) -> None:
        run = termpedia(bad_env, "search", "quokka", "--library", str(bad_library), "--json")
        assert run.code == 0, run.err
        hits = run.json()
        assert isinstance(hits, list) and hits[0]["title"] == "huge"


class TestImport:
    def test_one_of_each_is_singular(self, fresh_env: dict[str, str], tmp_path: Path) -> None:
        index = write_dictionary(
            tmp_path, [("00-database-short", "Tiny\n"), ("okapi", "okapi\n   A giraffid.\n")]
        )
        run = termpedia(fresh_env, "import", "dictd", str(index))
        assert run.code == 0, run.err
        assert re.fullmatch(
            r"imported 1 article, 0 aliases, 1 section into library 'tiny', "
            r"converted in \d+\.\d s, indexed in \d+\.\d s; skipped: metadata \(1\)\n",
            run.out,
        ), run.out
        listed = termpedia(fresh_env, "library", "list")
        assert listed.out.startswith("tiny  dictd  1 article, 1 section  imported from ")

    def test_the_time_reported_includes_indexing(
        self, fresh_env: dict[str, str], tmp_path: Path
    ) -> None:
        entries = [(f"word{n}", f"word{n}\n   Entry {n} about okapis. " * 20) for n in range(2000)]
        index = write_dictionary(tmp_path, entries, name="many")
        started = termpedia(fresh_env, "index")  # the bundled articles: not part of the import
        assert started.code == 0
        run = termpedia(fresh_env, "import", "dictd", str(index))
        assert run.code == 0, run.err
        found = re.search(r"converted in (\d+\.\d) s, indexed in (\d+\.\d) s", run.out)
        assert found, run.out
        converted, indexed = float(found[1]), float(found[2])
        assert indexed > 0
        # All the command's time but starting Python and its imports (a second or less).
        assert run.seconds - 1.0 <= converted + indexed <= run.seconds + 0.1
        hits = termpedia(fresh_env, "search", "word1999", "--json").json()
        assert isinstance(hits, list) and hits[0]["title"] == "word1999"


class TestProblemsAreToldOnce:
    def test_a_clash_is_printed_by_the_update_that_finds_it_then_only_by_check(
        self, fresh_env: dict[str, str]
    ) -> None:
        imported = Path(fresh_env["XDG_DATA_HOME"]) / "termpedia" / "libraries" / "extra"
        imported.mkdir(parents=True)
        (imported / "twin.txt").write_text("= Leon Trotsky =\n\nAnother one.\n", "utf-8")
        clash = "warning: the title 'Leon Trotsky' is also in"
        first = termpedia(fresh_env, "index")
        assert first.code == 0 and sum(clash in line for line in first.err_lines) == 1
        for args in (("index",), ("show", "Karl Radek"), ("search", "radek")):
            again = termpedia(fresh_env, *args)
            assert not any(clash in line for line in again.err_lines), (args, again.err)
        assert termpedia(fresh_env, "index").err_lines == [
            "termpedia: 1 problem is known: `termpedia check` lists them"
        ]
        checked = termpedia(fresh_env, "check")
        assert any(clash in line for line in checked.out.splitlines()), checked.out

    def test_check_lists_the_readers_overrides(self, fresh_env: dict[str, str]) -> None:
        user = Path(fresh_env["XDG_DATA_HOME"]) / "termpedia" / "articles"
        user.mkdir(parents=True)
        radek = bundled_shelf().root / "karl-radek.txt"
        (user / "karl-radek.txt").write_text(radek.read_text("utf-8"), "utf-8")
        checked = termpedia(fresh_env, "check")
        assert checked.code == 0, checked.err
        assert (
            f"{user / 'karl-radek.txt'}:1: override: replaces 'Karl Radek' of library bundled "
            f"({radek})"
        ) in checked.out.splitlines()
        assert checked.err_lines[-1].endswith(", 1 override")
        assert "also in" not in checked.out, "an override is not a clash"
