"""Helpers for the review tests: recorded requests and a real questionary prompter on a pipe."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output import DummyOutput
from rich.console import Console

from regctl.review.prompter import QuestionaryPrompter
from regctl.steps.base import DecisionRequest

FIXTURES = Path(__file__).parent / "fixtures" / "requests"
DOWN, ENTER, CLEAR, CTRL_C = "\x1b[B", "\r", "\x15", "\x03"


def recorded(name: str) -> DecisionRequest:
    """A recorded request from tests/fixtures/requests/NAME.json."""
    return DecisionRequest.from_json(json.loads((FIXTURES / f"{name}.json").read_text()))


def recorded_json(name: str) -> dict[str, Any]:
    return json.loads((FIXTURES / f"{name}.json").read_text())  # type: ignore[no-any-return]


@dataclass
class Terminal:
    """A real QuestionaryPrompter whose keyboard is a pipe and whose screen is a string."""

    prompter: QuestionaryPrompter
    screen: io.StringIO
    pipe: Any

    def keys(self, *keys: str) -> None:
        for key in keys:
            self.pipe.send_text(key)

    @property
    def shown(self) -> str:
        return self.screen.getvalue()


@contextmanager
def terminal(width: int = 220) -> Iterator[Terminal]:
    screen = io.StringIO()
    with create_pipe_input() as pipe:
        console = Console(file=screen, width=width, force_terminal=False, color_system=None)
        yield Terminal(QuestionaryPrompter(console, input=pipe, output=DummyOutput()), screen, pipe)


def down(n: int) -> str:
    return DOWN * n + ENTER


WAIT_MANIFEST = """\
batch: {batch}
organisation: pumpd-nz
target: sandbox
pipeline:
  name: approvals
  steps:
    - key: approve
      uses: builtin.wait
      with:
        prompt: Approve this restaurant?
        schema:
          type: object
          required: [ok, contact]
          additionalProperties: false
          properties:
            ok: {{type: boolean}}
            contact:
              type: object
              required: [email]
              properties:
                email: {{type: string, pattern: "^[^@ ]+@[^@ ]+$"}}
    - key: publish
      uses: builtin.noop
      needs: [approve]
{extra}
restaurants:
{restaurants}
"""


def wait_manifest(tmp_path: Path, batch: str = "approvals", count: int = 2, extra: str = "",
                  pipeline: str | None = None) -> Path:
    """A manifest whose every job waits on one builtin.wait decision, then runs a noop.

    ``pipeline``: YAML replacing the pipeline (a ``pipeline:`` mapping at the top level).
    """
    rows = "\n".join(f"  - {{name: Place {i}, address: {i} Queen Street, city: Auckland}}"
                     for i in range(1, count + 1))
    text = WAIT_MANIFEST.format(batch=batch, restaurants=rows, extra=extra)
    if pipeline is not None:
        start, end = text.index("pipeline:"), text.index("restaurants:")
        text = text[:start] + pipeline.strip() + "\n" + extra + "\n" + text[end:]
    path = tmp_path / f"{batch}.yaml"
    path.write_text(text)
    return path


def waiting_batch(store: Any, tmp_path: Path, batch: str = "approvals", count: int = 2,
                  extra: str = "", pipeline: str | None = None) -> int:
    """Submit the wait manifest and supervise until every job waits; the batch id."""
    from regctl.engine import api
    from regctl.manifest import load_manifest

    manifest = load_manifest(wait_manifest(tmp_path, batch, count, extra, pipeline))
    ref = api.submit_batch(store, manifest, actor="test")
    api.supervise(store, until_idle=True, batch_id=ref.id)
    return ref.id


@dataclass
class CliResult:
    exit_code: int
    output: str  # stdout and stderr together


def run_cli(args: list[str], input: str | None = None) -> CliResult:
    """Run ``regctl ARGS`` in-process through ``regctl.cli.main`` (the real error → exit boundary)."""
    from click.testing import CliRunner

    from regctl.cli import main

    runner = CliRunner()
    with runner.isolation(input=input) as streams:
        try:
            main(args)
            code = 0
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 1
        out = streams[0].getvalue() + streams[1].getvalue()
    return CliResult(code, out.decode())
