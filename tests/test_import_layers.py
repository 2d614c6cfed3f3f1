"""The dependency rule of ARCHITECTURE.md, read from the source with `ast`: domain modules never
read Flask's request, session or g; no lower layer imports a higher one; no import cycles."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# The HTTP and terminal layer and the glue that wires the app together; everything else in
# campaign/ is domain code. campaign.forms is the base class of every FlaskForm (it reads the
# posted form from the request): it belongs to the views' layer, and only public/ and admin/
# import it.
EDGE_PACKAGES = ("campaign.public", "campaign.admin")
EDGE_MODULES = {
    "campaign",
    "campaign.api",
    "campaign.cli",
    "campaign.errors",
    "campaign.templating",
    "campaign.extensions",
    "campaign.gunicorn_conf",
    "campaign.forms",
}
HIGHER_LAYERS = ("campaign.public", "campaign.admin", "campaign.api", "campaign.cli")
REQUEST_STATE = {"request", "session", "g"}


def module_name(root: Path, path: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def modules(root: Path) -> dict[str, Path]:
    return {module_name(root, p): p for p in sorted((root / "campaign").rglob("*.py"))}


def is_domain(name: str) -> bool:
    return name not in EDGE_MODULES and not any(belongs_to(name, p) for p in EDGE_PACKAGES)


def belongs_to(name: str, layer: str) -> bool:
    return name == layer or name.startswith(layer + ".")


def read_imports(name: str, path: Path) -> list[tuple[str, tuple[str, ...], int]]:
    """Every import statement in a module, at any depth: (module, imported names, line)."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            found += [(alias.name, (), node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                base = ".".join(anchor + ([base] if base else []))
            found.append((base, tuple(alias.name for alias in node.names), node.lineno))
    return found


def internal_targets(imported: str, names: tuple[str, ...], known: dict[str, Path]) -> set[str]:
    """The campaign modules one import depends on: `from campaign import audit` is
    campaign.audit, `from campaign.models import Moment` is campaign.models."""
    targets = {f"{imported}.{n}" for n in names if f"{imported}.{n}" in known}
    if not targets and imported in known:
        targets.add(imported)
    return targets


def request_state_reads(known: dict[str, Path]) -> list[str]:
    found = []
    for name, path in known.items():
        if not is_domain(name):
            continue
        for imported, names, line in read_imports(name, path):
            read = sorted(REQUEST_STATE & set(names))
            if imported in ("flask", "flask.globals") and read:
                found.append(f"{name}:{line} imports {read} from flask")
            elif imported in ("flask", "flask.globals") and not names:
                found.append(f"{name}:{line} imports {imported} whole (its globals unseen)")
    return found


def upward_imports(known: dict[str, Path]) -> list[str]:
    found = set()
    for name, path in known.items():
        if not is_domain(name):
            continue
        for imported, names, line in read_imports(name, path):
            for target in internal_targets(imported, names, known) or {imported}:
                if any(belongs_to(target, layer) for layer in HIGHER_LAYERS):
                    found.add(f"{name}:{line} imports {target}")
    return sorted(found)


def import_cycles(known: dict[str, Path]) -> list[frozenset[str]]:
    """Groups of modules that import one another (strongly connected components, Tarjan).

    An import inside a function counts too: it only defers the cycle to call time, and the two
    modules still cannot be understood, tested or moved apart."""
    graph = {name: set() for name in known}
    for name, path in known.items():
        for imported, names, _ in read_imports(name, path):
            graph[name] |= internal_targets(imported, names, known) - {name}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    cycles: list[frozenset[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for nxt in sorted(graph[node]):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = set()
            while (member := stack.pop()) != node:
                component.add(member)
            component.add(node)
            if len(component) > 1:
                cycles.append(frozenset(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return cycles


def test_domain_modules_never_read_request_session_or_g():
    assert request_state_reads(modules(ROOT)) == []


def test_domain_modules_never_import_views_api_or_cli():
    assert upward_imports(modules(ROOT)) == []


def test_campaign_modules_have_no_import_cycles():
    assert [sorted(c) for c in import_cycles(modules(ROOT))] == []


def plant(root: Path, files: dict[str, str]) -> dict[str, Path]:
    for name, source in files.items():
        path = root / "campaign" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(source, encoding="utf-8")
    return modules(root)


def test_each_rule_finds_a_planted_fault(tmp_path):
    known = plant(
        tmp_path,
        {
            "__init__.py": "",
            "public/__init__.py": "",
            "public/views.py": "from flask import request\n",
            "orders.py": "from flask import current_app, session\nfrom campaign import billing\n",
            "billing.py": "def later():\n    from . import orders\n"
            "    from campaign.public import views\n",
            "audit.py": "import flask\n",
        },
    )
    assert request_state_reads(known) == [
        "campaign.audit:1 imports flask whole (its globals unseen)",
        "campaign.orders:1 imports ['session'] from flask",
    ]
    assert upward_imports(known) == ["campaign.billing:3 imports campaign.public.views"]
    assert import_cycles(known) == [frozenset({"campaign.orders", "campaign.billing"})]
