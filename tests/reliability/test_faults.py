"""The index and the reader's data survive faults: a damaged index, kill -9 in the middle of a
build or an import, a full disk, and a crash in the middle of saving bookmarks.

Real subprocesses where a process dies; monkeypatched writes where the disk fills up.
"""

from __future__ import annotations

import asyncio
import builtins
import errno
import json
import os
import shutil
import signal
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import whoosh.filedb.filestore as whoosh_filestore
from conftest import write_dictionary
from reliability_support import (
    Run,
    bulk_env,
    cli_shelves,
    data_dir,
    index_root,
    make_env,
    python,
    snapshot,
    spawn,
    state_dir,
    termpedia,
    wait_for,
)

import termpedia.index.store as index_store
from termpedia.content import paths
from termpedia.content.importers.dictd import DictdConverter
from termpedia.content.importers.store import import_library, list_libraries
from termpedia.content.library import Shelf
from termpedia.index.build import update
from termpedia.index.search import Index
from termpedia.index.store import POINTER, Manifest, current_generation
from termpedia.tui import state
from termpedia.tui.app import TermpediaApp
from termpedia.tui.services import Services
from termpedia.tui.state import Bookmark, ReaderState, write_json

CORPUS = Path(__file__).resolve().parents[1] / "fixtures" / "corpus"


def generations(root: Path) -> list[str]:
    return sorted(p.name for p in root.glob("gen-*"))


# -- (a) a damaged index ---------------------------------------------------------------------

WOMBAT = "= Wombatry =\n\nThe art of wombatry, practised quizzically.\n"


@pytest.fixture(scope="module")
def small_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A home with one user article and an index (with the bundled articles) built for it."""
    base = tmp_path_factory.mktemp("small-home")
    env = make_env(base)
    (data_dir(env) / "articles").mkdir(parents=True)
    (data_dir(env) / "articles" / "wombatry.txt").write_text(WOMBAT)
    update(index_root(env), cli_shelves(env))
    return base


def truncate_largest(generation: Path) -> None:
    largest = max(generation.iterdir(), key=lambda p: p.stat().st_size)
    assert largest.suffix == ".seg"
    with open(largest, "r+b") as handle:
        handle.truncate(largest.stat().st_size // 2)


def garbage_toc(generation: Path) -> None:
    tocs = list(generation.glob("_MAIN_*.toc"))
    assert tocs
    for toc in tocs:
        toc.write_bytes(b"\x00garbage\xff" * 20)


def delete_segments(generation: Path) -> None:
    segments = list(generation.glob("*.seg"))
    assert segments
    for segment in segments:
        segment.unlink()


def delete_all_files(generation: Path) -> None:
    for file in generation.iterdir():
        file.unlink()


def pointer(data: bytes) -> Any:
    return lambda generation: (generation.parent / POINTER).write_bytes(data)


DAMAGES = [
    pytest.param(truncate_largest, True, id="truncated-segment"),
    pytest.param(garbage_toc, True, id="garbage-in-toc"),
    pytest.param(delete_segments, True, id="deleted-segment-files"),
    pytest.param(delete_all_files, False, id="deleted-all-files-of-the-generation"),
    pytest.param(pointer(b"garbage\n"), False, id="garbage-in-current"),
    pytest.param(pointer(b"gen-000099\n"), False, id="current-names-a-missing-generation"),
    pytest.param(
        pointer(b"\xff\xfegen-000001\n"),
        False,
        id="non-utf8-bytes-in-current",
    ),
]


@pytest.mark.parametrize(("damage", "noted"), DAMAGES)
def test_a_damaged_index_is_rebuilt_and_the_search_answers(
    tmp_path: Path, small_home: Path, damage: Any, noted: bool
) -> None:
    env = make_env(tmp_path / "home", data=small_home / "data")
    root = index_root(env)
    shutil.copytree(index_root(make_env(small_home)), root)
    damage(root / "gen-000001")

    run = termpedia(env, "search", "wombatry", "--json")
    assert run.code == 0, run.err
    hits = run.json()
    assert isinstance(hits, list) and hits[0]["title"] == "Wombatry"
    assert "Traceback" not in run.err
    if noted:  # damage found while reading says so on stderr (a missing index is just built)
        assert "rebuil" in run.err, run.err
    generation = current_generation(root)
    assert generation is not None and Manifest.load(generation) is not None
    assert generations(root) == [generation.name], "the damaged generation is gone"


# -- (b) kill -9 in the middle of a full build -----------------------------------------------

FULL_BUILD = """
from termpedia.content.library import default_shelves
from termpedia.content.paths import index_dir
from termpedia.index.build import update
update(index_dir(), default_shelves(), rebuild=True)
print("finished", flush=True)
"""


def user_data(env: dict[str, str]) -> dict[str, str]:
    """Every file of the reader's own: articles, libraries, state, config."""
    return {
        **{f"data/{k}": v for k, v in snapshot(data_dir(env)).items()},
        **{f"state/{k}": v for k, v in snapshot(state_dir(env)).items()},
        **{f"config/{k}": v for k, v in snapshot(Path(env["XDG_CONFIG_HOME"])).items()},
    }


