"""The reader in served mode (`termpedia serve`'s sessions), driven by Textual's Pilot (no
browser needed): e and a are off, left out of the help and the footer, and say why; the
owner's bookmarks, history, settings and key map are neither read nor written; no file is
opened by path; no index work starts, not even the archives' background indexer."""

from __future__ import annotations

import json
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import pytest
from conftest import run_cli
from textual.pilot import Pilot
from textual.widgets import Footer, Static

from termpedia.content import paths
from termpedia.content.library import default_shelves
from termpedia.index.build import update
from termpedia.index.ensure import archives_of
from termpedia.index.search import Index
from termpedia.tui import upkeep
from termpedia.tui.app import TermpediaApp
from termpedia.tui.screens.help import HelpScreen
from termpedia.tui.screens.reader import ReaderScreen
from termpedia.tui.serve.session import main as session_main
from termpedia.tui.serve.session import served_services
from termpedia.tui.services import Services
from termpedia.tui.state import ReaderState

SEED = "The Permanent Revolution and Results and Prospects"


@pytest.fixture
def index_root(tmp_path: Path) -> Path:
    root = tmp_path / "index"
    update(root, default_shelves())
    return root


def owner_files() -> dict[str, str]:
    """The server owner's own state, which no session may see or change."""
    paths.state_dir().mkdir(parents=True, exist_ok=True)
    paths.config_dir().mkdir(parents=True, exist_ok=True)
    files = {
        "bookmarks.json": json.dumps([{"name": "Owner's mark", "title": "Karl Radek"}]),
        "history.json": json.dumps([{"title": "Karl Radek"}, {"title": "Joseph Stalin"}]),
        "visits.json": json.dumps([{"title": "Karl Radek", "time": 1.0}]),
    }
    for name, text in files.items():
        (paths.state_dir() / name).write_text(text, "utf-8")
    config = {
        "settings.json": json.dumps({"theme": "textual-light"}),
        "keymap.json": json.dumps({"app.random": "z", "app.search": "f12"}),
    }
    for name, text in config.items():
        (paths.config_dir() / name).write_text(text, "utf-8")
    return {**files, **config}


def on_disk() -> dict[str, bytes]:
    found = {}
    for folder in (paths.data_dir(), paths.config_dir(), paths.state_dir()):
        if folder.exists():
            for path in folder.rglob("*"):
                if path.is_file():
                    found[str(path)] = path.read_bytes()
    return found


@asynccontextmanager
async def served_reader(
    root: Path, start: str | None = SEED, made: Services | None = None
) -> AsyncIterator[Pilot[None]]:
    index = Index(root, lazy=True, archives=archives_of(default_shelves()))
    app = TermpediaApp(index, start, services=made or served_services(default_shelves()))
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        yield pilot


def reader(pilot: Pilot[None]) -> ReaderScreen:
    return next(s for s in pilot.app.screen_stack if isinstance(s, ReaderScreen))


def said(pilot: Pilot[None]) -> list[str]:
    return [str(n.message) for n in pilot.app._notifications]


async def test_edit_and_new_article_say_why_and_write_nothing(index_root: Path) -> None:
    edited: list[Path] = []
    made = served_services(default_shelves())
    made.editor = lambda app, path: edited.append(path)
    before = on_disk()
    async with served_reader(index_root, made=made) as pilot:
        await pilot.press("e")
        await pilot.pause()
        await pilot.press("a")
        await pilot.pause()
        assert pilot.app.screen is reader(pilot), "no prompt for a new title"
        messages = said(pilot)
    assert any("Editing is off here" in m for m in messages), messages
    assert any("New articles are off here" in m for m in messages), messages
    assert edited == []
    assert on_disk() == before
    assert not paths.user_articles_dir().exists()


async def test_off_keys_are_absent_from_help_and_footer(index_root: Path) -> None:
    async with served_reader(index_root) as pilot:
        footer = reader(pilot).query_one(Footer)
        shown = " ".join(str(key.render()) for key in footer.query("FooterKey"))
        assert "Search" in shown and "Edit" not in shown and "New article" not in shown
        await pilot.press("question_mark")
        await pilot.pause()
        help_screen = pilot.app.screen
        assert isinstance(help_screen, HelpScreen)
        titles = [title for title, _ in help_screen.sections]
        rows = [row for _, rows in help_screen.sections for row in rows]
        texts = [str(s.render()) for s in help_screen.query(Static)]
    assert titles[0] == "Served to a browser"
    assert ("m, ', H", "Bookmarks and history last for this session only") in rows
    assert "Edit article" not in texts and "New article" not in texts
    assert "Random article" in texts and "Search in library" in texts


