"""The `termpedia` command: the app by default, and search, show, index, check, links.

Textual is imported only when the app starts, so `search --json` stays quick.
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import sys
import time
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING

from termpedia.content import paths
from termpedia.content.archive import ArchiveError, archive_for, archive_parts, register
from termpedia.content.archive import status as archive_status
from termpedia.content.article import Article, Diagnostic
from termpedia.content.display import plain_text, section_display
from termpedia.content.importers import KINDS, converter
from termpedia.content.importers.base import SourceError
from termpedia.content.importers.store import (
    counted,
    import_library,
    list_libraries,
    remove_library,
)
from termpedia.content.library import (
    BUNDLED,
    USER,
    ArticleError,
    Shelf,
    default_shelves,
    library_name,
    load_article,
    read_article,
    read_libraries,
    scan,
    titles_report,
)
from termpedia.content.paths import index_dir
from termpedia.content.resolve import (
    find_section,
    sections_starting,
)
from termpedia.content.sanitize import visible
from termpedia.index.archive import coverage as archive_coverage
from termpedia.index.ensure import open_index, open_last
from termpedia.index.search import Index, IndexDamaged, SearchHit
from termpedia.index.store import IndexBusy

if TYPE_CHECKING:  # building imports Whoosh: only the commands that build load it
    from termpedia.index.build import BuildReport

OK, NOT_FOUND, USAGE, BAD_INPUT, BUSY = 0, 1, 2, 3, 4
CLOSED_PIPE = 128 + 13  # 141: what a shell reports for a command ended by SIGPIPE, like grep
COMMANDS = ("open", "search", "show", "index", "check", "links", "import", "library", "serve")

EPILOG = """\
commands (each has --help):
  termpedia                                  open the app on the "termpedia" manual
  termpedia "Leon Trotsky#Exile"             open the app at a section (same as `open`)
  termpedia notes/idea.txt                   open one article file in the app
  termpedia open "Permanent revolution"      `open`: needed for a title that is a command name
  termpedia search '"permanent revolution"' --limit 5 --json
  termpedia show "Karl Radek#Early career"   print an article or one section as text
  termpedia index --rebuild                  build the search index again, with progress
  termpedia check ~/notes                    report problems in article files as file:line
  termpedia links "Leon Trotsky" --json      outgoing links (inline, See also) and backlinks
  termpedia import mediawiki dump.xml.bz2    import a MediaWiki XML dump (also .xml, .gz)
  termpedia import zim wikipedia.zim         import a Kiwix ZIM file
  termpedia import dictd jargon.index        import a dictd dictionary (.index + .dict[.dz])
  termpedia library list --json              imported libraries
  termpedia library remove jargon            delete an imported library
  termpedia serve --port 8765                serve the reader to web browsers, read-only

A #Section is a heading or its start: "Leon Trotsky#Exile" opens "Exile and death".

The app opens only on a terminal (stdin and stderr): elsewhere `termpedia WORD` exits 2 and
says what to run instead.

