"""The tiers and the worker that measures one of them.

Tiers (smallest first):

- `bundled`: the bundled encyclopedia only.
- `enwiki`: the shared English Wikipedia sample imported with
  `import_library(converter("mediawiki"), ...)`, indexed with the bundled articles.
- `synth10k`, `synth100k`: `synth.generate(folder, sections, seed)` libraries (10,000 and
  100,000 sections), cached in `WORK/synth10k` / `WORK/synth100k` and reused, indexed with the
  bundled articles as a `--library` folder. For synth100k an existing index at /tmp/ix100k
  (built from /tmp/synth100k) is reused if it is complete: it is hard-linked into
  `WORK/tiers/synth100k/ix100k` (Whoosh writes new files and never rewrites old ones, and
  termpedia replaces its JSON files atomically, so the original is never modified), and the
  app is started on it with the shelves its manifest names (through `launch app` when the
  command line would name them differently and so re-index everything).
- `synthcjk10k`: a Chinese library of 10,000 sections (`synthcjk.generate`: synth10k's shapes,
  text without spaces), installed as an imported library of language `zh` and measured as
  synth10k is, with query lists of its own text and an FTS5 baseline that indexes each Han
  character (tests/bench/synthcjk.py); the report sets it beside synth10k.

Each tier runs in its own process with its own XDG_DATA/CONFIG/STATE/CACHE_HOME under
`WORK/tiers/NAME/xdg` (set by the parent before this module imports termpedia), so one
tier's index, history and settings never meet another's. Run one tier by hand with
`python -m tests.bench.tiers NAME --work DIR --out FILE.json` (the parent sets the env).
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import shutil
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import figures
from .common import ENWIKI, ROOT, guarded

TIERS = ("bundled", "enwiki", "synth10k", "synthcjk10k", "synth100k")
SYNTH_SECTIONS = {"synth10k": 10_000, "synth100k": 100_000}
CJK_SECTIONS = {"synthcjk10k": 10_000}
LEAD_ARTICLES_100K = Path("/tmp/synth100k")
LEAD_INDEX_100K = Path("/tmp/ix100k")
START = "termpedia"
START_MARKER = "Getting around"


@dataclass
class Tier:
    name: str
    home: Path
    """The tier's scratch folder (XDG folders, edited and generated articles, FTS5 file)."""
    index: Path
    shelves: list[Any]
    cli_args: list[str] = field(default_factory=list)
    launcher: bool = False
    """Start the app through `launch app` (the manifest's shelves) instead of `termpedia`."""
    reused_index: str = ""
    start: str | None = START
    marker: str = START_MARKER
    notes: list[str] = field(default_factory=list)
    info: dict[str, Any] = field(default_factory=dict)
    cjk: bool = False
    """A tier of Chinese text: its own query lists, FTS5 baseline and long article."""

    def app_command(self) -> list[str]:
        if self.launcher:
            from .launch import shelf_specs

            command = [sys.executable, "-m", "tests.bench.launch", "app"]
            command += ["--index", str(self.index)]
            for spec in shelf_specs(self.shelves):
                command += ["--shelf", spec]
            if self.start and self.start != START:
                command += ["--start", self.start]
            return command
        command = [str(Path(sys.executable).parent / "termpedia"), *self.cli_args]
        if self.start and self.start != START:
            command.append(self.start)
        return command


