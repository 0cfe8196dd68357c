"""The onboarding pipeline's step types (SPEC §3), one module per step, registered on import.

Every submodule is imported, so a new step module registers itself without editing this file.
Helper modules (no step types) are imported too; that is harmless.
"""

from __future__ import annotations

import importlib
import pkgutil

__all__: list[str] = []


def _import_all() -> None:
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        importlib.import_module(f"{__name__}.{info.name}")


_import_all()
