"""MediaWiki templates: rules, the drop list, the fallback, the report, infobox fields, and
the importer's converter version (a new conversion redoes an import of the same source)."""

from __future__ import annotations

import bz2
import json
from pathlib import Path

import pytest
from conftest import SHARED, cli_env, run_cli

from termpedia.content.display import plain_text
from termpedia.content.importers import converter
from termpedia.content.importers.base import Page, compose
from termpedia.content.importers.droplist import DROPPED
from termpedia.content.importers.mediawiki import MediaWikiConverter, RawPage, convert_page
from termpedia.content.importers.store import import_library
from termpedia.content.importers.templates import RULES, TemplateReport, describe, handling
from termpedia.content.parse import parse

SAMPLE = SHARED / "corpora" / "enwiki-sample.xml.bz2"
needs_sample = pytest.mark.skipif(not SAMPLE.is_file(), reason=f"no MediaWiki sample at {SAMPLE}")


def convert(text: str, title: str = "Test", report: TemplateReport | None = None) -> Page:
    page = convert_page(RawPage(title, 0, None, text), report=report)
    assert isinstance(page, Page), page
    return page


@pytest.mark.parametrize(
    ("wikitext", "shown"),
    [
        ("{{IPA|[ɬ]}}", "[ɬ]"),
        ("{{IPA|de|ˈʃpiːgl̩}}", "ˈʃpiːgl̩"),
        ("{{IPAc-en|ˈ|æ|n|ər|k|ɪ|z|əm}}", "/ˈænərkɪzəm/"),
        ("{{IPAc-en|US|ˈ|b|ɑː}}", "US: /ˈbɑː/"),
        ("{{IPA-de|ˈʃpiːgl̩|lang}}", "[ˈʃpiːgl̩]"),
        ("{{IPAslink|ɬ}}", "[ɬ]"),
        ("{{respell|AN|ər|kiz|əm}}", "AN-ər-kiz-əm"),
        ("{{sigfig|4.22|1}} million", "4 million"),
        ("{{sigfig|1234.5|2}}", "1,200"),
        ("{{convert|52419|sqmi|km2}}", "52,419 sq mi"),
        ("{{convert|3|to|5|mi|km}}", "3 to 5 mi"),
        ("{{convert|22|e6acre|km2}}", "22 million acres"),
        ("{{convert|5|ft|11|in|m}}", "5 ft 11 in"),
        ("{{birth date|1815|December|10}}", "10 December 1815"),
        ("{{birth date|1809|2|12}}", "12 February 1809"),
        ("{{death date and age|1865|4|15|1809|2|12}}", "15 April 1865 (aged 56)"),
        ("{{as of|2020|5|3}}", "As of 3 May 2020"),
        ("{{as of|2010|lc=y}}", "as of 2010"),
        ("{{sic|Hel|lo}}", "Hello"),
        ("{{ill|Foo|de|Foo (Deutsch)}}", "[[Foo]]"),
        ("{{nihongo|Aikido|合気道|Aikidō}}", "Aikido (合気道, Aikidō)"),
        ("{{angbr|a}}", "⟨a⟩"),
        ("{{lang|fr|Bonjour}} {{lang-fr|mot}} {{transl|ar|qalam}}", "Bonjour mot qalam"),
        ("{{frac|1|1|4}}", "1 1/4"),
        ("{{val|1.23|e=5|u=m}}", "1.23×10^5 m"),
        ("{{coord|42|30|N|1|30|E}}", "42°30′N 1°30′E"),
        ("{{US$|5}} {{USA}} {{Music|flat}}", "US$5 USA ♭"),
        ("{{SimpleNuclide2|lithium|7}} {{USS|Hornet|CV-12}}", "lithium-7 USS Hornet (CV-12)"),
        ("a{{nbsp}}b{{ndash}}c{{mdash}}d {{sortname|Ada|Lovelace}}", "a b–c—d Ada Lovelace"),
        ("Battle of Shiloh{{KIA}}", "Battle of Shiloh (KIA)"),
        ("{{Inflation|US|800|1861}}", "800 of 1861"),
        ("{{formatnum:1234567}}", "1,234,567"),
        ("{{Unknown template|kept words|left|20px|#fff|more}}", "kept words more"),
    ],
)
def test_rules_and_the_fallback_keep_the_text(wikitext: str, shown: str) -> None:
    assert convert(wikitext).lead == shown


