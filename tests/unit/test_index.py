"""The search index: what a query finds and in which order, and keeping the index current."""

from __future__ import annotations

import json
import os
import random
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import FIXTURES

from termpedia.content.library import Shelf, bundled_shelf
from termpedia.index import build, plan, search, titles
from termpedia.index.build import update
from termpedia.index.ensure import needs_update, open_index
from termpedia.index.schema import SCHEMA_VERSION, text_analyzer
from termpedia.index.search import Index, IndexMissing, SearchResult
from termpedia.index.store import (
    MANIFEST,
    POINTER,
    IndexBusy,
    ProblemLog,
    current_generation,
    writer_lock,
)
from termpedia.index.syntax import prepare

CORPUS = FIXTURES / "corpus"
TITLES = {
    "Zorblax Nebula",
    "Quillon Harbour",
    "Marnet Festival",
    "Velthar Script",
    "Ossifrage Society",
}
SEED_TITLE = "The Permanent Revolution and Results and Prospects"

EXTRA_ARTICLE = """\
= Glimmerquartz =

Glimmerquartz
- Hardness: 7

Glimmerquartz is an invented mineral that sparkles in moonlight.
"""


def keys(result: SearchResult) -> list[str]:
    return [hit.key for hit in result.hits]


def stems(text: str) -> set[str]:
    return {token.text for token in text_analyzer()(text)}


def make_shelves(folder: Path) -> list[Shelf]:
    """The fixture corpus as library "fixtures" and one extra article as library "extra"."""
    shutil.copytree(CORPUS, folder / "fixtures")
    (folder / "extra").mkdir()
    (folder / "extra" / "glimmerquartz.txt").write_text(EXTRA_ARTICLE, encoding="utf-8")
    return [Shelf("fixtures", folder / "fixtures"), Shelf("extra", folder / "extra")]


@pytest.fixture(scope="module")
def corpus_index(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Index]:
    """A read-only index of the fixture corpus, shared by the module."""
    folder = tmp_path_factory.mktemp("corpus")
    shelves = make_shelves(folder)
    update(folder / "index", shelves)
    index = Index(folder / "index")
    yield index
    index.close()


@pytest.fixture
def shelves(tmp_path: Path) -> list[Shelf]:
    """A writable copy of the corpus for tests that change files."""
    return make_shelves(tmp_path / "shelves")


@pytest.fixture
def bundled(bundled_index: Path) -> Iterator[Index]:
    index = Index(bundled_index)
    yield index
    index.close()


def generations(root: Path) -> list[str]:
    return sorted(p.name for p in root.glob("gen-*"))


class TestBuild:
    def test_full_build_report(self, tmp_path: Path, shelves: list[Shelf]) -> None:
        report = update(tmp_path / "index", shelves)
        assert report.full is True
        assert (report.articles, report.sections, report.indexed, report.removed) == (6, 22, 6, 0)
        assert report.problems == []
        assert generations(tmp_path / "index") == ["gen-000001"]

    def test_one_document_per_section(self, corpus_index: Index) -> None:
        assert corpus_index.section_count == 22
        assert len(corpus_index.manifest.files) == 6

    def test_catalogue_holds_titles_and_aliases(self, corpus_index: Index) -> None:
        titles = {entry.title for entry in corpus_index.catalog.entries}
        assert titles == TITLES | {"Glimmerquartz"}
        zorblax = corpus_index.catalog.resolve("NGC 9999")
        assert zorblax.entry is not None and zorblax.entry.title == "Zorblax Nebula"
        assert zorblax.via_alias

    def test_problems_are_reported_not_raised(self, tmp_path: Path, shelves: list[Shelf]) -> None:
        bad = shelves[0].root / "broken.txt"
        bad.write_bytes(b"= Broken =\n\nbad \xff byte\n")
        report = update(tmp_path / "index", shelves)
        assert [(p.path, p.line, p.severity) for p in report.problems] == [(str(bad), 3, "error")]
        assert report.articles == 7
        assert keys(Index(tmp_path / "index").search("byte")) == ["fixtures/Broken#"]


