"""dictd dictionaries (`NAME.index` + `NAME.dict.dz` or `NAME.dict`) become libraries.

The index has one line per headword: `headword<TAB>offset<TAB>length` (dictfmt's
`--index-keep-orig` adds a fourth field, the headword as written), the numbers in dictd's
base-64 digits (`A-Z a-z 0-9 + /`, most significant first), addressing the *uncompressed*
data. The data file is plain text (`.dict`) or dictzip (`.dict.dz`, a gzip file with a
random-access header, which the `gzip` module reads as ordinary gzip).

Choices, for a reader of the result:

- **Data access.** A `.dict` is opened once and read with seek + read. A `.dict.dz` is
  decompressed once, sequentially: into memory while it is under `MEMORY_LIMIT` (200 MB;
  dictd dictionaries are small: the Jargon File is 1.4 MB), spilling to an anonymous
  temporary file beyond that. Random access through `gzip` would re-decompress from the start
  for every backwards seek. `info()` only reads the metadata entries (dictfmt puts them at
  the start of the data), so it does not pay for a full decompression.
- **Index.** Read line by line, three times: a first pass collects the headwords (to tell
  `{cross references}` from braces in code examples); the second reads each entry's headword
  line and a digest of the rest (to group entries, below); the third streams the pages.
  Held for the whole import: the set of headwords and, per entry, its title and a 16-byte
  digest (a few MB even for the largest dictd dictionaries), never the texts.
- **Titles.** dictfmt lower-cases the index (`os/2`, `(tm)`), while the entry text starts
  with the headword as written (`OS/2`, `(TM)`). When that first line equals the index headword
  ignoring case and spacing, it is the title (and is not repeated in the body). A first line
  that lists forms (`mouse / mice`, `colour, color`: dictfmt's headword separator) and holds
  the index headword is a headword line too: the form as written is the title. Otherwise the
  index headword (or the fourth field) is the title, as it is. Titles are never sanitised.
- **Body.** The first lines after the headword (pronunciation, part of speech: `/klooj/, n.`)
  become the first lead line; a bare `//` (an empty pronunciation) is dropped. The indented
  paragraphs are de-indented by their common indentation, relative indentation is kept, runs
  of blank lines become one, numbered senses stay as written. No sections.
- **Cross references.** `{target}` becomes `[[target]]`, with whitespace inside folded
  (`{\\n    ELIZA effect}` -> `[[ELIZA effect]]`), when the braces hold a headword of the index
  (any case) or something that looks like one (a few words, no code punctuation, no spaces
  just inside the braces). A line break just inside the braces moves before the link, so
  lines keep their length. Anything else (`{ }`, `{baz,qux}`, C code) stays as written. A
  reference that cannot be a link (`[`, `]`, `|` or `#` inside, e.g. `{C|N>K}`) becomes plain
  text without its braces. A doubled pair (`{{VAX}}`, once in the Jargon File) is one
  reference. Case is kept: termpedia resolves links ignoring case when no title matches
  exactly (`[[Kluge]]` finds `kluge`).
- **See also.** Links stay inline. When an entry's last sentence is only
  `See {x}, {y} and {z}.` (or `See also ...`), those targets are also the page's See also list.
- **Repeated titles.** Entries of one title become one page, their texts joined by a blank
  line in index order, wherever they are in the index (an index with a supplement appended
  out of order too). Entries whose titles differ in case (`OP` "original poster" and `op`
  "operator" in the Jargon File) stay separate pages: they are different words, and
  termpedia's resolver tells them apart by case (`[[OP]]`, `[[op]]`).
- **One definition, several headwords.** Titles whose definitions (the entry text after its
  headword line) are the same text are one article: `mouse` and `mice` pointing at one
  `mouse / mice` entry, or `warm boot` and `cold boot` whose entries both say "n. See
  {boot}.". Its title is the first form a headword line lists (`mouse`), else the first in
  index order; the other titles, and forms its headword line lists without an index line of
  their own, are its aliases (`show mice` opens `mouse`). So there are as many articles as
  distinct definitions, and no two with one title.
- **Text.** A definition line that would read as markup (`; …`, `> …`, `| …` at the margin,
  from wrapped text) is kept as text (`base.text_lines`).
- **Skipped.** Metadata entries (`00-database-*`, old `00database*`) -> "metadata"; an index
  line without 3 (or 4) tab-separated fields or with bad base-64 -> "malformed index line";
  an entry beyond the end of the data -> "entry outside the data file"; an empty entry ->
  "empty entry".
"""