def test_the_drop_list_drops_what_is_not_article_text() -> None:
    page = convert(
        "Text{{cite web|title=x}}{{sfn|A|2000|p=1}}{{harvnb|A|2000}}{{refn|a note}}{{efn|n}}"
        "{{rp|5}}{{citation needed|date=May 2016}}{{flagicon|France}}.\n{{main|X}}\n"
        "{{Navbox|title=Everything|list1=[[A]]}}\n{{Anarchism sidebar}}\n{{Use dmy dates}}"
    )
    assert page.lead == "Text."


@pytest.mark.parametrize(
    ("name", "how"),
    [
        ("cite web", "dropped: citation or reference"),
        ("sfn", "dropped: citation or reference"),
        ("harvnb", "dropped: citation or reference"),
        ("refn", "dropped: citation or reference"),
        ("efn", "dropped: citation or reference"),
        ("flagicon", "dropped: picture"),
        ("citation needed", "dropped: maintenance"),
        ("pp-move-indef", "dropped: maintenance"),
        ("main", "dropped: navigation"),
        ("anarchism sidebar", "dropped: navigation"),
        ("convert", "rule: number"),
        ("ipac-en", "rule: pronunciation"),
        ("ipa-de", "rule: pronunciation"),
        ("infobox person", "rule: infobox"),
        ("some unknown template", "fallback"),
    ],
)
def test_how_each_name_is_handled(name: str, how: str) -> None:
    assert describe(name) == how
    assert handling(name) == how.split(":")[0]


def test_no_name_is_both_ruled_and_listed() -> None:
    assert set(RULES) & set(DROPPED) == set()


def test_coordinates_by_the_title_go_to_the_infobox() -> None:
    page = convert("{{coord|32.7|-86.7|display=title}}Text.")
    assert (page.lead, page.infobox) == ("Text.", (("Coordinates", "32.7°N 86.7°W"),))


def test_templates_alone_after_the_last_text_are_navigation() -> None:
    report = TemplateReport()
    page = convert(
        "{{Unknown thing|word}} text.\n== Part ==\nMore.\n\n{{Alabama topics}}\n"
        "{{Some navbox name}}\n{{Another box|x}}\n[[Category:Things]]\n",
        report=report,
    )
    assert (page.lead, page.sections) == ("word text.", ((2, "Part", "More."),))
    assert report.handled["unknown thing", "fallback"] == 1
    assert report.handled["some navbox name", "navigation"] == 1
    assert report.handled["another box", "navigation"] == 1
    assert report.uses("alabama topics") == {"rule": 0, "fallback": 0, "dropped": 1, "inside": 0}


def test_the_report_counts_uses_and_how_they_were_handled() -> None:
    report = TemplateReport()
    convert("{{convert|5|km}}<ref>{{cite web|title={{lang|fr|x}}}}</ref> {{zzzz|a}}", report=report)
    assert report.seen == {"convert": 1, "cite web": 1, "lang": 1, "zzzz": 1}
    assert report.uses("convert") == {"rule": 1, "fallback": 0, "dropped": 0, "inside": 0}
    assert report.uses("lang") == {"rule": 0, "fallback": 0, "dropped": 0, "inside": 1}
    assert report.uses("cite web")["dropped"] == 1
    assert report.totals() == {"rule": 1, "fallback": 1, "dropped": 1, "inside": 1}
    again = TemplateReport.from_json(json.loads(json.dumps(report.to_json())))
    assert again == report
    lines = again.lines()
    assert lines[0] == "templates: 4 uses of 4 names"
    assert "  rendered: 2; by a rule 1 (50.0%), by the fallback 1 (50.0%)" in lines
    assert lines[-4:] == [
        "     1  cite web                         dropped: citation or reference",
        "     1  convert                          rule: number",
        "     1  lang                             rule: language (1 inside dropped parts)",
        "     1  zzzz                             fallback",
    ]


