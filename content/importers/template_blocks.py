"""Template rules that make blocks: quotes, lists in columns, clades, population tables."""

from __future__ import annotations

from mwparserfromhell.nodes import Template
from mwparserfromhell.wikicode import Wikicode

from .base import table_text
from .template_numbers import number_text
from .template_rules import Call


def quote(call: Call) -> str:
    """`{{quote|text|author|source}}` and its kin: a block quote, its attribution last."""
    first = 1 if call.name == "rquote" else 0  # {{rquote|right|text|author}}
    text = call.named("text", "quote", "quotetext") or call.arg(first)
    author = call.named("author", "sign", "personquoted") or call.arg(first + 1)
    source = call.named("source", "title", "quotesource") or call.arg(first + 2)
    attribution = ", ".join(part for part in (author, source) if part and part != text)
    lines = call.renderer.clean(text).split("\n")
    if attribution:
        lines.append("— " + " ".join(call.renderer.clean(attribution).split()))
    return call.renderer.block("\n".join(f"> {line}" if line else ">" for line in lines))


def contents(call: Call) -> str:
    """`{{columns-list|…}}`, `{{plainlist|…}}`: the list inside, as a block (`{{div col}}`
    only starts columns: its arguments are widths, its list follows it)."""
    text = call.named("content", "list")
    if not text and call.name not in ("div col", "multicol"):
        text = call.arg(len(call.positional) - 1)
    return call.renderer.block(call.renderer.clean(text)) if text else ""


def item_list(call: Call) -> str:
    """`{{collapsible list|title=T|a|b}}` -> "T: a, b"."""
    items = ", ".join(text for text in call.args() if text)
    title = call.named("title")
    return f"{title}: {items}" if title and items else title or items


def bar_box(call: Call) -> str:
    """`{{bar box|title=…|bars=…}}`: the title and the bars' labels and values."""
    parts = (call.named("title"), call.named("bars"))
    return call.renderer.block(call.renderer.clean("\n".join(part for part in parts if part)))


def clade(call: Call) -> str:
    """`{{clade|1=…|label2=…|2={{clade|…}}}}`: the tree as a nested list."""
    return call.renderer.block("\n".join(_clade_lines(call.node, call, 0)))


def _clade_lines(node: Template, call: Call, depth: int) -> list[str]:
    lines: list[str] = []
    numbers = sorted(
        int(key) for p in node.params if (key := str(p.name).strip()).isdigit() and int(key) < 100
    )
    for number in numbers:
        value = node.get(str(number)).value
        label = node.get(f"label{number}").value if node.has(f"label{number}") else None
        label_text = _one_line(call, label) if label else ""
        inner = [
            t
            for t in value.filter_templates(recursive=False)
            if " ".join(str(t.name).split()).lower() == "clade"
        ]
        indent = "  " * depth
        if inner:
            call.renderer.visit(inner[0])
            lines.append(f"{indent}- {label_text or '…'}")
            lines.extend(_clade_lines(inner[0], call, depth + 1))
        else:
            text = _one_line(call, value)
            if text or label_text:
                lines.append(f"{indent}- {' '.join(p for p in (label_text, text) if p)}")
    return lines


def _one_line(call: Call, code: Wikicode) -> str:
    return " ".join(call.renderer.clean(call.renderer.text(code, call.plain)).split())


def population_table(call: Call) -> str:
    """`{{Historical populations|1800|1000|1810|2000}}` and `{{US Census population|1800=1250}}`:
    a table of years and populations."""
    rows: list[list[str]] = []
    if call.name == "us census population":
        for param in call.node.params:
            key = str(param.name).strip()
            if key.isdigit():
                rows.append([key, number_text(call.renderer.text(param.value, True).strip())])
    else:
        words = call.words()
        rows = [[words[n], number_text(words[n + 1])] for n in range(0, len(words) - 1, 2)]
    rows = [row for row in rows if row[0] and row[1]]
    if not rows:
        return ""
    title = call.named("title")
    table = _table([["Year", "Population"], *rows])
    return call.renderer.block(f"{title}\n{table}" if title else table)


def crew_table(call: Call) -> str:
    """`{{Spaceflight crew|position1=…|crew1_up=…}}`: a table of positions and crew."""
    rows = []
    for number in range(1, 13):
        position = call.named(f"position{number}")
        crew = call.named(f"crew{number}_up", f"crew{number}")
        if position or crew:
            rows.append([position, crew])
    header = [["Position", call.named("terminology", plain=True) or "Crew"]]
    return call.renderer.block(_table(header + rows)) if rows else ""


def family_chart(call: Call) -> str:
    """`{{chart| |URA|y|GAI|URA=[[Uranus]]|GAI=[[Gaia]]}}`: the boxes' names, in order."""
    names = [
        call.named(str(p.name).strip())
        for p in call.node.params
        if p.showkey and not str(p.name).strip().isdigit() and "style" not in str(p.name)
    ]
    return " · ".join(name for name in names if name)


def _table(rows: list[list[str]]) -> str:
    return table_text(rows, header_rows=1)


def columns(call: Call) -> str:
    """`{{columns|col1=…|col2=…}}`: the columns' texts one after the other, as a block."""
    texts = [call.named(f"col{number}") for number in range(1, 11)]
    joined = "\n\n".join(text for text in texts if text)
    return call.renderer.block(call.renderer.clean(joined)) if joined else ""
