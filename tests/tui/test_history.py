"""Back and forward: `termpedia.tui.history.History`, without Textual."""

from __future__ import annotations

from termpedia.tui.history import History, Place


def place(title: str, scroll_y: int = 0) -> Place:
    return Place(title, "bundled", f"/articles/{title}.txt", "", scroll_y)


def titles(history: History) -> list[str]:
    return [p.title for p in history.places]


class TestEmpty:
    def test_a_new_history_has_nowhere_to_go(self) -> None:
        history = History()
        assert history.current is None
        assert not history.can_go_back
        assert not history.can_go_forward
        assert history.back() is None
        assert history.forward() is None
        assert history.places == ()

    def test_remembering_a_scroll_with_no_place_does_nothing(self) -> None:
        history = History()
        history.remember_scroll(12)
        assert history.current is None
        assert history.places == ()


class TestVisit:
    def test_visiting_makes_the_place_current(self) -> None:
        history = History()
        history.visit(place("A"))
        assert history.current == place("A")
        assert not history.can_go_back
        assert not history.can_go_forward

    def test_visiting_after_going_back_drops_the_forward_entries(self) -> None:
        history = History()
        for title in "ABC":
            history.visit(place(title))
        assert history.back() == place("B")
        assert history.back() == place("A")
        history.visit(place("D"))
        assert titles(history) == ["A", "D"]
        assert history.current == place("D")
        assert not history.can_go_forward
        assert history.forward() is None
        assert history.back() == place("A")

    def test_visiting_the_same_place_twice_keeps_both_entries(self) -> None:
        history = History()
        history.visit(place("A"))
        history.visit(place("A"))
        assert titles(history) == ["A", "A"]
        assert history.can_go_back


class TestBackAndForward:
    def test_back_then_forward_walks_the_list(self) -> None:
        history = History()
        for title in "ABC":
            history.visit(place(title))
        assert history.can_go_back and not history.can_go_forward
        assert history.back() == place("B")
        assert history.can_go_back and history.can_go_forward
        assert history.back() == place("A")
        assert not history.can_go_back
        assert history.back() is None
        assert history.current == place("A"), "a refused back must not move"
        assert history.forward() == place("B")
        assert history.forward() == place("C")
        assert history.forward() is None
        assert history.current == place("C"), "a refused forward must not move"


class TestRememberScroll:
    def test_the_scroll_offset_is_kept_for_the_current_place_only(self) -> None:
        history = History()
        history.visit(place("A"))
        history.remember_scroll(40)
        history.visit(place("B"))
        history.remember_scroll(7)
        back = history.back()
        assert back is not None and back.title == "A" and back.scroll_y == 40
        forward = history.forward()
        assert forward is not None and forward.title == "B" and forward.scroll_y == 7

    def test_remembering_again_replaces_the_offset(self) -> None:
        history = History()
        history.visit(place("A"))
        history.remember_scroll(3)
        history.remember_scroll(9)
        assert history.current is not None and history.current.scroll_y == 9
        assert len(history.places) == 1

    def test_remembering_keeps_the_rest_of_the_place(self) -> None:
        history = History()
        original = Place("A", "user", "/x/a.txt", "origins", 0)
        history.visit(original)
        history.remember_scroll(5)
        assert history.current == Place("A", "user", "/x/a.txt", "origins", 5)


class TestLimit:
    def test_the_oldest_places_are_dropped_beyond_the_limit(self) -> None:
        history = History(limit=3)
        for title in "ABCDE":
            history.visit(place(title))
        assert titles(history) == ["C", "D", "E"]
        assert history.current == place("E")
        assert history.back() == place("D")
        assert history.back() == place("C")
        assert history.back() is None

    def test_the_default_limit_is_large_but_bounded(self) -> None:
        history = History()
        for number in range(history.limit + 25):
            history.visit(place(str(number)))
        assert len(history.places) == history.limit
        assert history.current == place(str(history.limit + 24))

    def test_dropping_the_oldest_keeps_back_and_forward_consistent(self) -> None:
        history = History(limit=2)
        history.visit(place("A"))
        history.visit(place("B"))
        history.back()
        history.visit(place("C"))  # drops B (forward), then nothing beyond the limit
        assert titles(history) == ["A", "C"]
        history.visit(place("D"))  # drops A
        assert titles(history) == ["C", "D"]
        assert history.back() == place("C")
        assert history.forward() == place("D")


class TestRestoreAndClear:
    def test_restoring_makes_the_last_saved_place_current(self) -> None:
        history = History()
        history.restore([place("A"), place("B", 30)])
        assert history.current == place("B", 30)
        assert history.can_go_back and not history.can_go_forward
        assert history.back() == place("A")

    def test_restoring_keeps_only_the_newest_places_within_the_limit(self) -> None:
        history = History(limit=2)
        history.restore([place(t) for t in "ABCD"])
        assert titles(history) == ["C", "D"]

    def test_restoring_nothing_leaves_an_empty_history(self) -> None:
        history = History()
        history.restore([])
        assert history.current is None and history.places == ()
        history.visit(place("A"))
        assert not history.can_go_back

    def test_clearing_keeps_only_the_current_place(self) -> None:
        history = History()
        for title in "ABC":
            history.visit(place(title))
        history.back()
        history.clear()
        assert titles(history) == ["B"]
        assert history.current == place("B")
        assert not history.can_go_back and not history.can_go_forward

    def test_clearing_an_empty_history(self) -> None:
        history = History()
        history.clear()
        assert history.current is None and history.places == ()
