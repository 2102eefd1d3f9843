"""MediaWiki templates: rendered by a rule, dropped by the documented list, or kept by the fallback.

Every template use is handled one of three ways, decided by its name (lower-cased, `_` as a
space, `Template:` and `subst:` dropped):

- **rule**: `RULES` (and the `lang-xx`, `IPA-xx`, `IPAc-xx`, `script/xx` families and the
  three-letter country codes) say how it reads as text; some make blocks of the article
  format (quotes, clades, population tables: template_blocks.py).
- **dropped**: the drop list (droplist.py) holds what is not article text, with a reason:
  citations and references, maintenance, navigation, layout, pictures.
- **fallback**: any other template keeps its positional arguments that read as text.

The infobox and disambiguation templates are read by the page renderer (wikitext.py).
`TemplateReport` counts what a dump holds and how each use was handled (`--report`).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from . import template_blocks as b
from . import template_numbers as n
from . import template_rules as r
from .droplist import listed
from .template_rules import Call, Rule

INFOBOXES = {"taxobox", "automatic taxobox", "speciesbox", "subspeciesbox", "geobox", "chembox",
             "drugbox"}  # fmt: skip
"""Infoboxes whose name does not start with "infobox"."""
DISAMBIGUATION = {
    "disambiguation", "disambig", "dab", "disamb", "hndis", "geodis", "numberdis", "mathdab",
    "set index article", "sia", "set index", "shipindex", "mountainindex", "roadindex",
    "sportindex", "given name", "surname", "letter-number combination disambiguation",
    "chinese title disambiguation", "disambiguation cleanup", "hospital disambiguation",
    "school disambiguation", "airport disambiguation", "call sign disambiguation",
    "species latin name disambiguation", "genus disambiguation", "place name disambiguation",
    "human name disambiguation", "lakeindex", "plant common name", "animal common name",
}  # fmt: skip


def _names(text: str) -> list[str]:
    return [name.strip() for name in text.replace("\n", ",").split(",") if name.strip()]


_GROUPS: list[tuple[str, Rule, str]] = [
    ("first argument", r.first, """
        nowrap, nobr, nobreak, small, smaller, big, larger, midsize, large, abbr, abbrlink, em,
        strong, var, mvar, math, tmath, sub, sup, smallcaps, small caps, sc, sc1, sc2,
        allcaps, visible anchor, vanchor, code, tt, mono, kbd, samp, not a typo, as written,
        proper name, flag, flagcountry, flagu, flag country, nts, ntsh, longitem, vr, lang-x,
        center, nowrap begin, nobold, noitalic, tooltip, nastaliq, resize, font,
        citation needed span,
        pronunciation, polytonic, ipa symbol, ipalink, ipa link, gaps, lang-rtl, ce,
        nihongo2, script/arabic, linktext
    """),
    ("language", r.lang, "lang, langx, native name, native phrase, script, rtl-lang"),
    ("link", r.interlanguage_link, "ill, interlanguage link, interlanguage link multi"),
    ("language", r.second, "lsj"),
    ("language", r.last, "transl, transliteration"),
    ("language", r.nihongo, "nihongo"),
    ("language", r.chinese, "zh, chinese"),
    ("pronunciation", r.ipa, "ipa"),
    ("pronunciation", r.wrapped("[", "]"), "ipaslink, ipa slink, ipablink, ipa blink"),
    ("pronunciation", r.respell, "respell"),
    ("brackets", r.wrapped("⟨", "⟩"), "angbr, angle bracket"),
    ("brackets", r.wrapped("[", "]"), "bracket"),
    ("joined list", r.joined(", "), """
        ubl, unbulleted list, flat list, vunblist, bulleted list, blist, ordered list
    """),
    ("joined list", r.joined(" · "), "hlist"),
    ("joined list", r.joined(" "), "sortname"),
    ("joined list", r.joined(" + "), "keypress, key press"),
    ("joined list", r.joined(""), "chem, chem2"),
    ("joined list", b.item_list, "collapsible list"),
    ("text", r.sic, "sic"),
    ("text", r.second, "sort"),
    ("text", r.url, "url"),
    ("text", r.color_text, "legend, legend inline, color box, color, colored"),
    ("text", r.bible_reference, "bibleref, bibleverse"),
    ("symbol", r.music, "music"),
    ("date", n.date, """
        birth date, death date, start date, end date, dts, date, film date, birth-date,
        death-date, start-date, end-date, birth date and age, start date and age,
        end date and age, dob, release date
    """),
    ("date", n.date_and_age, "death date and age"),
    ("date", n.year, "birth year and age, death year and age"),
    ("date", n.as_of, "as of"),
    ("date", r.prefixed("c. "), "circa, c."),
    ("date", r.prefixed("fl. "), "fl., floruit"),
    ("date", r.prefixed("r. "), "r., reign"),
    ("date", n.current_year, "currentyear"),
    ("date", n.old_style_date, "oldstyledate"),
    ("date", n.age, "age, age in years, age in years, months and days"),
    ("page", r.prefixed("p. "), "p."),
    ("page", r.prefixed("pp. "), "pp."),
    ("page", r.prefixed("vol. "), "vol."),
    ("number", n.format_number, "formatnum:"),
    ("number", n.formatted_first, "format price"),
    ("number", n.currency("US$"), "us$"),
    ("number", n.convert, "convert, cvt"),
    ("number", n.value, "val"),
    ("number", n.times_ten, "e"),
    ("number", n.power_of_ten, "10^"),
    ("number", n.fraction, "frac, fraction, sfrac"),
    ("number", n.percentage, "percentage"),
    ("number", n.significant_figures, "sigfig"),
    ("number", n.inflation, "inflation"),
    ("number", n.bar_table, "bartable"),
    ("number", n.bar_percent, "bar percent"),
    ("number", n.coordinates, "coord"),
    ("number", n.rail_gauge, "railgauge"),
    ("number", n.height, "height"),
    ("number", n.fossil_range, "fossil range"),
    ("code", r.icd, "icd9, icd10"),
    ("name", r.nuclide, "simplenuclide2, simplenuclide, nuclide2, nuclide"),
    ("name", r.marriage, "marriage"),
    ("name", r.ship, """
        ship, uss, hms, hmas, hmcs, hmnzs, ss, rms, sms, usns, uscgc, ins, hnlms, hnoms,
        hswms, hdms, mv
    """),
    ("name", r.dental_formula, "dentalformula"),
    ("quote", b.quote, """
        quote, blockquote, cquote, quotation, quote box, rquote, centered pull quote,
        poem quote, quote frame, bquote
    """),
    ("list", b.contents, """
        plainlist, flatlist, plain list, columns-list, col-list, div col, multicol
    """),
    ("list", b.columns, "columns"),
    ("list", b.bar_box, "bar box"),
    ("list", b.clade, "clade"),
    ("list", b.family_chart, "chart"),
    ("table", b.population_table, "historical populations, us census population"),
    ("table", b.crew_table, "spaceflight crew"),
]  # fmt: skip
_LITERALS = {
    "'": "'", "'s": "'s", "''": "''", "' \"": "'\"", "!": "|", "!!": "||", "pipe": "|",
    "=": "=", "·": " · ", "dot": " · ", "middot": " · ", "bull": " • ", "•": " • ",
    "snd": " – ", "snds": " – ", "spnd": " – ", "spaced ndash": " – ", "ndash": "–",
    "mdash": "—", "mdashb": "—", "spaced mdash": " — ", "thinsp": " ", "hair space": " ",
    "zwsp": "", "shy": "", "nbhyph": "-", "eqm": "⇌", "pow": " (POW)", "kia": " (KIA)",
    "wia": " (WIA)", "mia": " (MIA)", "dow": " (DOW)", "increase": "▲",
    "decrease": "▼", "steady": "▬", "up": "▲", "down": "▼", "same": "▬", "sp": " ",
}  # fmt: skip
RULES: dict[str, tuple[str, Rule]] = {
    **{name: (label, rule) for label, rule, names in _GROUPS for name in _names(names)},
    **{name: ("literal", r.literal(text)) for name, text in _LITERALS.items()},
    **{name: ("literal", r.repeated(" ")) for name in ("nbsp", "spaces", "space", "ns")},
}
PREFIX_RULES: tuple[tuple[str, str, Rule], ...] = (
    ("lang-", "language", r.first),
    ("ipac-", "pronunciation", r.ipa_keys),
    ("ipa-", "pronunciation", r.ipa_language),
    ("script/", "language", r.first),
)
COUNTRY_CODE = re.compile(r"[a-z]{3}\Z")
"""`{{USA}}`, `{{FRA}}`: flag templates named by a country's three-letter code."""