exit codes: 0 success, 1 nothing found (unknown title, no hits), 2 usage error,
3 bad input or output (a file that cannot be read or written, `check` found errors), 4 busy (another
process is writing the index and waiting timed out), 141 the reader of the output stopped
reading (`| head -1`): the command ends quietly, as grep does (128 + SIGPIPE)
"""


class Failure(Exception):
    """Ends the command with one line on stderr and an exit code."""

    def __init__(self, message: str, code: int) -> None:
        super().__init__(message)
        self.code = code


class _Version(argparse.Action):
    """--version, looked up only when asked for (importlib.metadata costs ~20 ms at start-up)."""

    def __call__(self, parser: argparse.ArgumentParser, *args: object, **kwargs: object) -> None:
        from importlib.metadata import PackageNotFoundError, version

        try:
            found = version("termpedia")
        except PackageNotFoundError:
            found = "unknown"
        print(f"termpedia {found}")
        parser.exit()


def _common(after: bool) -> argparse.ArgumentParser:
    # Global options, accepted before or after the command. A subcommand's parser writes
    # into its own namespace and copies it over the main one, so the folders given after
    # the command go to another list, joined in _shelves(); SUPPRESS keeps the defaults
    # from overwriting what was given before the command.
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--library",
        action="append",
        type=Path,
        default=argparse.SUPPRESS,
        dest="library_after" if after else "library",
        metavar="DIR",
        help="an extra folder of articles (repeatable)",
    )
    common.add_argument(
        "--index", type=Path, default=argparse.SUPPRESS, metavar="DIR", help="index folder"
    )
    return common


def build_parser() -> argparse.ArgumentParser:
    common = _common(after=True)
    parser = argparse.ArgumentParser(
        prog="termpedia",
        description="An offline encyclopedia for the terminal.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
        parents=[_common(after=False)],
    )
    parser.add_argument("--version", action=_Version, nargs=0, help="show the version and exit")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    opener = sub.add_parser("open", parents=[common], help='open the app at "Title[#Section]"')
    opener.add_argument("target", nargs="?", help="a title, title#section or article file")
    opener.add_argument(
        "--private", action="store_true", help="write no history, bookmarks or settings"
    )

    search = sub.add_parser("search", parents=[common], help="full-text search")
    search.add_argument("query")
    search.add_argument("--limit", type=int, default=10, metavar="N")
    search.add_argument("--json", action="store_true", help="one JSON array on stdout")

    show = sub.add_parser("show", parents=[common], help="print an article or a section")
    show.add_argument("target", help='"Title" or "Title#Section"')
    show.add_argument("--json", action="store_true")

    index = sub.add_parser("index", parents=[common], help="build or update the search index")
    index.add_argument("--rebuild", action="store_true", help="build from scratch")

    check = sub.add_parser("check", parents=[common], help="report problems in article files")
    check.add_argument("paths", nargs="*", type=Path, metavar="PATH")

    links = sub.add_parser("links", parents=[common], help="outgoing links and backlinks")
    links.add_argument("target", help='"Title"')
    links.add_argument("--json", action="store_true")

    importer = sub.add_parser("import", parents=[common], help="import a dump, ZIM or dictionary")
    importer.add_argument("kind", choices=sorted(KINDS))
    importer.add_argument("source", type=Path)
    importer.add_argument("--name", help="library name (default: the source file's stem)")
    importer.add_argument("--language", help="ISO 639 code, when the source does not say")
    importer.add_argument(
        "--copy",
        action="store_true",
        help="zim: convert every article into text files (default: read the archive in place)",
    )
    importer.add_argument(
        "--report",
        action="store_true",
        help="mediawiki: list the templates seen, how many times, and how each was handled",
    )

    library = sub.add_parser("library", parents=[common], help="list or remove imported libraries")
    library_sub = library.add_subparsers(dest="action", metavar="ACTION", required=True)
    listing = library_sub.add_parser("list", parents=[common], help="imported libraries")
    listing.add_argument("--json", action="store_true")
    remove = library_sub.add_parser("remove", parents=[common], help="delete a library")
    remove.add_argument("name")

    server = sub.add_parser(
        "serve",
        parents=[common],
        help="serve the reader to web browsers: a read-only session a tab",
        description="Serve the reader to web browsers: each tab a session of its own, "
        "read-only (no editing, nothing saved, no program started; bookmarks and history "
        "last as long as the tab). Sessions read the index; `termpedia index` updates it.",
    )
    server.add_argument(
        "--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)"
    )
    server.add_argument("--port", type=int, default=8000, help="port (default: 8000)")
    server.add_argument(
        "--max-sessions",
        type=int,
        default=8,
        metavar="N",
        help="tabs served at once; the next gets a busy page (default: 8)",
    )
    server.add_argument(
        "--public-url",
        metavar="URL",
        help="the address readers open, as printed (default: this machine's name, or the host)",
    )
    return parser


def _with_default_command(argv: list[str]) -> list[str]:
    """`termpedia` and `termpedia "Title"` mean `termpedia open ...`."""
    takes_value = {"--library", "--index"}
    index = 0
    while index < len(argv):
        arg = argv[index]
        if arg in takes_value:
            if index + 1 >= len(argv):
                return argv  # argparse reports the missing value
            index += 2
            continue
        if arg.startswith("-"):
            if arg in ("-h", "--help", "--version"):
                return argv
            index += 1
            continue
        if arg in COMMANDS:
            return argv
        return ["open", *argv]
    return ["open", *argv]


def main(argv: Sequence[str] | None = None) -> int:
    try:
        try:
            code = _main(argv)
        except SystemExit:  # --help, --version and usage errors print before they exit
            _flush()
            raise
        _flush()  # here, not at shutdown, where a closed pipe cannot be caught
        return code
    except BrokenPipeError:
        # The reader went away (`| head -1`): stop quietly, as grep does. Python would flush
        # stdout again at shutdown and complain; point it at /dev/null first.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
        return CLOSED_PIPE


def _flush() -> None:
    if sys.stdout is not None:  # None when the command was started with stdout closed
        sys.stdout.flush()


def parse_arguments(argv: Sequence[str]) -> argparse.Namespace:
    """The command line as `main` reads it: `termpedia "Title"` is `termpedia open "Title"`
    (then `implied_open` is true). Exits 2 on a usage error, as argparse does."""
    given = list(argv)
    completed = _with_default_command(given)
    parser = build_parser()
    args = parser.parse_args(completed)
    if args.command is None:
        parser.error("a command is needed")
    args.implied_open = len(completed) > len(given)
    return args


def _main(argv: Sequence[str] | None) -> int:
    args = parse_arguments(sys.argv[1:] if argv is None else argv)
    try:
        try:
            return int(COMMAND_FUNCTIONS[args.command](args))
        except IndexDamaged as damage:
            # Rebuilt from the articles (nothing of the reader's is in the index), then again.
            print(f"termpedia: {damage}; rebuilding it", file=sys.stderr)
            _open(args, rebuild=True)
            return int(COMMAND_FUNCTIONS[args.command](args))
    except Failure as failure:
        # Messages quote titles and headings: never let them act on the terminal.
        print(f"termpedia: {visible(str(failure))}", file=sys.stderr)
        return failure.code
    except IndexBusy as busy:
        print(f"termpedia: {busy}", file=sys.stderr)
        return BUSY
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        raise  # not a bad output file: the reader stopped reading (see main)
    except OSError as error:  # a full disk, a folder that cannot be written
        print(f"termpedia: {visible(str(error))}", file=sys.stderr)
        return BAD_INPUT


def _shelves(args: argparse.Namespace) -> list[Shelf]:
    extra: list[Path] = [*getattr(args, "library", []), *getattr(args, "library_after", [])]
    for folder in extra:
        if not folder.is_dir():
            raise Failure(f"{folder}: not a folder of articles", BAD_INPUT)
    return default_shelves(extra)


def _root(args: argparse.Namespace) -> Path:
    root: Path = getattr(args, "index", None) or index_dir()
    return root


class _ProgressBar:
    """A one-line progress bar on stderr with rate and ETA, drawn only on a terminal."""

    def __init__(self, label: str = "indexing") -> None:
        self.label = label
        self.enabled = sys.stderr.isatty()
        self.drawn = False
        self.started = time.monotonic()
        self.last = 0.0
        self.first: int | None = None
        """The count at the first call: a resumed build starts there, and its rate is
        what it did since (not the work a previous run left)."""

    def __call__(self, done: int, total: int | None) -> None:
        now = time.monotonic()
        if self.first is None:
            self.first = done
        if not self.enabled or (total is not None and total < 20) or now - self.last < 0.1:
            return
        self.last = now
        rate = (done - self.first) / max(now - self.started, 1e-6)
        if total:
            width = 30
            filled = width * min(done, total) // total
            # No rate yet (the first line, or a resumed build's): no estimate, not "0 s".
            eta = f"ETA {(total - done) / rate:.0f} s" if rate else "ETA unknown"
            bar = f"[{'#' * filled}{'.' * (width - filled)}] {done}/{total}, {eta}"
        else:
            bar = f"{done}"
        speed = f" ({rate:.0f}/s)" if rate else ""
        sys.stderr.write(f"\r{self.label} {bar}{speed}\x1b[K")
        sys.stderr.flush()
        self.drawn = True

    def finish(self) -> None:
        if self.drawn:
            sys.stderr.write("\r\x1b[K")
            sys.stderr.flush()


def _open(
    args: argparse.Namespace, rebuild: bool = False, check: bool = True
) -> tuple[Index, BuildReport | None, bool]:
    """The index, what updating it did, and whether the files were checked (`check=False`:
    the last complete index as it is, for the app, which checks after its first screen)."""
    bar = _ProgressBar()
    try:
        if check or rebuild:
            opened = open_index(_root(args), _shelves(args), progress=bar, rebuild=rebuild)
        else:
            opened = open_last(_root(args), _shelves(args), progress=bar)
    finally:
        bar.finish()
    if opened.note:
        print(f"termpedia: {opened.note}", file=sys.stderr)
    if opened.report is not None:
        # Only what this update found first: known problems are `termpedia check`'s to list.
        for problem in opened.report.new_problems:
            print(visible(str(problem)), file=sys.stderr)
    return opened.index, opened.report, opened.checked


def _resolve(index: Index, target: str) -> tuple[Article, str | None]:
    """The article and section anchor an address names, or Failure(NOT_FOUND)."""
    resolution = index.catalog.resolve(target)
    if resolution.entry is None:
        if resolution.candidates:
            names = ", ".join(f"{e.title} ({e.library})" for e in resolution.candidates[:5])
            raise Failure(f"{target!r} could mean: {names}", NOT_FOUND)
        gone = index.unavailable()
        if gone:
            # Its titles are unknown while an archive is away: likely the one asked for.
            raise Failure(gone[0], BAD_INPUT)
        closest = index.catalog.closest(target)
        hint = f"; closest: {', '.join(closest)}" if closest else ""
        raise Failure(f"no article titled {visible(target)!r}{hint}", NOT_FOUND)
    try:
        article = read_article(resolution.entry.path)
    except ArticleError as error:
        raise Failure(str(error.diagnostic), BAD_INPUT) from error
    if not resolution.fragment:
        return article, None
    section = find_section(article, resolution.fragment)
    if section is not None:
        return article, section.anchor
    starting = [s.heading for s in sections_starting(article, resolution.fragment)]
    if len(starting) > 1:
        where = f"{counted(len(starting), 'heading')} start with it: {', '.join(starting)}"
    else:
        where = "sections: " + ", ".join(s.heading for s in article.walk() if s.heading)
    raise Failure(
        f"{article.title!r} has no section {visible(resolution.fragment)!r}; {where}", NOT_FOUND
    )


WEB_DRIVER = "textual.drivers.web_driver"
"""The module of Textual's web driver, named in TEXTUAL_DRIVER by textual-serve."""


