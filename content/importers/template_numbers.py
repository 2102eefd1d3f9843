"""Template rules for dates and numbers: dates, ages, units, coordinates, counts."""

from __future__ import annotations

import datetime
import re

from .template_rules import Call, Rule

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