class TestRanking:
    def test_exact_title_comes_first(self, corpus_index: Index) -> None:
        result = corpus_index.search("Quillon Harbour")
        first = result.hits[0]
        assert (first.title, first.anchor, first.section) == ("Quillon Harbour", "", "")
        # The festival mentions the harbour four times, and still comes after it.
        assert "fixtures/Marnet Festival#" in keys(result)
        assert len(keys(result)) == len(set(keys(result)))

    def test_exact_title_ignores_case(self, corpus_index: Index) -> None:
        assert corpus_index.search("velthar script").hits[0].key == "fixtures/Velthar Script#"

    def test_exact_alias_comes_first(self, corpus_index: Index) -> None:
        assert corpus_index.search("port of quillon").hits[0].key == "fixtures/Quillon Harbour#"

    def test_near_exact_titles_come_next(self, tmp_path: Path) -> None:
        folder = tmp_path / "songs"
        folder.mkdir()
        articles = {
            "Crying Time": "A song about crying and time.",
            "Crying Time (album)": "An album named after the song Crying Time.",
            "Ray (film)": "A film about a singer.",
            "Ray Charles": "Ray was a singer; the film Ray tells his story. Ray, Ray, Ray.",
            "Hard Hearted Hannah (The Vamp of Savannah)": "A song.",
            "Beyoncé": "A singer.",
        }
        for number, (title, text) in enumerate(articles.items()):
            (folder / f"{number}.txt").write_text(f"= {title} =\n\n{text}\n", "utf-8")
        update(tmp_path / "index", [Shelf("songs", folder)])
        index = Index(tmp_path / "index")

        def titles(query: str) -> list[str]:
            return [hit.title for hit in index.search(query).hits]

        assert titles("Cryin' Time")[:2] == ["Crying Time", "Crying Time (album)"]
        assert titles("crying time")[:2] == ["Crying Time", "Crying Time (album)"], "exact first"
        assert titles("Ray")[0] == "Ray (film)", "the word is commoner in Ray Charles"
        assert titles("Hardhearted Hannah")[0] == "Hard Hearted Hannah (The Vamp of Savannah)"
        assert titles("beyonce")[0] == "Beyoncé"

    @pytest.mark.parametrize(
        ("query", "lead"),
        [
            ("trotsky", "Leon Trotsky"),
            ("karl radek", "Karl Radek"),
            ("Permanent revolution", "Permanent revolution"),
            ("lenin", "Vladimir Lenin"),
        ],
    )
    def test_scores_are_in_the_order_shown_and_the_title_lead_has_its_matches(
        self, bundled: Index, query: str, lead: str
    ) -> None:
        hits = bundled.search(query).hits
        scores = [hit.score for hit in hits]
        assert scores == sorted(scores, reverse=True), scores
        first = hits[0]
        assert (first.title, first.anchor) == (lead, "")
        assert first.snippet.spans, "the lead shows where the words are"
        wanted = stems(query)
        for start, end in first.snippet.spans:
            assert stems(first.snippet.text[start:end]) & wanted

    def test_near_key(self) -> None:
        assert titles.near_key("I'm Movin' On") == titles.near_key("I'm Moving On (Hank Snow song)")
        assert titles.near_key("(See discography)") == "seediscography", "not only a (...)"
        assert titles.near_key("Rock & Roll!") == "rockroll"
        assert titles.near_key("...") == ""

    def test_hit_fields(self, corpus_index: Index) -> None:
        hit = corpus_index.search("filaments hydrogen").hits[0]
        assert hit.key == "fixtures/Zorblax Nebula#filaments"
        assert (hit.title, hit.section, hit.anchor, hit.library) == (
            "Zorblax Nebula",
            "Structure > Filaments",
            "filaments",
            "fixtures",
        )
        assert hit.path.endswith("zorblax-nebula.txt")
        assert hit.score > 0

    def test_limit(self, corpus_index: Index) -> None:
        few = corpus_index.search("invented", limit=3)
        assert len(few.hits) == 3
        # Matches are scored over whole posting lists (index/scoring.py): all are counted.
        assert (few.total, few.estimated) == (6, False)
        every = corpus_index.search("invented", limit=10)
        assert (every.total, every.estimated, len(every.hits)) == (6, False, 6)


class TestQuerySyntax:
    def test_phrase_query_needs_the_words_together(self, corpus_index: Index) -> None:
        assert keys(corpus_index.search('"amber lanterns"')) == ["fixtures/Quillon Harbour#history"]
        loose = set(keys(corpus_index.search("amber lanterns")))
        assert {"fixtures/Quillon Harbour#history", "fixtures/Marnet Festival#rituals"} <= loose

    def test_title_field_matches_only_titles(self, corpus_index: Index) -> None:
        assert keys(corpus_index.search("title:velthar")) == ["fixtures/Velthar Script#"]
        assert keys(corpus_index.search("title:cloud")) == ["fixtures/Zorblax Nebula#"]

    def test_heading_field(self, corpus_index: Index) -> None:
        assert set(keys(corpus_index.search("heading:rituals"))) == {
            "fixtures/Marnet Festival#rituals",
            "fixtures/Ossifrage Society#rituals",
        }
        assert keys(corpus_index.search("heading:filaments")) == [
            "fixtures/Zorblax Nebula#filaments"
        ]

    def test_heading_field_covers_the_heading_path(self, corpus_index: Index) -> None:
        assert set(keys(corpus_index.search("heading:structure"))) == {
            "fixtures/Zorblax Nebula#structure",
            "fixtures/Zorblax Nebula#filaments",
            "fixtures/Zorblax Nebula#core",
        }

    def test_library_field(self, corpus_index: Index) -> None:
        assert keys(corpus_index.search("library:extra")) == ["extra/Glimmerquartz#"]
        found = corpus_index.search("glimmerquartz library:fixtures")
        assert found.hits and all(hit.library == "fixtures" for hit in found.hits)
        assert corpus_index.search("library:nowhere").hits == ()

    def test_prefix_query(self, corpus_index: Index) -> None:
        assert set(keys(corpus_index.search("glimmerq*"))) == {
            "fixtures/Zorblax Nebula#",
            "fixtures/Zorblax Nebula#filaments",
            "extra/Glimmerquartz#",
        }

    def test_or(self, corpus_index: Index) -> None:
        result = corpus_index.search("saltwind OR thornwick")
        assert set(keys(result)) == {"fixtures/Quillon Harbour#", "fixtures/Marnet Festival#food"}
        assert result.note == ""

    def test_plain_words_must_all_match(self, corpus_index: Index) -> None:
        result = corpus_index.search("smoked eel")
        assert set(keys(result)) == {
            "fixtures/Quillon Harbour#economy",
            "fixtures/Marnet Festival#food",
        }
        assert result.note == ""

    @pytest.mark.parametrize("query", ["lanterns NOT amber", "lanterns -amber", "-amber lanterns"])
    def test_not(self, corpus_index: Index, query: str) -> None:
        assert keys(corpus_index.search(query)) == ["fixtures/Ossifrage Society#rituals"]

    def test_hyphenated_name_is_one_term_not_a_negation(self, corpus_index: Index) -> None:
        assert "NOT" not in prepare("Brenn-Vosk").text
        assert set(keys(corpus_index.search("Brenn-Vosk"))) == {
            "fixtures/Velthar Script#",
            "fixtures/Velthar Script#decipherment",
        }

    def test_leading_minus_on_hyphenated_name_negates_it(self, corpus_index: Index) -> None:
        found = keys(corpus_index.search("script -Brenn-Vosk"))
        assert "fixtures/Velthar Script#letters" in found
        assert "fixtures/Velthar Script#decipherment" not in found

    def test_no_section_with_every_word_falls_back_to_any_word(self, corpus_index: Index) -> None:
        result = corpus_index.search("saltwind thornwick")
        assert set(keys(result)) == {"fixtures/Quillon Harbour#", "fixtures/Marnet Festival#food"}
        assert result.note == "no section has every word; showing sections with any"

    def test_no_hits_at_all(self, corpus_index: Index) -> None:
        result = corpus_index.search("xylophone")
        assert (result.hits, result.total) == ((), 0)

    def test_empty_query(self, corpus_index: Index) -> None:
        assert corpus_index.search("   ").hits == ()