def dropped(name: str) -> str:
    """Why a template is not article text (its reason on the drop list), or ""."""
    if name in RULES or name.startswith("infobox") or name in INFOBOXES or name in DISAMBIGUATION:
        return ""
    return listed(name)


def rule_for(name: str, has_params: bool = False) -> tuple[str, Rule] | None:
    """The rule that renders this template, if one does."""
    found = RULES.get(name)
    if found is not None:
        return found
    for prefix, label, rule in PREFIX_RULES:
        if name.startswith(prefix):
            return label, rule
    if COUNTRY_CODE.match(name) and not has_params:
        return "country code", r.country_code
    return None


def handling(name: str) -> str:
    """How a name is handled: "rule", "dropped" or "fallback" (by its name alone)."""
    if name.startswith("infobox") or name in INFOBOXES or name in DISAMBIGUATION:
        return "rule"
    if dropped(name):
        return "dropped"
    return "rule" if rule_for(name) else "fallback"


def describe(name: str) -> str:
    """What the report says of a name: "rule: date", "dropped: citation or reference"..."""
    if name.startswith("infobox") or name in INFOBOXES:
        return "rule: infobox"
    if name in DISAMBIGUATION:
        return "rule: disambiguation"
    reason = dropped(name)
    if reason:
        return f"dropped: {reason}"
    found = rule_for(name)
    return f"rule: {found[0]}" if found else "fallback"