def can_draw() -> bool:
    """Can the app start here? Textual reads keys from stdin and draws on the process's
    stderr (`sys.__stderr__`): both must be a terminal, unless Textual's web driver runs
    the app (textual-serve), which talks to the browser over pipes."""
    driver = os.environ.get("TEXTUAL_DRIVER", "")
    if driver.partition(":")[0] == WEB_DRIVER:
        return True
    streams = (sys.__stdin__, sys.__stderr__)
    return all(stream is not None and stream.isatty() for stream in streams)


def _no_terminal(args: argparse.Namespace, file: Path | None) -> Failure:
    """Why the app cannot open here, and what to run instead: one line, exit 2."""
    target: str | None = args.target
    if not target:
        return Failure("the app needs a terminal (try: termpedia --help)", USAGE)
    if file is not None:
        return Failure(f"the app needs a terminal to show {target}", USAGE)
    quoted = shlex.quote(target)
    if _is_archive(Path(target)):
        return Failure(
            f"the app needs a terminal to read {target} (try: termpedia import zim {quoted})",
            USAGE,
        )
    index, _, _ = _open(args)
    resolution = index.catalog.resolve(target)
    if resolution.entry is not None or resolution.candidates:
        return Failure(f"the app needs a terminal (try: termpedia show {quoted})", USAGE)
    if args.implied_open:
        return Failure(
            f"{target!r} is not a command or an article title (try: termpedia search {quoted})",
            USAGE,
        )
    return Failure(
        f"no article titled {target!r}, and no terminal to search in "
        f"(try: termpedia search {quoted})",
        USAGE,
    )


