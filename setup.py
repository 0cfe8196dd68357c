"""Build hook: the wheel carries ``migrations/`` as ``regctl/migrations/``.

The design card keeps the Alembic tree at the top level of the checkout (``migrations/``), where
``make migration`` writes it; an installed regctl has no checkout, so the build copies the tree into
the package. :func:`regctl.db.migrate.migrations_dir` looks in both places. Everything else about
the package is declared in pyproject.toml.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent


class BuildWithMigrations(build_py):
    """``build_py`` plus a copy of ``migrations/`` (without caches) into ``regctl/migrations``."""

    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):
            return  # an editable install reads migrations/ from the checkout itself
        target = Path(self.build_lib) / "regctl" / "migrations"
        shutil.rmtree(target, ignore_errors=True)
        shutil.copytree(HERE / "migrations", target, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))


setup(cmdclass={"build_py": BuildWithMigrations})
