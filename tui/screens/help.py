"""The help screen: every key, read from the live bindings so it cannot drift from them."""

from __future__ import annotations

from collections.abc import Iterable

from textual.app import ComposeResult
from textual.binding import ActiveBinding, Binding, BindingType
from textual.containers import Grid, VerticalScroll
from textual.content import Content
from textual.keys import key_to_character
from textual.screen import ModalScreen
from textual.widgets import Static

from ..widgets.reading_pane import ReadingPane
from ..widgets.section_tree import SectionTree
from .reader_keys import OFF_WHEN_SERVED

EXTRA = [
    ("ctrl+p", "Command palette: jump to any article title, change the theme"),
    ("enter, down / up", "In the find bar: next / previous match; esc closes it"),
    ("d, R", "In the bookmark list: delete, rename; x in the history list clears it"),
    ("enter", "In the search bar: open the first result"),
    ("down", "In the search bar: move into the results"),
    ("click", "Follow a link under the mouse"),
]

SERVED = [
    ("m, ', H", "Bookmarks and history last for this session only"),
    ("y, Y", "Copy to the browser's clipboard, where it allows"),
    ("q", "End this session (the page can start another)"),
]
"""What a served session (`termpedia serve`) tells about itself."""


def _key_name(key: str) -> str:
    """A key as it is typed: `?` for "question_mark", `!` for "exclamation_mark"; names of
    keys that print nothing (backspace, tab, space) stay names."""
    if key == "slash":
        return "/"
    character = key_to_character(key)
    return (
        character if character is not None and character.isprintable() and key != "space" else key
    )


def _bindings(declared: Iterable[BindingType]) -> list[Binding]:
    """The Binding objects of a BINDINGS list (termpedia declares no tuples)."""
    return [binding for binding in declared if isinstance(binding, Binding)]


def _from_bindings(bindings: list[Binding]) -> list[tuple[str, str]]:
    """(keys, description) rows: every key of every binding, grouped by what it does."""
    grouped: dict[str, list[str]] = {}
    for binding in bindings:
        keys = grouped.setdefault(binding.description or binding.action, [])
        for key in binding.key.split(","):
            if _key_name(key) not in keys:
                keys.append(_key_name(key))
    return [(", ".join(keys), description) for description, keys in grouped.items()]


class HelpScreen(ModalScreen[None]):
    """Lists the keys active on the reader, the reading pane's and the section tree's."""

    BINDINGS = [Binding("escape,q,question_mark", "dismiss", "Close", id="help.close")]

    def __init__(self, active: dict[str, ActiveBinding], served: bool = False) -> None:
        super().__init__()
        # Only termpedia's own keys (they have ids), not Textual's defaults such as ctrl+c;
        # served, not those that are off.
        off = OFF_WHEN_SERVED if served else {}
        reader_keys = [
            a.binding
            for a in active.values()
            if a.node.__class__.__name__ == "ReaderScreen"
            and a.binding.id
            and a.binding.id not in off
        ]
        app_keys = [a.binding for a in active.values() if a.node is self.app and a.binding.id]
        served_rows = [("Served to a browser", SERVED)] if served else []
        self.sections = [
            *served_rows,
            ("Reader", _from_bindings(reader_keys + app_keys)),
            ("Reading pane", _from_bindings(_bindings(ReadingPane.BINDINGS))),
            (
                "Section tree (t)",
                _from_bindings(_bindings(SectionTree.BINDINGS)) + [("enter", "Jump to section")],
            ),
            ("Also", EXTRA),
        ]

    def compose(self) -> ComposeResult:
        # One grid of keys and descriptions for every section: the key column is as wide as
        # the widest keys, and a description that wraps stays in its own column.
        with VerticalScroll(id="help"), Grid(id="help-grid"):
            yield Static(Content("Keys   (Esc closes)").stylize("bold"), classes="help-title")
            for title, rows in self.sections:
                yield Static(Content(title).stylize("bold underline"), classes="help-heading")
                for keys, description in rows:
                    yield Static(Content(keys), classes="help-keys")
                    yield Static(Content(description), classes="help-description")