from __future__ import annotations

import gzip
import hashlib
import re
import tempfile
import textwrap
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from .base import Alias, Page, Skipped, SourceError, SourceInfo, one_line, text_lines

ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
_DIGITS = {char: value for value, char in enumerate(ALPHABET)}
MEMORY_LIMIT = 200 * 1024 * 1024
"""A `.dict.dz` decompressing to more than this goes to a temporary file instead of memory."""
CHUNK = 1 << 20
MAX_REFERENCE = 100
"""Braces holding more than this many characters are not a cross reference."""
MAX_LABEL = 100
MAX_FORMS = 16
MAX_FORMS_LINE = 300
"""A headword line longer than this, or listing more forms, is not a list of forms."""
_FORM_SEPARATOR = re.compile(r"\s*[/,;]\s*")

METADATA = "metadata"
MALFORMED = "malformed index line"
OUTSIDE = "entry outside the data file"
EMPTY = "empty entry"

_BRACES = re.compile(r"(\{)?\{([^{}]*)\}(?(1)\})")
"""`{x}`, or `{{x}}` (a doubled pair, `{{VAX}}` in the Jargon File), as one reference."""
_LINK = r"\[\[[^\[\]\n]+\]\][^\s\[\],;.]*(?: \(senses? [^()]*\))?"
_SEE_TAIL = re.compile(
    r"(?:^|(?<=[.!?]) |(?<=[.!?][)”’\"]) )See(?: also)?:? "
    rf"(?P<refs>{_LINK}(?:(?:,|,? and|,? or) {_LINK})*)\.?$"
)
_TARGET = re.compile(r"\[\[([^\[\]\n]+)\]\]")
_NOT_IN_REFERENCE = frozenset(';,"=$<>{}`\\')
_NOT_IN_LINK = frozenset("[]|#")


def decode_number(text: str) -> int:
    """A dictd base-64 number (`Ph` = 993); ValueError for an empty or invalid one."""
    if not text:
        raise ValueError("empty number")
    value = 0
    for char in text:
        digit = _DIGITS.get(char)
        if digit is None:
            raise ValueError(f"invalid base-64 digit {char!r}")
        value = value * 64 + digit
    return value


def is_metadata(headword: str) -> bool:
    """dictfmt's pseudo-entries: `00-database-info`, `00-database-short`, old `00databaseinfo`."""
    folded = headword.strip().lower()
    return folded.startswith("00-database-") or folded.startswith("00database")


def _metadata_key(headword: str) -> str:
    folded = headword.strip().lower()
    rest = folded[len("00-database-") :] if folded.startswith("00-database-") else folded[10:]
    return rest.replace("-", "")


def _fold(text: str) -> str:
    return " ".join(text.split()).casefold()


@dataclass(frozen=True)
class _Line:
    """One well-formed index line."""

    number: int
    headword: str
    offset: int
    length: int
    original: str = ""


