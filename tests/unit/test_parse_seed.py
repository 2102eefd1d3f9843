"""A golden parse of the seed article, bundled verbatim: every field the reader relies on."""

from __future__ import annotations

import re
from collections import Counter

import pytest
from conftest import SEED, SHARED

from termpedia.content.article import Article, Link
from termpedia.content.parse import parse, render

TITLE = "The Permanent Revolution and Results and Prospects"

INFOBOX = (
    ("Author", "Leon Trotsky"),
    ("Language", "Russian, English"),
    ("Country", "Soviet Union"),
    ("Genre", "Non-Fiction"),
    ("Publisher", "Progress Publishers New Park Publications Red Letter Press"),
    ("Translator", "John G. Wright"),
    ("Release Date", "1930"),
    ("Media Type", "Print."),
)

LEAD = (
    "The Permanent Revolution and Results and Prospects is a 1930 book published by "
    "Bolshevik-Soviet politician and former head of The Red Army Leon Trotsky. It was first "
    "published by the Left Opposition in the Russian language in Germany in 1930. The book "
    "was translated into English by John G. Wright and published by New Park Publications "
    "in 1931."
)

PERMANENT_1 = (
    '"The Permanent Revolution" is a 1928 essay written by Leon Trotsky in response to '
    "criticism given by Soviet politician Karl Radek. The work was published in Russian by "
    "The Left Opposition after the expulsion of Trotsky from The Communist Party of the Soviet "
    "Union in 1927. It is a political theory book by Trotsky. Its title is the name of the "
    "concept of permanent revolution advocated by Trotsky and Trotskyists in opposition to the "
    "concept of socialism in one country as advocated by Joseph Stalin and Stalinists."
)
PERMANENT_2 = (
    "This was published after the death of Vladimir Lenin which triggered a power struggle "
    "within military, bureaucratic, legislative bodies within the Communist Party of the Soviet "
    "Union. General Secretary Joseph Stalin formed a political alliance with Lev Kamenev, "
    "Grigory Zinoviev and Nikolai Bukharin, who opposed Trotsky within the Politburo and the "
    "Central Committee. Stalin's bloc pursued an isolationist policy referred to as Socialism "
    "in One Country, which emphasized placing economic development before world revolution. "
    "Trotsky in contrast, saw this as a revisionist deviation from Marxism and Leninism, and in "
    "contrast proclaimed the Marxist ideology strategy of permanent revolution."
)
RESULTS = (
    "Results and Prospects is a 1906 essay written by Trotsky as a reaction to the 1905 "
    "Russian Revolution."
)
EVALUATION_1 = (
    "According to political scientist Baruch Knei-Paz, Trotsky's theory of \"permanent "
    'revolution" was grossly misrepresented by Stalin as defeatist and adventurist during the '
    "succession struggle when in fact Trotsky encouraged revolutions in Europe but was not at "
    'any time proposing "reckless confrontations" with the capitalist world. In the view of '
    "Knei-Paz, Trotsky was in fact supportive of economic reforms such as a rapid pace of "
    "industrialisation and a positive approach to internal possibilities, this would later be "
    "appropriated by Stalin but for the purpose of supporting his drive for socialism in one "
    "country."
)
EVALUATION_2 = (
    "Biographer, Isaac Deutscher, stated that Trotsky explicitly supported revolution through "
    "proletarian internationalism but was opposed to achieving this via military conquest. "
    "Deutscher made references to his documented opposition to the war with Poland in 1920, "
    "his proposed armistice with the Entente and temperance with staging anti-British revolts "
    "in the Middle East."
)