class TestUnreadableQueries:
    @pytest.mark.parametrize(
        "query",
        [
            "AND OR (",
            "title:",
            '"',
            "(((",
            ")(",
            "AND",
            "NOT",
            "x ANDMAYBE y",
            "[",
            "}{",
            "\\",
            ":",
            "*",
            '"a" "',
            "title:(",
            'heading:"',
            "foo:bar",
            "\x00",
            "[a TO",
            "velthar^",
            "~",
        ],
    )
    def test_never_raises(self, corpus_index: Index, query: str) -> None:
        result = corpus_index.search(query)
        assert isinstance(result, SearchResult)
        assert result.query == query

    @pytest.mark.parametrize(
        ("query", "note"),
        [
            ("AND OR (", "unbalanced brackets were ignored"),
            ('"', "an unclosed quote was ignored"),
            ('glimmerquartz "', "an unclosed quote was ignored"),
        ],
    )
    def test_unreadable_parts_are_noted(self, corpus_index: Index, query: str, note: str) -> None:
        assert note in corpus_index.search(query).note

    def test_unclosed_quote_still_searches_the_words(self, corpus_index: Index) -> None:
        result = corpus_index.search('"amber lanterns')
        assert result.note == "an unclosed quote was ignored"
        assert "fixtures/Quillon Harbour#history" in keys(result)

    def test_unknown_field_is_read_as_a_word(self, corpus_index: Index) -> None:
        assert "fixtures/Zorblax Nebula#filaments" in keys(corpus_index.search("filaments:dust"))

    def test_empty_field_is_noted(self, corpus_index: Index) -> None:
        assert corpus_index.search("title:").note

    def test_unclosed_quote_after_a_field_keeps_the_field(self, corpus_index: Index) -> None:
        assert keys(corpus_index.search('title:"velthar')) == ["fixtures/Velthar Script#"]


