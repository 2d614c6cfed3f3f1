"""The modules of `campaign` form no import cycle, lazy imports inside functions included."""

from __future__ import annotations

import ast
from pathlib import Path

import campaign

PACKAGE = Path(campaign.__file__).resolve().parent


def import_graph(package: Path) -> dict[str, set[str]]:
    """Module name -> the package's modules it imports anywhere in its source (type-checking
    blocks aside). `from campaign import audit` imports campaign.audit, not the package."""
    modules = {}
    for path in package.rglob("*.py"):
        parts = list(path.relative_to(package.parent).with_suffix("").parts)
        modules[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path

    def known(name: str) -> str | None:
        while name and name not in modules:
            name = name.rpartition(".")[0]
        return name or None

    graph = {}
    for name, path in modules.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        hidden = {
            id(node)
            for block in ast.walk(tree)
            if isinstance(block, ast.If) and "TYPE_CHECKING" in ast.unparse(block.test)
            for node in ast.walk(block)
        }
        here = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
        found = set()
        for node in ast.walk(tree):
            if id(node) in hidden:
                continue
            if isinstance(node, ast.Import):
                found |= {known(alias.name) for alias in node.names}
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    base = ".".join(here[: len(here) - node.level + 1] + ([base] if base else []))
                named = (f"{base}.{alias.name}" for alias in node.names)
                found |= {known(full) if full in modules else known(base) for full in named}
        graph[name] = found - {None, name}
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Each import cycle once, as the path that closes it."""
    found, done = [], set()

    def visit(name: str, path: list[str]) -> None:
        if name in path:
            found.append(path[path.index(name) :] + [name])
            return
        if name in done:
            return
        for other in sorted(graph[name]):
            visit(other, path + [name])
        done.add(name)

    for name in sorted(graph):
        visit(name, [])
    return found


def test_no_module_in_campaign_imports_a_module_that_imports_it_back():
    graph = import_graph(PACKAGE)
    assert "campaign.clustering.engine" in graph["campaign.clustering.recluster"]  # it is read
    assert cycles(graph) == []


def test_a_lazy_import_that_closes_a_cycle_is_found_and_a_type_checking_one_is_not(tmp_path):
    package = tmp_path / "pkg"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "a.py").write_text("from pkg import b, c\n")
    (package / "b.py").write_text("def later():\n    from pkg.a import thing\n")
    (package / "c.py").write_text(
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from pkg import a\n"
    )
    assert cycles(import_graph(package)) == [["pkg.a", "pkg.b", "pkg.a"]]
