"""The CLI loads command modules lazily; the name → module map must match what the modules export."""

from __future__ import annotations

import importlib
import pkgutil
import subprocess
import sys

import regctl.commands as pkg
from regctl.commands import COMMAND_MODULES


def test_command_map_matches_the_modules() -> None:
    exported: dict[str, str] = {}
    for info in pkgutil.iter_modules(pkg.__path__):
        module = importlib.import_module(f"regctl.commands.{info.name}")
        for command in getattr(module, "COMMANDS", ()):
            exported[command.name] = info.name
    assert exported == COMMAND_MODULES


def test_a_read_command_does_not_import_heavy_modules() -> None:
    heavy = "('questionary', 'playwright', 'regctl.sandbox.app')"
    code = ("import sys; from regctl.cli import cli; cli.get_command(None, 'status'); "
            f"print(','.join(m for m in {heavy} if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == ""
