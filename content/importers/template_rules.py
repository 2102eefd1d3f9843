"""The rules that render MediaWiki templates as text: one small function per kind of template."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol

from mwparserfromhell.nodes import Template
from mwparserfromhell.wikicode import Wikicode

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


def bible_reference(call: Call) -> str:
    """`{{bibleref|John|3:16}}` -> "John 3:16"."""
    return " ".join(word for word in call.words()[:2] if word)


def dental_formula(call: Call) -> str:
    """`{{dentalformula|upper=3.1.4.3|lower=3.1.4.3}}` -> "3.1.4.3 / 3.1.4.3"."""
    return " / ".join(p for p in (call.named("upper"), call.named("lower")) if p)


def interlanguage_link(call: Call) -> str:
    """`{{ill|Foo|de|Foo (Deutsch)}}` -> `[[Foo]]`: the article that should exist here (`lt=`
    its label), the other language's article left out."""
    target = call.word(0)
    label = call.named("lt", plain=True) or target
    if call.plain or not target:
        return label
    return f"[[{target}]]" if label == target else f"[[{target}|{label}]]"
