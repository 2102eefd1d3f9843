"""The section tree of the current article, with vim keys and arrow keys to fold."""

from __future__ import annotations

from dataclasses import dataclass

from rich.cells import cell_len
from rich.style import Style
from rich.text import Text
from textual import on
from textual.binding import Binding
from textual.content import Content
from textual.message import Message
from textual.widgets import Tree
from textual.widgets.tree import TreeNode

from termpedia.content.article import Article, Section
from termpedia.content.sanitize import visible

from .layout import Exists, title_path

ELLIPSIS = "…"
PATH = Style(dim=True)
"""A subpage title's parent path (or a prefixed title's prefix), at the root of the tree."""


class SectionTree(Tree[str]):
    """Headings of the article; each node's data is its section anchor ("" for the lead).

    A label wider than the tree is cut to fit and ends with an ellipsis; the whole heading
    is the tooltip of the row under the mouse, or else of the cursor's row. The root is the
    title: a subpage's parent path (`Book/Chapter/` of `Book/Chapter/Page`) is dimmed, and
    when the title is too wide, the path gives way first (`…apter/Page`)."""

    DEFAULT_CSS = """
    SectionTree { scrollbar-gutter: stable; }
    """
    # A stable gutter: the room for labels does not change when the scrollbar comes and goes.

    BINDINGS = [
        Binding("j", "cursor_down", "Down", show=False, id="tree.down"),
        Binding("k", "cursor_up", "Up", show=False, id="tree.up"),
        Binding("left", "collapse", "Collapse", show=False, id="tree.collapse"),
        Binding("right", "expand", "Expand", show=False, id="tree.expand"),
    ]

    @dataclass
    class SectionChosen(Message):
        anchor: str

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__("Contents", data="", id=id)
        self.auto_expand = False
        self.show_root = True
        self._by_anchor: dict[str, TreeNode[str]] = {}
        self._quiet = 0
        """How many characters of the root's label are the title's path or prefix."""

    def show(self, article: Article, exists: Exists | None = None) -> None:
        """The article's headings under its title (`exists`: which parent pages of a
        subpage exist, see `layout.title_path`)."""
        self.clear()
        title = visible(article.title)
        self._quiet = title_path(article.title, exists)[0] if title else 0
        label = Text(title or "(untitled)")
        label.stylize(PATH, 0, self._quiet)
        self.root.set_label(label)
        self.root.data = ""
        self._by_anchor = {"": self.root}
        self._add(self.root, article.sections)
        self.root.expand_all()
        self.move_cursor(self.root)

    def _add(self, parent: TreeNode[str], sections: tuple[Section, ...]) -> None:
        for section in sections:
            # A Text label: Tree parses plain strings as markup, and headings are data.
            node = parent.add(
                Text(visible(section.heading) or "(untitled)"),
                data=section.anchor,
                allow_expand=bool(section.children),
            )
            self._by_anchor[section.anchor] = node
            self._add(node, section.children)

    def follow(self, anchor: str) -> None:
        """Put the cursor on the section the reader is in, without choosing it."""
        node = self._by_anchor.get(anchor)
        if node is not None and self.cursor_node is not node:
            parent = node.parent
            while parent is not None:
                if not parent.is_expanded:
                    # expand() rebuilds every line of the tree, even for an expanded node:
                    # 10,000 headings cost ~100 ms at each section the reader scrolls into.
                    parent.expand()
                parent = parent.parent
            self.move_cursor(node)

    def action_collapse(self) -> None:
        node = self.cursor_node
        if node is None:
            return
        if node.is_expanded and node.children:
            node.collapse()
        elif node.parent is not None:
            self.move_cursor(node.parent)

    def action_expand(self) -> None:
        node = self.cursor_node
        if node is not None and node.allow_expand:
            node.expand()

    # -- labels cut to the width -------------------------------------------------------------

    def _room(self, node: TreeNode[str]) -> int | None:
        """Cells left for the node's label (icon included) after its guides; None before
        the tree has a size."""
        width = self.scrollable_content_region.width
        if width <= 0:
            return None
        depth = 0
        parent = node.parent
        while parent is not None:
            depth += 1
            parent = parent.parent
        if not self.show_root:
            depth -= 1
        return max(width - max(depth, 0) * self.guide_depth, 1)

    def render_label(self, node: TreeNode[str], base_style: Style, style: Style) -> Text:
        label = super().render_label(node, base_style, style)
        room = self._room(node)
        if room is None:
            return label
        cut = _cut_at(label.plain, room)
        if cut is None:
            return label
        if node is self.root and self._quiet:
            shorter = _path_cut(label, len(label.plain) - len(_plain(node)), self._quiet, room)
            if shorter is not None:
                return shorter
        shown = label[:cut]
        shown.rstrip()
        shown.append(ELLIPSIS, style)
        return shown

    def get_label_width(self, node: TreeNode[str]) -> int:
        # Tree measures a label by rendering it, most of the time of a rebuild with 10,000
        # headings. The width only sizes horizontal scrolling, which the tree does not do.
        icon = self.ICON_NODE_EXPANDED if node.is_expanded else self.ICON_NODE
        return (cell_len(icon) if node.allow_expand else 0) + cell_len(_plain(node))

    def is_cut(self, node: TreeNode[str]) -> bool:
        """Is the node's label too wide to be shown whole?"""
        room = self._room(node)
        whole = super().render_label(node, Style.null(), Style.null())
        return room is not None and _cut_at(whole.plain, room) is not None

    def _show_tooltip(self) -> None:
        node = self.get_node_at_line(self.hover_line) if self.hover_line >= 0 else None
        node = node or self.cursor_node
        # Content, not a str: a str tooltip would be parsed as markup, and headings are data.
        self.tooltip = Content(_plain(node)) if node and self.is_cut(node) else None

    @on(Tree.NodeHighlighted)
    def _cursor_moved(self, event: Tree.NodeHighlighted[str]) -> None:
        self._show_tooltip()

    def watch_hover_line(self, previous_hover_line: int, hover_line: int) -> None:
        super().watch_hover_line(previous_hover_line, hover_line)
        self._show_tooltip()

    def on_resize(self) -> None:
        self._show_tooltip()  # Tree itself clears its cached lines, so labels are cut again

    @on(Tree.NodeSelected)
    def choose(self, event: Tree.NodeSelected[str]) -> None:
        event.stop()
        self.post_message(self.SectionChosen(event.node.data or ""))