def render_template(call: Call) -> tuple[str, str]:
    """(text, how): the template's text by its rule or the fallback ("" when dropped), and
    "rule", "fallback" or "dropped"."""
    if dropped(call.name):
        return "", "dropped"
    found = rule_for(call.name, bool(call.node.params))
    if found is None:
        return r.fallback(call), "fallback"
    return found[1](call), "rule"


def normal_name(text: str) -> str:
    """A template's name as the lists hold it: lower-case, `_` as space, no `Template:`;
    a parser function or magic word (`formatnum:1,234`) by its name and colon
    (`#tag:ref` keeps its tag)."""
    name = " ".join(text.replace("_", " ").split()).lower()
    for prefix in ("subst:", "safesubst:", "template:", "msgnw:"):
        if name.startswith(prefix):
            name = name[len(prefix) :].strip()
    if ":" in name:
        head, _, rest = name.partition(":")
        if head == "#tag":
            return f"#tag:{rest.split()[0] if rest.split() else ''}"
        if head.startswith("#") or head in ("formatnum", "defaultsort", "displaytitle", "lc",
                                            "uc", "lcfirst", "ucfirst", "padleft"):  # fmt: skip
            return head + ":"
    return name


HOW = ("rule", "fallback", "dropped", "navigation")
"""How a use the renderer reached was handled; "navigation": a template standing alone
after a page's last text, where navboxes go."""


@dataclass
class TemplateReport:
    """Template uses in a dump: how many of each name, and how the renderer handled those it
    reached (the others were inside references, dropped templates or skipped fields)."""

    seen: Counter[str] = field(default_factory=Counter)
    handled: Counter[tuple[str, str]] = field(default_factory=Counter)
    """(name, one of `HOW`) -> uses."""

    def to_json(self) -> dict[str, object]:
        handled: dict[str, dict[str, int]] = {}
        for (name, how), uses in self.handled.items():
            handled.setdefault(name, {})[how] = uses
        return {"seen": dict(self.seen), "handled": handled}

    @classmethod
    def from_json(cls, data: object) -> TemplateReport:
        report = cls()
        if isinstance(data, dict):
            seen, handled = data.get("seen"), data.get("handled")
            if isinstance(seen, dict):
                report.seen.update({str(k): v for k, v in seen.items() if isinstance(v, int)})
            if isinstance(handled, dict):
                for name, counts in handled.items():
                    if isinstance(counts, dict):
                        for how, uses in counts.items():
                            if how in HOW and isinstance(uses, int):
                                report.handled[str(name), how] = uses
        return report

    def uses(self, name: str) -> dict[str, int]:
        """A name's uses by handling: rule, fallback, dropped (by the list, or standing where
        navboxes go), and `inside` (not reached: inside a dropped reference or template)."""
        counts = {how: self.handled[name, how] for how in HOW}
        counts["dropped"] += counts.pop("navigation")
        reached = sum(counts.values())
        left = max(self.seen[name] - reached, 0)
        dropped_by_name = handling(name) == "dropped"
        counts["dropped"] += left if dropped_by_name else 0
        counts["inside"] = 0 if dropped_by_name else left
        return counts

    def totals(self) -> dict[str, int]:
        totals: Counter[str] = Counter()
        for name in self.seen:
            totals.update(self.uses(name))
        return dict(totals)

    def lines(self, limit: int | None = None) -> list[str]:
        """The report as text: a summary, then one line per name, most used first."""
        totals = self.totals()
        rule, fallback, inside = (totals.get(k, 0) for k in ("rule", "fallback", "inside"))
        navigation = sum(uses for (_, how), uses in self.handled.items() if how == "navigation")
        rendered = rule + fallback
        unlisted = rendered + inside
        lines = [
            f"templates: {sum(self.seen.values()):,} uses of {len(self.seen):,} names",
            f"  dropped by the list: {totals.get('dropped', 0):,} (of which {navigation:,} "
            "by where they stand: alone after a page's text, where navigation boxes go)",
            f"  inside dropped parts (references, listed templates, picture captions, infobox "
            f"fields left out): {inside:,}",
            f"  rendered: {rendered:,}; by a rule {rule:,} ({rule / max(rendered, 1):.1%}), "
            f"by the fallback {fallback:,} ({fallback / max(rendered, 1):.1%})",
            f"  names not on the list: {unlisted:,} uses; by a rule {rule / max(unlisted, 1):.1%}"
            f", by the fallback {fallback / max(unlisted, 1):.1%}, inside dropped parts "
            f"{inside / max(unlisted, 1):.1%}",
            "",
            f"{'uses':>6}  {'template':<32} handling",
        ]
        ranked = sorted(self.seen.items(), key=lambda item: (-item[1], item[0]))
        for name, count in ranked[:limit]:
            counts = self.uses(name)
            how = describe(name)
            others = [
                f"{n} {OTHER_WORDS[k]}" for k, n in counts.items() if n and not how.startswith(k)
            ]
            if others:
                how += f" ({', '.join(others)})"
            lines.append(f"{count:>6}  {name[:32]:<32} {how}")
        return lines


OTHER_WORDS = {"rule": "by a rule", "fallback": "by the fallback", "dropped": "dropped",
               "inside": "inside dropped parts"}  # fmt: skip