@dataclass
class Context:
    tier: Tier
    env: dict[str, str]
    seed: int
    repeat: int
    index: Any = None
    fts: Any = None
    text: Any = None
    read_seconds: float = 0.0
    queries: dict[str, Any] = field(default_factory=dict)
    EDIT_TITLE: str = "Benchmark edit target"

    @property
    def passes(self) -> int:
        """Passes over the query lists: --repeat, but one on a tier above 50,000 sections
        (typing 100 queries there takes minutes per pass)."""
        big = self.index is not None and self.index.section_count > 50_000
        return 1 if big else self.repeat

    @property
    def edit_path(self) -> Path:
        from termpedia.content.paths import user_articles_dir

        return user_articles_dir() / "benchmark-edit-target.txt"

    def edit_article(self, word: str = "") -> Path:
        """Write (or rewrite, with `word` in its last section) the article that the
        re-index and start-up-with-update figures edit: 12 sections of the tier's text."""
        texts = (self.text.sample if self.text is not None else []) or ["plain words"] * 12
        parts = [f"= {self.EDIT_TITLE} =\n\n{self.EDIT_TITLE}\n- Kind: benchmark\n\n"]
        parts.append(texts[0][:1500] + "\n")
        for number in range(1, 12):
            parts.append(f"\n==Part {number}==\n{texts[number % len(texts)][:1500]}\n")
        if word:
            parts.append(f"\nEdited: {word}.\n")
        path = self.edit_path
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("".join(parts), encoding="utf-8")
        return path

    def remove_edit_article(self) -> None:
        from termpedia.index.build import update

        if self.edit_path.exists():
            self.edit_path.unlink()
            update(self.tier.index, self.tier.shelves)

    def largest_article(self) -> Path:
        files = self.index.manifest.files
        return Path(max(files, key=lambda p: (files[p].size, p)))

    def generated_article(self) -> Path:
        path = self.tier.home / "generated-300KiB.txt"
        if not path.exists():
            titles = self.text.titles if self.text is not None else []
            texts = self.text.sample[:200] if self.text is not None else []
            if self.tier.cjk:
                from .synthcjk import generated_article

                generated_article(path, titles, self.seed)
            else:
                figures.generated_article(path, titles, texts, self.seed)
        return path


# -- preparing the tiers -----------------------------------------------------------------------


def prepare(name: str, work: Path, options: argparse.Namespace) -> Tier:
    from termpedia.content.library import default_shelves
    from termpedia.content.paths import index_dir

    home = work / "tiers" / name
    home.mkdir(parents=True, exist_ok=True)
    if name == "bundled":
        return Tier(name, home, index_dir(), default_shelves())
    if name == "enwiki":
        from termpedia.content.importers import converter
        from termpedia.content.importers.store import import_library

        summary = import_library(converter("mediawiki"), ENWIKI)
        tier = Tier(name, home, index_dir(), default_shelves())
        tier.info["import"] = summary.line()
        return tier
    if name in SYNTH_SECTIONS:
        sections = SYNTH_SECTIONS[name]
        folder = work / name
        lead_articles = Path(options.synth100k_articles) if options.synth100k_articles else None
        lead_index = Path(options.synth100k_index) if options.synth100k_index else None
        if name == "synth100k" and lead_articles and (lead_articles / "00").is_dir():
            folder = lead_articles
        else:
            generate(folder, sections, options.seed)
        note = ""
        if name == "synth100k" and lead_index and (lead_index / "CURRENT").exists():
            reused = reuse(name, home, folder, lead_index)
            if reused is not None:
                return reused
            note = f"{lead_index} is of another schema version: built an index of our own"
        tier = Tier(name, home, index_dir(), default_shelves([folder]))
        if note:
            tier.notes.append(note)
        tier.cli_args = ["--library", str(folder)]
        tier.info["articles_folder"] = str(folder)
        return tier
    if name in CJK_SECTIONS:
        from .synthcjk import install

        folder = install(name, CJK_SECTIONS[name], options.seed, generate)
        tier = Tier(name, home, index_dir(), default_shelves(), cjk=True)
        tier.info["articles_folder"] = str(folder)
        return tier
    raise SystemExit(f"unknown tier {name!r}; tiers: {', '.join(TIERS)}")


def generate(folder: Path, sections: int, seed: int, synth: Any = None) -> None:
    """The synthetic library (synth.py's, or `synth`'s), generated once into `folder` and
    reused."""
    if synth is None:
        from .synth import generate as synth

    done = folder / f".complete-{sections}-{seed}"
    if done.exists():
        return
    shutil.rmtree(folder, ignore_errors=True)
    started = time.perf_counter()
    articles, count = synth(folder, sections, seed)
    done.write_text(json.dumps({"articles": articles, "sections": count}))
    print(
        f"  generated {articles} articles, {count} sections in "
        f"{time.perf_counter() - started:.1f} s",
        file=sys.stderr,
    )


