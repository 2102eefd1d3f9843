"""The reader's features from the keyboard: find, backlinks, bookmarks, history, random,
title jump, edit, new article, copy, library picker, themes, key map, private mode."""

from __future__ import annotations

import json
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, OptionList, Static

from termpedia.content import paths
from termpedia.content.library import bundled_shelf, default_shelves
from termpedia.index.build import update
from termpedia.index.search import Index
from termpedia.index.store import current_generation
from termpedia.tui.app import TermpediaApp
from termpedia.tui.screens.pick import PickScreen
from termpedia.tui.screens.reader import ReaderScreen
from termpedia.tui.services import Services, editable_copy
from termpedia.tui.state import ReaderState
from termpedia.tui.widgets.reading_pane import ReadingPane
from termpedia.tui.widgets.search_results import SearchResults

SEED = "The Permanent Revolution and Results and Prospects"
SIZE = (100, 30)


@pytest.fixture
def index_root(tmp_path: Path) -> Path:
    """An index of the bundled and the (isolated) user library, private to the test."""
    root = tmp_path / "index"
    update(root, default_shelves())
    return root


def services(root: Path, private: bool = False, editor: object = None) -> Services:
    made = Services(ReaderState.load(private=private), index_root=root)
    if editor is not None:
        made.editor = editor  # type: ignore[assignment]
    return made


@asynccontextmanager
async def reader(
    root: Path, start: str | None = SEED, made: Services | None = None
) -> AsyncIterator[Pilot[None]]:
    app = TermpediaApp(Index(root), start, services=made or services(root))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        yield pilot


def screen(pilot: Pilot[None]) -> ReaderScreen:
    current = pilot.app.screen
    assert isinstance(current, ReaderScreen)
    return current


def reader_screen(pilot: Pilot[None]) -> ReaderScreen:
    found = next(s for s in pilot.app.screen_stack if isinstance(s, ReaderScreen))
    return found


def picked(pilot: Pilot[None]) -> list[str]:
    modal = pilot.app.screen
    assert isinstance(modal, PickScreen), f"no list is open: {modal!r}"
    return [label for _, label in modal.entries]


def status(pilot: Pilot[None]) -> str:
    """The reader's status line ("" when hidden)."""
    line = reader_screen(pilot).query_one("#status", Static)
    return str(line.render()) if line.display else ""


async def settle(pilot: Pilot[None]) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


class TestFindInPage:
    async def test_ctrl_f_counts_matches_and_enter_down_up_move_between_them(
        self, index_root: Path
    ) -> None:
        async with reader(index_root, "Leon Trotsky") as pilot:
            await pilot.press("ctrl+f", *"trotsky")
            await pilot.pause()
            count = str(screen(pilot).query_one("#find-count", Static).render())
            assert count.startswith("1 of ")
            total = int(count.split(" of ")[1])
            assert total > 5
            await pilot.press("enter", "down")
            assert str(screen(pilot).query_one("#find-count", Static).render()) == f"3 of {total}"
            await pilot.press("up")
            assert str(screen(pilot).query_one("#find-count", Static).render()) == f"2 of {total}"
            pane = screen(pilot).query_one(ReadingPane)
            scroll = pane.scroll_y
            await pilot.press("escape")
            await pilot.pause()
            assert not screen(pilot).query_one("#find").display
            assert pilot.app.focused is pane and pane.scroll_y == scroll, "Esc keeps the place"

    async def test_find_says_when_nothing_matches(self, index_root: Path) -> None:
        async with reader(index_root) as pilot:
            await pilot.press("ctrl+f", *"zzyzx")
            await pilot.pause()
            assert str(screen(pilot).query_one("#find-count", Static).render()) == "no matches"


class TestBacklinks:
    async def test_w_lists_what_links_here_and_enter_opens_it(self, index_root: Path) -> None:
        async with reader(index_root, "Leon Trotsky bibliography") as pilot:
            await pilot.press("w")
            await pilot.pause()
            labels = picked(pilot)
            assert any(label.startswith(SEED) for label in labels), labels
            modal = pilot.app.screen
            assert isinstance(modal, PickScreen)
            row = next(n for n, (_, label) in enumerate(modal.entries) if label.startswith(SEED))
            modal.query_one(OptionList).highlighted = row
            await pilot.press("enter")
            await pilot.pause()
            assert screen(pilot).article is not None
            assert screen(pilot).article.title == SEED

    async def test_w_lists_the_sections_sorted_by_title(self, index_root: Path) -> None:
        async with reader(index_root, "Leon Trotsky") as pilot:
            await pilot.press("w")
            await pilot.pause()
            labels = picked(pilot)
            assert len({label.split(" › ")[0] for label in labels}) > 3
            assert labels == sorted(labels, key=lambda label: label.casefold()), labels


