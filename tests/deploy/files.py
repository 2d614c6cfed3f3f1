"""Reading the files in deploy/ the way systemd reads them."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
VENV_BIN = "/opt/campaign/venv/bin/"


def unit(name: str) -> dict[str, dict[str, list[str]]]:
    """Sections → keys → values (a key may repeat). Comments and blank lines are skipped; a line
    ending in a backslash goes on in the next."""
    sections: dict[str, dict[str, list[str]]] = {}
    current = None
    text = (DEPLOY / name).read_text(encoding="utf-8").replace("\\\n", " ")
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith(("#", ";")):
            continue
        if line.startswith("[") and line.endswith("]"):
            current = sections.setdefault(line[1:-1], {})
            continue
        key, sep, value = line.partition("=")
        assert current is not None and sep, f"{name}: not a unit line: {raw!r}"
        current.setdefault(key.strip(), []).append(value.strip())
    return sections


def exec_start(name: str, instance: str = "8001") -> list[str]:
    """The unit's one ExecStart as argv, with %i filled in."""
    (line,) = unit(name)["Service"]["ExecStart"]
    return shlex.split(line.replace("%i", instance))


def env_example() -> list[tuple[str, str, str]]:
    """(section title, name, value) for each NAME=value line of campaign.env.example."""
    entries, section = [], ""
    for raw in (DEPLOY / "campaign.env.example").read_text(encoding="utf-8").splitlines():
        if raw.startswith("## "):
            section = raw[3:].strip()
        elif raw and not raw.startswith("#"):
            match = re.fullmatch(r"([A-Z][A-Z0-9_]*)=(.*)", raw)
            assert match, f"campaign.env.example: not a NAME=value line: {raw!r}"
            entries.append((section, match[1], match[2]))
    return entries
