"""Imports run down the layers: cli/web/feeds/scheduler -> protestwire drivers -> crawlers ->
pipeline stages -> storage. An import of a higher layer from a lower one fails this test, unless it
is one of the known ones below that issue 19 (the layout) removes; that list may only shrink."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TOP = {"protestwire.cli", "protestwire.__main__", "web", "feeds", "scheduler"}
# Upward imports the codebase had before this test; issue 19 moves what they need below both.
KNOWN_UPWARD: set[tuple[str, str]] = set()


def layer(module: str) -> int | None:
    if any(module == top or module.startswith(top + ".") for top in TOP):
        return 5
    return {"protestwire": 4, "crawlers": 3, "pipeline": 2, "storage": 1, "vocabulary": 0, "sources": 0}.get(module.split(".")[0])


def imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):  # lazy imports in functions too
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def upward_imports() -> set[tuple[str, str]]:
    found = set()
    for folder in ("protestwire", "crawlers", "pipeline", "storage", "vocabulary", "sources"):
        for path in (ROOT / folder).rglob("*.py"):
            importer = module_name(path)
            own = layer(importer)
            for imported in imports(path):
                theirs = layer(imported)
                if own is not None and theirs is not None and theirs > own:
                    found.add((importer, ".".join(imported.split(".")[:2])))
    return found


def test_no_module_imports_a_layer_above_it() -> None:
    new = upward_imports() - KNOWN_UPWARD
    assert not new, f"imports that run back up the layers: {sorted(new)}"


def test_the_known_upward_imports_are_still_there_or_are_struck_off() -> None:
    gone = KNOWN_UPWARD - upward_imports()
    assert not gone, f"no longer imported upward, strike them off KNOWN_UPWARD: {sorted(gone)}"
