"""The rules that render MediaWiki templates as text: one small function per kind of template."""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol

from mwparserfromhell.nodes import Template
from mwparserfromhell.wikicode import Wikicode

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")  # fmt: skip
_MONTH_NUMBERS = {m.lower(): n for n, m in enumerate(MONTHS, 1)} | {
    m[:3].lower(): n for n, m in enumerate(MONTHS, 1)
}
RANGE_WORDS = {"-": "–", "–": "–", "to": "to", "and": "and", "or": "or", "by": "by", "x": "×",
               "+/-": "±", "to(-)": "to", "&": "&", "and(-)": "and"}  # fmt: skip
UNITS = {"km2": "km²", "m2": "m²", "sqkm": "km²", "sqmi": "sq mi", "mi2": "sq mi",
         "ft2": "sq ft", "sqft": "sq ft", "m3": "m³", "km3": "km³", "cuft": "cu ft",
         "C": "°C", "F": "°F", "kmh": "km/h", "km/h": "km/h", "ha": "ha",
         "acre": "acres", "nmi": "nmi", "kn": "kn", "e6km2": "million km²"}  # fmt: skip
LANGUAGE_CODE = re.compile(r"[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*\Z")
IPAC_LABELS = {"lang": "English pronunciation:", "pron": "pronunciation:", "local": "locally:",
               "also": "also", "uk": "UK:", "us": "US:", "ca": "Canada:", "au": "Australia:",
               "nz": "NZ:", "ie": "Ireland:", "sa": "South Africa:"}  # fmt: skip
STYLE_VALUE = re.compile(
    r"(?:#?[0-9a-f]{3,6}|\d+(?:\.\d+)?(?:px|em|%)|left|right|center|none|yes|no|y|n|thumb|"
    r"upright|inline|title|(?:background|color|font|text-align|width)\s*:.*)\Z",
    re.I,
)


class Renderer(Protocol):
    """What the rules need from the page renderer (importers/wikitext.py)."""

    def text(self, code: Wikicode | None, plain: bool) -> str:
        """The code as text: links kept as `[[links]]` unless `plain`; lines kept."""
        ...

    def clean(self, text: str) -> str:
        """Rendered text (from `text`) tidied and with its blocks in place: ready to be put
        into a block of a rule's own (a quote's lines)."""
        ...

    def block(self, text: str) -> str:
        """A block of the article format (a table, a quote, a list), kept as it is in a
        section's body; inside a table cell, an infobox value or a heading, its lines joined."""
        ...

    def visit(self, node: Template) -> None:
        """Count a template that a rule reads itself (a nested `{{clade}}`) as rendered."""
        ...

    def field(self, label: str, value: str) -> None:
        """Add a field to the page's infobox (coordinates shown by the title)."""
        ...


@dataclass
class Call:
    """One template use: its name (normalised), its arguments, and how to render them."""

    name: str
    node: Template
    renderer: Renderer
    plain: bool
    positional: list[Wikicode] = field(default_factory=list)
    """Unnamed arguments and `N=` ones, in MediaWiki's order (a gap is an empty argument)."""

    def __post_init__(self) -> None:
        found: dict[int, Wikicode] = {}
        number = 0
        for param in self.node.params:
            key = str(param.name).strip()
            if not param.showkey:
                number += 1
                found[number] = param.value
            elif key.isdigit() and 0 < int(key) < 1000:
                found[int(key)] = param.value
        last = max(found, default=0)
        self.positional = [found.get(n, Wikicode([])) for n in range(1, last + 1)]

    def arg(self, index: int) -> str:
        """Argument `index` (0-based) as text, links kept unless plain."""
        if index < 0 or index >= len(self.positional):
            return ""
        return self.renderer.text(self.positional[index], self.plain).strip()

    def word(self, index: int) -> str:
        """Argument `index` as one line of plain text."""
        if index < 0 or index >= len(self.positional):
            return ""
        return " ".join(self.renderer.text(self.positional[index], True).split())

    def args(self) -> list[str]:
        return [self.arg(n) for n in range(len(self.positional))]

    def words(self) -> list[str]:
        return [self.word(n) for n in range(len(self.positional))]

    def named(self, *keys: str, plain: bool | None = None) -> str:
        """The first of these named arguments that is given and not empty, as text."""
        for key in keys:
            if self.node.has(key):
                text = self.renderer.text(self.node.get(key).value, self.plain or bool(plain))
                if text.strip():
                    return text.strip()
        return ""


Rule = Callable[[Call], str]


# --- text ------------------------------------------------------------------------------


def first(call: Call) -> str:
    return call.arg(0)