@pytest.fixture(scope="module")
def source() -> str:
    return str(SEED.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def article(source: str) -> Article:
    return parse(source, str(SEED))


class TestSeedFile:
    def test_bundled_seed_is_the_shared_seed_verbatim(self, source: str) -> None:
        shared = SHARED / "seeds" / "000_68d4463fb3b6b5b7.txt"
        if not shared.exists():
            pytest.skip("shared seed folder not available")
        assert source == shared.read_text(encoding="utf-8")


class TestSeedHeader:
    def test_title(self, article: Article) -> None:
        assert article.title == TITLE

    def test_infobox_has_the_eight_pairs_in_order(self, article: Article) -> None:
        assert article.infobox == INFOBOX

    def test_no_aliases(self, article: Article) -> None:
        assert article.aliases == ()

    def test_no_prologue(self, article: Article) -> None:
        assert article.prologue == ""

    def test_no_diagnostics(self, article: Article) -> None:
        assert article.diagnostics == ()
        assert not article.has_errors

    def test_path_is_kept(self, article: Article) -> None:
        assert article.path == str(SEED)


class TestSeedLead:
    def test_lead_is_the_single_paragraph_without_title_repeat_or_infobox(
        self, article: Article
    ) -> None:
        assert article.lead.text == LEAD

    def test_lead_shape(self, article: Article) -> None:
        lead = article.lead
        assert (lead.heading, lead.level, lead.anchor, lead.line) == ("", 1, "", 1)
        assert lead.links == ()
        assert lead.raw_heading == f"= {TITLE} =\n"

    def test_article_section_lookup_of_lead(self, article: Article) -> None:
        assert article.section("") is article.lead


class TestSeedSections:
    def test_outline(self, article: Article) -> None:
        outline = [(s.heading, s.level, s.anchor, s.line) for s in article.walk()]
        assert outline == [
            ("", 1, "", 1),
            ("Synopsis", 2, "synopsis", 15),
            ('"The Permanent Revolution"', 3, "the-permanent-revolution", 17),
            ('"Results and Prospects"', 3, "results-and-prospects", 22),
            ("Historical evaluation", 2, "historical-evaluation", 25),
            ("See also", 2, "see-also", 31),
        ]

    def test_top_level_sections(self, article: Article) -> None:
        assert [s.heading for s in article.sections] == [
            "Synopsis",
            "Historical evaluation",
            "See also",
        ]

    def test_synopsis_is_empty_and_holds_two_subsections(self, article: Article) -> None:
        synopsis = article.sections[0]
        assert synopsis.text == ""
        assert [c.heading for c in synopsis.children] == [
            '"The Permanent Revolution"',
            '"Results and Prospects"',
        ]
        assert all(c.children == () for c in synopsis.children)

    def test_the_permanent_revolution_text(self, article: Article) -> None:
        section = article.section("the-permanent-revolution")
        assert section is not None
        assert section.text == PERMANENT_1 + "\n\n" + PERMANENT_2

    def test_results_and_prospects_text(self, article: Article) -> None:
        section = article.section("results-and-prospects")
        assert section is not None
        assert section.text == RESULTS

    def test_historical_evaluation_text(self, article: Article) -> None:
        section = article.section("historical-evaluation")
        assert section is not None
        assert section.text == EVALUATION_1 + "\n\n" + EVALUATION_2
        assert section.children == ()

    def test_see_also_section(self, article: Article) -> None:
        section = article.section("see-also")
        assert section is not None
        assert section.text == "- Leon Trotsky bibliography"

    def test_see_also_links(self, article: Article) -> None:
        assert article.see_also == (
            Link(
                target="Leon Trotsky bibliography",
                fragment="",
                label="Leon Trotsky bibliography",
                kind="see_also",
                line=32,
                column=2,
            ),
        )
        assert article.see_also[0].address == "Leon Trotsky bibliography"

    def test_only_link_is_the_see_also_bullet(self, article: Article) -> None:
        assert article.links == article.see_also

    def test_heading_lines_match_the_source(self, article: Article, source: str) -> None:
        lines = source.split("\n")
        for section in article.walk():
            if section.heading:
                assert lines[section.line - 1] == section.raw_heading.rstrip("\n")
                assert section.heading in lines[section.line - 1]

    def test_outline_paths(self, article: Article) -> None:
        paths = [trail for _, trail in article.outline()]
        assert paths == [
            (),
            ("Synopsis",),
            ("Synopsis", '"The Permanent Revolution"'),
            ("Synopsis", '"Results and Prospects"'),
            ("Historical evaluation",),
            ("See also",),
        ]

    def test_unknown_anchor_is_none(self, article: Article) -> None:
        assert article.section("no-such-section") is None


class TestSeedLossless:
    def test_render_gives_back_the_source_exactly(self, article: Article, source: str) -> None:
        assert render(article) == source

    def test_every_word_is_kept(self, article: Article) -> None:
        """Only markup is dropped: the words of the file equal the words of the parts,
        with the title counted twice (the `= Title =` line and its repeat)."""
        words = re.compile(r"\w+")
        source_words = Counter(words.findall(SEED.read_text(encoding="utf-8")))
        parts = [article.title, article.title]
        parts += [f"{key} {value}" for key, value in article.infobox]
        for section in article.walk():
            parts += [section.heading, section.text]
        parsed_words = Counter(w for part in parts for w in words.findall(part))
        assert parsed_words == source_words