def write_reader_state(env: dict[str, str]) -> None:
    folder = state_dir(env)
    folder.mkdir(parents=True, exist_ok=True)
    marks = [{"name": "mine", "title": "Bulk article 7", "anchor": "", "library": "user"}]
    (folder / "bookmarks.json").write_text(json.dumps(marks))
    places = [
        {"title": "Bulk article 9", "library": "user", "path": "", "anchor": "", "scroll_y": 3}
    ]
    (folder / "history.json").write_text(json.dumps(places))
    config = Path(env["XDG_CONFIG_HOME"]) / "termpedia"
    config.mkdir(parents=True, exist_ok=True)
    (config / "settings.json").write_text('{"theme": "nord"}')


def kill(process: Any) -> None:
    process.send_signal(signal.SIGKILL)
    assert process.wait(timeout=30) == -signal.SIGKILL


def test_kill_9_during_a_full_build_keeps_the_old_index_and_every_user_file(
    tmp_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    env = bulk_env(tmp_path_factory, tmp_path / "home")
    root = index_root(env)
    write_reader_state(env)
    before = user_data(env)
    assert len(before) > 2000

    builder = spawn(env, FULL_BUILD)
    try:
        # In the middle: the new generation exists and Whoosh has started writing into it.
        wait_for(lambda: (root / "gen-000002").is_dir() and any((root / "gen-000002").iterdir()))
    finally:
        kill(builder)
    assert b"finished" not in builder.stdout.read()  # type: ignore[union-attr]
    assert (root / POINTER).read_text().strip() == "gen-000001"
    assert generations(root) == ["gen-000001", "gen-000002"], "the half-built one is left"

    run = termpedia(env, "search", "bulkword", "--json", "--limit", "3")
    assert run.code == 0, run.err
    assert len(run.json()) == 3  # type: ignore[arg-type]
    assert current_generation(root) == root / "gen-000001", "the old index was used"

    report = update(root, cli_shelves(env))  # the next writer
    assert not report.full and report.indexed == 0
    assert generations(root) == ["gen-000001"], "the next update removed the half-built one"
    assert user_data(env) == before, "no user file lost or changed"


# -- (c) kill -9 in the middle of an import --------------------------------------------------


def test_kill_9_during_an_import_leaves_no_half_library(tmp_path: Path) -> None:
    env = make_env(tmp_path / "home")  # the same dirs as the autouse isolated_dirs fixture
    assert paths.data_dir() == data_dir(env)
    (data_dir(env) / "articles").mkdir(parents=True)
    (data_dir(env) / "articles" / "mine.txt").write_text("= Mine =\n\nMy own article.\n")
    keep = write_dictionary(tmp_path / "src", [("kept", "kept\n   A kept entry.\n")], "keep")
    import_library(DictdConverter(), keep)
    big = write_dictionary(
        tmp_path / "src",
        [
            (f"word{n:06d}", f"word{n:06d}\n   Entry {n} of a big dictionary.\n")
            for n in range(20_000)
        ],
        "big",
    )
    before = user_data(env)
    libraries = paths.libraries_dir()

    importer = spawn(env, "from termpedia.tui.cli import main; main()", "import", "dictd", str(big))
    temporary = libraries / f".importing-big-{importer.pid}"
    try:
        wait_for(lambda: temporary.is_dir() and any(p.is_dir() for p in temporary.iterdir()))
    finally:
        kill(importer)
    assert temporary.is_dir(), "the temporary folder is what is left"
    assert not (libraries / "big").exists(), "no half library"
    assert [lib["name"] for lib in list_libraries()] == ["keep"]
    visible_files = {k: v for k, v in user_data(env).items() if "/." not in k}
    assert visible_files == before, "the existing library and the user's files are intact"
    listed = termpedia(env, "library", "list", "--json")
    assert [lib["name"] for lib in listed.json()] == ["keep"]  # type: ignore[union-attr]

    other = write_dictionary(tmp_path / "src", [("more", "more\n   Another entry.\n")], "other")
    import_library(DictdConverter(), other)  # the next import cleans up
    assert sorted(p.name for p in libraries.iterdir()) == ["keep", "other"]
    after = user_data(env)
    assert {k: v for k, v in after.items() if "libraries/other/" not in k} == before


# -- (d) a full disk during a build ----------------------------------------------------------


class DiskFull:
    """Writes through `open` that fail with ENOSPC once `budget` bytes have been written."""

    def __init__(self, budget: int) -> None:
        self.budget = budget

    def open(self, file: Any, mode: str = "r", *args: Any, **kwargs: Any) -> Any:
        handle = builtins.open(file, mode, *args, **kwargs)  # noqa: SIM115 - returned
        return _Filling(handle, self) if any(m in mode for m in "wax+") else handle


class _Filling:
    def __init__(self, handle: Any, disk: DiskFull) -> None:
        self._handle = handle
        self._disk = disk

    def write(self, data: Any) -> int:
        if len(data) > self._disk.budget:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        self._disk.budget -= len(data)
        return int(self._handle.write(data))

    def __enter__(self) -> _Filling:
        return self

    def __exit__(self, *exc: object) -> None:
        self._handle.close()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._handle, name)


