"""The imports show the design: data flows one way and no module imports itself back.

Every import counts, also those inside functions and under TYPE_CHECKING: a loop that
is only "type-only" still means two modules that cannot be understood apart.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "generator"

# Which top-level parts of generator/ each part may import (besides itself): renderers
# never reach a drafting backend or a source, backends know nothing of decks.
ALLOWED = {
    "core": set(),
    "text": {"core"},
    "sources": {"core", "text"},
    "drafting": {"core", "text"},
    "render": {"core", "text"},
    "select": {"core", "text", "sources"},
    "build": {"core", "text", "drafting", "render", "incremental"},
    "incremental": {"core"},
    "serve": {"core", "text", "drafting", "render", "build", "incremental"},
    "cli": {"core", "text", "sources", "select", "drafting", "render", "build", "incremental",
            "serve"},
}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(p): p for p in PACKAGE.rglob("*.py")}


def imports_of(name: str) -> set[str]:
    """Return the generator modules that module `name` imports, anywhere in its body."""
    path = MODULES[name]
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(anchor + ([node.module] if node.module else []))
            found |= {f"{base}.{a.name}" if f"{base}.{a.name}" in MODULES else base
                      for a in node.names}
    return {target for target in found if target in MODULES and target != name}


GRAPH = {name: imports_of(name) for name in MODULES}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Return the strongly connected components with more than one member (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for target in graph.get(node, ()):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def part(name: str) -> str:
    return name.split(".")[1] if "." in name else ""


def test_no_module_imports_a_module_that_imports_it_back():
    assert cycles(GRAPH) == []


def test_no_package_imports_a_package_that_imports_it_back():
    packages: dict[str, set[str]] = {}
    for name, targets in GRAPH.items():
        package = name if MODULES[name].name == "__init__.py" else name.rpartition(".")[0]
        packages.setdefault(package, set()).update(
            t if MODULES[t].name == "__init__.py" else t.rpartition(".")[0] for t in targets)
    for package, targets in packages.items():
        targets.discard(package)
        targets -= {p for p in targets if package.startswith(p + ".")}  # a parent's __init__
    assert cycles(packages) == []


@pytest.mark.parametrize("name", sorted(n for n in MODULES if part(n)))
def test_each_part_imports_only_the_layers_below_it(name):
    allowed = ALLOWED[part(name)] | {part(name), ""}
    wrong = sorted(t for t in GRAPH[name] if part(t) not in allowed)
    assert wrong == [], f"{name} must not import {wrong}"



@pytest.mark.parametrize("name", sorted(MODULES))
def test_modules_and_functions_stay_small(name):
    source = MODULES[name].read_text(encoding="utf-8")
    assert source.count("\n") <= 600, f"{name} has more than 600 lines"
    long = [f"{node.name} ({node.end_lineno - node.lineno + 1} lines)"
            for node in ast.walk(ast.parse(source))
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
            and node.end_lineno - node.lineno + 1 > 45]
    assert long == [], f"{name}: functions over ~40 lines: {long}"
