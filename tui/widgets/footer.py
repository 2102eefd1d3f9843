"""The footer: as many keys as fit the width, each shown whole, the first bindings first."""

from __future__ import annotations

from textual import events
from textual.geometry import Size
from textual.widget import Widget
from textual.widgets import Footer


class FittingFooter(Footer):
    """Textual's Footer clips its row of keys at the right edge, mid-word ("q Qui"). This
    one hides the keys from the first that does not fit on: the bindings come in order of
    importance (the focused widget's, the screen's, the app's), so the last ones go first.
    It is checked again when the keys change (a recompose) and when the width changes."""

    async def recompose(self) -> None:
        await super().recompose()
        self.fit_keys()

    def on_resize(self, event: events.Resize) -> None:
        self.fit_keys()

    def fit_keys(self) -> None:
        """Show the leading keys that fit whole, hide the rest."""
        width = self.size.width
        if not width:
            return  # not laid out yet: the first resize fits them
        row = [child for child in self.children if not child.styles.is_docked]
        docked = [child for child in self.children if child.styles.is_docked and child.display]
        room = width - sum(_outer_width(child, self.size) for child in docked)
        used = 0
        right_margin = 0
        fits = True
        for child in row:
            margin = child.styles.margin
            # Horizontal layout collapses the margins between neighbours into the larger one.
            used += max(right_margin, margin.left) + _box_width(child, self.size)
            right_margin = margin.right
            fits = fits and used + right_margin <= room
            child.display = fits


def _box_width(widget: Widget, container: Size) -> int:
    """Cells the widget takes with its padding and border (not its margins)."""
    children = [child for child in widget.children if not child.styles.is_docked]
    if children:  # a group of keys: its keys side by side
        content = sum(_outer_width(child, container) for child in children)
    else:
        content = widget.get_content_width(container, container)
    return content + widget.styles.gutter.width


def _outer_width(widget: Widget, container: Size) -> int:
    margin = widget.styles.margin
    return margin.left + _box_width(widget, container) + margin.right