def _read_index(index: Path) -> Iterator[_Line | Skipped]:
    """The index, line by line: entries, and Skipped for lines that are not entries."""
    try:
        with open(index, "rb") as handle:
            for number, raw in enumerate(handle, 1):
                line = raw.decode("utf-8", errors="replace").rstrip("\r\n")
                if not line.strip():
                    continue
                fields = line.split("\t")
                label = fields[0].strip()[:MAX_LABEL] if len(fields) > 1 else ""
                label = label or f"line {number}"
                if len(fields) not in (3, 4) or not fields[0].strip():
                    yield Skipped(label, MALFORMED)
                    continue
                try:
                    offset, length = decode_number(fields[1]), decode_number(fields[2])
                except ValueError:
                    yield Skipped(label, MALFORMED)
                    continue
                original = fields[3].strip() if len(fields) == 4 else ""
                yield _Line(number, fields[0], offset, length, original)
    except OSError as error:
        raise SourceError(f"{index}: {(error.strerror or str(error)).lower()}") from error


def _locate(source: Path) -> tuple[Path, Path]:
    """(index, data file) for an `.index`, `.dict`, `.dict.dz` or a folder holding one index."""
    if source.is_dir():
        found = sorted(source.glob("*.index"))
        if not found:
            raise SourceError(f"{source}: no .index file in this folder")
        if len(found) > 1:
            names = ", ".join(path.name for path in found[:5])
            raise SourceError(f"{source}: several .index files ({names}); name one")
        source = found[0]
    name = source.name
    if name.endswith(".dict.dz"):
        stem = name[: -len(".dict.dz")]
        index = source.with_name(stem + ".index")
    elif name.endswith(".dict"):
        stem = name[: -len(".dict")]
        index = source.with_name(stem + ".index")
    else:
        stem = name[: -len(".index")] if name.endswith(".index") else source.stem
        index = source
    if not index.is_file():
        raise SourceError(f"{index}: no such file")
    for suffix in (".dict.dz", ".dict"):
        data = index.with_name(stem + suffix)
        if data.is_file():
            return index, data
    raise SourceError(f"{index}: no .dict or .dict.dz beside the index")


class _Data:
    """The uncompressed data: bytes in memory, or a file read with seek + read."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._memory: bytearray | None = None
        self._file: IO[bytes] | None = None
        if path.name.endswith(".dz"):
            self._decompress()
        else:
            try:
                self._file = open(path, "rb")  # noqa: SIM115 - closed by close()
                self.size = path.stat().st_size
            except OSError as error:
                raise SourceError(f"{path}: {(error.strerror or str(error)).lower()}") from error

    def _decompress(self) -> None:
        memory = bytearray()
        spill: IO[bytes] | None = None
        try:
            with gzip.open(self.path, "rb") as stream:
                while chunk := stream.read(CHUNK):
                    if spill is None and len(memory) + len(chunk) > MEMORY_LIMIT:
                        spill = tempfile.TemporaryFile(prefix="termpedia-dictd-")  # noqa: SIM115
                        spill.write(memory)
                        memory = bytearray()
                    if spill is None:
                        memory += chunk
                    else:
                        spill.write(chunk)
        except (OSError, EOFError, zlib.error) as error:
            if spill is not None:
                spill.close()
            problem = one_line(str(error)) or type(error).__name__
            raise SourceError(
                f"{self.path}: corrupt or truncated dictzip file ({problem})"
            ) from error
        if spill is None:
            self._memory, self.size = memory, len(memory)
        else:
            self._file, self.size = spill, spill.tell()

    def read(self, offset: int, length: int) -> bytes:
        if self._memory is not None:
            return bytes(self._memory[offset : offset + length])
        assert self._file is not None
        try:
            self._file.seek(offset)
            return self._file.read(length)
        except OSError as error:
            raise SourceError(f"{self.path}: {(error.strerror or str(error)).lower()}") from error

    def close(self) -> None:
        self._memory = None
        if self._file is not None:
            self._file.close()
            self._file = None


def _read_some(data: Path, wanted: list[tuple[int, int]]) -> dict[tuple[int, int], bytes]:
    """A few (offset, length) slices of the data, without decompressing all of a `.dz`."""
    found: dict[tuple[int, int], bytes] = {}
    opener = gzip.open if data.name.endswith(".dz") else open
    try:
        with opener(data, "rb") as handle:
            for offset, length in sorted(wanted):
                handle.seek(offset)
                found[(offset, length)] = handle.read(length)
    except (OSError, EOFError, zlib.error) as error:
        problem = one_line(str(error)) or type(error).__name__
        raise SourceError(f"{data}: cannot read ({problem})") from error
    return found


def _metadata_text(headword: str, raw: bytes) -> str:
    """A metadata entry's value: its text without the repeated pseudo-headword line."""
    text = raw.decode("utf-8", errors="replace")
    first, _, rest = text.partition("\n")
    if first.strip().lower() == headword.strip().lower():
        text = rest
    return text