class TestSnippets:
    @pytest.mark.parametrize(
        "query",
        [
            "amber lanterns",
            '"amber lanterns"',
            "Quillon Harbour",
            "glimmerquartz OR saltwind",
            "eel",
        ],
    )
    def test_spans_cover_query_words(self, corpus_index: Index, query: str) -> None:
        wanted = stems(query)
        spans = 0
        for hit in corpus_index.search(query).hits:
            text = hit.snippet.text
            for start, end in hit.snippet.spans:
                assert 0 <= start < end <= len(text)
                assert stems(text[start:end]) & wanted, (hit.key, text[start:end])
                spans += 1
        assert spans > 0

    def test_span_text_is_the_word_as_written(self, corpus_index: Index) -> None:
        (hit,) = corpus_index.search('"amber lanterns"').hits
        assert [hit.snippet.text[s:e] for s, e in hit.snippet.spans] == ["amber", "lanterns"]
        assert "amber lanterns" in hit.snippet.text

    def test_prefix_spans(self, corpus_index: Index) -> None:
        for hit in corpus_index.search("glimmerq*").hits:
            words = [hit.snippet.text[s:e].lower() for s, e in hit.snippet.spans]
            assert words and all(w.startswith("glimmerq") for w in words)

    def test_snippets_are_single_line_and_short(self, corpus_index: Index) -> None:
        hits = corpus_index.search("invented").hits
        assert len(hits) == 6
        for hit in hits:
            assert "\n" not in hit.snippet.text
            assert len(hit.snippet.text) <= 2 * 160 + 3

    def test_snippet_length_is_bounded_around_punctuation_runs(self, tmp_path: Path) -> None:
        (tmp_path / "lib").mkdir()
        (tmp_path / "lib" / "rule.txt").write_text(
            "= Rule =\n\nThe numbat " + "\u2500" * 2000 + " sleeps " + "-" * 2000 + " here.\n"
        )
        update(tmp_path / "index", [Shelf("lib", tmp_path / "lib")])
        (hit,) = Index(tmp_path / "index").search("numbat").hits
        assert len(hit.snippet.text) <= 2 * 160 + 3

    def test_snippets_show_labels_not_link_markup(self, corpus_index: Index) -> None:
        (hit,) = corpus_index.search("bilingual").hits
        assert "the old port" in hit.snippet.text
        assert "[[" not in hit.snippet.text

    @pytest.mark.parametrize(
        "query",
        [
            "revolution",
            "permanent revolution",
            '"permanent revolution"',
            "revol*",
            "trotsky OR lenin",
            "history -revolution",
            "keys",
            "search index",
            "index*",
        ],
    )
    def test_snippets_are_whooshs_highlights(self, bundled: Index, query: str) -> None:
        # snippets._snippet finds the words in one pass; Whoosh's highlighter re-analyses the
        # text with the field's analyzer chain. Both must pick the same fragments.
        from termpedia.index import runner, snippets
        from termpedia.index.syntax import prepare

        searcher = bundled._searcher
        parsed = runner.boosted(searcher.schema, bundled.fields, prepare(query).text)
        assert parsed is not None
        results = searcher.search(parsed, limit=20)
        results.fragmenter = snippets.FRAGMENTER
        results.formatter = snippets.SnippetFormatter()
        words = snippets.query_words(searcher, parsed)
        compared = 0
        for hit in results:
            ours = snippets.copy_hit(hit, words).snippet
            theirs = hit.highlights("body", text=hit["text"], top=2)
            if theirs.text:
                assert ours == theirs, hit["key"]
                compared += 1
        assert compared

    @pytest.mark.parametrize("query", ["revolution", "permanent revolution", "the index keys"])
    def test_matches_in_a_section_are_where_the_analyzer_finds_the_words(
        self, bundled: Index, query: str
    ) -> None:
        # snippets.matches finds the words in one pass; the field's analyzer chain must agree.
        from termpedia.index import snippets

        schema = bundled._searcher.schema
        analyzer = schema["body"].analyzer
        wanted = {t.text for t in analyzer(query, mode="query")}
        found = 0
        for path in sorted(bundled_shelf().root.rglob("*.txt")):
            text = path.read_text(encoding="utf-8")
            expected = [
                (t.startchar, t.endchar)
                for t in analyzer(text, chars=True, mode="query")
                if t.text in wanted
            ]
            assert snippets.matches(schema, query, text, "en") == expected, path.name
            found += len(expected)
        assert found

    def test_matches_in_opened_text(self, corpus_index: Index) -> None:
        text = "Paper Lanterns glow; a lantern hangs."
        found = corpus_index.matches_in("lanterns", text)
        assert [text[s:e] for s, e in found] == ["Lanterns", "lantern"]


class TestDidYouMean:
    @pytest.mark.parametrize(
        ("typed", "suggestion"),
        [
            ("glimerquartz", "glimmerquartz"),
            ("lantrens", "lanterns"),
            ("vellum tabelts", "vellum tablets"),
        ],
    )
    def test_misspelling_suggests_the_word(
        self, corpus_index: Index, typed: str, suggestion: str
    ) -> None:
        assert corpus_index.search(typed).suggestion == suggestion

    def test_well_spelt_query_with_hits_has_no_suggestion(self, corpus_index: Index) -> None:
        assert corpus_index.search("lanterns").suggestion is None

    def test_exact_alias_gets_no_suggestion(self, corpus_index: Index) -> None:
        result = corpus_index.search("Zorblax Cloud")
        assert result.hits[0].key == "fixtures/Zorblax Nebula#"
        assert result.suggestion is None

    def test_a_word_still_being_typed_is_never_corrected(self, bundled: Index) -> None:
        # "conf" is the start of a word: "come" would be a correction of it.
        assert bundled.search("reckless conf").suggestion == "reckless come"
        assert bundled.search("reckless conf", unfinished=True).suggestion is None
        assert bundled.search("reckles conf", unfinished=True).suggestion == "reckless conf"


class TestNavigation:
    def test_backlinks(self, corpus_index: Index) -> None:
        found = {hit.key for hit in corpus_index.backlinks("Marnet Festival")}
        assert found == {"fixtures/Zorblax Nebula#see-also", "fixtures/Quillon Harbour#economy"}

    def test_backlinks_include_links_to_an_alias_and_labelled_links(
        self, corpus_index: Index
    ) -> None:
        found = {hit.key for hit in corpus_index.backlinks("Quillon Harbour")}
        assert found == {
            "fixtures/Zorblax Nebula#",
            "fixtures/Velthar Script#decipherment",
            "fixtures/Ossifrage Society#",
        }

    def test_backlinks_from_plain_see_also_bullets(self, corpus_index: Index) -> None:
        found = {hit.key for hit in corpus_index.backlinks("Velthar Script")}
        assert found == {
            "fixtures/Zorblax Nebula#see-also",
            "fixtures/Ossifrage Society#expeditions",
        }

    def test_backlinks_through_a_section_link(self, corpus_index: Index) -> None:
        found = {hit.key for hit in corpus_index.backlinks("Zorblax Nebula")}
        assert found == {"fixtures/Marnet Festival#music"}

    def test_no_backlinks(self, corpus_index: Index) -> None:
        assert corpus_index.backlinks("Glimmerquartz") == []
        assert corpus_index.backlinks("No such article") == []

    def test_complete(self, corpus_index: Index) -> None:
        assert [e.title for e in corpus_index.complete("q")] == ["Quillon Harbour"]
        assert [e.title for e in corpus_index.complete("PORT OF")] == ["Quillon Harbour"]
        assert [e.title for e in corpus_index.complete("glimmer")] == ["Glimmerquartz"]
        assert corpus_index.complete("qx") == []

    def test_random_title(self, corpus_index: Index) -> None:
        picks = {corpus_index.random_title(random.Random(seed)) for seed in range(200)}
        assert picks == TITLES | {"Glimmerquartz"}

    def test_random_title_is_reproducible(self, corpus_index: Index) -> None:
        assert corpus_index.random_title(random.Random(7)) == corpus_index.random_title(
            random.Random(7)
        )


