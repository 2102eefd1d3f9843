"""The layers import one way: content <- index <- tui. content/ knows neither Whoosh nor Textual."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
FORBIDDEN = {
    "content": ("termpedia.index", "termpedia.tui", "whoosh", "textual", "rich"),
    "index": ("termpedia.tui", "textual", "rich"),
}


def imported_names(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.append(node.module)
    return names


@pytest.mark.parametrize("layer", sorted(FORBIDDEN))
def test_a_layer_never_imports_the_layers_above_it(layer: str) -> None:
    files = sorted((ROOT / layer).rglob("*.py"))
    assert files, f"no Python files in {layer}/"
    wrong = [
        f"{path.relative_to(ROOT)} imports {name}"
        for path in files
        for name in imported_names(path)
        if name.startswith(FORBIDDEN[layer])
    ]
    assert wrong == []


def test_the_tui_holds_no_whoosh_code() -> None:
    wrong = [
        f"{path.relative_to(ROOT)} imports {name}"
        for path in sorted((ROOT / "tui").rglob("*.py"))
        for name in imported_names(path)
        if name.startswith("whoosh")
    ]
    assert wrong == []