def second(call: Call) -> str:
    return call.arg(1) or call.arg(0)


def last(call: Call) -> str:
    return call.arg(len(call.positional) - 1)


def literal(text: str) -> Rule:
    return lambda call: text


def repeated(text: str) -> Rule:
    """`{{nbsp|3}}`: the text as many times as the argument says (once without)."""

    def rule(call: Call) -> str:
        count = call.word(0)
        return text * (min(int(count), 20) if count.isdigit() else 1)

    return rule


def joined(separator: str) -> Rule:
    return lambda call: separator.join(text for text in call.args() if text)


def wrapped(before: str, after: str) -> Rule:
    def rule(call: Call) -> str:
        text = call.arg(0)
        return f"{before}{text}{after}" if text else ""

    return rule


def prefixed(prefix: str) -> Rule:
    """`{{circa|1900}}` -> "c. 1900"; `{{pp.|58|59}}` -> "pp. 58–59"."""

    def rule(call: Call) -> str:
        text = "–".join(word for word in call.words()[:2] if word)
        return f"{prefix}{text}" if text else prefix.strip()

    return rule


def lang(call: Call) -> str:
    """`{{lang|fr|Bonjour}}`, `{{langx|fr|Bonjour}}`: the text, not the language code."""
    return call.arg(1) or call.arg(0)


def text_or_first(call: Call) -> str:
    return call.named("text", "1") or call.arg(0)


def url(call: Call) -> str:
    return call.word(1) or call.word(0)


def color_text(call: Call) -> str:
    """`{{legend|#FAEB86|indicates the winner}}`, `{{color|red|text}}`: the text."""
    return call.named("text") or call.arg(1)


def fallback(call: Call) -> str:
    """An unknown template keeps its positional arguments that read as text (not styling,
    sizes, colours or file names), joined by spaces."""
    kept = [text for text in call.args() if text and not STYLE_VALUE.match(text.strip())]
    return " ".join(kept)


# --- dates and numbers -----------------------------------------------------------------


def _month(text: str) -> int:
    text = text.strip().lower()
    if text.isdigit():
        number = int(text)
        return number if 1 <= number <= 12 else 0
    return _MONTH_NUMBERS.get(text[:3] if len(text) > 3 else text, 0) if text[:1].isalpha() else 0


def _date_of(parts: list[str]) -> str:
    """(year, month, day) as "12 February 1809", "February 1809" or "1809"."""
    year = parts[0].strip() if parts else ""
    month = _month(parts[1]) if len(parts) > 1 else 0
    day = parts[2].strip() if len(parts) > 2 else ""
    if not month:
        return year
    if day.isdigit() and 1 <= int(day) <= 31:
        return f"{int(day)} {MONTHS[month - 1]} {year}"
    return f"{MONTHS[month - 1]} {year}"


def _dated(call: Call) -> list[str]:
    return [word for word in call.words() if word and "=" not in word]


def date(call: Call) -> str:
    """`{{birth date|1809|2|12}}`, `{{start date|1815|December|10}}` -> "12 February 1809"."""
    parts = _dated(call)
    if len(parts) == 1 and not parts[0].isdigit():
        return parts[0]  # {{date|1 May 2000}}
    return _date_of(parts[:3])


def date_and_age(call: Call) -> str:
    """`{{death date and age|1865|4|15|1809|2|12}}` -> "15 April 1865 (aged 56)"."""
    parts = _dated(call)
    shown = _date_of(parts[:3])
    numbers = [int(p) if p.isdigit() else _month(p) for p in parts[:6]]
    if len(numbers) == 6 and all(numbers):
        end, start = numbers[:3], numbers[3:]
        age = end[0] - start[0] - ((end[1], end[2]) < (start[1], start[2]))
        return f"{shown} (aged {age})"
    return shown


def as_of(call: Call) -> str:
    """`{{as of|2020|5|3}}` -> "As of 3 May 2020" (`lc=y`: "as of")."""
    alternative = call.named("alt")
    if alternative:
        return alternative
    words = "as of" if call.named("lc", plain=True).lower() in ("y", "yes", "on") else "As of"
    shown = _date_of(_dated(call)[:3])
    return f"{words} {shown}" if shown else words


def year(call: Call) -> str:
    return _dated(call)[0] if _dated(call) else ""


def current_year(call: Call) -> str:
    return str(datetime.date.today().year)