class TestBundledEncyclopedia:
    def test_phrase_finds_the_seed_section(self, bundled: Index) -> None:
        hit = bundled.search('"reckless confrontations"').hits[0]
        assert (hit.title, hit.section, hit.anchor, hit.library) == (
            SEED_TITLE,
            "Historical evaluation",
            "historical-evaluation",
            "bundled",
        )

    def test_hyphenated_name_finds_the_seed(self, bundled: Index) -> None:
        found = keys(bundled.search("Knei-Paz", limit=100))
        assert f"bundled/{SEED_TITLE}#historical-evaluation" in found

    def test_exact_title_of_the_seed_first(self, bundled: Index) -> None:
        hit = bundled.search(SEED_TITLE.lower()).hits[0]
        assert (hit.title, hit.anchor) == (SEED_TITLE, "")

    @pytest.mark.parametrize(
        ("typed", "word"), [("trotksy", "trotsky"), ("revolutoin", "revolution")]
    )
    def test_misspellings(self, bundled: Index, typed: str, word: str) -> None:
        assert bundled.search(typed).suggestion == word

    def test_seed_links_to_the_bibliography(self, bundled: Index) -> None:
        found = {hit.key for hit in bundled.backlinks("Leon Trotsky bibliography")}
        assert f"bundled/{SEED_TITLE}#see-also" in found

    def test_complete_finds_the_seed(self, bundled: Index) -> None:
        assert SEED_TITLE in [e.title for e in bundled.complete("the permanent rev")]

    def test_every_section_of_the_seed_is_searchable(self, bundled: Index) -> None:
        for anchor, query in [
            ("", '"Red Letter Press"'),
            ("the-permanent-revolution", '"isolationist policy"'),
            ("results-and-prospects", '"1905 Russian Revolution" 1906'),
            ("historical-evaluation", "armistice Entente"),
        ]:
            assert f"bundled/{SEED_TITLE}#{anchor}" in keys(bundled.search(query, limit=50)), query


