"""House rules a machine can check: `ruff check` over the repository finds nothing, with the
rules and limits set in pyproject.toml ([tool.ruff.lint]), and `ruff format --check` would change
nothing."""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def ruff_command() -> list[str]:
    if importlib.util.find_spec("ruff") is not None:
        return [sys.executable, "-m", "ruff"]
    if shutil.which("ruff"):
        return [shutil.which("ruff")]
    pytest.skip("ruff is not installed: `pip install -e .[dev]` brings it (pyproject's dev extras)")


def ruff_check(*paths: str) -> subprocess.CompletedProcess:
    command = [*ruff_command(), "check", "--no-cache", "--output-format=concise", *paths]
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=120)


def test_ruff_finds_nothing_in_the_repository():
    result = ruff_check(".")
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_file_is_formatted_as_ruff_formats_it():
    command = [*ruff_command(), "format", "--check", "--no-cache", "."]
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr


def test_ruff_reads_our_rules(tmp_path):
    """The configuration is the one in pyproject.toml: an unused import, a long line and a
    function past the complexity limit in a new file are each reported."""
    branches = "\n".join(f"    if x == {i}:\n        return {i}" for i in range(16))
    long_line = "x = 1" + " " * 96 + "# long"
    planted = tmp_path / "planted.py"
    source = f"import os\n\n\ndef tangled(x):\n{branches}\n    return -1\n\n\n{long_line}\n"
    planted.write_text(source, encoding="utf-8")
    result = ruff_check("--config", str(ROOT / "pyproject.toml"), str(planted))
    assert result.returncode == 1
    for code in ("F401", "C901", "E501"):
        assert code in result.stdout, result.stdout
