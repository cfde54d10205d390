"""The house rules of src/zhidu, read from the code: layers, no import circles, modules of one size.

Every `import zhidu…` counts, at module level, inside functions and under TYPE_CHECKING alike: a lazy import is
still a dependency. The layers run from foundations (0) to the command line (top); a module may import its own
layer or lower ones, never a higher one.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parent.parent / "src" / "zhidu"

#: Top-level module or package → layer. Every module of src/zhidu must be listed (a test checks it).
LAYERS: dict[str, int] = {
    # foundations: no zhidu imports beyond this layer
    "errors": 0,
    "location": 0,
    "units": 0,
    "numbering": 0,
    "textsim": 0,
    "naming": 0,
    "artifact": 0,
    "atomic": 0,
    "docxzip": 0,
    "yamlio": 0,
    # shared building blocks
    "diagnostics": 1,
    "frequency": 1,
    "period": 1,
    "cache": 1,
    "nodes": 1,
    "model": 1,
    "layout": 1,
    # load → validate
    "schema": 2,
    "clauses": 2,
    "inforce": 2,
    "load": 3,
    # domain computations over the model
    "diff": 4,
    "lint": 5,
    "views": 6,
    "render": 7,
    "writer": 8,
    # tools that run the pipeline or stand beside it
    "build": 9,
    "watch": 10,
    "fmt": 9,
    "fix": 9,
    "importer": 9,
    "verify": 9,
    "sheet": 9,
    "serve": 10,
    # the command line
    "cli": 11,
    "__main__": 12,
    "__init__": 0,
    "_templates": 0,
}

MAX_LINES = 700


def _module_name(path: Path) -> str:
    rel = path.relative_to(SRC.parent).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _modules() -> dict[str, Path]:
    return {_module_name(p): p for p in sorted(SRC.rglob("*.py")) if "__pycache__" not in p.parts}


def _imports(path: Path, name: str) -> set[str]:
    """Every zhidu module this file imports (resolved to a module of the tree where possible)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.split(".")[0] == "zhidu")
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                mod = f"{base}.{node.module}" if node.module else base
            else:
                mod = node.module or ""
            if mod.split(".")[0] != "zhidu":
                continue
            # `from zhidu.render import docx` imports the module zhidu.render.docx.
            found.update(f"{mod}.{a.name}" for a in node.names)
            found.add(mod)
    return found


def _graph() -> dict[str, set[str]]:
    mods = _modules()
    graph: dict[str, set[str]] = {}
    for name, path in mods.items():
        targets = {t for t in _imports(path, name) if t in mods and t != name}
        graph[name] = targets
    return graph


def _layer(module: str) -> int:
    parts = module.split(".")
    top = parts[1] if len(parts) > 1 else "__init__"
    return LAYERS[top]


def test_every_module_has_a_layer() -> None:
    missing = sorted({m.split(".")[1] for m in _modules() if "." in m and m.split(".")[1] not in LAYERS})
    assert missing == [], f"add these to LAYERS: {missing}"


def test_no_module_imports_a_higher_layer() -> None:
    upward = [
        f"{m} (layer {_layer(m)}) imports {t} (layer {_layer(t)})"
        for m, targets in _graph().items()
        for t in sorted(targets)
        if _layer(t) > _layer(m)
    ]
    assert upward == []


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    out: list[list[str]] = []
    counter = [0]

    def visit(v: str) -> None:
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return out


def test_no_import_circles() -> None:
    assert _cycles(_graph()) == []


def test_cycle_finder_finds_a_circle() -> None:
    # The checker itself must be able to fail.
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


@pytest.mark.parametrize("module", sorted(_modules()))
def test_module_size(module: str) -> None:
    path = _modules()[module]
    lines = len(path.read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_LINES, f"{path.relative_to(SRC.parent)} has {lines} lines; split it by job"


def test_library_modules_have_no_command_line() -> None:
    offenders = [
        name
        for name, path in _modules().items()
        if not name.startswith("zhidu.cli") and name != "zhidu.__main__"
        for text in [path.read_text(encoding="utf-8")]
        if "import argparse" in text or "__main__" in text.replace('"zhidu.__main__"', "")
    ]
    assert offenders == []
