"""When a search runs as the reader types: `termpedia.tui.search_timing.SearchTiming` on a fake
clock, with a fake index that records what it was asked."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from termpedia.index.search import SearchResult
from termpedia.tui.search_timing import DEBOUNCE, FULL_TEXT_PAUSE, SearchTiming


@dataclass
class Clock:
    """Time stands still until someone sleeps."""

    now: float = 1000.0
    slept: list[float] = field(default_factory=list)

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


@dataclass
class FakeIndex:
    """Answers every query with no hits, and records each question with the clock's time."""

    clock: Clock
    asked: list[tuple[float, str, str, str, bool]] = field(default_factory=list)
    quick_answer_is_full: bool = False

    def instant(self, typed: str, limit: int = 20, library: str = "") -> SearchResult:
        self.asked.append((self.clock.now, "instant", typed, library, True))
        return SearchResult(typed, (), 0, instant=not self.quick_answer_is_full)

    def search(
        self, typed: str, limit: int = 20, library: str = "", unfinished: bool = False
    ) -> SearchResult:
        self.asked.append((self.clock.now, "search", typed, library, unfinished))
        return SearchResult(typed, (), 0)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def index(clock: Clock) -> FakeIndex:
    return FakeIndex(clock)


@pytest.fixture
def timing(clock: Clock, index: FakeIndex) -> SearchTiming:
    return SearchTiming(index, clock=clock, sleep=clock.sleep)


def shown_by(timing: SearchTiming, text: str, wait: float, cancel_after: int = 99) -> list[str]:
    """Run a search as you type; what it showed ("instant"/"full"/"nothing"), in order.
    `cancel_after`: the number of `cancelled()` checks that pass before a newer key comes."""
    shown: list[str] = []
    checks = iter(range(cancel_after))

    def show(result: SearchResult | None) -> None:
        shown.append("nothing" if result is None else "instant" if result.instant else "full")

    timing.as_you_type(text, wait, show, lambda: next(checks, None) is None)
    return shown


class TestDebounce:
    def test_the_first_key_is_answered_at_once(self, timing: SearchTiming) -> None:
        assert timing.keystroke() == 0.0

    def test_keys_in_quick_succession_wait(self, timing: SearchTiming, clock: Clock) -> None:
        timing.keystroke()
        clock.now += DEBOUNCE / 2
        assert timing.keystroke() == DEBOUNCE
        clock.now += DEBOUNCE / 2
        assert timing.keystroke() == DEBOUNCE, "each key counts from the one before"

    def test_the_first_key_after_a_pause_is_answered_at_once(
        self, timing: SearchTiming, clock: Clock
    ) -> None:
        timing.keystroke()
        clock.now += DEBOUNCE / 2
        timing.keystroke()
        clock.now += DEBOUNCE
        assert timing.keystroke() == 0.0

    def test_a_longer_debounce_is_honoured(self, timing: SearchTiming, clock: Clock) -> None:
        timing.debounce = 1.0
        timing.keystroke()
        clock.now += 0.5
        assert timing.keystroke() == 1.0


class TestAsYouType:
    def test_the_quick_answer_then_the_full_one_after_the_pause(
        self, timing: SearchTiming, clock: Clock, index: FakeIndex
    ) -> None:
        start = clock.now
        assert shown_by(timing, "lenin", 0.0) == ["instant", "full"]
        assert [question[1:] for question in index.asked] == [
            ("instant", "lenin", "", True),
            ("search", "lenin", "", True),
        ]
        assert [when - start for when, *_ in index.asked] == pytest.approx([0, FULL_TEXT_PAUSE])

    def test_a_debounced_key_waits_before_its_quick_answer(
        self, timing: SearchTiming, clock: Clock, index: FakeIndex
    ) -> None:
        start = clock.now
        shown_by(timing, "len", DEBOUNCE)
        waited = [when - start for when, *_ in index.asked]
        assert waited == pytest.approx([DEBOUNCE, DEBOUNCE + FULL_TEXT_PAUSE])
        assert clock.slept == [DEBOUNCE, FULL_TEXT_PAUSE]

    def test_a_pause_in_mid_word_searches_the_word_as_unfinished(
        self, timing: SearchTiming, index: FakeIndex
    ) -> None:
        shown_by(timing, "permanent rev", 0.0)
        assert index.asked[-1][1:] == ("search", "permanent rev", "", True)

    def test_after_a_space_the_last_word_is_finished(
        self, timing: SearchTiming, index: FakeIndex
    ) -> None:
        shown_by(timing, "permanent ", 0.0)
        assert index.asked[-1][1:] == ("search", "permanent ", "", False)

    def test_a_newer_key_during_the_debounce_searches_nothing(
        self, timing: SearchTiming, index: FakeIndex
    ) -> None:
        assert shown_by(timing, "lenin", DEBOUNCE, cancel_after=0) == []
        assert index.asked == []

    def test_a_newer_key_during_the_pause_keeps_the_quick_answer_only(
        self, timing: SearchTiming, index: FakeIndex
    ) -> None:
        # Checks: after the wait, after the quick search, after the pause (cancelled here).
        assert shown_by(timing, "lenin", 0.0, cancel_after=2) == ["instant"]
        assert [kind for _, kind, *_ in index.asked] == ["instant"]

    def test_a_quick_answer_that_came_back_cancelled_is_not_shown(
        self, timing: SearchTiming, index: FakeIndex
    ) -> None:
        assert shown_by(timing, "lenin", 0.0, cancel_after=1) == []

    def test_a_blank_bar_shows_nothing_and_asks_nothing(
        self, timing: SearchTiming, index: FakeIndex
    ) -> None:
        assert shown_by(timing, "  ", 0.0) == ["nothing"]
        assert index.asked == []

    def test_a_quick_answer_that_is_already_full_is_not_asked_again(
        self, timing: SearchTiming, index: FakeIndex
    ) -> None:
        index.quick_answer_is_full = True
        assert shown_by(timing, "lenin", 0.0) == ["full"]
        assert len(index.asked) == 1

    def test_the_library_chosen_is_searched(self, timing: SearchTiming, index: FakeIndex) -> None:
        timing.library = "bundled"
        shown_by(timing, "lenin", 0.0)
        assert {library for _, _, _, library, _ in index.asked} == {"bundled"}


class TestNow:
    def test_enter_searches_the_words_as_typed_at_once(
        self, timing: SearchTiming, clock: Clock, index: FakeIndex
    ) -> None:
        result = timing.now("permanent rev")
        assert result is not None and not result.instant
        assert index.asked == [(clock.now, "search", "permanent rev", "", False)]
        assert clock.slept == []

    def test_enter_on_a_blank_bar_searches_nothing(
        self, timing: SearchTiming, index: FakeIndex
    ) -> None:
        assert timing.now(" ") is None
        assert index.asked == []