class TestBookmarks:
    async def test_m_bookmarks_the_section_and_the_list_survives_a_restart(
        self, index_root: Path
    ) -> None:
        async with reader(index_root, f"{SEED}#Historical evaluation") as pilot:
            await pilot.press("m")
            await pilot.pause()
        saved = json.loads((paths.state_dir() / "bookmarks.json").read_text("utf-8"))
        assert saved == [
            {
                "name": f"{SEED} › Historical evaluation",
                "title": SEED,
                "anchor": "historical-evaluation",
                "library": "bundled",
            }
        ]
        async with reader(index_root, "Karl Radek") as pilot:
            await pilot.press("apostrophe")
            await pilot.pause()
            assert picked(pilot) == [f"{SEED} › Historical evaluation"]
            await pilot.press("enter")
            await pilot.pause()
            assert screen(pilot).article.title == SEED  # type: ignore[union-attr]
            assert screen(pilot).current_section == "historical-evaluation"

    async def test_bookmarks_can_be_renamed_and_deleted(self, index_root: Path) -> None:
        async with reader(index_root) as pilot:
            await pilot.press("m", "apostrophe")
            await pilot.pause()
            await pilot.press("R")
            await pilot.pause()
            prompt_input = pilot.app.screen.query_one("#prompt-input")
            prompt_input.value = ""  # type: ignore[attr-defined]
            await pilot.press(*"My book", "enter")
            await pilot.pause()
            assert picked(pilot) == ["My book"]
            await pilot.press("d")
            await pilot.pause()
            assert [label for label in picked(pilot) if label] == []
        assert json.loads((paths.state_dir() / "bookmarks.json").read_text("utf-8")) == []


def titles_of(labels: list[str]) -> list[str]:
    """The titles of history-list labels (`YYYY-MM-DD HH:MM  Title #anchor`)."""
    return [label.split("  ", 1)[-1].split(" #")[0] for label in labels]


class TestHistory:
    async def test_h_lists_history_newest_first_and_it_survives_a_restart(
        self, index_root: Path
    ) -> None:
        async with reader(index_root, "Karl Radek") as pilot:
            await pilot.press("o", *"Joseph Stalin", "enter")
            await pilot.pause()
            await pilot.press("H")
            await pilot.pause()
            assert titles_of(picked(pilot))[:2] == ["Joseph Stalin", "Karl Radek"]
        async with reader(index_root, "Vladimir Lenin") as pilot:
            await pilot.press("backspace")
            await pilot.pause()
            assert screen(pilot).article.title == "Joseph Stalin"  # type: ignore[union-attr]
            await pilot.press("H")
            await pilot.pause()
            assert titles_of(picked(pilot))[:4] == [
                "Joseph Stalin",
                "Vladimir Lenin",
                "Joseph Stalin",
                "Karl Radek",
            ]
            await pilot.press("x")
            await pilot.pause()
            assert picked(pilot) == []

    async def test_the_history_list_holds_every_visit_with_its_time(self, index_root: Path) -> None:
        async with reader(index_root, "Isaac Deutscher") as pilot:
            pane = screen(pilot).query_one(ReadingPane)
            for _ in range(40):
                await pilot.press("tab")
                link = pane.current_link
                if link is not None and link.target == "Joseph Stalin":
                    break
            await pilot.press("enter")
            await pilot.pause()
            assert screen(pilot).article.title == "Joseph Stalin"  # type: ignore[union-attr]
            await pilot.press("h")
            await pilot.pause()
            await pilot.press("o", *"Marxism", "enter")
            await pilot.pause()
            await pilot.press("H")
            await pilot.pause()
            labels = picked(pilot)
            assert titles_of(labels) == [
                "Marxism",
                "Isaac Deutscher",
                "Joseph Stalin",
                "Isaac Deutscher",
            ]
            today = time.strftime("%Y-%m-%d")
            assert all(label.startswith(today) for label in labels), labels

    async def test_private_mode_writes_no_history_bookmarks_or_settings(
        self, index_root: Path
    ) -> None:
        made = services(index_root, private=True)
        async with reader(index_root, "Karl Radek", made) as pilot:
            await pilot.press("m")
            await pilot.pause()
            said = [n.message for n in pilot.app._notifications]
            assert any("not saved: private mode" in message for message in said), said
            await pilot.press("r")
            await pilot.pause()
            pilot.app.theme = "textual-light"
            await pilot.pause()
        assert not paths.state_dir().exists() or list(paths.state_dir().iterdir()) == []
        assert not (paths.config_dir() / "settings.json").exists()