def cmd_open(args: argparse.Namespace) -> int:
    target: str | None = args.target
    file: Path | None = None
    if target and target.endswith(".txt") and Path(target).exists():
        file = Path(target)
        try:
            load_article(file)
        except ArticleError as error:
            raise Failure(str(error.diagnostic), BAD_INPUT) from error
    if not can_draw():
        raise _no_terminal(args, file)
    if target and _is_archive(Path(target)):
        target = _open_archive(args, Path(target))
    elif not target and not file:
        target = _archive_start(args)
    index, _, checked = _open(args, check=False)
    # Textual loads only here, so the other commands start quickly.
    from termpedia.tui.app import run
    from termpedia.tui.services import Services
    from termpedia.tui.state import ReaderState

    services = Services(
        ReaderState.load(private=args.private),
        index_root=_root(args),
        shelves=_shelves(args),
        catch_up=not checked,
    )
    return run(index, target=None if file else target, file=file, services=services)


def _is_archive(path: Path) -> bool:
    """A ZIM file (`X.zim`), or a split one's first part or name (`X.zimaa`, `X.zim`)."""
    return path.suffix.startswith(".zim") and bool(archive_parts(path))


def _open_archive(args: argparse.Namespace, path: Path) -> str:
    """`termpedia X.zim`: register the archive (as `import zim` does, named after the file)
    and open the app on its main page; the address of that page."""
    folder = paths.libraries_dir() / library_name(path.name.split(".")[0])
    try:
        registration, _ = register(path, folder)
        zim = archive_for(registration)
        main = zim.main_path()
        return zim.title_of(main) if main else ""
    except ArchiveError as error:
        raise Failure(str(error), BAD_INPUT) from error