async def test_the_unserved_help_still_lists_edit_and_new_article(index_root: Path) -> None:
    """The contrast: outside served mode the same help has both keys."""
    app = TermpediaApp(Index(index_root), SEED, services=Services(ReaderState(private=True)))
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("question_mark")
        await pilot.pause()
        texts = [str(s.render()) for s in pilot.app.screen.query(Static)]
    assert "Edit article" in texts and "New article" in texts
    assert "Served to a browser" not in texts


async def test_the_owners_state_is_neither_read_nor_written(index_root: Path) -> None:
    owner_files()
    before = on_disk()
    async with served_reader(index_root) as pilot:
        screen = reader(pilot)
        assert pilot.app.theme != "textual-light"  # the owner's settings.json, unread
        assert not screen.trail.can_go_back  # nor their history.json
        assert screen.state.bookmarks == [] and screen.trail.visits.visits[:-1] == ()
        await pilot.press("z")  # the owner's key map, unread: z is no key here
        await pilot.pause()
        assert screen.article is not None and screen.article.title == SEED
        await pilot.press("slash")  # still the search key
        await pilot.pause()
        assert pilot.app.focused is screen.search_bar
        await pilot.press("escape")
        await pilot.press("m")  # a bookmark, kept in this session only
        await pilot.pause()
        assert any("for this session only" in m for m in said(pilot))
        assert [b.title for b in screen.state.bookmarks] == [SEED]
        await pilot.press("r")
        await pilot.pause()
        pilot.app.theme = "textual-dark"
        await pilot.pause()
    assert on_disk() == before


def test_a_served_session_opens_no_file_by_path(index_root: Path, tmp_path: Path) -> None:
    article = tmp_path / "note.txt"
    article.write_text("= Note =\n\nA note.\n", "utf-8")
    with pytest.raises(ValueError, match="opens no file"):
        TermpediaApp(Index(index_root), file=article, services=served_services([]))


def test_a_session_without_an_index_builds_none(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = tmp_path / "no-index"
    assert session_main(["--index", str(root)]) == 3
    assert "no index here yet" in capsys.readouterr().err
    assert not root.exists()


class TestNoIndexWork:
    """A ZIM archive registered in place and not yet indexed: the reader starts the
    archives' indexer after its first screen; a served session does not (nor any update)."""

    @pytest.fixture
    def archive_root(self, tmp_path: Path) -> Path:
        from tests.bench.zimsynth import synthetic_zim

        synthetic_zim(tmp_path / "tiny.zim", 20, seed=7)
        imported = run_cli(_env(), "import", "zim", str(tmp_path / "tiny.zim"))
        assert imported.code == 0, imported.err
        root = tmp_path / "index"
        update(root, default_shelves())
        return root

    @staticmethod
    async def started(
        root: Path, made: Services, monkeypatch: pytest.MonkeyPatch
    ) -> list[list[str]]:
        started: list[list[str]] = []

        class Recorded:
            def __init__(self, command: list[str], **kwargs: object) -> None:
                started.append(command)

            def poll(self) -> int:
                return 0

        monkeypatch.setattr(upkeep.subprocess, "Popen", Recorded)
        index = Index(root, lazy=True, archives=archives_of(default_shelves()))
        async with TermpediaApp(index, SEED, services=made).run_test() as pilot:
            await pilot.pause(0.5)
            await pilot.pause()
        return started

    async def test_a_reader_starts_the_archive_indexer(
        self, archive_root: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        made = Services(ReaderState(private=True), index_root=archive_root)
        made.shelves = default_shelves()
        started = await self.started(archive_root, made, monkeypatch)
        assert any("termpedia.index.archive" in command for command in started), started

    async def test_a_served_session_starts_nothing(
        self, archive_root: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        before = sorted(p.relative_to(archive_root) for p in archive_root.rglob("*"))
        started = await self.started(archive_root, served_services(default_shelves()), monkeypatch)
        assert started == []
        assert sorted(p.relative_to(archive_root) for p in archive_root.rglob("*")) == before


def _env() -> dict[str, str]:
    """os.environ as the test's isolated dirs have it, for a CLI subprocess."""
    return {**os.environ, "NO_COLOR": "1"}