def fill_disk(monkeypatch: pytest.MonkeyPatch, where: str, budget: int = 0) -> None:
    """Make the disk full for Whoosh's files (`whoosh`) or for one of termpedia's own files
    (written by index/store.py write_atomically: words.json, manifest.json, CURRENT)."""
    disk = DiskFull(budget)
    if where == "whoosh":
        monkeypatch.setattr(whoosh_filestore, "open", disk.open, raising=False)
    else:

        def open_(file: Any, mode: str = "r", *args: Any, **kwargs: Any) -> Any:
            if where in Path(file).name:
                return disk.open(file, mode, *args, **kwargs)
            return builtins.open(file, mode, *args, **kwargs)

        monkeypatch.setattr(index_store, "open", open_, raising=False)


@pytest.fixture
def corpus(tmp_path: Path) -> tuple[Path, list[Shelf]]:
    shutil.copytree(CORPUS, tmp_path / "corpus")
    root = tmp_path / "index"
    shelves = [Shelf("fixtures", tmp_path / "corpus")]
    update(root, shelves)
    return root, shelves


def assert_old_index_in_use(root: Path) -> None:
    assert paths.cache_dir() != Path.home() / ".cache" / "termpedia", "still isolated"
    assert (root / POINTER).read_text().strip() == "gen-000001"
    assert generations(root) == ["gen-000001"], "no new generation left behind"
    assert sorted(p.name for p in root.iterdir()) == [POINTER, "gen-000001", "write.lock"]
    assert [hit.title for hit in Index(root).search("title:velthar").hits] == ["Velthar Script"]


