"""Kiwix ZIM archives read in place: registered, not copied; articles read from the archive;
titles and provisional full text at once; a section index built from the archive in
resumable batches; a moved archive reported, and found again when it comes back."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import SHARED, cli_env, run_cli

from tests.bench.zimsynth import ZimPage, article_html, synthetic_zim, write_zim

RAY = SHARED / "corpora" / "ray-charles.zim"


@pytest.fixture(scope="module")
def small_zim(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """300 synthetic articles, with libzim's full-text and title indexes."""
    out = tmp_path_factory.mktemp("zims") / "small.zim"
    synthetic_zim(out, 300, seed=3)
    return out


def du(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def phrase_of(env: dict[str, str], title: str) -> tuple[str, str]:
    """Four words from the middle of a section of `title`, and that section's heading."""
    shown = run_cli(env, "show", title, "--json")
    assert shown.code == 0, shown.err
    section = shown.json()["sections"][2]  # type: ignore[index]
    words = section["text"].split()
    return " ".join(w.strip(".,") for w in words[5:9]), section["heading"]


class TestRegisterInPlace:
    def test_import_registers_the_archive_quickly_and_copies_nothing(
        self, tmp_path: Path, small_zim: Path
    ) -> None:
        env = cli_env(tmp_path)
        data = Path(env["XDG_DATA_HOME"])
        run = run_cli(env, "import", "zim", str(small_zim))
        assert run.code == 0, run.err
        assert "in place" in run.out
        assert run.seconds < 5
        assert du(data) < 1_000_000, "a registration, not a copy"
        assert not list(data.rglob("*.txt"))
        again = run_cli(env, "import", "zim", str(small_zim))
        assert again.code == 0 and "nothing to do" in again.out
        listed = run_cli(env, "library", "list", "--json").json()
        assert [(r["name"], r["mode"], r["status"]) for r in listed] == [  # type: ignore[union-attr]
            ("small", "in place", "ok")
        ]

    def test_straight_after_registering_show_and_search_work(
        self, tmp_path: Path, small_zim: Path
    ) -> None:
        env = cli_env(tmp_path)
        assert run_cli(env, "import", "zim", str(small_zim)).code == 0
        from libzim.reader import Archive

        archive = Archive(str(small_zim))
        title = archive.get_entry_by_path("Synthetic_main").title
        assert title == "Synthetic archive"
        some = [archive._get_entry_by_id(n).title for n in range(5, 40)]
        title = next(t for t in some if not t.endswith("(redirect)") and len(t.split()) >= 3)
        shown = run_cli(env, "show", title)
        assert shown.code == 0, shown.err
        assert shown.out.splitlines()[0] == title
        by_title = run_cli(env, "search", " ".join(title.split()[:2]), "--json")
        assert by_title.code == 0, by_title.err
        assert title in [hit["title"] for hit in by_title.json()]  # type: ignore[union-attr]
        # The title typed whole: its article first, before the section index has it.
        whole = run_cli(env, "search", title.lower(), "--json").json()
        assert isinstance(whole, list)
        assert (whole[0]["title"], whole[0]["section"]) == (title, "")
        phrase, heading = phrase_of(env, title)
        by_phrase = run_cli(env, "search", phrase, "--json")
        assert by_phrase.code == 0, by_phrase.err
        hits = by_phrase.json()
        assert isinstance(hits, list)
        assert (title, heading) in [(h["title"], h["section"]) for h in hits]

    def test_a_split_archive_opens_as_one(self, tmp_path: Path, small_zim: Path) -> None:
        data = small_zim.read_bytes()
        parts = tmp_path / "parts"
        parts.mkdir()
        size = len(data) // 3 + 1
        for number, suffix in enumerate(("aa", "ab", "ac")):
            (parts / f"split.zim{suffix}").write_bytes(data[number * size : (number + 1) * size])
        env = cli_env(tmp_path / "home")
        run = run_cli(env, "import", "zim", str(parts / "split.zim"))
        assert run.code == 0, run.err
        listed = run_cli(env, "library", "list", "--json").json()
        assert listed[0]["articles"] == 301  # type: ignore[index]
        assert run_cli(env, "show", "Synthetic archive").code == 0


class TestSectionIndex:
    def test_index_builds_the_section_index_and_search_names_the_section(
        self, tmp_path: Path, small_zim: Path
    ) -> None:
        env = cli_env(tmp_path)
        assert run_cli(env, "import", "zim", str(small_zim)).code == 0
        built = run_cli(env, "index")
        assert built.code == 0, built.err
        assert "archive small: 301 articles of 301" in built.out
        listed = run_cli(env, "library", "list", "--json").json()
        assert listed[0]["sections"] > 301 * 5  # type: ignore[index]
        from libzim.reader import Archive

        archive = Archive(str(small_zim))
        title = archive._get_entry_by_id(20).title
        phrase, heading = phrase_of(env, title)
        found = run_cli(env, "search", f'"{phrase}"', "--json")
        assert found.code == 0, found.err
        first = found.json()[0]  # type: ignore[index]
        assert (first["title"], first["section"], first["library"]) == (title, heading, "small")
        again = run_cli(env, "index")
        assert "301 articles of 301" in again.out

    def test_a_killed_build_goes_on_from_its_checkpoints(self, tmp_path: Path) -> None:
        big = tmp_path / "big.zim"
        made = synthetic_zim(big, 3000, seed=5)
        env = cli_env(tmp_path / "home")
        assert run_cli(env, "import", "zim", str(big)).code == 0
        command = [sys.executable, "-m", "termpedia.tui.cli", "index"]
        first = subprocess.Popen(
            command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        cache = Path(env["XDG_CACHE_HOME"]) / "termpedia" / "index" / "archives"

        def indexed() -> int:
            total = 0
            for checkpoint in cache.glob("*/part-*/checkpoint.json"):
                total += json.loads(checkpoint.read_text())["articles"]
            return total

        deadline = time.monotonic() + 120
        while indexed() < 800 and time.monotonic() < deadline:
            time.sleep(0.05)
        os.kill(first.pid, signal.SIGKILL)
        first.wait()
        time.sleep(1.0)  # the workers die with their parent
        before = indexed()
        assert 800 <= before < made.articles, before
        second = run_cli(env, "index", timeout=300)
        assert second.code == 0, second.err
        assert indexed() == made.articles + 1  # and the main page
        # Nothing indexed twice: the index holds each section once.
        from termpedia.content.library import default_shelves
        from termpedia.index.search import Index

        os.environ.update({k: v for k, v in env.items() if k.startswith("XDG_")})
        shelves = default_shelves()
        index = Index(
            Path(env["XDG_CACHE_HOME"]) / "termpedia" / "index",
            archives=[s.archive for s in shelves if s.archive is not None],
        )
        bundled_sections = sum(r.sections for r in index.manifest.files.values())
        assert index.section_count == bundled_sections + made.sections + 1  # + its main page

    def test_a_kill_between_a_batch_commit_and_its_checkpoint_indexes_nothing_twice(
        self, tmp_path: Path, small_zim: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """The window a kill -9 can hit: a batch's sections committed, the checkpoint that
        says so not yet saved. The next build takes that batch's sections out before
        writing it again."""
        import math

        from whoosh.filedb.filestore import FileStorage

        from termpedia.content.archive import archive_for
        from termpedia.content.library import default_shelves
        from termpedia.index import archive

        env = cli_env(tmp_path / "home")
        assert run_cli(env, "import", "zim", str(small_zim)).code == 0
        for name, value in env.items():
            if name.startswith("XDG_"):
                monkeypatch.setenv(name, value)
        monkeypatch.setattr(archive, "BATCH", 64)
        registration = next(s.archive for s in default_shelves() if s.archive is not None)
        articles = len(archive_for(registration).article_ids())

        def job(folder: Path) -> dict[str, object]:
            batches = math.ceil(articles / archive.BATCH)
            return {
                "registration": registration.to_json(),
                "folder": str(folder),
                "part": 0,
                "parts": 1,
                "batches": batches,
                "language": "en",
                "hidden": [],
            }

        def keys(folder: Path) -> list[str]:
            ix = FileStorage(str(folder), supports_mmap=False).open_index()
            with ix.searcher() as searcher:
                return sorted(str(fields["key"]) for fields in searcher.all_stored_fields())

        class Killed(Exception):
            pass

        save = archive.Checkpoint.save

        def killed_after_the_second_commit(self: archive.Checkpoint, folder: Path) -> None:
            if self.pending == -1 and self.next == 2:
                raise Killed  # batch 1 is in the index; the checkpoint still says pending 1
            save(self, folder)

        with monkeypatch.context() as patch:
            patch.setattr(archive.Checkpoint, "save", killed_after_the_second_commit)
            with pytest.raises(Killed):
                archive.build_part(job(tmp_path / "resumed"))
        assert archive.Checkpoint.load(tmp_path / "resumed").pending == 1  # type: ignore[union-attr]
        archive.build_part(job(tmp_path / "resumed"))
        archive.build_part(job(tmp_path / "whole"))
        whole = keys(tmp_path / "whole")
        assert len(whole) == len(set(whole)) > articles
        assert keys(tmp_path / "resumed") == whole


class TestMovedArchive:
    def test_a_moved_archive_is_missing_and_works_again_when_back(
        self, tmp_path: Path, small_zim: Path
    ) -> None:
        copy = tmp_path / "copy.zim"
        copy.write_bytes(small_zim.read_bytes())
        env = cli_env(tmp_path / "home")
        assert run_cli(env, "import", "zim", str(copy)).code == 0
        assert run_cli(env, "index").code == 0
        away = tmp_path / "away.zim"
        copy.rename(away)
        listed = run_cli(env, "library", "list")
        assert "[MISSING]" in listed.out
        shown = run_cli(env, "show", "Synthetic archive")
        assert shown.code == 3
        assert shown.err_lines == [f"termpedia: {copy}: the archive is missing (moved or deleted?)"]
        away.rename(copy)
        back = run_cli(env, "show", "Synthetic archive")
        assert back.code == 0, back.err
        again = run_cli(env, "index")
        assert "301 articles of 301" in again.out and "re-indexed" not in again.err


class TestRayCharles:
    """The shared archive: old namespace scheme, no title index."""

    def test_titles_ignore_case_without_a_title_index(self, tmp_path: Path) -> None:
        from libzim.reader import Archive

        assert not Archive(str(RAY)).has_title_index
        from termpedia.content.archive import ZimArchive, describe

        zim = ZimArchive(describe(RAY, "ray-charles"))
        titles = [t for t, _ in zim.suggest("ray", 30)]
        assert "Ray Charles" in titles and "Ray (film)" in titles
        assert zim.main_path() == "A/index"
        assert zim.read("A/Ray_Charles").title == "Ray Charles"

    def test_show_links_and_search_on_the_archive_in_place(self, tmp_path: Path) -> None:
        env = cli_env(tmp_path)
        assert run_cli(env, "import", "zim", str(RAY)).code == 0
        shown = run_cli(env, "show", "Ray Charles#Early life")
        assert shown.code == 0, shown.err
        links = run_cli(env, "links", "Ray Charles", "--json")
        assert links.code == 0, links.err
        outgoing = links.json()["outgoing"]  # type: ignore[index]
        assert any(o["resolves_to"] == "Ray (film)" for o in outgoing)
        found = run_cli(env, "search", "blind piano", "--json", "--limit", "5")
        assert found.code == 0 and found.json(), found.err


def test_saved_web_pages_without_front_articles_keep_their_assets_out(tmp_path: Path) -> None:
    pages = [
        ZimPage(
            "page.html",
            "A page",
            article_html("A page", [("Part", "Words.")], "Lead."),
            front=False,
        ),
        ZimPage(
            "page_files/index(2).php",
            "index(2)",
            "(function(mw, $) { mw.loader.load('x'); })(mediaWiki, jQuery);",
            front=False,
        ),
        ZimPage("page_files/style.css", "style", "body {}", mimetype="text/css", front=False),
    ]
    zim = write_zim(tmp_path / "saved.zim", pages, main="page.html")
    from termpedia.content.archive import ZimArchive, describe

    archive = ZimArchive(describe(zim, "saved"))
    assert [archive.entry(i)[1] for i in archive.article_ids()] == ["A page"]


def test_a_quoted_phrase_puts_first_the_article_holding_it_before_indexing(
    tmp_path: Path,
) -> None:
    """libzim's Searcher takes a phrase as its words in any order: the provisional answer
    puts first the article that holds them in a row, on the section that holds them."""
    scattered = "Red rivers. Blue hills, green fields. " * 6 + "Green and red, then blue."
    pages = [
        ZimPage("Scattered", "Scattered", article_html("Scattered", [("Colours", scattered)], "")),
        ZimPage(
            "In_a_row",
            "In a row",
            article_html(
                "In a row",
                [("Plain", "Nothing here."), ("Flags", "Its flag is green blue red in bands.")],
                "A short lead.",
            ),
        ),
    ]
    zim = write_zim(tmp_path / "phrases.zim", pages, main="Scattered")
    env = cli_env(tmp_path / "home")
    assert run_cli(env, "import", "zim", str(zim)).code == 0

    def in_archive(query: str) -> list[tuple[str, str]]:
        hits = run_cli(env, "search", query, "--json").json()
        assert isinstance(hits, list)
        return [(h["title"], h["section"]) for h in hits if h["library"] == "phrases"]

    assert in_archive("green blue red")[0][0] == "Scattered"  # libzim's order: words anywhere
    # The bundled encyclopedia has no section with all three words, the archive has two
    # articles with them: those come first, and the scores stay in the order shown.
    searched = run_cli(env, "search", "green blue red", "--json")
    assert "no section has every word" not in searched.err  # the archive's hits have them all
    loose = searched.json()
    assert isinstance(loose, list)
    assert [h["library"] for h in loose[:2]] == ["phrases", "phrases"]
    scores = [h["score"] for h in loose]
    assert scores == sorted(scores, reverse=True)
    assert in_archive('"green blue red"')[0] == ("In a row", "Flags")
