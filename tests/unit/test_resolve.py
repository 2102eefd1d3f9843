"""Following links: how addresses are normalised and which article a title resolves to."""

from __future__ import annotations

import pytest

from termpedia.content.article import Article
from termpedia.content.parse import parse
from termpedia.content.resolve import (
    Catalog,
    Entry,
    find_section,
    fragment_matches,
    normalize_title,
    sections_starting,
    split_address,
)


class TestNormalizeTitle:
    @pytest.mark.parametrize(
        ("written", "normalised"),
        [
            ("Leon Trotsky", "Leon Trotsky"),
            ("leon trotsky", "Leon trotsky"),
            ("Leon_Trotsky", "Leon Trotsky"),
            ("  Leon   Trotsky ", "Leon Trotsky"),
            ("Leon\tTrotsky", "Leon Trotsky"),
            ("Leon%20Trotsky", "Leon Trotsky"),
            ("Caf%C3%A9", "Café"),
            ("éclair", "Éclair"),
            ("100% Cotton", "100% Cotton"),
            ("1905 Russian Revolution", "1905 Russian Revolution"),
            ("", ""),
        ],
    )
    def test_table(self, written: str, normalised: str) -> None:
        assert normalize_title(written) == normalised

    def test_normalising_twice_changes_nothing(self) -> None:
        once = normalize_title("  leon_trotsky%20bibliography ")
        assert once == "Leon trotsky bibliography"
        assert normalize_title(once) == once


class TestSplitAddress:
    @pytest.mark.parametrize(
        ("address", "title", "fragment"),
        [
            ("Leon Trotsky", "Leon Trotsky", ""),
            ("Leon Trotsky#Exile", "Leon Trotsky", "Exile"),
            ("leon_trotsky#Early_life", "Leon trotsky", "Early life"),
            ("Leon_Trotsky#Early%20life", "Leon Trotsky", "Early life"),
            ("X#%22Quoted%22", "X", '"Quoted"'),
            ("#Section", "", "Section"),
            ("Title#  Spaced  ", "Title", "Spaced"),
            ("A#b#c", "A", "b#c"),
        ],
    )
    def test_table(self, address: str, title: str, fragment: str) -> None:
        assert split_address(address) == (title, fragment)


LEON = Entry("Leon Trotsky", "bundled", "/b/leon-trotsky.txt", ("Trotsky", "Lev Bronstein"))
RADEK = Entry("Karl Radek", "bundled", "/b/karl-radek.txt")
BIBLIOGRAPHY = Entry("Leon Trotsky bibliography", "bundled", "/b/bib.txt")
APPLE = Entry("Apple", "one", "/1/apple.txt")
APPLE_CAPS = Entry("APPLE", "two", "/2/apple.txt")


