"""Keeping the index up to date: `termpedia.tui.upkeep.IndexUpkeep`, without an app."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from termpedia.content.library import Shelf
from termpedia.index.build import BuildReport, update
from termpedia.index.search import Index
from termpedia.index.store import IndexBusy, current_generation
from termpedia.tui.upkeep import DAMAGED, CaughtUp, IndexUpkeep, NewProblems, Report, Said


def write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, "utf-8")
    return path


@pytest.fixture
def shelves(tmp_path: Path) -> list[Shelf]:
    """Two tiny libraries: the reader's own and another one."""
    mine, other = tmp_path / "mine", tmp_path / "other"
    write(mine, "quokka.txt", "= Quokka =\n\nA small wallaby.\n")
    write(other, "wombat.txt", "= Wombat =\n\nA burrowing marsupial.\n")
    return [Shelf("mine", mine, writable=True), Shelf("other", other)]


@pytest.fixture
def root(tmp_path: Path, shelves: list[Shelf]) -> Path:
    root = tmp_path / "index"
    update(root, shelves)
    return root


class Reports:
    """What the upkeep reported, in order."""

    def __init__(self) -> None:
        self.seen: list[Report] = []

    def __call__(self, report: Report) -> None:
        self.seen.append(report)

    @property
    def said(self) -> list[str]:
        return [report.text for report in self.seen if isinstance(report, Said)]


def upkeep_of(
    root: Path | None, shelves: list[Shelf], index: Index | None = None
) -> tuple[IndexUpkeep, Reports]:
    reports = Reports()
    opened = index if index is not None else Index(root) if root is not None else None
    assert opened is not None
    return IndexUpkeep(opened, root, shelves, reports), reports


def damage(root: Path) -> None:
    """Cut the current generation's segments short."""
    generation = current_generation(root)
    assert generation is not None
    for segment in generation.glob("*.seg"):
        segment.write_bytes(segment.read_bytes()[:100])


def titles(index: Index, query: str) -> list[str]:
    return [hit.title for hit in index.search(query).hits]