@pytest.mark.parametrize(
    ("where", "budget"),
    [
        pytest.param("whoosh", 0, id="whoosh-toc-at-creation"),
        pytest.param("whoosh", 20_000, id="whoosh-segment-midway"),
        pytest.param("words.json", 0, id="vocabulary"),
        pytest.param("manifest.json", 0, id="manifest"),
        pytest.param(
            "CURRENT",
            0,
            id="current-pointer",
        ),
    ],
)
def test_a_full_disk_during_a_full_build_keeps_the_previous_generation(
    corpus: tuple[Path, list[Shelf]], monkeypatch: pytest.MonkeyPatch, where: str, budget: int
) -> None:
    root, shelves = corpus
    with monkeypatch.context() as patch, pytest.raises(OSError) as raised:
        fill_disk(patch, where, budget)
        update(root, shelves, rebuild=True)
    assert raised.value.errno == errno.ENOSPC
    assert_old_index_in_use(root)
    assert update(root, shelves, rebuild=True).full, "space again: the build succeeds"


def test_a_full_disk_during_an_incremental_update_keeps_the_index_readable(
    corpus: tuple[Path, list[Shelf]], monkeypatch: pytest.MonkeyPatch
) -> None:
    root, shelves = corpus
    article = shelves[0].root / "velthar-script.txt"
    article.write_text(article.read_text().replace("slate tablets", "basalt monoliths"))
    with monkeypatch.context() as patch, pytest.raises(OSError) as raised:
        fill_disk(patch, "whoosh", 2_000)
        update(root, shelves)
    assert raised.value.errno == errno.ENOSPC
    # Whoosh's failed commit keeps its MAIN_WRITELOCK until the writer is freed, and the
    # traceback holds the writer: drop it, as any caller that handled the error has.
    del raised
    assert_old_index_in_use(root)
    assert Index(root).search("basalt").hits == ()
    update(root, shelves)
    assert [hit.title for hit in Index(root).search("basalt").hits] == ["Velthar Script"]


async def test_the_app_survives_a_full_disk_when_reindexing_after_an_edit(
    corpus: tuple[Path, list[Shelf]], monkeypatch: pytest.MonkeyPatch
) -> None:
    root, shelves = corpus

    def editor(app: object, path: Path) -> None:
        path.write_text(path.read_text().replace("slate tablets", "basalt monoliths"))
        fill_disk(monkeypatch, "whoosh")  # the disk fills up while the reader edits

    services = Services(ReaderState(), root, shelves, editor)
    app = TermpediaApp(Index(root), "Velthar Script", services=services)
    app._fatal_error = app._close_messages_no_wait  # type: ignore[method-assign]
    async with asyncio.timeout(60), app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("e")
        await pilot.pause()
        assert app.is_running, "the app exited"
        await pilot.press("q")
    assert "basalt monoliths" in (shelves[0].root / "velthar-script.txt").read_text()


DISK_FULL_CLI = """
import builtins, errno, os, sys
import whoosh.filedb.filestore as filestore
class Full:
    def __init__(self, handle): self._handle = handle
    def write(self, data): raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
    def __getattr__(self, name): return getattr(self._handle, name)
def fake_open(file, mode="r", *args, **kwargs):
    handle = builtins.open(file, mode, *args, **kwargs)
    return Full(handle) if "w" in mode else handle
filestore.open = fake_open
from termpedia.tui.cli import main
sys.exit(main(sys.argv[1:]))
"""


@pytest.fixture(scope="module")
def cli_on_a_full_disk(
    tmp_path_factory: pytest.TempPathFactory, small_home: Path
) -> tuple[dict[str, str], Run]:
    """`termpedia index --rebuild` with every write of the index failing with ENOSPC."""
    env = make_env(tmp_path_factory.mktemp("full-disk"), data=small_home / "data")
    shutil.copytree(index_root(make_env(small_home)), index_root(env))
    return env, python(env, DISK_FULL_CLI, "index", "--rebuild")


def test_the_cli_on_a_full_disk_fails_and_the_previous_index_stays(
    cli_on_a_full_disk: tuple[dict[str, str], Run],
) -> None:
    env, run = cli_on_a_full_disk
    assert run.code != 0
    assert run.out == ""
    root = index_root(env)
    assert generations(root) == ["gen-000001"]
    assert (root / POINTER).read_text().strip() == "gen-000001"
    found = termpedia(env, "search", "wombatry", "--json")
    assert found.code == 0 and found.json()[0]["title"] == "Wombatry"  # type: ignore[index]