def _archive_start(args: argparse.Namespace) -> str | None:
    """The main page of the archive read in place, when the reader's libraries are that one
    archive (and the bundled manual): the start page, as in Kiwix."""
    shelves = _shelves(args)
    archives = [s.archive for s in shelves if s.archive is not None]
    others = [s for s in shelves if s.archive is None and s.name not in (USER, BUNDLED)]
    user = [s for s in shelves if s.name == USER and s.root.is_dir() and any(s.root.iterdir())]
    if len(archives) != 1 or others or user:
        return None
    try:
        zim = archive_for(archives[0])
        main = zim.main_path()
        return zim.title_of(main) if main else None
    except ArchiveError:
        return None


def _color(text: str, spans: Sequence[tuple[int, int]], on: bool) -> str:
    if not on:
        return text
    out, cursor = [], 0
    for start, end in spans:
        out.append(text[cursor:start] + "\x1b[1;33m" + text[start:end] + "\x1b[0m")
        cursor = end
    out.append(text[cursor:])
    return "".join(out)


def _visible_data(data: object) -> object:
    """`data` with every string in it (keys too) made visible like text output."""
    if isinstance(data, str):
        return visible(data)
    if isinstance(data, dict):
        return {_visible_data(key): _visible_data(value) for key, value in data.items()}
    if isinstance(data, list | tuple):
        return [_visible_data(item) for item in data]
    return data


def _json(data: object) -> str:
    """JSON whose strings are cleaned like text output (`visible`): `jq -r` prints a
    string's characters as they are, so escaping ESC as \\u001b would not be enough.
    `visible` keeps lengths, so offsets into a string (a snippet's matches) stay right."""
    return json.dumps(_visible_data(data), ensure_ascii=False, indent=1)


def _hit_json(hit: SearchHit) -> dict[str, object]:
    return {
        "title": hit.title,
        "section": hit.section,
        "anchor": hit.anchor,
        "library": hit.library,
        "score": round(hit.score, 4),
        "snippet": hit.snippet.text,
        "matches": [list(span) for span in hit.snippet.spans],
        "path": hit.path,
    }


