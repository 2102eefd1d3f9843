"""The reader's own features, kept apart from the reading and searching core of
ReaderScreen: title jump, backlinks, bookmarks, history list, library picker, random,
copy, edit and new article. A mixin of ReaderScreen's actions (no message handlers)."""

from __future__ import annotations

import time
from pathlib import Path
from typing import TYPE_CHECKING

from textual import work

from termpedia.content.display import plain_text
from termpedia.content.library import ArticleError, load_article
from termpedia.content.sanitize import visible
from termpedia.index.search import IndexDamaged
from termpedia.index.store import IndexBusy

from ..history import Visit
from ..services import editable_copy, new_article_file
from ..state import Bookmark
from ..widgets.reading_pane import ReadingPane
from ..widgets.search_bar import SearchBar

if TYPE_CHECKING:
    from .reader import ReaderScreen

    _Base = ReaderScreen
else:
    _Base = object


class ReaderFeatures(_Base):
    """Actions bound to keys in ReaderScreen.BINDINGS."""

    def action_jump(self) -> None:
        from .jump import JumpScreen

        self.app.push_screen(JumpScreen(self.index), self._open_title)

    def _open_title(self, title: str | None) -> None:
        if title:
            self.open_address(title)
            self.query_one(ReadingPane).focus()

    def action_backlinks(self) -> None:
        from .pick import PickScreen

        if self.article is None:
            return
        try:
            hits = self.index.backlinks(self.article.title)
        except IndexDamaged:
            self.rebuild_index()
            return
        entries = [
            (
                f"{hit.title}#{hit.anchor}",
                visible(f"{hit.title} › {hit.section}" if hit.section else hit.title),
            )
            for hit in sorted(hits, key=lambda hit: (hit.title.casefold(), hit.section))
        ]
        self.app.push_screen(
            PickScreen(f"What links here: {visible(self.article.title)} ({len(hits)})", entries),
            self._open_title,
        )

    def _here(self) -> tuple[str, str]:
        """The current article's title and section anchor."""
        return (self.article.title if self.article else "", self.current_section)

    def action_bookmark(self) -> None:
        title, anchor = self._here()
        if not title:
            return
        section = self.article.section(anchor) if self.article else None
        name = f"{title} › {section.heading}" if section is not None and section.heading else title
        self.state.bookmarks = [
            b for b in self.state.bookmarks if (b.title, b.anchor) != (title, anchor)
        ] + [Bookmark(name, title, anchor, self.library)]
        self.state.save_bookmarks()
        if self.state.private:
            self.notify(f"Bookmarked {visible(name)} (not saved: private mode)", timeout=3)
        else:
            self.notify(f"Bookmarked {visible(name)}", timeout=3)

    def _bookmark_entries(self) -> list[tuple[str, str]]:
        return [(str(n), visible(b.name)) for n, b in enumerate(self.state.bookmarks)]

    def action_bookmarks(self) -> None:
        from .pick import PickScreen

        def delete(key: str) -> list[tuple[str, str]]:
            del self.state.bookmarks[int(key)]
            self.state.save_bookmarks()
            return self._bookmark_entries()

        def rename(key: str) -> None:
            from .prompt import PromptScreen

            bookmark = self.state.bookmarks[int(key)]

            def renamed(name: str | None) -> None:
                if name:
                    self.state.bookmarks[int(key)] = Bookmark(
                        name, bookmark.title, bookmark.anchor, bookmark.library
                    )
                    self.state.save_bookmarks()
                    self.action_bookmarks()

            # After the list closes (returning None closes it), ask for the new name.
            prompt = PromptScreen("New name for the bookmark", bookmark.name)
            self.app.call_later(self.app.push_screen, prompt, renamed)
            return None

        def opened(key: str | None) -> None:
            if key is not None:
                bookmark = self.state.bookmarks[int(key)]
                address = (
                    f"{bookmark.title}#{bookmark.anchor}" if bookmark.anchor else bookmark.title
                )
                self._open_title(address)

        self.app.push_screen(
            PickScreen(
                "Bookmarks",
                self._bookmark_entries(),
                actions={"d": ("deletes", delete), "R": ("renames", rename)},
            ),
            opened,
        )

    def action_history(self) -> None:
        from .pick import PickScreen

        def entries() -> list[tuple[str, str]]:
            visits = self.visits.newest_first()
            return [(str(n), _visit_label(visit)) for n, visit in enumerate(visits)]

        def clear(key: str) -> list[tuple[str, str]]:
            self.visits.clear()
            self.state.save_visits(self.visits.visits)
            return entries()

        def opened(key: str | None) -> None:
            if key is not None:
                visit = self.visits.newest_first()[int(key)]
                self._open_title(f"{visit.title}#{visit.anchor}" if visit.anchor else visit.title)

        self.app.push_screen(
            PickScreen("History (newest first)", entries(), actions={"x": ("clears", clear)}),
            opened,
        )

    def action_problems(self) -> None:
        from .pick import PickScreen

        entries = [(str(n), visible(problem)) for n, problem in enumerate(self.problems())]
        self.app.push_screen(PickScreen(f"Problems ({len(entries)})", entries, hint="Esc closes"))

    def action_pick_library(self) -> None:
        from .pick import PickScreen

        every = "*"  # not a library name: library_name() allows no "*"
        entries = [(every, "All libraries")] + [(name, name) for name in self.index.libraries]

        def chosen(name: str | None) -> None:
            if name is None:
                return
            name = "" if name == every else name
            self.library_filter = name
            bar = self.query_one(SearchBar)
            bar.border_title = f"in {name}" if name else None
            self.notify(f"Searching {'library ' + name if name else 'all libraries'}", timeout=2)
            # The reader picked a library to search in: what they type next is the query.
            self.set_focus(bar)
            if bar.value.strip():
                self.search_now(bar.value)

        self.app.push_screen(PickScreen("Search in which library?", entries), chosen)

    def action_random(self) -> None:
        for _ in range(5):  # another article than this one, if there is one
            title = self.index.random_title()
            if title and (self.article is None or title != self.article.title):
                break
        if title:
            self.open_address(title)

    def action_copy_text(self) -> None:
        if self.article is not None:
            self.app.copy_to_clipboard(plain_text(self.article, self.current_section or None))
            self.notify("Copied the section as text", timeout=2)

    def action_copy_link(self) -> None:
        title, anchor = self._here()
        if title:
            address = f"{title}#{anchor}" if anchor else title
            self.app.copy_to_clipboard(f'termpedia "{address}"')
            self.notify(f"Copied: termpedia {visible(address)!r}", timeout=3)

    def action_edit(self) -> None:
        if self.article is None:
            return
        path = editable_copy(Path(self.article.path), self.library)
        anchor = self.current_section
        self.services.edit(self.app, path)
        self.after_edit(path, anchor)

    def after_edit(self, path: Path, anchor: str) -> None:
        """Re-parse, re-index and redisplay an edited file at the same section."""
        if self.services.updating:
            # A worker is updating the index (the catch-up at start, a rebuild): show the
            # edit now and re-index it after that update, not by blocking the screen.
            self._show_edited(path, anchor)
            self._reindex_after(path)
            return
        try:
            report = self.services.reindex()
        except IndexBusy:
            report = None
            self.notify("Another termpedia is updating the index: search catches up later")
        except OSError as error:  # e.g. a full disk: the edit is saved, the index is not
            report = None
            self.notify(f"The index could not be updated: {error}", severity="error")
        self.index.refresh()
        title = self._show_edited(path, anchor)
        if title is not None and report is not None and report.indexed:
            self.notify(f"Re-indexed {visible(title)}", timeout=2)

    def _show_edited(self, path: Path, anchor: str) -> str | None:
        """Show the edited file at `anchor`; its title, or None if it cannot be read."""
        try:
            article = load_article(path)
        except ArticleError as error:
            self.notify(visible(str(error.diagnostic)), severity="error")
            return None
        self.show(article, self.index.library_of(str(path)) or "user", anchor, record=False)
        self.tell_problems(len(article.diagnostics))
        return article.title

    @work(thread=True, group="edit")
    def _reindex_after(self, path: Path) -> None:
        try:
            report = self.services.reindex()  # waits for the running update
        except (IndexBusy, OSError) as error:
            message = f"The index could not be updated: {visible(str(error))}"
            self.app.call_from_thread(self.notify, message, severity="warning", timeout=6)
            return
        self.index.refresh()
        if report is not None and report.indexed:
            self.app.call_from_thread(self.notify, f"Re-indexed {path.name}", timeout=2)

    def action_new_article(self) -> None:
        from .prompt import PromptScreen

        title = self.dangling_title

        def create(answer: str | None) -> None:
            if not answer:
                return
            if self.index.catalog.resolve(answer).entry is not None:
                self.open_address(answer)
                self.notify(f"{visible(answer)!r} exists already", timeout=3)
                return
            path = new_article_file(answer)
            self.services.edit(self.app, path)
            self.after_edit(path, "")

        self.app.push_screen(PromptScreen("Title of the new article", title), create)


def _visit_label(visit: Visit) -> str:
    """`2026-12-03 09:41  Title #section`: when, and where (article text made visible)."""
    when = time.strftime("%Y-%m-%d %H:%M", time.localtime(visit.time)) if visit.time else ""
    where = visible(visit.title) + (f" #{visible(visit.anchor)}" if visit.anchor else "")
    return f"{when}  {where}" if when else where