# Cross references ---------------------------------------------------------------------------


def _looks_like_reference(raw: str) -> bool:
    """Braces that hold a plausible headword, not code or a shell glob."""
    if raw[:1].isspace() and "\n" not in raw[: len(raw) - len(raw.lstrip())]:
        return False  # `{ foo }`: spaces just inside the braces mean code or a literal
    tail = raw[len(raw.rstrip()) :]
    if tail and "\n" not in tail:
        return False
    words = raw.split()
    if not words or len(words) > 8:
        return False
    text = " ".join(words)
    if not any(char.isalnum() for char in text):
        return False
    if any(char in _NOT_IN_REFERENCE for char in text):
        return False
    return text.count("(") == text.count(")")


def _convert_references(text: str, headwords: set[str]) -> str:
    """`{target}` -> `[[target]]` where the braces hold a cross reference."""
    if "{" not in text:
        return text

    def replace(match: re.Match[str]) -> str:
        raw = match.group(2)
        if len(raw) > MAX_REFERENCE * 2 or "\n\n" in raw or "\n \n" in raw:
            return match.group(0)
        target = " ".join(raw.split())
        if not target or len(target) > MAX_REFERENCE:
            return match.group(0)
        if target.casefold() not in headwords and not _looks_like_reference(raw):
            return match.group(0)
        # A line break just inside the braces (`{\n    x}`, `{x\n    }`) goes before the
        # link, so lines keep their length and punctuation stays with the link.
        before = raw[: len(raw) - len(raw.lstrip())] or raw[len(raw.rstrip()) :]
        if any(char in _NOT_IN_LINK for char in target):
            return f"{before}{target}"
        return f"{before}[[{target}]]"

    return _BRACES.sub(replace, text)


def _see_also(lead: str) -> tuple[str, ...]:
    """The targets of a trailing `See {x}, {y}.` / `See also ...` sentence, if there is one."""
    last = lead.rstrip().rsplit("\n\n", 1)[-1]
    flat = " ".join(last.split())[-2000:]
    if "See" not in flat:
        return ()
    match = _SEE_TAIL.search(flat)
    if match is None:
        return ()
    return tuple(dict.fromkeys(target.strip() for target in _TARGET.findall(match["refs"])))


# Entries ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Entry:
    title: str
    lead: str
    see_also: tuple[str, ...]
    forms: tuple[str, ...] = ()
    """The forms its headword line lists (`mouse / mice`), if it lists several."""


@dataclass(frozen=True)
class _Record:
    """What the first reading of an entry keeps: enough to group it, not its text."""

    line: _Line
    title: str
    forms: tuple[str, ...]
    definition: bytes
    """A digest of its text after the headword line: equal for equal definitions."""


def _paragraphs(lines: list[str]) -> list[str]:
    """Lines with trailing spaces dropped and runs of blank lines made one, no blank ends."""
    out: list[str] = []
    for line in lines:
        line = line.rstrip()
        if line or (out and out[-1]):
            out.append(line)
    while out and not out[-1]:
        out.pop()
    return out


