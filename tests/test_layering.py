"""The dependency rule, checked on the source: views parse, call a domain function and render.
No view module builds a query or runs one, and no view hides a result with `and None`; no desk
view commits or rolls back itself (the desk's one transaction boundary is
`admin.blueprint.change`). Public views still commit where they write (submit, answer)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent / "campaign"
VIEW_MODULES = sorted(
    [
        *ROOT.glob("admin/views/*.py"),
        ROOT / "admin" / "auth.py",
        *ROOT.glob("public/*.py"),
        ROOT / "api.py",
    ]
)
QUERIES = {"execute", "scalars", "scalar"}
TRANSACTION = {"commit", "rollback"}


def _dotted(node: ast.AST) -> str:
    """`db.session.scalars` for an attribute chain, `select` for a bare name, else ""."""
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        parts.append(node.id)
        return ".".join(reversed(parts))
    return ""


def offences(source: str, *, desk: bool = True) -> list[str]:
    """What a view module does that belongs to the domain (or, at the desk, to the transaction
    boundary)."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call):
            name = _dotted(node.func)
            last = name.rsplit(".", 1)[-1]
            if name in ("select", "db.select", "sa.select", "sqlalchemy.select"):
                found.append(f"line {node.lineno}: {name}(…) builds a query in a view")
            elif name.startswith("db.session.") and last in QUERIES:
                found.append(f"line {node.lineno}: {name}(…) runs a query in a view")
            elif desk and name.startswith("db.session.") and last in TRANSACTION:
                found.append(
                    f"line {node.lineno}: {name}() outside the desk's transaction boundary"
                )
        elif isinstance(node, ast.ImportFrom) and node.module in ("sqlalchemy", "sqlalchemy.sql"):
            if any(alias.name == "select" for alias in node.names):
                found.append(f"line {node.lineno}: imports select")
        elif (
            isinstance(node, ast.Lambda)
            and isinstance(node.body, ast.BoolOp)
            and isinstance(node.body.op, ast.And)
            and isinstance(node.body.values[-1], ast.Constant)
            and node.body.values[-1].value is None
        ):
            found.append(f"line {node.lineno}: lambda … and None hides a result")
    return found


@pytest.mark.parametrize("module", VIEW_MODULES, ids=lambda p: str(p.relative_to(ROOT)))
def test_views_leave_queries_and_commits_to_the_domain(module):
    desk = module.is_relative_to(ROOT / "admin")
    assert offences(module.read_text(encoding="utf-8"), desk=desk) == []


def test_every_view_module_is_checked():
    names = {str(p.relative_to(ROOT)) for p in VIEW_MODULES}
    assert {"admin/views/inbox.py", "admin/views/manage.py", "public/views.py", "api.py"} <= names


# The shapes the check must catch, each as it stood in the views before issue 18.
OLD_SHAPES = {
    "inline select": """
from sqlalchemy import select
def inbox_page():
    return list(db.session.scalars(select(Tag).order_by(Tag.name)))
""",
    "inline scalar": "def improvement(slug):\n    return db.session.scalar(query)\n",
    "inline execute": "def tags():\n    return dict(db.session.execute(query).all())\n",
    "db.select": "def f():\n    return db.select(Fix)\n",
    "inline commit": (
        "def settings():\n    accounts.set_shortcuts(user, True)\n    db.session.commit()\n"
    ),
    "and None": (
        "def cluster_unmerge(cluster_id):\n"
        "    return go(lambda c: decisions.unmerge(c, by=me) and None)\n"
    ),
}


@pytest.mark.parametrize("shape", OLD_SHAPES)
def test_the_check_catches_what_views_used_to_do(shape):
    assert offences(OLD_SHAPES[shape])