def test_the_cli_on_a_full_disk_says_so_in_one_line(
    cli_on_a_full_disk: tuple[dict[str, str], Run],
) -> None:
    _, run = cli_on_a_full_disk
    assert "Traceback" not in run.err
    assert len(run.err_lines) == 1 and run.err_lines[0].startswith("termpedia: ")
    assert "no space left on device" in run.err.lower()


# -- (e) the reader's own files --------------------------------------------------------------

OLD_MARKS = [{"name": "old", "title": "Leon Trotsky", "anchor": "exile", "library": "bundled"}]


@pytest.fixture
def bookmarks_file() -> Iterator[Path]:
    path = paths.state_dir() / "bookmarks.json"
    write_json(path, OLD_MARKS)
    yield path


@pytest.mark.parametrize("crash_at", ["fsync", "replace"])
def test_a_crash_while_saving_leaves_the_old_file_intact(
    bookmarks_file: Path, monkeypatch: pytest.MonkeyPatch, crash_at: str
) -> None:
    before = bookmarks_file.read_bytes()

    def crash(*args: object) -> None:
        raise OSError(errno.EIO, "simulated crash")

    reader = ReaderState.load()
    reader.bookmarks.append(Bookmark("new", "Karl Radek"))
    with monkeypatch.context() as patch, pytest.raises(OSError):
        patch.setattr(state.os, crash_at, crash)
        reader.save_bookmarks()
    assert bookmarks_file.read_bytes() == before
    assert ReaderState.load().bookmarks == [Bookmark("old", "Leon Trotsky", "exile", "bundled")]


@pytest.mark.parametrize(
    "damage",
    [b'[{"name": "half', b"\xff\xfe not utf-8", b"", b"\x00" * 64],
    ids=["truncated", "not-utf8", "empty", "zeros"],
)
def test_a_damaged_bookmarks_file_is_set_aside_reported_and_kept(
    bookmarks_file: Path, damage: bytes
) -> None:
    bookmarks_file.write_bytes(damage)
    reader = ReaderState.load()
    aside = bookmarks_file.with_name("bookmarks.json.damaged")
    assert reader.bookmarks == []
    assert len(reader.problems) == 1 and str(bookmarks_file) in reader.problems[0]
    assert "bookmarks.json.damaged" in reader.problems[0]
    assert aside.read_bytes() == damage
    reader.bookmarks.append(Bookmark("new", "Karl Radek"))
    reader.save_bookmarks()
    assert aside.read_bytes() == damage, "never overwritten by the next save"
    assert ReaderState.load().bookmarks == [Bookmark("new", "Karl Radek")]


def test_a_second_damage_keeps_the_first_damaged_copy(bookmarks_file: Path) -> None:
    bookmarks_file.write_bytes(b"[first damage")
    ReaderState.load()
    bookmarks_file.write_bytes(b"[second damage")
    ReaderState.load()
    kept = {p.read_bytes() for p in bookmarks_file.parent.glob("bookmarks.json.damaged*")}
    assert {b"[first damage", b"[second damage"} <= kept


def test_a_bookmarks_file_of_another_shape_is_not_silently_overwritten(
    bookmarks_file: Path,
) -> None:
    other = b'{"bookmarks": [{"name": "x", "title": "Leon Trotsky"}]}'
    bookmarks_file.write_bytes(other)
    reader = ReaderState.load()
    reader.bookmarks.append(Bookmark("new", "Karl Radek"))
    reader.save_bookmarks()
    kept = [p.read_bytes() for p in bookmarks_file.parent.glob("bookmarks.json*")]
    assert reader.problems and other in kept


def test_a_history_entry_with_a_bad_scroll_offset_does_not_stop_the_app(tmp_path: Path) -> None:
    history = paths.state_dir() / "history.json"
    write_json(history, [{"title": "Leon Trotsky", "scroll_y": "abc"}, {"title": "Karl Radek"}])
    reader = ReaderState.load()
    assert [place.title for place in reader.history][-1] == "Karl Radek"