def cmd_search(args: argparse.Namespace) -> int:
    if args.limit < 1:
        raise Failure("--limit must be at least 1", USAGE)
    index, _, _ = _open(args)
    result = index.search(args.query, limit=args.limit)
    if result.note:
        print(f"termpedia: {result.note}", file=sys.stderr)
    if result.suggestion:
        print(f"termpedia: did you mean: {visible(result.suggestion)}", file=sys.stderr)
    if args.json:
        print(_json([_hit_json(hit) for hit in result.hits]))
    else:
        color = sys.stdout.isatty() and "NO_COLOR" not in os.environ
        for hit in result.hits:
            where = f"{hit.title} › {hit.section}" if hit.section else hit.title
            print(f"{visible(where)}  ({hit.score:.2f}, {hit.library})")
            if hit.snippet.text:
                print("    " + _color(visible(hit.snippet.text), hit.snippet.spans, color))
    if not result.hits:
        print(f"termpedia: no hits for {visible(args.query)!r}", file=sys.stderr)
        return NOT_FOUND
    return OK


def cmd_show(args: argparse.Namespace) -> int:
    index, _, _ = _open(args)
    article, anchor = _resolve(index, args.target)
    if args.json:
        sections = [
            {
                "heading": section.heading,
                "path": " > ".join(trail),
                "level": section.level,
                "anchor": section.anchor,
                "text": section_display(section).text,
            }
            for section, trail in article.outline()
            if anchor is None
            or section.anchor == anchor
            or (anchor and _below(article, anchor, section.anchor))
        ]
        data = {
            "title": article.title,
            "path": article.path,
            "anchor": anchor or "",
            "aliases": list(article.aliases),
            "infobox": [list(pair) for pair in article.infobox],
            "sections": sections,
            "see_also": [link.address for link in article.see_also],
        }
        print(_json(data))
    else:
        sys.stdout.write(plain_text(article, anchor))
    return OK


def _below(article: Article, anchor: str, candidate: str) -> bool:
    top = article.section(anchor)
    return top is not None and any(s.anchor == candidate for s in top.walk())


def cmd_index(args: argparse.Namespace) -> int:
    # update() directly, not _open(): another writer must mean "busy" (exit 4) here, where
    # reading commands fall back to the last complete index.
    from termpedia.index.build import update

    bar = _ProgressBar()
    try:
        report = update(_root(args), _shelves(args), rebuild=args.rebuild, progress=bar)
    finally:
        bar.finish()
    for problem in report.new_problems:
        print(visible(str(problem)), file=sys.stderr)
    archives = _index_archives(args, report)
    known = len(report.problems) - len(report.new_problems)
    if known:
        noun = "more problem" if report.new_problems else "problem"
        verb = "is" if known == 1 else "are"
        print(
            f"termpedia: {counted(known, noun)} {verb} known: `termpedia check` lists them",
            file=sys.stderr,
        )
    size = f"{counted(report.articles, 'article')}, {counted(report.sections, 'section')}"
    if not report.full and not report.indexed and not report.removed:
        print(f"index up to date: {size}")
    else:
        kind = "built" if report.full else "updated"
        print(
            f"index {kind}: {size}, {report.indexed} re-indexed, {report.removed} removed "
            f"in {report.seconds:.2f} s"
        )
    for line in archives:
        print(line)
    # Like `check`: the index holds everything readable, but errors are not a success.
    failed = any(p.severity == "error" for p in report.problems) or any(
        line.startswith("termpedia:") for line in archives
    )
    return BAD_INPUT if failed else OK


def _index_archives(args: argparse.Namespace, report: BuildReport) -> list[str]:
    """Build (or go on building) the section index of each archive read in place, with a
    progress bar each; one line per archive."""
    from termpedia.index.archive import build_all, overridden
    from termpedia.index.store import Manifest, current_generation

    root = _root(args)
    generation = current_generation(root)
    manifest = Manifest.load(generation) if generation else None
    hidden = overridden(manifest.files) if manifest else {}
    bars: dict[str, _ProgressBar] = {}

    def progress(name: str, done: int, total: int) -> None:
        bar = bars.setdefault(name, _ProgressBar(f"indexing {name}"))
        bar(done, total)

    try:
        results = build_all(root, _shelves(args), hidden, progress)
    finally:
        for bar in bars.values():
            bar.finish()
    lines = []
    for result in results:
        if isinstance(result, str):
            lines.append(f"termpedia: {visible(result)}")
        else:
            lines.append(
                f"archive {result.library}: {counted(result.articles, 'article')} of "
                f"{result.total:,}, {counted(result.sections, 'section')} indexed"
            )
    return lines


