"""termpedia's benchmark suite (not part of the test run: timings on a shared machine do not
belong in assertions, and no module here is named test_*.py).

Run from the project folder:

    .venv/bin/python -m tests.bench --tiers bundled,enwiki,synth10k \\
        --out tests/bench/out/results.json --results-md tests/bench/RESULTS.md

Modules:

- `run` (`python -m tests.bench`): runs each tier in its own process and XDG folders, then the
  ranking; prints the tables, writes the JSON and, with --results-md, the Markdown.
- `tiers`: the tiers (bundled, enwiki, synth10k, synthcjk10k, synth100k) and the worker
  measuring one.
- `synthcjk`: the synthcjk10k tier's Chinese library (10,000 sections of text without
  spaces, installed as an imported library of language zh), its query lists (two-character
  words, four-character phrases, single characters, titles) and FTS5 baseline (a token per
  Han character), and the report's table setting it beside synth10k (goal: build rate and
  query p95s within 2× of synth10k's in the same run).
- `zimtier`, `zimfigures`, `zimreport`: the zim100k tier (opt-in): a synthetic Kiwix ZIM
  (`zimsynth`, libzim's Creator with its full-text and title indexes) registered and read in
  place, measured beside kiwix's engine (libzim's Searcher and SuggestionSearcher
  in-process, the kiwix-search command) and beside a build of the same articles as text
  files; one run per size of `--zim-articles` (default 10000,100000), the 1,000,000-article
  figures extrapolated from the two largest unless run (`--zim-articles
  10000,100000,1000000`). What it measures: the docstring of `zimtier`.
- `zimsynth`: synthetic ZIM archives (`synthetic_zim(out, articles, seed)`), also used by the
  tests.
- `figures`: the figures, each with its baseline measured in the same run.
- `queries`: the query lists, built from each tier's own titles and words (seeded).
- `fts`: the SQLite FTS5 baseline.
- `ranking`: ranking quality with real link texts as queries, termpedia against kiwix-search;
  its query file is `queries/ranking.tsv`.
- `report`: the tables and the goals.
- `launch`: subprocess entry points (a measured full build; the app on a reused index).
- `synth`: the deterministic synthetic library (`generate(out, sections, seed)`).
- `common`: statistics, process memory, tmux helpers.

Figures (median, p95 and max over repeated runs):

1. Search as you type: every prefix of 100 queries through `Index.instant(prefix, limit=20)`,
   no debounce, beside SQLite FTS5 answering the same keystroke as a prefix query with bm25
   and snippet(); and keystroke to results on screen in the app under Pilot, debounce
   included, until the next screen refresh after the results were set has been drawn
   (`call_after_refresh`) (bundled tier and the biggest tier of the run; 20 keystrokes).
2. Full queries with snippets (`Index.search(q, limit=20)`: words, phrases, title:/heading:
   field queries) beside FTS5 snippet(); did-you-mean latency and hit rate for one-edit
   misspellings of frequent words.
3. Cold start to the first screen in tmux (100x30, TEXTUAL_ANIMATIONS=none, no COLUMNS/LINES):
   with nothing to update, with one edited article to re-index (the app re-indexes it after
   its first screen), and a bare Textual app.
4. First screen of the tier's largest article and of a generated 300 KiB one
   (`screen.open_file(path)` until the next screen refresh is drawn).
5. Full build rate (sections/s) and peak memory in a subprocess; re-index of one edited
   article until search finds the new word, in a subprocess that holds only the open index
   (as the app's process does); index size on disk; FTS5 build for comparison.
6. Peak RSS (VmHWM) of the app in tmux after start-up and a few searches.

Work files (synthetic libraries, tier XDG folders, FTS5 files) go to tests/bench/out/work
(or --work) and are reused by the next run; tests/bench/out is not committed.
"""