def _plain(node: TreeNode[str]) -> str:
    """The node's label as text (Tree keeps labels as Text; its type says str or Text)."""
    label = node.label
    return label.plain if isinstance(label, Text) else label


def _path_cut(label: Text, icon: int, quiet: int, room: int) -> Text | None:
    """The label (an icon of `icon` characters, then a title whose first `quiet` characters
    are its path) in `room` cells with the start of the path left out, `…apter/Page`; None
    if even the name does not fit."""
    name = label[icon + quiet :]
    used = cell_len(label.plain[:icon]) + 1 + name.cell_len
    if used > room:
        return None
    path = label.plain[icon : icon + quiet]
    start = len(path)
    while start > 0 and used + cell_len(path[start - 1]) <= room:
        start -= 1
        used += cell_len(path[start])
    shown = label[:icon]
    shown.append(ELLIPSIS, PATH)
    shown.append_text(label[icon + start :])
    return shown


def _cut_at(text: str, room: int) -> int | None:
    """Where to cut `text` so that it and an ellipsis take at most `room` cells; None if it
    fits whole. Measured in cells (a wide character counts two), and only as far as the
    room: a heading of a megabyte costs no more than a short one."""
    used = 0
    cut = None
    for offset, character in enumerate(text):
        used += cell_len(character)
        if used > room - 1 and cut is None:
            cut = offset  # characters before this one, then the ellipsis, fit
        if used > room:
            return cut
    return None
