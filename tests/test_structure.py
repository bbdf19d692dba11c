"""Import structure of ``marsad``: no import cycles between modules, nor between packages.

Pure ``ast``: the package is never imported. Every ``import`` counts, wherever it is: module level,
``if TYPE_CHECKING:`` blocks and imports inside functions (none of the lazy imports in the tree closes a
cycle today, so none is excluded). ``from a.b import c`` is an edge to the module ``a.b.c`` when that is a
module, else to ``a.b``.

Packages are the first level under ``marsad`` (``entities``, ``cluster``, ...; a top-level module such as
``marsad.watch`` is its own package). Edges inside one package do not count at that level.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src"

# Package cycles that are known and owned elsewhere; the list may only shrink.
KNOWN_PACKAGE_CYCLES: set[frozenset[str]] = set()  # none left; add one only with a reason


def _modules() -> dict[str, Path]:
    out: dict[str, Path] = {}
    for path in (SRC / "marsad").rglob("*.py"):
        parts = list(path.relative_to(SRC).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        out[".".join(parts)] = path
    return out


def _imported(node: ast.AST, module: str, is_package: bool) -> Iterator[str]:
    """Dotted names each import statement under ``node`` may refer to (most specific first)."""
    for n in ast.walk(node):
        if isinstance(n, ast.Import):
            for alias in n.names:
                yield alias.name
        elif isinstance(n, ast.ImportFrom):
            base = n.module or ""
            if n.level:
                pkg = module if is_package else module.rpartition(".")[0]
                for _ in range(n.level - 1):
                    pkg = pkg.rpartition(".")[0]
                base = f"{pkg}.{base}" if base else pkg
            for alias in n.names:
                yield f"{base}.{alias.name}\0{base}"


def _resolve(name: str, modules: dict[str, Path]) -> str | None:
    for candidate in name.split("\0"):
        while candidate:
            if candidate in modules:
                return candidate
            candidate = candidate.rpartition(".")[0]
    return None


def import_graph() -> dict[str, set[str]]:
    modules = _modules()
    graph: dict[str, set[str]] = {m: set() for m in modules}
    for mod, path in modules.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for name in _imported(tree, mod, path.name == "__init__.py"):
            target = _resolve(name, modules)
            if target is not None and target != mod:
                graph[mod].add(target)
    return graph


def package_of(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else parts[0]


def package_graph(graph: dict[str, set[str]]) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for mod, targets in graph.items():
        src = package_of(mod)
        out.setdefault(src, set())
        for t in targets:
            if package_of(t) != src:
                out[src].add(package_of(t))
    return out


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one node (Tarjan, iterative), sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for root in sorted(graph):
        if root in index:
            continue
        work: list[tuple[str, Iterator[str]]] = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph.get(child, ())))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                comp = []
                while True:
                    w = stack.pop()
                    on_stack.discard(w)
                    comp.append(w)
                    if w == node:
                        break
                if len(comp) > 1:
                    found.append(sorted(comp))
    return sorted(found)


def _describe(comp: list[str], graph: dict[str, set[str]]) -> str:
    members = set(comp)
    edges = [f"{a} -> {b}" for a in comp for b in sorted(graph[a] & members)]
    return ", ".join(edges)


def test_cycle_finder_sees_cycles() -> None:
    g = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}, "e": {"e"}}
    assert cycles(g) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_graph_reads_the_tree() -> None:
    graph = import_graph()
    assert "marsad.entities.lexicon" in graph["marsad.entities.kb"]
    assert "marsad.normalize.words" in graph["marsad.dedup.shingles"]
    assert "marsad.ingest.fetch" in graph["marsad.ingest.sources"]  # an import inside a function counts


def test_no_module_cycles() -> None:
    graph = import_graph()
    found = cycles(graph)
    assert not found, "import cycles between modules: " + "; ".join(_describe(c, graph) for c in found)


def test_no_package_cycles() -> None:
    packages = package_graph(import_graph())
    found = [c for c in cycles(packages) if frozenset(c) not in KNOWN_PACKAGE_CYCLES]
    assert not found, "import cycles between packages: " + "; ".join(_describe(c, packages) for c in found)


def test_entities_cluster_dedup_are_acyclic() -> None:
    packages = package_graph(import_graph())
    assert "entities" not in packages["normalize"]
    assert "cluster" not in packages["dedup"]
