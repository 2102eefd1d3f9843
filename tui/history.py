"""Back and forward through visited places, with the scroll position of each. No Textual here."""

from __future__ import annotations

from dataclasses import dataclass, replace


def address_of(title: str, anchor: str) -> str:
    """`Title#anchor`, or the title for the lead."""
    return f"{title}#{anchor}" if anchor else title


@dataclass(frozen=True)
class Place:
    """Where the reader was: an article (by library and title, or a file) and a scroll offset."""

    title: str
    library: str = ""
    path: str = ""
    anchor: str = ""
    scroll_y: int = 0


class History:
    """A browser-style history: visiting drops everything ahead of the current place."""

    def __init__(self, limit: int = 500) -> None:
        self._places: list[Place] = []
        self._index = -1
        self.limit = limit

    @property
    def current(self) -> Place | None:
        return self._places[self._index] if self._index >= 0 else None

    @property
    def can_go_back(self) -> bool:
        return self._index > 0

    @property
    def can_go_forward(self) -> bool:
        return self._index < len(self._places) - 1

    def visit(self, place: Place) -> None:
        del self._places[self._index + 1 :]
        self._places.append(place)
        if len(self._places) > self.limit:
            del self._places[0]
        self._index = len(self._places) - 1

    def remember_scroll(self, scroll_y: int) -> None:
        """Record the scroll offset of the current place before leaving it."""
        if self.current is not None:
            self._places[self._index] = replace(self.current, scroll_y=scroll_y)

    def back(self) -> Place | None:
        if not self.can_go_back:
            return None
        self._index -= 1
        return self.current

    def forward(self) -> Place | None:
        if not self.can_go_forward:
            return None
        self._index += 1
        return self.current

    @property
    def places(self) -> tuple[Place, ...]:
        return tuple(self._places)

    def restore(self, places: list[Place]) -> None:
        """Start from places saved by an earlier run (the last one is current)."""
        self._places = list(places)[-self.limit :]
        self._index = len(self._places) - 1

    def clear(self) -> None:
        """Forget everything but the current place."""
        current = self.current
        self._places = [current] if current is not None else []
        self._index = len(self._places) - 1


@dataclass(frozen=True)
class Visit:
    """One article shown to the reader, and when (seconds since the epoch)."""

    title: str
    library: str = ""
    path: str = ""
    anchor: str = ""
    time: float = 0.0

    @property
    def address(self) -> str:
        """`Title#anchor`, or the title for the lead."""
        return address_of(self.title, self.anchor)


class VisitLog:
    """Every visit, in the order made (going back and jumping included): the `H` list. The
    back/forward `History` forgets what a new visit drops; this log keeps it."""

    def __init__(self, visits: list[Visit] | None = None, limit: int = 1000) -> None:
        self.limit = limit
        self._visits = list(visits or [])[-limit:]

    def add(self, visit: Visit) -> bool:
        """Log a visit, unless it repeats the last one (a re-display); True if logged."""
        last = self._visits[-1] if self._visits else None
        if last is not None and (last.title, last.library, last.anchor) == (
            visit.title,
            visit.library,
            visit.anchor,
        ):
            return False
        self._visits.append(visit)
        del self._visits[: -self.limit]
        return True

    def newest_first(self) -> list[Visit]:
        return self._visits[::-1]

    @property
    def visits(self) -> tuple[Visit, ...]:
        return tuple(self._visits)

    def clear(self) -> None:
        self._visits = []
