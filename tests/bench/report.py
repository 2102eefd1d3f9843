"""Tables: one per tier (figure, termpedia, baseline, ratio, goal, met) and the ranking table,
printed on stdout and written as Markdown for RESULTS.md.

The goals: search as you type through the API p95 ≤ 15 ms and faster than FTS5's prefix
query; keystroke to results on screen p95 ≤ debounce + 50 ms; a full query with snippets p95
≤ 40 ms and within 3× of FTS5 with snippet(); did-you-mean ≤ 100 ms with the intended word
first for ≥ 80% of one-edit misspellings; cold start ≤ 0.45 s and within 0.2 s of a bare
Textual app; first screen of a 300 KiB article ≤ 150 ms; index build ≥ 1,000 sections/s with
peak build memory ≤ 500 MB; re-index of one edited article ≤ 250 ms; app peak RSS with the
100k index ≤ 150 MB (shown for every tier).

How the goals are judged: latency goals on the p95 of the repeated runs; cold start and the
first screen of an article on the median of 5 runs (the max is shown beside it); the build
goal on sections/s of one full build and on the summed VmHWM of the build process and its
children; the memory goal on VmHWM of the app process after start-up and a few searches.
"met" is `yes`/`no`, or `—` when the figure has no goal on this tier or was not measured.
With fewer than 20 samples the p95 (nearest rank) is the largest or second largest value.
"""

from __future__ import annotations

from typing import Any

from . import synthcjk, zimreport

Row = tuple[str, str, str, str, str, str]
HEADER: Row = ("figure", "termpedia", "baseline", "ratio", "goal", "met")


def _get(data: Any, *path: str) -> Any:
    for key in path:
        if not isinstance(data, dict) or key not in data:
            return None
        data = data[key]
    return data


def _spread(fig: Any, key: str) -> str:
    """`p50 / p95 / max ms` of the timing summary at fig[key]."""
    values = [_get(fig, key, f"{name}_ms") for name in ("p50", "p95", "max")]
    return " / ".join(f"{value:.0f}" for value in values) + " ms"


def _ms(value: Any) -> str:
    return "—" if value is None else f"{value:,.1f} ms"


def _met(ok: bool | None) -> str:
    return "—" if ok is None else ("yes" if ok else "no")


def _ratio(a: Any, b: Any) -> str:
    if a is None or not b:
        return "—"
    return f"{a / b:.2f}×"


def _error(figure: Any) -> str | None:
    if isinstance(figure, dict) and "error" in figure:
        return "error: " + str(figure["error"]).splitlines()[0][:90]
    if isinstance(figure, dict) and "skipped" in figure:
        return "skipped: " + str(figure["skipped"]).splitlines()[0][:90]
    return None


