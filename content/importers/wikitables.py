"""MediaWiki tables `{| … |}` read as rows of cells: header rows, spans, layout-only tables.

- A cell that spans rows (`rowspan`) is repeated in each row it covers (its links only in
  its first row), so that every row reads whole (and folds into `Header: value` lines); the
  columns a cell spans (`colspan`) after its first are left empty. A spanned cell never gets
  a line of its own.
- The header is the run of rows at the top whose cells are all `!` (`th`) cells.
- Navigation boxes, sidebars, maintenance boxes and other tables whose class says they are
  page furniture are dropped (`FURNITURE`; a `wikitable` never is); tables of one row or one
  column lay things out rather than tabulate them and are flattened to text.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from mwparserfromhell.nodes import Tag
from mwparserfromhell.wikicode import Wikicode

from ..parse import scan_links

FURNITURE = {
    "navbox", "navbox-inner", "navbox-subgroup", "vertical-navbox", "sidebar", "metadata",
    "ambox", "tmbox", "ombox", "cmbox", "fmbox", "imbox", "mbox-small", "noprint", "toc",
    "persondata", "succession-box", "navigation-box", "portal", "hatnote", "sistersitebox",
}  # fmt: skip
MAX_COLUMNS = 64
MAX_ROWSPAN = 500


@dataclass
class WikiTable:
    """A table as rows of cell texts, spans resolved."""

    caption: str = ""
    rows: list[list[str]] = field(default_factory=list)
    header_rows: int = 0
    layout: bool = False
    """Only lays things out (one row or one column): to be read as text."""


@dataclass
class GridCell:
    """A cell as a table source gives it, before its spans are resolved (`span_grid`):
    what MediaWiki tables and ZIM pages share."""

    text: str
    header: bool
    rowspan: int
    colspan: int


def furniture(node: Tag) -> bool:
    """Whether the table is page furniture (a navbox, a sidebar, ...) by its class."""
    if not node.has("class"):
        return False
    classes = str(node.get("class").value).lower().split()
    return "wikitable" not in classes and any(name in FURNITURE for name in classes)


def read_table(node: Tag, cell_text: Callable[[Tag], str]) -> WikiTable:
    """The table's caption and rows; `cell_text` renders one cell on one line."""
    table = WikiTable()
    rows: list[list[GridCell]] = []
    loose: list[GridCell] = []  # cells before the first `|-`

    def flush() -> None:
        if loose:
            rows.append(loose[:])
        loose.clear()

    def walk(code: Wikicode | None) -> None:
        if code is None:
            return
        for child in code.nodes:
            if not isinstance(child, Tag):
                continue
            name = str(child.tag).strip().lower()
            if name in ("td", "th"):
                text = cell_text(child)
                if str(child).startswith("|+"):  # mwparserfromhell reads a caption as a cell
                    table.caption = text[1:].strip()
                else:
                    loose.append(GridCell(text, name == "th", _span(child, "rowspan", MAX_ROWSPAN),
                                       _span(child, "colspan", MAX_COLUMNS)))  # fmt: skip
            elif name == "caption":
                table.caption = cell_text(child)
            elif name == "tr":
                flush()
                walk(child.contents)
                flush()
            elif name in ("thead", "tbody", "tfoot"):
                walk(child.contents)

    walk(node.contents)
    flush()
    rows = [row for row in rows if any(cell.text for cell in row)]
    header = 0
    while header < len(rows) and all(cell.header for cell in rows[header]):
        header += 1
    table.rows = span_grid(rows)
    table.header_rows = header
    columns = max((len(row) for row in table.rows), default=0)
    table.layout = columns <= 1 or len(table.rows) <= 1
    return table


def _span(cell: Tag, attribute: str, limit: int) -> int:
    if not cell.has(attribute):
        return 1
    digits = "".join(c for c in str(cell.get(attribute).value) if c.isdigit())
    return max(1, min(int(digits), limit)) if digits else 1


def span_grid(rows: list[list[GridCell]]) -> list[list[str]]:
    """Rows of texts with spans resolved: a rowspan repeats the text in the rows below, a
    colspan leaves the columns after its first empty."""
    grid: list[list[str]] = []
    below: dict[int, tuple[str, int]] = {}  # column -> (text, rows still covered)
    for cells in rows:
        row: list[str] = []
        _covered(row, below)
        for cell in cells:
            for offset in range(min(cell.colspan, MAX_COLUMNS - len(row))):
                text = cell.text if offset == 0 else ""
                if cell.rowspan > 1:
                    below[len(row)] = (_labels(text), cell.rowspan - 1)
                row.append(text)
            _covered(row, below)
        while below and max(below) >= len(row):  # spanned cells beyond this row's own
            if len(row) not in below:
                row.append("")
            _covered(row, below)
        grid.append(row)
    return grid


def _covered(row: list[str], below: dict[int, tuple[str, int]]) -> None:
    """Append the texts of the cells from rows above that span into this row's next columns."""
    while len(row) in below:
        column = len(row)
        text, left = below[column]
        row.append(text)
        if left <= 1:
            del below[column]
        else:
            below[column] = (text, left - 1)


def _labels(text: str) -> str:
    """The text with its `[[links]]` as their labels: a cell repeated in the rows it spans
    links once, in its first row."""
    if "[[" not in text:
        return text
    spans = scan_links(text)[0]
    out, cursor = [], 0
    for span in spans:
        out.append(text[cursor : span.start] + span.label)
        cursor = span.end
    return "".join(out) + text[cursor:]