def reuse(name: str, home: Path, folder: Path, lead_index: Path) -> Tier | None:
    """A hard-linked copy of a complete index built elsewhere, with its manifest's shelves;
    None if its manifest is of another schema version (termpedia would rebuild it)."""
    from termpedia.content.library import USER, Shelf, bundled_shelf, default_shelves
    from termpedia.content.paths import user_articles_dir
    from termpedia.index.build import update
    from termpedia.index.store import Manifest, current_generation

    copy = home / "ix100k"
    shutil.rmtree(copy, ignore_errors=True)
    if os.stat(home).st_dev != os.stat(lead_index).st_dev:
        raise RuntimeError(f"{lead_index} is on another file system: cannot hard-link it")
    generation = current_generation(lead_index)
    if generation is None:
        raise RuntimeError(f"{lead_index}: no complete generation")
    if Manifest.load(generation) is None:
        return None
    copy.mkdir(parents=True)
    shutil.copytree(generation, copy / generation.name, copy_function=os.link)
    (copy / generation.name / "MAIN_WRITELOCK").unlink(missing_ok=True)
    (copy / "CURRENT").write_text(generation.name)
    manifest = Manifest.load(copy / generation.name)
    if manifest is None:
        raise RuntimeError(f"{generation}: no readable manifest")
    roots: dict[str, list[str]] = {}
    languages: dict[str, str] = {}
    for path, record in manifest.files.items():
        roots.setdefault(record.library, []).append(path)
        languages[record.library] = record.language
    shelves: list[Any] = [Shelf(USER, user_articles_dir(), writable=True)]
    for library in sorted(roots):
        if library == "bundled":
            continue
        common = Path(os.path.commonpath(roots[library]))
        root = common if common.is_dir() else common.parent
        shelves.append(Shelf(library, root, language=languages[library]))
    if "bundled" in roots:
        shelves.append(bundled_shelf())
    tier = Tier(name, home, copy, shelves, reused_index=str(lead_index))
    cli = default_shelves([folder])
    same = {(s.name, str(s.root)) for s in cli} == {(s.name, str(s.root)) for s in shelves}
    if same:
        tier.cli_args = ["--index", str(copy), "--library", str(folder)]
    else:
        tier.launcher = True
        tier.notes.append(
            "the reused index names its shelves differently from `termpedia --library "
            f"{folder}` ({sorted(roots)}): the app is started through `launch app` with "
            "the manifest's shelves (the same start-up code path)"
        )
    started = time.perf_counter()
    report = update(copy, shelves)
    tier.info["catch_up_update"] = {
        "indexed": report.indexed,
        "removed": report.removed,
        "seconds": round(time.perf_counter() - started, 2),
    }
    tier.info["articles_folder"] = str(folder)
    return tier


def choose_start(tier: Tier, index: Any) -> None:
    """Start on the manual when the tier has it, else on the first title (marker: its first
    heading), so the cold start waits for an article on the screen either way."""
    from termpedia.content.library import load_article

    if index.catalog.resolve(START).entry is not None:
        return
    path, record = min(index.manifest.files.items(), key=lambda item: item[1].title)
    article = load_article(Path(path))
    headings = [s.heading for s, _ in article.outline() if s.heading]
    tier.start = record.title
    tier.marker = headings[0] if headings else record.title
    tier.notes.append(f"no manual in this index: starting on {record.title!r}")


# -- the worker --------------------------------------------------------------------------------


def stored_rows(index: Any) -> list[tuple[str, str, str, str]]:
    """(key, title, heading, text) of every section, from the index's stored fields."""
    from whoosh import index as whoosh_index

    rows = []
    searcher = whoosh_index.open_dir(str(index.generation)).searcher()
    try:
        for fields in searcher.all_stored_fields():
            rows.append(
                (
                    str(fields.get("key", "")),
                    str(fields.get("name", "")),
                    str(fields.get("heading", "")),
                    str(fields.get("text", "")),
                )
            )
    finally:
        searcher.close()
    return rows


