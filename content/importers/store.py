"""Writing an imported library: safe file names, aliases, metadata, and an atomic switch.

A library is `libraries/NAME/` in the user data dir: article files in termpedia's format
(sharded into `xx/` folders by a hash of the title) plus `library.json`. An import is written
into a hidden temporary folder and renamed into place only when complete, so an interrupted
or failed import leaves no half library and the previous one untouched.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import time
import unicodedata
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

from .. import paths
from ..library import library_name
from .base import FORMAT_VERSION, Alias, Converter, Page, Skipped, SourceError, compose, one_line

METADATA = "library.json"
MAX_SLUG = 60
Progress = Callable[[int, int | None], None]
"""Called with (items read, items expected or None)."""


def counted(number: int, noun: str, plural: str = "") -> str:
    """`1 file`, `2 files`: a count with its noun in agreement (`plural` when not noun + s)."""
    return f"{number} {noun if number == 1 else plural or noun + 's'}"


@dataclass
class ImportSummary:
    """What an import did, and what it skipped with reasons."""

    name: str
    kind: str
    source: str
    source_hash: str
    language: str
    articles: int = 0
    aliases: int = 0
    sections: int = 0
    skipped: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    unchanged: bool = False
    version: str = ""
    """Of the conversion (`conversion_version`): a library converted by another is converted
    again, even from the same source."""
    report: dict[str, object] | None = None
    """What the converter reports of the source (MediaWiki: its template uses), if anything."""

    def line(self, indexed: float | None = None) -> str:
        """One line for the reader; `indexed`: the seconds indexing the library took after."""
        if self.unchanged:
            return f"library {self.name!r} is already imported from this source (nothing to do)"
        # Reasons are labels ("metadata", "empty pages"): the count follows in brackets.
        skipped = ", ".join(f"{reason} ({n})" for reason, n in sorted(self.skipped.items()))
        timing = f"converted in {self.seconds:.1f} s"
        if indexed is not None:
            timing += f", indexed in {indexed:.1f} s"
        return (
            f"imported {counted(self.articles, 'article')}, "
            f"{counted(self.aliases, 'alias', 'aliases')}, {counted(self.sections, 'section')} "
            f"into library {self.name!r}, {timing}" + (f"; skipped: {skipped}" if skipped else "")
        )


def safe_name(title: str) -> str:
    """A file path for a title, inside the library folder whatever the title.

    `xx/slug-hash.txt`: the slug keeps names readable (ASCII letters, digits, hyphens), the
    hash of the exact title keeps titles that differ only in case or normalisation apart, and
    the two-letter shard keeps folders small. The title itself is recorded in the file.
    """
    digest = hashlib.blake2b(title.encode("utf-8", "surrogatepass"), digest_size=6).hexdigest()
    ascii_text = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    slug = "".join(c if c.isalnum() else "-" for c in ascii_text.lower())
    slug = "-".join(part for part in slug.split("-") if part)[:MAX_SLUG].strip("-")
    return f"{digest[:2]}/{slug or 'article'}-{digest}.txt"


def file_hash(path: Path) -> str:
    """A hash of the source file, read in blocks (sources can be gigabytes)."""
    digest = hashlib.blake2b(digest_size=16)
    try:
        with open(path, "rb") as handle:
            while block := handle.read(1 << 20):
                digest.update(block)
    except OSError as error:
        raise SourceError(f"{path}: {(error.strerror or str(error)).lower()}") from error
    return digest.hexdigest()


def _combined_hash(files: list[Path]) -> str:
    """One hash over several files (a dictionary's index and its data)."""
    digest = hashlib.blake2b(digest_size=16)
    for path in files:
        digest.update(file_hash(path).encode())
    return digest.hexdigest()


def read_metadata(folder: Path) -> dict[str, object] | None:
    try:
        data = json.loads((folder / METADATA).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def list_libraries() -> list[dict[str, object]]:
    """Metadata of every imported library (name, kind, source, articles, sections, ...)."""
    root = paths.libraries_dir()
    found = []
    if root.is_dir():
        for folder in sorted(root.iterdir()):
            if folder.is_dir() and not folder.name.startswith("."):
                data = read_metadata(folder) or {"name": folder.name, "kind": "unknown"}
                found.append(data)
    return found


def remove_library(name: str) -> bool:
    """Delete an imported library; False if there is none of that name."""
    folder = paths.libraries_dir() / library_name(name)
    if not folder.is_dir():
        return False
    doomed = folder.with_name(f".removing-{folder.name}-{os.getpid()}")
    os.replace(folder, doomed)
    shutil.rmtree(doomed, ignore_errors=True)
    return True


def _clean_leftovers(root: Path) -> None:
    """Remove temporary folders of imports that died (their process is gone)."""
    for folder in root.glob(".*-*"):
        pid = folder.name.rsplit("-", 1)[-1]
        if pid.isdigit() and not _alive(int(pid)):
            shutil.rmtree(folder, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def conversion_version(converter: Converter) -> str:
    """The article format's version and the converter's (`version`, 1 if it has none)."""
    return f"{FORMAT_VERSION}.{getattr(converter, 'version', 1)}"


def import_library(
    converter: Converter,
    source: Path,
    name: str | None = None,
    language: str | None = None,
    progress: Progress | None = None,
) -> ImportSummary:
    """Convert `source` into the library `name` (default: the source's stem), atomically.

    Re-importing the same source under the same name does nothing, unless the library was
    converted by another version of the conversion (`conversion_version`: the article format
    and the converter), which converts it again. Raises SourceError with a one-line message
    for a missing, corrupt or truncated source.
    """
    started = time.perf_counter()
    if not source.exists():
        raise SourceError(f"{source}: no such file")
    stem = name or (source.name if source.is_dir() else source.name.split(".")[0])
    name = library_name(stem)
    root = paths.libraries_dir()
    root.mkdir(parents=True, exist_ok=True)
    _clean_leftovers(root)
    final = root / name
    companions = getattr(converter, "companions", None)
    parts = [p for p in (source, *(companions(source) if companions else [])) if p.is_file()]
    if not parts:
        raise SourceError(f"{source}: not a file this importer can read")
    source_hash = file_hash(parts[0]) if len(parts) == 1 else _combined_hash(parts)
    version = conversion_version(converter)
    previous = read_metadata(final)
    if (
        previous
        and previous.get("source_hash") == source_hash
        and previous.get("kind") == converter.kind
        and previous.get("version") == version
        and (not language or previous.get("language") == language)
    ):
        summary = ImportSummary(
            name,
            converter.kind,
            str(source.resolve()),
            source_hash,
            str(previous.get("language", "")),
        )
        summary.articles = int(str(previous.get("articles", 0)))
        summary.aliases = int(str(previous.get("aliases", 0)))
        summary.sections = int(str(previous.get("sections", 0)))
        skipped = previous.get("skipped")
        if isinstance(skipped, dict):
            summary.skipped = {str(k): int(v) for k, v in skipped.items()}
        report = previous.get("report")
        summary.report = report if isinstance(report, dict) else None
        summary.version = version
        summary.unchanged = True
        return summary

    info = converter.info(source)
    summary = ImportSummary(
        name, converter.kind, str(source.resolve()), source_hash, language or info.language or "en"
    )
    summary.version = version
    work = root / f".importing-{name}-{os.getpid()}"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir()
    try:
        _write(converter, source, work, summary, info.total, progress)
        report = getattr(converter, "report", None)
        summary.report = report() if callable(report) else None
        metadata = {**info.extra, "title": info.title, **asdict(summary)}
        del metadata["unchanged"], metadata["seconds"]
        (work / METADATA).write_text(json.dumps(metadata, indent=1, ensure_ascii=False), "utf-8")
        _switch(work, final)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    summary.seconds = time.perf_counter() - started
    return summary


def _write(
    converter: Converter,
    source: Path,
    work: Path,
    summary: ImportSummary,
    total: int | None,
    progress: Progress | None,
) -> None:
    files: dict[str, str] = {}  # title -> relative path
    folded: dict[str, str] = {}  # casefolded title -> title, to attach aliases case-insensitively
    aliases: dict[str, list[str]] = {}
    count = 0
    for item in converter.items(source):
        count += 1
        if progress is not None and count % 200 == 0:
            progress(count, total)
        if isinstance(item, Page):
            title = one_line(item.title)
            if not title:
                summary.skipped["without a title"] = summary.skipped.get("without a title", 0) + 1
                continue
            if title in files:
                summary.skipped["duplicate titles"] = summary.skipped.get("duplicate titles", 0) + 1
                continue
            relative = safe_name(title)
            path = work / relative
            path.parent.mkdir(exist_ok=True)
            path.write_text(compose(item), encoding="utf-8")
            files[title] = relative
            folded.setdefault(title.casefold(), title)
            summary.articles += 1
            summary.sections += 1 + len(item.sections) + (1 if item.see_also else 0)
        elif isinstance(item, Alias):
            aliases.setdefault(item.target.strip(), []).append(item.name.strip())
        elif isinstance(item, Skipped):
            summary.skipped[item.reason] = summary.skipped.get(item.reason, 0) + 1
    if progress is not None:
        progress(count, count)
    by_title: dict[str, list[str]] = {}
    for wanted, names in aliases.items():
        found = wanted if wanted in files else folded.get(wanted.casefold())
        if found is None:
            reason = "aliases of missing articles"
            summary.skipped[reason] = summary.skipped.get(reason, 0) + len(names)
        else:
            by_title.setdefault(found, []).extend(names)
    for title, names in by_title.items():
        names = [n for n in dict.fromkeys(names) if n and n != title]
        _add_aliases(work / files[title], names)
        summary.aliases += len(names)


def _add_aliases(path: Path, names: list[str]) -> None:
    """Insert an `- Aliases:` line at the top of the infobox `compose` wrote."""
    if not names:
        return
    text = path.read_text(encoding="utf-8")
    head, blank, title, rest = text.split("\n", 3)
    line = "- Aliases: " + "; ".join(" ".join(n.split()).replace(";", ",") for n in names)
    path.write_text("\n".join((head, blank, title, line, rest)), encoding="utf-8")


def _switch(work: Path, final: Path) -> None:
    """Put the new library in place of the old one; the old one is removed afterwards."""
    old = final.with_name(f".replaced-{final.name}-{os.getpid()}")
    if final.exists():
        os.replace(final, old)
    os.replace(work, final)
    shutil.rmtree(old, ignore_errors=True)