class TestIncrementalUpdate:
    def test_a_library_given_as_a_relative_folder_replaces_edited_sections(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        folder = tmp_path / "notes"
        folder.mkdir()
        (folder / "note.txt").write_text("= Note =\n\nOld zyxold words.\n", "utf-8")
        monkeypatch.chdir(folder)
        shelves = [Shelf("notes", Path("."))]
        root = tmp_path / "index"
        update(root, shelves)
        (folder / "note.txt").write_text("= Note =\n\nNew zyxnew words.\n", "utf-8")
        os.utime(folder / "note.txt", ns=(1, 1))
        assert update(root, shelves).indexed == 1
        index = Index(root)
        assert index.search("zyxold").hits == ()
        assert [hit.title for hit in index.search("zyxnew").hits] == ["Note"]
        assert index.library_of("note.txt") == "notes"

    def test_a_clashing_title_is_reported_once_when_it_appears_and_then_only_kept(
        self, tmp_path: Path, shelves: list[Shelf]
    ) -> None:
        root = tmp_path / "index"
        update(root, shelves)
        clash = shelves[1].root / "another-glimmerquartz.txt"
        clash.write_text("= Glimmerquartz =\n\nA second article of the same title.\n", "utf-8")

        def clashes() -> tuple[int, int]:
            """(clashes told as new, clashes the index keeps)"""
            report = update(root, shelves)
            return (
                sum("also in" in p.message for p in report.new_problems),
                sum("also in" in p.message for p in report.problems),
            )

        assert clashes() == (1, 1), "the new file brings a clash, told once"
        assert clashes() == (0, 1), "nothing changed: kept, not told again"
        update(root, shelves, rebuild=True)
        assert clashes() == (0, 1), "a rebuild does not make it new"
        clash.write_text("= Glimmerquartz =\n\nEdited, same title.\n", "utf-8")
        os.utime(clash, ns=(1, 1))
        assert clashes() == (0, 1), "an edit that keeps the title is not a new clash"
        clash.write_text("= Glimmer =\n\nRenamed.\n", "utf-8")
        assert clashes() == (0, 0), "renamed: no clash left"
        assert ProblemLog.load(current_generation(root)).all() == []

    def test_a_files_error_is_kept_until_the_file_is_mended(
        self, tmp_path: Path, shelves: list[Shelf]
    ) -> None:
        root = tmp_path / "index"
        update(root, shelves)
        bad = shelves[1].root / "bad.txt"
        bad.write_bytes(b"= Bad =\n\nInvalid \xff UTF-8.\n")
        first = update(root, shelves)
        assert [p.path for p in first.new_problems] == [str(bad)]
        again = update(root, shelves)
        assert again.new_problems == [] and [p.path for p in again.problems] == [str(bad)]
        bad.write_text("= Bad =\n\nMended.\n", "utf-8")
        assert update(root, shelves).problems == []

    def test_unchanged_files_need_no_update(self, tmp_path: Path, shelves: list[Shelf]) -> None:
        root = tmp_path / "index"
        update(root, shelves)
        assert needs_update(root, shelves) is False
        report = update(root, shelves)
        assert (report.full, report.indexed, report.removed, report.articles) == (False, 0, 0, 6)

    def test_missing_index_needs_update(self, tmp_path: Path, shelves: list[Shelf]) -> None:
        assert needs_update(tmp_path / "index", shelves) is True

    def test_edited_file_is_reindexed(self, tmp_path: Path, shelves: list[Shelf]) -> None:
        root = tmp_path / "index"
        update(root, shelves)
        path = shelves[0].root / "velthar-script.txt"
        path.write_text(path.read_text().replace("slate tablets", "basalt monoliths"))
        assert needs_update(root, shelves) is True
        report = update(root, shelves)
        assert (report.full, report.indexed, report.removed) == (False, 1, 0)
        index = Index(root)
        assert keys(index.search("basalt")) == ["fixtures/Velthar Script#"]
        assert index.search("slate").hits == ()
        assert index.section_count == 22
        assert generations(root) == ["gen-000001"]

    def test_touched_but_unchanged_file_is_not_reindexed(
        self, tmp_path: Path, shelves: list[Shelf]
    ) -> None:
        root = tmp_path / "index"
        update(root, shelves)
        path = shelves[0].root / "velthar-script.txt"
        stat = path.stat()
        os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 5_000_000_000))
        assert needs_update(root, shelves) is True
        report = update(root, shelves)
        assert report.indexed == 0
        assert needs_update(root, shelves) is False
        assert len(Index(root).search("slate").hits) == 1

    def test_deleted_file_is_removed(self, tmp_path: Path, shelves: list[Shelf]) -> None:
        root = tmp_path / "index"
        update(root, shelves)
        (shelves[0].root / "ossifrage-society.txt").unlink()
        report = update(root, shelves)
        assert (report.removed, report.indexed, report.articles, report.sections) == (1, 0, 5, 19)
        index = Index(root)
        assert index.search("ossifrage").hits == ()
        assert index.complete("ossi") == []
        assert index.catalog.resolve("Ossifrage Society").entry is None

    def test_new_file_is_added(self, tmp_path: Path, shelves: list[Shelf]) -> None:
        root = tmp_path / "index"
        update(root, shelves)
        (shelves[1].root / "new.txt").write_text("= Newcomer =\n\nA fresh zymurgy article.\n")
        report = update(root, shelves)
        assert (report.indexed, report.articles) == (1, 7)
        assert keys(Index(root).search("zymurgy")) == ["extra/Newcomer#"]

    def test_open_index_refresh_sees_a_new_generation(
        self, tmp_path: Path, shelves: list[Shelf]
    ) -> None:
        root = tmp_path / "index"
        update(root, shelves)
        index = Index(root)
        path = shelves[0].root / "velthar-script.txt"
        path.write_text(path.read_text().replace("slate tablets", "basalt monoliths"))
        update(root, shelves, rebuild=True)
        assert index.refresh() is True
        assert keys(index.search("basalt")) == ["fixtures/Velthar Script#"]
        assert index.search("slate").hits == ()
        assert index.refresh() is False

    def test_open_index_refresh_sees_an_incremental_update(
        self, tmp_path: Path, shelves: list[Shelf]
    ) -> None:
        root = tmp_path / "index"
        update(root, shelves)
        index = Index(root)
        path = shelves[0].root / "velthar-script.txt"
        path.write_text(path.read_text().replace("slate tablets", "basalt monoliths"))
        (shelves[0].root / "ossifrage-society.txt").unlink()
        update(root, shelves)
        assert index.refresh() is True
        assert keys(index.search("basalt")) == ["fixtures/Velthar Script#"]
        assert index.search("slate").hits == ()
        assert index.search("ossifrage").hits == ()