def number_text(text: str) -> str:
    """A number with thousands separators, if it is one; else the text."""
    plain = text.replace(",", "").strip()
    try:
        value = float(plain)
    except ValueError:
        return text.strip()
    if "." in plain:
        whole, _, decimals = plain.partition(".")
        return f"{int(whole or 0):,}.{decimals}" if whole.lstrip("-").isdigit() else plain
    return f"{int(value):,}"


def format_number(call: Call) -> str:
    """`{{formatnum:1234567}}` -> "1,234,567" (the number is in the name)."""
    text = call.renderer.text(call.node.name, True).strip()
    return number_text(text.partition(":")[2] if ":" in text else text)


def _unit(text: str) -> str:
    """A unit as shown: `km2` -> "km²", `e6acre` -> "million acres"."""
    scaled = re.fullmatch(r"e(3|6|9|12)(.+)", text)
    if scaled:
        size = {"3": "thousand", "6": "million", "9": "billion", "12": "trillion"}
        return f"{size[scaled.group(1)]} {_unit(scaled.group(2))}"
    return UNITS.get(text, text)


def _amount(text: str) -> str:
    return number_text(text) if _is_number(text) else text


def convert(call: Call) -> str:
    """`{{convert|5|km|mi}}` -> "5 km"; `{{convert|3|to|5|mi}}` -> "3 to 5 mi";
    `{{convert|5|ft|11|in|m}}` -> "5 ft 11 in" (the source's value, not its conversion)."""
    parts = [p for p in call.words() if p]
    if not parts:
        return ""
    first = _amount(parts[0])
    if len(parts) >= 4 and parts[1] in RANGE_WORDS:
        word, second = RANGE_WORDS[parts[1]], _amount(parts[2])
        joint = f"{first}–{second}" if word == "–" else f"{first} {word} {second}"
        return f"{joint} {_unit(parts[3])}"
    if len(parts) >= 4 and _is_number(parts[2]) and not _is_number(parts[3]):
        return f"{first} {_unit(parts[1])} {_amount(parts[2])} {_unit(parts[3])}"
    return f"{first} {_unit(parts[1])}" if len(parts) > 1 else first


def _is_number(text: str) -> bool:
    return bool(re.fullmatch(r"[-+−]?[\d,]*\.?\d+(?:e-?\d+)?", text))


def value(call: Call) -> str:
    """`{{val|1.23|0.01|e=5|u=m}}` -> "1.23 ± 0.01×10^5 m"."""
    text = call.word(0)
    if call.word(1):
        text += f" ± {call.word(1)}" if not call.word(2) else f" +{call.word(1)} −{call.word(2)}"
    exponent = call.named("e", plain=True)
    if exponent:
        text += f"×10^{exponent}"
    unit = call.named("u", "ul", plain=True)
    per = call.named("up", "upl", plain=True)
    return " ".join(part for part in (text, unit + (f"/{per}" if per else "")) if part)


def times_ten(call: Call) -> str:
    return f"×10^{call.word(0)}"


def power_of_ten(call: Call) -> str:
    return f"10^{call.word(0)}"


def fraction(call: Call) -> str:
    parts = [p for p in call.words() if p]
    if len(parts) == 3:
        return f"{parts[0]} {parts[1]}/{parts[2]}"
    return "/".join(parts) if len(parts) == 2 else (f"1/{parts[0]}" if parts else "")


def percentage(call: Call) -> str:
    """`{{percentage|1|3|1}}` -> "33.3%"."""
    try:
        share = float(call.word(0)) / float(call.word(1)) * 100
        digits = int(call.word(2)) if call.word(2).isdigit() else 0
    except (ValueError, ZeroDivisionError):
        return ""
    return f"{share:.{digits}f}%"


def inflation(call: Call) -> str:
    """`{{inflation|US|800|1861}}` -> "800 of 1861": the adjusted value needs price data
    termpedia does not have, so the amount and its year are shown instead."""
    amount, when = call.word(1), call.word(2)
    return f"{number_text(amount)} of {when}" if amount and when else amount


def bar_table(call: Call) -> str:
    """`{{bartable|87.5|%|2}}`: the number and its suffix (the bar is a picture)."""
    return f"{call.word(0)}{call.word(1)}"


def bar_percent(call: Call) -> str:
    """`{{bar percent|Muslim|green|98}}` -> "Muslim: 98%"."""
    label, share = call.arg(0), call.word(2)
    return f"{label}: {share}%" if share else label


def coordinates(call: Call) -> str:
    """`{{coord|42|30|N|1|30|E}}` -> "42°30′N 1°30′E"; `{{coord|32.7|-86.7}}` -> "32.7°N 86.7°W".
    Coordinates shown by the title only (`display=title`) go to the infobox."""
    text = _coordinates(call)
    display = call.named("display", plain=True).lower()
    if "title" in display and "inline" not in display and "it" not in display.split(","):
        call.renderer.field("Coordinates", text)
        return ""
    return text