def test_the_upkeep_module_imports_no_textual() -> None:
    code = (
        "import sys, termpedia.tui.upkeep\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'rich')))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]", done.stdout


class TestCatchUp:
    def test_an_article_added_since_the_index_was_written_is_indexed_and_told(
        self, root: Path, shelves: list[Shelf]
    ) -> None:
        upkeep, reports = upkeep_of(root, shelves)
        write(shelves[0].root, "numbat.txt", "= Numbat =\n\nAn zyxnumbat eats termites.\n")
        upkeep.catch_up()
        assert reports.seen == [
            Said("Index updated: 1 re-indexed, 0 removed", timeout=3),
            CaughtUp(),
        ]
        assert titles(upkeep.index, "zyxnumbat") == ["Numbat"], "the open index sees it"

    def test_nothing_changed_says_nothing_but_that_it_caught_up(
        self, root: Path, shelves: list[Shelf]
    ) -> None:
        upkeep, reports = upkeep_of(root, shelves)
        upkeep.catch_up()
        assert reports.seen == [CaughtUp()]

    def test_a_problem_the_update_finds_is_reported_once(
        self, root: Path, shelves: list[Shelf]
    ) -> None:
        upkeep, reports = upkeep_of(root, shelves)
        write(shelves[1].root, "twin.txt", "= Quokka =\n\nA second quokka.\n")
        upkeep.catch_up()
        assert NewProblems(1) in reports.seen
        assert any("Quokka" in problem for problem in upkeep.problems())
        upkeep, reports = upkeep_of(root, shelves)
        upkeep.catch_up()
        assert reports.seen == [CaughtUp()], "told by the update that found it, not again"

    def test_a_damaged_index_the_update_finds_is_rebuilt_by_it(
        self, root: Path, shelves: list[Shelf]
    ) -> None:
        damage(root)
        upkeep, reports = upkeep_of(root, shelves, Index(root, lazy=True))
        upkeep.catch_up()
        assert reports.said == ["Index rebuilt: 2 articles"]
        assert titles(upkeep.index, "wallaby") == ["Quokka"]

    def test_a_damaged_index_found_when_opening_it_is_rebuilt(
        self, root: Path, shelves: list[Shelf]
    ) -> None:
        def unaware(root: Path, shelves: list[Shelf], rebuild: bool) -> BuildReport:
            # An update that finds nothing to do (the manifest is intact), as when only
            # the files Whoosh reads are damaged; asked to rebuild, it does.
            return update(root, shelves, rebuild=True) if rebuild else BuildReport()

        damage(root)
        reports = Reports()
        upkeep = IndexUpkeep(Index(root, lazy=True), root, shelves, reports, updater=unaware)
        upkeep.catch_up()
        assert reports.said == [DAMAGED, "The search index is rebuilt"]
        assert reports.seen[-1] == CaughtUp()
        assert titles(upkeep.index, "wallaby") == ["Quokka"]

    def test_a_failing_update_is_told_as_an_error_and_the_catch_up_still_ends(
        self, root: Path, shelves: list[Shelf]
    ) -> None:
        def full_disk(root: Path, shelves: list[Shelf], rebuild: bool) -> BuildReport:
            raise OSError(28, "No space left on device")

        reports = Reports()
        upkeep = IndexUpkeep(Index(root), root, shelves, reports, updater=full_disk)
        upkeep.catch_up()
        said = reports.seen[0]
        assert isinstance(said, Said) and said.severity == "error"
        assert "No space left on device" in said.text
        assert reports.seen[-1] == CaughtUp()

    def test_without_an_index_folder_nothing_is_updated(self, root: Path) -> None:
        upkeep, reports = upkeep_of(None, [], Index(root))
        upkeep.catch_up()
        assert reports.seen == [CaughtUp()]
        assert not upkeep.after_edit(root / "any.txt")


class TestRebuild:
    def test_a_rebuild_is_started_once_until_it_is_over(
        self, root: Path, shelves: list[Shelf]
    ) -> None:
        started: list[Callable[[], None]] = []
        reports = Reports()
        upkeep = IndexUpkeep(Index(root), root, shelves, reports, run=started.append)
        assert upkeep.rebuild()
        assert not upkeep.rebuild(), "a second damaged search starts no second rebuild"
        assert len(started) == 1 and reports.said == [DAMAGED]
        started[0]()
        assert reports.said == [DAMAGED, "The search index is rebuilt"]
        assert upkeep.rebuild(), "once it is over, new damage is rebuilt again"

    def test_no_rebuild_is_started_beside_the_catch_up(
        self, root: Path, shelves: list[Shelf]
    ) -> None:
        started: list[Callable[[], None]] = []
        upkeep = IndexUpkeep(Index(root), root, shelves, Reports(), run=started.append)
        upkeep.catch_up()
        assert not upkeep.rebuild(), "the catch-up rebuilds a damaged index itself"
        started[0]()
        assert upkeep.rebuild()

    def test_another_process_holding_the_writer_is_told(
        self, root: Path, shelves: list[Shelf]
    ) -> None:
        def busy(root: Path, shelves: list[Shelf], rebuild: bool) -> BuildReport:
            raise IndexBusy("busy")

        reports = Reports()
        upkeep = IndexUpkeep(Index(root), root, shelves, reports, updater=busy)
        assert upkeep.rebuild()
        assert reports.said == [DAMAGED, "Another termpedia is rebuilding the index"]


class TestAfterAnEdit:
    def test_an_edit_is_indexed_at_once(self, root: Path, shelves: list[Shelf]) -> None:
        upkeep, reports = upkeep_of(root, shelves)
        quokka = shelves[0].root / "quokka.txt"
        quokka.write_text(quokka.read_text("utf-8") + "It smiles zyxsmile.\n", "utf-8")
        assert upkeep.after_edit(quokka)
        assert titles(upkeep.index, "zyxsmile") == ["Quokka"]
        assert reports.seen == []
        assert not upkeep.after_edit(quokka), "nothing changed since"

    def test_a_busy_writer_is_told_and_the_edit_waits_for_a_later_update(
        self, root: Path, shelves: list[Shelf]
    ) -> None:
        def busy(root: Path, shelves: list[Shelf], rebuild: bool) -> BuildReport:
            raise IndexBusy("busy")

        reports = Reports()
        upkeep = IndexUpkeep(Index(root), root, shelves, reports, updater=busy)
        assert not upkeep.after_edit(shelves[0].root / "quokka.txt")
        assert reports.said == ["Another termpedia is updating the index: search catches up later"]

    def test_an_edit_during_an_update_is_indexed_after_it_without_waiting(
        self, root: Path, shelves: list[Shelf]
    ) -> None:
        threads: list[threading.Thread] = []

        def in_a_thread(work: Callable[[], None]) -> None:
            threads.append(threading.Thread(target=work))
            threads[-1].start()

        reports = Reports()
        upkeep = IndexUpkeep(Index(root), root, shelves, reports, run=in_a_thread)
        wombat = write(shelves[1].root, "wombat.txt", "= Wombat =\n\nIt digs zyxdig.\n")
        upkeep._updating.acquire()  # as if the catch-up were running
        assert upkeep.updating
        assert not upkeep.after_edit(wombat), "not indexed at once, and not waited for"
        time.sleep(0.1)
        assert threads[0].is_alive(), "it waits for the running update"
        upkeep._updating.release()
        threads[0].join(timeout=30)
        assert reports.seen == [Said("Re-indexed wombat.txt", timeout=2)]
        assert titles(upkeep.index, "zyxdig") == ["Wombat"]


class TestAnotherProcess:
    def test_a_generation_made_elsewhere_is_picked_up_once(
        self, root: Path, shelves: list[Shelf]
    ) -> None:
        upkeep, reports = upkeep_of(root, shelves)
        assert not upkeep.pick_up()
        write(shelves[0].root, "bilby.txt", "= Bilby =\n\nA zyxbilby.\n")
        update(root, shelves, rebuild=True)  # as `termpedia index --rebuild` would
        assert upkeep.pick_up()
        assert not upkeep.pick_up()
        assert titles(upkeep.index, "zyxbilby") == ["Bilby"]
        assert reports.seen == []

    def test_memory_is_given_back_after_a_refresh_that_changed_the_index(
        self, root: Path, shelves: list[Shelf], monkeypatch: pytest.MonkeyPatch
    ) -> None:
        calls: list[None] = []
        monkeypatch.setattr("termpedia.tui.upkeep.give_back_memory", lambda: calls.append(None))
        upkeep, _ = upkeep_of(root, shelves)
        upkeep.pick_up()
        assert calls == []
        write(shelves[0].root, "bilby.txt", "= Bilby =\n\nA zyxbilby.\n")
        update(root, shelves, rebuild=True)
        upkeep.pick_up()
        upkeep.pick_up()
        assert len(calls) == 1


def test_problems_are_listed_once_each_what_the_reader_knows_first(
    root: Path, shelves: list[Shelf]
) -> None:
    write(shelves[1].root, "twin.txt", "= Quokka =\n\nA second quokka.\n")
    update(root, shelves)
    upkeep, _ = upkeep_of(root, shelves)
    from_index = upkeep.problems()
    assert from_index and all("Quokka" in problem for problem in from_index)
    listed = upkeep.problems(["a.txt:1: warning: x"], ["a.txt:1: warning: x", "state"])
    assert listed == ["a.txt:1: warning: x", "state", *from_index]
