"""The one build step pyproject.toml cannot state (everything else is there).

The wheel carries the top-level templates/, static/ and migrations/ inside the package, as
campaign/_site/templates, campaign/_site/static and campaign/_site/migrations, so an app
installed from it finds its pages, files and Alembic revisions with no source tree. The source
layout stays as it is: campaign/__init__.py looks in _site first, then beside the package.
"""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent
SITE_DIRS = ("templates", "static", "migrations")


class BuildPyWithSite(build_py):
    def run(self):
        super().run()
        if self.editable_mode:
            return  # an editable install reads them from the source tree
        site = Path(self.build_lib) / "campaign" / "_site"
        for name in SITE_DIRS:
            target = site / name
            if target.exists():
                shutil.rmtree(target)  # a file deleted from the source leaves the wheel too
            shutil.copytree(
                ROOT / name, target, ignore=shutil.ignore_patterns("__pycache__", "*.py[co]")
            )


setup(cmdclass={"build_py": BuildPyWithSite})