class TestResolve:
    def test_exact_title(self) -> None:
        resolution = Catalog([LEON, RADEK]).resolve("Leon Trotsky")
        assert resolution.entry == LEON
        assert (resolution.fragment, resolution.candidates, resolution.via_alias) == ("", (), False)

    @pytest.mark.parametrize(
        "address",
        ["leon trotsky", "Leon_Trotsky", "  Leon   Trotsky ", "Leon%20Trotsky", "LEON TROTSKY"],
    )
    def test_written_variants_resolve_to_the_article(self, address: str) -> None:
        assert Catalog([LEON, RADEK, BIBLIOGRAPHY]).resolve(address).entry == LEON

    def test_fragment_is_carried(self) -> None:
        resolution = Catalog([LEON]).resolve("leon_trotsky#Early_life")
        assert (resolution.entry, resolution.fragment) == (LEON, "Early life")

    def test_url_encoded_title_with_accent(self) -> None:
        cafe = Entry("Café", "x", "/x/cafe.txt")
        assert Catalog([cafe]).resolve("Caf%C3%A9#R%C3%A9sum%C3%A9").entry == cafe
        assert Catalog([cafe]).resolve("Caf%C3%A9#R%C3%A9sum%C3%A9").fragment == "Résumé"

    def test_exact_match_wins_over_case_insensitive(self) -> None:
        catalog = Catalog([APPLE, APPLE_CAPS])
        assert catalog.resolve("APPLE").entry == APPLE_CAPS
        assert catalog.resolve("Apple").entry == APPLE
        # "apple" is normalised to "Apple" (first letter up), an exact match.
        assert catalog.resolve("apple").entry == APPLE

    def test_titles_differing_only_in_case_leave_a_third_variant_ambiguous(self) -> None:
        resolution = Catalog([APPLE, APPLE_CAPS]).resolve("aPPle")
        assert resolution.entry is None
        assert set(resolution.candidates) == {APPLE, APPLE_CAPS}

    def test_unique_case_insensitive_match(self) -> None:
        resolution = Catalog([APPLE, RADEK]).resolve("aPPLE")
        assert resolution.entry == APPLE
        assert resolution.candidates == ()

    def test_alias_resolves(self) -> None:
        resolution = Catalog([LEON, RADEK]).resolve("Lev_Bronstein#Exile")
        assert resolution.entry == LEON
        assert resolution.via_alias is True
        assert resolution.fragment == "Exile"

    def test_alias_case_insensitive(self) -> None:
        resolution = Catalog([LEON, RADEK]).resolve("LEV BRONSTEIN")
        assert (resolution.entry, resolution.via_alias) == (LEON, True)

    def test_real_title_beats_an_alias_of_the_same_name(self) -> None:
        trotsky = Entry("Trotsky", "user", "/u/trotsky.txt")
        # The alias holder comes first in priority, and still loses.
        resolution = Catalog([LEON, trotsky]).resolve("Trotsky")
        assert resolution.entry == trotsky
        assert resolution.via_alias is False
        assert resolution.candidates == (LEON,)

    def test_first_library_wins_for_a_shared_title(self) -> None:
        mine = Entry("Leon Trotsky", "user", "/u/leon.txt")
        resolution = Catalog([mine, LEON]).resolve("Leon Trotsky")
        assert resolution.entry == mine
        assert resolution.candidates == (LEON,)

    def test_first_library_wins_for_a_shared_title_written_in_another_case(self) -> None:
        mine = Entry("Leon Trotsky", "user", "/u/leon.txt")
        assert Catalog([mine, LEON]).resolve("leon trotsky").entry == mine

    def test_real_title_beats_alias_written_in_another_case(self) -> None:
        trotsky = Entry("Trotsky", "user", "/u/trotsky.txt")
        assert Catalog([LEON, trotsky]).resolve("TROTSKY").entry == trotsky

    def test_unknown_title(self) -> None:
        resolution = Catalog([LEON]).resolve("Nobody")
        assert (resolution.entry, resolution.candidates) == (None, ())

    def test_len(self) -> None:
        assert len(Catalog([LEON, RADEK])) == 2


class TestComplete:
    catalog = Catalog([RADEK, BIBLIOGRAPHY, LEON, APPLE])

    def test_prefix_ignores_case(self) -> None:
        assert [e.title for e in self.catalog.complete("leon")] == [
            "Leon Trotsky",
            "Leon Trotsky bibliography",
        ]
        assert [e.title for e in self.catalog.complete("LEON TROTSKY B")] == [
            "Leon Trotsky bibliography"
        ]

    def test_aliases_complete_to_their_article(self) -> None:
        assert self.catalog.complete("lev") == [LEON]
        assert self.catalog.complete("tro") == [LEON]

    def test_limit(self) -> None:
        assert len(self.catalog.complete("leon", limit=1)) == 1

    def test_no_match(self) -> None:
        assert self.catalog.complete("zzz") == []

    def test_empty_prefix_lists_everything_once(self) -> None:
        found = self.catalog.complete("")
        assert sorted(e.title for e in found) == sorted(
            ["Karl Radek", "Leon Trotsky bibliography", "Leon Trotsky", "Apple"]
        )

    def test_underscores_in_prefix(self) -> None:
        assert [e.title for e in self.catalog.complete("karl_ra")] == ["Karl Radek"]


