"""List lines of rendered wikitext: markers with their depth, and numbers that count on."""

from __future__ import annotations

from .tidy import ITEM, ITEM_END


class ListMarkers:
    """Writes the markers of list lines (`- `, `3. ` two spaces a level deeper; `; `; `: `, a
    colon a level),
    numbering `#` items from 1 in each list: a list ends where a line that is not one of its
    items (or a blank line) comes between two items."""

    def __init__(self) -> None:
        self.numbers: list[int] = []  # the counters of numbered items, by depth
        self.last: tuple[int, int] = (0, -1)  # (id of the buffer, its length) after an item

    def item(self, kind: str, depth: int, out: list[str]) -> None:
        """Append the marker of a list line of this kind (`*`, `#`, `;`, `:`) and depth."""
        buffer, position = self.last
        if buffer != id(out) or "".join(out[position:]).count("\n") > 1:
            self.numbers = []  # not right after an item: a new list, numbered from 1
        del self.numbers[depth:]
        self.numbers += [0] * (depth - len(self.numbers))
        indent = "  " * (depth - 1)
        if kind == "#":
            self.numbers[depth - 1] += 1
            marker = f"{indent}{self.numbers[depth - 1]}. "
        else:
            self.numbers[depth - 1] = 0
            if kind == ";":
                marker = "; "  # terms and definitions start at the margin
            elif kind == ":":  # `#:` (text under an item) is a definition one level in
                marker = ":" * depth + " "
            else:
                marker = f"{indent}- "
        out.append(f"{ITEM}{marker}{ITEM_END}")
        self.last = (id(out), len(out))
