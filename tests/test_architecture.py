"""The layout holds: small modules and functions, layers that only look down, no cycles.

Imports are read from the source (top-level and lazy ones inside functions
both count; those under ``if TYPE_CHECKING:`` do not, as they never run).
"""

from __future__ import annotations

import ast
from functools import lru_cache
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "geomap"
MAX_MODULE_LINES = 500
MAX_FUNCTION_LINES = 80

#: Layers from the bottom up: a module may import its own layer or lower ones.
LAYERS: tuple[tuple[str, ...], ...] = (
    ("geomap.errors", "geomap.config", "geomap.model", "geomap.geo", "geomap.countries",
     "geomap.dates", "geomap.taxonomy", "geomap.boundaries", "geomap.files", "geomap.sqlite",
     "geomap.formats"),
    ("geomap.gazetteer",),
    ("geomap.geocoding",),
    ("geomap.text", "geomap.render"),
    ("geomap.store", "geomap.dataset"),
    ("geomap.workspace",),
    ("geomap.ingestion", "geomap.query", "geomap.relocation", "geomap.mapping",
     "geomap.evaluation", "geomap.engine"),
    ("geomap.api",),
    ("geomap",),
    ("geomap.cli", "geomap.__main__"),
)  # fmt: skip

#: module name -> (source text, parsed tree)
Modules = dict[str, tuple[str, ast.Module]]


@lru_cache(maxsize=1)
def package_modules() -> Modules:
    out: Modules = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        text = path.read_text(encoding="utf-8")
        out[name] = (text, ast.parse(text))
    return out


def _runtime_nodes(tree: ast.AST) -> list[ast.AST]:
    """Every node except those under ``if TYPE_CHECKING:``."""
    out: list[ast.AST] = []
    stack: list[ast.AST] = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            stack.extend(node.orelse)
            continue
        out.append(node)
        stack.extend(ast.iter_child_nodes(node))
    return out


def import_graph(modules: Modules) -> dict[str, set[str]]:
    """module -> the geomap modules it imports at run time."""
    graph: dict[str, set[str]] = {}
    for name, (_, tree) in modules.items():
        targets: set[str] = set()
        for node in _runtime_nodes(tree):
            if isinstance(node, ast.Import):
                targets.update(a.name for a in node.names if a.name in modules)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                if not node.module.startswith("geomap"):
                    continue
                for alias in node.names:
                    sub = f"{node.module}.{alias.name}"
                    targets.add(sub if sub in modules else node.module)
        graph[name] = {t for t in targets if t != name}
    return graph


def layer_of(module: str, layers: tuple[tuple[str, ...], ...] = LAYERS) -> int:
    best, rank = -1, -1
    for i, prefixes in enumerate(layers):
        for prefix in prefixes:
            if (module == prefix or module.startswith(prefix + ".")) and len(prefix) > best:
                best, rank = len(prefix), i
    assert rank >= 0, f"{module} is in no layer: add it to LAYERS"
    return rank


def long_modules(modules: Modules) -> dict[str, int]:
    sizes = {name: len(text.splitlines()) for name, (text, _) in modules.items()}
    return {name: n for name, n in sizes.items() if n > MAX_MODULE_LINES}


def long_functions(modules: Modules) -> list[str]:
    out = []
    for name, (_, tree) in modules.items():
        for node in ast.walk(tree):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                size = node.end_lineno - node.lineno + 1
                if size > MAX_FUNCTION_LINES:
                    out.append(f"{name}.{node.name}: {size} lines")
    return out


def upward_imports(modules: Modules, layers: tuple[tuple[str, ...], ...] = LAYERS) -> list[str]:
    return [
        f"{module} imports {target}"
        for module, targets in import_graph(modules).items()
        for target in sorted(targets)
        if layer_of(target, layers) > layer_of(module, layers)
    ]


def import_cycles(modules: Modules) -> list[str]:
    graph = import_graph(modules)
    state: dict[str, int] = {}
    cycles: list[str] = []

    def visit(node: str, path: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                cycles.append(" -> ".join([*path[path.index(nxt):], nxt]))
            elif nxt not in state:
                visit(nxt, [*path, nxt])
        state[node] = 2

    for module in sorted(graph):
        if module not in state:
            visit(module, [module])
    return cycles


def test_no_module_over_the_limit():
    assert long_modules(package_modules()) == {}


def test_no_function_over_the_limit():
    assert long_functions(package_modules()) == []


def test_layers_only_look_down():
    assert upward_imports(package_modules()) == []


def test_no_import_cycle():
    assert import_cycles(package_modules()) == []


def test_the_cli_uses_only_the_public_api():
    wrong = [
        f"{module} imports {target}"
        for module, targets in import_graph(package_modules()).items()
        if module.startswith("geomap.cli")
        for target in sorted(targets)
        if not (target == "geomap" or target.startswith("geomap.cli"))
    ]
    assert wrong == []


def _planted(**sources: str) -> Modules:
    return {name: (text, ast.parse(text)) for name, text in sources.items()}


def test_the_checks_catch_planted_violations():
    assert long_modules(_planted(**{"geomap.big": "x = 1\n" * 501})) == {"geomap.big": 501}
    body = "def f():\n" + "    x = 1\n" * MAX_FUNCTION_LINES
    assert long_functions(_planted(**{"geomap.geo": body})) == ["geomap.geo.f: 81 lines"]
    up = _planted(**{"geomap.geo": "def f():\n    from geomap.api import geocode\n",
                     "geomap.api": ""})  # fmt: skip
    assert upward_imports(up) == ["geomap.geo imports geomap.api"]
    hidden = _planted(**{"geomap.geo": "if TYPE_CHECKING:\n    from geomap.api import x\n",
                         "geomap.api": ""})  # fmt: skip
    assert upward_imports(hidden) == []
    loop = _planted(**{"geomap.a": "import geomap.b\n", "geomap.b": "import geomap.a\n"})
    assert import_cycles(loop) == ["geomap.a -> geomap.b -> geomap.a"]


@pytest.mark.parametrize("module", sorted(package_modules()))
def test_every_module_has_a_layer(module):
    layer_of(module)