class TestRandomAndJump:
    async def test_r_opens_another_article(self, index_root: Path) -> None:
        async with reader(index_root) as pilot:
            await pilot.press("r")
            await pilot.pause()
            assert screen(pilot).article.title != SEED  # type: ignore[union-attr]

    async def test_o_jumps_to_a_title_with_the_exact_title_first(self, index_root: Path) -> None:
        async with reader(index_root) as pilot:
            await pilot.press("o", *"leon trotsky")
            await pilot.pause()
            options = pilot.app.screen.query_one("#jump-list", OptionList)
            first = options.get_option_at_index(0)
            assert first.id == "Leon Trotsky"
            await pilot.press("enter")
            await pilot.pause()
            assert screen(pilot).article.title == "Leon Trotsky"  # type: ignore[union-attr]


class TestEditAndNewArticle:
    async def test_e_edits_a_bundled_article_as_an_override_and_shows_it_reindexed(
        self, index_root: Path
    ) -> None:
        edited: list[Path] = []

        def fake_editor(app: object, path: Path) -> None:
            edited.append(path)
            text = path.read_text("utf-8")
            path.write_text(text.replace("Biographer,", "Biographer zyxwv,"), "utf-8")

        made = services(index_root, editor=fake_editor)
        async with reader(index_root, f"{SEED}#Historical evaluation", made) as pilot:
            await pilot.press("e")
            await pilot.pause()
            assert edited and edited[0].parent == paths.user_articles_dir()
            assert screen(pilot).current_section == "historical-evaluation"
            assert screen(pilot).library == "user"
            hits = Index(index_root).search("zyxwv").hits
            assert [(h.title, h.library) for h in hits] == [(SEED, "user")]
        bundled = bundled_shelf().root / edited[0].name
        assert "zyxwv" not in bundled.read_text("utf-8"), "the package data is never written"

    async def test_after_e_the_search_finds_only_the_readers_copy_and_enter_opens_it(
        self, index_root: Path
    ) -> None:
        def fake_editor(app: object, path: Path) -> None:
            text = path.read_text("utf-8")
            path.write_text(text + "\nA paragraph of mine about Karl Radek.\n", "utf-8")

        made = services(index_root, editor=fake_editor)
        async with reader(index_root, "Karl Radek", made) as pilot:
            await pilot.press("e")
            await settle(pilot)
            await pilot.press("slash", *"karl radek")
            await settle(pilot)
            await pilot.pause(0.5)
            await settle(pilot)
            shown = screen(pilot).query_one("#results", SearchResults).hits
            radek = [hit for hit in shown if hit.title == "Karl Radek"]
            assert radek and {hit.library for hit in radek} == {"user"}, radek
            await pilot.press("enter")
            await pilot.pause()
            opened = screen(pilot).article
            assert opened is not None and "A paragraph of mine" in opened.lead.raw_body + "".join(
                s.raw_body for s in opened.walk()
            )
            assert screen(pilot).library == "user"

    async def test_a_offers_the_dangling_title_and_creates_the_article(
        self, index_root: Path
    ) -> None:
        def fake_editor(app: object, path: Path) -> None:
            pass

        made = services(index_root, editor=fake_editor)
        async with reader(index_root, "Karl Radek", made) as pilot:
            screen(pilot).dangling("Quuxland history", ambiguous=False)
            await settle(pilot)
            await pilot.press("escape", "a")
            await pilot.pause()
            assert pilot.app.screen.query_one("#prompt-input").value == "Quuxland history"  # type: ignore[attr-defined]
            await pilot.press("enter")
            await pilot.pause()
            assert screen(pilot).article.title == "Quuxland history"  # type: ignore[union-attr]
        created = list(paths.user_articles_dir().glob("*.txt"))
        assert len(created) == 1 and "= Quuxland history =" in created[0].read_text("utf-8")


