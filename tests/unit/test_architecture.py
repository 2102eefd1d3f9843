"""The layers import one way: content <- index <- tui. content/ knows neither Whoosh nor
Textual; index/ knows no Textual; index/ has no import cycle; Whoosh's internals are used in
index/w3/ only. Relative imports are resolved to the modules they name."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LAYERS = ("content", "index", "tui")
FORBIDDEN = {
    "content": ("termpedia.index", "termpedia.tui", "whoosh", "textual", "rich"),
    "index": ("termpedia.tui", "textual", "rich"),
    "tui": ("whoosh",),
}


def module_name(path: Path, root: Path = ROOT) -> str:
    """`termpedia.index.w3.codec` for index/w3/codec.py (packages: their __init__)."""
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(["termpedia", *parts])


def imported_names(source: str, module: str, is_package: bool = False) -> list[str]:
    """Every module an import in `source` may name, relative imports resolved against
    `module`: `from ..index import search` in termpedia.content.x names termpedia.index and
    termpedia.index.search. Imports inside functions count too."""
    package = module if is_package else module.rpartition(".")[0]
    names: list[str] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                if node.level > 1:
                    base = base[: len(base) - (node.level - 1)]
                prefix = ".".join(base)
                target = f"{prefix}.{node.module}" if node.module else prefix
            else:
                target = node.module or ""
            names.append(target)
            names.extend(f"{target}.{alias.name}" for alias in node.names)
    return names


def wrong_imports(layer: str, files: list[Path], root: Path = ROOT) -> list[str]:
    found = []
    for path in files:
        module = module_name(path, root)
        names = imported_names(path.read_text("utf-8"), module, path.name == "__init__.py")
        found.extend(
            f"{path.relative_to(root)} imports {name}"
            for name in dict.fromkeys(names)
            if name.startswith(FORBIDDEN[layer])
        )
    return found


@pytest.mark.parametrize("layer", LAYERS)
def test_a_layer_never_imports_the_layers_above_it(layer: str) -> None:
    files = sorted((ROOT / layer).rglob("*.py"))
    assert files, f"no Python files in {layer}/"
    assert wrong_imports(layer, files) == []


class TestTheCheckItself:
    """The check must see through relative imports (a test for the test)."""

    @pytest.mark.parametrize(
        ("where", "source"),
        [
            ("content/importers/bad.py", "from ...index import search\n"),
            ("content/importers/bad.py", "from ... import tui\n"),
            ("content/bad.py", "from ..index.search import Index\n"),
            ("content/bad.py", "def later():\n    from ..tui import app\n"),
            ("index/bad.py", "from ..tui.widgets import reading_pane\n"),
            ("content/bad.py", "import whoosh.query\n"),
        ],
    )
    def test_an_upward_import_is_found(self, tmp_path: Path, where: str, source: str) -> None:
        path = tmp_path / where
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(source, "utf-8")
        layer = where.split("/")[0]
        assert wrong_imports(layer, [path], tmp_path), source

    @pytest.mark.parametrize(
        ("where", "source"),
        [
            ("content/importers/fine.py", "from ..library import scan\n"),
            ("content/importers/fine.py", "from . import base\n"),
            ("index/fine.py", "from termpedia.content.article import Article\n"),
            ("tui/fine.py", "from ..index import search\n"),
        ],
    )
    def test_a_downward_import_is_allowed(self, tmp_path: Path, where: str, source: str) -> None:
        path = tmp_path / where
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(source, "utf-8")
        layer = where.split("/")[0]
        assert wrong_imports(layer, [path], tmp_path) == []


def index_graph() -> dict[str, set[str]]:
    """index/'s modules and the index modules each imports (anywhere in it)."""
    files = {module_name(path): path for path in sorted((ROOT / "index").rglob("*.py"))}
    graph: dict[str, set[str]] = {}
    for module, path in files.items():
        names = imported_names(path.read_text("utf-8"), module, path.name == "__init__.py")
        graph[module] = {name for name in names if name in files and name != module}
    return graph


def test_index_has_no_import_cycle() -> None:
    graph = index_graph()
    done: set[str] = set()

    def visit(module: str, trail: list[str]) -> None:
        if module in trail:
            cycle = trail[trail.index(module) :] + [module]
            raise AssertionError("import cycle: " + " -> ".join(cycle))
        if module in done:
            return
        for other in sorted(graph[module]):
            visit(other, [*trail, module])
        done.add(module)

    for module in sorted(graph):
        visit(module, [])