class TestDuplicatesAndClosest:
    def test_one_title_in_two_libraries_is_reported(self) -> None:
        mine = Entry("Leon Trotsky", "notes", "/n/leon.txt")
        assert Catalog([mine, LEON, RADEK]).duplicates() == [[mine, LEON]]

    def test_the_readers_copy_of_a_bundled_article_is_an_override_not_a_duplicate(self) -> None:
        assert LEON.library == "bundled"
        mine = Entry("Leon Trotsky", "user", "/u/leon.txt")
        assert Catalog([mine, LEON, RADEK]).duplicates() == []
        assert Catalog([mine, LEON]).resolve("leon trotsky").entry == mine

    def test_alias_matching_a_title_is_not_a_duplicate(self) -> None:
        trotsky = Entry("Trotsky", "user", "/u/trotsky.txt")
        assert Catalog([LEON, trotsky]).duplicates() == []

    def test_case_variants_are_not_duplicates(self) -> None:
        assert Catalog([APPLE, APPLE_CAPS]).duplicates() == []

    def test_closest_titles_for_a_misspelling(self) -> None:
        catalog = Catalog([LEON, RADEK, BIBLIOGRAPHY])
        assert catalog.closest("Leon Trotskyy")[0] == "Leon Trotsky"
        assert catalog.closest("Karl Radeck") == ["Karl Radek"]
        assert catalog.closest("Something else entirely") == []


class TestFragmentMatches:
    @pytest.mark.parametrize(
        "fragment",
        [
            "Historical evaluation",
            "historical evaluation",
            "HISTORICAL EVALUATION",
            "historical-evaluation",
            '"Historical evaluation"',
        ],
    )
    def test_heading_matches_ignoring_case_and_quotes(self, fragment: str) -> None:
        assert fragment_matches(fragment, "historical-evaluation", "Historical evaluation")

    def test_quoted_heading(self) -> None:
        heading = '"The Permanent Revolution"'
        assert fragment_matches("The Permanent Revolution", "the-permanent-revolution", heading)
        assert fragment_matches('"the permanent revolution"', "the-permanent-revolution", heading)

    def test_numbered_anchor_of_a_repeated_heading(self) -> None:
        assert fragment_matches("notes-2", "notes-2", "Notes")

    def test_other_section_does_not_match(self) -> None:
        assert not fragment_matches("Synopsis", "historical-evaluation", "Historical evaluation")
        assert not fragment_matches("Historical", "historical-evaluation", "Historical evaluation")


TROTSKY = parse(
    "= Leon Trotsky =\n\nLead.\n\n"
    "==Early life and 1905==\nText.\n"
    "==Struggle with Stalin and exile==\n===Opposition===\n===Exile and death===\nText.\n"
    "==Legacy and interpretation==\n==Notes==\n==Notes==\n"
)
EXACT = parse("= E =\n\n==Exile and death==\n==Exile==\n==Exiled==\n")


def heading(fragment: str, article: Article = TROTSKY) -> str | None:
    found = find_section(article, fragment)
    return None if found is None else found.heading


class TestFindSection:
    @pytest.mark.parametrize(
        ("fragment", "expected"),
        [
            ("Exile and death", "Exile and death"),
            ("exile-and-death", "Exile and death"),
            ("Exile", "Exile and death"),
            ("exile", "Exile and death"),
            ('"EXILE"', "Exile and death"),
            ("exile and", "Exile and death"),
            ("Legacy", "Legacy and interpretation"),
            ("Early life", "Early life and 1905"),
            ("Struggle", "Struggle with Stalin and exile"),
            ("notes-2", "Notes"),
        ],
    )
    def test_exact_match_or_the_one_heading_that_starts_with_it(
        self, fragment: str, expected: str
    ) -> None:
        assert heading(fragment) == expected

    def test_the_exact_match_wins_over_headings_it_begins(self) -> None:
        assert heading("Exile", EXACT) == "Exile"
        assert find_section(EXACT, "Exile") is EXACT.sections[1]

    def test_a_fragment_that_begins_two_headings_names_neither(self) -> None:
        assert heading("E") is None  # Early life and 1905, Exile and death
        assert [s.heading for s in sections_starting(TROTSKY, "e")] == [
            "Early life and 1905",
            "Exile and death",
        ]
        assert heading("Exile a", EXACT) == "Exile and death"
        assert heading("Exil", EXACT) is None  # three headings start with it

    def test_the_first_of_two_equal_headings(self) -> None:
        notes = find_section(TROTSKY, "Notes")
        assert notes is not None and notes.anchor == "notes"

    @pytest.mark.parametrize("fragment", ["Death", "and death", "Early death", "", "!!", "-"])
    def test_no_match(self, fragment: str) -> None:
        assert heading(fragment) is None

    def test_the_middle_of_a_heading_is_not_its_start(self) -> None:
        assert heading("Stalin") is None
