"""Lighthouse on the public pages, in Korean and in English, against the project as deployed.

Starts the project the way bench/submit_load.py does (gunicorn with campaign/gunicorn_conf.py,
a fresh SQLite database with the demo campaign), installs Lighthouse from the npm registry once
(into instance/bench-cache/lighthouse; Node.js and npm come from the machine), and runs it with
Debian's Chromium on each public page, once per language: Korean as a first visit sees it, and
English chosen the way the header's switch chooses it (the `lang` cookie) with an English
Accept-Language. It prints the accessibility, best-practices, SEO and performance scores per
page and language, and every accessibility audit that did not pass.

    .venv/bin/python bench/lighthouse.py
    .venv/bin/python bench/lighthouse.py --pages / /submit --categories accessibility

The performance score depends on the machine's load (Lighthouse's own simulated throttling on
top of two shared cores): read it for differences between the languages, not as an absolute.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import tempfile
import urllib.request
from pathlib import Path
from types import SimpleNamespace

from submit_load import ROOT, start_project, wait_answering

CACHE = ROOT / "instance" / "bench-cache" / "lighthouse"
CHROMIUM = "/usr/bin/chromium"
CATEGORIES = ["accessibility", "best-practices", "seo", "performance"]
PAGES = ["/", "/submit", "/improvements", "FIX", "/listening", "/stats", "/status", "/privacy"]
LANGUAGES = {
    "ko": {},
    "en": {"Cookie": "lang=en", "Accept-Language": "en"},
}


def lighthouse() -> Path:
    """The Lighthouse CLI, installed from npm the first time."""
    binary = CACHE / "node_modules" / ".bin" / "lighthouse"
    if not binary.exists():
        if not shutil.which("npm"):
            raise SystemExit("npm is needed to install Lighthouse (Node.js from the machine)")
        CACHE.mkdir(parents=True, exist_ok=True)
        print("installing lighthouse from npm (once)…", flush=True)
        subprocess.run(
            ["npm", "install", "--no-audit", "--no-fund", "--silent", "lighthouse@12"],
            cwd=CACHE,
            check=True,
        )
    return binary


def first_fix_path(port: int) -> str:
    """A published fix's page, found the way a visitor finds one: from the list."""
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/improvements") as response:
        html = response.read().decode()
    found = re.search(r'href="(/improvements/(?!feed\.xml)[^"/?#]+)"', html)
    if not found:
        raise SystemExit("the demo has no published fix to open")
    return found.group(1)


def page_language(url: str, headers: dict) -> str:
    """The <html lang> the page answers these headers with: proof the run read that language."""
    with urllib.request.urlopen(urllib.request.Request(url, headers=headers)) as response:
        found = re.search(r'<html lang="(\w+)"', response.read().decode())
    return found.group(1) if found else "?"


def audit(binary: Path, url: str, headers: dict, categories: list[str], work: Path) -> dict:
    out = work / "report.json"
    command = [
        str(binary),
        url,
        "--quiet",
        "--output=json",
        f"--output-path={out}",
        f"--only-categories={','.join(categories)}",
        "--chrome-flags=--headless=new --no-sandbox --disable-gpu",
    ]
    if headers:
        command.append(f"--extra-headers={json.dumps(headers)}")
    subprocess.run(
        command, env={**os.environ, "CHROME_PATH": CHROMIUM}, check=True, capture_output=True
    )
    return json.loads(out.read_text())


def failing(report: dict) -> list[str]:
    """Accessibility audits that did not pass, with how many elements each found."""
    audits = report["audits"]
    refs = report["categories"].get("accessibility", {}).get("auditRefs", [])
    found = []
    for ref in refs:
        result = audits[ref["id"]]
        if result.get("score") is not None and result["score"] < 1 and ref.get("weight", 0) > 0:
            items = len((result.get("details") or {}).get("items", []))
            found.append(f"{ref['id']} ({items})")
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", nargs="*", default=PAGES, help="paths; FIX is a fix's page")
    parser.add_argument("--categories", nargs="*", default=CATEGORIES)
    args = parser.parse_args()
    if not Path(CHROMIUM).exists():
        raise SystemExit(f"Lighthouse runs Debian's Chromium: {CHROMIUM} is missing")
    binary = lighthouse()
    work = Path(tempfile.mkdtemp(prefix="lighthouse-"))
    server = start_project(
        f"sqlite:///{work / 'bench.sqlite3'}", work, SimpleNamespace(workers=1, threads=4)
    )
    try:
        wait_answering(server.port, "/")
        fix = first_fix_path(server.port)
        shown = {fix: "/improvements/<a fix>"}
        widths = max(len(shown.get(p, p)) for p in args.pages + [fix])
        print(f"{'page':<{widths}}  lang  " + "  ".join(f"{c[:13]:>13}" for c in args.categories))
        below = []
        for path in args.pages:
            path = fix if path == "FIX" else path
            for lang, headers in LANGUAGES.items():
                url = f"http://127.0.0.1:{server.port}{path}"
                if page_language(url, headers) != lang:
                    raise SystemExit(f"{path} did not answer in {lang}")
                report = audit(binary, url, headers, args.categories, work)
                scores = [report["categories"][c]["score"] for c in args.categories]
                figures = "  ".join(
                    f"{round(100 * s):>13}" if s is not None else f"{'–':>13}" for s in scores
                )
                print(f"{shown.get(path, path):<{widths}}  {lang:<4}  {figures}", flush=True)
                below += [f"{path} {lang}: {f}" for f in failing(report)]
        print("\naccessibility audits not passed:" if below else "\nno accessibility audit failed")
        for line in below:
            print("  " + line)
    finally:
        server.stop()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
