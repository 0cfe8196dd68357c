"""Helpers for the command-line tests: run ``regctl`` in-process through its real error boundary."""

from __future__ import annotations

import contextlib
import io
from dataclasses import dataclass
from pathlib import Path

from regctl.cli import main


@dataclass
class CliResult:
    code: int
    out: str
    err: str

    @property
    def output(self) -> str:
        return self.out + self.err


def regctl(*args: str, db: str | None = None) -> CliResult:
    """``regctl [--db DB] ARGS`` through ``regctl.cli.main``; stdout is not a terminal (plain output)."""
    argv = (["--db", db] if db else []) + list(args)
    out, err = io.StringIO(), io.StringIO()
    code: int | str | None = 0
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            main(argv)
        except SystemExit as exc:
            code = exc.code
    assert isinstance(code, int | None), f"exit code {code!r}"
    return CliResult(code or 0, out.getvalue(), err.getvalue())


def manifest(tmp_path: Path, steps: str, *, batch: str = "cli-test", count: int = 3,
             extra: str = "") -> Path:
    """A manifest of ``count`` restaurants over the given ``steps:`` YAML (indented by 4)."""
    restaurants = "\n".join(f"  - {{name: Restaurant {i}, address: {i} Test Road, city: Auckland}}"
                            for i in range(count))
    path = tmp_path / f"{batch}.yaml"
    path.write_text(f"batch: {batch}\norganisation: test-org\ntarget: sandbox\n"
                    f"pipeline:\n  steps:\n{steps}\n{extra}restaurants:\n{restaurants}\n")
    return path


NOOP_STEPS = """    - {key: first, uses: builtin.noop}
    - {key: second, uses: builtin.sleep, with: {seconds: 0.01}, needs: [first]}
    - {key: third, uses: builtin.noop, after: [second], when: "restaurant.city == 'Wellington'"}"""
