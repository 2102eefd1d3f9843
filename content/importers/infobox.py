"""Infobox parameters as fields with human labels; styling, references, pictures and codes left out.

- A parameter is left out when a word of its name says it is a picture, a caption, a map,
  coordinates, styling, a reference or a footnote (`image`, `caption`, `alt`, `map`,
  `coordinates`, `color`, `style`, `width`, `ref`, `footnotes`, ...), when its name ends in
  `color`, `colour`, `style`, `class`, `ref` or `refs` (`familycolor`, `bodystyle`, `gini_ref`),
  when it is an internal code or switch (`CODES`: `cianame`, `glottorefname`, `module`,
  `embed`, `nocat`, `status_system`, ...), or when its value names a picture file.
- Numbered pairs become one field each: `label1`/`data1` (the generic infobox),
  `leader_title1`/`leader_name1`, `established_event1`/`established_date1`,
  `subdivision_type1`/`subdivision_name1`, `blank_name1`/`blank_info1` read
  `Label: data`; numbered lists become one field (`fam1`..`famN`: "Language family",
  `child1`.. : "Subdivisions", `dia1`.. : "Dialects").
- Labels are names made readable: `birth_date` -> "Birth date", `OfficialLang` -> "Official
  lang", `gdp_ppp` -> "GDP PPP", and a few known abbreviations spelled out (`LABELS`).
"""

from __future__ import annotations

import re

SKIPPED_WORDS = {
    "image", "images", "img", "caption", "alt", "signature", "map", "maps", "mapsize",
    "mapcaption", "logo", "pushpin", "footnote", "footnotes", "upright", "width", "size",
    "coord", "coords", "coordinates", "color", "colour", "style", "class", "float", "align",
    "border", "background", "bgcolor", "bgcolour", "font", "ref", "refs", "cite", "qid",
    "wikidata", "nocat", "noicon", "italic", "dab", "pixels",
    "onlysourced", "fetchwikidata", "suppressfields", "mapframe", "relief", "flaglink",
    "seallink", "coatlink", "header", "headerstyle", "above", "below", "subheader",
    "expand", "sizedefault",
}  # fmt: skip
SKIPPED_PREFIXES = ("image", "caption", "logo", "pushpin", "coord", "signature", "footnote",
                    "map", "flag", "seal", "alt_", "medaltemplates")  # fmt: skip
SKIPPED_SUFFIXES = ("color", "colour", "style", "class", "_ref", "ref", "refs", "_alt",
                    "_caption", "_footnotes", "link")  # fmt: skip
CODES = {
    "cianame", "glottorefname", "lingua", "linglist", "lingname", "module", "embed", "child",
    "status_system", "statussystem", "display_parents", "display parents", "trend_ref",
    "iso3comment", "mapalt", "notice", "symbol_type", "symboltype", "blank", "familycolor",
    "infobox", "bodyclass", "aboveclass", "subbox", "auto", "language_ref", "ref_name",
    "population_note", "area_note", "translit_lang1", "translit_lang2", "status_ref",
    "native_name_lang", "conventional_long_name_lang", "ethnicity_ref", "speakers_ref",
}  # fmt: skip
LABELS = {
    "edbr": "Ease of doing business rank", "cctld": "Internet TLD", "iso1": "ISO 639-1",
    "iso2": "ISO 639-2", "iso3": "ISO 639-3", "iso5": "ISO 639-5", "iso6": "ISO 639-6",
    "glotto": "Glottolog", "gdp": "GDP", "hdi": "HDI", "utc_offset": "UTC offset",
    "utc_offset_dst": "UTC offset (DST)", "ppp": "PPP", "fdi": "Foreign direct investment",
    "gini": "Gini", "isbn": "ISBN", "oclc": "OCLC", "issn": "ISSN", "dewey": "Dewey Decimal",
    "congress": "Library of Congress", "nativename": "Native name", "protoname": "Proto-language",
    "speakers": "Speakers", "omim": "OMIM", "meshid": "MeSH", "medlineplus": "MedlinePlus",
    "diseasesdb": "DiseasesDB", "emedicinesubj": "eMedicine subject",
    "emedicinetopic": "eMedicine topic", "cospar_id": "COSPAR ID", "satcat": "SATCAT",
}  # fmt: skip
ACRONYMS = {"gdp", "ppp", "hdi", "utc", "dst", "iso", "us", "uk", "un", "eu", "fdi",
            "isbn", "issn", "oclc", "iucn", "cospar", "satcat", "ipa", "tld", "nasa", "id",
            "url", "omim", "pmid"}  # fmt: skip
