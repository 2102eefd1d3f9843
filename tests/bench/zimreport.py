"""The zim tier's tables: its figures beside kiwix's engine (figure, termpedia, baseline,
ratio, goal, met), and the growth table over the sizes run, with the 1,000,000-article
figures extrapolated when they were not measured.

Goals (issue 15; the 100k-article size, a 2-core machine): register (`termpedia import zim`)
≤ 2 s wall (median of 3) and ≤ 1 MB added before section indexing; title suggestions as you
type p95 ≤ 15 ms and no slower than libzim's SuggestionSearcher; first screen of an article
read from the archive median ≤ 50 ms and p95 ≤ 100 ms; provisional full-text query p95
≤ 60 ms; section index build from the archive ≥ 1,000 sections/s, ≥ 0.75× the rate of
building the same articles from text files, peak memory (build process and workers) ≤ 500 MB;
section index ≤ 5× the archive's `fulltext/xapian` entry; app RSS while the indexer runs
≤ 200 MB; once indexed, search as you type p95 ≤ 15 ms and full queries with snippets p95
≤ 40 ms.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

Row = tuple[str, ...]
MILLION = 1_000_000


def _get(data: Any, *path: str) -> Any:
    for key in path:
        if not isinstance(data, dict) or key not in data:
            return None
        data = data[key]
    return data


def _met(ok: bool | None) -> str:
    return "—" if ok is None else ("yes" if ok else "no")


def _pair(fig: Any, key: str, digits: int = 1) -> str:
    p50, p95 = _get(fig, key, "p50_ms"), _get(fig, key, "p95_ms")
    if p50 is None or p95 is None:
        return "—"
    return f"{p50:.{digits}f} / {p95:.{digits}f} ms"


def _ratio(a: Any, b: Any) -> str:
    if a is None or not b:
        return "—"
    return f"{a / b:.2f}×"


def _problem(figure: Any) -> str | None:
    if figure is None:
        return "not measured"
    if isinstance(figure, dict) and "error" in figure:
        return "error: " + str(figure["error"]).splitlines()[0][:90]
    if isinstance(figure, dict) and "skipped" in figure:
        return "skipped: " + str(figure["skipped"]).splitlines()[0][:90]
    return None


def zim_rows(tier: dict[str, Any]) -> list[Row]:
    figs = tier.get("figures", {})
    rows: list[Row] = []

    def failed(label: str, figure: Any, goal: str) -> bool:
        problem = _problem(figure)
        if problem:
            rows.append((label, problem, "", "", goal, "—"))
            return True
        return False

    fig = figs.get("archive")
    if not failed("synthetic ZIM", fig, ""):
        rows.append(
            (
                "synthetic ZIM (libzim's Creator, with its full-text and title indexes)",
                f"{fig.get('articles', 0):,} articles, {fig['bytes'] / 1e6:,.1f} MB",
                f"fulltext/xapian {fig.get('fulltext_xapian_bytes', 0) / 1e6:,.1f} MB; "
                f"title/xapian {fig.get('title_xapian_bytes', 0) / 1e6:,.1f} MB",
                "",
                "",
                "",
            )
        )
    fig = figs.get("register")
    goal = "≤ 2 s and ≤ 1 MB"
    if not failed("register (`termpedia import zim`)", fig, goal):
        p50, top = _get(fig, "wall", "p50_s"), _get(fig, "wall", "max_s")
        added = fig["added_bytes"]
        rows.append(
            (
                f"`termpedia import zim` (register; median / max of {fig['runs']}; bytes added)",
                f"{p50:.2f} / {top:.2f} s; {added / 1e3:,.1f} kB",
                f"describe() in-process {_get(fig, 'describe_in_process', 'p50_ms'):.1f} ms",
                "—",
                goal,
                _met(p50 <= 2 and added <= 1_000_000),
            )
        )
        rows.append(
            ("· import again (nothing to do)", f"{fig['reimport_s']:.2f} s", "", "", "", "")
        )
    fig = figs.get("titles")
    goal = "p95 ≤ 15 ms and ≤ libzim"
    if not failed("title suggestions as you type", fig, goal):
        ours, base = _get(fig, "termpedia", "p95_ms"), _get(fig, "libzim", "p95_ms")
        rows.append(
            (
                f"title suggestions as you type, {fig['prefixes']:,} prefixes of "
                f"{fig['titles']} titles (p50 / p95)",
                _pair(fig, "termpedia", 2),
                f"libzim SuggestionSearcher {_pair(fig, 'libzim', 2)}",
                _ratio(ours, base),
                goal,
                _met(ours <= 15 and ours <= base),
            )
        )
        if _get(fig, "before_table", "p95_ms") is not None:
            rows.append(
                (
                    "· before the title table (libzim's suggestions and their titles)",
                    _pair(fig, "before_table", 2),
                    "",
                    "",
                    "",
                    "",
                )
            )
        rows.append(
            (
                "· title table built (seconds; size)",
                f"{fig['table_build_s']:.2f} s; {fig['table_bytes'] / 1e6:,.2f} MB",
                "",
                "",
                "",
                "",
            )
        )
        typed = fig.get("typed_until_in_top_10", {})
        ours_t, base_t = typed.get("termpedia", {}), typed.get("libzim", {})
        rows.append(
            (
                "· characters typed until the title is among the 10 (mean; found)",
                f"{ours_t.get('mean_characters')} ({ours_t.get('found')})",
                f"libzim {base_t.get('mean_characters')} ({base_t.get('found')})",
                "",
                "",
                "",
            )
        )
    fig = figs.get("first_screen")
    goal = "≤ 50 / 100 ms"
    if not failed("first screen of an article from the archive", fig, goal):
        p50, p95 = _get(fig, "termpedia", "p50_ms"), _get(fig, "termpedia", "p95_ms")
        how = "" if fig.get("via") == "open_address" else " (read_article + show, see note)"
        parts = []
        if fig.get("conversion"):
            parts.append(f"conversion {_pair(fig, 'conversion')}")
        parts.append(f"layout {_pair(fig, 'layout_alone')}")
        rows.append(
            (
                f"first screen of an article read from the archive{how}, {fig['articles']} "
                "articles (median / p95)",
                _pair(fig, "termpedia"),
                "; ".join(parts),
                "—",
                goal,
                _met(p50 <= 50 and p95 <= 100),
            )
        )
    fig = figs.get("provisional")
    goal = "p95 ≤ 60 ms"
    if not failed("provisional full-text query", fig, goal):
        ours, base = _get(fig, "termpedia", "p95_ms"), _get(fig, "libzim", "p95_ms")
        rows.append(
            (
                f"provisional full-text query before indexing, {fig['queries']} queries "
                "(p50 / p95)",
                _pair(fig, "termpedia"),
                f"libzim Searcher {_pair(fig, 'libzim')}",
                _ratio(ours, base),
                goal,
                _met(ours <= 60),
            )
        )
        rows.append(
            (
                "· provisional hits shown; of the first 6 a query, mapped to a section",
                f"{fig['provisional_hits']:,}; {fig['mapped_to_a_section']:,}",
                "",
                "",
                "",
                "",
            )
        )
    fig, text = figs.get("build"), figs.get("text_build")
    goal = "≥ 1,000/s, ≥ 0.75× text files, peak ≤ 500 MB"
    if not failed("section index build from the archive", fig, goal):
        rate, peak = fig["sections_per_s"], fig["peak_mb"]
        text_rate = None if _problem(text) else text["sections_per_s"]
        base = (
            "—" if text_rate is None else f"text files {text_rate:,}/s; {text['peak_mb']:,.0f} MB"
        )
        share = None if text_rate is None else rate / text_rate
        ok = rate >= 1000 and peak <= 500 and (share is None or share >= 0.75)
        rows.append(
            (
                "section index build from the archive, conversion included (sections/s; peak:"
                " summed VmHWM, private)",
                f"{rate:,}/s; {peak:,.0f} MB, {fig.get('peak_private_mb', 0):,.0f} MB private",
                base,
                "—" if share is None else f"{share:.2f}× text files",
                goal,
                _met(ok) if share is not None else "—",
            )
        )
        rows.append(
            (
                "· sections, build time",
                f"{fig['sections']:,} in {fig['seconds']:,.1f} s",
                "" if text_rate is None else f"{text['sections']:,} in {text['seconds']:,.1f} s",
                "",
                "",
                "",
            )
        )
    fig = figs.get("index_size")
    goal = "≤ 5× fulltext/xapian"
    if not failed("section index size", fig, goal):
        mb, xapian = fig["mb"], fig["fulltext_xapian_mb"]
        rows.append(
            (
                f"section index size ({fig['segments']} segments)",
                f"{mb:,.1f} MB",
                f"fulltext/xapian {xapian:,.1f} MB",
                _ratio(mb, xapian),
                goal,
                _met(mb <= 5 * xapian) if xapian else "—",
            )
        )
        for kind, size in fig.get("breakdown_mb", {}).items():
            share = f" ({size / mb:.0%})" if mb else ""
            rows.append((f"· {kind}", f"{size:,.1f} MB{share}", "", "", "", ""))
        rows.append(
            (
                "· stored display text as UTF-8 (all stored fields)",
                f"{fig['stored_text_utf8_mb']:,.1f} MB ({fig['stored_fields_utf8_mb']:,.1f} MB)",
                "",
                "",
                "",
                "",
            )
        )
        if text is not None and not _problem(text) and text.get("index_mb"):
            rows.append(
                (
                    "· index of the same articles as text files (du)",
                    f"{text['index_mb']:,.1f} MB",
                    "",
                    "",
                    "",
                    "",
                )
            )
    fig = figs.get("app_rss_while_indexing")
    goal = "≤ 200 MB"
    if not failed("app RSS while the indexer runs", fig, goal):
        peak = fig["app_peak_rss_mb"]
        rows.append(
            (
                "app RSS while its indexer process runs (peak VmRSS; VmHWM)",
                f"{peak:,.0f} MB; {fig['app_vmhwm_mb']:,.0f} MB",
                f"the indexer: {fig['indexer_peak_mb']:,.0f} MB",
                "—",
                goal,
                _met(peak <= 200),
            )
        )
        typing = fig.get("as_you_type_while_indexing")
        if typing and typing.get("n"):
            rows.append(
                (
                    f"as you type while the indexer runs, {typing['n']:,} keystrokes (p50 / p95)",
                    f"{typing['p50_ms']:.1f} / {typing['p95_ms']:.1f} ms",
                    "",
                    "—",
                    "p95 ≤ 15 ms",
                    _met(typing["p95_ms"] <= 15),
                )
            )
        state = "finished" if fig["indexer_finished"] else "then the app quit"
        rows.append(
            (
                "· the app's indexer (seconds; articles covered; searches typed)",
                f"{fig['indexer_seconds']:.0f} s, {state}; {fig['indexer_articles']:,} of "
                f"{fig['indexer_total']:,}; {len(fig['searches_typed'])}",
                "",
                "",
                "",
                "",
            )
        )
    fig = figs.get("as_you_type")
    goal = "p95 ≤ 15 ms"
    if not failed("as you type once indexed", fig, goal):
        ours, base = _get(fig, "termpedia", "p95_ms"), _get(fig, "libzim", "p95_ms")
        rows.append(
            (
                f"as you type once indexed, {fig['keystrokes']:,} keystrokes (p50 / p95)",
                _pair(fig, "termpedia"),
                f"libzim SuggestionSearcher {_pair(fig, 'libzim')}",
                _ratio(ours, base),
                goal,
                _met(ours <= 15),
            )
        )
    fig = figs.get("full_queries")
    goal = "p95 ≤ 40 ms"
    if not failed("full queries once indexed", fig, goal):
        ours, base = _get(fig, "termpedia", "p95_ms"), _get(fig, "libzim", "p95_ms")
        rows.append(
            (
                "full queries with snippets once indexed (p50 / p95)",
                _pair(fig, "termpedia"),
                f"libzim Searcher {_pair(fig, 'libzim')}",
                _ratio(ours, base),
                goal,
                _met(ours <= 40),
            )
        )
        for kind, data in fig.get("by_kind", {}).items():
            ours, base = _get(data, "termpedia", "p95_ms"), _get(data, "libzim", "p95_ms")
            rows.append(
                (
                    f"· {kind} ({data['queries']} queries, p95)",
                    f"{ours:,.1f} ms",
                    f"{base:,.1f} ms",
                    _ratio(ours, base),
                    "",
                    "",
                )
            )
    fig = figs.get("kiwix_search")
    if not failed("`termpedia search` and `kiwix-search`", fig, ""):
        ours = _get(fig, "termpedia_search", "p50_ms")
        base = _get(fig, "kiwix_search", "p50_ms")
        rows.append(
            (
                f"`termpedia search` beside `kiwix-search`, {fig['queries']} queries, wall "
                "(p50 / p95)",
                _pair(fig, "termpedia_search", 0),
                f"kiwix-search {_pair(fig, 'kiwix_search', 0)}",
                _ratio(ours, base),
                "",
                "",
            )
        )
    return rows


# -- growth over the sizes run -----------------------------------------------------------------

Goal = Callable[[float], bool] | None
HEADLINES: list[tuple[str, str, tuple[str, ...], str, Goal]] = [
    # key, label, path in the figures, unit, goal at 1M (None: a baseline)
    ("sections", "sections", ("build", "sections"), "", None),
    ("archive_mb", "ZIM size", ("archive", "bytes"), "MB", None),
    ("register_s", "register, median", ("register", "wall", "p50_s"), "s", lambda v: v <= 2),
    (
        "register_kb",
        "register, bytes added",
        ("register", "added_bytes"),
        "kB",
        lambda v: v <= 1000,
    ),
    (
        "titles_p95",
        "title suggestions p95",
        ("titles", "termpedia", "p95_ms"),
        "ms",
        lambda v: v <= 15,
    ),
    (
        "titles_libzim_p95",
        "· libzim SuggestionSearcher p95",
        ("titles", "libzim", "p95_ms"),
        "ms",
        None,
    ),
    (
        "first_p50",
        "first screen, median",
        ("first_screen", "termpedia", "p50_ms"),
        "ms",
        lambda v: v <= 50,
    ),
    (
        "first_p95",
        "first screen, p95",
        ("first_screen", "termpedia", "p95_ms"),
        "ms",
        lambda v: v <= 100,
    ),
    (
        "provisional_p95",
        "provisional query p95",
        ("provisional", "termpedia", "p95_ms"),
        "ms",
        lambda v: v <= 60,
    ),
    (
        "provisional_libzim_p95",
        "· libzim Searcher p95",
        ("provisional", "libzim", "p95_ms"),
        "ms",
        None,
    ),
    (
        "build_rate",
        "build from the archive",
        ("build", "sections_per_s"),
        "sections/s",
        lambda v: v >= 1000,
    ),
    ("text_rate", "· build from text files", ("text_build", "sections_per_s"), "sections/s", None),
    ("build_peak", "build peak memory", ("build", "peak_mb"), "MB", lambda v: v <= 500),
    (
        "build_private",
        "· private (RssAnon)",
        ("build", "peak_private_mb"),
        "MB",
        lambda v: v <= 500,
    ),
    ("build_s", "build time", ("build", "seconds"), "s", None),
    ("index_mb", "section index size", ("index_size", "mb"), "MB", None),
    ("xapian_mb", "· fulltext/xapian", ("index_size", "fulltext_xapian_mb"), "MB", None),
    (
        "app_rss",
        "app RSS while indexing",
        ("app_rss_while_indexing", "app_peak_rss_mb"),
        "MB",
        lambda v: v <= 200,
    ),
    (
        "instant_p95",
        "as you type p95",
        ("as_you_type", "termpedia", "p95_ms"),
        "ms",
        lambda v: v <= 15,
    ),
    (
        "instant_libzim_p95",
        "· libzim SuggestionSearcher p95",
        ("as_you_type", "libzim", "p95_ms"),
        "ms",
        None,
    ),
    (
        "full_p95",
        "full queries p95",
        ("full_queries", "termpedia", "p95_ms"),
        "ms",
        lambda v: v <= 40,
    ),
    ("full_libzim_p95", "· libzim Searcher p95", ("full_queries", "libzim", "p95_ms"), "ms", None),
    (
        "cli_p50",
        "`termpedia search` wall p50",
        ("kiwix_search", "termpedia_search", "p50_ms"),
        "ms",
        None,
    ),
    (
        "kiwix_p50",
        "· `kiwix-search` wall p50",
        ("kiwix_search", "kiwix_search", "p50_ms"),
        "ms",
        None,
    ),
]


def headline(run: dict[str, Any]) -> dict[str, float]:
    """The figures of one size that the growth table follows."""
    figs = run.get("figures", {})
    found: dict[str, float] = {}
    for key, _label, path, unit, _goal in HEADLINES:
        value = _get(figs, *path)
        if isinstance(value, int | float) and not isinstance(value, bool):
            scale = 1e-6 if key == "archive_mb" else 1e-3 if unit == "kB" else 1
            found[key] = float(value) * scale
    return found


def growth(runs: dict[int, dict[str, Any]]) -> dict[str, Any]:
    """Each headline figure at each size run, and at 1,000,000 articles: measured when that
    size ran, else a power law through the two largest sizes (v = a * n^k)."""
    sizes = sorted(s for s, run in runs.items() if "error" not in run)
    values = {size: headline(runs[size]) for size in sizes}
    out: dict[str, Any] = {"sizes": sizes, "values": {str(s): v for s, v in values.items()}}
    if MILLION in sizes:
        out["million"] = {"measured": True, "values": values[MILLION]}
    elif len(sizes) >= 2 and sizes[-1] < MILLION:
        small, large = sizes[-2], sizes[-1]
        guessed = {}
        for key, high in values[large].items():
            low = values[small].get(key)
            if low and high and low > 0 and high > 0:
                power = math.log(high / low) / math.log(large / small)
                guessed[key] = high * (MILLION / large) ** power
        out["million"] = {"measured": False, "from": [small, large], "values": guessed}
    return out


def _number(value: float | None, unit: str) -> str:
    if value is None:
        return "—"
    if unit in ("sections/s", "") or abs(value) >= 100:
        text = f"{value:,.0f}"
    elif abs(value) >= 10:
        text = f"{value:,.1f}"
    else:
        text = f"{value:,.2f}"
    return f"{text} {unit}".strip()


def growth_table(data: dict[str, Any]) -> tuple[Row, list[Row], str]:
    """(header, rows, note) of the growth table; no rows when it has nothing to add."""
    sizes: list[int] = data.get("sizes", [])
    million = data.get("million")
    if not sizes or (len(sizes) < 2 and not million):
        return (), [], ""
    columns = [size for size in sizes if size != MILLION]
    header: Row = ("figure", *(f"{size:,} articles" for size in columns))
    if million:
        mark = "" if million["measured"] else " (extrapolated)"
        header += (f"1,000,000 articles{mark}",)
    header += ("goal", "met at 1M" if million else "met")
    rows: list[Row] = []
    for key, label, _path, unit, goal in HEADLINES:
        cells = [data["values"][str(size)].get(key) for size in columns]
        at_million = million["values"].get(key) if million else None
        if all(value is None for value in cells) and at_million is None:
            continue
        shown = [_number(value, unit) for value in cells]
        if million:
            prefix = "" if million["measured"] or at_million is None else "~"
            shown.append(prefix + _number(at_million, unit))
        judged = at_million if million else cells[-1]
        rows.append(
            (
                label,
                *shown,
                _goal_text(key),
                _met(goal(judged)) if goal is not None and judged is not None else "",
            )
        )
    if million and not million["measured"]:
        small, large = million["from"]
        note = (
            f"The 1,000,000-article column is extrapolated, not measured: each figure follows a "
            f"power law (v = a·n^k) through its values at {small:,} and {large:,} articles. "
            "p95 latencies are noisy at small sizes: read them with the measured columns. "
            "Run `--zim-articles 10000,100000,1000000` to measure it."
        )
    elif million:
        note = "The 1,000,000-article column is measured."
    else:
        note = "One size run: no growth to extrapolate from (run two sizes, e.g. 10000,100000)."
    return header, rows, note


GOAL_TEXT = {
    "register_s": "≤ 2 s",
    "register_kb": "≤ 1,000 kB",
    "titles_p95": "≤ 15 ms",
    "first_p50": "≤ 50 ms",
    "first_p95": "≤ 100 ms",
    "provisional_p95": "≤ 60 ms",
    "build_rate": "≥ 1,000/s",
    "build_peak": "≤ 500 MB",
    "app_rss": "≤ 200 MB",
    "instant_p95": "≤ 15 ms",
    "full_p95": "≤ 40 ms",
}


def _goal_text(key: str) -> str:
    return GOAL_TEXT.get(key, "")


def combine(name: str, runs: dict[int, dict[str, Any]]) -> dict[str, Any]:
    """One entry for the tier: the largest size's results, the smaller sizes' beside them,
    and the growth between them."""
    if not runs:
        return {"tier": name, "kind": "zim", "error": "no size was run"}
    largest = max(runs)
    data = dict(runs[largest])
    data["tier"] = name
    data["kind"] = "zim"
    data["articles_asked"] = largest
    data["smaller"] = {str(size): runs[size] for size in sorted(runs) if size != largest}
    data["growth"] = growth(runs)
    data["seconds"] = round(sum(float(run.get("seconds", 0) or 0) for run in runs.values()), 1)
    return data


def goals_paragraph() -> str:
    return "\n\n".join((__doc__ or "").split("\n\n")[1:]).strip()
