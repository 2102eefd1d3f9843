"""What the app needs from outside: the reader's state, the libraries, an editor.

Injectable, so tests can run a fake editor (a headless app cannot suspend) and private mode
writes nothing.
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from textual.app import App

from termpedia.content import paths
from termpedia.content.archive import SCHEME
from termpedia.content.article import Article
from termpedia.content.importers.store import safe_name
from termpedia.content.library import BUNDLED, Shelf, default_shelves, record_origin
from termpedia.content.parse import render

from .state import ReaderState

Editor = Callable[[App[None], Path], None]

TEMPLATE = """= {title} =

{title}
- Aliases:

Write the lead here: what {title} is, in a few sentences. Link to other articles like
[[termpedia]] or [[termpedia#Searching|a section of one]].

==Section==
Text of the first section.

==See also==
- termpedia
"""


def run_editor(app: App[None], path: Path) -> None:
    """Open `path` in $VISUAL or $EDITOR (vi otherwise), with the app suspended meanwhile."""
    command = os.environ.get("VISUAL") or os.environ.get("EDITOR") or "vi"
    with app.suspend():
        subprocess.run([*shlex.split(command), str(path)], check=False)


def editable_copy(article: Article, library: str) -> Path:
    """The file to edit for an article: a bundled or imported article, or one read from an
    archive, is first copied into the reader's own library, where the copy overrides it
    (`content.library.overrides`): the package data, imported libraries and archives are
    never written. The reader's own files and `--library` folders are edited in place."""
    if article.path.startswith(SCHEME):
        # Converted from the archive's HTML as it was read: that text is the copy.
        name = Path(safe_name(article.title)).name
        text = render(article)
        return _copy(
            paths.user_articles_dir() / name, library, lambda t: t.write_text(text, "utf-8")
        )
    path = Path(article.path)
    imported = path.resolve().is_relative_to(paths.libraries_dir().resolve())
    if library != BUNDLED and not imported:
        return path
    return _copy(paths.user_articles_dir() / path.name, library, lambda t: shutil.copyfile(path, t))


def _copy(target: Path, library: str, write: Callable[[Path], object]) -> Path:
    """`target` in the reader's library, written (once) and recorded as a copy from
    `library`."""
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        write(target)
        record_origin(target.parent, target, library)
    return target


def new_article_file(title: str) -> Path:
    """A new article from the template in the reader's own library."""
    target = paths.user_articles_dir() / Path(safe_name(title)).name
    target.parent.mkdir(parents=True, exist_ok=True)
    if not target.exists():
        target.write_text(TEMPLATE.format(title=" ".join(title.split())), encoding="utf-8")
    return target


@dataclass
class Services:
    """The reader's state, where the index and the libraries are, and how to edit a file;
    `IndexUpkeep` keeps the index of `shelves` at `index_root` up to date."""

    state: ReaderState = field(default_factory=ReaderState)
    index_root: Path | None = None
    shelves: list[Shelf] = field(default_factory=default_shelves)
    editor: Editor = run_editor
    catch_up: bool = False
    """The index was opened without the start-up check: the reader runs it after the first
    screen (`IndexUpkeep.catch_up`)."""

    def edit(self, app: App[None], path: Path) -> None:
        """Let the reader edit `path` (the app is suspended meanwhile)."""
        self.editor(app, path)