def tier_rows(tier: dict[str, Any]) -> list[Row]:
    if tier.get("kind") == "zim":
        return zimreport.zim_rows(tier)  # type: ignore[return-value]
    figs = tier.get("figures", {})
    rows: list[Row] = []

    def failed(label: str, figure: Any, goal: str) -> bool:
        problem = _error(figure) if figure is not None else "not measured"
        if problem:
            rows.append((label, problem, "", "", goal, "—"))
            return True
        return False

    # 1. as you type
    fig = figs.get("as_you_type")
    goal = "p95 ≤ 15 ms and < FTS5"
    if not failed("as you type, API (p95)", fig, goal):
        ours = _get(fig, "termpedia", "p95_ms")
        like = _get(fig, "fts5_same_fields") or _get(fig, "fts5")
        base = like["p95_ms"]
        rows.append(
            (
                f"as you type, API, {fig['keystrokes']} keystrokes (p50 / p95)",
                f"{_get(fig, 'termpedia', 'p50_ms'):.1f} / {ours:.1f} ms",
                f"FTS5 prefix {like['p50_ms']:.1f} / {base:.1f} ms",
                _ratio(ours, base),
                goal,
                _met(ours <= 15 and ours < base),
            )
        )
        if "fts5_empty_results" in fig:
            count = fig["keystrokes"]
            rows.append(
                (
                    "· keystrokes answered with no hits",
                    f"{fig['empty_results']} ({fig['empty_results'] / count:.0%})",
                    f"FTS5, all columns: {fig['fts5_empty_results']} "
                    f"({fig['fts5_empty_results'] / count:.0%})",
                    "",
                    "",
                    "",
                )
            )
    fig = figs.get("keystroke_to_screen")
    if fig is not None:
        goal_ms = _get(fig, "goal_ms")
        goal = f"p95 ≤ debounce + 50 = {goal_ms:.0f} ms" if goal_ms else "p95 ≤ debounce + 50 ms"
        if not failed("keystroke to screen (p95)", fig, goal):
            p95 = _get(fig, "termpedia", "p95_ms")
            rows.append(
                (
                    "keystroke to results on screen, 20 keys, 0.2 s apart (p50 / p95 / max)",
                    _spread(fig, "termpedia"),
                    f"debounce {fig['debounce_ms']:.0f} ms",
                    "—",
                    goal,
                    _met(p95 <= goal_ms),
                )
            )
            if fig.get("typing_fast"):
                fast = _get(fig, "typing_fast", "p95_ms")
                rows.append(
                    (
                        "· typing fast: last key of the query (50 ms a key, 12 runs)",
                        _spread(fig, "typing_fast"),
                        "",
                        "",
                        goal,
                        _met(fast <= goal_ms),
                    )
                )
            if fig.get("to_results_set"):
                rows.append(
                    (
                        "· to results handed to the widgets (before the refresh)",
                        _spread(fig, "to_results_set"),
                        "",
                        "",
                        "",
                        "",
                    )
                )
    # 2. full queries and did-you-mean
    fig = figs.get("full_queries")
    goal = "p95 ≤ 40 ms and ≤ 3× FTS5"
    if not failed("full queries with snippets (p95)", fig, goal):
        ours, base = _get(fig, "termpedia", "p95_ms"), _get(fig, "fts5", "p95_ms")
        rows.append(
            (
                "full queries with snippets (p50 / p95)",
                f"{_get(fig, 'termpedia', 'p50_ms'):.1f} / {ours:.1f} ms",
                f"FTS5 snippet() {_get(fig, 'fts5', 'p50_ms'):.1f} / {base:.1f} ms",
                _ratio(ours, base),
                goal,
                _met(ours <= 40 and ours <= 3 * base),
            )
        )
        for kind, data in fig.get("by_kind", {}).items():
            ours, base = _get(data, "termpedia", "p95_ms"), _get(data, "fts5", "p95_ms")
            rows.append(
                (
                    f"· {kind} ({data['queries']} queries, p95)",
                    _ms(ours),
                    _ms(base),
                    _ratio(ours, base),
                    "",
                    "",
                )
            )
    fig = figs.get("did_you_mean")
    goal = "p95 ≤ 100 ms; intended word ≥ 80%"
    if not failed("did you mean", fig, goal):
        p95 = _get(fig, "termpedia", "p95_ms")
        rate = fig["hit_rate"]
        rows.append(
            (
                f"did you mean, {fig['misspellings']} one-edit misspellings (p95; hit rate)",
                f"{p95:.1f} ms; {rate * 100:.0f}% right",
                "—",
                "—",
                goal,
                _met(p95 <= 100 and rate >= 0.8),
            )
        )
    # 3. cold start
    fig = figs.get("cold_start")
    goal = "≤ 0.45 s and ≤ bare + 0.2 s"
    if not failed("cold start", fig, goal):
        bare = _get(fig, "bare_textual", "p50_s")
        for label, key in (("no update", "no_update"), ("one file re-indexed", "with_update")):
            p50 = _get(fig, key, "p50_s")
            rows.append(
                (
                    f"cold start to first screen, {label} (median / max of 5)",
                    f"{p50:.3f} / {_get(fig, key, 'max_s'):.3f} s",
                    f"bare Textual {bare:.3f} / {_get(fig, 'bare_textual', 'max_s'):.3f} s",
                    f"+{p50 - bare:.3f} s",
                    goal,
                    _met(p50 <= 0.45 and p50 - bare <= 0.2),
                )
            )
    # 4. opening articles
    fig = figs.get("open_article")
    goal = "300 KiB: ≤ 150 ms (median)"
    if not failed("first screen of an article", fig, goal):
        for key, label in (("largest", "largest article"), ("generated_300KiB", "300 KiB article")):
            data = fig[key]
            p50 = _get(data, "termpedia", "p50_ms")
            call = _get(data, "open_file_call", "p50_ms")
            rows.append(
                (
                    f"first screen, {label} ({data['bytes'] / 1024:.0f} KiB; median / max of 5)",
                    f"{p50:.1f} / {_get(data, 'termpedia', 'max_ms'):.1f} ms",
                    f"open_file() alone {call:.1f} ms" if call is not None else "—",
                    "—",
                    goal if key == "generated_300KiB" else "",
                    _met(p50 <= 150) if key == "generated_300KiB" else "",
                )
            )
    # 5. building
    fig = figs.get("build")
    fts = figs.get("fts5_build") or {}
    goal = "≥ 1,000 sections/s; peak ≤ 500 MB"
    if not failed("index build", fig, goal):
        rate = fig.get("sections_per_s")
        peak = fig.get("peak_mb")
        fts_rate = fts.get("sections_per_s")
        rows.append(
            (
                "full index build (sections/s; peak memory)",
                (f"{rate:,}/s" if rate else "—") + (f"; {peak:,.0f} MB" if peak else ""),
                f"FTS5 insert {fts_rate:,}/s" if fts_rate else "—",
                f"FTS5 {_ratio(fts_rate, rate)} faster" if rate and fts_rate else "—",
                goal,
                _met(rate >= 1000 and (peak or 0) <= 500) if rate else "—",
            )
        )
        if fig.get("seconds"):
            rows.append(
                (
                    f"· {fig.get('sections', 0):,} sections, full build",
                    f"{fig['seconds']:.1f} s",
                    f"{fts.get('seconds', 0):.1f} s" if fts else "—",
                    "",
                    "",
                    "",
                )
            )
    fig = figs.get("reindex")
    goal = "≤ 250 ms (p95)"
    if not failed("re-index one edited article", fig, goal):
        p95 = _get(fig, "termpedia", "p95_ms")
        rows.append(
            (
                f"re-index one edited article until search finds it (p50 / p95; {fig['found']})",
                f"{_get(fig, 'termpedia', 'p50_ms'):.0f} / {p95:.0f} ms",
                "—",
                "—",
                goal,
                _met(p95 <= 250),
            )
        )
    fig = figs.get("index_size")
    if not failed("index size on disk", fig, ""):
        rows.append(
            (
                "index size on disk",
                f"{fig['mb']:,.1f} MB",
                f"FTS5 {fig['fts5_mb']:,.1f} MB" if fig.get("fts5_mb") else "—",
                _ratio(fig["mb"], fig.get("fts5_mb")),
                "",
                "",
            )
        )
    # 6. memory
    fig = figs.get("app_memory")
    goal = "≤ 150 MB (goal for 100k)"
    if not failed("app peak RSS", fig, goal):
        rows.append(
            (
                "app peak RSS (VmHWM) after start and 5 searches",
                f"{fig['vmhwm_mb']:,.0f} MB",
                "—",
                "—",
                goal,
                _met(fig["vmhwm_mb"] <= 150),
            )
        )
    return rows