PAIRS = (("label", "data"), ("leader_title", "leader_name"), ("leader title", "leader name"),
         ("established_event", "established_date"), ("subdivision_type", "subdivision_name"),
         ("blank_name", "blank_info"), ("blank_name_sec", "blank_info_sec"),
         ("blank name", "blank info"), ("leadertitle", "leadername"))  # fmt: skip
LISTS = {"fam": ("Language family", " › "), "child": ("Subdivisions", "; "),
         "dia": ("Dialects", "; "), "iso3code": ("ISO 639-3", ", ")}  # fmt: skip
PICTURE = re.compile(r"\.(svg|png|jpe?g|gif|tiff?|webm|ogg|ogv|oga|webp)\Z", re.I)
SQUARE = {"km2": "km²", "m2": "m²", "mi2": "sq mi", "sqmi": "sq mi", "sqkm": "km²"}
COORDINATE_KEY = re.compile(r"(lat|long?)_?(d|m|s|ns|ew|deg|min|sec|dir|itude)?\Z")
_NUMBERED = re.compile(r"(?P<base>[a-z_ ]*?[a-z])_?(?P<number>\d+)(?P<rest>(?:_sec\d+)?)\Z")
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])|(?<=[A-Za-z])(?=\d)|(?<=\d)(?=[A-Za-z])")


def skipped(key: str) -> bool:
    """Whether an infobox parameter is styling, a reference, a picture or an internal code."""
    folded = " ".join(key.replace("-", "_").split()).lower()
    if folded in CODES or folded.replace(" ", "_") in CODES:
        return True
    if COORDINATE_KEY.match(folded.replace(" ", "_")):
        return True  # latd, long_ew, lat_deg...: the coordinates, not a fact to read
    words = re.split(r"[_ ]+", _CAMEL.sub("_", key).lower())
    if any(word in SKIPPED_WORDS for word in words):
        return True
    compact = folded.replace(" ", "_")
    return compact.startswith(SKIPPED_PREFIXES) or compact.endswith(SKIPPED_SUFFIXES)


def label(key: str) -> str:
    """A parameter name made readable: `birth_date` -> "Birth date", `AreaRank` -> "Area rank"."""
    folded = key.strip().lower().replace(" ", "_")
    if folded in LABELS:
        return LABELS[folded]
    if " " in key.strip() and "_" not in key and not _CAMEL.search(key.strip()):
        return key.strip()[:1].upper() + key.strip()[1:]  # written for people already
    words: list[str] = []
    for word in re.split(r"[_ ]+", key.strip()):
        words += [word] if word.lower() in SQUARE else _CAMEL.sub("_", word).split("_")
    shown = [
        SQUARE.get(w.lower()) or (w.upper() if w.lower() in ACRONYMS else w.lower())
        for w in words
        if w
    ]
    text = " ".join(shown)
    return text[:1].upper() + text[1:]


def fields(params: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """(label, value) of the infobox's parameters (name, value as one line), in order."""
    by_key = {key.strip().lower(): value for key, value in params}
    used: set[str] = set()
    out: list[tuple[str, str]] = []
    lists: dict[str, int] = {}
    for key, value in params:
        folded = key.strip().lower()
        if folded in used:
            continue
        numbered = _NUMBERED.match(folded)
        if numbered is not None:
            base, number, rest = numbered.group("base", "number", "rest")
            pair = next((p for p in PAIRS if base in p), None)
            if pair is not None:
                names = [f"{side}{number}{rest}" for side in pair] + [
                    f"{side}_{number}{rest}" for side in pair
                ]
                used.update(names)
                left = by_key.get(names[0]) or by_key.get(names[2], "")
                right = by_key.get(names[1]) or by_key.get(names[3], "")
                if left and right and not skipped(base):
                    out.append((left[:1].upper() + left[1:].rstrip(":"), right))
                continue
            if base in LISTS:
                if value and not PICTURE.search(value):
                    title, joint = LISTS[base]
                    if base in lists:
                        name, old = out[lists[base]]
                        out[lists[base]] = (name, f"{old}{joint}{value}")
                    else:
                        lists[base] = len(out)
                        out.append((title, value))
                used.add(folded)
                continue
        used.add(folded)
        if not value or skipped(key) or PICTURE.search(value):
            continue
        out.append((label(key), value))
    return out