def _heading(headword: str, original: str, text: str) -> tuple[str, str | None, tuple[str, ...]]:
    """(title, the text after the headword line or None without one, the forms that line
    lists) of an entry.

    The headword line is the entry's first line when it names the index headword: the same
    words ignoring case and spacing (`OS/2` for `os/2`), or a list of forms that holds it
    (`mouse / mice`, `colour, color` for `mice` or `color`: the form as written is the
    title). Otherwise the entry has none: its title is the headword, its text all of it.
    """
    first, newline, rest = text.partition("\n")
    folded = _fold(headword)
    if first.strip() and _fold(first) == folded:
        title = " ".join(first.split())
        if original and _fold(original) != _fold(first):
            title = original
        return title, rest if newline else "", ()
    forms = _forms(first)
    names = {folded, _fold(original)} if original else {folded}
    for form in forms:
        if _fold(form) in names:
            return (original or form), rest if newline else "", forms
    return original or headword.strip(), None, ()


def _forms(line: str) -> tuple[str, ...]:
    """The forms a headword line lists (`mouse / mice`), or () when it is not such a list."""
    if len(line) > MAX_FORMS_LINE or not _FORM_SEPARATOR.search(line):
        return ()
    forms = tuple(" ".join(part.split()) for part in _FORM_SEPARATOR.split(line.strip()))
    if not 2 <= len(forms) <= MAX_FORMS or not all(0 < len(f) <= MAX_LABEL for f in forms):
        return ()
    return forms


def convert_entry(headword: str, original: str, raw: bytes, headwords: set[str]) -> _Entry:
    """One dictd entry as a title, a lead and a See also list."""
    text = raw.decode("utf-8", errors="replace").replace("\r\n", "\n")
    title, after, forms = _heading(headword, original, text)
    has_header = after is not None
    body_text = text if after is None else after
    lines = _convert_references(body_text, headwords).split("\n")
    header: list[str] = []
    if has_header:
        start = 0
        while start < len(lines) and lines[start].strip():
            start += 1
        header = [
            line
            for line in textwrap.dedent("\n".join(lines[:start])).split("\n")
            if line.strip() and line.strip() != "//"
        ]
        lines = lines[start:]
    body = textwrap.dedent("\n".join(lines)).split("\n")
    out = _paragraphs(header)
    rest_lines = _paragraphs(body)
    if out and rest_lines:
        out.append("")
    out.extend(rest_lines)
    lead = text_lines("\n".join(out))
    return _Entry(title, lead, _see_also(lead), forms)


def _merge(title: str, entries: list[_Entry]) -> Page:
    lead = "\n\n".join(entry.lead for entry in entries if entry.lead)
    see_also = tuple(dict.fromkeys(t for entry in entries for t in entry.see_also))
    return Page(title=title, lead=lead, see_also=see_also)


def _definition(body: str) -> bytes:
    """The digest `_Record.definition` of an entry's text after its headword line."""
    lines = [line.rstrip() for line in body.strip("\n").split("\n")]
    return hashlib.blake2b("\n".join(lines).encode("utf-8", "replace"), digest_size=16).digest()


def _articles(records: list[_Record]) -> list[list[list[int]]]:
    """The records grouped into articles, in the order of their first record: an article is
    a list of title groups (records of one title, in index order), the groups whose
    definitions are equal, the first the article's."""
    groups: list[list[int]] = []
    by_title: dict[str, int] = {}
    for number, record in enumerate(records):
        key = one_line(record.title)
        if key not in by_title:
            by_title[key] = len(groups)
            groups.append([])
        groups[by_title[key]].append(number)
    articles: list[list[list[int]]] = []
    by_definition: dict[tuple[bytes, ...], int] = {}
    for group in groups:
        definition = tuple(records[number].definition for number in group)
        if definition not in by_definition:
            by_definition[definition] = len(articles)
            articles.append([])
        articles[by_definition[definition]].append(group)
    for article in articles:  # the main form: the first its headword line lists, else the first
        forms = [form for group in article for n in group for form in records[n].forms]
        titles = [_fold(records[group[0]].title) for group in article]
        main = next((titles.index(_fold(f)) for f in forms if _fold(f) in titles), 0)
        article.insert(0, article.pop(main))
    return articles


