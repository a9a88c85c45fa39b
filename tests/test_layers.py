"""Dependencies point down only, and no module imports itself in a circle.

The layers, from the bottom:

0. the core of ``foerderflow/``: settings, database, tenant, wiring, embedded PostgreSQL and
   the local inbox; it imports nothing of this project above it;
1. ``models/``: pure rules and plans;
2. ``tasks/``: side effects (database, documents, mail, artifacts);
3. ``flows/``: the order of the steps;
4. the app shell of ``foerderflow/``: the command line, the local stack, the deployments and
   the shutdown of flow runs; it may import everything.

A module may import modules of its own layer and of the layers below. Every import counts,
also one inside a function: a late import is still a dependency.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("foerderflow", "models", "tasks", "flows")
CORE = {
    "__init__",
    "settings",
    "db",
    "tenant",
    "yamlfile",
    "wiring",
    "postgres",
    "inbox",
    "prefect_tls",
}
SHELL = {"cli", "cli_radar", "stack", "deployments", "shutdown", "warmstart", "worker"}
LAYER_NAMES = {0: "foerderflow-Kern", 1: "models", 2: "tasks", 3: "flows", 4: "App-Shell"}


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def layer(module: str) -> int:
    package, _, rest = module.partition(".")
    if package == "foerderflow":
        name = rest or "__init__"
        if name in CORE:
            return 0
        if name in SHELL:
            return 4
        raise AssertionError(f"foerderflow.{name}: bitte in CORE oder SHELL einordnen")
    return {"models": 1, "tasks": 2, "flows": 3}[package]


def project_modules() -> dict[str, Path]:
    return {
        module_name(path): path
        for package in PACKAGES
        for path in sorted((ROOT / package).rglob("*.py"))
    }


def imports_of(path: Path, modules: dict[str, Path]) -> set[str]:
    """The project modules ``path`` imports (``from models import x`` counts as ``models.x``
    when ``models/x.py`` exists)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [f"{node.module}.{alias.name}" for alias in node.names] + [node.module]
        for name in names:
            if name.partition(".")[0] not in PACKAGES:
                continue
            while name and name not in modules:
                name = name.rpartition(".")[0]
            if name:
                found.add(name)
    return found


def import_graph() -> dict[str, set[str]]:
    modules = project_modules()
    return {name: imports_of(path, modules) - {name} for name, path in modules.items()}


def upward_imports(graph: dict[str, set[str]]) -> list[str]:
    return sorted(
        f"{module} ({LAYER_NAMES[layer(module)]}) importiert {target} "
        f"({LAYER_NAMES[layer(target)]})"
        for module, targets in graph.items()
        for target in targets
        if layer(target) > layer(module)
    )


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph.get(node, ())):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_every_foerderflow_module_has_a_layer() -> None:
    for module in project_modules():
        layer(module)


def test_no_upward_imports() -> None:
    assert upward_imports(import_graph()) == []


def test_no_circular_imports() -> None:
    assert cycles(import_graph()) == []


@pytest.mark.parametrize(
    ("graph", "upward", "circular"),
    [
        ({"models.a": {"tasks.b"}, "tasks.b": set()}, 1, 0),
        ({"foerderflow.wiring": {"tasks.mail"}, "tasks.mail": set()}, 1, 0),
        ({"foerderflow.cli": {"flows.x"}, "flows.x": {"tasks.y"}, "tasks.y": set()}, 0, 0),
        ({"tasks.a": {"tasks.b"}, "tasks.b": {"tasks.c"}, "tasks.c": {"tasks.a"}}, 0, 1),
    ],
)
def test_the_check_sees_what_it_must_refuse(
    graph: dict[str, set[str]], upward: int, circular: int
) -> None:
    assert len(upward_imports(graph)) == upward
    assert len(cycles(graph)) == circular