def _coordinates(call: Call) -> str:
    parts = [p for p in call.words() if p and ":" not in p and "=" not in p]
    hemispheres = [n for n, p in enumerate(parts) if p.upper() in ("N", "S", "E", "W")]
    if len(hemispheres) >= 2:
        first_mark, second_mark = hemispheres[:2]
        latitude = _dms(parts[:first_mark]) + parts[first_mark].upper()
        longitude = _dms(parts[first_mark + 1 : second_mark]) + parts[second_mark].upper()
        return f"{latitude} {longitude}"
    try:
        lat, lon = float(parts[0]), float(parts[1])
    except (ValueError, IndexError):
        return ""
    north = f"{abs(lat):g}°{'N' if lat >= 0 else 'S'}"
    return f"{north} {abs(lon):g}°{'E' if lon >= 0 else 'W'}"


def _dms(parts: list[str]) -> str:
    marks = ("°", "′", "″")
    return "".join(f"{p}{m}" for p, m in zip(parts[:3], marks, strict=False))


def rail_gauge(call: Call) -> str:
    """`{{RailGauge|1435mm}}` -> "1,435 mm"."""
    found = re.fullmatch(r"(\d+)\s*(mm|ft|in|m)?", call.word(0))
    if found is None:
        return call.word(0)
    return f"{number_text(found.group(1))} {found.group(2) or 'mm'}"


def height(call: Call) -> str:
    """`{{height|ft=5|in=11}}` -> "5 ft 11 in"; `{{height|m=1.8}}` -> "1.8 m"."""
    parts = [f"{call.named(unit, plain=True)} {unit}" for unit in ("m", "cm", "ft", "in")]
    return " ".join(part for part in parts if part[0] != " ")


def fossil_range(call: Call) -> str:
    """`{{fossil range|370|0}}` -> "370–0 Ma" (million years ago)."""
    start, end = call.word(0), call.word(1)
    numeric = _is_number(start) and (not end or _is_number(end))
    joined_range = f"{start}–{end}" if end else start
    return (f"{joined_range} Ma" if numeric and start else joined_range) + " "


def nuclide(call: Call) -> str:
    """`{{SimpleNuclide2|lithium|7}}` -> "lithium-7"."""
    element, mass = call.word(0), call.word(1)
    return f"{element}-{mass}" if mass else element


def ship(call: Call) -> str:
    """`{{USS|Hornet|CV-12}}` -> "USS Hornet (CV-12)"; `{{ship|HMS|Dreadnought|1906}}`."""
    parts = call.words()
    if call.name == "ship":
        prefix, parts = parts[:1], parts[1:]
    else:
        prefix = [call.name.upper()]
    name = " ".join(prefix + parts[:1])
    return f"{name} ({parts[1]})" if len(parts) > 1 and parts[1] else name


def marriage(call: Call) -> str:
    """`{{marriage|Mary Todd|1842|1865|end=died}}` -> "Mary Todd (m. 1842; died 1865)"."""
    who, start, end = call.arg(0), call.word(1), call.word(2)
    how = call.named("end", "reason", plain=True)
    dates = f"m. {start}" + (f"; {how + ' ' if how else ''}{end}" if end else "")
    return f"{who} ({dates})" if start else who


# --- pronunciation and scripts ---------------------------------------------------------


def ipa(call: Call) -> str:
    """`{{IPA|[ɬ]}}`, `{{IPA|de|ˈʃpiːgl̩}}`: the transcription as written."""
    words = call.words()
    if len(words) >= 2 and words[1] and LANGUAGE_CODE.match(words[0]):
        return words[1]
    return words[0] if words else ""


def ipa_language(call: Call) -> str:
    """`{{IPA-de|ˈʃpiːgl̩|lang}}` -> "[ˈʃpiːgl̩]"."""
    text = call.word(0)
    return text if not text or text[:1] in "[/" else f"[{text}]"


def ipa_keys(call: Call) -> str:
    """`{{IPAc-en|ˈ|æ|n|ər|k|ɪ|z|əm}}` -> "/ˈænərkɪzəm/", labels such as `US` first."""
    segments = [word for word in call.words() if word]
    labels = []
    while segments and segments[0].lower() in IPAC_LABELS:
        labels.append(IPAC_LABELS[segments.pop(0).lower()])
    body = "".join(", " if s == "," else s.replace("_", " ") for s in segments)
    return " ".join([*labels, f"/{body}/"]) if body else " ".join(labels)


