"""Bad files in a library: invalid UTF-8, an unreadable file, a folder named `x.txt`, symlink
loops and dangling links, and files that change or vanish between the scan and the read.

Each is reported on one line naming its path; the rest of the library stays searchable.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from reliability_support import make_env, patched_cli, python, raw_controls

from termpedia.content.article import Diagnostic
from termpedia.content.library import Shelf
from termpedia.index import build
from termpedia.index.build import update
from termpedia.index.ensure import needs_update
from termpedia.index.search import Index

# The CLI with `locked.txt` unreadable. Tests run as root, for whom chmod 000 does not stop a
# read, so the child process makes Path.read_bytes fail as the kernel would for another user.
UNREADABLE = patched_cli(
    """
import errno, os, pathlib
_real_read_bytes = pathlib.Path.read_bytes
def _read_bytes(self):
    if self.name == "locked.txt":
        raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(self))
    return _real_read_bytes(self)
pathlib.Path.read_bytes = _read_bytes
"""
)


def make_bad_library(folder: Path) -> Path:
    folder.mkdir(parents=True)
    (folder / "good.txt").write_text("= Good Article =\n\nThe quokkaberry grows here.\n")
    (folder / "bad-utf8.txt").write_bytes(
        b"= Bad Bytes =\n\nline two\nbroken \xff\xfe xylographic\n"
    )
    (folder / "locked.txt").write_text("= Locked =\n\nlockedword\n")
    (folder / "x.txt").mkdir()  # a folder named like an article: a folder, walked
    (folder / "x.txt" / "inside.txt").write_text("= Inside =\n\ninnerword\n")
    (folder / "loop").symlink_to(".")  # ln -s . loop
    (folder / "dangling.txt").symlink_to(folder / "missing-target.txt")
    (folder / "selfloop.txt").symlink_to("selfloop.txt")  # ELOOP
    return folder


def expected_problems(library: Path) -> list[str]:
    return [
        f"{library / 'loop'}:0: warning: folder loop; skipped",
        f"{library / 'dangling.txt'}:0: error: no such file or directory",
        f"{library / 'selfloop.txt'}:0: error: too many levels of symbolic links",
        f"{library / 'bad-utf8.txt'}:4: error: invalid UTF-8; bad bytes shown as \ufffd",
        f"{library / 'locked.txt'}:0: error: permission denied",
    ]


class TestBadLibraryThroughTheCommandLine:
    def test_index_and_check_name_each_bad_file_once_and_the_rest_is_searchable(
        self, tmp_path: Path
    ) -> None:
        env = make_env(tmp_path / "home")
        library = make_bad_library(tmp_path / "badlib")
        expected = expected_problems(library)

        built = python(env, UNREADABLE, "index", "--library", str(library))
        assert built.code == 3, built.err  # the index is built; the problems are reported
        assert built.out.startswith("index built: ")
        for line in expected:
            assert built.err_lines.count(line) == 1, (line, built.err_lines)
        assert len(built.err_lines) == len(expected), built.err_lines
        assert raw_controls(built.raw_err) == []

        checked = python(env, UNREADABLE, "check", str(library))
        assert checked.code == 3, "errors found: bad input"
        assert sorted(checked.out.splitlines()) == sorted(expected)
        assert checked.err_lines == ["checked 4 files: 4 errors, 1 warning"]

        found = python(
            env,
            UNREADABLE,
            "search",
            "quokkaberry OR xylographic OR innerword",
            "--json",
            "--library",
            str(library),
        )
        assert found.code == 0, found.err
        titles = {hit["title"] for hit in found.json()}  # type: ignore[union-attr]
        assert titles == {"Good Article", "Bad Bytes", "Inside"}
        # The unreadable file is tried again by every update, but told only once: `index`
        # told it; `check` and the app's Problems list hold it.
        assert f"{library / 'locked.txt'}:0: error: permission denied" not in found.err_lines
        again = python(env, UNREADABLE, "index", "--library", str(library))
        assert again.code == 3, "errors remain: bad input"
        assert again.err_lines == [
            f"termpedia: {len(expected)} problems are known: `termpedia check` lists them"
        ]

        shown = python(env, UNREADABLE, "show", "Bad Bytes", "--library", str(library))
        assert shown.code == 0
        assert "broken \ufffd\ufffd xylographic" in shown.out

    def test_opening_the_unreadable_file_is_bad_input_on_one_line(self, tmp_path: Path) -> None:
        env = make_env(tmp_path / "home")
        library = make_bad_library(tmp_path / "badlib")
        run = python(env, UNREADABLE, "check", str(library / "locked.txt"))
        assert run.code == 3
        assert run.out == f"{library / 'locked.txt'}:0: error: permission denied\n"

    @pytest.mark.skipif(
        os.geteuid() == 0,
        reason="running as root: chmod 000 does not stop root's reads (the simulated "
        "PermissionError tests above cover the same code path)",
    )
    def test_a_really_unreadable_file(self, tmp_path: Path) -> None:
        env = make_env(tmp_path / "home")
        library = tmp_path / "lib"
        library.mkdir()
        (library / "good.txt").write_text("= Good =\n\nquokkaberry\n")
        locked = library / "locked.txt"
        locked.write_text("= Locked =\n\nx\n")
        locked.chmod(0)
        try:
            run = python(env, patched_cli(""), "check", str(library))
        finally:
            locked.chmod(0o644)
        assert run.code == 3
        assert run.out == f"{locked}:0: error: permission denied\n"


# -- races between the scan and the read -----------------------------------------------------

ARTICLES = {
    "steady.txt": "= Steady =\n\nThe steadfast article.\n",
    "victim.txt": "= Victim =\n\nThe vanishingword article.\n",
}


@pytest.fixture
def shelf(tmp_path: Path) -> Shelf:
    folder = tmp_path / "lib"
    folder.mkdir()
    for name, text in ARTICLES.items():
        (folder / name).write_text(text)
    return Shelf("lib", folder)


def race(monkeypatch: pytest.MonkeyPatch, victim: Path, action: str) -> None:
    """Make `action` happen to `victim` after the scan saw it, just before it is read."""
    real = build.read_bytes

    def read_bytes(path: Path) -> bytes:
        if path == victim:
            if action == "delete":
                path.unlink()
            elif action == "folder":
                path.unlink()
                path.mkdir()
            elif action == "change":
                path.write_text("= Victim =\n\nA rewritten replacementword, longer than before.\n")
        return real(path)

    monkeypatch.setattr(build, "read_bytes", read_bytes)


class TestRaces:
    @pytest.mark.parametrize("existing", [False, True], ids=["full-build", "incremental"])
    @pytest.mark.parametrize(
        ("action", "reason"),
        [("delete", "no such file or directory"), ("folder", "is a folder, not a file")],
    )
    def test_a_file_gone_before_the_read_is_reported_not_fatal(
        self,
        tmp_path: Path,
        shelf: Shelf,
        monkeypatch: pytest.MonkeyPatch,
        existing: bool,
        action: str,
        reason: str,
    ) -> None:
        root = tmp_path / "index"
        victim = shelf.root / "victim.txt"
        if existing:
            update(root, [shelf])
            victim.write_text("= Victim =\n\nThe vanishingword article, edited.\n")
        with monkeypatch.context() as patch:
            race(patch, victim, action)
            report = update(root, [shelf])
        assert report.problems == [Diagnostic(str(victim), 0, "error", reason)]
        index = Index(root)
        assert [hit.title for hit in index.search("steadfast").hits] == ["Steady"]
        assert index.search("vanishingword").hits == (), "no stale sections"
        assert str(victim) not in index.manifest.files
        if action == "folder":
            shutil.rmtree(victim)
        assert update(root, [shelf]).problems == []

    def test_a_file_changed_before_the_read_is_indexed_as_read_and_then_settles(
        self, tmp_path: Path, shelf: Shelf, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        root = tmp_path / "index"
        victim = shelf.root / "victim.txt"
        with monkeypatch.context() as patch:
            race(patch, victim, "change")
            assert update(root, [shelf]).problems == []
        index = Index(root)
        assert [hit.title for hit in index.search("replacementword").hits] == ["Victim"]
        assert index.search("vanishingword").hits == ()
        # The manifest holds the scan's size and time: the next update notices, re-reads,
        # finds the same content, and the index settles.
        assert needs_update(root, [shelf]) is True
        assert update(root, [shelf]).indexed == 0
        assert needs_update(root, [shelf]) is False