def ranking_rows(ranking: dict[str, Any]) -> list[tuple[str, ...]]:
    rows = []
    for source, data in ranking.get("sources", {}).items():
        for system, scores in data.get("systems", {}).items():
            if "error" in scores or "skipped" in scores:
                problem = scores.get("error") or scores["skipped"]
                rows.append((source, system, "", problem, "", "", ""))
                continue
            rows.append(
                (
                    source,
                    system,
                    str(scores["queries"]),
                    f"{scores['success_at_1']:.3f}",
                    f"{scores['mrr_at_10']:.3f}",
                    f"{scores.get('in_top_10', 0):.3f}",
                    _ms(_get(scores, "latency", "p50_ms")),
                )
            )
    return rows


def text_table(header: tuple[str, ...], rows: list[tuple[str, ...]]) -> str:
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    lines = ["  ".join(str(c).ljust(w) for c, w in zip(header, widths, strict=True))]
    lines.append("  ".join("-" * w for w in widths))
    for row in rows:
        lines.append("  ".join(str(c).ljust(w) for c, w in zip(row, widths, strict=True)))
    return "\n".join(line.rstrip() for line in lines)


def md_table(header: tuple[str, ...], rows: list[tuple[str, ...]]) -> str:
    def cell(value: object) -> str:
        return str(value).replace("|", "\\|")

    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(cell(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


RANKING_HEADER = ("source", "system", "queries", "success@1", "MRR@10", "in top 10", "p50")


def tier_title(tier: dict[str, Any]) -> str:
    info = tier.get("info", {})
    parts = [tier.get("tier", "?")]
    if info:
        parts.append(f"{info.get('articles', 0):,} articles, {info.get('sections', 0):,} sections")
    if tier.get("kind") == "zim":
        parts.append("a synthetic Kiwix ZIM read in place, beside kiwix's engine")
    return " — ".join(parts)


def text_report(results: dict[str, Any]) -> str:
    out = []
    for tier in results.get("tiers", {}).values():
        out.append(f"\n== {tier_title(tier)} ==")
        if "error" in tier:
            out.append(f"error: {tier['error']}")
            continue
        out.append(text_table(HEADER, tier_rows(tier)))
        for note in tier.get("notes", []):
            out.append(f"note: {note}")
        if tier.get("tier") == synthcjk.CJK_TIER and synthcjk.comparison_rows(results):
            out.append(f"\n-- {synthcjk.CJK_TIER} beside {synthcjk.LATIN_TIER} --")
            out.append(text_table(synthcjk.COMPARISON_HEADER, synthcjk.comparison_rows(results)))
            out.append(f"note: {synthcjk.COMPARISON_NOTE}")
        if tier.get("kind") == "zim":
            header, rows, note = zimreport.growth_table(tier.get("growth", {}))
            if rows:
                out.append("\n" + text_table(header, rows))
            if note:
                out.append(f"note: {note}")
    ranking = results.get("ranking")
    if ranking:
        out.append("\n== ranking (link texts as queries) ==")
        if "error" in ranking:
            out.append(f"error: {ranking['error']}")
        else:
            out.append(text_table(RANKING_HEADER, ranking_rows(ranking)))
    return "\n".join(out)


def _zim_markdown(tier: dict[str, Any]) -> list[str]:
    """The zim tier's growth table (1M articles) and its goals, under its table."""
    out = []
    header, rows, note = zimreport.growth_table(tier.get("growth", {}))
    if rows:
        out += ["### Growth with the archive's size", "", md_table(header, rows), ""]
    if note:
        out += [note, ""]
    out += [zimreport.goals_paragraph(), ""]
    out.append(
        "What each figure measures: tests/bench/zimtier.py (docstring) and "
        "tests/bench/zimfigures.py."
    )
    out.append("")
    return out


def markdown(results: dict[str, Any]) -> str:
    meta = results.get("meta", {})
    machine = meta.get("machine", {})
    out = ["# termpedia benchmark results", ""]
    out.append(f"Date: {meta.get('date', '?')}  ")
    out.append(f"Total run time: {meta.get('seconds', 0):.0f} s  ")
    out.append(
        f"Load average (1, 5, 15 min) at start: {meta.get('load_average_at_start', '?')}; "
        f"at end: {meta.get('load_average_at_end', '?')}"
    )
    out += ["", "Command:", "", "```sh", meta.get("command", "?"), "```", ""]
    out.append("## Machine")
    out.append("")
    for key, value in machine.items():
        out.append(f"- {key}: {value}")
    out += ["", "## Goals", "", "\n\n".join((__doc__ or "").split("\n\n")[1:]).strip(), ""]
    out.append(
        "What each figure measures, and how: the docstrings of tests/bench/__init__.py and "
        "tests/bench/figures.py; the query lists: tests/bench/queries.py (they are in the JSON)."
    )
    out.append("")
    for tier in results.get("tiers", {}).values():
        out += [f"## {tier_title(tier)}", ""]
        if "error" in tier:
            out += [f"error: {tier['error']}", ""]
            continue
        out.append(md_table(HEADER, tier_rows(tier)))
        out.append("")
        for note in tier.get("notes", []):
            out.append(f"- note: {note}")
        out.append("")
        compared = synthcjk.comparison_rows(results)
        if tier.get("tier") == synthcjk.CJK_TIER and compared:
            out += [f"### {synthcjk.CJK_TIER} beside {synthcjk.LATIN_TIER}", ""]
            out += [md_table(synthcjk.COMPARISON_HEADER, compared), ""]
            out += [synthcjk.COMPARISON_NOTE, ""]
        if tier.get("kind") == "zim":
            out += _zim_markdown(tier)
    ranking = results.get("ranking")
    if ranking:
        out += ["## Ranking: link texts as queries", ""]
        if "error" in ranking:
            out.append(f"error: {ranking['error']}")
        else:
            out.append(md_table(RANKING_HEADER, ranking_rows(ranking)))
            out.append("")
            out.append(ranking.get("rule", ""))
        out.append("")
    return "\n".join(out)
