"""The reader's keys: every binding of ReaderScreen, with the id keymap.json remaps it by.

`keymap.json` in the config dir maps ids to keys, e.g. `{"app.search": "s,slash"}`.
"""

from __future__ import annotations

from textual.binding import Binding, BindingType

READER_KEYS: list[BindingType] = [
    # Priority: run as the key arrives, so keys pasted right after it reach the search bar.
    Binding("slash", "search", "Search", id="app.search", priority=True),
    Binding("escape", "leave", "Back to text", show=False, id="app.leave"),
    Binding("t", "tree", "Sections", id="app.tree"),
    Binding("n", "section(1)", "Next section", show=False, id="app.next_section"),
    Binding("p", "section(-1)", "Prev section", show=False, id="app.prev_section"),
    Binding("backspace,h,alt+left", "go_back", "Back", id="app.back"),
    Binding("l,alt+right", "go_forward", "Forward", show=False, id="app.forward"),
    Binding("question_mark", "help", "Help", id="app.help"),
    Binding("ctrl+f", "find", "Find", id="app.find"),
    Binding("o", "jump", "Go to title", show=False, id="app.jump"),
    Binding("w", "backlinks", "What links here", show=False, id="app.backlinks"),
    Binding("m", "bookmark", "Bookmark", show=False, id="app.bookmark"),
    Binding("apostrophe", "bookmarks", "Bookmarks", show=False, id="app.bookmarks"),
    Binding("H", "history", "History", show=False, id="app.history"),
    Binding("r", "random", "Random article", show=False, id="app.random"),
    Binding("e", "edit", "Edit article", show=False, id="app.edit"),
    Binding("a", "new_article", "New article", show=False, id="app.new"),
    Binding("L", "pick_library", "Search in library", show=False, id="app.library"),
    Binding("exclamation_mark", "problems", "Problems", show=False, id="app.problems"),
    Binding("y", "copy_text", "Copy section", show=False, id="app.copy_text"),
    Binding("Y", "copy_link", "Copy link", show=False, id="app.copy_link"),
]

OFF_WHEN_SERVED: dict[str, str] = {
    "app.edit": "Editing is off here: this reader is served to a browser, read-only",
    "app.new": "New articles are off here: this reader is served to a browser, read-only",
}
"""The keys a served session (`termpedia serve`) leaves out of its help, by binding id, and
what pressing one says: they would write the server's files or start a program on it."""