INFOBOX = """{{Infobox language
| name = Examplish
| familycolor = Afro-Asiatic
| cianame = ao
| ref = e18
| edbr = 172nd
| speakers = {{sigfig|4.22|1}} million
| fam1 = [[Afro-Asiatic languages|Afro-Asiatic]]
| fam2 = Semitic
| iso3 = exm
| image = Example.png
| map_caption = Where it is spoken
| label1 = Born | data1 = 1900
| alternative_name = Examplic
| altitude = 5 m
| latd = 42 | longd = 1
| OfficialLang = English
| bgcolour = #0000FF
}}
Examplish is a language."""


def test_infobox_fields_have_human_labels_and_no_codes() -> None:
    assert convert(INFOBOX).infobox == (
        ("Name", "Examplish"),
        ("Ease of doing business rank", "172nd"),
        ("Speakers", "4 million"),
        ("Language family", "Afro-Asiatic › Semitic"),
        ("ISO 639-3", "exm"),
        ("Born", "1900"),
        ("Alternative name", "Examplic"),
        ("Altitude", "5 m"),
        ("Official lang", "English"),
    )


# --- the shared sample, the command line and re-imports ---------------------------------


@needs_sample
def test_sample_article_with_ipa_and_convert_shows_their_text() -> None:
    pages = {
        item.title: item
        for item in MediaWikiConverter().items(SAMPLE)
        if isinstance(item, Page) and item.title in ("Alabama", "Andorra")
    }
    alabama = plain_text(parse(compose(pages["Alabama"])))
    assert "Alabama (/ˌæləˈbæmə/) is a state" in alabama  # {{IPAc-en|…}}
    assert "with 52,419 sq mi of total area" in alabama  # {{convert|52419|sqmi|km2|…}}
    assert "at a height of 2,413 ft" in alabama
    andorra = plain_text(parse(compose(pages["Andorra"])))
    assert "Andorra (/ænˈdɔ:rə/; [ənˈdorə], [anˈdɔra])" in andorra  # IPAc-en, IPA-ca


@needs_sample
def test_sample_report_renders_nine_in_ten_uses_by_a_rule() -> None:
    conversion = MediaWikiConverter()
    for _ in conversion.items(SAMPLE):
        pass
    totals = conversion.templates.totals()
    assert sum(conversion.templates.seen.values()) > 10_000
    assert totals["rule"] / (totals["rule"] + totals["fallback"]) >= 0.9


def small_dump(tmp_path: Path) -> Path:
    from test_mediawiki import dump
    from test_wikitext_blocks import SPANS

    source = tmp_path / "films.xml.bz2"
    text = dump(("Filmography", 0, SPANS + "\n{{convert|5|km}} and {{zzzz|kept}}."), lang="en")
    source.write_bytes(bz2.compress(text.encode()))
    return source


def test_cli_import_report_and_show_of_a_table_at_80_columns(tmp_path: Path) -> None:
    source = small_dump(tmp_path)
    env = cli_env(tmp_path / "cli")
    done = run_cli(env, "import", "mediawiki", str(source), "--report", timeout=120)
    assert done.code == 0, done.err
    assert "templates: 2 uses of 2 names" in done.out
    assert "     1  convert                          rule: number" in done.out
    again = run_cli(env, "import", "mediawiki", str(source), "--report", timeout=120)
    assert "already imported" in again.out and "templates: 2 uses of 2 names" in again.out
    shown = run_cli(env, "show", "Filmography", timeout=120)
    assert shown.code == 0, shown.err
    assert (
        "\n".join(
            [
                "Year │ Title          │ Role",
                "─────┼────────────────┼────────────────",
                "1961 │ Swing Low      │ Himself",
                "1961 │ Ballad in Blue │ Himself",
                "1989 │ Limit Up       │",
                "2004 │ Ray            │ Archive footage",
            ]
        )
        in shown.out
    )
    found = run_cli(env, "search", '"Ballad in Blue"', "--json", timeout=120)
    assert found.code == 0, found.err
    hits = json.loads(found.out)
    assert (hits[0]["title"], "Ballad in Blue" in hits[0]["snippet"]) == ("Filmography", True)


def test_a_new_conversion_imports_the_same_source_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = small_dump(tmp_path)
    first = import_library(converter("mediawiki"), source)
    assert not first.unchanged and first.version == "2.2"
    assert import_library(converter("mediawiki"), source).unchanged
    monkeypatch.setattr(MediaWikiConverter, "version", 3)
    third = import_library(converter("mediawiki"), source)
    assert not third.unchanged and third.version == "2.3"