def respell(call: Call) -> str:
    """`{{respell|AN|ər|kiz|əm}}` -> "AN-ər-kiz-əm"."""
    return "-".join(word.replace("_", " ") for word in call.words() if word)


def nihongo(call: Call) -> str:
    """`{{nihongo|Aikido|合気道|Aikidō}}` -> "Aikido (合気道, Aikidō)"."""
    english, kanji, romaji = call.arg(0), call.word(1), call.word(2)
    inner = ", ".join(text for text in (kanji, romaji) if text)
    head = english or romaji
    return f"{head} ({inner})" if head and inner and head != inner else head or inner


def chinese(call: Call) -> str:
    """`{{zh|t=…|s=…|p=…}}`: the forms given, in order, apart by semicolons."""
    keys = [str(p.name).strip() for p in call.node.params if p.showkey]
    shown = [call.named(key) for key in keys if key in ("t", "s", "c", "p", "j", "w", "l", "y")]
    return "; ".join(text for text in shown if text)


# --- marks and symbols -----------------------------------------------------------------

MUSIC = {"flat": "♭", "b": "♭", "sharp": "♯", "#": "♯", "natural": "♮", "doubleflat": "𝄫",
         "bb": "𝄫", "doublesharp": "𝄪", "x": "𝄪"}  # fmt: skip


def music(call: Call) -> str:
    return MUSIC.get(call.word(0).lower(), call.word(0))


def sic(call: Call) -> str:
    """`{{sic|Hel|lo}}` -> "Hello"."""
    return "".join(call.args())


def country_code(call: Call) -> str:
    """`{{USA}}`, `{{FRA}}`: a flag and a country; its three-letter code is kept."""
    return call.name.upper()


def icd(call: Call) -> str:
    """`{{ICD10|F|84|0}}` -> "F84.0"; `{{ICD9|299.00}}` -> "299.00"."""
    words = [word for word in call.words() if word]
    if call.name == "icd9" or len(words) < 2:
        return words[0] if words else ""
    return f"{words[0]}{words[1]}" + (f".{words[2]}" if len(words) > 2 and words[2] else "")


def old_style_date(call: Call) -> str:
    """`{{OldStyleDate|22 February|1732|11 February}}` -> "22 February [O.S. 11 February] 1732"."""
    day, year_text, old = call.word(0), call.word(1), call.word(2)
    return " ".join(part for part in (day, f"[O.S. {old}]" if old else "", year_text) if part)


def age(call: Call) -> str:
    """`{{age|1809|2|12|1865|4|15}}` -> "56" (years between two dates)."""
    numbers = [int(w) if w.isdigit() else _month(w) for w in _dated(call)[:6]]
    if len(numbers) < 6 or not all(numbers):
        return ""
    start, end = numbers[:3], numbers[3:]
    return str(end[0] - start[0] - ((end[1], end[2]) < (start[1], start[2])))


def currency(symbol: str) -> Rule:
    """`{{US$|5}}` -> "US$5"."""
    return lambda call: f"{symbol}{call.word(0)}"


def bible_reference(call: Call) -> str:
    """`{{bibleref|John|3:16}}` -> "John 3:16"."""
    return " ".join(word for word in call.words()[:2] if word)


def dental_formula(call: Call) -> str:
    """`{{dentalformula|upper=3.1.4.3|lower=3.1.4.3}}` -> "3.1.4.3 / 3.1.4.3"."""
    return " / ".join(p for p in (call.named("upper"), call.named("lower")) if p)


def formatted_first(call: Call) -> str:
    """`{{format price|3160384}}` -> "3,160,384"."""
    return number_text(call.arg(0))


def significant_figures(call: Call) -> str:
    """`{{sigfig|4.22|1}}` -> "4": the number rounded to that many significant figures."""
    try:
        number, digits = float(call.word(0).replace(",", "")), int(call.word(1) or 0)
    except ValueError:
        return call.word(0)
    if digits <= 0 or number == 0:
        return call.word(0)
    shown = float(f"{number:.{digits}g}")
    return f"{shown:,.0f}" if shown == int(shown) and abs(shown) >= 1 else f"{shown:g}"


def interlanguage_link(call: Call) -> str:
    """`{{ill|Foo|de|Foo (Deutsch)}}` -> `[[Foo]]`: the article that should exist here (`lt=`
    its label), the other language's article left out."""
    target = call.word(0)
    label = call.named("lt", plain=True) or target
    if call.plain or not target:
        return label
    return f"[[{target}]]" if label == target else f"[[{target}|{label}]]"
