"""The README's layout table names every module of the package and every top-level folder, so a
newcomer reading it finds everything that exists (and a new module cannot be left out)."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def layout_table() -> str:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Layout\n", 1)[1]
    return section.split("\n## ", 1)[0]


def test_every_module_of_the_package_is_named_in_the_layout_table():
    table = layout_table()
    missing = [
        str(path.relative_to(ROOT))
        for path in sorted((ROOT / "campaign").rglob("*.py"))
        if path.stem != "__init__" and path.stem not in table
    ]
    assert missing == []


def test_every_top_level_folder_is_named_in_the_layout_table():
    table = layout_table()
    folders = [
        p.name
        for p in ROOT.iterdir()
        if p.is_dir()
        and not p.name.startswith(".")
        and p.name not in ("instance", "dist", "build")
        and not p.name.endswith(".egg-info")
    ]
    assert [name for name in folders if f"{name}/" not in table] == []