def _article_files(paths: list[Path]) -> tuple[list[Path], list[Diagnostic]]:
    files: list[Path] = []
    problems: list[Diagnostic] = []
    for path in paths:
        if path.is_dir():
            found, trouble = scan(Shelf("check", path))
            files.extend(f.path for f in found)
            problems.extend(trouble)
        else:
            files.append(path)
    return files, problems


def cmd_check(args: argparse.Namespace) -> int:
    overriding: list[str] = []
    if args.paths:
        files, problems = _article_files(args.paths)
        _read_each(files, problems)
    else:
        articles, problems = read_libraries(_shelves(args))
        overriding, clashes = titles_report(articles)
        problems += clashes
        files = [Path(file.location) for file, _ in articles]
    for problem in problems:
        print(visible(str(problem)))
    for line in overriding:
        print(visible(line))
    errors = sum(1 for p in problems if p.severity == "error")
    warnings = len(problems) - errors
    overrides = f", {counted(len(overriding), 'override')}" if overriding else ""
    print(
        f"checked {counted(len(files), 'file')}: {counted(errors, 'error')}, "
        f"{counted(warnings, 'warning')}{overrides}",
        file=sys.stderr,
    )
    return BAD_INPUT if errors else OK


def _read_each(files: list[Path], problems: list[Diagnostic]) -> None:
    """Parse each file, adding its diagnostics (or why it cannot be read) to `problems`."""
    for path in files:
        try:
            problems.extend(load_article(path).diagnostics)
        except ArticleError as error:
            problems.append(error.diagnostic)


def cmd_links(args: argparse.Namespace) -> int:
    index, _, _ = _open(args)
    article, _ = _resolve(index, args.target)
    outgoing: list[dict[str, object]] = []
    for link in article.links:
        resolved = index.catalog.resolve(link.address) if link.target else None
        outgoing.append(
            {
                "target": link.address or f"#{link.fragment}",
                "label": link.label,
                "kind": link.kind,
                "line": link.line,
                "resolves_to": resolved.entry.title if resolved and resolved.entry else None,
                "dangling": bool(link.target) and (resolved is None or resolved.entry is None),
            }
        )
    found = sorted(
        index.backlinks(article.title),
        key=lambda hit: (hit.title.casefold(), hit.title, hit.section.casefold(), hit.section),
    )
    backlinks = [asdict(hit) for hit in found]
    for hit in backlinks:
        del hit["snippet"], hit["score"]
    if args.json:
        print(_json({"title": article.title, "outgoing": outgoing, "backlinks": backlinks}))
        return OK
    print(f"links from {visible(article.title)}:")
    kinds = {"inline": "inline  ", "see_also": "see also"}  # one width: the targets line up
    for row in outgoing:
        mark = "  (no article yet)" if row["dangling"] else ""
        print(f"  {kinds[str(row['kind'])]}  {visible(str(row['target']))}{mark}")
    print(f"links to {visible(article.title)}:")
    for hit in backlinks:
        where = f"{hit['title']} › {hit['section']}" if hit["section"] else hit["title"]
        print(f"  {visible(str(where))}")
    return OK


def cmd_import(args: argparse.Namespace) -> int:
    if args.kind == "zim" and not args.copy:
        return _register(args, args.source, args.name)
    bar = _ProgressBar("importing")
    try:
        summary = import_library(
            converter(args.kind), args.source, args.name, args.language, progress=bar
        )
    except SourceError as error:
        raise Failure(str(error), BAD_INPUT) from error
    finally:
        bar.finish()
    if summary.unchanged:
        print(summary.line())
    else:
        started = time.perf_counter()
        _open(args)  # index the new library now, not at the next start
        print(summary.line(indexed=time.perf_counter() - started))
    if args.report:
        _print_report(args.kind, summary.report)
    return OK


