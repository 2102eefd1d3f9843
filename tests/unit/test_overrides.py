"""The reader's own copy of an article replaces the original everywhere: index, search (with
or without `library:`), titles, random, backlinks; unrelated libraries sharing a title keep both."""

from __future__ import annotations

import random
import shutil
from pathlib import Path

from conftest import cli_env, run_cli

from termpedia.content import paths
from termpedia.content.library import bundled_shelf, default_shelves, record_origin
from termpedia.index.build import update
from termpedia.index.search import Index

RADEK = bundled_shelf().root / "karl-radek.txt"


def user_copy(text_change: tuple[str, str] | None = None, origin: str = "bundled") -> Path:
    """The reader's copy of the bundled "Karl Radek", as `e` makes it, optionally edited."""
    root = paths.user_articles_dir()
    root.mkdir(parents=True, exist_ok=True)
    copy = root / RADEK.name
    shutil.copyfile(RADEK, copy)
    record_origin(root, copy, origin)
    if text_change is not None:
        old, new = text_change
        text = copy.read_text("utf-8")
        assert old in text
        copy.write_text(text.replace(old, new, 1), "utf-8")
    return copy


def radek_hits(index: Index, query: str = "karl radek") -> list[tuple[str, str]]:
    hits = index.search(query, limit=200).hits
    return [(h.library, h.path) for h in hits if h.title == "Karl Radek"]


class TestTheReadersCopyReplacesTheBundledArticle:
    def test_search_finds_only_the_readers_copy(self, tmp_path: Path) -> None:
        copy = user_copy(("political jokes.", "political jokes. A paragraph of mine: zyxwv."))
        root = tmp_path / "index"
        update(root, default_shelves())
        index = Index(root)
        hits = radek_hits(index)
        assert hits and {library for library, _ in hits} == {"user"}
        assert {path for _, path in hits} == {str(copy)}

    def test_library_bundled_finds_nothing_of_the_overridden_article(self, tmp_path: Path) -> None:
        user_copy()
        root = tmp_path / "index"
        update(root, default_shelves())
        index = Index(root)
        assert radek_hits(index, "karl radek library:bundled") == []
        assert radek_hits(index, "karl radek library:user")
        hits = index.search("radek", library="bundled").hits
        assert [h.library for h in hits if h.title == "Karl Radek"] == []

    def test_an_override_made_after_the_index_takes_the_original_out_and_removing_it_puts_it_back(
        self, tmp_path: Path
    ) -> None:
        root = tmp_path / "index"
        update(root, default_shelves())
        assert {lib for lib, _ in radek_hits(Index(root))} == {"bundled"}
        copy = user_copy()
        report = update(root, default_shelves())
        assert not report.full
        assert {lib for lib, _ in radek_hits(Index(root))} == {"user"}
        copy.unlink()
        update(root, default_shelves())
        assert {lib for lib, _ in radek_hits(Index(root))} == {"bundled"}

    def test_retitling_the_copy_brings_the_original_back(self, tmp_path: Path) -> None:
        root = tmp_path / "index"
        user_copy()
        update(root, default_shelves())
        user_copy(("= Karl Radek =", "= Karl Radek (my notes) ="))
        update(root, default_shelves())
        hits = Index(root).search("karl radek", limit=200).hits
        titles = {(h.title, h.library) for h in hits}
        assert ("Karl Radek", "bundled") in titles
        assert ("Karl Radek (my notes)", "user") in titles

    def test_titles_random_and_counts_leave_the_original_out(self, tmp_path: Path) -> None:
        user_copy()
        root = tmp_path / "index"
        report = update(root, default_shelves())
        index = Index(root)
        assert report.articles == len(list(bundled_shelf().root.glob("*.txt")))
        assert [e.library for e in index.catalog.entries if e.title == "Karl Radek"] == ["user"]
        assert index.catalog.resolve("Karl Radek").candidates == ()
        offered: list[list[str]] = []

        class Recording(random.Random):
            def choice(self, seq):  # type: ignore[no-untyped-def, override]
                offered.append(list(seq))
                return super().choice(seq)

        index.random_title(Recording(5))
        assert offered[0].count("Karl Radek") == 1

    def test_backlinks_count_the_copys_links_not_the_originals(self, tmp_path: Path) -> None:
        root = tmp_path / "index"
        update(root, default_shelves())
        before = {h.title for h in Index(root).backlinks("Leon Trotsky")}
        assert "Karl Radek" in before
        copy = user_copy()
        text = copy.read_text("utf-8").replace("[[Leon Trotsky]]", "Leon Trotsky")
        text = text.replace("- Leon Trotsky\n", "")
        copy.write_text(text, "utf-8")
        update(root, default_shelves())
        assert "Karl Radek" not in {h.title for h in Index(root).backlinks("Leon Trotsky")}


class TestImportedLibraries:
    def _imported(self, name: str) -> Path:
        folder = paths.libraries_dir() / name
        folder.mkdir(parents=True)
        shutil.copyfile(RADEK, folder / "radek.txt")
        return folder / "radek.txt"

    def test_a_copy_made_from_an_imported_library_hides_that_librarys_article(
        self, tmp_path: Path
    ) -> None:
        self._imported("wiki")
        root = paths.user_articles_dir()
        root.mkdir(parents=True)
        copy = root / "radek.txt"
        shutil.copyfile(RADEK, copy)
        record_origin(root, copy, "wiki")
        report = update(tmp_path / "index", default_shelves())
        libraries = {lib for lib, _ in radek_hits(Index(tmp_path / "index"))}
        assert libraries == {"user"}
        assert not [p for p in report.problems if "Karl Radek" in p.message]

    def test_an_unrelated_library_sharing_the_title_is_kept_and_reported(
        self, tmp_path: Path
    ) -> None:
        self._imported("wiki")
        root = paths.user_articles_dir()
        root.mkdir(parents=True)
        shutil.copyfile(RADEK, root / "radek.txt")  # written by the reader, not copied by `e`
        report = update(tmp_path / "index", default_shelves())
        libraries = {lib for lib, _ in radek_hits(Index(tmp_path / "index"))}
        assert libraries == {"user", "wiki"}  # the bundled one is hidden; wiki's is kept
        assert [p for p in report.problems if "Karl Radek" in p.message]


def test_cli_search_after_an_override_lists_no_hit_from_the_bundled_copy(tmp_path: Path) -> None:
    env = cli_env(tmp_path / "cli")
    user = Path(env["XDG_DATA_HOME"]) / "termpedia" / "articles"
    user.mkdir(parents=True)
    copy = user / RADEK.name
    copy.write_text(RADEK.read_text("utf-8") + "\nA paragraph of mine.\n", "utf-8")
    record_origin(user, copy, "bundled")
    run = run_cli(env, "search", "karl radek", "--json", "--limit", "50")
    assert run.code == 0, run.err
    hits = run.json()
    assert isinstance(hits, list) and hits
    radek = [h for h in hits if h["title"] == "Karl Radek"]
    assert radek and all(h["library"] == "user" for h in radek), radek
