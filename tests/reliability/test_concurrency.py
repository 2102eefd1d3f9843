"""Two instances at once: a reader in this process while another process rebuilds the index,
and only one writer at a time (the `flock` on write.lock), across real processes.
"""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest
from reliability_support import (
    SHORT_LOCK_WAIT,
    bulk_env,
    cli_shelves,
    data_dir,
    index_root,
    make_env,
    patched_cli,
    python,
    spawn,
    wait_for,
)

from termpedia.content.library import Shelf
from termpedia.index.build import update
from termpedia.index.ensure import open_index
from termpedia.index.search import Index
from termpedia.index.store import writer_lock

CORPUS = Path(__file__).resolve().parents[1] / "fixtures" / "corpus"
CLI = "import sys\nfrom termpedia.tui.cli import main\nsys.exit(main())\n"


def test_a_reader_keeps_answering_during_a_rebuild_then_refresh_sees_the_new_generation(
    tmp_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    env = bulk_env(tmp_path_factory, tmp_path / "home")
    root = index_root(env)
    extra = tmp_path / "extra"
    extra.mkdir()
    (extra / "fresh.txt").write_text("= Fresh article =\n\nOnly here: zyzzogeton.\n")
    reader = Index(root)
    old = reader.generation
    assert reader.search("zyzzogeton").hits == ()

    writer = spawn(env, CLI, "index", "--rebuild", "--library", str(extra))
    answered = during_build = 0
    while writer.poll() is None:
        building = (root / "gen-000002").is_dir()
        result = reader.search("bulkword", limit=5)  # raises nothing, always answers
        assert len(result.hits) == 5
        assert reader.search("zyzzogeton").hits == (), "the old generation until refresh"
        answered += 1
        during_build += building
    out, err = writer.communicate()
    assert writer.returncode == 0, err
    assert out.startswith(b"index built: 2023 articles")
    assert during_build >= 3, f"only {during_build} of {answered} searches ran during the build"

    # The writer removed the old generation; the reader still holds its open files.
    assert not old.exists()
    assert len(reader.search("bulkword", limit=5).hits) == 5

    assert reader.refresh() is True
    assert reader.generation != old and reader.generation.name == "gen-000002"
    assert [hit.title for hit in reader.search("zyzzogeton").hits] == ["Fresh article"]
    assert len(reader.search("bulkword", limit=5).hits) == 5
    assert reader.refresh() is False
    reader.close()


# -- one writer at a time --------------------------------------------------------------------


@pytest.fixture
def home(tmp_path: Path) -> dict[str, str]:
    """A home (the autouse XDG dirs) with one user article; no index yet."""
    env = make_env(tmp_path / "home")
    articles = data_dir(env) / "articles"
    articles.mkdir(parents=True)
    (articles / "okapi.txt").write_text("= Okapi =\n\nThe okapi browses quietly.\n")
    return env


WRITER = """
import sys, time
from termpedia.content.library import default_shelves
from termpedia.content.paths import index_dir
from termpedia.index.build import update
from termpedia.index.store import IndexBusy
started = time.monotonic()
try:
    update(index_dir(), default_shelves(), rebuild=True, lock_timeout=0.3)
except IndexBusy as busy:
    print(f"{time.monotonic() - started:.3f}", busy)
    sys.exit(4)
print("built")
"""


def test_a_second_writer_waits_then_raises_index_busy(home: dict[str, str]) -> None:
    root = index_root(home)
    with writer_lock(root):
        run = python(home, WRITER)
    assert run.code == 4, run.err
    waited, message = run.out.split(" ", 1)
    assert float(waited) >= 0.3
    assert message.strip() == f"{root}: another termpedia process is updating the index"
    assert not list(root.glob("gen-*")), "the busy writer wrote nothing"
    assert python(home, WRITER).out == "built\n", "free again once the lock is released"


def test_the_cli_without_an_index_waits_then_exits_4_busy(home: dict[str, str]) -> None:
    root = index_root(home)
    with writer_lock(root):
        run = python(home, patched_cli(SHORT_LOCK_WAIT), "search", "okapi")
    assert run.code == 4
    assert run.out == ""
    assert run.err_lines == [f"termpedia: {root}: another termpedia process is updating the index"]


@pytest.mark.parametrize("args", [("index", "--rebuild"), ("index",)], ids=["rebuild", "update"])
def test_the_index_command_exits_4_while_another_process_writes(
    home: dict[str, str], args: tuple[str, ...]
) -> None:
    root = index_root(home)
    update(root, cli_shelves(home))
    (data_dir(home) / "articles" / "okapi.txt").write_text("= Okapi =\n\nAn edited okapi.\n")
    with writer_lock(root):
        run = python(home, patched_cli(SHORT_LOCK_WAIT), *args)
    assert "another termpedia process is updating the index" in run.err
    assert (run.code, run.out) == (4, "")


HOLDER = """
import sys
from pathlib import Path
from termpedia.index.store import writer_lock
with writer_lock(Path(sys.argv[1])):
    Path(sys.argv[2]).touch()
    sys.stdin.read()
"""


def test_open_index_while_another_process_writes_opens_the_old_index_with_a_note(
    tmp_path: Path,
) -> None:
    shutil.copytree(CORPUS, tmp_path / "corpus")
    shelves = [Shelf("fixtures", tmp_path / "corpus")]
    root = tmp_path / "index"
    update(root, shelves)
    article = tmp_path / "corpus" / "velthar-script.txt"
    article.write_text(article.read_text().replace("slate tablets", "basalt monoliths"))

    ready = tmp_path / "holding"
    holder = spawn(make_env(tmp_path / "holder-home"), HOLDER, str(root), str(ready))
    try:
        wait_for(ready.exists)
        started = time.monotonic()
        opened = open_index(root, shelves, lock_timeout=0.3)
        assert time.monotonic() - started >= 0.3, "it waited for the lock first"
    finally:
        holder.communicate(b"", timeout=30)  # closing stdin lets the holder go
    assert opened.report is None
    assert opened.note == (
        f"{root}: another termpedia process is updating the index; showing the last complete index"
    )
    assert [h.title for h in opened.index.search("slate").hits] == ["Velthar Script"]
    assert opened.index.search("basalt").hits == (), "read-only: the old text"

    again = open_index(root, shelves, lock_timeout=0.3)
    assert again.report is not None and again.report.indexed == 1 and again.note == ""
    assert [h.title for h in again.index.search("basalt").hits] == ["Velthar Script"]