class TestFullRebuild:
    def test_interrupted_rebuild_keeps_the_previous_generation(
        self, tmp_path: Path, shelves: list[Shelf], monkeypatch: pytest.MonkeyPatch
    ) -> None:
        root = tmp_path / "index"
        update(root, shelves)
        before = current_generation(root)
        real = build.load_article
        calls = {"n": 0}

        def interrupted(*args: object, **kwargs: object) -> object:
            calls["n"] += 1
            if calls["n"] == 3:
                raise KeyboardInterrupt
            return real(*args, **kwargs)

        monkeypatch.setattr(build, "load_article", interrupted)
        with pytest.raises(KeyboardInterrupt):
            update(root, shelves, rebuild=True)
        monkeypatch.setattr(build, "load_article", real)
        assert calls["n"] == 3
        assert current_generation(root) == before
        assert generations(root) == ["gen-000001"]
        index = Index(root)
        assert index.section_count == 22
        assert keys(index.search("title:velthar")) == ["fixtures/Velthar Script#"]
        assert needs_update(root, shelves) is False

    def test_interrupted_first_build_leaves_no_generation(
        self, tmp_path: Path, shelves: list[Shelf], monkeypatch: pytest.MonkeyPatch
    ) -> None:
        root = tmp_path / "index"

        def interrupted(*args: object, **kwargs: object) -> object:
            raise KeyboardInterrupt

        monkeypatch.setattr(build, "load_article", interrupted)
        with pytest.raises(KeyboardInterrupt):
            update(root, shelves)
        assert generations(root) == []
        assert current_generation(root) is None
        with pytest.raises(IndexMissing):
            Index(root)

    def test_rebuild_makes_a_new_generation_and_drops_the_old(
        self, tmp_path: Path, shelves: list[Shelf]
    ) -> None:
        root = tmp_path / "index"
        update(root, shelves)
        report = update(root, shelves, rebuild=True)
        assert report.full and report.indexed == 6
        assert generations(root) == ["gen-000002"]
        assert (root / POINTER).read_text().strip() == "gen-000002"

    def _damage_then_update(self, root: Path, shelves: list[Shelf], damage: str) -> bool:
        update(root, shelves)
        generation = current_generation(root)
        assert generation is not None
        manifest = generation / MANIFEST
        if damage == "schema":
            data = json.loads(manifest.read_text())
            data["schema_version"] = SCHEMA_VERSION + 1
            manifest.write_text(json.dumps(data))
        elif damage == "garbage-pointer":
            (root / POINTER).write_text("\x00garbage../../etc\n")
        elif damage == "missing-generation":
            (root / POINTER).write_text("gen-000099")
        elif damage == "deleted-manifest":
            manifest.unlink()
        elif damage == "corrupt-manifest":
            manifest.write_text("{not json")
        assert needs_update(root, shelves) is True
        return bool(update(root, shelves).full)

    @pytest.mark.parametrize(
        "damage",
        ["schema", "garbage-pointer", "missing-generation", "deleted-manifest", "corrupt-manifest"],
    )
    def test_unusable_index_forces_a_full_rebuild(
        self, tmp_path: Path, shelves: list[Shelf], damage: str
    ) -> None:
        root = tmp_path / "index"
        assert self._damage_then_update(root, shelves, damage) is True
        assert generations(root) == ["gen-000002"]
        assert keys(Index(root).search("title:velthar")) == ["fixtures/Velthar Script#"]

    def test_damaged_whoosh_files_are_rebuilt_on_open(
        self, tmp_path: Path, shelves: list[Shelf]
    ) -> None:
        root = tmp_path / "index"
        update(root, shelves)
        generation = current_generation(root)
        assert generation is not None
        for toc in generation.glob("*.toc"):
            toc.unlink()
        opened = open_index(root, shelves)
        assert opened.note == "the index was damaged and has been rebuilt"
        assert opened.report is not None and opened.report.full
        assert keys(opened.index.search("title:velthar")) == ["fixtures/Velthar Script#"]


class TestWriterLock:
    def test_update_raises_busy_while_another_holds_the_lock(
        self, tmp_path: Path, shelves: list[Shelf]
    ) -> None:
        root = tmp_path / "index"
        with writer_lock(root), pytest.raises(IndexBusy):
            update(root, shelves, lock_timeout=0.2)
        assert update(root, shelves, lock_timeout=0.2).full is True

    def test_open_index_falls_back_to_the_last_complete_index(
        self, tmp_path: Path, shelves: list[Shelf]
    ) -> None:
        root = tmp_path / "index"
        update(root, shelves)
        path = shelves[0].root / "velthar-script.txt"
        path.write_text(path.read_text().replace("slate tablets", "basalt monoliths"))
        with writer_lock(root):
            opened = open_index(root, shelves, lock_timeout=0.2)
        assert opened.report is None
        assert "another termpedia process is updating the index" in opened.note
        assert opened.note.endswith("showing the last complete index")
        # Read-only: the old text is what is found.
        assert keys(opened.index.search("slate")) == ["fixtures/Velthar Script#"]
        assert opened.index.search("basalt").hits == ()

    def test_open_index_without_any_index_raises_busy(
        self, tmp_path: Path, shelves: list[Shelf]
    ) -> None:
        root = tmp_path / "index"
        with writer_lock(root), pytest.raises(IndexBusy):
            open_index(root, shelves, lock_timeout=0.2)

    def test_open_index_builds_and_then_reuses(self, tmp_path: Path, shelves: list[Shelf]) -> None:
        root = tmp_path / "index"
        first = open_index(root, shelves)
        assert first.report is not None and first.report.full and first.note == ""
        second = open_index(root, shelves)
        assert second.report is None and second.note == ""
        assert second.index.section_count == 22


def test_bundled_shelf_is_the_package_data() -> None:
    shelf = bundled_shelf()
    assert shelf.name == "bundled"
    assert (shelf.root / "the-permanent-revolution-and-results-and-prospects.txt").is_file()