class TestCopyAndLibraries:
    async def test_y_copies_the_section_text_and_shift_y_a_termpedia_link(
        self, index_root: Path
    ) -> None:
        async with reader(index_root, f"{SEED}#Historical evaluation") as pilot:
            await pilot.press("y")
            assert "reckless confrontations" in pilot.app.clipboard
            assert pilot.app.clipboard.startswith("# Historical evaluation")
            await pilot.press("Y")
            assert pilot.app.clipboard == f'termpedia "{SEED}#historical-evaluation"'

    async def test_shift_l_narrows_search_to_one_library(self, index_root: Path) -> None:
        async with reader(index_root) as pilot:
            await pilot.press("L")
            await pilot.pause()
            assert picked(pilot) == ["All libraries", "bundled"]
            await pilot.press("down", "enter")
            await pilot.pause()
            assert screen(pilot).timing.library == "bundled"  # the library searched

    async def test_after_picking_a_library_typing_goes_into_the_search_bar(
        self, index_root: Path
    ) -> None:
        async with reader(index_root) as pilot:
            top = screen(pilot).query_one(ReadingPane).scroll_y
            await pilot.press("L")
            await pilot.pause()
            await pilot.press("down", "enter", *"garbage collection")
            await pilot.pause()
            bar = screen(pilot).query_one("#search", Input)
            assert pilot.app.focused is bar
            assert bar.value == "garbage collection"
            assert pilot.app.screen is screen(pilot), "`a` did not open the new-article prompt"
            assert screen(pilot).query_one(ReadingPane).scroll_y == top


class TestThemesAndKeys:
    async def test_the_theme_persists_across_runs(self, index_root: Path) -> None:
        async with reader(index_root) as pilot:
            pilot.app.theme = "textual-light"
            await pilot.pause()
        settings = json.loads((paths.config_dir() / "settings.json").read_text("utf-8"))
        assert settings == {"theme": "textual-light"}
        async with reader(index_root) as pilot:
            assert pilot.app.theme == "textual-light"

    async def test_a_keymap_file_rebinds_a_key_by_its_id(self, index_root: Path) -> None:
        paths.config_dir().mkdir(parents=True, exist_ok=True)
        (paths.config_dir() / "keymap.json").write_text('{"app.random": "z"}', "utf-8")
        async with reader(index_root) as pilot:
            await pilot.press("z")
            await pilot.pause()
            assert screen(pilot).article.title != SEED  # type: ignore[union-attr]

    async def test_a_damaged_bookmarks_file_is_kept_aside_and_reported(
        self, index_root: Path
    ) -> None:
        paths.state_dir().mkdir(parents=True, exist_ok=True)
        (paths.state_dir() / "bookmarks.json").write_text("{not json", "utf-8")
        async with reader(index_root) as pilot:
            await pilot.pause()
            assert status(pilot) == "1 problem: press ! to see them"
            assert [n.message for n in pilot.app._notifications] == [], "no pop-up over the text"
            await pilot.press("exclamation_mark")
            await pilot.pause()
            assert any("bookmarks.json" in label for label in picked(pilot))
        assert (paths.state_dir() / "bookmarks.json.damaged").read_text("utf-8") == "{not json"


def catching_up(root: Path, start: str = SEED, lazy: bool = True) -> TermpediaApp:
    """The app as `termpedia` starts it: the last index as it is, the catch-up to come."""
    made = services(root)
    made.catch_up = True
    return TermpediaApp(Index(root, lazy=lazy), start, services=made)


def write_user_article(name: str, text: str) -> None:
    """An article in the reader's own folder, written after the index was built."""
    folder = paths.user_articles_dir()
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(text, "utf-8")


def write_imported_article(name: str, text: str) -> None:
    """An article in an imported library ("extra"): one sharing a title with the bundled
    encyclopedia clashes (a copy in the reader's own folder would override it instead)."""
    folder = paths.libraries_dir() / "extra"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(text, "utf-8")


