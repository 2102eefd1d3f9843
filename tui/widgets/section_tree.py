"""The section tree of the current article, with vim keys and arrow keys to fold."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual import on
from textual.binding import Binding
from textual.message import Message
from textual.widgets import Tree
from textual.widgets.tree import TreeNode

from termpedia.content.article import Article, Section
from termpedia.content.sanitize import visible


class SectionTree(Tree[str]):
    """Headings of the article; each node's data is its section anchor ("" for the lead)."""

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

    def show(self, article: Article) -> None:
        self.clear()
        self.root.set_label(Text(visible(article.title) or "(untitled)"))
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

    @on(Tree.NodeSelected)
    def choose(self, event: Tree.NodeSelected[str]) -> None:
        event.stop()
        self.post_message(self.SectionChosen(event.node.data or ""))