class TestSearchAsYouType:
    def test_an_unfinished_word_stands_for_its_completions(self, bundled: Index) -> None:
        result = bundled.instant("permanent rev")
        assert result.instant and not result.estimated
        assert [(h.title, h.section) for h in result.hits[:2]] == [
            ("Permanent revolution", ""),
            (SEED_TITLE, ""),
        ]

    def test_words_before_the_unfinished_one_are_searched_in_the_full_text(
        self, bundled: Index
    ) -> None:
        # No title or heading has both words: the body answers, for the finished word.
        result = bundled.instant("reckless c")
        assert result.hits and result.hits[0].title == SEED_TITLE
        assert result.hits[0].section == "Historical evaluation"

    def test_a_pause_in_mid_word_searches_its_completions_without_correcting_it(
        self, bundled: Index
    ) -> None:
        as_typed = bundled.search("permanent rev")
        assert as_typed.suggestion is not None, "Enter: the words as typed, corrected"
        paused = bundled.search("permanent rev", unfinished=True)
        assert paused.suggestion is None and not paused.note
        assert [h.title for h in paused.hits[:2]] == ["Permanent revolution", SEED_TITLE]
        # When no common completion fits, the words as typed (as before the pause).
        rare = bundled.search("reckless conf", unfinished=True)
        assert (rare.hits[0].title, rare.hits[0].section) == (SEED_TITLE, "Historical evaluation")
        # A finished but rare word is searched for itself, not only for commoner words.
        completed = plan._completed("permanent revolution", bundled.vocabulary, 1, heads=False)
        assert completed.endswith("(revolution)")

    def test_a_library_filter_holds_as_you_type(self, corpus_index: Index) -> None:
        for typed in ("i", "glimmer", "invented mineral"):
            hits = corpus_index.instant(typed, library="extra").hits
            assert hits and {hit.library for hit in hits} == {"extra"}, typed

    def test_a_library_filter_holds_for_the_full_search_and_the_title_leads(
        self, corpus_index: Index
    ) -> None:
        # "Velthar Script" is a title of "fixtures": with "extra" chosen it does not lead,
        # and every hit, by words or by title, is of "extra".
        everywhere = corpus_index.search("velthar script")
        assert everywhere.hits[0].key == "fixtures/Velthar Script#"
        assert corpus_index.search("velthar script", library="extra").hits == ()
        for typed in ("glimmerquartz", "invented", "glimm*"):
            hits = corpus_index.search(typed, library="extra").hits
            assert hits and {hit.library for hit in hits} == {"extra"}, typed
            assert {hit.library for hit in corpus_index.search(typed).hits} > {"extra"}, typed

    def test_every_match_is_counted_as_you_type(self, bundled: Index) -> None:
        # One ranker: the whole posting lists are scored, as in the full search.
        typed = bundled.instant("s")
        assert len(typed.hits) == 20 and not typed.estimated
        assert typed.total > 20


class TestLazyOpening:
    """The app opens the index with `lazy=True`: no Whoosh until the first search."""

    def test_titles_resolve_without_importing_whoosh(self, bundled_index: Path) -> None:
        program = (
            "import sys\n"
            "from pathlib import Path\n"
            "from termpedia.index.ensure import open_last\n"
            "from termpedia.content.library import bundled_shelf\n"
            f"opened = open_last(Path({str(bundled_index)!r}), [bundled_shelf()])\n"
            "entry = opened.index.catalog.resolve('termpedia').entry\n"
            "print(entry.title, opened.checked, 'whoosh' in sys.modules)\n"
            "hits = opened.index.search('reckless confrontations').hits\n"
            "print(hits[0].section, 'whoosh' in sys.modules)\n"
        )
        run = subprocess.run(
            [sys.executable, "-c", program], capture_output=True, text=True, check=True
        )
        assert run.stdout.splitlines() == [
            "termpedia False False",
            "Historical evaluation True",
        ]

    def test_damaged_files_show_up_at_the_first_search(self, tmp_path: Path) -> None:
        root = tmp_path / "index"
        update(root, [bundled_shelf()])
        generation = current_generation(root)
        assert generation is not None
        for toc in generation.glob("_MAIN_*.toc"):
            toc.write_bytes(b"\x00garbage\xff" * 20)
        with pytest.raises(IndexMissing):
            Index(root)
        lazy = Index(root, lazy=True)
        assert lazy.catalog.resolve("termpedia").entry is not None, "titles still resolve"
        with pytest.raises(search.IndexDamaged):
            lazy.search("trotsky")
        with pytest.raises(search.IndexDamaged):
            lazy.warm()

    def test_a_lazy_index_picks_up_an_update_before_it_is_opened(
        self, tmp_path: Path, shelves: list[Shelf]
    ) -> None:
        root = tmp_path / "index"
        update(root, shelves)
        lazy = Index(root, lazy=True)
        (shelves[1].root / "new.txt").write_text("= Newcomer =\n\nA zyxnew word.\n", "utf-8")
        update(root, shelves)
        assert lazy.refresh()
        assert lazy.catalog.resolve("Newcomer").entry is not None
        assert [hit.title for hit in lazy.search("zyxnew").hits] == ["Newcomer"]


def test_search_as_you_type_looks_in_the_schemas_head_fields() -> None:
    # plan.py keeps its own copy so that it can be imported without Whoosh.
    from termpedia.index.schema import HEAD_FIELDS

    assert HEAD_FIELDS == plan.INSTANT_FIELDS


def test_a_minus_before_one_letter_is_an_ending_not_an_exclusion() -> None:
    # "Nouns in -a", "the plural in -j": one letter after a minus is written about.
    assert "NOT" not in prepare("los adjetivos en -a").text
    assert prepare("los adjetivos en -a").plain
    assert prepare("trotsky -stalin").text == "trotsky NOT stalin"


def test_a_word_one_language_drops_is_not_required_of_its_sections(tmp_path: Path) -> None:
    # Spanish drops "los" and "en" (stop words) where English keeps them: a Spanish section
    # must not need them because an English library is in the same index.
    spanish = tmp_path / "es"
    spanish.mkdir()
    (spanish / "a.txt").write_text("= Adjetivos =\n\nLos adjetivos terminan en -a.\n", "utf-8")
    update(tmp_path / "index", [Shelf("es", spanish, language="es"), bundled_shelf()])
    index = Index(tmp_path / "index", archives=[])
    assert [hit.title for hit in index.search("los adjetivos en -a").hits][:1] == ["Adjetivos"]