class TestCatchUpAfterTheFirstScreen:
    """`termpedia` shows the last index at once and re-indexes changed files afterwards."""

    async def test_articles_changed_since_the_index_was_written_become_searchable(
        self, index_root: Path
    ) -> None:
        write_user_article("Quokka.txt", "= Quokka =\n\nA zyxquokka note.\n")
        app = catching_up(index_root, lazy=False)
        async with app.run_test(size=SIZE, notifications=True) as pilot:
            assert screen(pilot).article is not None and screen(pilot).article.title == SEED
            await settle(pilot)
            shown = [n.message for n in pilot.app._notifications]
            assert "Index updated: 1 re-indexed, 0 removed" in shown
            hits = screen(pilot).index.search("zyxquokka").hits
            assert [hit.title for hit in hits] == ["Quokka"]
            assert not screen(pilot).services.catch_up, "once per run"

    async def test_nothing_changed_says_nothing(self, index_root: Path) -> None:
        async with catching_up(index_root).run_test(size=SIZE, notifications=True) as pilot:
            await settle(pilot)
            assert not [n for n in pilot.app._notifications if "Index" in n.message]

    async def test_old_warnings_are_not_repeated_at_every_start(self, index_root: Path) -> None:
        write_imported_article("twin.txt", "= Leon Trotsky =\n\nA second one.\n")
        write_imported_article("twin2.txt", "= Leon Trotsky =\n\nA third one.\n")
        update(index_root, default_shelves())  # the clash is reported here, once
        async with catching_up(index_root).run_test(size=SIZE, notifications=True) as pilot:
            await settle(pilot)
            assert [n.message for n in pilot.app._notifications] == []
            assert status(pilot) == "2 problems: press ! to see them"
            await pilot.press("exclamation_mark")
            await pilot.pause()
            assert sum("also in" in label for label in picked(pilot)) == 2

    async def test_a_warning_the_catch_up_finds_is_told_in_the_status_line(
        self, index_root: Path
    ) -> None:
        write_imported_article("twin.txt", "= Leon Trotsky =\n\nA second one.\n")
        async with catching_up(index_root).run_test(size=SIZE, notifications=True) as pilot:
            await settle(pilot)
            assert status(pilot) == "1 new problem (1 in all): press ! to see them"
            assert not [n for n in pilot.app._notifications if "also in" in n.message]

    async def test_a_start_title_added_since_the_last_index_opens_after_the_catch_up(
        self, index_root: Path
    ) -> None:
        write_user_article("Wombat.txt", "= Wombat =\n\nA burrowing animal.\n")
        async with catching_up(index_root, "Wombat").run_test(size=SIZE) as pilot:
            await settle(pilot)
            await settle(pilot)
            assert screen(pilot).article is not None
            assert screen(pilot).article.title == "Wombat"

    @pytest.mark.parametrize("damage", ["toc", "segment"])
    async def test_a_damaged_index_is_rebuilt_after_the_first_screen(
        self, index_root: Path, damage: str
    ) -> None:
        generation = current_generation(index_root)
        assert generation is not None
        if damage == "toc":
            for toc in generation.glob("_MAIN_*.toc"):
                toc.write_bytes(b"\x00garbage\xff" * 20)
        else:
            for segment in generation.glob("*.seg"):
                segment.write_bytes(segment.read_bytes()[:100])
        async with catching_up(index_root).run_test(size=SIZE, notifications=True) as pilot:
            assert screen(pilot).article is not None, "the first screen does not wait"
            await settle(pilot)
            shown = [n.message for n in pilot.app._notifications]
            assert [m for m in shown if "rebuilt" in m], shown
            assert screen(pilot).index.search("reckless confrontations").hits

    async def test_an_edit_during_an_update_is_shown_at_once_and_indexed_after_it(
        self, index_root: Path
    ) -> None:
        made = services(index_root)
        async with reader(index_root, made=made) as pilot:
            path = editable_copy(screen(pilot).article, "bundled")  # type: ignore[arg-type]
            path.write_text(path.read_text("utf-8") + "\nA zyxduring word.\n", "utf-8")
            updating = screen(pilot).upkeep._updating
            updating.acquire()  # as if the catch-up were running
            try:
                screen(pilot).after_edit(path, "")
                await pilot.pause()
                assert screen(pilot).library == "user", "the edited copy is on screen"
                assert Index(index_root).search("zyxduring").hits == ()
            finally:
                updating.release()
            await settle(pilot)
            assert [h.title for h in Index(index_root).search("zyxduring").hits] == [SEED]