class DictdConverter:
    """Reads a dictd dictionary: SOURCE is the `.index`, the `.dict[.dz]`, or their folder."""

    kind = "dictd"
    version = 2
    """Of the conversion: a library imported by an older one is converted again (store.py).
    2: headwords of one definition are aliases of one article; lines that would read as
    markup kept as text."""

    def companions(self, source: Path) -> list[Path]:
        """The files besides SOURCE that the import reads (hashed to notice changes)."""
        index, data = _locate(source)
        return [path for path in (index, data) if path != source]

    def info(self, source: Path) -> SourceInfo:
        index, data = _locate(source)
        entries = 0
        metadata: dict[str, _Line] = {}
        for item in _read_index(index):
            if isinstance(item, _Line):
                entries += 1
                if is_metadata(item.headword):
                    metadata.setdefault(_metadata_key(item.headword), item)
        wanted = [m for k, m in metadata.items() if k in ("short", "url")]
        slices = _read_some(data, [(m.offset, m.length) for m in wanted]) if wanted else {}
        values = {
            key: one_line(_metadata_text(line.headword, slices[(line.offset, line.length)]))
            for key, line in metadata.items()
            if (line.offset, line.length) in slices
        }
        extra = {"dictd_index": index.name, "dictd_data": data.name}
        if values.get("url"):
            extra["dictd_url"] = values["url"]
        if "utf8" in metadata:
            extra["dictd_utf8"] = "yes"
        return SourceInfo(
            language="",
            title=values.get("short", ""),
            total=entries or None,
            extra=extra,
        )

    def items(self, source: Path) -> Iterator[Page | Alias | Skipped]:
        index, path = _locate(source)
        headwords: set[str] = set()
        malformed = 0
        for item in _read_index(index):
            if isinstance(item, Skipped):
                malformed += 1
            elif not is_metadata(item.headword):
                headwords.add(_fold(item.headword))
                if item.original:
                    headwords.add(_fold(item.original))
        if not headwords:
            detail = f" ({malformed} malformed lines)" if malformed else ""
            raise SourceError(f"{index}: no entries{detail}")
        data = _Data(path)
        try:
            yield from self._pages(index, data, headwords)
        finally:
            data.close()

    def _pages(
        self, index: Path, data: _Data, headwords: set[str]
    ) -> Iterator[Page | Alias | Skipped]:
        records: list[_Record] = []
        for item in _read_index(index):
            if isinstance(item, Skipped):
                yield item
                continue
            if is_metadata(item.headword):
                yield Skipped(item.headword, METADATA)
                continue
            label = item.headword.strip()[:MAX_LABEL] or f"line {item.number}"
            if item.offset + item.length > data.size:
                yield Skipped(label, OUTSIDE)
                continue
            if item.length == 0:
                yield Skipped(label, EMPTY)
                continue
            text = data.read(item.offset, item.length).decode("utf-8", errors="replace")
            text = text.replace("\r\n", "\n")
            title, after, forms = _heading(item.headword, item.original, text)
            records.append(
                _Record(item, title, forms, _definition(text if after is None else after))
            )
        for article in _articles(records):
            entries = []
            for number in article[0]:
                line = records[number].line
                raw = data.read(line.offset, line.length)
                entries.append(convert_entry(line.headword, line.original, raw, headwords))
            title = entries[0].title
            yield _merge(title, entries)
            names = [records[group[0]].title for group in article[1:]]
            names += [form for entry in entries for form in entry.forms]
            seen = {_fold(title)}
            for name in names:
                if _fold(name) not in seen:
                    seen.add(_fold(name))
                    yield Alias(name, title)