def run_tier(name: str, work: Path, options: argparse.Namespace) -> dict[str, Any]:
    from termpedia.index.build import update
    from termpedia.index.search import Index

    from . import queries, synthcjk
    from .fts import Fts5
    from .synthcjk import CjkFts5

    started = time.perf_counter()
    out: dict[str, Any] = {"tier": name, "figures": {}}
    figs: dict[str, Any] = out["figures"]
    print(f"[{name}] preparing", file=sys.stderr, flush=True)
    tier = prepare(name, work, options)
    ctx = Context(tier, dict(os.environ), options.seed, options.repeat)

    guarded(figs, "build", lambda: figures.build(ctx))
    report = update(tier.index, tier.shelves)
    ctx.index = Index(tier.index)
    choose_start(tier, ctx.index)
    out["info"] = {
        **tier.info,
        "articles": len(ctx.index.manifest.files),
        "sections": ctx.index.section_count,
        "libraries": ctx.index.libraries,
        "index": str(tier.index),
        "catch_up_update_indexed": report.indexed,
        "start": tier.start,
        "marker": tier.marker,
        "app_command": " ".join(tier.app_command()),
    }

    def setup_text() -> dict[str, Any]:
        began = time.perf_counter()
        rows = stored_rows(ctx.index)
        ctx.read_seconds = time.perf_counter() - began
        ctx.fts = (CjkFts5 if tier.cjk else Fts5)(tier.home / "fts5.sqlite3")
        ctx.fts.build((title, heading, text) for _, title, heading, text in rows)
        titles = [record.title for record in ctx.index.manifest.files.values()]
        if tier.cjk:
            ctx.text = synthcjk.collect(titles, rows, len(rows))
            ctx.queries = synthcjk.query_lists(ctx.text, options.seed)
            return figures.fts5_build(ctx)
        counts = ctx.index.vocabulary.counts if hasattr(ctx.index, "vocabulary") else None
        ctx.text = queries.TierText.collect(titles, rows, len(rows), counts or None)
        del rows
        typing = queries.as_you_type(ctx.text, options.seed)
        ctx.queries = {
            "as_you_type": typing,
            "keystroke": queries.keystroke_query(typing),
            "full": queries.full_queries(ctx.text, options.seed),
            "misspellings": [list(m) for m in queries.misspellings(ctx.text, options.seed)],
        }
        return figures.fts5_build(ctx)

    guarded(figs, "fts5_build", setup_text)
    out["queries"] = ctx.queries
    gc.collect()
    if ctx.fts is not None:
        guarded(figs, "as_you_type", lambda: figures.as_you_type(ctx))
        guarded(figs, "full_queries", lambda: figures.full_queries(ctx))
        if tier.cjk:
            figs["did_you_mean"] = {"skipped": synthcjk.NO_MISSPELLINGS}
        else:
            guarded(figs, "did_you_mean", lambda: figures.did_you_mean(ctx))
    guarded(figs, "index_size", lambda: figures.index_size(ctx))

    app: dict[str, Any] = {}
    guarded(app, "pilot", lambda: figures.pilot(ctx, options.keystroke))
    if "error" in app["pilot"]:
        figs["open_article"] = app["pilot"]
        if options.keystroke:
            figs["keystroke_to_screen"] = app["pilot"]
    else:
        figs.update(app["pilot"])
        figs["open_article"]["figure_seconds"] = app["pilot"].get("figure_seconds")

    guarded(figs, "reindex", lambda: figures.reindex(ctx))
    guarded(figs, "cold_start", lambda: figures.cold_start(ctx))
    guarded(figs, "app_memory", lambda: figures.app_memory(ctx))
    try:
        ctx.remove_edit_article()
    except Exception as error:  # noqa: BLE001 - cleanup only
        tier.notes.append(f"could not remove the edited article: {error}")
    if ctx.fts is not None:
        ctx.fts.close()
    out["notes"] = tier.notes
    out["seconds"] = round(time.perf_counter() - started, 1)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("tier", choices=TIERS)
    parser.add_argument("--work", type=Path, required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--keystroke", action="store_true")
    parser.add_argument("--synth100k-articles", default=str(LEAD_ARTICLES_100K))
    parser.add_argument("--synth100k-index", default=str(LEAD_INDEX_100K))
    options = parser.parse_args()
    if "XDG_CACHE_HOME" not in os.environ:
        raise SystemExit("run through `python -m tests.bench` (it sets the tier's XDG folders)")
    os.chdir(ROOT)
    result = run_tier(options.tier, options.work.resolve(), options)
    options.out.write_text(json.dumps(result, indent=1, ensure_ascii=False))


if __name__ == "__main__":
    main()