def _print_report(kind: str, report: dict[str, object] | None) -> None:
    """`import --report`: the converter's report of the source (MediaWiki: templates)."""
    if report is None:
        print(f"note: a {kind} import has no template report", file=sys.stderr)
        return
    from termpedia.content.importers.templates import TemplateReport

    print()
    for line in TemplateReport.from_json(report).lines():
        print(visible(line))


def _register(args: argparse.Namespace, source: Path, name: str | None) -> int:
    """`import zim FILE`: the archive registered in place (nothing copied); its section
    index is built by `termpedia index`, or in the background by the app."""
    started = time.perf_counter()
    stem = name or source.name.split(".")[0]
    folder = paths.libraries_dir() / library_name(stem)
    try:
        registration, changed = register(source, folder, args.language)
    except ArchiveError as error:
        raise Failure(str(error), BAD_INPUT) from error
    took = time.perf_counter() - started
    if not changed:
        print(f"library {registration.name!r} is already this archive (nothing to do)")
        return OK
    print(
        f"registered {source} as library {registration.name!r} in place "
        f"({counted(registration.articles, 'article')}, {registration.language}) in {took:.2f} s;"
        " `termpedia index` builds its section index (searches use the archive's own until then)"
    )
    return OK


def cmd_library(args: argparse.Namespace) -> int:
    if args.action == "remove":
        if not remove_library(args.name):
            raise Failure(f"no imported library named {args.name!r}", NOT_FOUND)
        _open(args)
        print(f"removed library {args.name!r}")
        return OK
    libraries = list_libraries()
    keys = ("name", "kind", "source", "language", "articles", "aliases", "sections", "mode")
    rows = [{key: library.get(key) for key in keys} for library in libraries]
    for row, shelf in zip(rows, _library_shelves(rows), strict=True):
        row["status"] = "ok"
        if shelf is not None and shelf.archive is not None:
            problem = archive_status(shelf.archive)
            row["status"] = "missing" if "missing" in problem else "replaced" if problem else "ok"
            row["sections"] = archive_coverage(_root(args), shelf.archive).sections
    if args.json:
        print(_json(rows))
    elif not rows:
        print("no imported libraries (termpedia import KIND SOURCE adds one)")
    for row in [] if args.json else rows:
        counts = [counted(int(str(row[key] or 0)), key[:-1]) for key in ("articles", "sections")]
        where = "in place" if row.get("mode") else "imported"
        state = "" if row["status"] == "ok" else f"  [{str(row['status']).upper()}]"
        line = f"{row['name']}  {row['kind']}  {', '.join(counts)}  {where} from {row['source']}"
        print(visible(line + state))
    return OK


def _library_shelves(rows: list[dict[str, object]]) -> list[Shelf | None]:
    by_name = {shelf.name: shelf for shelf in default_shelves()}
    return [by_name.get(library_name(str(row.get("name") or ""))) for row in rows]


def cmd_serve(args: argparse.Namespace) -> int:
    from termpedia.tui.serve.server import is_loopback, serve

    if args.max_sessions < 1:
        raise Failure("--max-sessions must be at least 1", USAGE)
    if not 0 < args.port < 65536:
        raise Failure("--port must be between 1 and 65535", USAGE)
    # The index up to date before anyone reads it: sessions never write it.
    _open(args)
    if not is_loopback(args.host):
        print(
            f"termpedia: warning: listening on {args.host}: everyone who can reach it can "
            "read these libraries",
            file=sys.stderr,
        )
    extra = [*getattr(args, "library", []), *getattr(args, "library_after", [])]
    return serve(
        _root(args).resolve(),
        [folder.resolve() for folder in extra],
        host=args.host,
        port=args.port,
        max_sessions=args.max_sessions,
        public=args.public_url,
    )


COMMAND_FUNCTIONS = {
    "import": cmd_import,
    "library": cmd_library,
    "open": cmd_open,
    "search": cmd_search,
    "show": cmd_show,
    "index": cmd_index,
    "check": cmd_check,
    "links": cmd_links,
    "serve": cmd_serve,
}


if __name__ == "__main__":
    raise SystemExit(main())
